"""Merchant claims: submission (one or a batch), the state machine, flags, reveal.

submitted → accepted → reviewed → approved (reserves the subsidy from the budget, in the same
transaction) → paid (by the payouts: claim_mark_paid); or rejected with a reason code from any
state before paid. A refund voids a claim (services.refunds).
"""

import datetime
import secrets
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liangxin.core import pii
from liangxin.core.audit import audit_record, snapshot
from liangxin.core.services import DomainError

from ..enums import CLAIM_TRANSITIONS, BudgetState, ClaimState, FlagState, RejectCode, VoucherState
from ..formula import ClaimFacts, FormulaError, category_of, check_claim, deadlines_of, money
from ..models import Budget, Claim, ClaimEvent, ClaimFlag, Merchant, Programme, Voucher, VoucherWindow
from . import checks
from .budget import budget_accepts_new_claims, budget_auto_switch, budget_pay, budget_release_back, budget_reserve
from .checks import ClaimRefused
from .programmes import rule_version_for
from .vouchers import phone_problem, voucher_restore, voucher_use

MAX_BATCH = 1000
_NUMBER_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

CLAIM_FIELDS = (
    "buyer_name",
    "buyer_id",
    "buyer_phone",
    "category",
    "product_model",
    "energy_grade",
    "serial_number",
    "purchased_on",
    "price_paid",
    "subsidy",
    "invoice_total",
    "invoice_no",
    "invoice_title_type",
    "delivery_address",
    "device_id",
    "voucher_code",
    "recycler_handover_no",
    "scrappage_certificate_no",
    "vin",
    "first_registration_date",
    "route",
    "powertrain",
    "displacement",
)


def _new_number(year: int) -> str:
    # 10 random characters (50 bits): no shared counter row for concurrent submissions to queue on.
    body = "".join(secrets.choice(_NUMBER_ALPHABET) for _ in range(10))
    return f"TI{year}-{body[:5]}-{body[5:]}"


def _event(claim, from_state, to_state, actor, note=""):
    ClaimEvent.objects.create(
        claim=claim,
        from_state=from_state,
        to_state=to_state,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        note=note[:500],
    )


@dataclass
class SubmitResult:
    claim: Claim
    created: bool
    flags: list[str]


def _text(data, key, limit=None) -> str:
    value = data.get(key)
    value = "" if value is None else str(value).strip()
    return value[:limit] if limit else value


def _cached(cache: dict, key, compute):
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def _has_window(programme, code, cache) -> bool:
    return _cached(
        cache,
        ("window", programme.pk, code),
        lambda: VoucherWindow.objects.filter(programme=programme, category=code).exists(),
    )


