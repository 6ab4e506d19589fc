"""Who may do what in the dispatch loop. Checked on the server, for the web and the API alike."""

from liangxin.core.enums import Role
from liangxin.core.rules import can_manage_jurisdiction, can_view_jurisdiction


def can_view_plan(user, plan) -> bool:
    return can_view_jurisdiction(user, plan.jurisdiction)


def can_run_dispatch(user, plan) -> bool:
    """The plan's office: sets the calendar, reviews submissions, assigns problems, escalates."""
    return can_manage_jurisdiction(user, plan.jurisdiction)


def can_report_for(user, unit, plan) -> bool:
    """A unit reporter reports only for its own unit, in its own jurisdiction's plans."""
    return bool(
        user.is_authenticated
        and user.role == Role.REPORTER
        and user.unit_id == unit.pk
        and plan.jurisdiction_id == user.jurisdiction_id
    )


def can_raise_problem(user, plan) -> bool:
    return bool(user.is_authenticated and user.role == Role.REPORTER and plan.jurisdiction_id == user.jurisdiction_id)


def can_set_trajectory(user, indicator) -> bool:
    """The office, or a reporter of a unit answering for the indicator: seasonal work is best
    described by the unit that does it (a curve with a reason, kept as a new version)."""
    if can_run_dispatch(user, indicator.plan):
        return True
    return bool(
        user.is_authenticated
        and user.role == Role.REPORTER
        and user.jurisdiction_id == indicator.plan.jurisdiction_id
        and indicator.assignments.filter(unit_id=user.unit_id).exists()
    )
