"""Writes of the network registry: sites, their status changes, mobile routes and town centres.

Every write checks who may make it, validates the whole record (`full_clean`), and leaves an audit
entry with the state before and after; a site's history page is read from those entries.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liangxin.core.audit import audit_record, snapshot
from liangxin.core.enums import JurisdictionKind
from liangxin.core.idcodes import uscc_problem
from liangxin.core.models import Jurisdiction, Unit
from liangxin.core.services import DomainError, jurisdiction_ensure_path
from liangxin.registry.services import enterprise_upsert

from .. import rules
from ..enums import SiteLevel, SiteStatus
from ..geo import to_decimal
from ..models import RouteStop, Site, SiteStatusChange, TownCentre
from ..validators import coordinates_problem


class RecyclingError(DomainError):
    """A rule of the recycling network was broken; the message is for the user."""


SITE_FIELDS = (
    "town",
    "level",
    "name",
    "operator",
    "address",
    "lat",
    "lng",
    "datum",
    "hours",
    "phone",
    "categories",
    "two_networks",
    "responsible_unit",
    "notes",
)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _may_edit(actor, jurisdiction) -> bool:
    # actor None is the system itself (the demo loader, management commands).
    return actor is None or rules.can_edit_network(actor, jurisdiction)


def operator_resolve(*, actor, jurisdiction, uscc: str, name: str = ""):
    """The operating enterprise for a 统一社会信用代码 (created or merged in the registry); None when blank."""
    uscc = (uscc or "").strip()
    if not uscc:
        if name and name.strip():
            raise ValidationError({"operator_uscc": _("Give the operator's unified social credit code.")})
        return None
    problem = uscc_problem(uscc)
    if problem:
        raise ValidationError({"operator_uscc": problem})
    enterprise, _created = enterprise_upsert(
        actor=actor, uscc=uscc, name=(name or "").strip() or uscc, jurisdiction=jurisdiction
    )
    return enterprise


def town_resolve(*, actor, jurisdiction: Jurisdiction, name: str) -> Jurisdiction | None:
    """The town or sub-district of the jurisdiction with this name; a new one when the name reads as a
    town (…镇, …乡, …街道), refused otherwise (a typo should not make a town)."""
    name = (name or "").strip()
    if not name:
        return None
    town = Jurisdiction.objects.filter(parent=jurisdiction, name=name).first()
    if town is not None:
        return town
    if not name.endswith(("镇", "乡", "街道")):
        raise ValidationError(
            {"town": _("%(town)s is not a town of %(district)s.") % {"town": name, "district": jurisdiction.name}}
        )
    return jurisdiction_ensure_path(path=f"{jurisdiction.full_name}/{name}", actor=actor)


def _coordinate(value, field: str) -> Decimal:
    try:
        return to_decimal(Decimal(str(value).strip()))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: _("“%(value)s” is not a number.") % {"value": value}}) from None


def _check_coordinates(lat, lng) -> None:
    problem = coordinates_problem(lat, lng)
    if problem:
        raise ValidationError({"lat": problem})


def _apply(site: Site, fields: dict) -> None:
    unknown = set(fields) - set(SITE_FIELDS)
    if unknown:
        raise RecyclingError(_("Unknown site fields: %s") % ", ".join(sorted(unknown)))
    for name, value in fields.items():
        if name in ("lat", "lng"):
            value = _coordinate(value, name)
        if name == "categories":
            value = list(value or [])
        if name in ("hours", "phone", "notes", "name", "address") and value is not None:
            value = str(value).strip()
        setattr(site, name, value)


@transaction.atomic
def site_create(
    *,
    actor,
    jurisdiction: Jurisdiction,
    status: str = SiteStatus.PLANNED,
    status_since: datetime.date | None = None,
    status_reason: str = "",
    **fields,
) -> Site:
    """Register a site; its first status change (from nothing to `status` on `status_since`) is recorded.

    A reporter's site is answered for by the reporter's unit unless another is named.
    """
    _require(_may_edit(actor, jurisdiction), _("You may not register recycling sites in %s.") % jurisdiction.name)
    site = Site(jurisdiction=jurisdiction, status=status, status_since=status_since or timezone.localdate())
    _apply(site, fields)
    if site.responsible_unit_id is None and actor is not None and getattr(actor, "unit_id", None):
        site.responsible_unit_id = actor.unit_id
    site.created_by = actor if actor is not None and actor.is_authenticated else None
    if site.lat is not None and site.lng is not None:
        _check_coordinates(site.lat, site.lng)
    if site.status_since > timezone.localdate():
        raise ValidationError({"status_since": _("The status date cannot be in the future.")})
    site.full_clean()
    site.save()
    SiteStatusChange.objects.create(
        site=site,
        from_status="",
        to_status=site.status,
        on=site.status_since,
        actor=site.created_by,
        reason=status_reason or _("Registered."),
    )
    audit_record(actor=actor, action="recycling.site_create", instance=site, after=snapshot(site))
    return site


@transaction.atomic
def site_update(*, actor, site: Site, **fields) -> Site:
    """Change a site's details (not its status: that is `site_set_status`, with its date)."""
    site = Site.objects.select_for_update().get(pk=site.pk)
    _require(_may_edit(actor, site.jurisdiction), _("You may not edit this recycling site."))
    before = snapshot(site)
    _apply(site, fields)
    if site.lat is not None and site.lng is not None:
        _check_coordinates(site.lat, site.lng)
    site.full_clean()
    after = snapshot(site)
    if after != before:
        site.save()
        audit_record(actor=actor, action="recycling.site_update", instance=site, before=before, after=snapshot(site))
    return site


