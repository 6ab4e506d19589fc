"""Refunds void the claim: before payment the reservation goes back, after payment a clawback."""

import datetime
from decimal import Decimal

import pytest

from liangxin.core.models import User
from liangxin.core.services import DomainError
from liangxin.tradein.enums import ClaimState, ClawbackState, LedgerKind
from liangxin.tradein.models import BudgetEntry
from liangxin.tradein.selectors import budget_summary
from liangxin.tradein.services.budget import budget_check
from liangxin.tradein.services.claims import claim_mark_paid, claim_submit, claim_transition
from liangxin.tradein.services.refunds import claim_refund, clawback_repay, clawback_write_off

from .factories import make_merchant, make_programme, row

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    return User.objects.get(username="wuqing")


def approved(programme, merchant, n, office):
    data = row(n)
    key = data.pop("idempotency_key")
    claim = claim_submit(actor=None, merchant=merchant, programme=programme, idempotency_key=key, data=data).claim
    for step in (ClaimState.ACCEPTED, ClaimState.REVIEWED, ClaimState.APPROVED):
        claim = claim_transition(actor=office, claim=claim, to_state=step)
    return claim


def test_a_refund_before_payment_voids_the_claim_and_returns_the_reservation(office):
    programme, merchant = make_programme(), make_merchant(n=21)
    claim = approved(programme, merchant, 1, office)
    refund, clawback = claim_refund(
        actor=office, claim=claim, amount=D("3999.20"), refunded_on=datetime.date(2025, 6, 5), reason="七天无理由退货"
    )
    claim.refresh_from_db()
    assert (claim.state, clawback, refund.amount) == (ClaimState.VOID, None, D("3999.20"))
    assert budget_summary(programme.budget)["available"] == D("100000.00")


def test_a_refund_after_payment_raises_a_clawback_tracked_until_repaid(office):
    programme, merchant = make_programme(), make_merchant(n=22)
    claim = claim_mark_paid(claim=approved(programme, merchant, 2, office), actor=office)
    _refund, clawback = claim_refund(
        actor=office, claim=claim, amount=D("3999.20"), refunded_on=datetime.date(2025, 7, 1)
    )
    assert (clawback.state, clawback.amount, clawback.merchant_id) == (ClawbackState.RAISED, D("999.80"), merchant.pk)
    summary = budget_summary(programme.budget)
    assert (summary["paid"], summary["clawback_owed"], summary["available"]) == (
        D("999.80"),
        D("999.80"),
        D("99000.20"),
    )
    clawback_repay(actor=office, clawback=clawback)
    summary = budget_summary(programme.budget)
    assert (summary["clawback_owed"], summary["clawback_repaid"], summary["available"]) == (
        D("0.00"),
        D("999.80"),
        D("100000.00"),
    )
    kinds = list(BudgetEntry.objects.filter(claim=claim).order_by("id").values_list("kind", flat=True))
    assert kinds == [LedgerKind.RESERVE, LedgerKind.PAY, LedgerKind.CLAWBACK, LedgerKind.REPAY]
    assert budget_check(budgets=[programme.budget]) == []
    with pytest.raises(DomainError):
        clawback_repay(actor=office, clawback=clawback)


def test_a_clawback_written_off_needs_a_reason_and_returns_nothing(office):
    programme, merchant = make_programme(), make_merchant(n=23)
    claim = claim_mark_paid(claim=approved(programme, merchant, 3, office), actor=office)
    _refund, clawback = claim_refund(actor=office, claim=claim, amount=D("100"), refunded_on=datetime.date(2025, 7, 1))
    with pytest.raises(DomainError):
        clawback_write_off(actor=office, clawback=clawback, note=" ")
    clawback = clawback_write_off(actor=office, clawback=clawback, note="商户已注销，经批准核销")
    assert clawback.state == ClawbackState.WRITTEN_OFF
    assert budget_summary(programme.budget)["available"] == D("99000.20")


def test_a_claim_cannot_be_refunded_twice(office):
    programme, merchant = make_programme(), make_merchant(n=24)
    claim = approved(programme, merchant, 4, office)
    claim_refund(actor=office, claim=claim, amount=D("1"), refunded_on=datetime.date(2025, 6, 2))
    with pytest.raises(DomainError):
        claim_refund(actor=office, claim=claim, amount=D("1"), refunded_on=datetime.date(2025, 6, 2))
