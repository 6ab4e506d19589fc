"""Writes of the plan registry."""

import json

from django.core.files.base import ContentFile
from django.db import transaction

from liangxin.core.audit import audit_record, snapshot
from liangxin.core.models import Jurisdiction
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


@transaction.atomic
def plan_load(
    *, data, jurisdiction: Jurisdiction, actor=None, source_name: str = "", source_bytes: bytes | None = None
) -> Plan:
    """Create a plan of the registry from an interchange document, all or nothing.

    The document is validated first (InterchangeError names the field); units are resolved
    through the jurisdiction's names and aliases and created when new. The original file is kept.
    """
    doc = validate_document(data)
    plan = Plan(
        jurisdiction=jurisdiction,
        title=doc["title"],
        issuer=doc["issuer"],
        issued_on=doc["issued_on"],
        doc_number=doc["doc_number"],
        parent_policies=doc["parent_policies"],
    )
    plan.full_clean(exclude=["source_file"])
    if source_bytes is None:
        source_bytes = json.dumps(data, ensure_ascii=False, indent=1).encode()
    plan.source_file.save(source_name or "plan.json", ContentFile(source_bytes), save=False)
    plan.save()

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
        task = Task.objects.create(
            plan=plan, section=parent, number=raw["number"], title=raw["title"], position=position
        )
        assign(raw["lead_units"], AssignmentRole.LEAD, task=task)
        assign(raw["responsible_units"], AssignmentRole.RESPONSIBLE, task=task)
        add_targets(raw["targets"], TargetKind.TASK, task=task)

    for position, raw in enumerate(doc["indicators"]):
        baseline = raw["baseline"] or {}
        indicator = Indicator.objects.create(
            plan=plan,
            seq=raw["seq"],
            task_text=raw["task"],
            name=raw["name"],
            baseline_year=baseline.get("year"),
            baseline_text=baseline.get("text"),
            baseline_value=baseline.get("value"),
            baseline_unit=baseline.get("unit"),
            cumulative=_is_cumulative(raw),
            position=position,
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
    audit_record(
        actor=actor,
        action="plan.load",
        instance=plan,
        after={**snapshot(plan), "tasks": len(doc["tasks"]), "indicators": len(doc["indicators"])},
    )
    return plan


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
