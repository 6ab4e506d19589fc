"""The assessment engine: reads a plan's calendar, profiles and submissions and judges them.

`assess_plan(plan, period)` gives, for one period of a plan, every indicator's 序时进度, actual
value, status and formula (with a chart series over the plan's periods so far and a year-end
forecast), every task's status, the league table (晾晒榜) and the counts by status. It reads
the plan once, in a fixed number of queries whatever the plan's size, and does the per-period
maths in Python (`liangxin.dispatch.assessment`, which documents the semantics).

What counts:
- Quantitative values come from submissions in state submitted or approved (drafts and returned
  reports do not count); a qualitative grade counts only once the office approved the report.
- An indicator's units' values of a period are combined by its profile's aggregation (sum, the
  latest submitted, average); grades by the latest approved (aggregation "last") or the mean of
  each unit's latest approved grade (otherwise).
- A task's status comes from the latest counting report of its lead units, else of its
  responsible units.
- An indicator without a saved profile is judged with `default_profile`; without a trajectory
  version, linearly; a plan without a saved calendar with the calendar's defaults.
- Where there is no expectation (a year without a numbered milestone; a level with neither a
  baseline nor an earlier milestone before its year end) an indicator is normal when something
  was reported and no_data otherwise: nothing more can be asked of the unit.
- A qualitative indicator's expected grade is ⌈3·f⌉ with f the share of the plan's span (1
  January of the calendar's first year to 31 December of its last) elapsed at the period's end:
  under way from the start, achieved (3) at the end of the plan's last year.

The league table has one row per unit that owes reporting (lead or responsible for a task,
responsible for an indicator); see `_league` and `assessment.unit_score`.
"""

from __future__ import annotations

import datetime
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from liangxin.core.models import Jurisdiction, Unit
from liangxin.plans.enums import AssignmentRole, TargetKind
from liangxin.plans.models import Assignment, Indicator, Plan, Target, Task

from . import assessment as maths
from .enums import Aggregation, Curve, IndicatorKind, Status, SubmissionState
from .feeds import feed_values
from .models import (
    IndicatorEntry,
    IndicatorProfile,
    Period,
    ReportingCalendar,
    Submission,
    TaskEntry,
    TrajectoryVersion,
)

COUNTING = (SubmissionState.SUBMITTED, SubmissionState.APPROVED)
RATE_PLACES = Decimal("0.0001")


# --- results ----------------------------------------------------------------------------------------


@dataclass
class SeriesPoint:
    label: str
    end: datetime.date
    expected: Decimal | None
    actual: Decimal | None


@dataclass
class IndicatorAssessment:
    indicator: Indicator
    kind: str
    expected: Decimal | None
    actual: Decimal | None
    target: Decimal | None  # this year's milestone as a level
    ratio: Decimal | None
    status: str
    formula: str
    forecast: Decimal | None  # the projected year-end value
    will_meet: bool | None  # whether the projection meets this year's milestone (status normal)
    series: list[SeriesPoint] = field(default_factory=list)


@dataclass
class TaskAssessment:
    task: Task
    status: str
    progress: str | None  # a TaskProgress value; None without a counting report
    due_on: datetime.date | None
    note: str  # the latest 进展情况


@dataclass
class UnitScore:
    unit: Unit
    score: Decimal  # 0–100, two places
    rank: int
    previous_rank: int | None
    on_time_rate: Decimal  # 0–1
    indicator_score: Decimal | None  # 0–1; None for a unit without indicators
    task_score: Decimal | None  # 0–1; None for a unit without tasks


@dataclass
class PlanAssessment:
    plan: Plan
    period: Period
    indicators: list[IndicatorAssessment]
    tasks: list[TaskAssessment]
    league: list[UnitScore]
    counts: dict[str, int]
    weights: dict[str, int]


@dataclass
class JurisdictionSummary:
    jurisdiction: Jurisdiction
    plan_count: int
    counts: dict[str, int]
    mean_score: Decimal | None


# --- profiles ---------------------------------------------------------------------------------------


def _milestone(row: Target) -> maths.Milestone:
    return maths.Milestone(
        year=row.year,
        value=row.value,
        unit=row.unit,
        text=row.text or "",
        comparator=row.comparator,
        basis=row.basis,
    )


