"""The demo network: what it holds, and that loading it again changes nothing."""

import io

import pytest

from liangxin.recycling.demo import load_demo
from liangxin.recycling.hours import hours_problem
from liangxin.recycling.models import RouteStop, Site, SiteStatusChange, TownCentre, VolumeReturn

pytestmark = pytest.mark.django_db


def test_beichen_has_its_three_level_network_with_towns_operators_and_a_mobile_route(beichen):
    sites = Site.objects.filter(jurisdiction=beichen)
    by_level = {
        level: sites.filter(level=level).count()
        for level in ("point", "transfer", "sorting", "vehicle_dismantler", "mobile")
    }
    assert by_level == {"point": 228, "transfer": 6, "sorting": 3, "vehicle_dismantler": 1, "mobile": 1}
    assert TownCentre.objects.filter(town__parent=beichen).count() == 14
    assert RouteStop.objects.filter(site__jurisdiction=beichen).count() == 6
    assert all(hours_problem(s.hours) is None for s in sites)
    assert sites.filter(operator__isnull=False).exclude(operator__uscc="").count() > 100
    assert all(s.town_id for s in sites)


def test_shuozhou_has_collection_points_and_two_networks_sites_and_taishan_a_public_depot():
    shuozhou = Site.objects.filter(jurisdiction__name="朔州市")
    assert shuozhou.filter(level="point", two_networks=True).count() == 3
    assert shuozhou.filter(level="vehicle_dismantler").count() == 1
    depot = Site.objects.get(jurisdiction__name="泰山区")
    assert (depot.level, depot.responsible_unit.name) == ("public_depot", "区机关事务服务中心")


def test_loading_the_demo_again_changes_nothing():
    counts = (Site.objects.count(), SiteStatusChange.objects.count(), VolumeReturn.objects.count())
    load_demo(quiet=True, stdout=io.StringIO())
    assert (Site.objects.count(), SiteStatusChange.objects.count(), VolumeReturn.objects.count()) == counts
