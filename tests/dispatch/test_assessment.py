"""The assessment maths: property tests (hypothesis) and worked examples from 北辰区's indicator table."""

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import liangxin.plans
from liangxin.dispatch import assessment as m
from liangxin.dispatch.enums import Cadence, Curve, Direction, IndicatorKind, Status

D = Decimal
BEICHEN = json.loads((Path(liangxin.plans.__file__).parent / "demo" / "beichen.json").read_text(encoding="utf-8"))
STATUS_ORDER = {Status.NO_DATA: 0, Status.LAGGING: 0, Status.WARNING: 1, Status.NORMAL: 2}


def beichen_spec(seq: int, kind: str | None = None, **overrides) -> m.IndicatorSpec:
    """The spec of a row of 北辰区's indicator table, as assess.py builds it from the loaded plan."""
    row = next(r for r in BEICHEN["indicators"] if r["seq"] == seq)
    milestones = tuple(
        m.Milestone(
            year=c["year"],
            value=None if c["value"] is None else D(str(c["value"])),
            unit=c["unit"],
            text=c["text"] or "",
        )
        for c in row["milestones"]
    )
    baseline = row["baseline"]
    value = None if baseline["value"] is None else D(str(baseline["value"]))
    guessed, aggregation, direction = m.guess_profile(row["name"], False, milestones, baseline["unit"])
    fields = {
        "name": row["name"],
        "kind": kind or guessed,
        "aggregation": aggregation,
        "direction": direction,
        "baseline_value": value,
        "baseline_unit": baseline["unit"],
        "baseline_year": baseline["year"],
        "milestones": milestones,
    }
    fields.update(overrides)
    return m.IndicatorSpec(**fields)


def expected_at(spec: m.IndicatorSpec, year: int, share: m.Share):
    return m.expected_value(spec, m.year_bounds(spec, m.milestone_levels(spec)), year, share)


def month(n: int) -> m.Share:
    return m.Share(n, 12)


# --- worked examples: 北辰区 ------------------------------------------------------------------------


def test_equipment_investment_expected_at_the_end_of_march_2024_is_13_825():
    spec = beichen_spec(1)
    assert spec.kind == IndicatorKind.LEVEL
    assert expected_at(spec, 2024, month(3)) == D("13.825")


def test_equipment_investment_hits_each_milestone_exactly_at_the_year_end_and_starts_from_it():
    spec = beichen_spec(1)
    assert expected_at(spec, 2024, month(12)) == D("14.5")
    assert expected_at(spec, 2025, month(12)) == D("15.3")
    assert expected_at(spec, 2027, month(12)) == D("17")
    assert expected_at(spec, 2025, month(1)) == D("14.5") + D("0.8") / 12


def test_the_formula_shows_the_numbers_the_status_came_from():
    spec = beichen_spec(1)
    levels = m.milestone_levels(spec)
    exp = m.expectation(spec, levels, 2025, month(3))
    judgement = m.judge(D("14.2"), exp.value, comparator=exp.comparator)
    assert exp.value == D("14.7")
    assert f"{exp.text}；{judgement.text}" == (
        "序时进度 = 14.5 + (15.3 − 14.5) × 3/12 = 14.70；实际 14.2；完成率 96.6% ≥ 95% → 正常"
    )
    assert judgement.status == Status.NORMAL


def test_the_formula_of_a_lagging_indicator_names_the_warning_bar():
    spec = beichen_spec(1)
    exp = m.expectation(spec, m.milestone_levels(spec), 2024, month(6))
    judgement = m.judge(D("11"), exp.value)
    assert exp.text == "序时进度 = 13.6 + (14.5 − 13.6) × 6/12 = 14.05"
    assert judgement.text == "实际 11；完成率 78.3% < 80% → 滞后"
    assert judgement.status == Status.LAGGING


