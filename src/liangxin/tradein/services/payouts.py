"""Payouts: approved claims grouped into payment batches, the bank's file out and its result back.

A batch belongs to one programme and holds one PaymentLine per approved claim. The bank file pays
each merchant once per batch: the lines of one merchant form one row (序号), whose amount is their
sum and whose remark lists the claim numbers (see liangxin.tradein.bankfiles for the layouts). The
rows are numbered in the order of the merchants' ids, so the same batch always gives the same file.

draft ──batch_export──▶ exported ──batch_reconcile──▶ reconciled

- batch_create: every approved claim of the programme without a pending or paid line (optionally
  only some merchants'), whose merchant has a bank account; a claim whose last payment failed is
  taken again (its next attempt).
- batch_reconcile: the bank's result file. Refused whole, with every reason, when it does not match
  the batch (an unknown 序号, a row missing, an amount or account that differs, totals that differ);
  otherwise, in one transaction: paid rows mark their claims paid (claim_mark_paid moves the
  budget's reservation to paid), failed rows mark their lines failed with the bank's reason — the
  claims stay approved with the money reserved, to be retried in a new batch or returned.
- payment_return: a failed payment goes back: the reservation returns to the budget and the claim
  goes back to reviewed (to be approved again once the merchant's account is fixed, or rejected).
"""

import datetime
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from liangxin.core.audit import audit_record, snapshot
from liangxin.core.services import DomainError

from .. import bankfiles
from ..enums import BatchState, ClaimState, LineState
from ..models import Budget, Claim, Merchant, PaymentBatch, PaymentLine, Programme
from .budget import budget_release_back
from .claims import _claim_snapshot, _event, _lock, claim_mark_paid


class ReconcileRefused(DomainError):
    """The result file does not match the batch; `problems` lists every reason. Nothing was applied."""

    def __init__(self, problems: list[str]):
        super().__init__(_("The result file does not match the batch: %(problems)s") % {"problems": " ".join(problems)})
        self.problems = problems


def batch_label(batch: PaymentBatch) -> str:
    """The batch's number as the bank and the office write it: PB-<programme id>-<year>-<number>."""
    return f"PB{batch.programme_id}-{batch.programme.year}-{batch.number:04d}"


def payable_claims(*, programme: Programme, merchant_ids=None):
    """Approved claims of the programme with no payment in flight or made."""
    claims = Claim.objects.filter(programme=programme, state=ClaimState.APPROVED).exclude(
        payment_lines__state__in=[LineState.PENDING, LineState.PAID]
    )
    if merchant_ids:
        claims = claims.filter(merchant_id__in=merchant_ids)
    return claims.select_related("merchant").order_by("merchant_id", "approved_at", "pk")


