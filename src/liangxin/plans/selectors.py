"""Reads of the plan registry, scoped to the person asking."""

from collections import defaultdict

from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce

from liangxin.core.selectors import (  # noqa: F401  (re-exported for the views)
    jurisdictions_managed_by,
    jurisdictions_visible_to,
    units_visible_to,
    units_with_aliases_visible_to,
)

from .enums import FORMAT_TAG, AssignmentRole, TargetKind
from .interchange import json_number
from .models import (
    Assignment,
    DivisionRow,
    Indicator,
    Plan,
    PolicyItem,
    Section,
    Target,
    Task,
    TaskForce,
)


def plans_visible_to(user):
    return Plan.objects.filter(jurisdiction__in=jurisdictions_visible_to(user)).select_related("jurisdiction")


def _target_json(t: Target) -> dict:
    return {
        "text": t.text,
        "metric": t.metric,
        "year": t.year,
        "comparator": t.comparator,
        "value": json_number(t.value),
        "unit": t.unit,
        "basis": t.basis,
    }


def _cell_json(year, text, value, unit) -> dict:
    return {"year": year, "text": text, "value": json_number(value), "unit": unit}


def plan_export(plan: Plan) -> dict:
    """The plan in the interchange format, as the plan writes its units. A fixed number of queries."""
    paths = section_paths(plan.tasks.all())
    by_item = defaultdict(lambda: defaultdict(list))
    for a in Assignment.objects.filter(plan=plan).order_by("position"):
        key = (
            ("task", a.task_id)
            if a.task_id
            else ("indicator", a.indicator_id)
            if a.indicator_id
            else ("task_force", a.task_force_id)
            if a.task_force_id
            else ("division_row", a.division_row_id)
            if a.division_row_id
            else ("policy_item", a.policy_item_id)
        )
        by_item[key][a.role].append(a.written_as)

    targets = defaultdict(list)
    for t in Target.objects.filter(plan=plan).order_by("position"):
        owner = (
            ("task", t.task_id) if t.task_id else ("indicator", t.indicator_id) if t.indicator_id else ("goal", None)
        )
        targets[owner].append(t)

    tasks = []
    for task in plan.tasks.order_by("position"):
        roles = by_item[("task", task.pk)]
        tasks.append(
            {
                "number": task.number,
                "path": paths[task.pk],
                "title": task.title,
                "lead_units": roles[AssignmentRole.LEAD],
                "responsible_units": roles[AssignmentRole.RESPONSIBLE],
                "targets": [_target_json(t) for t in targets[("task", task.pk)]],
            }
        )
    indicators = []
    for ind in plan.indicators.order_by("position"):
        has_baseline = any(
            v is not None for v in (ind.baseline_year, ind.baseline_text, ind.baseline_value, ind.baseline_unit)
        )
        indicators.append(
            {
                "seq": ind.seq,
                "task": ind.task_text,
                "name": ind.name,
                "baseline": _cell_json(ind.baseline_year, ind.baseline_text, ind.baseline_value, ind.baseline_unit)
                if has_baseline
                else None,
                "milestones": [_cell_json(m.year, m.text, m.value, m.unit) for m in targets[("indicator", ind.pk)]],
                "units": by_item[("indicator", ind.pk)][AssignmentRole.RESPONSIBLE],
            }
        )
    task_force = TaskForce.objects.filter(plan=plan).first()
    task_force_json = None
    if task_force is not None:
        roles = by_item[("task_force", task_force.pk)]
        task_force_json = {
            "name": task_force.name,
            "office_unit": (roles[AssignmentRole.OFFICE] or [None])[0],
            "member_units": roles[AssignmentRole.MEMBER],
            "mechanisms": task_force.mechanisms,
        }
        if task_force.leading_positions:
            task_force_json["leading_positions"] = task_force.leading_positions
    return {
        "format": FORMAT_TAG,
        "title": plan.title,
        "issuer": plan.issuer,
        "issued_on": plan.issued_on.isoformat() if plan.issued_on else None,
        "doc_number": plan.doc_number,
        "parent_policies": plan.parent_policies,
        "goals": [_target_json(t) for t in targets[("goal", None)] if t.kind == TargetKind.GOAL],
        "tasks": tasks,
        "indicators": indicators,
        "task_force": task_force_json,
        "division_table": [
            {
                "seq": r.seq,
                "task": r.task_text,
                "lead_units": by_item[("division_row", r.pk)][AssignmentRole.LEAD],
            }
            for r in plan.division_rows.order_by("position")
        ],
        "policy_list": [
            {
                "seq": p.seq,
                "group": p.group,
                "title": p.title,
                "lead_units": by_item[("policy_item", p.pk)][AssignmentRole.LEAD],
            }
            for p in plan.policy_items.order_by("position")
        ],
        "units": list(plan.plan_units.order_by("position").values_list("written_as", flat=True)),
    }


