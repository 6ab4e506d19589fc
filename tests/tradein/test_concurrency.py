"""Threads against the real database: concurrent approvals never overspend the budget, concurrent
payments never pay twice, a voucher burst issues exactly the quota and never two live vouchers
to one person.

These tests commit for real (the threads use their own connections, which cannot see a test's
open transaction), so they do not use the django_db mark: that would flush the whole database
afterwards and with it the demo data the other tests share. Each test removes exactly what it
created instead.

On SQLite the test database is a file (see config/settings.py), so a second writer waits for the
lock as it would in production; on PostgreSQL (scripts/pg-test-server.sh) the races are real
row-level races.
"""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connections

from liangxin.core import pii
from liangxin.core.models import AuditEntry, User
from liangxin.registry.models import Enterprise
from liangxin.tradein.enums import ClaimState, LedgerKind, VoucherState
from liangxin.tradein.models import (
    Budget,
    BudgetBucket,
    BudgetEntry,
    Claim,
    Merchant,
    Programme,
    Voucher,
    VoucherWindow,
)
from liangxin.tradein.selectors import budget_summary
from liangxin.tradein.services.budget import BudgetExhausted, budget_check
from liangxin.tradein.services.checks import ClaimRefused
from liangxin.tradein.services.claims import claim_mark_paid, claim_submit, claim_transition
from liangxin.tradein.services.vouchers import VoucherRefused, voucher_claim, voucher_window_create

from .factories import identity, make_merchant, make_programme, row