def test_used_cars_growth_against_the_previous_year_then_against_2023_becomes_levels():
    spec = beichen_spec(5)
    levels = m.milestone_levels(spec)
    assert levels[2024].value == D("33561")  # 30510 × 1.10
    assert levels[2025].value == D("36917.1")  # 较上年度增长10%
    assert levels[2026].value == D("40608.81")
    assert levels[2027].value == D("44239.5")  # 比2023年增长45%: 30510 × 1.45
    assert levels[2024].comparator == "~"  # 10%左右
    assert levels[2025].note == "33561 × (1 + 10%) = 36917.1"


def test_used_cars_formula_shows_how_the_growth_became_the_year_target():
    spec = beichen_spec(5)
    exp = m.expectation(spec, m.milestone_levels(spec), 2024, month(3))
    assert exp.text == "年度目标 30510 × (1 + 10%) = 33561；序时进度 = 30510 + (33561 − 30510) × 3/12 = 31272.75"


def test_growth_without_a_basis_word_is_against_the_previous_year_only_in_a_yearly_series():
    yearly = m.IndicatorSpec(
        name="产值",
        kind=IndicatorKind.LEVEL,
        baseline_value=D(100),
        baseline_unit="亿元",
        baseline_year=2023,
        milestones=(
            m.Milestone(2024, D(10), "%", "增长10%"),
            m.Milestone(2025, D(10), "%", "增长10%"),
        ),
    )
    levels = m.milestone_levels(yearly)
    assert (levels[2024].value, levels[2025].value) == (D("110"), D("121"))
    lone = m.IndicatorSpec(
        name="产值",
        kind=IndicatorKind.LEVEL,
        baseline_value=D(100),
        baseline_unit="亿元",
        baseline_year=2023,
        milestones=(m.Milestone(2024, None, None, "稳步增长"), m.Milestone(2025, D(25), "%", "增长25%")),
    )
    assert m.milestone_levels(lone)[2025].value == D("125")


def test_percentage_points_add_to_the_base_and_a_fall_is_a_negative_growth():
    spec = m.IndicatorSpec(
        name="综合利用率",
        kind=IndicatorKind.LEVEL,
        baseline_value=D(60),
        baseline_unit="%",
        baseline_year=2023,
        milestones=(
            m.Milestone(2024, D(5), "个百分点", "较2023年提高5个百分点"),
            m.Milestone(2025, D(3), "个百分点", "较上年提高3个百分点"),
        ),
    )
    levels = m.milestone_levels(spec)
    assert (levels[2024].value, levels[2025].value) == (D(65), D(68))
    energy = m.IndicatorSpec(
        name="单位产值能耗",
        kind=IndicatorKind.LEVEL,
        baseline_value=D(2),
        baseline_unit="吨标煤/万元",
        baseline_year=2023,
        milestones=(m.Milestone(2025, D(10), "%", "较2023年下降10%"),),
    )
    assert m.milestone_levels(energy)[2025].value == D("1.8")


def test_a_rate_in_percent_against_no_baseline_is_a_level_judged_only_at_its_year_end():
    spec = beichen_spec(4)  # 普及率…超过90%, only in 2027, no baseline
    levels = m.milestone_levels(spec)
    assert levels[2027].value == D(90)
    assert levels[2027].comparator == ">"
    assert levels[2024].value is None
    assert expected_at(spec, 2026, month(6)) is None
    assert expected_at(spec, 2027, month(6)) is None
    assert expected_at(spec, 2027, month(12)) == D(90)


@pytest.mark.parametrize(
    ("seq", "from_baseline", "start"),
    [
        (9, False, D(0)),  # no baseline value
        (10, False, D(0)),  # 26.219 km before; 3 km is what is added from 2024 on
        (11, False, D(0)),  # 1 ≥ 1 but （不含2023年数据）
        (12, False, D(0)),  # 新增…5家（不含2023年数据）
        (13, True, D(200)),  # 累计全区再生资源回收点达到250个以上
    ],
)
def test_cumulative_milestones_count_from_the_baseline_only_when_they_include_it(seq, from_baseline, start):
    spec = beichen_spec(seq)
    assert spec.kind == IndicatorKind.CUMULATIVE
    assert m.counts_from_baseline(spec) is from_baseline
    assert m.start_level(spec) == start


