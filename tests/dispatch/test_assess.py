"""The assessment engine on the 北辰区 demo plan: what counts, indicator and task status, the league
table, statuses over periods and the roll-up over jurisdictions."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from liangxin.core.models import Jurisdiction, Unit
from liangxin.dispatch.assess import (
    assess_plan,
    default_profile,
    indicator_statuses,
    league_table,
    rollup,
)
from liangxin.dispatch.enums import IndicatorKind, Status
from liangxin.dispatch.models import IndicatorEntry, Period, Submission, TaskEntry
from liangxin.dispatch.services import calendar_set, profile_set, task_due_set, trajectory_change
from liangxin.plans.models import Indicator, Task

D = Decimal


@pytest.fixture
def beichen(plan_of, user):
    plan = plan_of("北辰区")
    calendar_set(actor=user("beichen"), plan=plan, cadence="month")
    return plan


def period(plan, year, month):
    return Period.objects.get(plan=plan, start=datetime.date(year, month, 1))


def unit(plan, name):
    return Unit.objects.get(jurisdiction=plan.jurisdiction, name=name)


def indicator(plan, seq):
    return Indicator.objects.get(plan=plan, seq=seq)


def task(plan, number):
    return Task.objects.get(plan=plan, number=number)


def report(p, u, *, values=None, grades=None, tasks=None, state="submitted", days_late=0, hour=9):
    """A unit's report for a period, submitted on its due date (or days after it)."""
    at = None
    if state != "draft":
        day = p.due + datetime.timedelta(days=days_late)
        at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    sub = Submission.objects.create(period=p, unit=u, state=state, submitted_at=at, late=days_late > 0)
    for ind, value in (values or {}).items():
        IndicatorEntry.objects.create(submission=sub, indicator=ind, value=D(str(value)))
    for ind, grade in (grades or {}).items():
        IndicatorEntry.objects.create(submission=sub, indicator=ind, grade=grade)
    for t, (progress, note) in (tasks or {}).items():
        TaskEntry.objects.create(submission=sub, task=t, progress=progress, progress_note=note)
    return sub


def by_indicator(assessment, ind):
    return next(a for a in assessment.indicators if a.indicator.pk == ind.pk)


def by_task(assessment, t):
    return next(a for a in assessment.tasks if a.task.pk == t.pk)


def by_unit(rows, u):
    return next(s for s in rows if s.unit.pk == u.pk)


# --- indicators ---------------------------------------------------------------------------------


def test_equipment_investment_in_march_2024_is_judged_against_13_825_with_the_formula(beichen):
    gx, ind = unit(beichen, "区工信局"), indicator(beichen, 1)
    for month, value in [(1, "13.7"), (2, "13.75"), (3, "13.8")]:
        report(period(beichen, 2024, month), gx, values={ind: value})
    result = by_indicator(assess_plan(beichen, period(beichen, 2024, 3)), ind)
    assert result.kind == IndicatorKind.LEVEL
    assert (result.expected, result.actual, result.target) == (D("13.825"), D("13.8"), D("14.5"))
    assert result.status == Status.NORMAL
    assert result.ratio == D("13.8") / D("13.825")
    assert result.formula == "序时进度 = 13.6 + (14.5 − 13.6) × 3/12 = 13.83；实际 13.8；完成率 99.8% ≥ 95% → 正常"
    # From 13.7 two months back: 0.05 a month, 9 months to go → 14.25, 98.3 % of 14.5: on track.
    assert result.forecast == D("14.25")
    assert result.will_meet is True
    assert [(p.label, p.end, p.expected, p.actual) for p in result.series] == [
        ("2024-01", datetime.date(2024, 1, 31), D("13.675"), D("13.7")),
        ("2024-02", datetime.date(2024, 2, 29), D("13.75"), D("13.75")),
        ("2024-03", datetime.date(2024, 3, 31), D("13.825"), D("13.8")),
    ]


def test_a_flat_level_is_forecast_to_miss_the_year_target(beichen):
    gx, ind = unit(beichen, "区工信局"), indicator(beichen, 1)
    for month in (1, 2, 3):
        report(period(beichen, 2024, month), gx, values={ind: "13.7"})
    result = by_indicator(assess_plan(beichen, period(beichen, 2024, 3)), ind)
    assert (result.forecast, result.will_meet) == (D("13.7"), False)  # 94.5 % of 14.5


