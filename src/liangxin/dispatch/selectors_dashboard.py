"""Reads of the leader's dashboard and the league table (晾晒榜), scoped to the person asking.

A person sees the jurisdictions `jurisdictions_visible_to` gives them (a leader: theirs and
below) and the plans of those jurisdictions; anything else is "not found" to the views. The
figures themselves come from the assessment engine (`assess.py`); this module picks the plan and
period, adds what the engine does not know (demo data, 督办 items, open problems, a unit's own
reports) and shapes it for the pages, the charts and the API.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from liangxin.core.models import Jurisdiction, Unit
from liangxin.core.selectors import jurisdictions_visible_to
from liangxin.plans.enums import AssignmentRole
from liangxin.plans.models import Assignment, Plan

from .assess import assess_plan, rollup
from .enums import IndicatorKind, ProblemState, QualitativeGrade, Status, TaskProgress
from .feeds import FEEDS
from .models import IndicatorEntry, Period, Problem, Submission, TaskEntry
from .selectors_supervision import problems_for, supervision_groups, supervision_items_for, units_by_item

STATUS_ORDER = [Status.NORMAL, Status.WARNING, Status.LAGGING, Status.NO_DATA]


# --- where and when ------------------------------------------------------------------------------


def dashboard_jurisdictions(user):
    """Every jurisdiction the person may open a dashboard for, in tree order."""
    return jurisdictions_visible_to(user).select_related("parent__parent__parent").order_by("tree_path")


def home_jurisdiction(user) -> Jurisdiction | None:
    """The person's own jurisdiction; None for an administrator bound to none (they start at the top)."""
    if user.jurisdiction_id is None:
        return None
    return dashboard_jurisdictions(user).filter(pk=user.jurisdiction_id).first()


def crumbs(user, jurisdiction: Jurisdiction) -> list[Jurisdiction]:
    """The jurisdiction's ancestors the person may see, top first, ending with the jurisdiction."""
    visible = set(jurisdictions_visible_to(user).values_list("pk", flat=True))
    return [j for j in jurisdiction.ancestors_and_self() if j.pk in visible]


def reporting_plans(jurisdiction: Jurisdiction):
    """The jurisdiction's own plans that report (have a calendar), oldest first."""
    return Plan.objects.filter(jurisdiction=jurisdiction, calendar__isnull=False).select_related(
        "jurisdiction", "calendar"
    )


def plans_without_calendar(jurisdiction: Jurisdiction):
    return Plan.objects.filter(jurisdiction=jurisdiction, calendar__isnull=True)


def dashboard_plans_visible_to(user):
    return Plan.objects.filter(jurisdiction__in=jurisdictions_visible_to(user), calendar__isnull=False).select_related(
        "jurisdiction", "calendar"
    )


def periods_until(plan: Plan, on: datetime.date):
    """The plan's periods that have begun by `on`, newest first (what a period picker offers)."""
    return Period.objects.filter(plan=plan, start__lte=on).order_by("-start")


def default_period(plan: Plan, on: datetime.date) -> Period | None:
    """The latest period that has ended by `on`; before the first one ends, the first period."""
    ended = Period.objects.filter(plan=plan, end__lte=on).order_by("-end").first()
    return ended or Period.objects.filter(plan=plan).order_by("start").first()


# --- figures -------------------------------------------------------------------------------------