def test_recycling_points_expected_from_the_baseline_in_march_2024():
    spec = beichen_spec(13)
    assert expected_at(spec, 2024, month(3)) == D("212.5")
    assert m.milestone_levels(spec)[2024].comparator == ">="  # 以上


def test_a_year_without_a_numbered_milestone_has_no_expectation_and_the_next_starts_from_the_start_level():
    spec = beichen_spec(9)  # 2024: 做好…准备工作; 2025: 1万平方米
    assert expected_at(spec, 2024, month(6)) is None
    assert expected_at(spec, 2025, month(6)) == D("0.5")
    assert expected_at(spec, 2026, month(6)) == D("1.5")


@pytest.mark.parametrize(
    ("seq", "kind"),
    [
        (1, IndicatorKind.LEVEL),
        (2, IndicatorKind.QUALITATIVE),
        (3, IndicatorKind.QUALITATIVE),
        (4, IndicatorKind.LEVEL),
        (5, IndicatorKind.LEVEL),
        (6, IndicatorKind.QUALITATIVE),
        (7, IndicatorKind.LEVEL),
        (8, IndicatorKind.LEVEL),
        (9, IndicatorKind.CUMULATIVE),
        (10, IndicatorKind.CUMULATIVE),
        (11, IndicatorKind.CUMULATIVE),
        (12, IndicatorKind.CUMULATIVE),
        (13, IndicatorKind.CUMULATIVE),
        (14, IndicatorKind.LEVEL),
        (15, IndicatorKind.LEVEL),
    ],
)
def test_the_kind_of_each_row_of_the_beichen_table_is_guessed(seq, kind):
    assert beichen_spec(seq).kind == kind


def test_a_rate_is_averaged_over_units_and_a_growth_of_a_count_is_summed():
    assert beichen_spec(4).aggregation == "average"
    assert beichen_spec(5).aggregation == "sum"
    assert beichen_spec(1).direction == Direction.HIGHER


def test_every_year_targets_are_flows_and_falling_targets_are_lower_is_better():
    flow = m.guess_profile("新增充电桩", False, [m.Milestone(2024, D(100), "个", "每年新增充电桩100个")])
    assert flow[0] == IndicatorKind.FLOW
    falling = m.guess_profile("单位产值能耗", False, [m.Milestone(2025, D(10), "%", "较2023年下降10%")], "吨")
    assert falling[2] == Direction.LOWER


def test_comparators_are_read_from_the_words_around_the_number():
    read = m.milestone_comparator
    assert read(m.Milestone(2027, D(13), "公里", "改造燃气老旧管网3公里以上，累计改造燃气老旧管网13公里以上")) == ">="
    assert read(m.Milestone(2027, D(20), "台（套）", "累计淘汰老旧农机装备20台（套）左右")) == "~"
    assert read(m.Milestone(2027, D(90), "%", "普及率超过90%")) == ">"
    assert read(m.Milestone(2027, D(5), "%", "占比控制在5%以内")) == "<="
    assert read(m.Milestone(2027, D(5), "%", "占比不超过5%")) == "<="
    assert read(m.Milestone(2027, D(35), "家", "达到35家")) == ">="
    assert read(m.Milestone(2027, D(35), "家", "达到35家", comparator="=")) == ">="
    assert read(m.Milestone(2027, D(35), "家", "达到35家", comparator="<=")) == "<="


def test_flows_sum_within_the_year_and_reset_cumulatives_carry_on_levels_take_the_latest():
    amounts = [D(2), None, D(3), D(1), None]
    years = [2024, 2024, 2024, 2025, 2025]
    assert m.actual_series(IndicatorKind.FLOW, amounts, years, D(0)) == [D(2), D(2), D(5), D(1), D(1)]
    assert m.actual_series(IndicatorKind.CUMULATIVE, amounts, years, D(200)) == [
        D(202),
        D(202),
        D(205),
        D(206),
        D(206),
    ]
    assert m.actual_series(IndicatorKind.LEVEL, amounts, years, D(13)) == [D(2), D(2), D(3), D(1), D(1)]
    assert m.actual_series(IndicatorKind.FLOW, [None, D(1)], [2024, 2024], D(0)) == [None, D(1)]