def test_drafts_and_returned_reports_do_not_count_but_submitted_and_approved_do(beichen):
    gx, ind = unit(beichen, "区工信局"), indicator(beichen, 1)
    report(period(beichen, 2024, 1), gx, values={ind: "13.7"}, state="approved")
    report(period(beichen, 2024, 2), gx, values={ind: "20"}, state="returned")
    report(period(beichen, 2024, 3), gx, values={ind: "30"}, state="draft")
    assert by_indicator(assess_plan(beichen, period(beichen, 2024, 3)), ind).actual == D("13.7")


def test_nothing_reported_is_no_data(beichen):
    result = by_indicator(assess_plan(beichen, period(beichen, 2024, 3)), indicator(beichen, 1))
    assert (result.status, result.actual, result.forecast, result.will_meet) == (Status.NO_DATA, None, None, None)
    assert result.formula.endswith("未报送 → 无数据")


def test_a_qualitative_grade_counts_only_once_the_office_approved_it(beichen):
    fgw, gx, ind = unit(beichen, "区发改委"), unit(beichen, "区工信局"), indicator(beichen, 2)
    report(period(beichen, 2024, 1), fgw, grades={ind: 3})
    result = by_indicator(assess_plan(beichen, period(beichen, 2024, 1)), ind)
    assert (result.kind, result.status, result.actual) == (IndicatorKind.QUALITATIVE, Status.NO_DATA, None)
    report(period(beichen, 2024, 2), gx, grades={ind: 1}, state="approved")
    result = by_indicator(assess_plan(beichen, period(beichen, 2024, 2)), ind)
    assert (result.expected, result.actual, result.status) == (D(1), D(1), Status.NORMAL)
    assert result.formula == "应达等级 = ⌈3 × 2/48⌉ = 1；已审核等级 1 ≥ 1 → 正常"


def test_recycling_points_add_each_period_to_the_baseline_across_years(beichen):
    sw, ind = unit(beichen, "区商务局"), indicator(beichen, 13)
    periods = list(Period.objects.filter(plan=beichen).order_by("start")[:14])
    for p in periods:
        report(p, sw, values={ind: 5})
    result = by_indicator(assess_plan(beichen, periods[-1]), ind)
    assert result.kind == IndicatorKind.CUMULATIVE
    assert result.actual == D(270)  # 200 + 14 × 5
    assert result.expected == D(250) + D(50) * 2 / 12
    assert result.target == D(300)
    assert result.status == Status.NORMAL
    assert len(result.series) == 14
    assert result.series[11].expected == D(250) and result.series[11].actual == D(260)


def test_a_flow_sums_within_the_year_and_starts_again_in_january(beichen, user):
    ind = indicator(beichen, 12)  # 新增环保绩效A级和引领性企业: 5 in 2024
    profile_set(actor=user("beichen"), indicator=ind, kind=IndicatorKind.FLOW)
    hb = unit(beichen, "区生态环境局")
    report(period(beichen, 2024, 11), hb, values={ind: 2})
    report(period(beichen, 2024, 12), hb, values={ind: 3})
    report(period(beichen, 2025, 1), hb, values={ind: 1})
    december = by_indicator(assess_plan(beichen, period(beichen, 2024, 12)), ind)
    assert (december.actual, december.expected, december.status) == (D(5), D(5), Status.NORMAL)
    january = by_indicator(assess_plan(beichen, period(beichen, 2025, 1)), ind)
    assert january.actual == D(1)
    assert january.expected == D(10) / 12  # 2025's amount is 10, from 0


def test_units_values_are_summed_taken_last_or_averaged_as_the_profile_says(beichen, user):
    ind = indicator(beichen, 1)
    p = period(beichen, 2024, 1)
    report(p, unit(beichen, "区工信局"), values={ind: 10}, hour=9)
    report(p, unit(beichen, "区发改委"), values={ind: 4}, hour=10)
    assert by_indicator(assess_plan(beichen, p), ind).actual == D(14)
    profile_set(actor=user("beichen"), indicator=ind, aggregation="last")
    assert by_indicator(assess_plan(beichen, p), ind).actual == D(4)
    profile_set(actor=user("beichen"), indicator=ind, aggregation="average")
    assert by_indicator(assess_plan(beichen, p), ind).actual == D(7)


