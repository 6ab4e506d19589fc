"""The nearest-site index: the same answer as measuring every site, filters, and a cache that follows
the registry (a site that closes, opens or moves is seen by the next query)."""

import datetime
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liangxin.core.services import jurisdiction_ensure_path
from liangxin.recycling import nearest
from liangxin.recycling.geo import haversine_m as geo_haversine_m
from liangxin.recycling.geo import wgs84_to_gcj02
from liangxin.recycling.models import Site
from liangxin.recycling.nearest import SiteIndex, brute_force_nearest, haversine_m
from liangxin.recycling.services.sites import site_create, site_set_status, site_update

CATEGORIES = ["appliances", "furniture", "metal", "paper", "vehicle"]
LEVELS = ["point", "transfer", "sorting", "mobile"]


def generated_entries(seed: int, n: int, *, lat=(39.10, 39.35), lng=(116.95, 117.35), jurisdictions=(1, 2)):
    rng = random.Random(seed)
    return [
        (
            i + 1,
            rng.uniform(*lat),
            rng.uniform(*lng),
            frozenset(rng.sample(CATEGORIES, rng.randint(1, 3))),
            rng.choice(jurisdictions),
            rng.choice(LEVELS),
        )
        for i in range(n)
    ]


def same_answer(got, expected):
    assert [site_id for _, site_id in got] == [site_id for _, site_id in expected]
    assert [round(d, 6) for d, _ in got] == [round(d, 6) for d, _ in expected]


def test_the_module_haversine_agrees_with_the_geo_module():
    assert haversine_m(39.2, 117.1, 39.3, 117.2) == pytest.approx(geo_haversine_m(39.2, 117.1, 39.3, 117.2))
    # One degree of latitude is about 111.2 km.
    assert haversine_m(39.0, 117.0, 40.0, 117.0) == pytest.approx(111_195, abs=5)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(0, 400),
    k=st.integers(1, 50),
    lat=st.floats(38.9, 39.6),
    lng=st.floats(116.7, 117.6),
    category=st.sampled_from([None, *CATEGORIES, "glass"]),
)
def test_the_grid_gives_the_brute_force_answer_for_any_point_k_and_category(seed, n, k, lat, lng, category):
    entries = generated_entries(seed, n)
    index = SiteIndex(entries)
    same_answer(
        index.nearest(lat, lng, k=k, category=category),
        brute_force_nearest(entries, lat, lng, k=k, category=category),
    )


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    lat=st.floats(18.0, 53.0),
    lng=st.floats(74.0, 134.0),
    level=st.sampled_from([None, *LEVELS]),
    jurisdiction=st.sampled_from([None, 1, 2, 3]),
)
def test_the_grid_gives_the_brute_force_answer_over_the_whole_country_with_level_and_place(
    seed, lat, lng, level, jurisdiction
):
    entries = generated_entries(seed, 500, lat=(18.0, 53.0), lng=(74.0, 134.0), jurisdictions=(1, 2, 3))
    index = SiteIndex(entries)
    same_answer(
        index.nearest(lat, lng, k=7, level=level, jurisdiction_id=jurisdiction),
        brute_force_nearest(entries, lat, lng, k=7, level=level, jurisdiction_id=jurisdiction),
    )


def test_a_dense_set_of_five_thousand_sites_gives_the_brute_force_answer_at_a_hundred_points():
    entries = generated_entries(2024, 5000)
    index = SiteIndex(entries)
    rng = random.Random(7)
    for _ in range(100):
        lat, lng = rng.uniform(39.0, 39.45), rng.uniform(116.85, 117.45)
        category = rng.choice([None, *CATEGORIES])
        same_answer(
            index.nearest(lat, lng, k=10, category=category),
            brute_force_nearest(entries, lat, lng, k=10, category=category),
        )


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), lat=st.floats(18.0, 53.0), lng=st.floats(74.0, 134.0), k=st.integers(1, 20))
def test_clusters_far_apart_give_the_brute_force_answer_from_anywhere(seed, lat, lng, k):
    # Dense districts hundreds of kilometres apart: small cells, and a query far from all of them.
    entries = (
        generated_entries(seed, 300, lat=(39.15, 39.30), lng=(117.0, 117.25))
        + [(1000 + e[0], *e[1:]) for e in generated_entries(seed + 1, 40, lat=(39.3, 39.4), lng=(112.3, 112.5))]
        + [(2000, 36.2, 117.1, frozenset({"paper"}), 3, "public_depot")]
    )
    index = SiteIndex(entries)
    assert index.grids[None].cell <= 0.05
    same_answer(index.nearest(lat, lng, k=k), brute_force_nearest(entries, lat, lng, k=k))


def test_asking_for_more_sites_than_there_are_gives_all_of_them_nearest_first():
    entries = [
        (1, 39.20, 117.10, frozenset({"paper"}), 1, "point"),
        (2, 39.21, 117.10, frozenset({"paper"}), 1, "point"),
    ]
    found = SiteIndex(entries).nearest(39.215, 117.10, k=10)
    assert [site_id for _, site_id in found] == [2, 1]
    assert found[0][0] == pytest.approx(556, abs=1)


