"""The city leader opens the dashboard, drills into 北辰区, reads the charts and the league table,
and opens one unit."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from liangxin.dispatch.assess import assess_plan
from liangxin.dispatch.models import Submission
from liangxin.dispatch.selectors_dashboard import default_period
from liangxin.plans.models import Plan

pytestmark = pytest.mark.e2e

PASSWORD = "liangxin-demo"
ECHARTS = Path(__file__).resolve().parents[2] / "src/liangxin/static/vendor/echarts/echarts.min.js"


def _log_in(page, username):
    page.goto("/accounts/login/")
    page.locator('input[name="username"]').fill(username)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('form button[type="submit"], form input[type="submit"]').first.click()


@pytest.fixture
def beichen(demo_site):
    """北辰区 as `make run` shows it: `liangxin demo --with-reports` gives it a monthly calendar and
    generated reports (marked demo) for every month up to the last one."""
    if not ECHARTS.exists():
        pytest.fail(f"{ECHARTS} is missing: run `make static` (npm ci, then the copy)", pytrace=False)
    call_command("demo", with_reports=True, quiet=True)
    plan = Plan.objects.get(jurisdiction__name="北辰区")
    assert Submission.objects.filter(period__plan=plan, is_demo=True).exists()
    return plan


def test_the_city_leader_drills_from_tianjin_into_beichen_and_reads_charts_and_league(page, beichen, results_dir):
    period = default_period(beichen, timezone.localdate())
    assessment = assess_plan(beichen, period)

    _log_in(page, "tianjin_leader")
    page.goto("/dispatch/dashboard/")
    rollup = page.locator("#rollup tr.rollup-row")
    expect(rollup).to_have_count(3)
    expect(rollup.locator("th a")).to_have_text(["北辰区", "武清区", "天津经济技术开发区"])
    expect(page.locator("#rollup .badge.demo").first).to_be_visible()  # the generated reports are labelled

    rollup.locator("th a", has_text="北辰区").click()
    expect(page).to_have_url(re.compile(rf"jurisdiction={beichen.jurisdiction_id}"))
    expect(page.locator(".demo-banner")).to_be_visible()
    expect(page.locator(f"#period-{beichen.pk} option:checked")).to_have_text(period.label)

    # The status tiles carry the engine's counts.
    for status, count in assessment.counts.items():
        expect(page.locator(f'.tiles[data-kind="indicators"] .tile[data-status="{status}"] .count')).to_have_text(
            str(count)
        )

    # ECharts drew a canvas in the chart of the first indicator with figures.
    investment = next(a for a in assessment.indicators if a.indicator.seq == 1)
    chart = page.locator(f"#chart-{investment.indicator.pk}")
    expect(chart.locator("canvas")).to_have_count(1)
    assert chart.bounding_box()["width"] > 250
    assert page.locator(".ind .chart canvas").count() >= 10

    # The league table: one row per owing unit, in rank order, as the engine ranks them.
    rows = page.locator("#league tr.league-row")
    expect(rows).to_have_count(len(assessment.league))
    expect(rows.first.locator("td").nth(1)).to_have_text(assessment.league[0].unit.name)
    expect(rows.locator("td.rank")).to_have_text([str(s.rank) for s in assessment.league])

    page.evaluate("document.fonts.ready")
    page.screenshot(path=str(results_dir / "dashboard.png"), full_page=True)

    # A unit of the league table opens on its own indicators and tasks.
    top = assessment.league[0]
    rows.first.locator("td a").click()
    expect(page).to_have_url(re.compile(rf"/dispatch/dashboard/plans/{beichen.pk}/units/{top.unit.pk}/"))
    expect(page.locator("h1")).to_contain_text(top.unit.name)
    expect(page.locator("#unit-rank")).to_have_text(str(top.rank))
    expect(page.locator("#unit-tasks tbody tr").first).to_be_visible()
    page.screenshot(path=str(results_dir / "dashboard-unit.png"), full_page=True)


def test_the_league_page_shows_each_indicators_formula(page, beichen, results_dir):
    period = default_period(beichen, timezone.localdate())
    assessment = assess_plan(beichen, period)

    _log_in(page, "beichen")
    page.goto(f"/dispatch/plans/{beichen.pk}/league/")
    expect(page.locator("table.league tr.league-row")).to_have_count(len(assessment.league))
    expect(page.locator("tr.formula-row")).to_have_count(len(assessment.indicators))
    expect(page.locator("tr.formula-row").first).to_contain_text(assessment.indicators[0].formula)
    expect(page.locator("#formula")).to_contain_text("30%")
    page.screenshot(path=str(results_dir / "league.png"), full_page=True)

    with page.expect_download() as download:
        page.locator("a.export").click()
    assert download.value.suggested_filename == f"league-{beichen.pk}-{period.label}.csv"
