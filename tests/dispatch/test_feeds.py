"""Indicators the platform measures itself: a registered feed replaces the units' reports."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from liangxin.core.models import AuditEntry, Unit
from liangxin.dispatch import feeds
from liangxin.dispatch.assess import assess_plan
from liangxin.dispatch.enums import IndicatorKind
from liangxin.dispatch.models import IndicatorEntry, Period, Submission
from liangxin.dispatch.services import calendar_set, profile_set
from liangxin.plans.models import Indicator

D = Decimal
SEEN = []


def _sites_level(jurisdiction, periods):
    """A level that grows by ten each month from 210: the count of sites at each month's end."""
    SEEN.append(jurisdiction.name)
    return [D(210) + D(10) * ((end.year - 2024) * 12 + end.month - 1) for _start, end in periods]


@pytest.fixture
def feed():
    registered = feeds.register(
        feeds.Feed(
            key="test.sites",
            label="sites counted by the test",
            kind=IndicatorKind.LEVEL,
            unit="个",
            values=_sites_level,
        )
    )
    yield registered
    feeds.FEEDS.pop(registered.key)


@pytest.fixture
def beichen(plan_of, user):
    plan = plan_of("北辰区")
    calendar_set(actor=user("beichen"), plan=plan, cadence="month")
    return plan


def test_a_fed_indicator_takes_its_values_from_the_feed_not_from_the_units(beichen, user, feed):
    ind = Indicator.objects.get(plan=beichen, seq=13)  # 再生资源回收点: 200 in 2023, 250 by 2024
    march = Period.objects.get(plan=beichen, start=datetime.date(2024, 3, 1))
    sub = Submission.objects.create(
        period=march,
        unit=Unit.objects.get(jurisdiction=beichen.jurisdiction, name="区商务局"),
        state="submitted",
        submitted_at=datetime.datetime(2024, 4, 2, tzinfo=datetime.UTC),
    )
    IndicatorEntry.objects.create(submission=sub, indicator=ind, value=D(999))

    profile = profile_set(actor=user("beichen"), indicator=ind, source="test.sites")
    assert profile.kind == IndicatorKind.LEVEL
    result = next(a for a in assess_plan(beichen, march).indicators if a.indicator.pk == ind.pk)
    assert result.actual == D(230)  # the feed's level at the end of March 2024, not the unit's 999
    assert "北辰区" in SEEN
    assert AuditEntry.objects.filter(action="dispatch.profile_set", after__source="test.sites").exists()

    profile_set(actor=user("beichen"), indicator=ind, source="")
    result = next(a for a in assess_plan(beichen, march).indicators if a.indicator.pk == ind.pk)
    assert result.actual == D(999)


def test_an_unknown_data_source_is_refused_with_its_name(beichen, user):
    ind = Indicator.objects.get(plan=beichen, seq=13)
    with pytest.raises(ValidationError, match="no.such"):
        profile_set(actor=user("beichen"), indicator=ind, source="no.such")


def test_the_office_picks_a_data_source_in_the_profile_form_and_the_api(beichen, client_as, feed):
    ind = Indicator.objects.get(plan=beichen, seq=13)
    client = client_as("beichen")
    response = client.patch(
        reverse("api:dispatch-indicator-profile", args=[ind.pk]),
        {"source": "test.sites"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["source"] == "test.sites" and response.json()["kind"] == "level"
    bad = client.patch(
        reverse("api:dispatch-indicator-profile", args=[ind.pk]), {"source": "nope"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "nope" in bad.content.decode()


def test_units_do_not_owe_a_figure_for_a_fed_indicator(beichen, user, feed):
    from liangxin.dispatch.selectors import owed_by_unit

    ind = Indicator.objects.get(plan=beichen, seq=13)
    shangwu = Unit.objects.get(jurisdiction=beichen.jurisdiction, name="区商务局")
    assert ind in owed_by_unit(unit=shangwu, plan=beichen)[0]
    profile_set(actor=user("beichen"), indicator=ind, source="test.sites")
    indicators, _tasks = owed_by_unit(unit=shangwu, plan=beichen)
    assert ind not in indicators and indicators  # the unit still owes its other indicators


def test_the_dashboard_names_the_feed_that_measures_an_indicator(beichen, user, client_as, feed):
    ind = Indicator.objects.get(plan=beichen, seq=13)
    profile_set(actor=user("beichen"), indicator=ind, source="test.sites")
    from liangxin.dispatch.services import periods_open_until

    periods_open_until(actor=user("beichen"), plan=beichen, today=datetime.date(2024, 4, 10))
    html = client_as("beichen").get(reverse("dispatch:dashboard"), {"plan": beichen.pk}).content.decode()
    assert "sites counted by the test" in html