def test_the_latest_trajectory_version_sets_the_curve(beichen, user):
    ind = indicator(beichen, 7)  # 20 → 25 家 in 2024
    shares = ["0", "0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1"]
    trajectory_change(actor=user("beichen"), indicator=ind, curve="stepwise", reason="年底集中认定")
    trajectory_change(
        actor=user("beichen"), indicator=ind, curve="custom", reason="一季度不认定", monthly_shares=shares
    )
    result = by_indicator(assess_plan(beichen, period(beichen, 2024, 4)), ind)
    assert result.expected == D(21)
    assert "自定义曲线" in result.formula


def test_a_lower_is_better_indicator_is_judged_by_expected_over_actual(beichen, user):
    ind = indicator(beichen, 1)
    profile_set(actor=user("beichen"), indicator=ind, direction="lower")
    report(period(beichen, 2024, 3), unit(beichen, "区工信局"), values={ind: "15"})
    result = by_indicator(assess_plan(beichen, period(beichen, 2024, 3)), ind)
    assert result.ratio == D("13.825") / D(15)
    assert result.status == Status.WARNING  # 92.2 %


def test_counts_cover_every_indicator_and_every_status(beichen):
    gx = unit(beichen, "区工信局")
    report(period(beichen, 2024, 3), gx, values={indicator(beichen, 1): "11"})
    result = assess_plan(beichen, period(beichen, 2024, 3))
    assert result.counts == {"normal": 0, "warning": 0, "lagging": 1, "no_data": 14}
    assert sum(result.counts.values()) == len(result.indicators) == 15
    assert result.weights == {"on_time": 30, "indicators": 50, "tasks": 20}


def test_indicator_statuses_show_lagging_two_periods_running(beichen):
    gx, ind = unit(beichen, "区工信局"), indicator(beichen, 1)
    for month, value in [(1, "13.7"), (2, "10"), (3, "10")]:
        report(period(beichen, 2024, month), gx, values={ind: value})
    periods = [period(beichen, 2024, month) for month in (1, 2, 3)]
    statuses = indicator_statuses(beichen, periods)
    assert statuses[ind.pk] == [Status.NORMAL, Status.LAGGING, Status.LAGGING]
    assert statuses[indicator(beichen, 7).pk] == [Status.NO_DATA] * 3
    assert len(statuses) == 15


def test_assess_plan_reads_the_plan_in_a_fixed_number_of_queries(beichen):
    gx, sw = unit(beichen, "区工信局"), unit(beichen, "区商务局")
    first = period(beichen, 2024, 1)
    report(first, gx, values={indicator(beichen, 1): "13.7"})
    with CaptureQueriesContext(connection) as few:
        assess_plan(beichen, first)
    periods = list(Period.objects.filter(plan=beichen).order_by("start")[:12])
    for p in periods[1:]:
        report(p, gx, values={indicator(beichen, 1): "14"}, tasks={task(beichen, "1"): ("in_progress", "推进中")})
        report(p, sw, values={indicator(beichen, 13): 5}, tasks={task(beichen, "6"): ("done", "已完成")})
    with CaptureQueriesContext(connection) as many:
        assess_plan(beichen, periods[-1])
    assert len(few.captured_queries) == len(many.captured_queries) <= 10


def test_a_period_of_another_plan_is_refused(beichen, plan_of, user):
    wuqing = plan_of("武清区")
    calendar_set(actor=user("wuqing"), plan=wuqing, cadence="month")
    with pytest.raises(ValueError):
        assess_plan(beichen, period(wuqing, 2024, 1))


# --- tasks --------------------------------------------------------------------------------------


def test_a_task_takes_the_latest_report_of_its_lead_unit_over_its_responsible_units(beichen):
    t = task(beichen, "1")  # lead 区工信局, responsible 区发改委 …
    report(period(beichen, 2024, 1), unit(beichen, "区工信局"), tasks={t: ("lagging", "设备采购延迟")})
    report(period(beichen, 2024, 2), unit(beichen, "区发改委"), tasks={t: ("done", "已完成")})
    result = by_task(assess_plan(beichen, period(beichen, 2024, 2)), t)
    assert (result.status, result.progress, result.note) == (Status.LAGGING, "lagging", "设备采购延迟")


def test_a_task_without_a_lead_unit_takes_its_responsible_units_report(beichen):
    t = task(beichen, "13")  # no lead unit
    report(period(beichen, 2024, 1), unit(beichen, "区商务局"), tasks={t: ("in_progress", "对接会筹备中")})
    result = by_task(assess_plan(beichen, period(beichen, 2024, 1)), t)
    assert (result.status, result.progress, result.note) == (Status.NORMAL, "in_progress", "对接会筹备中")


