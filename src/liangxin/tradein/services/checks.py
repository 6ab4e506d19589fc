"""The checks a claim passes at submission, and the suspicions it may raise.

A check that fails refuses the claim with a RejectCode (ClaimRefused). A suspicion does not refuse
it: it becomes a ClaimFlag with its evidence, for a reviewer to clear or uphold before approval.
The database has the last word on the duplicates (person slot, serial number, invoice, voucher):
these checks answer the common case with a clear reason; the constraints settle races.
"""

import unicodedata
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from liangxin.core.idcodes import resident_id_problem, uscc_problem
from liangxin.core.models import Jurisdiction
from liangxin.core.services import DomainError

from ..enums import CLAIM_DEAD_STATES, FlagKind, InvoiceTitleType, RejectCode
from ..formula import money
from ..models import Claim, Merchant, Programme

PRICE_WINDOW_DAYS = 30
PRICE_HIKE_TOLERANCE = Decimal("0.05")
BULK_OTHER_BUYERS = 3


class ClaimRefused(DomainError):
    """A claim that the rules refuse; `code` is a RejectCode (or "throttled", "idempotency")."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Suspicion:
    kind: str
    evidence: dict = field(default_factory=dict)


def live_claims():
    return Claim.objects.exclude(state__in=CLAIM_DEAD_STATES)


def address_key(address: str) -> str:
    text = unicodedata.normalize("NFKC", address or "")
    return "".join(text.split()).lower()[:300]


def check_merchant(merchant: Merchant, programme: Programme) -> None:
    if not merchant.active:
        raise ClaimRefused(RejectCode.BAD_MERCHANT, _("The merchant %(name)s is suspended.") % {"name": merchant.name})
    if merchant.jurisdiction_id != programme.jurisdiction_id:
        raise ClaimRefused(RejectCode.BAD_MERCHANT, _("The merchant does not take part in this programme."))
    problem = uscc_problem(merchant.enterprise.uscc)
    if problem:
        raise ClaimRefused(RejectCode.BAD_MERCHANT, problem)


def check_identity(identity: str) -> None:
    problem = resident_id_problem(identity)
    if problem:
        raise ClaimRefused(RejectCode.BAD_ID, problem)


def check_invoice_title(title_type: str) -> None:
    if title_type == InvoiceTitleType.COMPANY:
        raise ClaimRefused(
            RejectCode.COMPANY_INVOICE,
            _("The invoice is made out to a company; only purchases by individuals are subsidised."),
        )


def _names_under(jurisdiction: Jurisdiction) -> list[str]:
    return list(jurisdiction.subtree().values_list("name", flat=True))


def check_address(address: str, jurisdiction: Jurisdiction) -> None:
    """The delivery address must name the programme's jurisdiction (or a place under it)."""
    text = unicodedata.normalize("NFKC", address or "").replace(" ", "")
    if not text:
        raise ClaimRefused(RejectCode.OUTSIDE_JURISDICTION, _("The delivery address is missing."))
    if not any(name and name in text for name in _names_under(jurisdiction)):
        raise ClaimRefused(
            RejectCode.OUTSIDE_JURISDICTION,
            _("The delivery address %(address)s is not in %(place)s.") % {"address": address, "place": jurisdiction},
        )


def check_duplicates(*, programme: Programme, category: str, serial_number: str, invoice_no: str) -> None:
    if serial_number and live_claims().filter(category=category, serial_number=serial_number).exists():
        raise ClaimRefused(
            RejectCode.DUPLICATE_SERIAL,
            _("The serial number %(serial)s has already been claimed.") % {"serial": serial_number},
        )
    if live_claims().filter(programme=programme, invoice_no=invoice_no).exists():
        raise ClaimRefused(
            RejectCode.DUPLICATE_INVOICE, _("The invoice %(no)s has already been claimed.") % {"no": invoice_no}
        )