def _prepare(
    *, merchant: Merchant, programme: Programme, data: dict, now, cache: dict
) -> tuple[Claim, list, Voucher | None]:
    """Run every check; the unsaved claim, its suspicions and the voucher it uses, or ClaimRefused.
    `cache` keeps what does not change within a batch (rule versions, place names, windows)."""
    checks.check_merchant(merchant, programme)
    buyer_name = _text(data, "buyer_name", 100)
    if not buyer_name:
        raise ClaimRefused(RejectCode.DOCUMENTS, _("The buyer's name is missing."))
    identity = pii.normalise_identity(_text(data, "buyer_id"))
    checks.check_identity(identity)
    phone = _text(data, "buyer_phone")
    if phone and phone_problem(phone):
        raise ClaimRefused(RejectCode.DOCUMENTS, phone_problem(phone))
    purchased_on = data.get("purchased_on")
    if not isinstance(purchased_on, datetime.date):
        raise ClaimRefused(RejectCode.DOCUMENTS, _("The purchase date is missing."))
    if not programme.starts_on <= purchased_on <= programme.ends_on or purchased_on > timezone.localdate(now):
        raise ClaimRefused(
            RejectCode.OUT_OF_PERIOD,
            _("The purchase date %(date)s is outside the programme (%(start)s – %(end)s) or in the future.")
            % {"date": purchased_on, "start": programme.starts_on, "end": programme.ends_on},
        )
    version = _cached(
        cache, ("version", programme.pk, purchased_on), lambda: rule_version_for(programme=programme, on=purchased_on)
    )
    if version is None:
        raise ClaimRefused(
            RejectCode.OUT_OF_PERIOD, _("No rules apply to purchases of %(date)s.") % {"date": purchased_on}
        )

    budget = Budget.objects.filter(programme=programme).first()
    refusal = budget_accepts_new_claims(budget=budget, purchased_on=purchased_on, now=now)
    if refusal:
        raise ClaimRefused(RejectCode.BUDGET_EXHAUSTED, refusal)
    if budget is not None and budget.state == BudgetState.THROTTLED:
        refusal = checks.throttle_problem(programme=programme, per_minute=budget.throttle_per_minute, now=now)
        if refusal:
            raise ClaimRefused("throttled", refusal)

    price_paid, subsidy = data.get("price_paid"), data.get("subsidy")
    if price_paid is None or subsidy is None:
        raise ClaimRefused(RejectCode.DOCUMENTS, _("The price paid and the subsidy are both required."))
    price_paid, subsidy = money(price_paid), money(subsidy)
    if price_paid <= 0 or subsidy < 0:
        raise ClaimRefused(
            RejectCode.PRICE_OUT_OF_RANGE, _("The price paid must be more than zero and the subsidy not negative.")
        )
    invoice_total = price_paid + subsidy
    if data.get("invoice_total") is not None and money(data["invoice_total"]) != invoice_total:
        raise ClaimRefused(
            RejectCode.DOCUMENTS,
            _("The invoice total %(total)s is not the price paid %(paid)s plus the subsidy %(subsidy)s.")
            % {"total": money(data["invoice_total"]), "paid": price_paid, "subsidy": subsidy},
        )
    invoice_no = _text(data, "invoice_no", 50)
    if not invoice_no:
        raise ClaimRefused(RejectCode.DOCUMENTS, _("The invoice number is missing."))
    title_type = _text(data, "invoice_title_type") or "person"
    checks.check_invoice_title(title_type)

    code = _text(data, "category", 50)
    category = category_of(version.rules, code)
    displacement = data.get("displacement")
    facts = ClaimFacts(
        category=code,
        invoice_total=invoice_total,
        subsidy=subsidy,
        energy_grade=data.get("energy_grade"),
        route=_text(data, "route"),
        powertrain=_text(data, "powertrain"),
        displacement=Decimal(str(displacement)) if displacement is not None else None,
        serial_number=_text(data, "serial_number"),
        recycler_handover_no=_text(data, "recycler_handover_no"),
        scrappage_certificate_no=_text(data, "scrappage_certificate_no"),
        invoice_no=invoice_no,
    )
    try:
        check_claim(version.rules, facts)
    except FormulaError as exc:
        raise ClaimRefused(exc.code, exc.message) from exc
    vehicle = category.get("vehicle")

    delivery_address = _text(data, "delivery_address", 300)
    names = _cached(cache, ("names", programme.jurisdiction_id), lambda: checks.names_under(programme.jurisdiction))
    checks.check_address(delivery_address, programme.jurisdiction, names=names)
    serial = _text(data, "serial_number", 100)
    id_hash = pii.identity_hash(identity)
    product_model = _text(data, "product_model", 100)
    delivery_key = checks.address_key(delivery_address)
    phone_hash = pii.phone_hash(phone) if phone else ""
    device_id = _text(data, "device_id", 100)
    limit = category.get("per_person_limit", 1)
    found = checks.neighbours(
        programme=programme,
        merchant=merchant,
        category=code,
        serial_number=serial,
        invoice_no=invoice_no,
        buyer_id_hash=id_hash,
        limit=limit,
        product_model=product_model,
        purchased_on=purchased_on,
        phone_hash=phone_hash,
        device_id=device_id,
        delivery_key=delivery_key,
    )
    checks.check_duplicates(found, serial_number=serial, invoice_no=invoice_no)

    voucher = None
    voucher_code = _text(data, "voucher_code")
    # A voucher is needed for the categories the programme releases vouchers for.
    needs_voucher = programme.uses_vouchers and _has_window(programme, code, cache)
    if needs_voucher or voucher_code:
        voucher = (
            Voucher.objects.filter(code=voucher_code.upper(), programme=programme).first() if voucher_code else None
        )
        if voucher is None or voucher.category != code or voucher.person_hash != id_hash:
            raise ClaimRefused(
                RejectCode.VOUCHER_INVALID,
                _("A voucher of this buyer for this category is required; %(code)r is not one.")
                % {"code": voucher_code or "—"},
            )
        if voucher.state != VoucherState.LIVE or voucher.expires_at <= now:
            raise ClaimRefused(
                RejectCode.VOUCHER_INVALID, _("The voucher %(code)s is no longer valid.") % {"code": voucher.code}
            )

    slot = checks.free_slot(found, limit=limit)
    first_registration = data.get("first_registration_date")
    suspicions = []
    zero = checks.check_vehicle(vehicle=vehicle, purchased_on=purchased_on, first_registration_date=first_registration)
    if zero:
        suspicions.append(zero)
    hike = checks.check_price_hike(found, product_model=product_model, invoice_total=invoice_total)
    if hike:
        suspicions.append(hike)
    bulk = checks.check_bulk_buying(
        found,
        programme=programme,
        buyer_id_hash=id_hash,
        phone_hash=phone_hash,
        device_id=device_id,
        delivery_key=delivery_key,
    )
    if bulk:
        suspicions.append(bulk)

    deadlines = deadlines_of(version.rules)
    accept_due = now + timedelta(days=deadlines["accept_days"])
    review_due = accept_due + timedelta(days=deadlines["review_days"])
    claim = Claim(
        number=_new_number(programme.year),
        programme=programme,
        rule_version=version,
        merchant=merchant,
        buyer_name=buyer_name,
        buyer_id_enc=pii.encrypt(identity),
        buyer_id_hash=id_hash,
        buyer_id_masked=pii.mask_identity(identity),
        buyer_phone_enc=pii.encrypt(pii.normalise_phone(phone)) if phone else "",
        buyer_phone_hash=phone_hash,
        buyer_phone_masked=pii.mask_phone(phone) if phone else "",
        category=code,
        product_model=product_model,
        energy_grade=data.get("energy_grade"),
        serial_number=serial,
        purchased_on=purchased_on,
        price_paid=price_paid,
        subsidy=subsidy,
        invoice_total=invoice_total,
        invoice_no=invoice_no,
        invoice_title_type=title_type,
        delivery_address=delivery_address,
        delivery_key=delivery_key,
        device_id=device_id,
        voucher=voucher,
        recycler_handover_no=_text(data, "recycler_handover_no", 100),
        scrappage_certificate_no=_text(data, "scrappage_certificate_no", 100),
        vin=_text(data, "vin", 17).upper(),
        first_registration_date=first_registration,
        route=(vehicle or {}).get("route", ""),
        powertrain=(vehicle or {}).get("powertrain", ""),
        displacement=facts.displacement,
        slot=slot,
        state=ClaimState.SUBMITTED,
        submitted_at=now,
        accept_due=accept_due,
        review_due=review_due,
        pay_due=review_due + timedelta(days=deadlines["pay_days"]),
    )
    return claim, suspicions, voucher


