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

from django.db.models import Count, Min, Q
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


def names_under(jurisdiction: Jurisdiction) -> list[str]:
    return list(jurisdiction.subtree().values_list("name", flat=True))


def check_address(address: str, jurisdiction: Jurisdiction, *, names: list[str] | None = None) -> None:
    """The delivery address must name the programme's jurisdiction (or a place under it)."""
    text = unicodedata.normalize("NFKC", address or "").replace(" ", "")
    if not text:
        raise ClaimRefused(RejectCode.OUTSIDE_JURISDICTION, _("The delivery address is missing."))
    if names is None:
        names = names_under(jurisdiction)
    if not any(name and name in text for name in names):
        raise ClaimRefused(
            RejectCode.OUTSIDE_JURISDICTION,
            _("The delivery address %(address)s is not in %(place)s.") % {"address": address, "place": jurisdiction},
        )


@dataclass
class Neighbours:
    """What the live claims already say about a new claim, read in one query (see neighbours())."""

    serial_taken: bool = False
    invoice_taken: bool = False
    taken_slots: set = field(default_factory=set)
    recent_lowest: Decimal | None = None
    recent_count: int = 0
    shared: dict = field(default_factory=dict)  # phone/device/address -> other buyers


def neighbours(
    *,
    programme,
    merchant,
    category: str,
    serial_number: str,
    invoice_no: str,
    buyer_id_hash: str,
    limit: int,
    product_model: str,
    purchased_on,
    phone_hash: str,
    device_id: str,
    delivery_key: str,
) -> Neighbours:
    """One aggregate over the live claims that can matter to a new claim: the same serial number or
    invoice, this buyer's slots in the category, the merchant's recent prices for the model, and
    other buyers sharing the phone, device or address. One round trip instead of eight."""
    live = ~Q(state__in=CLAIM_DEAD_STATES)
    where = Q(pk__in=[])
    aggregates = {}

    def add(name, condition, aggregate):
        nonlocal where
        where |= condition
        aggregates[name] = aggregate

    if serial_number:
        add(
            "serial",
            Q(category=category, serial_number=serial_number),
            Count("id", filter=Q(category=category, serial_number=serial_number)),
        )
    add(
        "invoice",
        Q(programme=programme, invoice_no=invoice_no),
        Count("id", filter=Q(programme=programme, invoice_no=invoice_no)),
    )
    mine = Q(programme=programme, category=category, buyer_id_hash=buyer_id_hash)
    for slot in range(1, limit + 1):
        add(f"slot{slot}", mine, Count("id", filter=mine & Q(slot=slot)))
    if product_model:
        recent = Q(
            merchant=merchant,
            product_model=product_model,
            purchased_on__gte=purchased_on - timedelta(days=PRICE_WINDOW_DAYS),
            purchased_on__lte=purchased_on,
        )
        add("low", recent, Min("invoice_total", filter=recent))
        add("recent", recent, Count("id", filter=recent))
    for label, field_name, value in (
        ("phone", "buyer_phone_hash", phone_hash),
        ("device", "device_id", device_id),
        ("address", "delivery_key", delivery_key),
    ):
        if value:
            shared = Q(programme=programme, **{field_name: value}) & ~Q(buyer_id_hash=buyer_id_hash)
            add(f"bulk_{label}", shared, Count("buyer_id_hash", filter=shared, distinct=True))
    row = Claim.objects.filter(live & where).aggregate(**aggregates)
    return Neighbours(
        serial_taken=bool(row.get("serial")),
        invoice_taken=bool(row.get("invoice")),
        taken_slots={slot for slot in range(1, limit + 1) if row.get(f"slot{slot}")},
        recent_lowest=row.get("low"),
        recent_count=row.get("recent") or 0,
        shared={label: row[f"bulk_{label}"] for label in ("phone", "device", "address") if row.get(f"bulk_{label}")},
    )


def check_duplicates(found: Neighbours, *, serial_number: str, invoice_no: str) -> None:
    if found.serial_taken:
        raise ClaimRefused(
            RejectCode.DUPLICATE_SERIAL,
            _("The serial number %(serial)s has already been claimed.") % {"serial": serial_number},
        )
    if found.invoice_taken:
        raise ClaimRefused(
            RejectCode.DUPLICATE_INVOICE, _("The invoice %(no)s has already been claimed.") % {"no": invoice_no}
        )


def free_slot(found: Neighbours, *, limit: int) -> int:
    """The lowest slot this person has free in the category, or ClaimRefused when all are used."""
    for slot in range(1, limit + 1):
        if slot not in found.taken_slots:
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


def check_price_hike(found: Neighbours, *, product_model: str, invoice_total) -> Suspicion | None:
    """A price above the merchant's lowest price for the same model in the last 30 days (by more
    than 5 %) may have been raised before the discount."""
    lowest = found.recent_lowest
    if not product_model or lowest is None or money(invoice_total) <= money(lowest * (1 + PRICE_HIKE_TOLERANCE)):
        return None
    return Suspicion(
        FlagKind.PRICE_HIKE,
        {
            "model": product_model,
            "price": str(money(invoice_total)),
            "recent_lowest": str(money(lowest)),
            "recent_claims": found.recent_count,
            "window_days": PRICE_WINDOW_DAYS,
            "increase_percent": str(money((money(invoice_total) / lowest - 1) * 100)),
        },
    )


def check_bulk_buying(
    found: Neighbours, *, programme, buyer_id_hash: str, phone_hash: str, device_id: str, delivery_key: str
) -> Suspicion | None:
    """Many different buyers sharing one phone, device or delivery address: possibly identities
    bought in bulk. Flagged when at least three other buyers share one of them."""
    values = {
        "phone": ("buyer_phone_hash", phone_hash),
        "device": ("device_id", device_id),
        "address": ("delivery_key", delivery_key),
    }
    shared = {}
    for label, others in found.shared.items():
        if others >= BULK_OTHER_BUYERS:
            field_name, value = values[label]
            rows = live_claims().filter(programme=programme, **{field_name: value}).exclude(buyer_id_hash=buyer_id_hash)
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
