"""The leader's dashboard, the league table page and their API: the figures shown and who sees them.

The fixture gives 北辰区's plan a monthly calendar and two months of reports (2024-01, 2024-02)
whose statuses and scores follow by hand from the plan's own table (baseline 2023 → milestone
2024, linear within the year; thresholds 95 % / 80 %; weights 30 / 50 / 20):

区工信局 reports only for 2024-02, on time:
  1 工业领域设备投资规模      13.8亿元 against 13.6 + 0.9 × 2/12 = 13.75    → 正常
  7 建设数字化车间和智能工厂  15家     against 20 + 5 × 2/12 = 20.83      → 滞后 (72 %)
  8 市级以上绿色制造单位建设  40家     against 44 + 3 × 2/12 = 44.5       → 预警 (89.9 %)
  14 制造业单项冠军…          16.2家   against 16 + 1 × 2/12 = 16.17      → 正常
  the other eleven indicators: no data. Its tasks: 推进中 (in progress) → 正常.
  score = 30 × 1/2 (one of two periods on time) + 50 × 2.5/7 (its seven indicators) + 20 × 1 = 52.86
区商务局 reports for both months on time, indicators empty, tasks 推进中:
  score = 30 × 1 + 50 × 0 + 20 × 1 = 50, rank 1 in 2024-01 and 2 in 2024-02 (↓1).
"""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from liangxin.core.models import Jurisdiction, Unit
from liangxin.dispatch.assess import assess_plan
from liangxin.dispatch.enums import ProblemCategory, ProblemState, SubmissionState, SupervisionLevel, SupervisionRule
from liangxin.dispatch.models import (
    IndicatorEntry,
    Period,
    Problem,
    ReportingCalendar,
    Submission,
    SupervisionItem,
    TaskEntry,
    TrajectoryVersion,
)
from liangxin.dispatch.services import calendar_set, profile_set
from liangxin.plans.enums import AssignmentRole
from liangxin.plans.models import Assignment, Indicator, Plan

D = Decimal
FEB_STATUS = {"normal": 2, "warning": 1, "lagging": 1, "no_data": 11}
LOOK_BACK = "2024-03-01"  # "as of" date for the roll-up: the latest period ended is 2024-02


def _unit(plan, name):
    return Unit.objects.get(jurisdiction=plan.jurisdiction, name=name)


def _period(plan, month):
    return Period.objects.get(plan=plan, start=datetime.date(2024, month, 1))


def _report(period, unit, values=None, *, demo=False):
    """An approved report of everything the unit owes, handed in the day before it was due."""
    at = timezone.make_aware(datetime.datetime.combine(period.due - datetime.timedelta(days=1), datetime.time(10)))
    sub = Submission.objects.create(
        period=period, unit=unit, state=SubmissionState.APPROVED, version=1, submitted_at=at, is_demo=demo
    )
    owed = Assignment.objects.filter(
        plan=period.plan, unit=unit, role__in=[AssignmentRole.LEAD, AssignmentRole.RESPONSIBLE]
    )
    values = values or {}
    for indicator_id in set(owed.exclude(indicator=None).values_list("indicator_id", flat=True)):
        seq = Indicator.objects.get(pk=indicator_id).seq
        IndicatorEntry.objects.create(submission=sub, indicator_id=indicator_id, value=values.get(seq))
    for task_id in set(owed.exclude(task=None).values_list("task_id", flat=True)):
        TaskEntry.objects.create(submission=sub, task_id=task_id, progress="in_progress", progress_note="按计划推进")
    return sub


@pytest.fixture
def beichen(plan_of, user):
    plan = plan_of("北辰区")
    # Whatever the shared demo set up is replaced inside this test's transaction, so the figures
    # are exactly the ones worked out above.
    SupervisionItem.objects.filter(plan=plan).delete()
    Problem.objects.filter(plan=plan).delete()
    Submission.objects.filter(period__plan=plan).delete()
    TrajectoryVersion.objects.filter(indicator__plan=plan).delete()
    calendar_set(
        actor=user("beichen"),
        plan=plan,
        cadence="month",
        deadline_days=5,
        normal_pct=D(95),
        warning_pct=D(80),
        weight_on_time=30,
        weight_indicators=50,
        weight_tasks=20,
    )
    for indicator in plan.indicators.filter(seq__in=[1, 7, 8, 14]):
        profile_set(actor=user("beichen"), indicator=indicator, kind="level", aggregation="sum", direction="higher")
    commerce, industry = _unit(plan, "区商务局"), _unit(plan, "区工信局")
    _report(_period(plan, 1), commerce)
    _report(_period(plan, 2), commerce)
    _report(_period(plan, 2), industry, {1: D("13.8"), 7: D(15), 8: D(40), 14: D("16.2")})
    return plan


