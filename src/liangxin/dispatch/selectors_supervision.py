"""Reads of the 督办 list, notifications and the problem list, scoped to the person asking.

Who sees what:
- the plan's office, administrators and leaders over the plan's jurisdiction: every item and problem
  of the plan;
- a unit reporter: the items that concern its unit (its own reports, the indicators it answers for,
  the tasks it owns) and the problems its unit raised or coordinates;
- anyone else: nothing (the views answer 404).
"""

from collections import defaultdict

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from liangxin.core.enums import Role
from liangxin.core.models import Unit, User
from liangxin.plans.enums import AssignmentRole
from liangxin.plans.models import Assignment, Plan, Task
from liangxin.plans.selectors import plans_visible_to

from .enums import ProblemState, SupervisionLevel
from .models import Notification, Problem, SupervisionItem
from .rules import can_view_plan
from .supervision_sources import SOURCES

# The grading ladder, lowest first: the scan sets the first two, the office presses the rest.
LADDER = [
    SupervisionLevel.DUE_SOON,
    SupervisionLevel.OVERDUE,
    SupervisionLevel.URGED,
    SupervisionLevel.NAMED,
    SupervisionLevel.SUPERVISED,
]
LEVEL_RANK = {level.value: rank for rank, level in enumerate(LADDER)}

SUBJECT_UNIT = "unit"
SUBJECT_INDICATOR = "indicator"
SUBJECT_TASK = "task"


def visible_plan_or_none(user, plan_id: int) -> Plan | None:
    return plans_visible_to(user).filter(pk=plan_id).first()


def _is_reporter(user) -> bool:
    return user.role == Role.REPORTER and not user.is_superuser


# --- who a finding concerns -------------------------------------------------------------------


def owned_task_ids(plan: Plan, unit_id: int):
    """Tasks a unit owns: those it leads, and those it shares where the plan names no lead."""
    has_lead = Assignment.objects.filter(task=OuterRef("pk"), role=AssignmentRole.LEAD)
    mine = Assignment.objects.filter(task=OuterRef("pk"), unit_id=unit_id)
    return (
        Task.objects.filter(plan=plan)
        .filter(Q(Exists(mine.filter(role=AssignmentRole.LEAD))) | (Q(Exists(mine)) & ~Q(Exists(has_lead))))
        .values("pk")
    )


def concerned_unit_ids(plan: Plan) -> dict[tuple[str, int], list[int]]:
    """For each indicator and task of the plan, the units a 督办 item about it concerns.

    An indicator concerns every unit answering for it; a task its lead units, or, where the plan
    names no lead, every responsible unit. A unit concerns itself (looked up by the caller).
    """
    rows = Assignment.objects.filter(plan=plan).filter(Q(task__isnull=False) | Q(indicator__isnull=False))
    indicators: dict[int, list[int]] = defaultdict(list)
    leads: dict[int, list[int]] = defaultdict(list)
    shares: dict[int, list[int]] = defaultdict(list)
    for a in rows.order_by("position").values("task_id", "indicator_id", "unit_id", "role"):
        if a["indicator_id"]:
            target = indicators[a["indicator_id"]]
        else:
            target = (leads if a["role"] == AssignmentRole.LEAD else shares)[a["task_id"]]
        if a["unit_id"] not in target:
            target.append(a["unit_id"])
    result = {(SUBJECT_INDICATOR, pk): units for pk, units in indicators.items()}
    for task_id in set(leads) | set(shares):
        result[(SUBJECT_TASK, task_id)] = leads.get(task_id) or shares[task_id]
    return result


def item_unit_ids(item: SupervisionItem, concerned: dict | None = None) -> list[int]:
    if item.subject_type == SUBJECT_UNIT:
        return [item.subject_id]
    concerned = concerned if concerned is not None else concerned_unit_ids(item.plan)
    return concerned.get((item.subject_type, item.subject_id), [])


def _items_of_unit(plan: Plan, unit_id: int) -> Q:
    indicator_ids = Assignment.objects.filter(plan=plan, unit_id=unit_id, indicator__isnull=False).values(
        "indicator_id"
    )
    return (
        Q(subject_type=SUBJECT_UNIT, subject_id=unit_id)
        | Q(subject_type=SUBJECT_INDICATOR, subject_id__in=indicator_ids)
        | Q(subject_type=SUBJECT_TASK, subject_id__in=owned_task_ids(plan, unit_id))
    )


# --- the 督办 list ----------------------------------------------------------------------------


def supervision_items_for(user, plan: Plan, *, state: str = "open", level: str | None = None):
    """The plan's 督办 items the user may see; state is open, resolved or all."""
    if not can_view_plan(user, plan):
        return SupervisionItem.objects.none()
    items = SupervisionItem.objects.filter(plan=plan)
    if _is_reporter(user):
        items = items.filter(_items_of_unit(plan, user.unit_id))
    if state == "open":
        items = items.filter(resolved_at__isnull=True)
    elif state == "resolved":
        items = items.filter(resolved_at__isnull=False)
    if level:
        items = items.filter(level=level)
    return items.select_related("period", "unit", "escalated_to", "plan__jurisdiction").order_by(
        "resolved_at", "period__start", "title", "pk"
    )