def test_units_values_combine_by_sum_latest_or_average():
    values = [D(1), D(2), D(6)]
    assert m.aggregate(values, "sum") == D(9)
    assert m.aggregate(values, "last") == D(6)
    assert m.aggregate(values, "average") == D(3)
    assert m.aggregate([], "sum") is None


def test_year_shares_for_months_quarters_and_ten_day_periods():
    assert m.year_share(datetime.date(2024, 3, 31), Cadence.MONTH) == m.Share(3, 12)
    assert m.year_share(datetime.date(2024, 3, 31), Cadence.QUARTER) == m.Share(91, 366)
    assert m.year_share(datetime.date(2025, 1, 10), Cadence.TEN_DAYS) == m.Share(10, 365)
    assert m.year_share(datetime.date(2025, 12, 31), Cadence.QUARTER).complete
    assert m.periods_left(m.Share(3, 12), Cadence.MONTH) == 9
    assert m.periods_left(m.Share(91, 366), Cadence.QUARTER) == 3
    assert m.periods_left(m.Share(10, 365), Cadence.TEN_DAYS) == 35


def test_compound_and_stepwise_and_custom_curves():
    s, t = D(100), D(121)
    assert m.curve_value(Curve.COMPOUND, s, t, m.Share(6, 12)) == D(110)
    assert m.curve_value(Curve.STEPWISE, s, t, m.Share(11, 12)) == s
    assert m.curve_value(Curve.STEPWISE, s, t, m.Share(12, 12)) == t
    shares = tuple(D(x) for x in ["0", "0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1"])
    assert m.curve_value(Curve.CUSTOM, s, t, m.Share(4, 12), shares) == D("104.2")
    # Halfway through May on a day count: between April's 0.2 and May's 0.3.
    assert m.custom_share(shares, m.Share(9, 24)) == D("0.25")
    assert m.curve_value(Curve.COMPOUND, D(0), D(10), m.Share(6, 12)) == D(5)  # no compounding from 0


def test_the_custom_curve_and_the_stepwise_formulas():
    shares = tuple(D(x) for x in ["0", "0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1"])
    custom = beichen_spec(7, curve=Curve.CUSTOM, monthly_shares=shares)
    exp = m.expectation(custom, m.milestone_levels(custom), 2024, month(4))
    assert exp.text == "序时进度 = 20 + (25 − 20) × 20.0%（自定义曲线，4/12）= 21.00"
    stepwise = beichen_spec(7, curve=Curve.STEPWISE)
    exp = m.expectation(stepwise, m.milestone_levels(stepwise), 2024, month(4))
    assert exp.text == "序时进度 = 20（阶梯式，年底达到 25）"
    compound = beichen_spec(7, curve=Curve.COMPOUND)
    exp = m.expectation(compound, m.milestone_levels(compound), 2024, month(6))
    assert exp.text.startswith("序时进度 = 20 × (25 ÷ 20)^(6/12) = 22.36")


def test_thresholds_and_comparators_in_judge():
    th = m.Thresholds(D(95), D(80), D(5))
    assert m.status_of(D("95"), D(100), thresholds=th) == (Status.NORMAL, D("0.95"))
    assert m.status_of(D("94.9"), D(100), thresholds=th)[0] == Status.WARNING
    assert m.status_of(D("80"), D(100), thresholds=th)[0] == Status.WARNING
    assert m.status_of(D("79.9"), D(100), thresholds=th)[0] == Status.LAGGING
    assert m.status_of(D("91"), D(100), comparator="~", thresholds=th)[0] == Status.NORMAL
    assert m.status_of(D("89"), D(100), comparator="~", thresholds=th)[0] == Status.WARNING
    assert m.status_of(D("100"), D(100), comparator=">", year_end=True)[0] == Status.WARNING
    assert m.status_of(D("100.1"), D(100), comparator=">", year_end=True)[0] == Status.NORMAL
    assert m.status_of(D("100"), D(100), comparator=">", year_end=False)[0] == Status.NORMAL
    assert m.status_of(D("110"), D(100), comparator="<=")[0] == Status.WARNING  # 100/110 = 90.9 %
    assert m.status_of(D("90"), D(100), direction=Direction.LOWER)[0] == Status.NORMAL
    assert m.status_of(None, D(100))[0] == Status.NO_DATA


