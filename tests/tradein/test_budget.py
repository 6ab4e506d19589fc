"""The budget: tranches over buckets, reservations that never overspend, the ledger, the states."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from liangxin.core.models import AuditEntry, User
from liangxin.tradein.enums import BudgetState, LedgerKind
from liangxin.tradein.models import Budget, BudgetBucket, BudgetEntry
from liangxin.tradein.selectors import budget_summary
from liangxin.tradein.services.budget import (
    BudgetExhausted,
    budget_accepts_new_claims,
    budget_auto_switch,
    budget_check,
    budget_release,
    budget_reserve,
    budget_set_state,
)

from .factories import make_programme

D = Decimal
pytestmark = pytest.mark.django_db


def balances(budget):
    return list(BudgetBucket.objects.filter(budget=budget).order_by("index").values_list("balance", flat=True))


def test_a_tranche_is_spread_evenly_over_the_buckets_to_the_fen():
    budget = Budget.objects.get(programme=make_programme(budget=D("100.05"), buckets=4))
    assert balances(budget) == [D("25.02"), D("25.01"), D("25.01"), D("25.01")]
    assert budget.released == D("100.05")
    assert BudgetEntry.objects.filter(budget=budget, kind=LedgerKind.RELEASE).count() == 4


def test_a_reservation_takes_the_whole_amount_from_one_bucket():
    budget = make_programme(budget=D("1000"), buckets=4).budget
    entries = budget_reserve(budget=budget, amount=D("200"))
    assert len(entries) == 1
    assert sorted(balances(budget)) == [D("50"), D("250"), D("250"), D("250")]
    assert entries[0].delta == D("-200.00")


def test_a_reservation_larger_than_any_bucket_is_gathered_from_several():
    budget = make_programme(budget=D("1000"), buckets=4).budget
    entries = budget_reserve(budget=budget, amount=D("600"))
    assert [e.amount for e in entries] == [D("250"), D("250"), D("100")]
    assert balances(budget) == [D("0"), D("0"), D("150"), D("250")]
    assert budget_check(budgets=[budget]) == []


def test_a_reservation_the_budget_cannot_pay_is_refused_and_takes_nothing():
    from django.db import transaction

    budget = make_programme(budget=D("1000"), buckets=4).budget
    with pytest.raises(BudgetExhausted):
        with transaction.atomic():
            budget_reserve(budget=budget, amount=D("1000.01"))
    assert balances(budget) == [D("250")] * 4
    assert not BudgetEntry.objects.filter(budget=budget, kind=LedgerKind.RESERVE).exists()


def test_the_database_refuses_a_negative_bucket():
    from django.db import IntegrityError, transaction

    budget = make_programme(budget=D("100"), buckets=1).budget
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetBucket.objects.filter(budget=budget).update(balance=D("-1"))


def test_the_budget_throttles_below_10_percent_and_pauses_at_zero():
    budget = make_programme(budget=D("1000"), buckets=1).budget
    budget_reserve(budget=budget, amount=D("901"))
    assert budget_auto_switch(budget=budget) == BudgetState.THROTTLED
    budget_reserve(budget=budget, amount=D("99"))
    assert budget_auto_switch(budget=budget) == BudgetState.PAUSED
    budget.refresh_from_db()
    assert budget.state == BudgetState.PAUSED
    assert AuditEntry.objects.filter(action="tradein.budget_state_auto", object_id=str(budget.pk)).count() == 2


def test_a_new_tranche_reopens_a_budget_paused_by_its_thresholds():
    budget = make_programme(budget=D("100"), buckets=2).budget
    budget_reserve(budget=budget, amount=D("100"))
    budget_auto_switch(budget=budget)
    budget_release(actor=User.objects.get(username="wuqing"), budget=Budget.objects.get(pk=budget.pk), amount=D("900"))
    budget.refresh_from_db()
    assert budget.state == BudgetState.OPEN
    assert budget_summary(budget)["available"] == D("900.00")
    assert budget_summary(budget)["released"] == D("1000.00")


def test_a_closed_budget_refuses_new_claims_and_a_paused_one_only_for_old_purchases_within_grace():
    office = User.objects.get(username="wuqing")
    budget = make_programme(budget=D("100")).budget
    budget = budget_set_state(actor=office, budget=budget, state=BudgetState.PAUSED, announcement="额度已用完")
    paused_on = timezone.localdate(budget.state_changed_at)
    assert budget_accepts_new_claims(budget=budget, purchased_on=paused_on - datetime.timedelta(days=1)) is None
    assert budget_accepts_new_claims(budget=budget, purchased_on=paused_on) is not None
    late = budget.state_changed_at + datetime.timedelta(days=budget.grace_days + 1)
    assert budget_accepts_new_claims(budget=budget, purchased_on=paused_on - datetime.timedelta(days=1), now=late)
    budget = budget_set_state(actor=office, budget=budget, state=BudgetState.CLOSED)
    assert budget_accepts_new_claims(budget=budget, purchased_on=paused_on - datetime.timedelta(days=1)) is not None
    assert budget.announcement == "额度已用完"


def test_budget_check_command_passes_and_fails_loudly_on_a_tampered_bucket(capsys):
    budget = make_programme(budget=D("1000"), buckets=2).budget
    call_command("tradein_budget_check")
    assert "agree with their ledgers" in capsys.readouterr().out
    BudgetBucket.objects.filter(budget=budget, index=1).update(balance=D("499"))
    with pytest.raises(CommandError) as exc:
        call_command("tradein_budget_check")
    assert exc.value.returncode == 1
    assert "bucket 1: balance 499.00 but the ledger sums to 500.00" in capsys.readouterr().err


def test_the_ledger_refuses_an_entry_whose_sign_does_not_follow_its_kind():
    from django.db import IntegrityError, transaction

    budget = make_programme(budget=D("100"), buckets=1).budget
    bucket = BudgetBucket.objects.get(budget=budget)
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetEntry.objects.create(budget=budget, bucket=bucket, kind=LedgerKind.RESERVE, amount=D("5"), delta=D("5"))