def test_a_task_past_its_due_date_and_not_done_is_lagging_and_one_not_started_in_april_a_warning(beichen, user):
    t1, t6 = task(beichen, "1"), task(beichen, "6")
    task_due_set(actor=user("beichen"), task=t1, due_on=datetime.date(2024, 3, 31))
    april = period(beichen, 2024, 4)
    report(april, unit(beichen, "区工信局"), tasks={t1: ("in_progress", "")})
    report(april, unit(beichen, "区商务局"), tasks={t6: ("not_started", "")})
    result = assess_plan(beichen, april)
    assert by_task(result, t1).status == Status.LAGGING
    assert by_task(result, t1).due_on == datetime.date(2024, 3, 31)
    assert by_task(result, t6).status == Status.WARNING
    assert by_task(result, task(beichen, "2")).status == Status.NO_DATA


# --- the league table ---------------------------------------------------------------------------


def test_the_league_ranks_units_by_weighted_score_with_ties_sharing_a_rank(beichen):
    sw, gx = unit(beichen, "区商务局"), unit(beichen, "区工信局")
    jan, feb = period(beichen, 2024, 1), period(beichen, 2024, 2)
    sw_tasks = {task(beichen, n): ("done", "") for n in ("6", "7", "8", "9", "10")}
    # 区商务局: on time both months; its indicators 5 and 13 on track, its led tasks done.
    report(jan, sw, values={indicator(beichen, 5): "30700", indicator(beichen, 13): 5}, tasks=sw_tasks)
    report(feb, sw, values={indicator(beichen, 5): "31000", indicator(beichen, 13): 5}, tasks=sw_tasks)
    # 区工信局: on time in January, late in February.
    report(jan, gx, values={indicator(beichen, 1): "13.7"})
    report(feb, gx, values={indicator(beichen, 1): "13.75"}, days_late=2)
    result = assess_plan(beichen, feb)
    league = result.league
    assert [s.rank for s in league] == sorted(s.rank for s in league)
    top = league[0]
    assert top.unit == sw and top.rank == 1
    assert top.on_time_rate == D(1)
    assert top.indicator_score == D(1)
    gx_row = by_unit(league, gx)
    assert gx_row.on_time_rate == D("0.5")
    assert gx_row.rank > 1
    # Ranks follow the scores; equal scores share a rank and the next rank skips.
    for row in league:
        assert row.rank == 1 + sum(1 for other in league if other.score > row.score)
    assert len({s.score for s in league}) < len(league)
    # A unit that reported nothing still shares its tasks' status (区商务局 leads them, all done).
    civil = by_unit(league, unit(beichen, "区民政局"))  # responsible only for task 8
    assert (civil.on_time_rate, civil.indicator_score, civil.task_score) == (D(0), None, D(1))
    assert civil.score == D("40.00")  # (30·0 + 20·1) / 50 — no indicators, so their weight is left out
    owing = {
        a.unit_id
        for a in beichen.assignments.filter(role__in=["lead", "responsible"]).exclude(task=None, indicator=None)
    }
    assert {s.unit.pk for s in league} == owing
    # The score is the weighted sum: 30·on time + 50·indicators + 20·tasks.
    expected = (30 * gx_row.on_time_rate + 50 * gx_row.indicator_score + 20 * gx_row.task_score).quantize(D("0.01"))
    assert gx_row.score == expected
    assert isinstance(gx_row.score, Decimal) and gx_row.score.as_tuple().exponent == -2


def test_the_league_shows_the_previous_rank(beichen):
    sw, gx = unit(beichen, "区商务局"), unit(beichen, "区工信局")
    jan, feb = period(beichen, 2024, 1), period(beichen, 2024, 2)
    report(jan, gx, values={indicator(beichen, 1): "13.7"})
    report(feb, gx, values={indicator(beichen, 1): "13.75"}, days_late=3)
    sw_tasks = {task(beichen, n): ("done", "") for n in ("6", "7", "8", "9", "10")}
    report(feb, sw, values={indicator(beichen, 5): "31000", indicator(beichen, 13): 10}, tasks=sw_tasks)
    assert assess_plan(beichen, jan).league[0].previous_rank is None
    league = league_table(beichen, feb)
    assert by_unit(league, gx).previous_rank == 1
    assert by_unit(league, sw).previous_rank > 1
    assert by_unit(league, sw).rank == 1