def _conflict_reason(claim: Claim) -> ClaimRefused:
    """After a unique constraint refused the insert: which one, in words."""
    live = checks.live_claims()
    if claim.serial_number and live.filter(category=claim.category, serial_number=claim.serial_number).exists():
        return ClaimRefused(
            RejectCode.DUPLICATE_SERIAL,
            _("The serial number %(serial)s has already been claimed.") % {"serial": claim.serial_number},
        )
    if live.filter(programme_id=claim.programme_id, invoice_no=claim.invoice_no).exists():
        return ClaimRefused(
            RejectCode.DUPLICATE_INVOICE, _("The invoice %(no)s has already been claimed.") % {"no": claim.invoice_no}
        )
    if claim.voucher_id and live.filter(voucher_id=claim.voucher_id).exists():
        return ClaimRefused(RejectCode.VOUCHER_INVALID, _("The voucher has already been used."))
    return ClaimRefused(
        RejectCode.PERSON_LIMIT, _("This buyer has already been subsidised in this category, the most the rules allow.")
    )


def _original(merchant, key) -> SubmitResult | None:
    existing = Claim.objects.filter(merchant=merchant, idempotency_key=key).first()
    if existing is None:
        return None
    return SubmitResult(existing, False, list(existing.flags.values_list("kind", flat=True)))