def test_a_category_no_site_accepts_finds_nothing():
    assert SiteIndex(generated_entries(1, 50)).nearest(39.2, 117.1, k=5, category="glass") == []


def test_a_distance_limit_leaves_out_the_sites_beyond_it():
    entries = [
        (1, 39.200, 117.1, frozenset({"paper"}), 1, "point"),
        (2, 39.300, 117.1, frozenset({"paper"}), 1, "point"),
    ]
    found = SiteIndex(entries).nearest(39.2, 117.1, k=5, max_m=5_000)
    assert [site_id for _, site_id in found] == [1]


def test_k_is_capped_at_fifty():
    assert len(SiteIndex(generated_entries(3, 200)).nearest(39.2, 117.1, k=500)) == 50


# --- against the database -------------------------------------------------------------------------


@pytest.fixture
def district(db):
    return jurisdiction_ensure_path(path="天津市/测试近邻区")


def make_site(district, name, lat, lng, *, categories=("appliances",), status="open", level="point"):
    return site_create(
        actor=None,
        jurisdiction=district,
        level=level,
        name=name,
        address=f"测试近邻区{name}路1号",
        lat=lat,
        lng=lng,
        datum="wgs84",
        categories=list(categories),
        status=status,
        status_since=datetime.date(2025, 1, 1),
    )


def test_nearest_open_sites_agrees_with_measuring_every_open_site_in_the_database(district):
    rng = random.Random(11)
    for i in range(60):
        make_site(
            district,
            f"站点{i}",
            rng.uniform(39.1, 39.3),
            rng.uniform(117.0, 117.3),
            categories=rng.sample(CATEGORIES, 2),
            status=rng.choice(["open", "open", "open", "closed", "planned"]),
        )
    open_entries = [
        (s.pk, float(s.wgs_lat), float(s.wgs_lng), frozenset(s.categories), s.jurisdiction_id, s.level)
        for s in Site.objects.filter(status="open")
    ]
    for lat, lng, category in [(39.2, 117.15, None), (39.15, 117.05, "furniture"), (39.28, 117.29, "vehicle")]:
        found = nearest.nearest_open_sites(lat=lat, lng=lng, datum="wgs84", k=8, category=category)
        expected = brute_force_nearest(open_entries, lat, lng, k=8, category=category)
        assert [(s.pk, round(d, 3)) for s, d in found] == [(i, round(d, 3)) for d, i in expected]
        assert all(s.status == "open" for s, _ in found)


def test_a_point_given_in_gcj02_finds_the_same_sites_at_the_same_distances_as_in_wgs84(district):
    near = make_site(district, "近", 39.2000, 117.1000)
    far = make_site(district, "远", 39.2300, 117.1000)
    glat, glng = wgs84_to_gcj02(39.2010, 117.1000)
    by_gps = nearest.nearest_open_sites(lat=39.2010, lng=117.1000, datum="wgs84", k=2, jurisdiction_id=district.pk)
    by_map = nearest.nearest_open_sites(lat=glat, lng=glng, datum="gcj02", k=2, jurisdiction_id=district.pk)
    assert [s for s, _ in by_gps] == [near, far]
    assert [s for s, _ in by_map] == [near, far]
    assert [round(d) for _, d in by_map] == [round(d) for _, d in by_gps] == [111, 3225]


def test_a_site_that_closes_leaves_the_answer_at_once_and_one_that_opens_joins_it(district):
    first = make_site(district, "一号", 39.2000, 117.1000)
    second = make_site(district, "二号", 39.2100, 117.1000)
    planned = make_site(district, "三号", 39.2001, 117.1000, status="planned")

    def names():
        found = nearest.nearest_open_sites(lat=39.2, lng=117.1, k=3, jurisdiction_id=district.pk)
        return [s.name for s, _ in found]

    assert names() == ["一号", "二号"]
    index_before = nearest.site_index()
    site_set_status(actor=None, site=first, status="closed", on=datetime.date(2025, 6, 1))
    assert names() == ["二号"]
    assert nearest.site_index() is not index_before
    site_set_status(actor=None, site=planned, status="open", on=datetime.date(2025, 6, 1))
    assert names() == ["三号", "二号"]
    site_update(actor=None, site=second, lat="39.200050", lng="117.100000")
    assert names() == ["二号", "三号"]


def test_the_index_is_reused_while_the_sites_do_not_change(district):
    make_site(district, "一号", 39.2000, 117.1000)
    assert nearest.site_index() is nearest.site_index()


def test_a_category_filter_keeps_only_the_sites_taking_it(district):
    make_site(district, "家电站", 39.2100, 117.1000, categories=["appliances"])
    make_site(district, "家具站", 39.2001, 117.1000, categories=["furniture"])
    found = nearest.nearest_open_sites(lat=39.2, lng=117.1, k=5, category="appliances", jurisdiction_id=district.pk)
    assert [s.name for s, _ in found] == ["家电站"]
