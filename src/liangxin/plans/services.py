"""Writes of the plan registry."""

import json

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F

from liangxin.core.audit import audit_record, snapshot
from liangxin.core.models import Jurisdiction
from liangxin.core.names import normalize_name
from liangxin.core.services import unit_ensure

from .enums import AssignmentRole, TargetKind
from .interchange import validate_document
from .models import (
    Assignment,
    DivisionRow,
    Indicator,
    Plan,
    PlanUnit,
    PolicyItem,
    Section,
    Target,
    Task,
    TaskForce,
)


def _is_cumulative(raw: dict) -> bool:
    texts = [raw["name"]] + [m["text"] or "" for m in raw["milestones"]]
    return any("累计" in t for t in texts)


def title_key(title: str) -> str:
    """How two task titles are matched: no whitespace or punctuation, NFKC."""
    return "".join(ch for ch in normalize_name(title) if ch.isalnum())


@transaction.atomic
def plan_load(
    *, data, jurisdiction: Jurisdiction, actor=None, source_name: str = "", source_bytes: bytes | None = None
) -> Plan:
    """Create a plan of the registry from an interchange document, all or nothing.

    The document is validated first (InterchangeError names the field); units are resolved
    through the jurisdiction's names and aliases and created when new. The original file is kept.
    """
    doc = validate_document(data)
    plan = Plan(jurisdiction=jurisdiction)
    _set_header(plan, doc)
    if source_bytes is None:
        source_bytes = json.dumps(data, ensure_ascii=False, indent=1).encode()
    plan.source_file.save(source_name or "plan.json", ContentFile(source_bytes), save=False)
    plan.save()
    _fill_plan(plan, doc, actor=actor)
    audit_record(
        actor=actor,
        action="plan.load",
        instance=plan,
        after={**snapshot(plan), "tasks": len(doc["tasks"]), "indicators": len(doc["indicators"])},
    )
    return plan


@transaction.atomic
def plan_revise(*, plan: Plan, data, actor=None, source_name: str = "", source_bytes: bytes | None = None) -> Plan:
    """Replace a published plan's content with a revised document, all or nothing.

    Tasks (matched by title) and indicators (matched by name) keep their identity, so whatever
    later hangs off them (reports, assessments) survives the revision; everything else is rebuilt.
    The audit entry holds the plan as it was and as it is.
    """
    from .selectors import plan_export

    doc = validate_document(data)
    before = plan_export(plan)
    _set_header(plan, doc)
    if source_bytes is not None:
        plan.source_file.save(source_name or "plan.json", ContentFile(source_bytes), save=False)
    plan.save()
    # Park the kept rows out of the way of the position constraints, then rebuild the rest.
    Task.objects.filter(plan=plan).update(section=None, position=F("position") + PARKED)
    Indicator.objects.filter(plan=plan).update(position=F("position") + PARKED)
    for model in (Assignment, Target, PlanUnit, TaskForce, DivisionRow, PolicyItem, Section):
        model.objects.filter(plan=plan).delete()
    _fill_plan(plan, doc, actor=actor, reuse=True)
    Task.objects.filter(plan=plan, position__gte=PARKED).delete()
    Indicator.objects.filter(plan=plan, position__gte=PARKED).delete()
    audit_record(actor=actor, action="plan.revise", instance=plan, before=before, after=plan_export(plan))
    return plan


PARKED = 1_000_000


def _set_header(plan: Plan, doc: dict) -> None:
    plan.title = doc["title"]
    plan.issuer = doc["issuer"]
    plan.issued_on = doc["issued_on"]
    plan.doc_number = doc["doc_number"]
    plan.parent_policies = doc["parent_policies"]
    plan.full_clean(exclude=["source_file"])


