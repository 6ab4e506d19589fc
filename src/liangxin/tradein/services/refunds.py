"""Refunds and clawbacks: a refunded purchase voids its claim. Before payment the reservation goes
back to the budget; after payment a clawback is raised against the merchant until repaid."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liangxin.core.audit import audit_record, snapshot
from liangxin.core.services import DomainError

from ..enums import ClaimState, ClawbackState
from ..formula import money
from ..models import Budget, Claim, Clawback, Refund
from .budget import budget_clawback, budget_release_back, budget_repay
from .claims import _claim_snapshot, _event, _lock, _refuse_if_in_payment
from .vouchers import voucher_refunded


@transaction.atomic
def claim_refund(
    *, actor, claim: Claim, amount, refunded_on: datetime.date, reason: str = "", now=None
) -> tuple[Refund, Clawback | None]:
    """Record that the buyer returned the goods: the claim becomes void. Returns the refund and,
    when the subsidy had been paid, the clawback raised against the merchant."""
    now = now or timezone.now()
    amount = money(amount)
    if amount <= 0:
        raise DomainError(_("The refunded amount must be more than zero."))
    claim = _lock(claim)
    if claim.state in (ClaimState.REJECTED, ClaimState.VOID):
        raise DomainError(_("The claim is already %(state)s.") % {"state": ClaimState(claim.state).label})
    if refunded_on < claim.purchased_on:
        raise DomainError(_("A refund cannot come before the purchase (%(date)s).") % {"date": claim.purchased_on})
    before = _claim_snapshot(claim)
    budget = Budget.objects.filter(programme_id=claim.programme_id).first()
    clawback = None
    if claim.state == ClaimState.APPROVED:
        _refuse_if_in_payment(claim)
        budget_release_back(budget=budget, claim=claim, actor=actor, note=_("refunded"))
    elif claim.state == ClaimState.PAID:
        clawback = Clawback(claim=claim, merchant_id=claim.merchant_id, amount=claim.subsidy, raised_at=now)
        clawback.full_clean()
        clawback.save()
        budget_clawback(budget=budget, claim=claim, amount=claim.subsidy, actor=actor, note=_("refunded after payment"))
        audit_record(actor=actor, action="tradein.clawback_raise", instance=clawback, after=snapshot(clawback))
    refund = Refund(
        claim=claim,
        amount=amount,
        refunded_on=refunded_on,
        reason=reason[:500],
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    refund.full_clean()
    refund.save()
    claim.state, claim.ended_at = ClaimState.VOID, now
    claim.save(update_fields=["state", "ended_at"])
    if claim.voucher_id:
        voucher_refunded(voucher=claim.voucher, now=now)
    _event(claim, before["state"], ClaimState.VOID, actor, _("refunded: %(reason)s") % {"reason": reason})
    audit_record(
        actor=actor, action="tradein.claim_refund", instance=claim, before=before, after=_claim_snapshot(claim)
    )
    return refund, clawback


@transaction.atomic
def clawback_repay(*, actor, clawback: Clawback, repaid_at=None, note: str = "") -> Clawback:
    """The merchant paid the subsidy back: the money is available in the budget again."""
    clawback = Clawback.objects.select_for_update().get(pk=clawback.pk)
    if clawback.state != ClawbackState.RAISED:
        raise DomainError(_("This clawback is already %(state)s.") % {"state": clawback.get_state_display()})
    before = snapshot(clawback)
    clawback.state, clawback.repaid_at = ClawbackState.REPAID, repaid_at or timezone.now()
    if note:
        clawback.note = note[:500]
    clawback.save()
    budget = Budget.objects.get(programme_id=clawback.claim.programme_id)
    budget_repay(budget=budget, claim=clawback.claim, amount=clawback.amount, actor=actor, note=note)
    audit_record(
        actor=actor, action="tradein.clawback_repay", instance=clawback, before=before, after=snapshot(clawback)
    )
    return clawback


@transaction.atomic
def clawback_write_off(*, actor, clawback: Clawback, note: str) -> Clawback:
    if not note.strip():
        raise DomainError(_("Say why the clawback is written off."))
    clawback = Clawback.objects.select_for_update().get(pk=clawback.pk)
    if clawback.state != ClawbackState.RAISED:
        raise DomainError(_("This clawback is already %(state)s.") % {"state": clawback.get_state_display()})
    before = snapshot(clawback)
    clawback.state, clawback.note = ClawbackState.WRITTEN_OFF, note[:500]
    clawback.save()
    audit_record(
        actor=actor, action="tradein.clawback_write_off", instance=clawback, before=before, after=snapshot(clawback)
    )
    return clawback
