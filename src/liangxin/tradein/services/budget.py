"""The budget: sharded buckets and an append-only ledger.

The available money of a budget is spread over N buckets. A reservation takes the whole amount
from one bucket with a conditional update (UPDATE … SET balance = balance - x WHERE id = ? AND
balance >= x): no read-then-write, so concurrent approvals can never push a bucket below zero, and
they seldom wait for each other because each starts at a random bucket. Only when no single bucket
can pay does it gather the amount from several, in index order (which keeps lock order stable).
Every movement writes a BudgetEntry whose delta is the change of its bucket's balance: the sum of
a bucket's deltas is its balance, which `budget_check` proves.
"""

import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from liangxin.core.audit import audit_record, snapshot
from liangxin.core.services import DomainError

from ..enums import LEDGER_SIGN, BudgetState, LedgerKind
from ..formula import money
from ..models import Budget, BudgetBucket, BudgetEntry, Programme

MAX_BUCKETS = 256


class BudgetExhausted(DomainError):
    """No money left for this reservation."""


def _entry(*, budget, bucket_id, kind, amount, claim=None, note="", actor=None) -> BudgetEntry:
    amount = money(amount)
    return BudgetEntry(
        budget=budget,
        bucket_id=bucket_id,
        kind=kind,
        amount=amount,
        delta=amount * LEDGER_SIGN[kind],
        claim=claim,
        note=note[:300],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


@transaction.atomic
def budget_create(*, actor, programme: Programme, bucket_count: int = 16, **settings) -> Budget:
    if not 1 <= bucket_count <= MAX_BUCKETS:
        raise DomainError(_("A budget has between 1 and %(max)s buckets.") % {"max": MAX_BUCKETS})
    if Budget.objects.filter(programme=programme).exists():
        raise DomainError(_("This programme already has a budget."))
    budget = Budget(programme=programme, bucket_count=bucket_count, state_changed_at=timezone.now(), **settings)
    budget.full_clean()
    budget.save()
    BudgetBucket.objects.bulk_create([BudgetBucket(budget=budget, index=i) for i in range(bucket_count)])
    audit_record(actor=actor, action="tradein.budget_create", instance=budget, after=snapshot(budget))
    return budget


@transaction.atomic
def budget_release(*, actor, budget: Budget, amount, note: str = "") -> list[BudgetEntry]:
    """Release a tranche: the amount is spread evenly over the buckets (the fen left over go to the
    first buckets). May reopen a budget that was throttled or paused automatically."""
    amount = money(amount)
    if amount <= 0:
        raise DomainError(_("A tranche must be more than zero."))
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    if budget.state == BudgetState.CLOSED:
        raise DomainError(_("The budget is closed; reopen it before releasing money."))
    before = snapshot(budget)
    buckets = list(BudgetBucket.objects.filter(budget=budget).order_by("index"))
    cents = int(amount * 100)
    share, extra = divmod(cents, len(buckets))
    entries = []
    for position, bucket in enumerate(buckets):
        part = Decimal(share + (1 if position < extra else 0)) / 100
        if part <= 0:
            continue
        BudgetBucket.objects.filter(pk=bucket.pk).update(balance=F("balance") + part)
        entries.append(
            _entry(budget=budget, bucket_id=bucket.pk, kind=LedgerKind.RELEASE, amount=part, note=note, actor=actor)
        )
    BudgetEntry.objects.bulk_create(entries)
    budget.released = money(budget.released + amount)
    budget.save(update_fields=["released"])
    audit_record(
        actor=actor,
        action="tradein.budget_release",
        instance=budget,
        before=before,
        after={**snapshot(budget), "tranche": str(amount), "note": note},
    )
    budget_auto_switch(budget=budget, allow_reopen=True)
    return entries


def budget_reserve(*, budget: Budget, amount, claim=None, actor=None, note: str = "") -> list[BudgetEntry]:
    """Take `amount` from the budget's buckets for a claim; raises BudgetExhausted when the budget
    cannot pay it. Must run inside the caller's transaction (the claim's approval), which it
    joins: when the caller fails, the money goes back with it."""
    amount = money(amount)
    if amount <= 0:
        return []
    buckets = dict(BudgetBucket.objects.filter(budget_id=budget.pk).values_list("index", "id"))
    count = len(buckets)
    start = random.randrange(count)
    for step in range(count):
        bucket_id = buckets[(start + step) % count]
        taken = BudgetBucket.objects.filter(pk=bucket_id, balance__gte=amount).update(balance=F("balance") - amount)
        if taken:
            entry = _entry(
                budget=budget,
                bucket_id=bucket_id,
                kind=LedgerKind.RESERVE,
                amount=amount,
                claim=claim,
                note=note,
                actor=actor,
            )
            entry.save()
            return [entry]
    return _reserve_gathered(budget=budget, amount=amount, claim=claim, actor=actor, note=note)


def _reserve_gathered(*, budget, amount, claim, actor, note) -> list[BudgetEntry]:
    """No bucket holds the whole amount: take what each holds, in index order, until it is paid.
    Each take is still a conditional update of the amount just read; a take that lost a race is
    retried with the new balance."""
    remaining = amount
    entries = []
    for bucket_id in BudgetBucket.objects.filter(budget_id=budget.pk).order_by("index").values_list("id", flat=True):
        for _attempt in range(3):
            balance = BudgetBucket.objects.filter(pk=bucket_id).values_list("balance", flat=True).first()
            take = min(balance or Decimal(0), remaining)
            if take <= 0:
                break
            if BudgetBucket.objects.filter(pk=bucket_id, balance__gte=take).update(balance=F("balance") - take):
                entries.append(
                    _entry(
                        budget=budget,
                        bucket_id=bucket_id,
                        kind=LedgerKind.RESERVE,
                        amount=take,
                        claim=claim,
                        note=note,
                        actor=actor,
                    )
                )
                remaining -= take
                break
        if remaining <= 0:
            BudgetEntry.objects.bulk_create(entries)
            return entries
    # Raising rolls back the takes above with the caller's transaction.
    raise BudgetExhausted(
        _("The budget cannot pay %(amount)s yuan: only %(left)s yuan are left.")
        % {"amount": amount, "left": budget_available(budget=budget)}
    )


def _net_by_bucket(claim, kinds_plus, kinds_minus) -> dict[int, Decimal]:
    totals: dict[int, Decimal] = {}
    for bucket_id, kind, amount in BudgetEntry.objects.filter(claim=claim).values_list("bucket_id", "kind", "amount"):
        if kind in kinds_plus:
            totals[bucket_id] = totals.get(bucket_id, Decimal(0)) + amount
        elif kind in kinds_minus:
            totals[bucket_id] = totals.get(bucket_id, Decimal(0)) - amount
    return {k: v for k, v in totals.items() if v > 0}


def budget_release_back(*, budget: Budget, claim, actor=None, note: str = "") -> Decimal:
    """Give a claim's reservation back to the buckets it came from (before payment)."""
    held = _net_by_bucket(claim, {LedgerKind.RESERVE}, {LedgerKind.RELEASE_BACK, LedgerKind.PAY})
    entries = []
    for bucket_id, amount in held.items():
        BudgetBucket.objects.filter(pk=bucket_id).update(balance=F("balance") + amount)
        entries.append(
            _entry(
                budget=budget,
                bucket_id=bucket_id,
                kind=LedgerKind.RELEASE_BACK,
                amount=amount,
                claim=claim,
                note=note,
                actor=actor,
            )
        )
    BudgetEntry.objects.bulk_create(entries)
    return sum(held.values(), Decimal(0))


def budget_pay(*, budget: Budget, claim, actor=None, note: str = "") -> Decimal:
    """Record that a claim's reservation was paid out (no change to the available balance)."""
    held = _net_by_bucket(claim, {LedgerKind.RESERVE}, {LedgerKind.RELEASE_BACK, LedgerKind.PAY})
    BudgetEntry.objects.bulk_create(
        [
            _entry(budget=budget, bucket_id=b, kind=LedgerKind.PAY, amount=a, claim=claim, note=note, actor=actor)
            for b, a in held.items()
        ]
    )
    return sum(held.values(), Decimal(0))


def budget_clawback(*, budget: Budget, claim, amount, actor=None, note: str = "") -> None:
    """Record a clawback raised against a paid claim (the money is owed, not yet back)."""
    paid = _net_by_bucket(claim, {LedgerKind.PAY}, set())
    bucket_id = next(iter(paid), None) or BudgetBucket.objects.filter(budget=budget).order_by("index")[0].pk
    _entry(
        budget=budget, bucket_id=bucket_id, kind=LedgerKind.CLAWBACK, amount=amount, claim=claim, note=note, actor=actor
    ).save()


def budget_repay(*, budget: Budget, claim, amount, actor=None, note: str = "") -> None:
    """A clawback was repaid: the money is available again, in the bucket it was paid from."""
    entry = BudgetEntry.objects.filter(claim=claim, kind=LedgerKind.CLAWBACK).order_by("-id").first()
    bucket_id = entry.bucket_id if entry else BudgetBucket.objects.filter(budget=budget).order_by("index")[0].pk
    amount = money(amount)
    BudgetBucket.objects.filter(pk=bucket_id).update(balance=F("balance") + amount)
    _entry(
        budget=budget, bucket_id=bucket_id, kind=LedgerKind.REPAY, amount=amount, claim=claim, note=note, actor=actor
    ).save()


# --- states ---------------------------------------------------------------------------------------


def budget_available(*, budget: Budget) -> Decimal:
    total = BudgetBucket.objects.filter(budget_id=budget.pk).aggregate(total=Sum("balance"))["total"]
    return money(total or 0)


def _automatic_state(budget: Budget, available: Decimal) -> str:
    if available <= budget.pause_at_or_below:
        return BudgetState.PAUSED
    if budget.released > 0 and available * 100 < budget.released * budget.throttle_below_percent:
        return BudgetState.THROTTLED
    return BudgetState.OPEN


_RANK = {BudgetState.OPEN: 0, BudgetState.THROTTLED: 1, BudgetState.PAUSED: 2, BudgetState.CLOSED: 3}


def budget_auto_switch(*, budget: Budget, allow_reopen: bool = False) -> str:
    """Move the budget to the state its thresholds call for. Only ever tightens (open → throttled →
    paused), except after a tranche release, which may loosen a state that the thresholds set.
    A closed budget and a budget the office switches by hand (auto_switch off) are left alone."""
    caller, budget = budget, Budget.objects.get(pk=budget.pk)
    caller.state, caller.state_changed_at = budget.state, budget.state_changed_at
    if not budget.auto_switch or budget.state == BudgetState.CLOSED:
        return budget.state
    target = _automatic_state(budget, budget_available(budget=budget))
    if target == budget.state or (_RANK[target] < _RANK[budget.state] and not allow_reopen):
        return budget.state
    # A conditional update: two approvals crossing the threshold at once switch it once.
    now = timezone.now()
    if Budget.objects.filter(pk=budget.pk, state=budget.state).update(state=target, state_changed_at=now):
        audit_record(
            actor=None,
            action="tradein.budget_state_auto",
            instance=budget,
            before={"state": budget.state},
            after={"state": target},
        )
        budget.state, budget.state_changed_at = target, now
        caller.state, caller.state_changed_at = target, now
    return budget.state


@transaction.atomic
def budget_set_state(
    *, actor, budget: Budget, state: str, announcement: str | None = None, auto_switch: bool | None = None
) -> Budget:
    """The office switches the budget's state by hand (and may write the public announcement)."""
    if state not in BudgetState.values:
        raise DomainError(_("Unknown budget state %(state)r.") % {"state": state})
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    before = snapshot(budget)
    if budget.state != state:
        budget.state = state
        budget.state_changed_at = timezone.now()
    if announcement is not None:
        budget.announcement = announcement.strip()
    if auto_switch is not None:
        budget.auto_switch = auto_switch
    budget.full_clean()
    budget.save()
    audit_record(actor=actor, action="tradein.budget_state", instance=budget, before=before, after=snapshot(budget))
    return budget


@transaction.atomic
def budget_update_settings(*, actor, budget: Budget, **fields) -> Budget:
    allowed = {"throttle_per_minute", "grace_days", "throttle_below_percent", "pause_at_or_below", "auto_switch"}
    unknown = set(fields) - allowed
    if unknown:
        raise DomainError(_("These budget settings cannot be changed: %(names)s.") % {"names": ", ".join(unknown)})
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    before = snapshot(budget)
    for key, value in fields.items():
        setattr(budget, key, value)
    budget.full_clean()
    budget.save()
    audit_record(actor=actor, action="tradein.budget_settings", instance=budget, before=before, after=snapshot(budget))
    return budget


def budget_accepts_new_claims(*, budget: Budget | None, purchased_on, now=None) -> str | None:
    """Why the budget refuses a new claim for a purchase on this date, or None when it takes it.

    Paused: purchases made before the pause may still be claimed within the grace days. Closed:
    nothing. Throttled is a rate limit, checked by the caller."""
    if budget is None:
        return None
    now = now or timezone.now()
    if budget.state == BudgetState.CLOSED:
        return _("The programme's budget is closed; no claims are taken.")
    if budget.state == BudgetState.PAUSED:
        changed = budget.state_changed_at or now
        paused_on = timezone.localdate(changed)
        if purchased_on >= paused_on or now > changed + timedelta(days=budget.grace_days):
            return _(
                "Claims are paused since %(date)s: the budget is used up. Purchases made before then may "
                "still be claimed until %(until)s."
            ) % {
                "date": paused_on.isoformat(),
                "until": timezone.localdate(changed + timedelta(days=budget.grace_days)),
            }
    return None


# --- the proof ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BucketMismatch:
    budget_id: int
    programme: str
    bucket_index: int
    balance: Decimal
    ledger: Decimal


def budget_check(*, budgets=None) -> list[BucketMismatch]:
    """Every bucket whose balance differs from the sum of its ledger entries (empty when sound)."""
    budgets = Budget.objects.select_related("programme") if budgets is None else budgets
    problems = []
    for budget in budgets:
        sums = dict(
            BudgetEntry.objects.filter(budget=budget)
            .values("bucket_id")
            .annotate(s=Sum("delta"))
            .values_list("bucket_id", "s")
        )
        for bucket in BudgetBucket.objects.filter(budget=budget).order_by("index"):
            ledger = money(sums.get(bucket.pk) or 0)
            if ledger != money(bucket.balance):
                problems.append(
                    BucketMismatch(budget.pk, str(budget.programme), bucket.index, money(bucket.balance), ledger)
                )
    return problems