def test_on_time_counts_only_this_years_periods(beichen):
    gx = unit(beichen, "区工信局")
    report(period(beichen, 2024, 12), gx, values={indicator(beichen, 1): "14.5"}, days_late=1)
    report(period(beichen, 2025, 1), gx, values={indicator(beichen, 1): "14.6"})
    assert by_unit(league_table(beichen, period(beichen, 2025, 1)), gx).on_time_rate == D(1)


# --- profiles and roll-up -----------------------------------------------------------------------


def test_default_profiles_of_the_demo_table_are_unsaved_guesses(plan_of):
    plan = plan_of("北辰区")
    profiles = {seq: default_profile(indicator(plan, seq)) for seq in (1, 2, 5, 13)}
    assert {seq: p.kind for seq, p in profiles.items()} == {
        1: IndicatorKind.LEVEL,
        2: IndicatorKind.QUALITATIVE,
        5: IndicatorKind.LEVEL,
        13: IndicatorKind.CUMULATIVE,
    }
    assert all(p.pk is None for p in profiles.values())
    assert profiles[1].aggregation == "sum" and profiles[1].direction == "higher"


def test_the_rollup_of_tianjin_shows_its_districts_with_plans(beichen):
    gx = unit(beichen, "区工信局")
    report(period(beichen, 2024, 3), gx, values={indicator(beichen, 1): "13.8"})
    tianjin = Jurisdiction.objects.get(name="天津市", parent=None)
    rows = rollup(tianjin, datetime.date(2024, 4, 15))
    names = [r.jurisdiction.name for r in rows]
    assert names[0] == "天津市"
    assert set(names[1:]) == {"北辰区", "武清区", "天津经济技术开发区"}
    beichen_row = next(r for r in rows if r.jurisdiction.name == "北辰区")
    assert beichen_row.plan_count == 1
    assert beichen_row.counts == {"normal": 1, "warning": 0, "lagging": 0, "no_data": 14}
    expected_mean = assess_plan(beichen, period(beichen, 2024, 3)).league
    assert beichen_row.mean_score == (sum(s.score for s in expected_mean) / len(expected_mean)).quantize(D("0.01"))
    # 武清区 has no reporting calendar yet: its plan is counted, not judged.
    wuqing_row = next(r for r in rows if r.jurisdiction.name == "武清区")
    assert (wuqing_row.plan_count, wuqing_row.mean_score) == (1, None)
    assert sum(wuqing_row.counts.values()) == 0
    assert rows[0].plan_count == 3
    assert rows[0].counts == beichen_row.counts


def test_the_rollup_before_any_period_has_ended_judges_nothing(beichen):
    rows = rollup(beichen.jurisdiction, datetime.date(2024, 1, 15))
    assert [(r.jurisdiction.name, r.plan_count, r.mean_score) for r in rows] == [("北辰区", 1, None)]


def test_quarterly_periods_use_the_share_of_days_of_the_year(plan_of, user):
    plan = plan_of("北辰区")
    calendar_set(actor=user("beichen"), plan=plan, cadence="quarter")
    q1 = Period.objects.get(plan=plan, start=datetime.date(2024, 1, 1))
    report(q1, unit(plan, "区工信局"), values={indicator(plan, 1): "13.8"})
    result = by_indicator(assess_plan(plan, q1), indicator(plan, 1))
    assert result.expected == D("13.6") + D("0.9") * 91 / 366
    assert "× 91/366 =" in result.formula
    assert result.status == Status.NORMAL


def test_a_rate_without_a_baseline_is_only_asked_to_report_until_its_year_end(beichen):
    ind = indicator(beichen, 4)  # 数控化率…超过90% in 2027 only, no baseline
    report(period(beichen, 2027, 6), unit(beichen, "区工信局"), values={ind: 85})
    result = by_indicator(assess_plan(beichen, period(beichen, 2027, 6)), ind)
    assert (result.expected, result.target, result.status) == (None, D(90), Status.NORMAL)
    assert result.formula == "年底考核，目标 90；年底前无序时进度；实际 85 → 正常"
    report(period(beichen, 2027, 12), unit(beichen, "区工信局"), values={ind: 90})
    result = by_indicator(assess_plan(beichen, period(beichen, 2027, 12)), ind)
    assert (result.expected, result.status) == (D(90), Status.WARNING)  # 超过90%: 90 is not above
    assert result.formula.endswith("年底须超过 90 → 预警")
