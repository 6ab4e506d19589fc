"""Reads of the trade-in app that depend on who asks; jurisdiction scoping lives here, once."""

from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from liangxin.core.enums import Role
from liangxin.core.selectors import jurisdictions_managed_by, jurisdictions_visible_to

from .enums import CLAIM_DEAD_STATES, ClaimState, ClawbackState, FlagState, LedgerKind
from .formula import money
from .models import Budget, BudgetBucket, BudgetEntry, Claim, ClaimFlag, Clawback, Programme, VoucherWindow
from .rules import merchant_of


def programmes_visible_to(user):
    if not user.is_authenticated:
        return Programme.objects.none()
    merchant = merchant_of(user)
    if user.role == Role.MERCHANT:
        if merchant is None or not merchant.active:
            return Programme.objects.none()
        return Programme.objects.filter(jurisdiction_id=merchant.jurisdiction_id)
    return Programme.objects.filter(jurisdiction__in=jurisdictions_visible_to(user)).select_related("jurisdiction")


def programmes_managed_by(user):
    return Programme.objects.filter(jurisdiction__in=jurisdictions_managed_by(user)).select_related("jurisdiction")


def programme_for(user, pk: int) -> Programme | None:
    return programmes_visible_to(user).filter(pk=pk).first()


def claims_visible_to(user):
    """A merchant its own claims; office, leaders and admins those of the programmes they see."""
    if not user.is_authenticated:
        return Claim.objects.none()
    base = Claim.objects.select_related("programme__jurisdiction", "merchant")
    if user.role == Role.MERCHANT:
        merchant = merchant_of(user)
        return base.filter(merchant=merchant) if merchant is not None else Claim.objects.none()
    return base.filter(programme__jurisdiction__in=jurisdictions_visible_to(user))


def claim_for(user, pk: int) -> Claim | None:
    return claims_visible_to(user).filter(pk=pk).first()


def claims_filtered(
    queryset,
    *,
    state: str | None = None,
    category: str | None = None,
    merchant_id: int | None = None,
    flagged: bool | None = None,
    overdue: bool | None = None,
    search: str = "",
    now=None,
):
    if state:
        queryset = queryset.filter(state=state)
    if category:
        queryset = queryset.filter(category=category)
    if merchant_id:
        queryset = queryset.filter(merchant_id=merchant_id)
    if flagged:
        queryset = queryset.filter(flags__state=FlagState.OPEN).distinct()
    if overdue:
        queryset = queryset.filter(overdue_q(now or timezone.now()))
    if search:
        from liangxin.core import pii

        term = search.strip()
        queryset = queryset.filter(
            Q(number__iexact=term)
            | Q(invoice_no=term)
            | Q(serial_number=term)
            | Q(buyer_name=term)
            | Q(product_model__icontains=term)
            | Q(buyer_id_hash=pii.identity_hash(term))
        )
    return queryset


def overdue_q(now) -> Q:
    """Claims past the deadline of the stage they are in (the 2026 rules: accept within 3 days,
    review within 15, pay within 30)."""
    return (
        Q(state=ClaimState.SUBMITTED, accept_due__lt=now)
        | Q(state__in=[ClaimState.ACCEPTED, ClaimState.REVIEWED], review_due__lt=now)
        | Q(state=ClaimState.APPROVED, pay_due__lt=now)
    )


def overdue_stage(claim: Claim, now=None) -> str | None:
    now = now or timezone.now()
    if claim.state == ClaimState.SUBMITTED and claim.accept_due < now:
        return "accept"
    if claim.state in (ClaimState.ACCEPTED, ClaimState.REVIEWED) and claim.review_due < now:
        return "review"
    if claim.state == ClaimState.APPROVED and claim.pay_due < now:
        return "pay"
    return None


def overdue_counts(programme: Programme, now=None) -> dict[str, int]:
    """How many claims of the programme are overdue, per stage."""
    now = now or timezone.now()
    claims = Claim.objects.filter(programme=programme)
    return {
        "accept": claims.filter(state=ClaimState.SUBMITTED, accept_due__lt=now).count(),
        "review": claims.filter(state__in=[ClaimState.ACCEPTED, ClaimState.REVIEWED], review_due__lt=now).count(),
        "pay": claims.filter(state=ClaimState.APPROVED, pay_due__lt=now).count(),
    }