def _fill_plan(plan: Plan, doc: dict, *, actor, reuse: bool = False) -> None:
    """Create the plan's content from a validated document; with reuse, matching parked tasks
    and indicators are updated in place instead of created."""
    jurisdiction = plan.jurisdiction
    parked_tasks: dict[str, list[Task]] = {}
    parked_indicators: dict[str, list[Indicator]] = {}
    if reuse:
        for task in Task.objects.filter(plan=plan, position__gte=PARKED).order_by("position"):
            parked_tasks.setdefault(title_key(task.title), []).append(task)
        for indicator in Indicator.objects.filter(plan=plan, position__gte=PARKED).order_by("position"):
            parked_indicators.setdefault(title_key(indicator.name), []).append(indicator)

    units = {}
    plan_units = []
    for position, name in enumerate(doc["units"]):
        units[name] = unit_ensure(jurisdiction=jurisdiction, name=name, actor=actor)
        plan_units.append(PlanUnit(plan=plan, unit=units[name], written_as=name, position=position))
    PlanUnit.objects.bulk_create(plan_units)

    assignments: list[Assignment] = []

    def assign(names, role, **item):
        for name in names:
            assignments.append(
                Assignment(plan=plan, unit=units[name], written_as=name, role=role, position=len(assignments), **item)
            )

    targets: list[Target] = []

    def add_targets(raws, kind, **owner):
        for raw in raws:
            targets.append(Target(plan=plan, kind=kind, position=len(targets), **owner, **raw))

    def reused(pool, key, **fields):
        rows = pool.get(key)
        row = rows.pop(0) if rows else None
        if row is not None:
            for name, value in fields.items():
                setattr(row, name, value)
            row.save()
        return row

    add_targets(doc["goals"], TargetKind.GOAL)

    sections: dict[tuple, Section] = {}
    for position, raw in enumerate(doc["tasks"]):
        parent = None
        for depth in range(len(raw["path"])):
            key = tuple(raw["path"][: depth + 1])
            if key not in sections:
                sections[key] = Section.objects.create(
                    plan=plan, parent=parent, heading=key[-1], position=len(sections)
                )
            parent = sections[key]
        fields = {"section": parent, "number": raw["number"], "title": raw["title"], "position": position}
        task = reused(parked_tasks, title_key(raw["title"]), **fields) or Task.objects.create(plan=plan, **fields)
        assign(raw["lead_units"], AssignmentRole.LEAD, task=task)
        assign(raw["responsible_units"], AssignmentRole.RESPONSIBLE, task=task)
        add_targets(raw["targets"], TargetKind.TASK, task=task)

    for position, raw in enumerate(doc["indicators"]):
        baseline = raw["baseline"] or {}
        fields = {
            "seq": raw["seq"],
            "task_text": raw["task"],
            "name": raw["name"],
            "baseline_year": baseline.get("year"),
            "baseline_text": baseline.get("text"),
            "baseline_value": baseline.get("value"),
            "baseline_unit": baseline.get("unit"),
            "cumulative": _is_cumulative(raw),
            "position": position,
        }
        indicator = reused(parked_indicators, title_key(raw["name"]), **fields) or Indicator.objects.create(
            plan=plan, **fields
        )
        assign(raw["units"], AssignmentRole.RESPONSIBLE, indicator=indicator)
        add_targets(raw["milestones"], TargetKind.MILESTONE, indicator=indicator)

    if doc["task_force"]:
        raw = doc["task_force"]
        task_force = TaskForce.objects.create(
            plan=plan, name=raw["name"], mechanisms=raw["mechanisms"], leading_positions=raw["leading_positions"]
        )
        if raw["office_unit"]:
            assign([raw["office_unit"]], AssignmentRole.OFFICE, task_force=task_force)
        assign(raw["member_units"], AssignmentRole.MEMBER, task_force=task_force)

    for position, raw in enumerate(doc["division_table"]):
        row = DivisionRow.objects.create(plan=plan, seq=raw["seq"], task_text=raw["task"], position=position)
        assign(raw["lead_units"], AssignmentRole.LEAD, division_row=row)

    for position, raw in enumerate(doc["policy_list"]):
        item = PolicyItem.objects.create(
            plan=plan, group=raw["group"], seq=raw["seq"], title=raw["title"], position=position
        )
        assign(raw["lead_units"], AssignmentRole.LEAD, policy_item=item)

    for target in targets:
        target.full_clean(exclude=["plan", "task", "indicator"])
    Target.objects.bulk_create(targets)
    Assignment.objects.bulk_create(assignments)


TASK_EDITABLE = ("number", "title")
INDICATOR_EDITABLE = ("name", "task_text", "baseline_text", "baseline_value", "baseline_unit", "cumulative")


def _update(*, actor, instance, fields: dict, editable: tuple[str, ...], action: str):
    unknown = set(fields) - set(editable)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    before = snapshot(instance)
    old_values = {name: getattr(instance, name) for name in fields}
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    # Compare cleaned Python values: Decimal("13.6") equals the stored Decimal("13.600000").
    changed = [name for name in fields if getattr(instance, name) != old_values[name]]
    if changed:
        instance.save(update_fields=changed)
        audit_record(actor=actor, action=action, instance=instance, before=before, after=snapshot(instance))
    return instance


@transaction.atomic
def task_update(*, actor, task: Task, **fields) -> Task:
    """Correct a task's number or title. Raises ValidationError on bad values; audits the change."""
    return _update(actor=actor, instance=task, fields=fields, editable=TASK_EDITABLE, action="task.update")


@transaction.atomic
def indicator_update(*, actor, indicator: Indicator, **fields) -> Indicator:
    """Correct an indicator's name, key task, baseline or kind. Audits the change."""
    return _update(
        actor=actor, instance=indicator, fields=fields, editable=INDICATOR_EDITABLE, action="indicator.update"
    )