def _tiles(html: str, kind: str = "indicators") -> dict:
    block = re.search(rf'<div class="tiles" data-kind="{kind}">(.*?)</div>\s*(?:<div class="tiles"|</div>)', html, re.S)
    assert block, f"no {kind} tiles"
    return {
        status: int(count)
        for status, count in re.findall(r'data-status="(\w+)"><span class="count">(\d+)</span>', block.group(1))
    }


def _league_rows(html: str) -> list[tuple]:
    """(rank, unit, score, change, on-time, indicators, tasks) of each league row, as shown."""
    rows = []
    for row in re.findall(r'<tr class="league-row"[^>]*>(.*?)</tr>', html, re.S):
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        rows.append(tuple(cells))
    return rows


def _charts(html: str) -> dict:
    data = re.search(r'<script id="dashboard-charts" type="application/json">(.*?)</script>', html, re.S)
    return {c["name"]: c for c in json.loads(data.group(1))}


# --- a district's plan ---------------------------------------------------------------------------


def test_the_district_dashboard_counts_indicators_by_status_for_the_chosen_period(client_as, beichen):
    feb = _period(beichen, 2)
    html = (
        client_as("tianjin_leader")
        .get("/dispatch/dashboard/", {"jurisdiction": beichen.jurisdiction_id, "period": feb.pk})
        .content.decode()
    )

    assert _tiles(html) == FEB_STATUS
    # Tasks: 区工信局's and 区商务局's are in progress, the rest unreported.
    reported = assess_plan(beichen, feb).tasks
    assert _tiles(html, "tasks")["normal"] == sum(1 for t in reported if t.progress == "in_progress")
    assert 'id="indicator-' in html and "2024-02" in html


def test_each_indicator_has_a_chart_of_expected_against_actual(client_as, beichen):
    feb = _period(beichen, 2)
    html = (
        client_as("tianjin_leader")
        .get("/dispatch/dashboard/", {"jurisdiction": beichen.jurisdiction_id, "period": feb.pk})
        .content.decode()
    )

    charts = _charts(html)
    investment = charts["工业领域设备投资规模"]
    assert investment["labels"] == ["2024-01", "2024-02"]
    assert investment["expected"] == [pytest.approx(13.675), pytest.approx(13.75)]
    assert investment["actual"] == [None, 13.8]
    assert investment["target"] == 14.5 and investment["unit"] == "亿元" and investment["status"] == "normal"
    assert charts["建设数字化车间和智能工厂"]["status"] == "lagging"
    indicator = Indicator.objects.get(plan=beichen, seq=1)
    assert f'<div class="chart" id="chart-{indicator.pk}"' in html
    # The figures beside the chart, rounded as a table shows them.
    assert "<dd>13.75亿元</dd>" in html and "<dd>13.8亿元</dd>" in html and "<dd>14.5亿元</dd>" in html


def test_without_a_period_the_dashboard_shows_the_latest_that_has_ended(client_as, beichen):
    client = client_as("beichen")
    march_first = client.get("/dispatch/dashboard/", {"on": "2024-03-01"}).content.decode()
    end_of_feb = client.get("/dispatch/dashboard/", {"on": "2024-02-28"}).content.decode()

    assert re.search(r'<option value="\d+" selected>2024-02</option>', march_first)
    assert _tiles(march_first) == FEB_STATUS
    assert re.search(r'<option value="\d+" selected>2024-01</option>', end_of_feb)
    assert _tiles(end_of_feb) == {"normal": 0, "warning": 0, "lagging": 0, "no_data": 15}