def flags_queue(user, *, state: str = FlagState.OPEN):
    """The review queue: flags of claims in programmes the user manages."""
    return (
        ClaimFlag.objects.filter(claim__programme__in=programmes_managed_by(user), state=state)
        .select_related("claim__programme", "claim__merchant")
        .order_by("raised_at", "id")
    )


def budget_summary(budget: Budget) -> dict:
    """Released, available, reserved (approved, not yet paid), paid, clawed back owed/repaid."""
    sums = dict(
        BudgetEntry.objects.filter(budget=budget).values("kind").annotate(s=Sum("amount")).values_list("kind", "s")
    )

    def total(kind):
        return money(sums.get(kind) or 0)

    available = money(BudgetBucket.objects.filter(budget=budget).aggregate(s=Sum("balance"))["s"] or 0)
    released = total(LedgerKind.RELEASE)
    reserved = total(LedgerKind.RESERVE) - total(LedgerKind.RELEASE_BACK) - total(LedgerKind.PAY)
    paid = total(LedgerKind.PAY)
    owed = money(
        Clawback.objects.filter(claim__programme_id=budget.programme_id, state=ClawbackState.RAISED).aggregate(
            s=Sum("amount")
        )["s"]
        or 0
    )
    percent = (available * 100 / released).quantize(Decimal("0.1")) if released else Decimal(0)
    return {
        "state": budget.state,
        "released": released,
        "available": available,
        "reserved": money(reserved),
        "paid": paid,
        "clawback_owed": owed,
        "clawback_repaid": total(LedgerKind.REPAY),
        "available_percent": percent,
        "state_changed_at": budget.state_changed_at,
        "announcement": budget.announcement,
    }


def public_budgets():
    """Every programme with a budget, for the public page: remaining money and state."""
    rows = []
    for budget in Budget.objects.select_related("programme__jurisdiction").order_by(
        "programme__jurisdiction__tree_path", "-programme__year"
    ):
        summary = budget_summary(budget)
        rows.append({"programme": budget.programme, "budget": budget, **summary})
    return rows


def claim_counts_by_state(programme: Programme) -> dict[str, int]:
    counts = dict(
        Claim.objects.filter(programme=programme).values("state").annotate(n=Count("id")).values_list("state", "n")
    )
    return {state: counts.get(state, 0) for state in ClaimState.values}


def open_windows(now=None):
    now = now or timezone.now()
    return VoucherWindow.objects.filter(
        opens_at__lte=now, closes_at__gt=now, programme__uses_vouchers=True
    ).select_related("programme__jurisdiction")


def clawbacks_visible_to(user):
    if not user.is_authenticated:
        return Clawback.objects.none()
    base = Clawback.objects.select_related("claim__programme", "merchant")
    if user.role == Role.MERCHANT:
        merchant = merchant_of(user)
        return base.filter(merchant=merchant) if merchant else Clawback.objects.none()
    return base.filter(claim__programme__jurisdiction__in=jurisdictions_visible_to(user))


def claim_public_status(*, number: str, last4: str):
    """A claim found by its number and the last 4 characters of the buyer's identity number or
    phone; None when either does not match (the answer never says which)."""

    claim = Claim.objects.filter(number=(number or "").strip().upper()).first()
    last4 = (last4 or "").strip().upper()
    if claim is None or len(last4) != 4:
        return None
    if claim.buyer_id_masked.endswith(last4) or (claim.buyer_phone_masked and claim.buyer_phone_masked.endswith(last4)):
        return claim
    return None


def live_states():
    return [s for s in ClaimState.values if s not in CLAIM_DEAD_STATES]


def paid_between(jurisdiction, start: date, end: date):
    """Paid claims (not later voided) of programmes in the jurisdiction's subtree, paid in [start, end]."""
    return Claim.objects.filter(
        programme__jurisdiction__tree_path__startswith=jurisdiction.tree_path,
        state=ClaimState.PAID,
        paid_at__date__gte=start,
        paid_at__date__lte=end,
    )


def merchants_visible_to(user):
    """A merchant account its own merchant; others the merchants of the jurisdictions they see."""
    from .models import Merchant

    if not user.is_authenticated:
        return Merchant.objects.none()
    base = Merchant.objects.select_related("enterprise", "jurisdiction")
    if user.role == Role.MERCHANT:
        merchant = merchant_of(user)
        return base.filter(pk=merchant.pk) if merchant else Merchant.objects.none()
    return base.filter(jurisdiction__in=jurisdictions_visible_to(user))
