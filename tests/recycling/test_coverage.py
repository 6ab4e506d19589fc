"""Coverage: open sites by level and town on a date from the dated status changes, the monthly
series against the plan's targets, and the towns without a point near their centre."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from liangxin.core.services import jurisdiction_ensure_path
from liangxin.recycling import selectors
from liangxin.recycling.services import site_create, site_set_status, town_centre_set

from .conftest import site_values

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def network(fresh_district):
    """Two towns; points opened and closed on known dates; one sorting centre."""
    north = jurisdiction_ensure_path(path=f"{fresh_district.full_name}/北镇")
    south = jurisdiction_ensure_path(path=f"{fresh_district.full_name}/南街道")
    town_centre_set(actor=None, town=north, lat="39.300000", lng="117.100000", population=30000)
    town_centre_set(actor=None, town=south, lat="39.200000", lng="117.100000", population=50000)

    def add(name, town, level, opened, lat, closed=None):
        site = site_create(
            actor=None,
            jurisdiction=fresh_district,
            status="open",
            status_since=opened,
            **site_values(name=name, town=town, level=level, lat=lat, lng="117.100000"),
        )
        if closed:
            site_set_status(actor=None, site=site, status="closed", on=closed)
        return site

    add("南1", south, "point", D(2023, 3, 1), "39.201000")
    add("南2", south, "point", D(2024, 2, 15), "39.205000")
    add("南3", south, "point", D(2023, 6, 1), "39.199000", closed=D(2024, 5, 31))
    add("北1", north, "point", D(2024, 7, 1), "39.250000")  # 5.56 km south of 北镇's centre
    add("分拣", south, "sorting", D(2022, 1, 1), "39.190000")
    planned = site_create(
        actor=None,
        jurisdiction=fresh_district,
        status="planned",
        status_since=D(2023, 1, 1),
        **site_values(name="规划", town=north),
    )
    return fresh_district, north, south, planned


def test_open_sites_on_a_date_are_counted_by_level_and_town(network):
    district, north, south, _planned = network
    cov = selectors.coverage_on(district, D(2024, 5, 30))
    counts = {(r.town.name if r.town else None): r.counts for r in cov.rows}
    assert counts == {"北镇": {}, "南街道": {"point": 3, "sorting": 1}}
    cov = selectors.coverage_on(district, D(2024, 5, 31))  # 南3 closed that day
    counts = {(r.town.name if r.town else None): r.counts for r in cov.rows}
    assert counts == {"北镇": {}, "南街道": {"point": 2, "sorting": 1}}
    assert selectors.coverage_on(district, D(2023, 2, 28)).totals == {"sorting": 1}
    assert selectors.coverage_on(district, D(2024, 7, 1)).totals == {"point": 3, "sorting": 1}


def test_the_monthly_series_reads_each_month_end_from_the_status_changes(network):
    district = network[0]
    series = selectors.coverage_series(district, D(2024, 1, 1), D(2024, 7, 31))
    assert [(r.month_end, r.points, r.sorting) for r in series] == [
        (D(2024, 1, 31), 2, 1),
        (D(2024, 2, 29), 3, 1),
        (D(2024, 3, 31), 3, 1),
        (D(2024, 4, 30), 3, 1),
        (D(2024, 5, 31), 2, 1),
        (D(2024, 6, 30), 2, 1),
        (D(2024, 7, 31), 3, 1),
    ]


def test_a_town_whose_nearest_open_point_is_farther_than_the_distance_is_a_gap(network):
    district = network[0]
    gaps, towns = selectors.gaps(district, km=Decimal(3))
    assert [(g.centre.town.name, g.nearest.name, g.distance_km) for g in gaps] == [("北镇", "北1", Decimal("5.56"))]
    assert [g.centre.town.name for g in towns] == ["北镇", "南街道"]
    assert selectors.gaps(district, km=Decimal(6))[0] == []


def test_beichen_targets_come_from_the_plan_indicator_milestones(beichen):
    targets = selectors.plan_targets(beichen)
    assert targets.indicator.name == "再生资源回收点和再生资源分拣中心建设"
    assert targets.points == {2023: 200, 2024: 250, 2025: 300, 2026: 350, 2027: 400}
    assert targets.sorting == {2023: 1, 2024: 1, 2025: 2, 2026: 2, 2027: 3}


def test_beichen_demo_network_has_200_points_open_at_the_end_of_2023_as_the_plan_says(beichen):
    ends = [D(2023, 12, 31), D(2024, 12, 31), D(2025, 12, 31)]
    counts = selectors.open_counts_on(beichen, ends)
    assert [c["point"] for c in counts] == [200, 211, 220]
    assert [c["sorting"] for c in counts] == [1, 1, 2]


def test_the_coverage_page_shows_towns_series_and_gaps_for_the_chosen_distance(beichen, client_as):
    response = client_as("beichen").get(reverse("recycling:coverage"), {"on": "2025-12-31", "km": "3"})
    assert response.status_code == 200
    assert [g.centre.town.name for g in response.context["gaps"]] == ["大张庄镇"]
    html = response.content.decode()
    assert "大张庄镇" in html and "4.44" in html
    assert "再生资源回收点和再生资源分拣中心建设" in html


def test_the_api_gives_coverage_and_gaps_and_hides_other_networks(beichen, client_as):
    client = client_as("beichen")
    cov = client.get(reverse("api:recycling-coverage"), {"on": "2023-12-31"}).json()
    assert cov["totals"]["point"] == 200
    assert cov["targets"]["points"] == {"2023": "200", "2024": "250", "2025": "300", "2026": "350", "2027": "400"}
    assert cov["targets"]["sorting"]["2027"] == "3"
    gaps = client.get(reverse("api:recycling-gaps"), {"km": "3"}).json()
    assert [(g["name"], g["distance_km"]) for g in gaps["gaps"]] == [("大张庄镇", "4.44")]
    other = client_as("wuqing").get(reverse("api:recycling-gaps"), {"jurisdiction": beichen.pk})
    assert other.status_code == 404
