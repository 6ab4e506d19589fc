"""Benchmarks of the assessment engine (liangxin.dispatch.assess).

- dispatch.assess_plan_ms: milliseconds to assess 北辰区's demo plan (15 indicators, 23 tasks) at
  each of its 48 monthly periods 2024–2027 in turn (48 calls of assess_plan, the total), with the
  demo's generated reports (one per owing unit per period, or those the dashboard bench made);
  the median of a few rounds after a warm-up.
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
    """The demo's own generator (liangxin.dispatch.demo) over every period of the plan, unless the
    plan already has reports (bench/run.py may have given it some for the dashboard)."""
    from liangxin.dispatch.demo import generate_reports
    from liangxin.dispatch.models import Submission

    if Submission.objects.filter(period__plan=plan).exists():
        return 0
    return generate_reports(plan, until=datetime.date(2100, 1, 1), rng=rng)


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