D = Decimal
THREADS = 8


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    """Run with real commits; afterwards delete everything the test created, newest first."""
    with django_db_blocker.unblock():
        # Tests without a database mark run after the transactional (browser) tests, which leave an
        # empty database behind: bring the demo back first (it is idempotent).
        if not User.objects.filter(username="wuqing").exists():
            call_command("demo", quiet=True)
        first_audit = (AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        made = {"programmes": [], "merchants": []}
        yield made
        programmes = Programme.objects.filter(pk__in=made["programmes"])
        BudgetEntry.objects.filter(budget__programme__in=programmes).delete()
        Claim.objects.filter(programme__in=programmes).delete()
        Voucher.objects.filter(programme__in=programmes).delete()
        VoucherWindow.objects.filter(programme__in=programmes).delete()
        BudgetBucket.objects.filter(budget__programme__in=programmes).delete()
        Budget.objects.filter(programme__in=programmes).delete()
        programmes.delete()
        merchants = Merchant.objects.filter(pk__in=made["merchants"])
        enterprise_ids = list(merchants.values_list("enterprise_id", flat=True))
        merchants.delete()
        Enterprise.objects.filter(pk__in=enterprise_ids).delete()
        AuditEntry.objects.filter(id__gte=first_audit).delete()


def run_threads(work, items):
    """Split items over THREADS threads that start together; returns what each call returned."""
    results, lock = [], threading.Lock()
    start = threading.Barrier(THREADS)

    def worker(chunk):
        try:
            start.wait()
            for item in chunk:
                outcome = work(item)
                with lock:
                    results.append(outcome)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(items[i::THREADS],)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def reviewed_claims(programme, merchant, count, office):
    claims = []
    for n in range(count):
        data = row(1000 + n)
        key = data.pop("idempotency_key")
        claim = claim_submit(actor=None, merchant=merchant, programme=programme, idempotency_key=key, data=data).claim
        claim = claim_transition(actor=office, claim=claim, to_state=ClaimState.ACCEPTED)
        claims.append(claim_transition(actor=office, claim=claim, to_state=ClaimState.REVIEWED))
    return claims


def test_concurrent_approvals_never_overspend_and_a_serial_pass_spends_exactly_the_budget(committed):
    office = User.objects.get(username="wuqing")
    affordable = 24
    # Just enough for 24 claims of 999.80, spread over 16 buckets (so most approvals must share).
    programme = make_programme(budget=D("999.80") * affordable, buckets=16, auto_switch=False)
    merchant = make_merchant(n=901)
    committed["programmes"].append(programme.pk)
    committed["merchants"].append(merchant.pk)
    claims = reviewed_claims(programme, merchant, 40, office)

    def approve(claim):
        try:
            claim_transition(actor=office, claim=claim, to_state=ClaimState.APPROVED)
            return "approved"
        except BudgetExhausted:
            return "refused"

    outcomes = run_threads(approve, claims)
    assert len(outcomes) == 40
    approved = Claim.objects.filter(programme=programme, state=ClaimState.APPROVED).count()
    assert approved == outcomes.count("approved") <= affordable
    summary = budget_summary(Budget.objects.get(programme=programme))
    assert summary["available"] >= 0
    assert summary["reserved"] == D("999.80") * approved
    assert summary["available"] + summary["reserved"] == D("999.80") * affordable
    assert budget_check(budgets=[programme.budget]) == []
    assert not BudgetBucket.objects.filter(budget__programme=programme, balance__lt=0).exists()

    # Refusals in the burst were only ever for want of money at that moment: done one by one, the
    # rest of the money pays exactly the claims it can.
    for claim in Claim.objects.filter(programme=programme, state=ClaimState.REVIEWED):
        approve(claim)
    assert Claim.objects.filter(programme=programme, state=ClaimState.APPROVED).count() == affordable
    assert budget_summary(Budget.objects.get(programme=programme))["available"] == D("0.00")


def test_concurrent_payments_of_the_same_claims_pay_each_once(committed):
    office = User.objects.get(username="wuqing")
    programme = make_programme(budget=D("100000"), auto_switch=False)
    merchant = make_merchant(n=902)
    committed["programmes"].append(programme.pk)
    committed["merchants"].append(merchant.pk)
    claims = [
        claim_transition(actor=office, claim=c, to_state=ClaimState.APPROVED)
        for c in reviewed_claims(programme, merchant, 10, office)
    ]
    # Every claim is paid by four threads at once.
    run_threads(lambda claim: claim_mark_paid(claim=claim).state, claims * 4)
    assert Claim.objects.filter(programme=programme, state=ClaimState.PAID).count() == 10
    pays = BudgetEntry.objects.filter(budget__programme=programme, kind=LedgerKind.PAY)
    assert pays.count() == 10
    assert budget_summary(Budget.objects.get(programme=programme))["paid"] == D("9998.00")


def test_a_voucher_burst_issues_exactly_the_quota_and_one_live_voucher_per_person(committed):
    from django.utils import timezone

    programme = make_programme(uses_vouchers=True, budget=None)
    committed["programmes"].append(programme.pk)
    now = timezone.now()
    window = voucher_window_create(
        actor=None,
        programme=programme,
        category="fridge",
        opens_at=now - datetime.timedelta(minutes=1),
        closes_at=now + datetime.timedelta(days=1),
        daily_quota=50,
        valid_days=7,
    )
    # 120 different residents, and 10 residents who each press the button four times at once.
    people = list(range(2000, 2120)) + [3000 + i % 10 for i in range(40)]

    def claim(n):
        try:
            voucher_claim(window=window, name="居民", identity=identity(n), phone=f"139{n:08d}")
            return "issued"
        except VoucherRefused as exc:
            return exc.code

    outcomes = run_threads(claim, people)
    issued = Voucher.objects.filter(window=window)
    assert outcomes.count("issued") == issued.count() == 50
    assert set(outcomes) <= {"issued", "sold_out", "already_holds"}
    holders = list(issued.filter(state=VoucherState.LIVE).values_list("person_hash", flat=True))
    assert len(holders) == len(set(holders))
    assert sum(window.quotas.values_list("remaining", flat=True)) == 0


def test_retries_racing_with_one_idempotency_key_make_one_claim_and_one_person_gets_one_slot(committed):
    programme = make_programme(budget=None)
    merchant = make_merchant(n=903)
    committed["programmes"].append(programme.pk)
    committed["merchants"].append(merchant.pk)
    data = row(4000)
    data.pop("idempotency_key")

    def retry(_i):
        return claim_submit(
            actor=None, merchant=merchant, programme=programme, idempotency_key="same", data=data
        ).claim.pk

    ids = run_threads(retry, list(range(16)))
    assert len(ids) == 16 and len(set(ids)) == 1
    assert Claim.objects.filter(programme=programme).count() == 1

    # One buyer, one fridge allowed: sixteen different keys and invoices at once, one claim.
    def other_key(i):
        fresh = row(4001, idempotency_key=f"k{i}", serial_number=f"S{i}", invoice_no=f"I{i}")
        key = fresh.pop("idempotency_key")
        try:
            claim_submit(actor=None, merchant=merchant, programme=programme, idempotency_key=key, data=fresh)
            return "created"
        except ClaimRefused as exc:
            return exc.code

    outcomes = run_threads(other_key, list(range(16)))
    assert sorted(set(outcomes)) == ["created", "person_limit"]
    assert outcomes.count("created") == 1
    assert Claim.objects.filter(programme=programme, buyer_id_hash=pii.identity_hash(identity(4001))).count() == 1


@pytest.mark.django_db
def test_the_demo_budgets_agree_with_their_ledgers():
    # (Also makes pytest-django set up the test database when this module runs alone: the tests
    # above use it without the django_db mark.)
    assert Budget.objects.filter(programme__jurisdiction__name="北辰区").exists()
    assert budget_check() == []
