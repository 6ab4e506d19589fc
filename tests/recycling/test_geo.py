"""GCJ-02 ⇄ WGS-84: the published forward formula, the inverse by iteration, identity outside China."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liangxin.recycling.geo import both_datums, gcj02_to_wgs84, haversine_m, in_china, wgs84_to_gcj02

TIANANMEN_WGS = (39.908722, 116.397499)


def test_tiananmen_moves_by_the_known_gcj02_offset():
    lat, lng = wgs84_to_gcj02(*TIANANMEN_WGS)
    # The forward formula (Krasovsky ellipsoid) puts the flag pole about 155 m north and 530 m east.
    assert round(lat - TIANANMEN_WGS[0], 6) == 0.001404
    assert round(lng - TIANANMEN_WGS[1], 6) == 0.006244
    assert (round(lat, 6), round(lng, 6)) == (39.910126, 116.403743)


def test_the_inverse_of_tiananmen_returns_the_gps_position_to_a_millionth_of_a_degree():
    lat, lng = gcj02_to_wgs84(39.91012550007891, 116.4037425752605)
    assert abs(lat - TIANANMEN_WGS[0]) < 1e-6
    assert abs(lng - TIANANMEN_WGS[1]) < 1e-6


@settings(max_examples=300, deadline=None)
@given(lat=st.floats(min_value=18.2, max_value=53.5), lng=st.floats(min_value=73.7, max_value=134.7))
def test_wgs84_to_gcj02_and_back_is_the_identity_within_a_millionth_of_a_degree_everywhere_in_china(lat, lng):
    back = gcj02_to_wgs84(*wgs84_to_gcj02(lat, lng))
    assert abs(back[0] - lat) < 1e-6
    assert abs(back[1] - lng) < 1e-6


@pytest.mark.parametrize(
    "point",
    [(51.5007, -0.1246), (40.6892, -74.0445), (-33.8568, 151.2153), (35.6586, 139.7454 + 0.0)],
    ids=["london", "new-york", "sydney", "tokyo"],
)
def test_outside_china_the_transform_is_the_identity(point):
    assert not in_china(*point)
    assert wgs84_to_gcj02(*point) == point
    assert gcj02_to_wgs84(*point) == point


def test_in_china_is_true_for_beijing_and_urumqi_and_false_for_london():
    assert in_china(39.9, 116.4) and in_china(43.8, 87.6)
    assert not in_china(51.5, -0.12)
    assert not in_china(-33.9, 151.2)


def test_haversine_gives_a_degree_of_latitude_as_about_111_km_and_tianjin_to_beijing_as_about_113_km():
    assert round(haversine_m(39.0, 117.0, 40.0, 117.0)) == 111195
    assert 110_000 < haversine_m(39.0842, 117.2009, 39.9042, 116.4074) < 116_000
    assert haversine_m(39.1, 117.1, 39.1, 117.1) == 0


def test_both_datums_gives_six_decimals_in_either_direction():
    (glat, glng), (wlat, wlng) = both_datums("39.908722", "116.397499", "wgs84")
    assert (str(glat), str(glng), str(wlat), str(wlng)) == ("39.910126", "116.403743", "39.908722", "116.397499")
    (glat, glng), (wlat, wlng) = both_datums("39.910126", "116.403743", "gcj02")
    assert (str(glat), str(glng)) == ("39.910126", "116.403743")
    assert math.isclose(float(wlat), 39.908722, abs_tol=1.5e-6) and math.isclose(
        float(wlng), 116.397499, abs_tol=1.5e-6
    )
