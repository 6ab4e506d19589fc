"""Benchmarks of the assessment engine (liangxin.dispatch.assess).

- dispatch.assess_plan_ms: milliseconds to assess 北辰区's demo plan (15 indicators, 23 tasks) at
  each of its 48 monthly periods 2024–2027 in turn (48 calls of assess_plan, the total), with one
  generated report per owing unit per period; the median of a few rounds after a warm-up.
- dispatch.league_table_ms: milliseconds for the league table (league_table) of a synthetic plan
  with 500 reporting units (250 tasks, 50 indicators, 12 monthly periods of reports), at its last
  period; the median of a few runs.

Both run on the current database: bench/run.py calls `dispatch_figures()` on its temporary SQLite
database once the demo plans are loaded (after the dashboard benchmark, whose reports of 2024–2025
are kept and completed to 48 months); ``python bench/bench_dispatch.py`` makes its own.
"""

import datetime
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASSESS_ROUNDS = 3
LEAGUE_RUNS = 5
LEAGUE_UNITS = 500
LEAGUE_TASKS = 250
LEAGUE_INDICATORS = 50


def _aware(day: datetime.date, hour: int) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _generate_reports(plan, rng: random.Random) -> int:
    """One report per owing unit per period: values near the trajectory, progress, mostly on time.

    Levels are reported near the 序时进度 (±10 %), cumulative and flow amounts as the year's step
    spread over twelve months and the indicator's units, grades near what is due; four reports in
    five are approved, the rest submitted, one in ten two days late. Reports already there (the
    dashboard benchmark's, when bench/run.py ran it first) are kept.
    """
    from liangxin.dispatch import assessment as maths
    from liangxin.dispatch.assess import _PlanData
    from liangxin.dispatch.enums import IndicatorKind, SubmissionState
    from liangxin.dispatch.models import IndicatorEntry, Submission, TaskEntry
    from liangxin.plans.enums import AssignmentRole
    from liangxin.plans.models import Assignment

    data = _PlanData(plan, None)
    owed_indicators: dict[int, list[int]] = {}
    owed_tasks: dict[int, list[int]] = {}
    units_of_indicator: dict[int, int] = {}
    for a in Assignment.objects.filter(plan=plan, role__in=[AssignmentRole.LEAD, AssignmentRole.RESPONSIBLE]):
        if a.indicator_id:
            owed_indicators.setdefault(a.unit_id, []).append(a.indicator_id)
            owed_tasks.setdefault(a.unit_id, [])
            units_of_indicator[a.indicator_id] = units_of_indicator.get(a.indicator_id, 0) + 1
        elif a.task_id:
            owed_tasks.setdefault(a.unit_id, []).append(a.task_id)
            owed_indicators.setdefault(a.unit_id, [])
    bounds = {pk: maths.year_bounds(spec, maths.milestone_levels(spec)) for pk, spec in data.specs.items()}
    cal = data.calendar

    existing = set(Submission.objects.filter(period__plan=plan).values_list("period_id", "unit_id"))
    submissions = []
    for period in data.periods:
        for unit_id in owed_tasks:
            if (period.pk, unit_id) in existing:
                continue
            late = rng.random() < 0.1
            submissions.append(
                Submission(
                    period=period,
                    unit_id=unit_id,
                    state=SubmissionState.APPROVED if rng.random() < 0.8 else SubmissionState.SUBMITTED,
                    version=1,
                    submitted_at=_aware(period.due + datetime.timedelta(days=2 if late else -1), 10),
                    late=late,
                    is_demo=True,
                )
            )
    Submission.objects.bulk_create(submissions, batch_size=500)

    index = {p.pk: i for i, p in enumerate(data.periods)}
    indicator_entries, task_entries = [], []
    progress_choices = ["not_started", "in_progress", "in_progress", "in_progress", "done", "lagging"]
    for sub in submissions:
        i = index[sub.period_id]
        year, share = data.years[i], data.shares[i]
        for indicator_id in owed_indicators[sub.unit_id]:
            spec = data.specs[indicator_id]
            noise = Decimal(rng.randint(90, 110)) / 100
            value, grade = None, None
            if spec.kind == IndicatorKind.QUALITATIVE:
                due = maths.qualitative_expected_grade(
                    maths.plan_share(data.periods[i].end, cal.cadence, cal.first_year, cal.last_year)
                )
                grade = max(0, min(3, due + rng.choice([-1, 0, 0, 1])))
            elif year in bounds[indicator_id]:
                start, target = bounds[indicator_id][year]
                if spec.kind == IndicatorKind.LEVEL:
                    expected = maths.expected_value(spec, bounds[indicator_id], year, share) or target
                    value = expected * noise
                else:
                    step = target - (start or 0) if spec.kind == IndicatorKind.CUMULATIVE else target
                    value = step / 12 / units_of_indicator[indicator_id] * noise
            else:
                value = spec.baseline_value * noise if spec.baseline_value else Decimal(rng.randint(1, 5))
            if value is not None:
                value = value.quantize(Decimal("0.01"))
            indicator_entries.append(
                IndicatorEntry(submission=sub, indicator_id=indicator_id, value=value, grade=grade, evidence="演示数据")
            )
        for task_id in owed_tasks[sub.unit_id]:
            task_entries.append(
                TaskEntry(
                    submission=sub,
                    task_id=task_id,
                    progress=rng.choice(progress_choices),
                    progress_note="按计划推进（演示数据）",
                )
            )
    IndicatorEntry.objects.bulk_create(indicator_entries, batch_size=1000)
    TaskEntry.objects.bulk_create(task_entries, batch_size=1000)
    return len(submissions)