def test_the_about_and_more_than_formulas():
    assert m.judge(D(91), D(100), comparator="~").text == "实际 91；完成率 91.0% ≥ 90%（95% − 容差 5%） → 正常"
    assert m.judge(D(100), D(100), comparator=">", year_end=True).text == (
        "实际 100；完成率 100.0% ≥ 95%；年底须超过 100 → 预警"
    )
    assert m.judge(D(125), D(100), direction=Direction.LOWER).text == (
        "实际 125；完成率（越低越好：序时 ÷ 实际） 80.0% ≥ 80% → 预警"
    )


def test_zero_expected_and_zero_actual_do_not_divide():
    assert m.status_of(D(0), D(0)) == (Status.NORMAL, None)
    assert m.status_of(D(-1), D(0)) == (Status.LAGGING, None)
    assert m.status_of(D(0), D(0), direction=Direction.LOWER) == (Status.NORMAL, None)
    assert m.status_of(D(1), D(0), direction=Direction.LOWER) == (Status.LAGGING, None)
    assert m.status_of(D(0), D(5), direction=Direction.LOWER) == (Status.NORMAL, None)
    assert m.judge(D(0), D(0)).text == "实际 0 ≥ 0 → 正常"


def test_qualitative_grades_are_due_over_the_plan_and_judged_against_the_approved_grade():
    assert m.qualitative_expected_grade(m.plan_share(datetime.date(2024, 3, 31), Cadence.MONTH, 2024, 2027)) == 1
    assert m.qualitative_expected_grade(m.plan_share(datetime.date(2025, 4, 30), Cadence.MONTH, 2024, 2027)) == 1
    assert m.qualitative_expected_grade(m.plan_share(datetime.date(2025, 5, 31), Cadence.MONTH, 2024, 2027)) == 2
    assert m.qualitative_expected_grade(m.plan_share(datetime.date(2027, 12, 31), Cadence.MONTH, 2024, 2027)) == 3
    share = m.Share(17, 48)
    assert m.judge_grade(D(2), 2, share).text == "应达等级 = ⌈3 × 17/48⌉ = 2；已审核等级 2 ≥ 2 → 正常"
    assert m.judge_grade(D(1), 2, share).status == Status.WARNING
    assert m.judge_grade(D(0), 2, share).status == Status.LAGGING
    assert m.judge_grade(None, 2, share).status == Status.NO_DATA


def test_forecast_projects_the_recent_rate_to_the_year_end():
    years = [2024] * 4
    level = [D("13.6"), D("13.7"), D("13.8"), D("13.9")]
    # Rate 0.1 per month over the last three months, 8 months to go.
    assert m.forecast(IndicatorKind.LEVEL, level, years, 3, 8) == D("14.7")
    # A flow starts the year from 0: 1, 3, 6 → the last three months give 2 a month.
    flow = [D(1), D(3), D(6)]
    assert m.forecast(IndicatorKind.FLOW, flow, [2024] * 3, 2, 9) == D(6) + D(2) * 9
    assert m.forecast(IndicatorKind.FLOW, [D(4)], [2024], 0, 11) == D(48)
    assert m.forecast(IndicatorKind.LEVEL, [D(5)], [2024], 0, 11) == D(5)  # one point, no trend
    assert m.forecast(IndicatorKind.LEVEL, [D(5), None], [2024] * 2, 1, 10) is None