def free_slot(*, programme: Programme, category: str, buyer_id_hash: str, limit: int) -> int:
    """The lowest slot this person has free in the category, or ClaimRefused when all are used."""
    taken = set(
        live_claims()
        .filter(programme=programme, category=category, buyer_id_hash=buyer_id_hash)
        .values_list("slot", flat=True)
    )
    for slot in range(1, limit + 1):
        if slot not in taken:
            return slot
    raise ClaimRefused(
        RejectCode.PERSON_LIMIT,
        _("This buyer has already been subsidised %(n)s time(s) in this category, the most the rules allow.")
        % {"n": limit},
    )


def check_vehicle(*, vehicle: dict | None, purchased_on, first_registration_date) -> Suspicion | None:
    """A new car already registered before its sale is a zero-mileage car: within the window days
    before the purchase it is flagged, earlier than that it is a used car and refused."""
    if not vehicle or first_registration_date is None:
        return None
    days = (purchased_on - first_registration_date).days
    if days <= 0:
        return None
    window = vehicle.get("zero_mileage_days", 0)
    if days > window:
        raise ClaimRefused(
            RejectCode.NOT_ELIGIBLE,
            _("The car was first registered %(days)s days before its purchase: it is not a new car.") % {"days": days},
        )
    return Suspicion(
        FlagKind.ZERO_MILEAGE,
        {
            "first_registration_date": first_registration_date.isoformat(),
            "purchased_on": purchased_on.isoformat(),
            "days_registered_before_purchase": days,
            "window_days": window,
        },
    )


def check_price_hike(*, merchant, product_model: str, purchased_on, invoice_total) -> Suspicion | None:
    """A price above the merchant's lowest price for the same model in the last 30 days (by more
    than 5 %) may have been raised before the discount."""
    if not product_model:
        return None
    recent = live_claims().filter(
        merchant=merchant,
        product_model=product_model,
        purchased_on__gte=purchased_on - timedelta(days=PRICE_WINDOW_DAYS),
        purchased_on__lte=purchased_on,
    )
    lowest = recent.aggregate(low=Min("invoice_total"))["low"]
    if lowest is None or money(invoice_total) <= money(lowest * (1 + PRICE_HIKE_TOLERANCE)):
        return None
    return Suspicion(
        FlagKind.PRICE_HIKE,
        {
            "model": product_model,
            "price": str(money(invoice_total)),
            "recent_lowest": str(money(lowest)),
            "recent_claims": recent.count(),
            "window_days": PRICE_WINDOW_DAYS,
            "increase_percent": str(money((money(invoice_total) / lowest - 1) * 100)),
        },
    )


def check_bulk_buying(
    *, programme, buyer_id_hash: str, phone_hash: str, device_id: str, delivery_key: str
) -> Suspicion | None:
    """Many different buyers sharing one phone, device or delivery address: possibly identities
    bought in bulk. Flagged when at least three other buyers share one of them."""
    shared = {}
    base = live_claims().filter(programme=programme).exclude(buyer_id_hash=buyer_id_hash)
    for label, field_name, value in (
        ("phone", "buyer_phone_hash", phone_hash),
        ("device", "device_id", device_id),
        ("address", "delivery_key", delivery_key),
    ):
        if not value:
            continue
        rows = base.filter(**{field_name: value})
        others = rows.values("buyer_id_hash").distinct().count()
        if others >= BULK_OTHER_BUYERS:
            shared[label] = {
                "other_buyers": others,
                "claims": list(rows.order_by("id").values_list("number", flat=True)[:10]),
            }
    if not shared:
        return None
    return Suspicion(FlagKind.BULK_BUYING, {"shared": shared, "threshold": BULK_OTHER_BUYERS})


def throttle_problem(*, programme, per_minute: int, now=None) -> str | None:
    now = now or timezone.now()
    recent = Claim.objects.filter(programme=programme, submitted_at__gt=now - timedelta(minutes=1)).count()
    if recent >= per_minute:
        return _("The budget is nearly used up and claims are limited to %(n)s a minute; try again in a minute.") % {
            "n": per_minute
        }
    return None