def test_the_league_table_ranks_units_with_their_change_since_the_last_period(client_as, beichen):
    feb = _period(beichen, 2)
    html = (
        client_as("tianjin_leader")
        .get("/dispatch/dashboard/", {"jurisdiction": beichen.jurisdiction_id, "period": feb.pk})
        .content.decode()
    )

    rows = _league_rows(html)
    assert rows[0][:3] == ("1", "区工信局", "52.9")
    assert rows[0][4:] == ("50%", "36%", "100%")
    assert rows[0][3].startswith("↑")
    assert rows[1] == ("2", "区商务局", "50.0", "↓1", "100%", "0%", "100%")
    assert len(rows) == len(assess_plan(beichen, feb).league)
    assert re.findall(r'<th class="num">[^<]*\((\d+)%\)</th>', html) == ["30", "50", "20"]


def test_clicking_a_unit_shows_its_indicators_and_tasks_with_status(client_as, beichen):
    feb = _period(beichen, 2)
    industry = _unit(beichen, "区工信局")
    response = client_as("tianjin_leader").get(
        f"/dispatch/dashboard/plans/{beichen.pk}/units/{industry.pk}/", {"period": feb.pk}
    )
    html = response.content.decode()

    assert response.status_code == 200
    assert re.search(r'id="unit-rank">1<', html)
    indicators = re.search(r'id="unit-indicators">(.*?)</section>', html, re.S).group(1)
    statuses = re.findall(r'<tr data-status="(\w+)"', indicators)
    # Its seven indicators in table order: 1, 2, 4, 6, 7, 8, 14.
    assert statuses == ["normal", "no_data", "no_data", "no_data", "lagging", "warning", "normal"]
    assert '<td class="reported">15家</td>' in indicators
    tasks = re.search(r'id="unit-tasks">(.*?)</section>', html, re.S).group(1)
    owned = Assignment.objects.filter(
        plan=beichen, unit=industry, role__in=["lead", "responsible"], task__isnull=False
    ).values("task")
    assert len(re.findall(r'<tr data-status="normal"', tasks)) == len({row["task"] for row in owned})


def test_a_unit_that_does_not_report_on_the_plan_is_not_found(client_as, beichen, plan_of):
    outsider = Unit.objects.filter(jurisdiction__name="武清区").first()
    response = client_as("tianjin_leader").get(f"/dispatch/dashboard/plans/{beichen.pk}/units/{outsider.pk}/")
    assert response.status_code == 404


def test_demo_reports_are_labelled_as_demo_data(client_as, beichen):
    feb = _period(beichen, 2)
    client = client_as("tianjin_leader")
    params = {"jurisdiction": beichen.jurisdiction_id, "period": feb.pk}

    assert 'class="demo-banner"' not in client.get("/dispatch/dashboard/", params).content.decode()
    Submission.objects.filter(period=feb, unit__name="区商务局").update(is_demo=True)
    html = client.get("/dispatch/dashboard/", params).content.decode()
    assert 'class="demo-banner"' in html
    city = client.get("/dispatch/dashboard/", {"on": LOOK_BACK}).content.decode()
    beichen_row = re.search(rf'data-jurisdiction="{beichen.jurisdiction_id}">(.*?)</tr>', city, re.S).group(1)
    assert 'class="badge demo"' in beichen_row
    league = client.get(f"/dispatch/plans/{beichen.pk}/league/", {"period": feb.pk}).content.decode()
    assert 'class="demo-banner"' in league


def _chase(plan, period, unit, title, level, rule, *, resolved=None):
    return SupervisionItem.objects.create(
        plan=plan,
        period=period,
        rule=rule,
        unit=unit,
        subject_type="unit",
        subject_id=unit.pk,
        title=title,
        level=level,
        resolved_at=resolved,
    )