@pytest.mark.parametrize(
    ("progress", "end", "due_on", "status"),
    [
        ("done", datetime.date(2024, 12, 31), datetime.date(2024, 6, 30), Status.NORMAL),
        ("lagging", datetime.date(2024, 1, 31), None, Status.LAGGING),
        ("in_progress", datetime.date(2024, 7, 31), datetime.date(2024, 6, 30), Status.LAGGING),
        ("in_progress", datetime.date(2024, 6, 30), datetime.date(2024, 6, 30), Status.NORMAL),
        ("not_started", datetime.date(2024, 3, 31), None, Status.NORMAL),
        ("not_started", datetime.date(2024, 4, 30), None, Status.WARNING),
        (None, datetime.date(2024, 4, 30), None, Status.NO_DATA),
    ],
)
def test_task_status(progress, end, due_on, status):
    assert m.task_status(progress, end, due_on) == status


def test_scores_use_the_calendar_weights_and_units_without_indicators_are_scored_on_what_they_have():
    weights = {"on_time": 30, "indicators": 50, "tasks": 20}
    assert m.unit_score(D(1), D("0.5"), D(1), weights) == D("75.00")
    assert m.unit_score(D(1), None, D("0.5"), weights) == D("80.00")  # (30·1 + 20·0.5) / 50
    assert m.unit_score(D(2) / 3, D(1), D(1), weights) == D("90.00")
    assert m.mean_points(["normal", "warning", "lagging", "no_data"]) == D("0.375")
    assert m.competition_ranks([D(80), D(90), D(90), D(100)]) == [4, 2, 2, 1]


# --- properties -------------------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)
signed = st.decimals(min_value=-(10**6), max_value=10**6, places=2, allow_nan=False, allow_infinity=False)
curves = st.sampled_from([Curve.LINEAR, Curve.COMPOUND, Curve.STEPWISE, Curve.CUSTOM])
comparators = st.sampled_from([">=", ">", "<=", "~", "="])
directions = st.sampled_from([Direction.HIGHER, Direction.LOWER])


@st.composite
def monthly_shares(draw):
    steps = draw(st.lists(st.integers(0, 10), min_size=12, max_size=12))
    total = sum(steps) or 1
    running, shares = 0, []
    for step in steps:
        running += step
        shares.append(D(running) / D(total))
    shares[-1] = D(1)
    return tuple(shares)


@st.composite
def thresholds(draw):
    normal = draw(st.integers(2, 100))
    warning = draw(st.integers(1, normal - 1))
    tolerance = draw(st.integers(0, 20))
    return m.Thresholds(D(normal), D(warning), D(tolerance))


@st.composite
def rising_specs(draw):
    """A level indicator with a baseline and four non-decreasing milestones, on any curve."""
    baseline = draw(amounts)
    steps = draw(st.lists(amounts, min_size=4, max_size=4))
    levels, value = [], baseline
    for step in steps:
        value += step
        levels.append(value)
    curve = draw(curves)
    return m.IndicatorSpec(
        name="指标",
        kind=draw(st.sampled_from([IndicatorKind.LEVEL, IndicatorKind.CUMULATIVE])),
        baseline_value=baseline,
        baseline_unit="家",
        baseline_year=2023,
        milestones=tuple(m.Milestone(2024 + i, v, "家", f"累计达到{v}家") for i, v in enumerate(levels)),
        curve=curve,
        monthly_shares=draw(monthly_shares()) if curve == Curve.CUSTOM else None,
    )


@settings(max_examples=200)
@given(rising_specs())
def test_expected_value_rises_month_by_month_across_years_for_rising_milestones(spec):
    bounds = m.year_bounds(spec, m.milestone_levels(spec))
    path = [m.expected_value(spec, bounds, year, month(k)) for year in range(2024, 2028) for k in range(1, 13)]
    assert all(a <= b for a, b in zip(path, path[1:], strict=False))
    assert path[0] >= spec.baseline_value


@settings(max_examples=200)
@given(rising_specs(), st.integers(2024, 2027))
def test_milestones_are_hit_exactly_at_year_ends(spec, year):
    levels = m.milestone_levels(spec)
    bounds = m.year_bounds(spec, levels)
    days = 366 if year % 4 == 0 else 365
    assert m.expected_value(spec, bounds, year, m.Share(12, 12)) == levels[year].value
    assert m.expected_value(spec, bounds, year, m.Share(days, days)) == levels[year].value