# --- pages -----------------------------------------------------------------------------------


def plan_page(plan: Plan) -> dict:
    """Everything the plan page shows, in a fixed number of queries."""
    assignment_qs = Assignment.objects.select_related("unit").order_by("position")
    tasks = list(
        Task.objects.filter(plan=plan)
        .order_by("position")
        .prefetch_related(
            Prefetch("assignments", queryset=assignment_qs),
            Prefetch("targets", queryset=Target.objects.order_by("position")),
        )
    )
    sections = {s.pk: s for s in Section.objects.filter(plan=plan).order_by("position")}
    for section in sections.values():
        section.child_sections, section.leaf_tasks = [], []
    roots = []
    for section in sections.values():
        (sections[section.parent_id].child_sections if section.parent_id else roots).append(section)
    loose_tasks = []
    for task in tasks:
        task.plan = plan  # the permission checks read task.plan.jurisdiction: no query per row
        task.leads = [a for a in task.assignments.all() if a.role == AssignmentRole.LEAD]
        task.responsibles = [a for a in task.assignments.all() if a.role == AssignmentRole.RESPONSIBLE]
        (sections[task.section_id].leaf_tasks if task.section_id else loose_tasks).append(task)

    indicators = list(
        Indicator.objects.filter(plan=plan)
        .order_by("position")
        .prefetch_related(
            Prefetch("assignments", queryset=assignment_qs),
            Prefetch("milestones", queryset=Target.objects.order_by("position")),
        )
    )
    years = sorted({m.year for ind in indicators for m in ind.milestones.all() if m.year})
    for ind in indicators:
        ind.plan = plan
        by_year = {m.year: m for m in ind.milestones.all()}
        ind.cells = [by_year.get(year) for year in years]
    # Merge the key-task column over consecutive rows, as the plans print it.
    for i, ind in enumerate(indicators):
        if i and indicators[i - 1].task_text == ind.task_text:
            ind.task_rowspan = 0
            continue
        span = 1
        while i + span < len(indicators) and indicators[i + span].task_text == ind.task_text:
            span += 1
        ind.task_rowspan = span
    task_force = (
        TaskForce.objects.filter(plan=plan).prefetch_related(Prefetch("assignments", queryset=assignment_qs)).first()
    )
    if task_force:
        task_force.office = [a for a in task_force.assignments.all() if a.role == AssignmentRole.OFFICE]
        task_force.members = [a for a in task_force.assignments.all() if a.role == AssignmentRole.MEMBER]
    return {
        "goals": list(Target.objects.filter(plan=plan, kind=TargetKind.GOAL).order_by("position")),
        "sections": roots,
        "loose_tasks": loose_tasks,
        "tasks": tasks,
        "indicators": indicators,
        "years": years,
        "task_force": task_force,
        "division_rows": list(
            DivisionRow.objects.filter(plan=plan)
            .order_by("position")
            .prefetch_related(Prefetch("assignments", queryset=assignment_qs))
        ),
        "policy_items": list(
            PolicyItem.objects.filter(plan=plan)
            .order_by("position")
            .prefetch_related(Prefetch("assignments", queryset=assignment_qs))
        ),
        "plan_units": list(plan.plan_units.select_related("unit").order_by("position")),
    }