@transaction.atomic
def batch_create(*, actor, programme: Programme, merchant_ids=None, claim_ids=None) -> PaymentBatch:
    """A draft batch of the payable claims (of these merchants or these claims, when given)."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    claims = payable_claims(programme=programme, merchant_ids=merchant_ids)
    if claim_ids is not None:
        claims = claims.filter(pk__in=claim_ids)
    claims = list(claims.select_for_update(of=("self",)))
    if not claims:
        raise DomainError(_("There are no approved claims waiting for payment."))
    without_account = sorted({c.merchant.name for c in claims if not (c.merchant.account_no or "").strip()})
    if without_account:
        raise DomainError(
            _("These merchants have no bank account on record: %(names)s. Add their accounts first.")
            % {"names": "、".join(without_account)}
        )
    number = (PaymentBatch.objects.filter(programme=programme).aggregate(m=Max("number"))["m"] or 0) + 1
    batch = PaymentBatch(
        programme=programme,
        number=number,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    batch.full_clean()
    batch.save()
    attempts = dict(
        PaymentLine.objects.filter(claim__in=claims)
        .values("claim_id")
        .annotate(m=Max("attempt"))
        .values_list("claim_id", "m")
    )
    PaymentLine.objects.bulk_create(
        [
            PaymentLine(
                batch=batch,
                claim=claim,
                merchant_id=claim.merchant_id,
                amount=claim.subsidy,
                attempt=attempts.get(claim.pk, 0) + 1,
            )
            for claim in claims
            if claim.subsidy > 0
        ]
    )
    if not batch.lines.exists():
        raise DomainError(_("There are no approved claims waiting for payment."))
    audit_record(
        actor=actor,
        action="tradein.batch_create",
        instance=batch,
        after={**snapshot(batch), "claims": [c.number for c in claims], "total": str(batch_total(batch))},
    )
    return batch


def batch_total(batch: PaymentBatch) -> Decimal:
    return sum(batch.lines.values_list("amount", flat=True), Decimal("0.00"))


@dataclass
class OrderGroup:
    """One row of the bank file: a merchant's lines in the batch."""

    seq: int
    merchant: Merchant
    lines: list[PaymentLine] = field(default_factory=list)

    @property
    def amount(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    @property
    def claim_numbers(self) -> list[str]:
        return [line.claim.number for line in self.lines]


def batch_groups(batch: PaymentBatch) -> list[OrderGroup]:
    """The batch's rows for the bank, numbered from 1 in the order of the merchants' ids."""
    groups: OrderedDict[int, OrderGroup] = OrderedDict()
    lines = batch.lines.select_related("merchant", "claim").order_by("merchant_id", "claim__number", "pk")
    for line in lines:
        group = groups.get(line.merchant_id)
        if group is None:
            group = groups[line.merchant_id] = OrderGroup(seq=len(groups) + 1, merchant=line.merchant)
        group.lines.append(line)
    return list(groups.values())


def batch_order(batch: PaymentBatch) -> bankfiles.Order:
    label = batch_label(batch)
    created = timezone.localdate(batch.created_at) if batch.created_at else timezone.localdate()
    return bankfiles.Order(
        batch_number=label,
        created=created,
        lines=[
            bankfiles.OrderLine(
                seq=group.seq,
                account_name=group.merchant.account_name,
                account_no=group.merchant.account_no,
                bank_name=group.merchant.bank_name,
                amount=group.amount,
                memo=bankfiles.memo_for(label, group.claim_numbers),
            )
            for group in batch_groups(batch)
        ],
    )


@transaction.atomic
def batch_export(*, actor, batch: PaymentBatch, file_name: str) -> bankfiles.Order:
    """The bank order of the batch; the first export moves the batch from draft to exported (its
    lines are then fixed). Exporting again (another format, a lost file) gives the same rows."""
    batch = PaymentBatch.objects.select_for_update().select_related("programme").get(pk=batch.pk)
    order = batch_order(batch)
    if batch.state == BatchState.DRAFT:
        before = snapshot(batch)
        batch.state, batch.exported_at, batch.file_name = BatchState.EXPORTED, timezone.now(), file_name[:200]
        batch.save(update_fields=["state", "exported_at", "file_name"])
        audit_record(
            actor=actor,
            action="tradein.batch_export",
            instance=batch,
            before=before,
            after={**snapshot(batch), "rows": len(order.lines), "total": str(order.total)},
        )
    return order


@transaction.atomic
def batch_discard(*, actor, batch: PaymentBatch) -> None:
    """Drop a draft batch (never sent to the bank): its claims are payable again."""
    batch = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.state != BatchState.DRAFT:
        raise DomainError(_("Only a draft batch can be discarded; this one has gone to the bank."))
    before = {**snapshot(batch), "claims": list(batch.lines.values_list("claim__number", flat=True))}
    batch.delete()
    audit_record(
        actor=actor,
        action="tradein.batch_discard",
        object_type="tradein.paymentbatch",
        object_id=str(before["id"]),
        object_repr=f"#{before['number']}",
        before=before,
    )


@dataclass
class ReconcileSummary:
    paid_rows: int
    failed_rows: int
    paid_claims: int
    failed_claims: int
    paid_amount: Decimal
    failed_amount: Decimal


def _mismatches(groups: list[OrderGroup], results: list[bankfiles.ResultLine]) -> list[str]:
    by_seq = {group.seq: group for group in groups}
    problems = []
    seen = set()
    for result in results:
        group = by_seq.get(result.seq)
        if group is None:
            problems.append(
                _("Row %(row)s: the batch has no line 序号 %(seq)s.") % {"row": result.row, "seq": result.seq}
            )
            continue
        seen.add(result.seq)
        if result.amount != group.amount:
            problems.append(
                _("Row %(row)s: line %(seq)s is %(theirs)s yuan in the file but %(ours)s yuan in the batch.")
                % {"row": result.row, "seq": result.seq, "theirs": result.amount, "ours": group.amount}
            )
        if result.account_no and result.account_no != group.merchant.account_no.replace(" ", ""):
            problems.append(
                _("Row %(row)s: line %(seq)s was paid to account %(theirs)s, the batch names %(ours)s.")
                % {"row": result.row, "seq": result.seq, "theirs": result.account_no, "ours": group.merchant.account_no}
            )
        if result.account_name and result.account_name != group.merchant.account_name:
            problems.append(
                _("Row %(row)s: line %(seq)s names %(theirs)s, the batch names %(ours)s.")
                % {
                    "row": result.row,
                    "seq": result.seq,
                    "theirs": result.account_name,
                    "ours": group.merchant.account_name,
                }
            )
    missing = [str(group.seq) for group in groups if group.seq not in seen]
    if missing:
        problems.append(_("The file has no result for line(s) %(seqs)s.") % {"seqs": "、".join(missing)})
    ours = sum((group.amount for group in groups), Decimal("0.00"))
    theirs = sum((result.amount for result in results), Decimal("0.00"))
    if ours != theirs:
        problems.append(
            _("The file totals %(theirs)s yuan, the batch %(ours)s yuan.") % {"theirs": theirs, "ours": ours}
        )
    return problems


@transaction.atomic
def batch_reconcile(*, actor, batch: PaymentBatch, raw: bytes, file_name: str = "") -> ReconcileSummary:
    """Apply the bank's result file to an exported batch: all of it, or nothing (ReconcileRefused
    or BankFileError naming every problem)."""
    batch = PaymentBatch.objects.select_for_update().select_related("programme").get(pk=batch.pk)
    if batch.state == BatchState.DRAFT:
        raise DomainError(_("Download the bank file first: the batch has not gone to the bank yet."))
    if batch.state == BatchState.RECONCILED:
        raise DomainError(_("This batch has already been reconciled."))
    try:
        results = bankfiles.parse_result(raw, filename=file_name)
    except bankfiles.BankFileError as exc:
        raise ReconcileRefused(exc.problems) from exc
    groups = batch_groups(batch)
    problems = _mismatches(groups, results)
    if problems:
        raise ReconcileRefused(problems)

    before = snapshot(batch)
    now = timezone.now()
    by_seq = {group.seq: group for group in groups}
    summary = ReconcileSummary(0, 0, 0, 0, Decimal("0.00"), Decimal("0.00"))
    for result in sorted(results, key=lambda r: r.seq):
        group = by_seq[result.seq]
        if result.paid:
            summary.paid_rows += 1
            summary.paid_amount += group.amount
            for line in group.lines:
                claim_mark_paid(claim=line.claim, actor=actor, paid_at=now, note=batch_label(batch))
                line.state, line.bank_reference = LineState.PAID, result.bank_ref[:100]
                line.save(update_fields=["state", "bank_reference"])
                summary.paid_claims += 1
        else:
            summary.failed_rows += 1
            summary.failed_amount += group.amount
            for line in group.lines:
                line.state, line.failure_reason = LineState.FAILED, result.reason[:300]
                line.bank_reference = result.bank_ref[:100]
                line.save(update_fields=["state", "failure_reason", "bank_reference"])
                _event(
                    line.claim,
                    ClaimState.APPROVED,
                    ClaimState.APPROVED,
                    actor,
                    _("payment failed: %(reason)s") % {"reason": result.reason},
                )
                summary.failed_claims += 1
    batch.state, batch.reconciled_at = BatchState.RECONCILED, now
    batch.save(update_fields=["state", "reconciled_at"])
    audit_record(
        actor=actor,
        action="tradein.batch_reconcile",
        instance=batch,
        before=before,
        after={
            **snapshot(batch),
            "file": file_name,
            "paid_claims": summary.paid_claims,
            "failed_claims": summary.failed_claims,
            "paid": str(summary.paid_amount),
            "failed": str(summary.failed_amount),
        },
    )
    return summary


def failed_lines(*, programme: Programme) -> list[PaymentLine]:
    """Failed payments waiting for a decision (retry or return): the claim's last attempt failed and
    the claim is still approved."""
    lines = (
        PaymentLine.objects.filter(batch__programme=programme, state=LineState.FAILED, claim__state=ClaimState.APPROVED)
        .exclude(claim__payment_lines__state__in=[LineState.PENDING, LineState.PAID])
        .select_related("claim", "merchant", "batch__programme")
        .order_by("merchant_id", "claim__number", "-attempt")
    )
    latest: dict[int, PaymentLine] = {}
    for line in lines:
        latest.setdefault(line.claim_id, line)
    return list(latest.values())


@transaction.atomic
def batch_retry_failed(*, actor, batch: PaymentBatch) -> PaymentBatch:
    """A new batch of this batch's failed payments (their claims' next attempt)."""
    claim_ids = list(
        batch.lines.filter(state=LineState.FAILED, claim__state=ClaimState.APPROVED).values_list("claim_id", flat=True)
    )
    if not claim_ids:
        raise DomainError(_("This batch has no failed payments left to retry."))
    return batch_create(actor=actor, programme=batch.programme, claim_ids=claim_ids)


@transaction.atomic
def payment_return(*, actor, line: PaymentLine, reason: str, now=None) -> Claim:
    """Give up on a failed payment: the line is returned, the claim's reservation goes back to the
    budget and the claim goes back to reviewed (approve it again once the merchant's bank details
    are right, or reject it)."""
    now = now or timezone.now()
    if not (reason or "").strip():
        raise DomainError(_("Say why the payment goes back."))
    line = PaymentLine.objects.select_for_update().select_related("batch").get(pk=line.pk)
    if line.state != LineState.FAILED:
        raise DomainError(_("Only a failed payment can be returned."))
    claim = _lock(line.claim)
    if (
        claim.state != ClaimState.APPROVED
        or claim.payment_lines.filter(state__in=[LineState.PENDING, LineState.PAID]).exists()
    ):
        raise DomainError(
            _("The claim %(number)s is being paid again; it cannot be returned.") % {"number": claim.number}
        )
    before = _claim_snapshot(claim)
    budget = Budget.objects.get(programme_id=claim.programme_id)
    budget_release_back(
        budget=budget, claim=claim, actor=actor, note=_("payment returned: %(reason)s") % {"reason": reason}
    )
    line.state = LineState.RETURNED
    line.failure_reason = f"{line.failure_reason} / {reason.strip()}"[:300]
    line.save(update_fields=["state", "failure_reason"])
    claim.state, claim.approved_at = ClaimState.REVIEWED, None
    claim.save(update_fields=["state", "approved_at"])
    _event(
        claim, ClaimState.APPROVED, ClaimState.REVIEWED, actor, _("payment returned: %(reason)s") % {"reason": reason}
    )
    audit_record(
        actor=actor, action="tradein.payment_return", instance=claim, before=before, after=_claim_snapshot(claim)
    )
    return claim


def reconcile_date(batch: PaymentBatch) -> datetime.date | None:
    return timezone.localdate(batch.reconciled_at) if batch.reconciled_at else None
