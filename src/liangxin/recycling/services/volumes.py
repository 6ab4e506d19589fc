"""Writes of the monthly returns: entering (with the spike check) and confirming a flagged return.

A return is flagged instead of counted when it is far out of line: more than SPIKE_FACTOR times the
median of the site's previous months for that category, or — for a site's first return of a
category — more than FIRST_FACTOR times the median of the district's other sites that month.
A flagged return counts once the office or the entering unit confirms it with a reason.
"""

import datetime
import statistics
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liangxin.core.audit import audit_record, snapshot

from .. import rules
from ..enums import CATEGORY_UNIT, Category, ReturnState
from ..models import Site, VolumeReturn
from .sites import RecyclingError

SPIKE_FACTOR = Decimal(3)
SPIKE_HISTORY_MONTHS = 12
SPIKE_MIN_HISTORY = 3
FIRST_FACTOR = Decimal(10)
FIRST_MIN_PEERS = 5


def _fmt(value: Decimal) -> str:
    """22.000 → "22", 12.50 → "12.5": figures in messages as people write them."""
    return format(Decimal(value).normalize(), "f")


def month_start(value: datetime.date) -> datetime.date:
    return value.replace(day=1)


def _quantity(value) -> Decimal:
    try:
        quantity = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({"quantity": _("“%(value)s” is not a number.") % {"value": value}}) from None
    if not quantity.is_finite():
        raise ValidationError({"quantity": _("“%(value)s” is not a number.") % {"value": value}})
    if quantity < 0:
        raise ValidationError({"quantity": _("The quantity cannot be negative.")})
    return quantity


def spike_reason(*, site: Site, month: datetime.date, category: str, quantity: Decimal) -> str:
    """Why this quantity needs confirmation, or "" when it is in line."""
    unit = CATEGORY_UNIT[category]
    earlier = list(
        VolumeReturn.objects.filter(site=site, category=category, month__lt=month)
        .exclude(state=ReturnState.FLAGGED)
        .order_by("-month")
        .values_list("quantity", flat=True)[:SPIKE_HISTORY_MONTHS]
    )
    if len(earlier) >= SPIKE_MIN_HISTORY:
        median = Decimal(statistics.median(earlier))
        if median > 0 and quantity > SPIKE_FACTOR * median:
            return _(
                "%(quantity)s %(unit)s is more than %(factor)s× the median of the site's previous %(n)s months "
                "(%(median)s %(unit)s)."
            ) % {
                "quantity": _fmt(quantity),
                "unit": unit,
                "factor": SPIKE_FACTOR,
                "n": len(earlier),
                "median": _fmt(median),
            }
        return ""
    if earlier:
        return ""
    peers = list(
        VolumeReturn.objects.filter(site__jurisdiction=site.jurisdiction, category=category, month=month)
        .exclude(site=site)
        .exclude(state=ReturnState.FLAGGED)
        .values_list("quantity", flat=True)
    )
    if len(peers) >= FIRST_MIN_PEERS:
        median = Decimal(statistics.median(peers))
        if median > 0 and quantity > FIRST_FACTOR * median:
            return _(
                "A first return of %(quantity)s %(unit)s is more than %(factor)s× the district's typical site "
                "this month (%(median)s %(unit)s)."
            ) % {"quantity": _fmt(quantity), "unit": unit, "factor": FIRST_FACTOR, "median": _fmt(median)}
    return ""


@transaction.atomic
def return_enter(
    *, actor, site: Site, month: datetime.date, category: str, quantity, unit: str | None = None
) -> VolumeReturn:
    """Enter (or correct) a site's return for a month and category; flags a spike for confirmation."""
    if actor is not None and not rules.can_enter_returns(actor, site):
        raise PermissionDenied(_("You may not enter returns for this site."))
    if category not in Category.values:
        raise ValidationError(
            {
                "category": _("Unknown category %(codes)s; allowed: %(allowed)s.")
                % {"codes": category, "allowed": ", ".join(Category.values)}
            }
        )
    expected = CATEGORY_UNIT[category]
    unit = (unit or "").strip() or expected
    if unit != expected:
        raise ValidationError(
            {
                "unit": _("%(category)s are counted in %(unit)s, not in %(given)s.")
                % {"category": Category(category).label, "unit": expected, "given": unit}
            }
        )
    quantity = _quantity(quantity)
    if month > timezone.localdate():
        raise ValidationError({"month": _("The month cannot be in the future.")})
    month = month_start(month)
    ret = VolumeReturn.objects.select_for_update().filter(site=site, month=month, category=category).first()
    before = snapshot(ret) if ret else None
    if ret is None:
        ret = VolumeReturn(site=site, month=month, category=category)
    ret.quantity, ret.unit = quantity, unit
    ret.entered_by = actor if actor is not None and actor.is_authenticated else None
    reason = spike_reason(site=site, month=month, category=category, quantity=quantity)
    ret.state = ReturnState.FLAGGED if reason else ReturnState.ENTERED
    ret.flag_reason = reason
    ret.confirm_reason, ret.confirmed_by, ret.confirmed_at = "", None, None
    ret.full_clean()
    ret.save()
    audit_record(
        actor=actor,
        action="recycling.return_update" if before else "recycling.return_enter",
        instance=ret,
        before=before,
        after=snapshot(ret),
    )
    return ret


@transaction.atomic
def return_confirm(*, actor, ret: VolumeReturn, reason: str) -> VolumeReturn:
    """Confirm a flagged return with a reason (e.g. "以旧换新活动集中回收"); from then on it counts."""
    ret = VolumeReturn.objects.select_for_update().select_related("site__jurisdiction").get(pk=ret.pk)
    if actor is not None and not rules.can_confirm_return(actor, ret):
        raise PermissionDenied(_("Only the office or the unit entering the site's returns confirms them."))
    if ret.state != ReturnState.FLAGGED:
        raise RecyclingError(_("Only a flagged return needs confirmation."))
    if not reason or not reason.strip():
        raise ValidationError({"reason": _("Say why the figure is right.")})
    before = snapshot(ret)
    ret.state = ReturnState.CONFIRMED
    ret.confirm_reason = reason.strip()
    ret.confirmed_by = actor if actor is not None and actor.is_authenticated else None
    ret.confirmed_at = timezone.now()
    ret.save(update_fields=["state", "confirm_reason", "confirmed_by", "confirmed_at", "updated_at"])
    audit_record(actor=actor, action="recycling.return_confirm", instance=ret, before=before, after=snapshot(ret))
    return ret