def unit_page(unit, user) -> dict:
    """Every task, indicator and row the unit leads or shares, across the plans the user may see."""
    rows = (
        Assignment.objects.filter(unit=unit, plan__in=plans_visible_to(user))
        .select_related(
            "plan",
            "task",
            "task__section",
            "indicator",
            "task_force",
            "division_row",
            "policy_item",
        )
        .order_by("plan_id", "position")
    )
    plans: dict[int, dict] = {}
    for a in rows:
        entry = plans.setdefault(
            a.plan_id,
            {
                "plan": a.plan,
                "lead_tasks": [],
                "shared_tasks": [],
                "indicators": [],
                "task_force_roles": [],
                "division_rows": [],
                "policy_items": [],
            },
        )
        if a.task_id:
            entry["lead_tasks" if a.role == AssignmentRole.LEAD else "shared_tasks"].append(a)
        elif a.indicator_id:
            entry["indicators"].append(a)
        elif a.task_force_id:
            entry["task_force_roles"].append(a)
        elif a.division_row_id:
            entry["division_rows"].append(a)
        else:
            entry["policy_items"].append(a)
    return {"plans": list(plans.values()), "aliases": list(unit.aliases.order_by("name"))}


# --- API lists -------------------------------------------------------------------------------


def _assignments_by_position():
    return Prefetch("assignments", queryset=Assignment.objects.select_related("unit").order_by("position"))


def plan_summaries_visible_to(user):
    """The visible plans with their task and indicator counts (one query, no row multiplication)."""

    def count_of(model):
        rows = model.objects.filter(plan=OuterRef("pk")).order_by().values("plan")
        return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)

    return (
        plans_visible_to(user)
        .select_related("jurisdiction__parent__parent__parent")
        .annotate(task_count=count_of(Task), indicator_count=count_of(Indicator))
    )


def tasks_visible_to(user, *, plan_id: int | None = None, unit_id: int | None = None):
    """Tasks of the visible plans, optionally of one plan or of one unit (leading or sharing)."""
    from .models import Task

    tasks = Task.objects.filter(plan__jurisdiction__in=jurisdictions_visible_to(user))
    if plan_id is not None:
        tasks = tasks.filter(plan_id=plan_id)
    if unit_id is not None:
        owned = Assignment.objects.filter(unit_id=unit_id, task__isnull=False)
        tasks = tasks.filter(pk__in=owned.values("task_id"))
    return tasks.select_related("plan__jurisdiction", "section").prefetch_related(
        _assignments_by_position(),
        Prefetch("targets", queryset=Target.objects.order_by("position")),
    )


def indicators_visible_to(user, *, plan_id: int | None = None, unit_id: int | None = None):
    """Indicators of the visible plans, optionally of one plan or of one answering unit."""
    from .models import Indicator

    indicators = Indicator.objects.filter(plan__jurisdiction__in=jurisdictions_visible_to(user))
    if plan_id is not None:
        indicators = indicators.filter(plan_id=plan_id)
    if unit_id is not None:
        owned = Assignment.objects.filter(unit_id=unit_id, indicator__isnull=False)
        indicators = indicators.filter(pk__in=owned.values("indicator_id"))
    return indicators.select_related("plan__jurisdiction").prefetch_related(
        _assignments_by_position(),
        Prefetch("milestones", queryset=Target.objects.order_by("position")),
    )


def section_paths(tasks) -> dict[int, list[str]]:
    """The headings above each task (二、重点任务 › （一）…), from one query over their plans."""
    tasks = list(tasks)
    plan_ids = {t.plan_id for t in tasks}
    rows = Section.objects.filter(plan_id__in=plan_ids).only("heading", "parent")
    sections = {s.pk: s for s in rows}

    def path(section_id):
        headings = []
        while section_id is not None:
            headings.append(sections[section_id].heading)
            section_id = sections[section_id].parent_id
        return headings[::-1]

    return {t.pk: path(t.section_id) for t in tasks}