def claim_submit(
    *,
    actor,
    merchant: Merchant,
    programme: Programme,
    idempotency_key: str,
    data: dict,
    now=None,
    cache: dict | None = None,
) -> SubmitResult:
    """Submit one claim. The same idempotency key from the same merchant returns the original claim
    (created False), whatever the data says and however many retries race. Refusals raise
    ClaimRefused with a RejectCode and store nothing."""
    key = (idempotency_key or "").strip()
    if not key or len(key) > 100:
        raise ClaimRefused("idempotency", _("Every claim needs an idempotency key of 1 to 100 characters."))
    existing = _original(merchant, key)
    if existing is not None:
        return existing
    now = now or timezone.now()
    for _attempt in range(2):
        try:
            claim, suspicions, voucher = _prepare(
                merchant=merchant, programme=programme, data=data, now=now, cache={} if cache is None else cache
            )
        except ClaimRefused:
            # A racing retry may have committed the original meanwhile: its serial number and invoice
            # now look taken, but the answer to a retry is the original claim.
            existing = _original(merchant, key)
            if existing is not None:
                return existing
            raise
        claim.idempotency_key = key
        try:
            with transaction.atomic():
                claim.save()
                if voucher is not None and not voucher_use(voucher=voucher, now=now):
                    raise IntegrityError("voucher no longer live")
                ClaimFlag.objects.bulk_create(
                    [ClaimFlag(claim=claim, kind=s.kind, evidence=s.evidence) for s in suspicions]
                )
                _event(claim, "", ClaimState.SUBMITTED, actor, note=", ".join(s.kind for s in suspicions))
                audit_record(actor=actor, action="tradein.claim_submit", instance=claim, after=_claim_snapshot(claim))
            return SubmitResult(claim, True, [s.kind for s in suspicions])
        except IntegrityError:
            existing = _original(merchant, key)
            if existing is not None:
                return existing
            if claim.voucher_id and not Voucher.objects.filter(pk=claim.voucher_id, state=VoucherState.LIVE).exists():
                raise ClaimRefused(RejectCode.VOUCHER_INVALID, _("The voucher is no longer valid.")) from None
            reason = _conflict_reason(claim)
            if reason.code != RejectCode.PERSON_LIMIT:
                raise reason from None
            # Another claim of this buyer took the slot a moment ago: look for the next free one.
    raise _conflict_reason(claim)


def _claim_snapshot(claim: Claim) -> dict:
    data = snapshot(claim)
    for secret in ("buyer_id_enc", "buyer_phone_enc"):
        data.pop(secret, None)
    return data


@dataclass
class BatchRow:
    index: int
    ok: bool
    claim: Claim | None = None
    created: bool = False
    flags: list | None = None
    code: str = ""
    reason: str = ""


def claim_submit_batch(
    *, actor, merchant: Merchant, programme: Programme, rows: list[dict], now=None
) -> list[BatchRow]:
    """Submit up to 1,000 claims; every row answered on its own, good rows kept even when others are
    refused. Each row dict carries its idempotency_key with the claim's fields."""
    if len(rows) > MAX_BATCH:
        raise DomainError(
            _("A batch holds at most %(n)s claims; this one has %(m)s.") % {"n": MAX_BATCH, "m": len(rows)}
        )
    results, cache = [], {}
    # One transaction for the batch (each row in its own savepoint): one commit instead of 1,000.
    with transaction.atomic():
        for index, row in enumerate(rows):
            try:
                result = claim_submit(
                    actor=actor,
                    merchant=merchant,
                    programme=programme,
                    idempotency_key=row.get("idempotency_key", ""),
                    data=row,
                    now=now,
                    cache=cache,
                )
            except ClaimRefused as exc:
                results.append(BatchRow(index=index, ok=False, code=exc.code, reason=exc.message))
            else:
                results.append(
                    BatchRow(index=index, ok=True, claim=result.claim, created=result.created, flags=result.flags)
                )
    return results


