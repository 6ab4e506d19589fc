"""Writes of the core app: jurisdictions and units."""

from django.db import transaction
from django.utils.translation import gettext as _

from .audit import audit_record, snapshot
from .enums import JurisdictionKind
from .models import Jurisdiction, Unit, UnitAlias
from .names import guess_unit_kind, normalize_name

_PROVINCE_LEVEL_CITIES = {"北京市", "天津市", "上海市", "重庆市"}


class DomainError(Exception):
    """A rule of the domain was broken; the message is for the user."""


def _guess_kind(name: str, parent: Jurisdiction | None) -> str:
    if parent is None:
        return (
            JurisdictionKind.PROVINCE
            if name.endswith(("省", "自治区")) or name in _PROVINCE_LEVEL_CITIES
            else JurisdictionKind.CITY
        )
    if name.endswith(("镇", "乡", "街道", "街")):
        return JurisdictionKind.TOWN
    if name.endswith("市") and parent.kind == JurisdictionKind.PROVINCE and parent.name not in _PROVINCE_LEVEL_CITIES:
        return JurisdictionKind.CITY
    return JurisdictionKind.COUNTY


@transaction.atomic
def jurisdiction_ensure_path(*, path: str, actor=None) -> Jurisdiction:
    """The jurisdiction at "天津市/北辰区", creating the missing levels of the path."""
    names = [part.strip() for part in path.split("/")]
    if not path.strip() or any(not n for n in names):
        raise DomainError(
            _("The jurisdiction path %r is empty or has an empty level; write it like 天津市/北辰区.") % path
        )
    parent = None
    for name in names:
        node = Jurisdiction.objects.filter(parent=parent, name=name).first()
        if node is None:
            node = Jurisdiction(name=name, parent=parent, kind=_guess_kind(name, parent))
            node.full_clean(exclude=["tree_path"])
            node.save()
            audit_record(actor=actor, action="jurisdiction.create", instance=node, after=snapshot(node))
        parent = node
    return parent


def unit_resolve(*, jurisdiction: Jurisdiction, name: str) -> Unit | None:
    """The unit of the jurisdiction that this name or one of its aliases spells."""
    key = normalize_name(name)
    unit = Unit.objects.filter(jurisdiction=jurisdiction, name_key=key).first()
    if unit is None:
        alias = UnitAlias.objects.select_related("unit").filter(jurisdiction=jurisdiction, name_key=key).first()
        unit = alias.unit if alias else None
    return unit


@transaction.atomic
def unit_ensure(*, jurisdiction: Jurisdiction, name: str, actor=None) -> Unit:
    unit = unit_resolve(jurisdiction=jurisdiction, name=name)
    if unit is None:
        unit = Unit(jurisdiction=jurisdiction, name=name.strip(), kind=guess_unit_kind(name))
        unit.full_clean(exclude=["name_key"])
        unit.save()
        audit_record(actor=actor, action="unit.create", instance=unit, after=snapshot(unit))
    return unit


@transaction.atomic
def unit_alias_add(*, unit: Unit, alias: str, actor=None) -> UnitAlias:
    """Record another spelling of a unit; refuses a spelling that already names another unit."""
    other = unit_resolve(jurisdiction=unit.jurisdiction, name=alias)
    if other is not None and other != unit:
        raise DomainError(
            _("%(alias)s already names %(other)s in this jurisdiction.") % {"alias": alias, "other": other.name}
        )
    if other == unit:
        existing = UnitAlias.objects.filter(unit=unit, name_key=normalize_name(alias)).first()
        if existing or unit.name_key == normalize_name(alias):
            return existing
    entry = UnitAlias(unit=unit, name=alias.strip())
    entry.save()
    audit_record(actor=actor, action="unit.alias_add", instance=entry, after=snapshot(entry))
    return entry