def _number(value):
    """A Decimal as a JSON number (None stays None): the charts and the API speak floats."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    return value


def _pct(fraction):
    """A ratio or a score part (1 = 100 %) as a percentage for display; None stays None."""
    return None if fraction is None else Decimal(str(fraction)) * 100


def figure(value, unit: str = "") -> str:
    """A quantity as a table shows it: at most two decimals, no trailing zeros (16.06亿元, 33家)."""
    if value is None:
        return "—"
    number = Decimal(str(value)).quantize(Decimal("0.01")).normalize()
    text = f"{number:f}"
    return f"{text}{unit}"


def grade_text(value) -> str:
    """A judged grade (0–3; a mean may fall between) as words: “largely achieved”, “under way (1.5)”."""
    if value is None:
        return "—"
    number = Decimal(str(value))
    label = dict(QualitativeGrade.choices).get(int(number), "")
    return f"{label}" if number == int(number) else f"{label} ({figure(number)})"


def status_tiles(counts: dict) -> list[dict]:
    """Counts by status in the house order, with their labels, for the coloured tiles."""
    labels = dict(Status.choices)
    return [{"status": s.value, "label": labels[s], "count": counts.get(s.value, 0)} for s in STATUS_ORDER]


def rank_change(score) -> int | None:
    """Places gained since the last period (positive: moved up); None when unranked before."""
    if score.previous_rank is None:
        return None
    return score.previous_rank - score.rank


def league_rows(assessment) -> list[dict]:
    return [
        {
            "rank": s.rank,
            "previous_rank": s.previous_rank,
            "change": rank_change(s),
            "unit": s.unit,
            "score": s.score,
            "on_time_rate": s.on_time_rate,
            "on_time_pct": _pct(s.on_time_rate),
            "indicator_score": s.indicator_score,
            "indicator_pct": _pct(s.indicator_score),
            "task_score": s.task_score,
            "task_pct": _pct(s.task_score),
        }
        for s in assessment.league
    ]


def _source_label(indicator) -> str:
    """The label of the feed that measures the indicator, or "" when units report it."""
    profile = getattr(indicator, "profile", None)
    feed = FEEDS.get(profile.source) if profile is not None and profile.source else None
    return str(feed.label) if feed else ""


def indicator_rows(assessment) -> list[dict]:
    """The indicators with what the tables show beside the engine's figures: labels and the unit."""
    statuses, kinds = dict(Status.choices), dict(IndicatorKind.choices)
    rows = []
    for ia in assessment.indicators:
        unit = ia.indicator.baseline_unit or ""
        shown = grade_text if ia.kind == IndicatorKind.QUALITATIVE else (lambda v, u=unit: figure(v, u))
        rows.append(
            {
                "a": ia,
                "indicator": ia.indicator,
                "status_label": statuses.get(ia.status, ia.status),
                "kind_label": kinds.get(ia.kind, ia.kind),
                "unit": unit,
                "expected": shown(ia.expected),
                "actual": shown(ia.actual),
                "target": figure(ia.target, unit),
                "forecast": figure(ia.forecast, unit) if ia.forecast is not None else None,
                "ratio_pct": _pct(ia.ratio),
                "has_chart": any(p.expected is not None or p.actual is not None for p in ia.series),
                "source": _source_label(ia.indicator),
            }
        )
    return rows


def task_rows(assessment) -> list[dict]:
    statuses, progress = dict(Status.choices), dict(TaskProgress.choices)
    return [
        {
            "a": ta,
            "task": ta.task,
            "status_label": statuses.get(ta.status, ta.status),
            "progress_label": progress.get(ta.progress, ta.progress or ""),
        }
        for ta in assessment.tasks
    ]


def chart_data(assessment) -> list[dict]:
    """One entry per indicator with a numeric trajectory: what dashboard.js draws."""
    charts = []
    for ia in assessment.indicators:
        points = [p for p in ia.series if p.expected is not None or p.actual is not None]
        if not points:
            continue
        charts.append(
            {
                "id": ia.indicator.pk,
                "name": ia.indicator.name,
                "unit": ia.indicator.baseline_unit or "",
                "status": ia.status,
                "target": _number(ia.target),
                "labels": [p.label for p in points],
                "expected": [_number(p.expected) for p in points],
                "actual": [_number(p.actual) for p in points],
                # A qualitative indicator is drawn on its grade scale (0 not started … 3 achieved).
                "grades": [str(label) for _v, label in QualitativeGrade.choices]
                if ia.kind == IndicatorKind.QUALITATIVE
                else None,
            }
        )
    return charts