@pytest.fixture
def chased(beichen):
    feb = _period(beichen, 2)
    industry = _unit(beichen, "区工信局")
    _chase(beichen, feb, industry, "区工信局报送即将到期", SupervisionLevel.DUE_SOON, SupervisionRule.SUBMISSION_DUE)
    _chase(beichen, feb, industry, "指标连续两期滞后", SupervisionLevel.SUPERVISED, SupervisionRule.INDICATOR_LAGGING)
    _chase(
        beichen,
        feb,
        industry,
        "已办结的督办事项",
        SupervisionLevel.OVERDUE,
        SupervisionRule.TASK_OVERDUE,
        resolved=timezone.now(),
    )
    Problem.objects.create(
        plan=beichen, raised_by_unit=industry, category=ProblemCategory.LAND, title="智能工厂项目用地指标不足"
    )
    Problem.objects.create(
        plan=beichen,
        raised_by_unit=industry,
        category=ProblemCategory.FUNDS,
        title="已解决的资金问题",
        state=ProblemState.RESOLVED,
    )
    return beichen


def test_open_supervision_items_by_level_and_open_problems_are_listed(client_as, chased):
    feb = _period(chased, 2)
    industry = _unit(chased, "区工信局")
    html = (
        client_as("tianjin_leader")
        .get("/dispatch/dashboard/", {"jurisdiction": chased.jurisdiction_id, "period": feb.pk})
        .content.decode()
    )

    supervision = re.search(r'id="supervision">(.*?)</section>', html, re.S).group(1)
    assert re.findall(r'class="level lv-(\w+)"', supervision) == ["supervised", "due_soon"]
    assert "连续两期滞后" in supervision and "即将到期" in supervision and "已办结" not in supervision
    assert f'/dispatch/dashboard/plans/{chased.pk}/units/{industry.pk}/?period={feb.pk}">区工信局</a>' in supervision
    problems = re.search(r'id="problems">(.*?)</section>', html, re.S).group(1)
    assert "用地指标不足" in problems and "已解决" not in problems

    unit_page = (
        client_as("tianjin_leader")
        .get(f"/dispatch/dashboard/plans/{chased.pk}/units/{industry.pk}/", {"period": feb.pk})
        .content.decode()
    )
    assert "连续两期滞后" in unit_page and "用地指标不足" in unit_page


def test_a_reporter_sees_only_the_items_and_problems_of_its_own_unit(client_as, chased):
    feb = _period(chased, 2)
    html = client_as("beichen_shangwu").get("/dispatch/dashboard/", {"period": feb.pk}).content.decode()

    assert _tiles(html) == FEB_STATUS  # the figures are the plan's, read-only
    assert "连续两期滞后" not in html and "用地指标不足" not in html
    assert (
        "连续两期滞后" in client_as("beichen_gongxin").get("/dispatch/dashboard/", {"period": feb.pk}).content.decode()
    )


# --- the league table page -----------------------------------------------------------------------


def test_the_league_page_explains_the_weights_and_shows_each_indicators_formula(client_as, beichen):
    feb = _period(beichen, 2)
    html = client_as("beichen").get(f"/dispatch/plans/{beichen.pk}/league/", {"period": feb.pk}).content.decode()

    assert [r[1] for r in _league_rows(html)][:2] == ["区工信局", "区商务局"]
    formula = re.search(r'id="formula">(.*?)</section>', html, re.S).group(1)
    assert "30%" in formula and "50%" in formula and "20%" in formula
    shown = re.findall(r'<tr class="formula-row">.*?</span> (.*?)</td>', html, re.S)
    assert len(shown) == 15
    investment = next(a for a in assess_plan(beichen, feb).indicators if a.indicator.seq == 1)
    assert shown[0].strip() == investment.formula and "完成率" in investment.formula
    statuses = re.findall(r'<tr class="ind-row" data-status="(\w+)"', html)
    assert {s: statuses.count(s) for s in FEB_STATUS} == FEB_STATUS


def test_the_league_table_exports_as_csv(client_as, beichen):
    feb = _period(beichen, 2)
    client = client_as("beichen")
    client.cookies["django_language"] = "en"
    response = client.get(f"/dispatch/plans/{beichen.pk}/league.csv", {"period": feb.pk})

    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Rank,Unit,Score,Previous rank,On-time reporting (%),Indicator score (%),Task score (%)"
    assert re.fullmatch(r"1,区工信局,52\.86,\d+,50,35\.71,100", lines[1])
    assert lines[2] == "2,区商务局,50.00,1,100,0,100"
    assert len(lines) == 1 + len(assess_plan(beichen, feb).league)


# --- the city: roll-up and drill-down ------------------------------------------------------------


