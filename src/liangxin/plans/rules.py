"""Permissions on plan items: a unit owns the tasks it leads and the indicators it answers for."""

from liangxin.core.rules import can_edit_owned_item, can_manage_jurisdiction, can_view_jurisdiction

from .enums import AssignmentRole


def can_view_plan(user, plan) -> bool:
    return can_view_jurisdiction(user, plan.jurisdiction)


def can_manage_plan(user, plan) -> bool:
    return can_manage_jurisdiction(user, plan.jurisdiction)


def task_owner_unit_ids(task) -> set[int]:
    """The lead units own a task; where the plan names no lead, every responsible unit does."""
    rows = [(a.role, a.unit_id) for a in task.assignments.all()]
    leads = {unit for role, unit in rows if role == AssignmentRole.LEAD}
    return leads or {unit for role, unit in rows if role == AssignmentRole.RESPONSIBLE}


def can_edit_task(user, task) -> bool:
    return can_edit_owned_item(user, task.plan.jurisdiction, task_owner_unit_ids(task))


def can_edit_indicator(user, indicator) -> bool:
    owners = {a.unit_id for a in indicator.assignments.all()}
    return can_edit_owned_item(user, indicator.plan.jurisdiction, owners)
