"""Overdue claims reach the 督办 list; paid claims, subsidy, old appliances and scrapped cars feed
plan indicators; the demo loads twice without change."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from liangxin.core.models import Jurisdiction, User
from liangxin.dispatch import feeds
from liangxin.dispatch.models import SupervisionItem
from liangxin.dispatch.selectors_supervision import subject_url
from liangxin.dispatch.services.supervision import supervision_scan
from liangxin.dispatch.supervision_sources import SOURCES
from liangxin.tradein.enums import ClaimState
from liangxin.tradein.models import Claim, Programme
from liangxin.tradein.services.claims import claim_mark_paid, claim_submit, claim_transition

from .factories import make_merchant, make_programme, row

D = Decimal
pytestmark = pytest.mark.django_db


def submit(programme, merchant, n, *, when=None, **kw):
    data = row(n, **kw)
    key = data.pop("idempotency_key")
    return claim_submit(
        actor=None, merchant=merchant, programme=programme, idempotency_key=key, data=data, now=when
    ).claim


def test_overdue_claims_appear_in_the_plans_supervision_list_and_resolve(plan_of):
    plan = plan_of("武清区")
    office = User.objects.get(username="wuqing")
    programme, merchant = make_programme(name="督办测试"), make_merchant(n=51)
    long_ago = timezone.now() - datetime.timedelta(days=10)
    late = submit(programme, merchant, 1, when=long_ago)
    submit(programme, merchant, 2)
    today = timezone.localdate()

    supervision_scan(plan=plan, today=today)
    items = SupervisionItem.objects.filter(plan=plan, rule="tradein_claims_overdue")
    assert [(i.subject_type, i.subject_id, i.level, i.resolved_at) for i in items] == [
        ("tradein_accept", programme.pk, "overdue", None)
    ]
    assert items[0].title.startswith("督办测试") and "1" in items[0].title
    assert f"programme={programme.pk}" in subject_url(office, items[0])
    assert items[0].rule_label == str(SOURCES["tradein_claims_overdue"].label) != "tradein_claims_overdue"

    claim_transition(actor=office, claim=late, to_state=ClaimState.ACCEPTED)
    supervision_scan(plan=plan, today=today)
    assert SupervisionItem.objects.get(pk=items[0].pk).resolved_at is not None


def test_a_scan_before_the_claims_existed_finds_nothing(plan_of):
    programme, merchant = make_programme(), make_merchant(n=52)
    submit(programme, merchant, 3, when=timezone.now() - datetime.timedelta(days=10))
    supervision_scan(plan=plan_of("武清区"), today=datetime.date(2025, 3, 10))
    assert not SupervisionItem.objects.filter(rule="tradein_claims_overdue", subject_id=programme.pk).exists()


def test_feeds_count_paid_claims_subsidy_old_appliances_and_scrapped_cars():
    office = User.objects.get(username="wuqing")
    programme, merchant = make_programme(), make_merchant(n=53)
    fridge = submit(programme, merchant, 10)
    car = submit(
        programme,
        merchant,
        11,
        category="car_scrappage_nev",
        grade=None,
        price=D("180000"),
        scrappage_certificate_no="BF-9",
        recycler_handover_no="",
        serial_number="",
    )
    for claim in (fridge, car):
        for step in (ClaimState.ACCEPTED, ClaimState.REVIEWED, ClaimState.APPROVED):
            claim = claim_transition(actor=office, claim=claim, to_state=step)
        claim_mark_paid(claim=claim, actor=office)
    today = timezone.localdate()
    periods = [(today - datetime.timedelta(days=400), today - datetime.timedelta(days=100)), (today, today)]
    tianjin = Jurisdiction.objects.get(name="天津市", parent=None)
    wuqing = Jurisdiction.objects.get(name="武清区")
    before = {k: feeds.feed_values(k, tianjin, periods) for k in feeds.FEEDS if k.startswith("tradein.")}
    mine = {k: feeds.feed_values(k, wuqing, periods) for k in before}
    assert set(before) == {
        "tradein.claims_paid",
        "tradein.subsidy_paid",
        "tradein.old_appliances",
        "tradein.car_scrappage",
    }
    paid_here = Claim.objects.filter(programme__jurisdiction=wuqing, state=ClaimState.PAID, paid_at__date=today)
    assert mine["tradein.claims_paid"][1] == D(paid_here.count()) >= 2
    assert mine["tradein.claims_paid"][0] == D(0)
    assert mine["tradein.subsidy_paid"][1] >= D("20999.80")
    assert mine["tradein.old_appliances"][1] >= D(1)
    assert mine["tradein.car_scrappage"][1] >= D(1)
    # The city counts its districts too.
    assert before["tradein.claims_paid"][1] >= mine["tradein.claims_paid"][1]
    assert feeds.FEEDS["tradein.car_scrappage"].unit == "辆"


def test_the_demo_is_labelled_and_loads_twice_without_change():
    programme = Programme.objects.get(jurisdiction__name="北辰区", year=2025)
    count = Claim.objects.filter(programme=programme).count()
    call_command("demo", quiet=True)
    assert Claim.objects.filter(programme=programme).count() == count == 33
    assert all("演示" in m.name for m in programme.jurisdiction.tradein_merchants.all())
    assert User.objects.get(username="merchant_suning_bc").merchant_account.merchant.name.startswith("苏宁")
    states = set(Claim.objects.filter(programme=programme).values_list("state", flat=True))
    assert states == {"submitted", "accepted", "reviewed", "approved", "paid", "rejected"}
    assert programme.budget.state == "open"