@transaction.atomic
def site_set_status(*, actor, site: Site, status: str, on: datetime.date, reason: str = "") -> SiteStatusChange:
    """Open, close or re-plan a site as of a date. The date may not be in the future nor before the
    site's last change, so the counts over time read from the changes stay exact."""
    site = Site.objects.select_for_update().get(pk=site.pk)
    _require(_may_edit(actor, site.jurisdiction), _("You may not change this recycling site's status."))
    if status not in SiteStatus.values:
        raise ValidationError({"status": _("Unknown status %(status)s.") % {"status": status}})
    if status == site.status:
        raise RecyclingError(_("The site is already %(status)s.") % {"status": SiteStatus(status).label})
    if on > timezone.localdate():
        raise ValidationError({"on": _("The effective date cannot be in the future.")})
    last = site.status_changes.order_by("-on", "-id").first()
    if last is not None and on < last.on:
        raise ValidationError(
            {"on": _("The effective date cannot be before the last change (%(date)s).") % {"date": last.on}}
        )
    before = snapshot(site)
    change = SiteStatusChange(
        site=site,
        from_status=site.status,
        to_status=status,
        on=on,
        actor=actor if actor is not None and actor.is_authenticated else None,
        reason=(reason or "").strip(),
    )
    change.full_clean()
    change.save()
    site.status, site.status_since = status, on
    site.save(update_fields=["status", "status_since", "updated_at"])
    audit_record(actor=actor, action="recycling.site_status", instance=site, before=before, after=snapshot(site))
    return change


@transaction.atomic
def route_set(*, actor, site: Site, stops: list[dict]) -> list[RouteStop]:
    """Replace a mobile collection vehicle's route: stops with place, lat, lng (GCJ-02) and schedule."""
    _require(_may_edit(actor, site.jurisdiction), _("You may not edit this recycling site."))
    if site.level != SiteLevel.MOBILE:
        raise RecyclingError(_("Only a mobile collection vehicle has a route."))
    before = [
        {"place": s.place, "lat": str(s.lat), "lng": str(s.lng), "schedule": s.schedule} for s in site.stops.all()
    ]
    site.stops.all().delete()
    created = []
    for position, data in enumerate(stops, start=1):
        lat, lng = _coordinate(data.get("lat"), "lat"), _coordinate(data.get("lng"), "lng")
        _check_coordinates(lat, lng)
        stop = RouteStop(
            site=site,
            position=position,
            place=str(data.get("place", "")).strip(),
            lat=lat,
            lng=lng,
            schedule=str(data.get("schedule", "")).strip(),
        )
        stop.full_clean()
        stop.save()
        created.append(stop)
    after = [{"place": s.place, "lat": str(s.lat), "lng": str(s.lng), "schedule": s.schedule} for s in created]
    audit_record(
        actor=actor,
        action="recycling.route_set",
        instance=site,
        before={"stops": before},
        after={"stops": after},
    )
    return created


@transaction.atomic
def town_centre_set(*, actor, town: Jurisdiction, lat, lng, population: int | None = None) -> TownCentre:
    """Where a town's centre is (GCJ-02): coverage gaps are measured from it."""
    district = town.parent
    _require(district is not None and _may_edit(actor, district), _("You may not edit the towns of this jurisdiction."))
    if town.kind != JurisdictionKind.TOWN:
        raise RecyclingError(_("%s is not a town or sub-district.") % town.name)
    lat, lng = _coordinate(lat, "lat"), _coordinate(lng, "lng")
    _check_coordinates(lat, lng)
    centre = TownCentre.objects.filter(town=town).first() or TownCentre(town=town)
    before = snapshot(centre) if centre.pk else None
    centre.lat, centre.lng, centre.population = lat, lng, population
    centre.full_clean()
    centre.save()
    audit_record(
        actor=actor, action="recycling.town_centre_set", instance=centre, before=before, after=snapshot(centre)
    )
    return centre


def unit_of(jurisdiction: Jurisdiction, name: str) -> Unit | None:
    from liangxin.core.services import unit_resolve

    return unit_resolve(jurisdiction=jurisdiction, name=name) if name and name.strip() else None
