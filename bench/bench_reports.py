"""Benchmark of the monthly 专报.

- reports.monthly_docx_s: seconds to build 北辰区's monthly report for 2025-12 as .docx (15
  indicators, 24 units, the chart drawn by matplotlib) with two years of monthly reports from the
  demo's generator (`liangxin.dispatch.demo.generate_reports`), unless the plan already has
  reports; the median of five builds after one warm-up.
- reports.monthly_pdf_s: seconds to turn that document into PDF with headless LibreOffice
  (a fresh private profile each time, as the web and the CLI do); the median of three.
  Skipped with a note when soffice is not installed.

bench/run.py calls `reports_figures()` on its temporary database once the demo plans and accounts
are loaded.
"""

import datetime
import random
import shutil
import statistics
import sys
import time

BUILDS = 5
CONVERSIONS = 3
UNTIL = datetime.date(2026, 1, 1)
PERIOD = "2025-12"


def reports_figures() -> list[dict]:
    from liangxin.core.models import User
    from liangxin.dispatch.demo import generate_reports
    from liangxin.dispatch.models import Period, ReportingCalendar, Submission
    from liangxin.dispatch.services import calendar_set
    from liangxin.plans.models import Plan
    from liangxin.reports.monthly import monthly_report_docx
    from liangxin.reports.pdf import docx_to_pdf

    plan = Plan.objects.get(jurisdiction__name="北辰区")
    if not ReportingCalendar.objects.filter(plan=plan).exists():
        calendar_set(actor=None, plan=plan, cadence="month", first_year=2024, last_year=2027)
    if not Submission.objects.filter(period__plan=plan).exists():
        generate_reports(plan, until=UNTIL, rng=random.Random(2024), reviewer=User.objects.get(username="beichen"))
    period = Period.objects.get(plan=plan, label=PERIOD)

    def build() -> tuple[float, bytes]:
        started = time.perf_counter()
        content = monthly_report_docx(plan, period)
        return time.perf_counter() - started, content

    build()
    runs = [build() for _ in range(BUILDS)]
    docx = runs[-1][1]
    figures = [
        {"name": "reports.monthly_docx_s", "value": round(statistics.median(r[0] for r in runs), 4), "unit": "s"}
    ]
    if not shutil.which("soffice"):
        print("bench: soffice not installed, reports.monthly_pdf_s skipped", file=sys.stderr)
        return figures
    times = []
    for _ in range(CONVERSIONS):
        started = time.perf_counter()
        pdf = docx_to_pdf(docx)
        times.append(time.perf_counter() - started)
        if not pdf.startswith(b"%PDF"):
            sys.exit("bench: LibreOffice gave no PDF")
    figures.append({"name": "reports.monthly_pdf_s", "value": round(statistics.median(times), 4), "unit": "s"})
    return figures
