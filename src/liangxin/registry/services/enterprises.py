"""Enterprises: one record per 统一社会信用代码, merged whenever the code is seen again."""

from django.db import transaction

from liangxin.core.audit import audit_record, snapshot
from liangxin.core.idcodes import normalise_uscc

from ..enums import EnterpriseRole
from ..models import Enterprise, Product
from ..validators import clean_enum_list, clean_tags

_MERGED_TEXT = ("address", "industry", "size", "contact_name", "contact_phone", "description")
_MERGED_NUMBERS = ("scale_revenue_wan", "employees")
_EDITABLE = (*_MERGED_TEXT, *_MERGED_NUMBERS, "name", "jurisdiction", "flags", "roles")


@transaction.atomic
def enterprise_upsert(
    *, actor, uscc: str, name: str, jurisdiction=None, flags=(), roles=(), **fields
) -> tuple[Enterprise, bool]:
    """The enterprise with this code, created or merged: a code seen again never makes a second record.

    On a merge the name is updated to the latest one given, empty fields are filled, and flags and
    roles are added to those already known (never removed). Returns (enterprise, created).
    """
    code = normalise_uscc(uscc)
    flags = clean_tags(flags)
    roles = clean_enum_list(roles, EnterpriseRole, "roles")
    enterprise = Enterprise.objects.select_for_update().filter(uscc=code).first()
    if enterprise is None:
        enterprise = Enterprise(uscc=code, name=name.strip(), jurisdiction=jurisdiction, flags=flags, roles=roles)
        for key in (*_MERGED_TEXT, *_MERGED_NUMBERS):
            if fields.get(key) not in (None, ""):
                setattr(enterprise, key, fields[key])
        enterprise.full_clean()
        enterprise.save()
        audit_record(actor=actor, action="enterprise.create", instance=enterprise, after=snapshot(enterprise))
        return enterprise, True
    before = snapshot(enterprise)
    if name and name.strip():
        enterprise.name = name.strip()
    if jurisdiction is not None and enterprise.jurisdiction_id is None:
        enterprise.jurisdiction = jurisdiction
    for key in (*_MERGED_TEXT, *_MERGED_NUMBERS):
        if fields.get(key) not in (None, "") and getattr(enterprise, key) in (None, ""):
            setattr(enterprise, key, fields[key])
    enterprise.flags = list(dict.fromkeys([*enterprise.flags, *flags]))
    enterprise.roles = list(dict.fromkeys([*enterprise.roles, *roles]))
    enterprise.full_clean()
    after = snapshot(enterprise)
    if after != before:
        enterprise.save()
        audit_record(actor=actor, action="enterprise.merge", instance=enterprise, before=before, after=after)
        _sync_products_locality(enterprise)
    return enterprise, False


@transaction.atomic
def enterprise_update(*, actor, enterprise: Enterprise, **fields) -> Enterprise:
    """Edit an enterprise's record (its code never changes: a different code is a different enterprise)."""
    before = snapshot(enterprise)
    for key, value in fields.items():
        if key not in _EDITABLE:
            raise TypeError(f"enterprise_update does not take {key}")
        if key == "flags":
            value = clean_tags(value)
        elif key == "roles":
            value = clean_enum_list(value, EnterpriseRole, "roles")
        elif isinstance(value, str):
            value = value.strip()
        setattr(enterprise, key, value)
    enterprise.full_clean()
    enterprise.save()
    audit_record(
        actor=actor, action="enterprise.update", instance=enterprise, before=before, after=snapshot(enterprise)
    )
    _sync_products_locality(enterprise)
    return enterprise


def _sync_products_locality(enterprise: Enterprise) -> None:
    Product.objects.filter(enterprise=enterprise).exclude(local=enterprise.jurisdiction_id is not None).update(
        local=enterprise.jurisdiction_id is not None
    )
