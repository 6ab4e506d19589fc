"""The demo reports: a year and more of plausible monthly reports for 北辰区, marked as demo data."""

import datetime
import random

from django.core.management import call_command

from liangxin.dispatch.assess import assess_plan
from liangxin.dispatch.demo import generate_reports
from liangxin.dispatch.models import Period, Submission
from liangxin.dispatch.selectors import units_owing
from liangxin.dispatch.services import calendar_set


def test_generated_reports_cover_every_unit_and_month_and_assess_plausibly(plan_of, user):
    plan = plan_of("北辰区")
    calendar_set(actor=user("beichen"), plan=plan, cadence="month")
    count = generate_reports(plan, until=datetime.date(2025, 6, 30), rng=random.Random(1), reviewer=user("beichen"))
    units = len(units_owing(plan))
    assert count == 18 * units
    assert Submission.objects.filter(period__plan=plan, is_demo=True).count() == count
    assert set(Submission.objects.filter(period__label="2025-06").values_list("state", flat=True)) == {"submitted"}
    assessment = assess_plan(plan, Period.objects.get(plan=plan, label="2025-05"))
    assert assessment.counts.get("normal", 0) >= 5  # values follow the trajectory, so most are on track
    assert len(assessment.league) == units


def test_demo_with_reports_is_idempotent(db):
    call_command("demo", "--with-reports", quiet=True)
    first = Submission.objects.count()
    call_command("demo", "--with-reports", quiet=True)
    assert Submission.objects.count() == first > 0