def has_demo_data(plan: Plan) -> bool:
    return Submission.objects.filter(period__plan=plan, is_demo=True).exists()


def demo_jurisdiction_ids() -> set[int]:
    return set(
        Submission.objects.filter(is_demo=True).values_list("period__plan__jurisdiction_id", flat=True).distinct()
    )


def open_supervision(user, plan: Plan, *, unit: Unit | None = None) -> list[dict]:
    """Open 督办 items of the plan the person may see, grouped by level, most serious first; each
    item carries the units it concerns (`item.concerned`). With `unit`, only those about that unit."""
    items = list(supervision_items_for(user, plan, state="open"))
    units = units_by_item(plan, items)
    for item in items:
        item.concerned = units.get(item.pk, [])
    if unit is not None:
        items = [item for item in items if any(u.pk == unit.pk for u in item.concerned)]
    return supervision_groups(items)


def open_problems(user, plan: Plan, *, unit: Unit | None = None) -> list[Problem]:
    """Unresolved problems of the plan the person may see (with `unit`: raised or coordinated by it)."""
    problems = problems_for(user, plan, unit_id=unit.pk if unit is not None else None)
    return list(problems.exclude(state=ProblemState.RESOLVED).order_by("created_at", "pk"))


# --- what the pages show -------------------------------------------------------------------------


@dataclass
class PlanPanel:
    plan: Plan
    period: Period | None
    periods: list[Period]
    assessment: object | None = None
    league: list[dict] = field(default_factory=list)
    tiles: list[dict] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)
    tasks: list[dict] = field(default_factory=list)
    task_tiles: list[dict] = field(default_factory=list)
    charts: list[dict] = field(default_factory=list)
    supervision: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    demo: bool = False


def plan_panel(user, plan: Plan, period: Period | None, *, on: datetime.date, with_details: bool = True) -> PlanPanel:
    """A plan's dashboard for one period: status tiles, charts, league, 督办 and problems."""
    panel = PlanPanel(plan=plan, period=period, periods=list(periods_until(plan, on)), demo=has_demo_data(plan))
    if period is None:
        return panel
    assessment = assess_plan(plan, period)
    panel.assessment = assessment
    panel.tiles = status_tiles(assessment.counts)
    task_counts = {}
    for ta in assessment.tasks:
        task_counts[ta.status] = task_counts.get(ta.status, 0) + 1
    panel.task_tiles = status_tiles(task_counts)
    panel.league = league_rows(assessment)
    panel.indicators = indicator_rows(assessment)
    if with_details:
        panel.tasks = task_rows(assessment)
        panel.charts = chart_data(assessment)
        panel.supervision = open_supervision(user, plan)
        panel.problems = open_problems(user, plan)
    return panel


def _rollup_row(summary, demo_paths: list[str]) -> dict:
    return {
        "jurisdiction": summary.jurisdiction,
        "plan_count": summary.plan_count,
        "counts": summary.counts,
        "tiles": status_tiles(summary.counts),
        "indicator_total": sum(summary.counts.values()),
        "mean_score": summary.mean_score,
        # A subtree holds demo data when any jurisdiction in it does.
        "demo": any(path.startswith(summary.jurisdiction.tree_path) for path in demo_paths),
    }


