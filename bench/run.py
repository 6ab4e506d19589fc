"""Benchmarks: `make bench` writes bench/results/latest.json.

The result is a list of {"name", "value", "unit"} figures, with the machine's cores and the date
as two more entries. Everything runs against a temporary SQLite database and media directory:

- plans.load_all_s: seconds to load the five demo plans through services.plan_load into a fresh
  (migrated, empty) database; the median of a few runs.
- plans.page_ms: milliseconds to render 北辰区's plan page (GET /plans/<id>/) for the office user
  `beichen` through Django's test client, DEBUG off; the median of twenty renders after warm-up.
- import.parse_40kb_ms, import.seed_tasks_f1_min, import.seed_roles_f1_min: the plan parser on the
  seed plans (see bench/bench_import.py); skipped with a note when ../shared is absent.
- dispatch.dashboard_ms: server time of the leader's dashboard page for 北辰区 with two years of
  monthly reports (see bench/bench_dashboard.py).
- dispatch.assess_plan_ms, dispatch.league_table_ms: the assessment engine on 北辰区 over 48 monthly
  periods and the league table of 500 units (see bench/bench_dispatch.py).
- reports.ledger_import_1000_rows_s: reading, validating and saving a filled 工作台账 of 1000 rows
  (see bench/bench_ledger.py).
- reports.monthly_docx_s, reports.monthly_pdf_s: the monthly 专报 of 北辰区 for 2025-12 with two years
  of monthly reports, as Word and through LibreOffice as PDF (see bench/bench_reports.py).
- registry.match_1000x100_s, registry.policy_push_1000_enterprises_s: supplier ranking for 100
  demands against 1,000 suppliers' products, and policy push for 1,000 enterprises, on a generated
  registry (see bench/bench_registry.py).
- recycling.nearest_5000_ms, recycling.map_page_ms: the nearest open sites among 5,000, and the
  public map page of 北辰区 with the demo network (see bench/bench_recycling.py).
- tradein.*: the voucher burst and merchant batches through the HTTP API on a throw-away
  PostgreSQL, with pgbench's sharded and hot-row baselines against the same server (see
  bench/bench_tradein.py).
"""

import datetime
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench_dashboard import dashboard_figures
from bench_dispatch import dispatch_figures
from bench_import import import_figures
from bench_ledger import ledger_figures
from bench_recycling import recycling_figures
from bench_registry import registry_figures
from bench_reports import reports_figures
from bench_tradein import tradein_figures

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "latest.json"
LOAD_RUNS = 5
PAGE_WARMUP = 3
PAGE_RENDERS = 20


def _configure(workdir: Path) -> Path:
    db = workdir / "bench.sqlite3"
    os.environ["LIANGXIN_DATABASE_URL"] = f"sqlite:///{db}"
    os.environ["LIANGXIN_MEDIA_ROOT"] = str(workdir / "media")
    os.environ["LIANGXIN_HOME"] = str(workdir)
    os.environ["LIANGXIN_DEBUG"] = "0"
    os.environ.setdefault("LIANGXIN_SECRET_KEY", "liangxin-bench-only-secret-key")
    os.environ["LIANGXIN_ALLOWED_HOSTS"] = "testserver"
    os.environ["DJANGO_SETTINGS_MODULE"] = "liangxin.config.settings"
    import django

    django.setup()
    return db


def _demo_entries():
    from liangxin.plans.management.commands.demo import DEMO

    spec = json.loads((DEMO / "demo.json").read_text(encoding="utf-8"))
    return [(entry, (DEMO / entry["plan"]).read_bytes()) for entry in spec["jurisdictions"]]


def _load_all_once() -> float:
    """Load the five plans into the current (empty) database; the seconds spent in plan_load."""
    from liangxin.core.services import jurisdiction_ensure_path, unit_alias_add, unit_ensure
    from liangxin.plans.services import plan_load

    spent = 0.0
    for entry, raw in _demo_entries():
        # As `liangxin demo` does: the units and their aliases first, so the plans resolve to them.
        place = jurisdiction_ensure_path(path=entry["path"])
        for unit_spec in entry["units"]:
            unit = unit_ensure(jurisdiction=place, name=unit_spec["name"])
            for alias in unit_spec["aliases"]:
                unit_alias_add(unit=unit, alias=alias)
        data = json.loads(raw)
        started = time.perf_counter()
        plan_load(data=data, jurisdiction=place, source_name=entry["plan"], source_bytes=raw)
        spent += time.perf_counter() - started
    return spent


def bench_load_all(db: Path, template: Path) -> float:
    from django.db import connections

    runs = []
    for _ in range(LOAD_RUNS):
        connections.close_all()
        shutil.copyfile(template, db)
        runs.append(_load_all_once())
    return statistics.median(runs)


def bench_page() -> float:
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from liangxin.core.models import User
    from liangxin.plans.models import Plan

    call_command("demo", quiet=True)  # the plans are there already; this adds the accounts
    plan = Plan.objects.get(jurisdiction__name="北辰区")
    client = Client()
    client.force_login(User.objects.get(username="beichen"))
    url = reverse("plans:plan_detail", args=[plan.pk])

    def render() -> float:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
        if response.status_code != 200 or "工业领域设备投资规模".encode() not in response.content:
            sys.exit(f"bench: GET {url} gave {response.status_code} without the indicator table")
        return elapsed

    for _ in range(PAGE_WARMUP):
        render()
    return statistics.median(render() for _ in range(PAGE_RENDERS)) * 1000


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="liangxin-bench-") as tmp:
        workdir = Path(tmp)
        db = _configure(workdir)
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0, interactive=False)
        connections.close_all()
        template = workdir / "migrated.sqlite3"
        shutil.copyfile(db, template)

        load_all_s = bench_load_all(db, template)
        page_ms = bench_page()
        recycling = recycling_figures()  # after bench_page, which loads the demo
        registry = registry_figures()
        dashboard = dashboard_figures()
        dispatch = dispatch_figures()
        ledger = ledger_figures()
        monthly = reports_figures()
        connections.close_all()

    figures = [
        {"name": "plans.load_all_s", "value": round(load_all_s, 4), "unit": "s"},
        {"name": "plans.page_ms", "value": round(page_ms, 2), "unit": "ms"},
        *(import_figures() or []),
        *dashboard,
        *dispatch,
        *ledger,
        *monthly,
        *registry,
        *recycling,
        *tradein_figures(),  # its own PostgreSQL server and HTTP server, in a subprocess
        {"name": "machine.cores", "value": os.cpu_count(), "unit": "cores"},
        {"name": "run.date", "value": datetime.date.today().isoformat(), "unit": "date"},
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    tmp_path = RESULTS.with_suffix(".json.tmp")
    tmp_path.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp_path.replace(RESULTS)
    for figure in figures:
        print(f"{figure['name']:<20} {figure['value']} {figure['unit']}")
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