def test_the_tianjin_leader_sees_its_districts_rolled_up_and_can_open_each(client_as, beichen):
    html = client_as("tianjin_leader").get("/dispatch/dashboard/", {"on": LOOK_BACK}).content.decode()

    names = re.findall(
        r'<tr class="rollup-row" data-jurisdiction="\d+">\s*<th scope="row"><a href="([^"]+)">([^<]+)</a>', html
    )
    assert [n for _href, n in names] == ["北辰区", "武清区", "天津经济技术开发区"]
    assert names[0][0] == f"?jurisdiction={beichen.jurisdiction_id}&amp;on={LOOK_BACK}"
    beichen_row = re.search(rf'data-jurisdiction="{beichen.jurisdiction_id}">(.*?)</tr>', html, re.S).group(1)
    counts = dict(re.findall(r'data-status="(\w+)">(\d+)</td>', beichen_row))
    assert {k: int(v) for k, v in counts.items()} == FEB_STATUS
    assert _tiles(html, "total") == FEB_STATUS  # 武清区 and 经开区 have no indicator table

    drilled = client_as("tianjin_leader").get(
        "/dispatch/dashboard/", {"jurisdiction": beichen.jurisdiction_id, "on": LOOK_BACK}
    )
    assert drilled.status_code == 200 and _tiles(drilled.content.decode()) == FEB_STATUS


def test_the_dashboard_api_rolls_up_tianjin_for_its_leader(client_as, beichen):
    data = client_as("tianjin_leader").get("/api/dispatch/dashboard/", {"on": LOOK_BACK}).json()

    assert data["jurisdiction"]["name"] == "天津市" and data["on"] == LOOK_BACK
    assert [r["jurisdiction"]["name"] for r in data["rollup"]] == ["北辰区", "武清区", "天津经济技术开发区"]
    assert data["rollup"][0]["counts"] == FEB_STATUS and data["rollup"][0]["plan_count"] == 1
    assert data["rollup"][1]["counts"] == {"normal": 0, "warning": 0, "lagging": 0, "no_data": 0}
    assert data["counts"] == FEB_STATUS
    assert data["plans"] == []  # 天津市 itself has no plan


def test_the_dashboard_api_of_a_district_gives_its_plan_with_the_league(client_as, beichen):
    data = client_as("beichen").get("/api/dispatch/dashboard/", {"on": LOOK_BACK}).json()

    assert data["rollup"] == [] and data["counts"] == FEB_STATUS
    (plan,) = data["plans"]
    assert plan["plan"] == beichen.pk and plan["period"]["label"] == "2024-02" and plan["demo"] is False
    first, second = plan["league"][:2]
    assert first["unit"]["name"] == "区工信局" and first["rank"] == 1 and first["score"] == 52.86
    assert (first["on_time_rate"], first["indicator_score"], first["task_score"]) == (0.5, 0.3571, 1.0)
    assert second == {
        "rank": 2,
        "previous_rank": 1,
        "change": -1,
        "unit": {"id": _unit(beichen, "区商务局").pk, "name": "区商务局"},
        "score": 50.0,
        "on_time_rate": 1.0,
        "indicator_score": 0.0,
        "task_score": 1.0,
    }


def test_the_league_api_gives_rows_weights_and_formula(client_as, beichen):
    feb = _period(beichen, 2)
    data = client_as("tianjin_leader").get(f"/api/dispatch/plans/{beichen.pk}/league/", {"period": feb.pk}).json()

    assert data["period"]["label"] == "2024-02"
    assert data["weights"] == {"on_time": 30, "indicators": 50, "tasks": 20}
    assert data["counts"] == FEB_STATUS
    assert [(r["rank"], r["unit"]["name"]) for r in data["rows"][:2]] == [(1, "区工信局"), (2, "区商务局")]
    assert "30%" in data["formula"]


# --- who sees what -------------------------------------------------------------------------------


