"""Benchmark of the ledger round trip (liangxin.reports.ledger).

- reports.ledger_import_1000_rows_s: seconds to read, validate and save a filled ledger of 1000 rows
  (a synthetic plan whose one unit owes 400 indicators and 600 tasks, monthly periods of 2025):
  ledger_import on the bytes of a ledger built by ledger_build and filled with openpyxl (a number
  and evidence on every indicator row, status and three texts on every task row). The median of a
  few runs; each run saves the whole draft again (one submission_save).

bench/run.py calls `ledger_figures()` on its temporary database; ``python bench/bench_ledger.py``
makes its own.
"""

import datetime
import io
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INDICATORS = 400
TASKS = 600
RUNS = 3


def _synthetic_unit():
    """A plan of its own in a place of its own, whose one unit owes 1000 items."""
    from liangxin.core.models import Unit
    from liangxin.core.names import normalize_name
    from liangxin.core.services import jurisdiction_ensure_path
    from liangxin.plans.enums import AssignmentRole, TargetKind
    from liangxin.plans.models import Assignment, Indicator, Plan, Target, Task

    place = jurisdiction_ensure_path(path="基准省/基准市/台账区")
    unit = Unit(jurisdiction=place, name="台账基准局")
    unit.name_key = normalize_name(unit.name)
    unit.save()
    plan = Plan.objects.create(jurisdiction=place, title="台账区设备更新工作方案（基准测试）")
    tasks = Task.objects.bulk_create(
        [Task(plan=plan, number=str(n + 1), title=f"重点任务{n + 1}", position=n) for n in range(TASKS)]
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
            for n in range(INDICATORS)
        ]
    )
    Target.objects.bulk_create(
        [
            Target(
                plan=plan,
                kind=TargetKind.MILESTONE,
                indicator=indicator,
                position=n,
                year=2025,
                value=Decimal(120 + n),
                unit="家",
                text=f"达到{120 + n}家",
            )
            for n, indicator in enumerate(indicators)
        ]
    )
    items = [{"indicator": i} for i in indicators] + [{"task": t} for t in tasks]
    Assignment.objects.bulk_create(
        [
            Assignment(plan=plan, unit=unit, written_as=unit.name, role=AssignmentRole.LEAD, position=n, **item)
            for n, item in enumerate(items)
        ]
    )
    return plan, unit


def _filled_ledger(period, unit) -> bytes:
    from openpyxl import load_workbook

    from liangxin.reports import ledger

    wb = load_workbook(io.BytesIO(ledger.ledger_build(period=period, unit=unit)))
    ws = wb[ledger.SHEET]
    col = ledger.LETTER
    for r in range(ledger.HEADER_ROW + 1, ws.max_row + 1):
        if ws[f"{col['kind']}{r}"].value == "指标":
            ws[f"{col['value']}{r}"] = 100 + r / 4
            ws[f"{col['evidence']}{r}"] = f"统计快报第{r}号"
        else:
            ws[f"{col['progress']}{r}"] = "推进中"
            ws[f"{col['progress_note']}{r}"] = f"已走访企业{r}家，完成设备更新项目入库"
            ws[f"{col['problems']}{r}"] = "资金到位较慢"
            ws[f"{col['next_steps']}{r}"] = "协调财政加快拨付"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def bench_ledger_import() -> float:
    from liangxin.dispatch.models import Period, Submission
    from liangxin.dispatch.services import calendar_set, periods_open_until
    from liangxin.reports.ledger import ledger_import

    plan, unit = _synthetic_unit()
    calendar_set(actor=None, plan=plan, cadence="month", first_year=2025, last_year=2025)
    periods_open_until(actor=None, plan=plan, today=datetime.date(2025, 12, 31))
    period = Period.objects.get(plan=plan, label="2025-03")
    data = _filled_ledger(period, unit)

    def once() -> float:
        started = time.perf_counter()
        rows = ledger_import(actor=None, data=data, period=period, unit=unit)
        elapsed = time.perf_counter() - started
        if rows != INDICATORS + TASKS:
            sys.exit(f"bench: the ledger import read {rows} rows, not {INDICATORS + TASKS}")
        return elapsed

    runs = [once() for _ in range(RUNS)]
    submission = Submission.objects.get(period=period, unit=unit)
    if submission.indicator_entries.filter(value__isnull=True).exists():
        sys.exit("bench: the ledger import left indicator values empty")
    return statistics.median(runs)


def ledger_figures() -> list[dict]:
    """The ledger figure on the current (migrated) database."""
    seconds = bench_ledger_import()
    return [{"name": "reports.ledger_import_1000_rows_s", "value": round(seconds, 3), "unit": "s"}]


def main() -> None:
    import tempfile

    sys.path.insert(0, str(ROOT / "src"))
    from run import _configure

    with tempfile.TemporaryDirectory(prefix="liangxin-bench-ledger-") as tmp:
        _configure(Path(tmp))
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0, interactive=False)
        figures = ledger_figures()
        connections.close_all()
    for figure in figures:
        print(f"{figure['name']:<34} {figure['value']} {figure['unit']}")


if __name__ == "__main__":
    main()