def default_profile(indicator: Indicator) -> IndicatorProfile:
    """An unsaved profile with the kind, aggregation and direction guessed from the table.

    Kind: milestones without numbers → qualitative; 累计 (or the indicator marked cumulative) →
    cumulative; 每年 → flow; growth in %, rates (率) and other levels → level. See
    `assessment.guess_profile`.
    """
    milestones = [_milestone(t) for t in indicator.milestones.all() if t.year is not None]
    kind, aggregation, direction = maths.guess_profile(
        indicator.name, indicator.cumulative, milestones, indicator.baseline_unit
    )
    return IndicatorProfile(indicator=indicator, kind=kind, aggregation=aggregation, direction=direction)


# --- reading a plan once ----------------------------------------------------------------------------


class _PlanData:
    """Everything about a plan up to a period, in ten queries; then no more."""

    def __init__(self, plan: Plan, upto: Period | None):
        self.plan = plan
        self.calendar = ReportingCalendar.objects.filter(plan=plan).first() or ReportingCalendar(plan=plan)
        periods = Period.objects.filter(plan=plan).order_by("start")
        if upto is not None:
            periods = periods.filter(start__lte=upto.start)
        self.periods: list[Period] = list(periods)
        self.index = {p.pk: i for i, p in enumerate(self.periods)}
        cal = self.calendar
        self.thresholds = maths.Thresholds(cal.normal_pct, cal.warning_pct, cal.approx_tolerance_pct)
        self.weights = {
            "on_time": cal.weight_on_time,
            "indicators": cal.weight_indicators,
            "tasks": cal.weight_tasks,
        }
        self.shares = [maths.year_share(p.end, cal.cadence) for p in self.periods]
        self.years = [p.end.year for p in self.periods]

        self.indicators: list[Indicator] = list(
            Indicator.objects.filter(plan=plan).select_related("profile").order_by("position")
        )
        milestones: dict[int, list[maths.Milestone]] = defaultdict(list)
        for indicator_id, *cell in (
            Target.objects.filter(plan=plan, kind=TargetKind.MILESTONE, year__isnull=False)
            .order_by("indicator_id", "year", "position")
            .values_list("indicator_id", "year", "value", "unit", "text", "comparator", "basis")
        ):
            year, value, unit, text, comparator, basis = cell
            milestones[indicator_id].append(maths.Milestone(year, value, unit, text or "", comparator, basis))
        curves: dict[int, tuple[str, list | None]] = {}
        for indicator_id, curve, shares in (
            TrajectoryVersion.objects.filter(indicator__plan=plan)
            .order_by("indicator_id", "version")
            .values_list("indicator_id", "curve", "monthly_shares")
        ):
            curves[indicator_id] = (curve, shares)  # the latest version wins
        self.specs: dict[int, maths.IndicatorSpec] = {}
        for indicator in self.indicators:
            profile = getattr(indicator, "profile", None)
            if profile is None:
                kind, aggregation, direction = maths.guess_profile(
                    indicator.name, indicator.cumulative, milestones[indicator.pk], indicator.baseline_unit
                )
            else:
                kind, aggregation, direction = profile.kind, profile.aggregation, profile.direction
            curve, shares = curves.get(indicator.pk, (Curve.LINEAR, None))
            self.specs[indicator.pk] = maths.IndicatorSpec(
                name=indicator.name,
                kind=kind,
                aggregation=aggregation,
                direction=direction,
                baseline_value=indicator.baseline_value,
                baseline_unit=indicator.baseline_unit,
                baseline_year=indicator.baseline_year,
                milestones=tuple(milestones[indicator.pk]),
                curve=curve,
                monthly_shares=tuple(Decimal(str(s)) for s in shares) if shares else None,
                first_year=cal.first_year,
                last_year=cal.last_year,
            )

        # Indicators the platform measures itself (a profile with a source): their values come
        # from the feed, computed now for every period, instead of from the units' reports.
        spans = [(p.start, p.end) for p in self.periods]
        self.fed: dict[int, list[Decimal | None]] = {}
        for indicator in self.indicators:
            profile = getattr(indicator, "profile", None)
            if profile is not None and profile.source:
                values = feed_values(profile.source, plan.jurisdiction, spans)
                if values is not None:
                    self.fed[indicator.pk] = values

        self.tasks: list[Task] = list(Task.objects.filter(plan=plan).select_related("profile").order_by("position"))
        # Who owes what: unit → its indicators and tasks; task → its lead and responsible units.
        self.units: dict[int, Unit] = {}
        self.unit_indicators: dict[int, set[int]] = defaultdict(set)
        self.unit_tasks: dict[int, set[int]] = defaultdict(set)
        self.task_leads: dict[int, set[int]] = defaultdict(set)
        self.task_responsible: dict[int, set[int]] = defaultdict(set)
        unit_fields = ["id", "jurisdiction_id", "name", "name_key", "kind"]
        for unit_id, task_id, indicator_id, role, *unit_values in (
            Assignment.objects.filter(plan=plan, role__in=[AssignmentRole.LEAD, AssignmentRole.RESPONSIBLE])
            .exclude(task=None, indicator=None)
            .order_by("position")
            .values_list(
                "unit_id",
                "task_id",
                "indicator_id",
                "role",
                "unit__id",
                "unit__jurisdiction_id",
                "unit__name",
                "unit__name_key",
                "unit__kind",
            )
        ):
            if unit_id not in self.units:
                self.units[unit_id] = Unit.from_db(Unit.objects.db, unit_fields, unit_values)
            if indicator_id:
                self.unit_indicators[unit_id].add(indicator_id)
            else:
                self.unit_tasks[unit_id].add(task_id)
                (self.task_leads if role == AssignmentRole.LEAD else self.task_responsible)[task_id].add(unit_id)

        submissions = Submission.objects.filter(period__plan=plan)
        entries_i = IndicatorEntry.objects.filter(submission__period__plan=plan)
        entries_t = TaskEntry.objects.filter(submission__period__plan=plan)
        if upto is not None:
            submissions = submissions.filter(period__start__lte=upto.start)
            entries_i = entries_i.filter(submission__period__start__lte=upto.start)
            entries_t = entries_t.filter(submission__period__start__lte=upto.start)
        # id → (period index, unit id, state, order sent); periods outside the list are ignored.
        # Reports are read in the order they were sent, so "the latest" is the highest position.
        self.submissions: dict[int, tuple[int, int, str, int]] = {}
        # (period index, unit id) of the reports sent by their due date (local time).
        self.on_time: set[tuple[int, int]] = set()
        # Sent by the due date in local time: before the next midnight there (compared as instants).
        tz = timezone.get_current_timezone()
        deadlines = [
            datetime.datetime.combine(p.due + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
            for p in self.periods
        ]
        rows = submissions.order_by(F("submitted_at").asc(nulls_first=True), "id").values_list(
            "id", "period_id", "unit_id", "state", "submitted_at"
        )
        for position, (sid, period_id, unit_id, state, submitted_at) in enumerate(rows):
            index = self.index.get(period_id)
            if index is None:
                continue
            self.submissions[sid] = (index, unit_id, state, position)
            if state != SubmissionState.DRAFT and submitted_at is not None and submitted_at < deadlines[index]:
                self.on_time.add((index, unit_id))
        self.indicator_entries = list(entries_i.values_list("submission_id", "indicator_id", "value", "grade"))
        self.task_entries = list(entries_t.values_list("submission_id", "task_id", "progress", "progress_note"))


# --- indicators -------------------------------------------------------------------------------------


@dataclass
class _IndicatorSeries:
    """One indicator judged at every period of the data (no texts)."""

    spec: maths.IndicatorSpec
    levels: dict
    expected: list[Decimal | None]
    actual: list[Decimal | None]
    status: list[str]
    ratio: list[Decimal | None]


def _indicator_series(data: _PlanData) -> dict[int, _IndicatorSeries]:
    n = len(data.periods)
    # indicator → period index → [(order key, unit, value or grade)]
    quantitative: dict[int, list[list]] = defaultdict(lambda: [[] for _ in range(n)])
    grades: dict[int, list[list]] = defaultdict(lambda: [[] for _ in range(n)])
    for sid, indicator_id, value, grade in data.indicator_entries:
        sub = data.submissions.get(sid)
        if sub is None:
            continue
        index, unit_id, state, key = sub
        if value is not None and state in COUNTING:
            quantitative[indicator_id][index].append((key, unit_id, value))
        if grade is not None and state == SubmissionState.APPROVED:
            grades[indicator_id][index].append((key, unit_id, Decimal(grade)))

    cal = data.calendar
    out = {}
    for indicator in data.indicators:
        spec = data.specs[indicator.pk]
        levels = maths.milestone_levels(spec)
        expected, actual, statuses, ratios = [], [], [], []
        if spec.kind == IndicatorKind.QUALITATIVE:
            latest: dict[int, tuple] = {}  # unit → (key, grade)
            for i, period in enumerate(data.periods):
                for key, unit_id, grade in sorted(grades[indicator.pk][i]):
                    latest[unit_id] = (key, grade)
                grade = _combine_grades(latest, spec.aggregation)
                due = maths.qualitative_expected_grade(
                    maths.plan_share(period.end, cal.cadence, cal.first_year, cal.last_year)
                )
                expected.append(Decimal(due))
                actual.append(grade)
                statuses.append(_grade_status(grade, due))
                ratios.append(None)
        else:
            if indicator.pk in data.fed:
                amounts = data.fed[indicator.pk]
            elif indicator.pk in quantitative:
                amounts = [
                    maths.aggregate([v for _k, _u, v in sorted(rows)], spec.aggregation)
                    for rows in quantitative[indicator.pk]
                ]
            else:
                amounts = [None] * n
            actual = maths.actual_series(spec.kind, amounts, data.years, maths.start_level(spec))
            bounds = maths.year_bounds(spec, levels)
            for i in range(n):
                year, share = data.years[i], data.shares[i]
                value = maths.expected_value(spec, bounds, year, share)
                expected.append(value)
                if value is None:
                    statuses.append(Status.NORMAL if actual[i] is not None else Status.NO_DATA)
                    ratios.append(None)
                    continue
                status, ratio = maths.status_of(
                    actual[i],
                    value,
                    direction=spec.direction,
                    comparator=levels[year].comparator,
                    thresholds=data.thresholds,
                    year_end=share.complete,
                )
                statuses.append(status)
                ratios.append(ratio)
        out[indicator.pk] = _IndicatorSeries(spec, levels, expected, actual, statuses, ratios)
    return out


def _combine_grades(latest: dict[int, tuple], aggregation: str) -> Decimal | None:
    if not latest:
        return None
    if aggregation == Aggregation.LAST:
        return max(latest.values())[1]
    return sum((g for _k, g in latest.values()), Decimal(0)) / len(latest)


def _grade_status(grade: Decimal | None, due: int) -> str:
    if grade is None:
        return Status.NO_DATA
    if grade >= due:
        return Status.NORMAL
    return Status.WARNING if grade >= due - 1 else Status.LAGGING


def _indicator_assessment(data: _PlanData, indicator: Indicator, s: _IndicatorSeries, i: int) -> IndicatorAssessment:
    """The full assessment at period index i: the texts, the forecast and the series."""
    period = data.periods[i]
    cal = data.calendar
    spec = s.spec
    series = [SeriesPoint(p.label, p.end, s.expected[j], s.actual[j]) for j, p in enumerate(data.periods[: i + 1])]
    year, share = data.years[i], data.shares[i]
    actual = s.actual[i]
    if spec.kind == IndicatorKind.QUALITATIVE:
        plan_share = maths.plan_share(period.end, cal.cadence, cal.first_year, cal.last_year)
        due = maths.qualitative_expected_grade(plan_share)
        judgement = maths.judge_grade(actual, due, plan_share)
        return IndicatorAssessment(
            indicator, spec.kind, Decimal(due), actual, None, None, judgement.status, judgement.text, None, None, series
        )
    level = s.levels.get(year)
    target = level.value if level is not None else None
    exp = maths.expectation(spec, s.levels, year, share)
    if exp is None:
        judgement = maths.judge_without_target(actual)
        formula = judgement.text
    elif exp.value is None:
        judgement = maths.judge_without_target(actual, "年底前无序时进度")
        formula = f"{exp.text}；{judgement.text}"
    else:
        judgement = maths.judge(
            actual,
            exp.value,
            direction=spec.direction,
            comparator=exp.comparator,
            thresholds=data.thresholds,
            year_end=share.complete,
        )
        formula = f"{exp.text}；{judgement.text}"
    forecast = will_meet = None
    if actual is not None:
        remaining = maths.periods_left(share, cal.cadence)
        forecast = maths.forecast(spec.kind, s.actual, data.years, i, remaining)
        if target is not None and forecast is not None:
            status, _ratio = maths.status_of(
                forecast,
                target,
                direction=spec.direction,
                comparator=level.comparator,
                thresholds=data.thresholds,
                year_end=True,
            )
            will_meet = status == Status.NORMAL
    return IndicatorAssessment(
        indicator=indicator,
        kind=spec.kind,
        expected=s.expected[i],
        actual=actual,
        target=target,
        ratio=s.ratio[i],
        status=s.status[i],
        formula=formula,
        forecast=forecast,
        will_meet=will_meet,
        series=series,
    )


# --- tasks ------------------------------------------------------------------------------------------


class _TaskBook:
    """Each task's counting reports, by its lead units and by its responsible units, in order."""

    def __init__(self, data: _PlanData):
        self.data = data
        # task → ([period index …], [(progress, note) …]) for lead and for responsible units
        self.lead: dict[int, tuple[list, list]] = {}
        self.responsible: dict[int, tuple[list, list]] = {}
        rows: dict[tuple[int, bool], list] = defaultdict(list)
        for sid, task_id, progress, note in data.task_entries:
            sub = data.submissions.get(sid)
            if sub is None or sub[2] not in COUNTING:
                continue
            index, unit_id, _state, key = sub
            if unit_id in data.task_leads[task_id]:
                rows[(task_id, True)].append((index, key, progress or "", note))
            elif unit_id in data.task_responsible[task_id]:
                rows[(task_id, False)].append((index, key, progress or "", note))
        for (task_id, lead), reports in rows.items():
            reports.sort(key=lambda r: (r[0], r[1]))
            book = self.lead if lead else self.responsible
            book[task_id] = ([r[0] for r in reports], [(r[2], r[3]) for r in reports])

    def latest(self, task_id: int, i: int) -> tuple[str, str] | None:
        """(progress, note) of the latest report up to period index i: the lead units' if any."""
        for book in (self.lead, self.responsible):
            if task_id in book:
                indexes, reports = book[task_id]
                k = bisect_right(indexes, i)
                if k:
                    return reports[k - 1]
        return None

    def at(self, task: Task, i: int) -> TaskAssessment:
        latest = self.latest(task.pk, i)
        profile = getattr(task, "profile", None)
        due_on = profile.due_on if profile is not None else None
        progress = latest[0] if latest is not None else None
        status = maths.task_status(progress, self.data.periods[i].end, due_on)
        return TaskAssessment(task, status, progress or None, due_on, latest[1] if latest else "")


# --- the league table -------------------------------------------------------------------------------


def _league(data: _PlanData, i: int, indicator_status: dict[int, str], task_status: dict[int, str]) -> list[dict]:
    """The rows at period index i: score, its three parts and rank per owing unit.

    on_time_rate: the share of this year's periods up to this one whose report was submitted by
    the end of its due date; indicator_score / task_score: `assessment.mean_points` over the
    unit's indicators (responsible) and tasks (lead or responsible), with their plan-wide status.
    """
    year = data.years[i]
    this_year = [j for j in range(i + 1) if data.years[j] == year]
    rows = []
    for unit_id, unit in data.units.items():
        on_time = sum(1 for j in this_year if (j, unit_id) in data.on_time)
        on_time_rate = Decimal(on_time) / len(this_year)
        indicator_score = maths.mean_points(indicator_status[k] for k in data.unit_indicators[unit_id])
        task_score = maths.mean_points(task_status[k] for k in data.unit_tasks[unit_id])
        rows.append(
            {
                "unit": unit,
                "score": maths.unit_score(on_time_rate, indicator_score, task_score, data.weights),
                "on_time_rate": on_time_rate.quantize(RATE_PLACES),
                "indicator_score": None if indicator_score is None else indicator_score.quantize(RATE_PLACES),
                "task_score": None if task_score is None else task_score.quantize(RATE_PLACES),
            }
        )
    ranks = maths.competition_ranks([r["score"] for r in rows])
    for row, rank in zip(rows, ranks, strict=True):
        row["rank"] = rank
    return rows


def _league_scores(data: _PlanData, series: dict[int, _IndicatorSeries], book: _TaskBook, i: int) -> list[UnitScore]:
    def statuses_at(j):
        ind = {pk: s.status[j] for pk, s in series.items()}
        tsk = {t.pk: book.at(t, j).status for t in data.tasks}
        return ind, tsk

    current = _league(data, i, *statuses_at(i))
    previous = {}
    if i > 0:
        previous = {row["unit"].pk: row["rank"] for row in _league(data, i - 1, *statuses_at(i - 1))}
    scores = [UnitScore(previous_rank=previous.get(row["unit"].pk), **row) for row in current]
    scores.sort(key=lambda s: (s.rank, s.unit.name, s.unit.pk))
    return scores


# --- the interface ----------------------------------------------------------------------------------


def _index_of(data: _PlanData, period: Period) -> int:
    if period.pk not in data.index:
        raise ValueError(f"period {period.pk} is not a period of plan {data.plan.pk}")
    return data.index[period.pk]


def assess_plan(plan: Plan, period: Period) -> PlanAssessment:
    """The plan judged at the end of `period` (a Period of the plan): indicators, tasks, the league
    table (sorted by rank) and the indicator counts by status (every Status value present)."""
    data = _PlanData(plan, period)
    i = _index_of(data, period)
    series = _indicator_series(data)
    indicators = [_indicator_assessment(data, ind, series[ind.pk], i) for ind in data.indicators]
    book = _TaskBook(data)
    tasks = [book.at(task, i) for task in data.tasks]
    counts = {s.value: 0 for s in Status}
    for ia in indicators:
        counts[ia.status] += 1
    return PlanAssessment(
        plan=plan,
        period=period,
        indicators=indicators,
        tasks=tasks,
        league=_league_scores(data, series, book, i),
        counts=counts,
        weights=dict(data.weights),
    )


def league_table(plan: Plan, period: Period) -> list[UnitScore]:
    """Only the league table of `assess_plan` (no formulas, forecasts or series)."""
    data = _PlanData(plan, period)
    i = _index_of(data, period)
    return _league_scores(data, _indicator_series(data), _TaskBook(data), i)


def indicator_statuses(plan: Plan, periods) -> dict[int, list[str]]:
    """{indicator id: [status at each of `periods`, in the order given]} — for "lagging two
    periods running". Periods must be the plan's."""
    periods = list(periods)
    if not periods:
        return {}
    data = _PlanData(plan, max(periods, key=lambda p: p.start))
    positions = [_index_of(data, p) for p in periods]
    series = _indicator_series(data)
    return {pk: [s.status[i] for i in positions] for pk, s in series.items()}


def rollup(jurisdiction: Jurisdiction, on: datetime.date) -> list[JurisdictionSummary]:
    """The figures of a jurisdiction and of each child jurisdiction with plans, on a date.

    The first row is the jurisdiction itself (all plans of its subtree), then one row per child
    jurisdiction whose subtree has plans (a city sees its counties, a district its towns and
    zones), in tree order. Each plan is judged at its latest period ended by `on`: counts add up
    the indicator statuses; mean_score is the mean league score over all units of those plans
    (two places; None without any). plan_count counts every plan of the subtree, judged or not.
    """
    plans = list(
        Plan.objects.filter(jurisdiction__tree_path__startswith=jurisdiction.tree_path).select_related("jurisdiction")
    )
    if not plans:
        return []
    judged: dict[int, PlanAssessment | None] = {}
    for plan in plans:
        period = Period.objects.filter(plan=plan, end__lte=on).order_by("-end").first()
        judged[plan.pk] = assess_plan(plan, period) if period is not None else None

    def summary(node: Jurisdiction) -> JurisdictionSummary:
        mine = [p for p in plans if p.jurisdiction.tree_path.startswith(node.tree_path)]
        counts = {s.value: 0 for s in Status}
        scores = []
        for plan in mine:
            result = judged[plan.pk]
            if result is None:
                continue
            for key, value in result.counts.items():
                counts[key] += value
            scores += [row.score for row in result.league]
        mean = (sum(scores, Decimal(0)) / len(scores)).quantize(maths.CENT) if scores else None
        return JurisdictionSummary(node, len(mine), counts, mean)

    rows = [summary(jurisdiction)]
    for child in jurisdiction.children.order_by("tree_path"):
        if any(p.jurisdiction.tree_path.startswith(child.tree_path) for p in plans):
            rows.append(summary(child))
    return rows
