"""Monthly returns: units fixed per category, no negatives, spikes flagged until confirmed with a
reason, totals per month against the 2023 baseline, and the feeds that measure the indicators."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from liangxin.core.models import AuditEntry
from liangxin.dispatch.feeds import FEEDS, feed_values
from liangxin.recycling import selectors
from liangxin.recycling.models import Site, VolumeReturn
from liangxin.recycling.services import RecyclingError, return_confirm, return_enter, site_create, site_set_status

from .conftest import site_values

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def site(fresh_district):
    return site_create(
        actor=None,
        jurisdiction=fresh_district,
        status="open",
        status_since=D(2022, 1, 1),
        **site_values(level="transfer"),
    )


def test_the_unit_must_be_the_categorys_unit_and_quantities_cannot_be_negative(site):
    with translation.override("en"):
        with pytest.raises(ValidationError, match="counted in 台, not in 吨"):
            return_enter(actor=None, site=site, month=D(2024, 1, 1), category="appliances", quantity="5", unit="吨")
        with pytest.raises(ValidationError, match="negative"):
            return_enter(actor=None, site=site, month=D(2024, 1, 1), category="paper", quantity="-1")
        with pytest.raises(ValidationError, match="Unknown category"):
            return_enter(actor=None, site=site, month=D(2024, 1, 1), category="fridge", quantity="1")
    ret = return_enter(actor=None, site=site, month=D(2024, 1, 17), category="paper", quantity="12.5")
    assert (ret.month, ret.unit, ret.quantity, ret.state) == (D(2024, 1, 1), "吨", Decimal("12.5"), "entered")


def test_the_database_refuses_a_negative_quantity_too(site):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        VolumeReturn.objects.create(site=site, month=D(2024, 1, 1), category="paper", quantity=Decimal(-1), unit="吨")


def test_more_than_three_times_the_median_of_previous_months_is_flagged_and_not_counted_until_confirmed(site, user):
    for month, q in ((1, 20), (2, 22), (3, 18), (4, 25)):
        assert (
            return_enter(actor=None, site=site, month=D(2024, month, 1), category="appliances", quantity=q).state
            == "entered"
        )
    normal = return_enter(actor=None, site=site, month=D(2024, 5, 1), category="appliances", quantity=63)
    assert normal.state == "entered"  # 63 ≤ 3 × the median 21
    spike = return_enter(actor=None, site=site, month=D(2024, 6, 1), category="appliances", quantity=70)
    assert spike.state == "flagged"
    assert spike.state == "flagged"  # 70 > 3 × 22, the median of 20, 22, 18, 25 and 63
    assert spike.flag_reason == "70台 超过该网点前 5 个月中位数（22台）的 3 倍。"
    district = site.jurisdiction
    periods = [(D(2024, 1, 1), D(2024, 6, 30))]
    assert selectors.collected(district, "appliances", periods) == [Decimal(20 + 22 + 18 + 25 + 63)]
    with pytest.raises(ValidationError):
        return_confirm(actor=None, ret=spike, reason="  ")
    confirmed = return_confirm(actor=None, ret=spike, reason="以旧换新活动集中回收")
    assert (confirmed.state, confirmed.confirm_reason) == ("confirmed", "以旧换新活动集中回收")
    assert selectors.collected(district, "appliances", periods) == [Decimal(20 + 22 + 18 + 25 + 63 + 70)]
    with pytest.raises(RecyclingError):
        return_confirm(actor=None, ret=confirmed, reason="again")
    actions = list(
        AuditEntry.objects.filter(object_id=str(spike.pk), object_type="recycling.volumereturn").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["recycling.return_confirm", "recycling.return_enter"]


def test_a_first_return_far_above_the_districts_typical_site_is_flagged(beichen, user):
    new = site_create(
        actor=None, jurisdiction=beichen, status="open", status_since=D(2023, 1, 1), **site_values(name="新点")
    )
    # In 2025-03 北辰区's 30-odd reporting points and 中转站 return a few to twenty 台 each.
    ret = return_enter(
        actor=user("beichen_shangwu"), site=new, month=D(2025, 3, 1), category="appliances", quantity=900
    )
    assert ret.state == "flagged" and "district" in ret.flag_reason or "区" in ret.flag_reason
    ok = return_enter(actor=user("beichen_shangwu"), site=new, month=D(2025, 3, 1), category="appliances", quantity=6)
    assert ok.state == "entered" and ok.pk == ret.pk  # a correction replaces the figure


def test_only_the_office_and_the_responsible_unit_enter_and_confirm_returns(beichen, user):
    site = Site.objects.get(name="北辰区再生资源分拣中心（双街）")
    for persona in ("beichen_gongxin", "wuqing", "tianjin_leader"):
        with pytest.raises(PermissionDenied):
            return_enter(actor=user(persona), site=site, month=D(2025, 11, 1), category="paper", quantity=1)
    flagged = VolumeReturn.objects.get(state="flagged", site__jurisdiction=beichen)
    with pytest.raises(PermissionDenied):
        return_confirm(actor=user("beichen_gongxin"), ret=flagged, reason="x")
    assert return_confirm(actor=user("beichen_shangwu"), ret=flagged, reason="活动").state == "confirmed"


def test_the_demo_totals_follow_the_plans_2023_baseline_of_3792_appliances(beichen):
    table = selectors.totals(beichen, first=D(2024, 1, 1), last=D(2025, 12, 31))
    assert table.baseline["appliances"] == (Decimal(3792), "plan")
    years = dict(table.years)
    assert 3792 * 1.03 < years[2024]["appliances"] < 3792 * 1.12
    assert years[2025]["appliances"] > years[2024]["appliances"]
    assert table.pending == 1
    assert table.categories == ["appliances", "metal", "paper", "plastic", "vehicle"]


def test_the_feeds_measure_open_points_and_sorting_centres_at_period_end_and_collected_amounts(fresh_district, site):
    assert {
        "recycling.points_open",
        "recycling.sorting_centres_open",
        "recycling.appliances_collected",
        "recycling.vehicles_collected",
    } <= set(FEEDS)
    point = site_create(
        actor=None, jurisdiction=fresh_district, status="open", status_since=D(2024, 3, 10), **site_values()
    )
    site_set_status(actor=None, site=point, status="closed", on=D(2024, 8, 1))
    periods = [(D(2024, 1, 1), D(2024, 3, 31)), (D(2024, 4, 1), D(2024, 6, 30)), (D(2024, 7, 1), D(2024, 9, 30))]
    assert feed_values("recycling.points_open", fresh_district, periods) == [1, 1, 0]
    assert feed_values("recycling.sorting_centres_open", fresh_district, periods) == [0, 0, 0]
    return_enter(actor=None, site=site, month=D(2024, 2, 1), category="appliances", quantity=10)
    return_enter(actor=None, site=site, month=D(2024, 3, 1), category="appliances", quantity=12)
    return_enter(actor=None, site=site, month=D(2024, 5, 1), category="vehicle", quantity=3)
    assert feed_values("recycling.appliances_collected", fresh_district, periods) == [22, 0, 0]
    assert feed_values("recycling.vehicles_collected", fresh_district, periods) == [0, 3, 0]
    # A city's feed includes its districts' sites.
    tianjin = fresh_district.parent
    assert feed_values("recycling.vehicles_collected", tianjin, [(D(2024, 5, 1), D(2024, 5, 31))])[0] >= 3


def test_the_returns_page_lists_flagged_returns_and_the_office_confirms_one(beichen, client_as):
    client = client_as("beichen")
    page = client.get(reverse("recycling:return_list"), {"state": "flagged"})
    assert [r.quantity for r in page.context["returns"]] == [Decimal(96)]
    flagged = page.context["returns"][0]
    response = client.post(reverse("recycling:return_confirm", args=[flagged.pk]), {"reason": "以旧换新活动"})
    assert response.status_code == 302
    flagged.refresh_from_db()
    assert flagged.state == "confirmed" and flagged.confirmed_by.username == "beichen"
    assert (
        client_as("beichen_gongxin")
        .post(reverse("recycling:return_confirm", args=[flagged.pk]), {"reason": "x"})
        .status_code
        == 403
    )


def test_a_return_entered_in_the_browser_with_the_wrong_unit_is_refused_on_the_field(beichen, client_as):
    site = Site.objects.get(name="北辰区再生资源分拣中心（双街）")
    client = client_as("beichen_shangwu")
    bad = client.post(
        reverse("recycling:return_enter"),
        {"site": site.pk, "month": "2023-07", "category": "metal", "quantity": "5", "unit": "台"},
    )
    assert bad.status_code == 200 and "unit" in bad.context["form"].errors
    ok = client.post(
        reverse("recycling:return_enter"), {"site": site.pk, "month": "2023-07", "category": "metal", "quantity": "400"}
    )
    assert ok.status_code == 302
    assert VolumeReturn.objects.get(site=site, month=D(2023, 7, 1), category="metal").unit == "吨"


def test_the_totals_page_and_api_compare_with_the_baseline_and_export(beichen, client_as):
    client = client_as("beichen")
    page = client.get(reverse("recycling:totals"), {"first": "2024-01", "last": "2025-12"})
    assert page.status_code == 200
    assert len(page.context["rows"]) == 24
    assert "3792" in page.content.decode()
    api = client.get(reverse("api:recycling-totals"), {"first": "2024-01", "last": "2025-12"}).json()
    assert api["baseline"]["appliances"] == {"year": 2023, "amount": "3792", "source": "plan"}
    assert len(api["months"]) == 24 and api["units"]["vehicle"] == "辆"
    export = client.get(reverse("recycling:totals_export"), {"first": "2024-01", "last": "2025-12"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_api_enters_a_return_flags_a_spike_and_confirms_it(beichen, client_as):
    site = Site.objects.get(name="北辰区再生资源分拣中心（双街）")
    client = client_as("beichen_shangwu")
    url = reverse("api:recycling-return-enter")
    bad = client.post(
        url,
        {"site": site.pk, "month": "2023-08", "category": "appliances", "quantity": "-2"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    # The site's appliances run near 100 台 a month: 2,000 is a spike.
    r = client.post(
        url,
        {"site": site.pk, "month": "2026-01", "category": "appliances", "quantity": "2000"},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["state"] == "flagged", r.content
    c = client.post(
        reverse("api:recycling-return-confirm", args=[r.json()["id"]]),
        {"reason": "集中清运"},
        content_type="application/json",
    )
    assert c.status_code == 200 and c.json()["state"] == "confirmed" and c.json()["confirmed_by"] == "beichen_shangwu"
    listed = client.get(reverse("api:recycling-return-list"), {"site": site.pk, "month": "2026-01"}).json()
    assert [x["quantity"] for x in listed["results"]] == ["2000.000"]
    assert (
        client_as("beichen_gongxin")
        .post(
            url,
            {"site": site.pk, "month": "2023-08", "category": "paper", "quantity": "1"},
            content_type="application/json",
        )
        .status_code
        == 403
    )