def test_the_wuqing_office_cannot_see_beichen_anywhere(client_as, beichen):
    client = client_as("wuqing")
    industry = _unit(beichen, "区工信局")
    for url, params in (
        ("/dispatch/dashboard/", {"jurisdiction": beichen.jurisdiction_id}),
        (f"/dispatch/dashboard/plans/{beichen.pk}/units/{industry.pk}/", {}),
        (f"/dispatch/plans/{beichen.pk}/league/", {}),
        (f"/dispatch/plans/{beichen.pk}/league.csv", {}),
        ("/api/dispatch/dashboard/", {"jurisdiction": beichen.jurisdiction_id}),
        (f"/api/dispatch/plans/{beichen.pk}/league/", {}),
    ):
        assert client.get(url, params).status_code == 404, url


def test_the_wuqing_office_sees_only_its_own_district(client_as, beichen):
    html = client_as("wuqing").get("/dispatch/dashboard/").content.decode()
    assert "武清区" in html and "北辰区" not in html and 'class="rollup-row"' not in html
    data = client_as("wuqing").get("/api/dispatch/dashboard/").json()
    assert data["jurisdiction"]["name"] == "武清区" and data["rollup"] == []


def test_a_period_of_another_plan_is_not_found(client_as, beichen, plan_of, user):
    wuqing = plan_of("武清区")
    calendar_set(actor=user("wuqing"), plan=wuqing, cadence="month")
    foreign = Period.objects.filter(plan=wuqing).first()
    client = client_as("tianjin_leader")
    assert client.get(f"/dispatch/plans/{beichen.pk}/league/", {"period": foreign.pk}).status_code == 404
    assert client.get(f"/api/dispatch/plans/{beichen.pk}/league/", {"period": foreign.pk}).status_code == 404


def test_a_reporter_reads_its_own_districts_dashboard(client_as, beichen):
    response = client_as("beichen_shangwu").get("/dispatch/dashboard/", {"on": LOOK_BACK})
    assert response.status_code == 200
    assert _tiles(response.content.decode()) == FEB_STATUS
    tianjin = Jurisdiction.objects.get(name="天津市", parent=None)
    assert client_as("beichen_shangwu").get("/dispatch/dashboard/", {"jurisdiction": tianjin.pk}).status_code == 404


def test_an_administrator_starts_at_the_top_level_jurisdictions(client_as, beichen):
    html = client_as("admin").get("/dispatch/dashboard/", {"on": LOOK_BACK}).content.decode()
    names = re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', html)
    assert sorted(names) == sorted(["天津市", "山东省", "山西省"])


def test_anonymous_visitors_are_sent_to_log_in_and_the_api_refuses_them(client, beichen):
    response = client.get("/dispatch/dashboard/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get("/api/dispatch/dashboard/").status_code in (401, 403)
    assert client.get(f"/api/dispatch/plans/{beichen.pk}/league/").status_code in (401, 403)


def test_a_jurisdiction_with_two_reporting_plans_offers_a_tab_for_each(client_as, beichen, user, plan_of):
    second = Plan.objects.create(jurisdiction=beichen.jurisdiction, title="北辰区第二个工作方案")
    calendar_set(actor=user("beichen"), plan=second, cadence="quarter")
    client = client_as("beichen")

    first_page = client.get("/dispatch/dashboard/", {"on": LOOK_BACK}).content.decode()
    tabs = re.findall(r'<nav class="plan-tabs".*?</nav>', first_page, re.S)[0]
    assert re.findall(r">([^<>]+)</a>", tabs) == [beichen.title, second.title]
    assert 'class="current"' in tabs.split(second.title)[0]  # the first plan is shown
    assert _tiles(first_page) == FEB_STATUS

    second_page = client.get("/dispatch/dashboard/", {"plan": second.pk, "on": LOOK_BACK}).content.decode()
    assert f'id="plan-{second.pk}"' in second_page and f'id="plan-{beichen.pk}"' not in second_page
    assert re.search(r'<option value="\d+" selected>2024Q1</option>', second_page)
    assert client.get("/dispatch/dashboard/", {"plan": plan_of("武清区").pk}).status_code == 404


def test_a_district_without_a_reporting_calendar_says_what_to_do(client_as, plan_of):
    ReportingCalendar.objects.filter(plan=plan_of("武清区")).delete()
    html = client_as("wuqing").get("/dispatch/dashboard/").content.decode()
    assert 'class="empty card"' in html and 'class="plan-panel"' not in html
    assert f'href="/dispatch/plans/{plan_of("武清区").pk}/"' in html