def bench_assess_plan() -> float:
    from liangxin.dispatch.assess import assess_plan
    from liangxin.dispatch.models import Period
    from liangxin.dispatch.services import calendar_set
    from liangxin.plans.models import Plan

    plan = Plan.objects.get(jurisdiction__name="北辰区")
    if plan.indicators.count() != 15 or plan.tasks.count() != 23:
        sys.exit("bench: 北辰区's demo plan no longer has 15 indicators and 23 tasks")
    calendar_set(actor=None, plan=plan, cadence="month", first_year=2024, last_year=2027)
    periods = list(Period.objects.filter(plan=plan).order_by("start"))
    if len(periods) != 48:
        sys.exit(f"bench: expected 48 monthly periods, got {len(periods)}")
    _generate_reports(plan, random.Random(2024))

    def all_periods() -> float:
        started = time.perf_counter()
        for period in periods:
            assess_plan(plan, period)
        return time.perf_counter() - started

    all_periods()  # warm-up
    return statistics.median(all_periods() for _ in range(ASSESS_ROUNDS)) * 1000


def _synthetic_plan():
    """A plan of 500 units: each task led by one unit and shared by three, each indicator with two."""
    from liangxin.core.models import Unit
    from liangxin.core.names import normalize_name
    from liangxin.core.services import jurisdiction_ensure_path
    from liangxin.plans.enums import AssignmentRole, TargetKind
    from liangxin.plans.models import Assignment, Indicator, Plan, Target, Task

    place = jurisdiction_ensure_path(path="基准省/基准市/基准区")
    units = [Unit(jurisdiction=place, name=f"基准单位{n:03d}") for n in range(LEAGUE_UNITS)]
    for unit in units:
        unit.name_key = normalize_name(unit.name)
    Unit.objects.bulk_create(units)
    units = list(Unit.objects.filter(jurisdiction=place).order_by("name"))
    plan = Plan.objects.create(jurisdiction=place, title="基准区设备更新工作方案（基准测试）")
    tasks = Task.objects.bulk_create(
        [Task(plan=plan, number=str(n + 1), title=f"重点任务{n + 1}", position=n) for n in range(LEAGUE_TASKS)]
    )
    indicators = Indicator.objects.bulk_create(
        [
            Indicator(
                plan=plan,
                seq=n + 1,
                name=f"指标{n + 1}",
                baseline_year=2023,
                baseline_value=Decimal(100 + n),
                baseline_unit="家",
                position=n,
            )
            for n in range(LEAGUE_INDICATORS)
        ]
    )
    targets = [
        Target(
            plan=plan,
            kind=TargetKind.MILESTONE,
            indicator=indicator,
            position=n,
            year=2024,
            value=indicator.baseline_value + 12,
            unit="家",
            text=f"达到{indicator.baseline_value + 12}家",
        )
        for n, indicator in enumerate(indicators)
    ]
    Target.objects.bulk_create(targets)
    assignments, position = [], 0
    for n, task in enumerate(tasks):
        members = [units[(2 * n) % LEAGUE_UNITS]] + [units[(2 * n + k) % LEAGUE_UNITS] for k in (1, 2, 3)]
        for k, unit in enumerate(members):
            role = AssignmentRole.LEAD if k == 0 else AssignmentRole.RESPONSIBLE
            assignments.append(
                Assignment(plan=plan, unit=unit, written_as=unit.name, role=role, position=position, task=task)
            )
            position += 1
    for n, indicator in enumerate(indicators):
        for k in range(2):
            unit = units[(10 * n + k) % LEAGUE_UNITS]
            assignments.append(
                Assignment(
                    plan=plan,
                    unit=unit,
                    written_as=unit.name,
                    role=AssignmentRole.RESPONSIBLE,
                    position=position,
                    indicator=indicator,
                )
            )
            position += 1
    Assignment.objects.bulk_create(assignments)
    return plan


def bench_league_table() -> float:
    from liangxin.dispatch.assess import league_table
    from liangxin.dispatch.models import Period
    from liangxin.dispatch.services import calendar_set

    plan = _synthetic_plan()
    calendar_set(actor=None, plan=plan, cadence="month", first_year=2024, last_year=2024)
    _generate_reports(plan, random.Random(500))
    last = Period.objects.filter(plan=plan).order_by("-start").first()
    rows = league_table(plan, last)
    if len(rows) != LEAGUE_UNITS:
        sys.exit(f"bench: the league table has {len(rows)} rows, not {LEAGUE_UNITS}")

    def once() -> float:
        started = time.perf_counter()
        league_table(plan, last)
        return time.perf_counter() - started

    return statistics.median(once() for _ in range(LEAGUE_RUNS)) * 1000


def dispatch_figures() -> list[dict]:
    """The dispatch figures on the current (migrated, demo-loaded) database."""
    assess_ms = bench_assess_plan()
    league_ms = bench_league_table()
    return [
        {"name": "dispatch.assess_plan_ms", "value": round(assess_ms, 2), "unit": "ms"},
        {"name": "dispatch.league_table_ms", "value": round(league_ms, 2), "unit": "ms"},
    ]


def main() -> None:
    import tempfile

    sys.path.insert(0, str(ROOT / "src"))
    from run import _configure

    with tempfile.TemporaryDirectory(prefix="liangxin-bench-dispatch-") as tmp:
        _configure(Path(tmp))
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0, interactive=False)
        call_command("demo", quiet=True)
        figures = dispatch_figures()
        connections.close_all()
    for figure in figures:
        print(f"{figure['name']:<26} {figure['value']} {figure['unit']}")


if __name__ == "__main__":
    main()