@settings(max_examples=300)
@given(amounts, amounts, st.integers(1, 365), curves, monthly_shares())
def test_every_curve_stays_between_its_start_and_its_target(start, target, day, curve, shares):
    value = m.curve_value(curve, start, target, m.Share(day, 365), shares)
    assert min(start, target) <= value <= max(start, target) or abs(value - target) < D("1e-20") * max(1, target)


@settings(max_examples=300)
@given(amounts, amounts)
def test_compound_equals_linear_at_both_ends(start, target):
    for share in (m.Share(0, 12), m.Share(12, 12), m.Share(0, 365), m.Share(365, 365)):
        assert m.curve_value(Curve.COMPOUND, start, target, share) == m.curve_value(Curve.LINEAR, start, target, share)


@settings(max_examples=500)
@given(signed, signed, signed, directions, comparators, thresholds(), st.booleans())
def test_status_is_monotone_in_the_actual_value(a, b, expected, direction, comparator, th, year_end):
    low, high = min(a, b), max(a, b)
    kw = {"direction": direction, "comparator": comparator, "thresholds": th, "year_end": year_end}
    s_low, s_high = m.status_of(low, expected, **kw)[0], m.status_of(high, expected, **kw)[0]
    if direction == Direction.LOWER or comparator == "<=":
        assert STATUS_ORDER[s_low] >= STATUS_ORDER[s_high]
    else:
        assert STATUS_ORDER[s_low] <= STATUS_ORDER[s_high]


@settings(max_examples=300)
@given(amounts, amounts, thresholds())
def test_comparators_are_respected(actual, expected, th):
    assume(expected > 0)
    at_least = m.status_of(actual, expected, comparator=">=", thresholds=th)[0]
    about = m.status_of(actual, expected, comparator="~", thresholds=th)[0]
    more_than = m.status_of(actual, expected, comparator=">", thresholds=th, year_end=True)[0]
    at_most = m.status_of(actual, expected, comparator="<=", thresholds=th)[0]
    # "~" is never stricter than ">=", ">" at year end never more lenient.
    assert STATUS_ORDER[about] >= STATUS_ORDER[at_least] >= STATUS_ORDER[more_than]
    if actual >= expected:
        assert at_least == Status.NORMAL
    if actual > expected:
        assert more_than == Status.NORMAL
    else:
        assert more_than != Status.NORMAL
    if actual <= expected:
        assert at_most == Status.NORMAL


@settings(max_examples=300)
@given(amounts, signed, st.integers(0, 12), curves, directions, comparators, thresholds())
def test_a_zero_baseline_never_divides_by_zero(target, actual, k, curve, direction, comparator, th):
    spec = m.IndicatorSpec(
        name="指标",
        kind=IndicatorKind.LEVEL,
        baseline_value=D(0),
        baseline_unit="个",
        baseline_year=2023,
        milestones=(m.Milestone(2024, target, "个", ""),),
        curve=curve,
        monthly_shares=tuple(D(i) / 12 for i in range(1, 13)),
    )
    levels = m.milestone_levels(spec)
    exp = m.expectation(spec, levels, 2024, month(k))
    assert exp.value is not None
    judgement = m.judge(actual, exp.value, direction=direction, comparator=comparator, thresholds=th)
    assert judgement.status in STATUS_ORDER
    assert m.judge(D(0), D(0), direction=direction, comparator=comparator, thresholds=th).status == Status.NORMAL


@settings(max_examples=200)
@given(
    st.lists(st.one_of(st.none(), amounts), min_size=1, max_size=30),
    st.sampled_from([IndicatorKind.FLOW, IndicatorKind.CUMULATIVE, IndicatorKind.LEVEL]),
)
def test_actual_values_never_fall_for_non_negative_increments_within_a_year(values, kind):
    years = [2024] * len(values)
    series = m.actual_series(kind, values, years, D(0))
    if kind != IndicatorKind.LEVEL:
        known = [v for v in series if v is not None]
        assert all(a <= b for a, b in zip(known, known[1:], strict=False))
        assert (known[-1] if known else None) == (sum((v for v in values if v is not None), D(0)) if known else None)