# --- the state machine ----------------------------------------------------------------------------


def _lock(claim: Claim) -> Claim:
    return Claim.objects.select_for_update().select_related("programme", "rule_version").get(pk=claim.pk)


@transaction.atomic
def claim_transition(*, actor, claim: Claim, to_state: str, note: str = "", now=None) -> Claim:
    """Move a claim one step: accept, review, approve. Approval needs every flag decided and
    reserves the subsidy from the budget in this same transaction (refused when the budget cannot
    pay)."""
    now = now or timezone.now()
    claim = _lock(claim)
    if to_state not in CLAIM_TRANSITIONS.get(claim.state, ()) or to_state == ClaimState.PAID:
        raise DomainError(
            _("A claim that is %(state)s cannot become %(to)s.")
            % {
                "state": ClaimState(claim.state).label,
                "to": ClaimState(to_state).label if to_state in ClaimState.values else to_state,
            }
        )
    before = _claim_snapshot(claim)
    deadlines = deadlines_of(claim.rule_version.rules)
    fields = ["state"]
    if to_state == ClaimState.ACCEPTED:
        claim.accepted_at = now
        claim.review_due = now + timedelta(days=deadlines["review_days"])
        claim.pay_due = claim.review_due + timedelta(days=deadlines["pay_days"])
        fields += ["accepted_at", "review_due", "pay_due"]
    elif to_state == ClaimState.REVIEWED:
        claim.reviewed_at = now
        claim.reviewer = actor if getattr(actor, "is_authenticated", False) else None
        fields += ["reviewed_at", "reviewer"]
    elif to_state == ClaimState.APPROVED:
        if claim.flags.filter(state=FlagState.OPEN).exists():
            raise DomainError(_("Decide the claim's open flags before approving it."))
        budget = Budget.objects.filter(programme_id=claim.programme_id).first()
        if budget is None:
            raise DomainError(_("The programme has no budget yet."))
        if budget.state == BudgetState.CLOSED:
            raise DomainError(_("The programme's budget is closed."))
        budget_reserve(budget=budget, amount=claim.subsidy, claim=claim, actor=actor, note=claim.number)
        claim.approved_at = now
        claim.pay_due = now + timedelta(days=deadlines["pay_days"])
        fields += ["approved_at", "pay_due"]
    claim.state = to_state
    claim.save(update_fields=fields)
    _event(claim, before["state"], to_state, actor, note)
    audit_record(
        actor=actor, action=f"tradein.claim_{to_state}", instance=claim, before=before, after=_claim_snapshot(claim)
    )
    if to_state == ClaimState.APPROVED:
        budget_auto_switch(budget=budget)
    return claim


@transaction.atomic
def claim_reject(*, actor, claim: Claim, code: str, reason: str, now=None) -> Claim:
    """Reject a claim before payment, with a reason code; an approved claim's reservation goes back
    to the budget, a voucher it used is live again (if not expired)."""
    now = now or timezone.now()
    if code not in RejectCode.values:
        raise DomainError(_("Unknown reason code %(code)r.") % {"code": code})
    if not reason.strip():
        raise DomainError(_("Give the reason for the rejection."))
    claim = _lock(claim)
    if claim.state not in (ClaimState.SUBMITTED, ClaimState.ACCEPTED, ClaimState.REVIEWED, ClaimState.APPROVED):
        raise DomainError(_("A claim that is %(state)s cannot be rejected.") % {"state": ClaimState(claim.state).label})
    if claim.state == ClaimState.APPROVED:
        _refuse_if_in_payment(claim)
    before = _claim_snapshot(claim)
    if claim.state == ClaimState.APPROVED:
        budget = Budget.objects.get(programme_id=claim.programme_id)
        budget_release_back(budget=budget, claim=claim, actor=actor, note=_("rejected"))
    claim.state, claim.reject_code, claim.reject_reason, claim.ended_at = ClaimState.REJECTED, code, reason[:500], now
    claim.save(update_fields=["state", "reject_code", "reject_reason", "ended_at"])
    if claim.voucher_id:
        voucher_restore(voucher=claim.voucher, now=now)
    _event(claim, before["state"], ClaimState.REJECTED, actor, f"{code}: {reason}")
    audit_record(
        actor=actor, action="tradein.claim_reject", instance=claim, before=before, after=_claim_snapshot(claim)
    )
    return claim