def supervision_item_for(user, pk: int) -> SupervisionItem | None:
    """One item, if the user may see it (None answers 404)."""
    item = SupervisionItem.objects.select_related("plan__jurisdiction").filter(pk=pk).first()
    if item is None or not can_view_plan(user, item.plan):
        return None
    if (
        _is_reporter(user)
        and not SupervisionItem.objects.filter(_items_of_unit(item.plan, user.unit_id), pk=pk).exists()
    ):
        return None
    return item


def units_by_item(plan: Plan, items) -> dict[int, list[Unit]]:
    """The units each item concerns, for display (two queries)."""
    concerned = concerned_unit_ids(plan)
    ids_by_item = {item.pk: item_unit_ids(item, concerned) for item in items}
    units = Unit.objects.in_bulk({uid for ids in ids_by_item.values() for uid in ids})
    return {pk: [units[uid] for uid in ids if uid in units] for pk, ids in ids_by_item.items()}


def subject_url(user, item: SupervisionItem) -> str:
    """Where to act on an item: a unit's own report, the period's reports, the task, the indicator."""
    if item.rule in SOURCES:
        return SOURCES[item.rule].url(user, item)
    if item.subject_type == SUBJECT_UNIT and item.period_id:
        if _is_reporter(user) and user.unit_id == item.subject_id:
            return reverse("dispatch:report", args=[item.period_id])
        return reverse("dispatch:period", args=[item.period_id])
    if item.subject_type == SUBJECT_TASK:
        return reverse("plans:plan_detail", args=[item.plan_id]) + f"#task-{item.subject_id}"
    if item.subject_type == SUBJECT_INDICATOR:
        return reverse("dispatch:profiles", args=[item.plan_id]) + f"#indicator-{item.subject_id}"
    return ""


def supervision_groups(items) -> list[dict]:
    """Items grouped by level, the most serious first, each group with its items."""
    by_level = defaultdict(list)
    for item in items:
        by_level[item.level].append(item)
    return [
        {"level": level.value, "label": level.label, "items": by_level[level.value]}
        for level in reversed(LADDER)
        if by_level[level.value]
    ]


def supervision_counts(plan: Plan) -> dict[str, int]:
    """Open items of the plan by level, for dashboards (every level present, zero or more)."""
    counts = dict.fromkeys(LEVEL_RANK, 0)
    rows = SupervisionItem.objects.filter(plan=plan, resolved_at__isnull=True).values_list("level", flat=True)
    for level in rows:
        counts[level] += 1
    return counts


def leaders_covering(plan: Plan):
    """Leaders whose jurisdiction is the plan's or one above it: those an item may go up to."""
    ancestor_ids = [int(part) for part in plan.jurisdiction.tree_path.strip("/").split("/") if part]
    return (
        User.objects.filter(role=Role.LEADER, is_active=True, jurisdiction_id__in=ancestor_ids)
        .select_related("jurisdiction")
        .order_by("jurisdiction__tree_path", "username")
    )


# --- notifications ----------------------------------------------------------------------------


def notifications_for(user, *, unread_only: bool = False):
    if not user.is_authenticated:
        return Notification.objects.none()
    rows = Notification.objects.filter(user=user).select_related("item__plan", "item__period")
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows


def notification_count(request) -> dict:
    """Context processor: the number of the person's unread notifications, for the badge."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": Notification.objects.filter(user=user, read_at__isnull=True).count()}


# --- problems ---------------------------------------------------------------------------------


def problems_for(user, plan: Plan, *, state: str | None = None, unit_id: int | None = None):
    """The plan's problems the user may see, optionally in one state or involving one unit."""
    if not can_view_plan(user, plan):
        return Problem.objects.none()
    problems = Problem.objects.filter(plan=plan)
    if _is_reporter(user):
        problems = problems.filter(Q(raised_by_unit_id=user.unit_id) | Q(assigned_unit_id=user.unit_id))
    if state:
        problems = problems.filter(state=state)
    if unit_id:
        problems = problems.filter(Q(raised_by_unit_id=unit_id) | Q(assigned_unit_id=unit_id))
    return problems.select_related("task", "raised_by_unit", "raised_by", "assigned_unit", "plan__jurisdiction")


def problem_for(user, pk: int) -> Problem | None:
    problem = Problem.objects.select_related("plan__jurisdiction").filter(pk=pk).first()
    if problem is None:
        return None
    return problems_for(user, problem.plan).filter(pk=pk).first()


def open_problems(plan: Plan):
    """Problems of the plan not yet resolved, for reports and dashboards (not scoped to a user)."""
    return (
        Problem.objects.filter(plan=plan)
        .exclude(state=ProblemState.RESOLVED)
        .select_related("task", "raised_by_unit", "assigned_unit")
        .order_by("created_at", "pk")
    )


def tasks_a_unit_may_raise_on(plan: Plan, unit_id: int):
    """The plan's tasks the unit leads or shares: where its reporter may raise a problem."""
    return (
        Task.objects.filter(plan=plan, assignments__unit_id=unit_id, assignments__role__in=AssignmentRole.values)
        .distinct()
        .order_by("position")
    )


def units_to_coordinate(plan: Plan):
    """Any unit of the plan's jurisdiction may be given a problem to coordinate."""
    return Unit.objects.filter(jurisdiction=plan.jurisdiction).order_by("name")


def units_involved_in_problems(plan: Plan, problems) -> list[Unit]:
    ids = set()
    for p in problems:
        ids.add(p.raised_by_unit_id)
        if p.assigned_unit_id:
            ids.add(p.assigned_unit_id)
    return list(Unit.objects.filter(pk__in=ids).order_by("name"))
