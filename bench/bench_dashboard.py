"""Benchmark of the leader's dashboard page.

- dispatch.dashboard_ms: milliseconds of server time to render 北辰区's dashboard
  (GET /dispatch/dashboard/?jurisdiction=<北辰区>&on=2026-01-01) for `tianjin_leader` through
  Django's test client, DEBUG off: the plan's status tiles, fifteen indicator charts over 24 monthly
  periods, the league table of its 24 units, 督办 and problems. The plan gets a monthly calendar and
  one report per owing unit for every month of 2024 and 2025 (generated, marked demo), unless it
  already has reports; the page is as of 2026-01-01 so the figure does not drift with the date.
  The median of ten renders after two warm-ups.

bench/run.py calls `dashboard_figures()` on its temporary database once the demo plans and accounts
are loaded.
"""

import datetime
import random
import statistics
import sys
import time
from decimal import Decimal

RENDERS = 10
WARMUP = 2
AS_OF = datetime.date(2026, 1, 1)


def _aware(day: datetime.date, hour: int) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def generate_reports(plan, until: datetime.date, rng: random.Random) -> int:
    """One approved report per owing unit for each period ended by `until`: levels near the 序时进度,
    cumulative and flow amounts as a twelfth of the year's step shared by the indicator's units,
    grades near what is due, tasks mostly in progress; one report in ten two days late."""
    from liangxin.dispatch import assessment as maths
    from liangxin.dispatch.assess import _PlanData
    from liangxin.dispatch.enums import IndicatorKind, SubmissionState
    from liangxin.dispatch.models import IndicatorEntry, Submission, TaskEntry
    from liangxin.plans.enums import AssignmentRole
    from liangxin.plans.models import Assignment

    data = _PlanData(plan, None)
    owed: dict[int, tuple[list[int], list[int]]] = {}
    sharing: dict[int, int] = {}
    for a in Assignment.objects.filter(plan=plan, role__in=[AssignmentRole.LEAD, AssignmentRole.RESPONSIBLE]):
        indicators, tasks = owed.setdefault(a.unit_id, ([], []))
        if a.indicator_id:
            indicators.append(a.indicator_id)
            sharing[a.indicator_id] = sharing.get(a.indicator_id, 0) + 1
        elif a.task_id:
            tasks.append(a.task_id)
    bounds = {pk: maths.year_bounds(spec, maths.milestone_levels(spec)) for pk, spec in data.specs.items()}
    cal = data.calendar
    progress = ["in_progress"] * 5 + ["done", "not_started", "lagging"]
    entries_i, entries_t, count = [], [], 0
    for i, period in enumerate(data.periods):
        if period.end > until:
            break
        year, share = data.years[i], data.shares[i]
        for unit_id, (indicators, tasks) in owed.items():
            late = rng.random() < 0.1
            sub = Submission.objects.create(
                period=period,
                unit_id=unit_id,
                state=SubmissionState.APPROVED,
                version=1,
                submitted_at=_aware(period.due + datetime.timedelta(days=2 if late else -1), 10),
                late=late,
                is_demo=True,
            )
            count += 1
            for pk in indicators:
                spec, noise = data.specs[pk], Decimal(rng.randint(88, 108)) / 100
                value = grade = None
                if spec.kind == IndicatorKind.QUALITATIVE:
                    due = maths.qualitative_expected_grade(
                        maths.plan_share(period.end, cal.cadence, cal.first_year, cal.last_year)
                    )
                    grade = max(0, min(3, due + rng.choice([-1, 0, 0])))
                elif year in bounds[pk]:
                    start, target = bounds[pk][year]
                    if spec.kind == IndicatorKind.LEVEL:
                        value = (maths.expected_value(spec, bounds[pk], year, share) or target) * noise
                    else:
                        step = target - (start or 0) if spec.kind == IndicatorKind.CUMULATIVE else target
                        value = step / 12 / sharing[pk] * noise
                    value = value.quantize(Decimal("0.01"))
                entries_i.append(IndicatorEntry(submission=sub, indicator_id=pk, value=value, grade=grade))
            for pk in tasks:
                entries_t.append(TaskEntry(submission=sub, task_id=pk, progress=rng.choice(progress)))
    IndicatorEntry.objects.bulk_create(entries_i, batch_size=1000)
    TaskEntry.objects.bulk_create(entries_t, batch_size=1000)
    return count


def bench_dashboard() -> float:
    from django.test import Client
    from django.urls import reverse

    from liangxin.core.models import User
    from liangxin.dispatch.models import ReportingCalendar, Submission
    from liangxin.dispatch.services import calendar_set
    from liangxin.plans.models import Plan

    plan = Plan.objects.get(jurisdiction__name="北辰区")
    if not ReportingCalendar.objects.filter(plan=plan).exists():
        calendar_set(actor=None, plan=plan, cadence="month", first_year=2024, last_year=2027)
    if not Submission.objects.filter(period__plan=plan).exists():
        generate_reports(plan, AS_OF, random.Random(2024))
    client = Client()
    client.force_login(User.objects.get(username="tianjin_leader"))
    url = f"{reverse('dispatch:dashboard')}?jurisdiction={plan.jurisdiction_id}&on={AS_OF.isoformat()}"

    def render() -> float:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
        body = response.content.decode()
        if response.status_code != 200 or body.count('class="league-row"') < 20 or "dashboard-charts" not in body:
            sys.exit(f"bench: GET {url} gave {response.status_code} without the league table and charts")
        return elapsed

    for _ in range(WARMUP):
        render()
    return statistics.median(render() for _ in range(RENDERS)) * 1000


def dashboard_figures() -> list[dict]:
    return [{"name": "dispatch.dashboard_ms", "value": round(bench_dashboard(), 2), "unit": "ms"}]