def child_rollup(user, jurisdiction: Jurisdiction | None, on: datetime.date) -> tuple[dict | None, list[dict]]:
    """(the jurisdiction's own roll-up, one row per jurisdiction one level down with plans).

    Only jurisdictions the person may see; for an administrator bound to none, the top-level
    jurisdictions (and no total). Without children to show, nothing is assessed: (None, []).
    """
    visible = jurisdictions_visible_to(user)
    if jurisdiction is None:
        summaries = [rows[0] for top in visible.filter(parent=None).order_by("tree_path") if (rows := rollup(top, on))]
        total = None
    else:
        children = set(visible.filter(parent=jurisdiction).values_list("pk", flat=True))
        if not children:
            return None, []
        rows = rollup(jurisdiction, on)
        if not rows:
            return None, []
        total, summaries = rows[0], [s for s in rows[1:] if s.jurisdiction.pk in children]
    demo_paths = list(Jurisdiction.objects.filter(pk__in=demo_jurisdiction_ids()).values_list("tree_path", flat=True))
    return (
        _rollup_row(total, demo_paths) if total is not None else None,
        [_rollup_row(s, demo_paths) for s in summaries],
    )


@dataclass
class UnitPanel:
    plan: Plan
    unit: Unit
    period: Period
    score: object | None
    change: int | None
    on_time_pct: Decimal | None
    indicator_pct: Decimal | None
    task_pct: Decimal | None
    submission: Submission | None
    indicators: list[dict]
    tasks: list[dict]
    supervision: list[dict]
    problems: list[Problem]


def plan_units(plan: Plan):
    """The units that report on the plan: leads and responsible units of tasks and indicators."""
    ids = (
        Assignment.objects.filter(plan=plan, role__in=[AssignmentRole.LEAD, AssignmentRole.RESPONSIBLE])
        .exclude(task=None, indicator=None)
        .values_list("unit_id", flat=True)
    )
    return Unit.objects.filter(pk__in=ids)


def unit_panel(user, plan: Plan, period: Period, unit: Unit) -> UnitPanel:
    """One unit's part of a plan in a period: its score, its indicators and tasks with their status
    and what the unit itself reported."""
    assessment = assess_plan(plan, period)
    score = next((s for s in assessment.league if s.unit.pk == unit.pk), None)
    rows = Assignment.objects.filter(
        plan=plan, unit=unit, role__in=[AssignmentRole.LEAD, AssignmentRole.RESPONSIBLE]
    ).values_list("indicator_id", "task_id", "role")
    indicator_roles, task_roles = {}, {}
    for indicator_id, task_id, role in rows:
        roles, item = (indicator_roles, indicator_id) if indicator_id else (task_roles, task_id)
        if roles.get(item) != AssignmentRole.LEAD:  # leading outranks sharing the same item
            roles[item] = role
    submission = Submission.objects.filter(period=period, unit=unit).first()
    values = {}
    progress = {}
    if submission is not None:
        values = {e.indicator_id: e for e in IndicatorEntry.objects.filter(submission=submission)}
        progress = {e.task_id: e for e in TaskEntry.objects.filter(submission=submission)}
    roles, statuses = dict(AssignmentRole.choices), dict(Status.choices)
    indicators = []
    for row in indicator_rows(assessment):
        pk = row["indicator"].pk
        if pk in indicator_roles:
            entry = values.get(pk)
            reported = figure(entry.value, row["unit"]) if entry is not None and entry.value is not None else None
            indicators.append({**row, "role_label": roles[indicator_roles[pk]], "entry": entry, "reported": reported})
    tasks = [
        {
            "a": ta,
            "role_label": roles[task_roles[ta.task.pk]],
            "status_label": statuses.get(ta.status, ta.status),
            "entry": progress.get(ta.task.pk),
        }
        for ta in assessment.tasks
        if ta.task.pk in task_roles
    ]
    return UnitPanel(
        plan=plan,
        unit=unit,
        period=period,
        score=score,
        change=rank_change(score) if score else None,
        on_time_pct=_pct(score.on_time_rate) if score else None,
        indicator_pct=_pct(score.indicator_score) if score else None,
        task_pct=_pct(score.task_score) if score else None,
        submission=submission,
        indicators=indicators,
        tasks=tasks,
        supervision=open_supervision(user, plan, unit=unit),
        problems=open_problems(user, plan, unit=unit),
    )