def _refuse_if_in_payment(claim: Claim) -> None:
    from ..enums import LineState

    if claim.payment_lines.filter(state=LineState.PENDING).exists():
        raise DomainError(_("The claim is in a payment batch waiting for the bank; take it out of the batch first."))


@transaction.atomic
def claim_mark_paid(*, claim: Claim, actor=None, paid_at=None, note: str = "") -> Claim:
    """The bank paid the claim (called by the payouts' reconciliation). Idempotent for a paid claim."""
    claim = _lock(claim)
    if claim.state == ClaimState.PAID:
        return claim
    if claim.state != ClaimState.APPROVED:
        raise DomainError(
            _("Only an approved claim can be paid; %(number)s is %(state)s.")
            % {"number": claim.number, "state": ClaimState(claim.state).label}
        )
    before = _claim_snapshot(claim)
    budget = Budget.objects.get(programme_id=claim.programme_id)
    budget_pay(budget=budget, claim=claim, actor=actor, note=note or claim.number)
    claim.state, claim.paid_at = ClaimState.PAID, paid_at or timezone.now()
    claim.save(update_fields=["state", "paid_at"])
    _event(claim, ClaimState.APPROVED, ClaimState.PAID, actor, note)
    audit_record(actor=actor, action="tradein.claim_paid", instance=claim, before=before, after=_claim_snapshot(claim))
    return claim


@transaction.atomic
def flag_decide(*, actor, flag: ClaimFlag, upheld: bool, reason: str, now=None) -> ClaimFlag:
    """A reviewer clears or upholds a flag, with a reason. Upholding rejects the claim."""
    now = now or timezone.now()
    if not reason.strip():
        raise DomainError(_("Give the reason for the decision."))
    flag = ClaimFlag.objects.select_for_update().select_related("claim").get(pk=flag.pk)
    if flag.state != FlagState.OPEN:
        raise DomainError(_("This flag has already been decided."))
    before = snapshot(flag)
    flag.state = FlagState.UPHELD if upheld else FlagState.CLEARED
    flag.reason, flag.decided_at = reason.strip()[:500], now
    flag.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    flag.full_clean()
    flag.save()
    audit_record(actor=actor, action="tradein.flag_decide", instance=flag, before=before, after=snapshot(flag))
    if upheld and flag.claim.state in (ClaimState.SUBMITTED, ClaimState.ACCEPTED, ClaimState.REVIEWED):
        claim_reject(
            actor=actor,
            claim=flag.claim,
            code=RejectCode.FLAG_UPHELD,
            reason=f"{flag.get_kind_display()}: {reason.strip()}",
            now=now,
        )
    return flag


def claim_reveal(*, actor, claim: Claim) -> dict:
    """The buyer's identity number and phone in full, for the claim's own reviewer; every reveal
    is written to the audit log (action tradein.claim_reveal). The caller checks the permission."""
    audit_record(
        actor=actor,
        action="tradein.claim_reveal",
        instance=claim,
        after={"fields": ["buyer_id", "buyer_phone"], "masked": claim.buyer_id_masked},
    )
    return {"buyer_id": pii.decrypt(claim.buyer_id_enc), "buyer_phone": pii.decrypt(claim.buyer_phone_enc)}
