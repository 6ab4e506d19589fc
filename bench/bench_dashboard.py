"""Benchmark of the leader's dashboard page.

- dispatch.dashboard_ms: milliseconds of server time to render 北辰区's dashboard
  (GET /dispatch/dashboard/?jurisdiction=<北辰区>&on=2026-01-01) for `tianjin_leader` through
  Django's test client, DEBUG off: the plan's status tiles, fifteen indicator charts over 24 monthly
  periods, the league table of its 24 units, 督办 and problems. The plan gets a monthly calendar and
  one report per owing unit for every month of 2024 and 2025 from the demo's own generator
  (`liangxin.dispatch.demo.generate_reports`, marked demo), unless it already has reports; the
  page is as of 2026-01-01 so the figure does not drift with the date.
  The median of ten renders after two warm-ups.

bench/run.py calls `dashboard_figures()` on its temporary database once the demo plans and accounts
are loaded.
"""

import datetime
import random
import statistics
import sys
import time

RENDERS = 10
WARMUP = 2
AS_OF = datetime.date(2026, 1, 1)


def bench_dashboard() -> float:
    from django.test import Client
    from django.urls import reverse

    from liangxin.core.models import User
    from liangxin.dispatch.demo import generate_reports
    from liangxin.dispatch.models import ReportingCalendar, Submission
    from liangxin.dispatch.services import calendar_set
    from liangxin.plans.models import Plan

    plan = Plan.objects.get(jurisdiction__name="北辰区")
    if not ReportingCalendar.objects.filter(plan=plan).exists():
        calendar_set(actor=None, plan=plan, cadence="month", first_year=2024, last_year=2027)
    if not Submission.objects.filter(period__plan=plan).exists():
        office = User.objects.get(username="beichen")
        generate_reports(plan, until=AS_OF, rng=random.Random(2024), reviewer=office)
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
