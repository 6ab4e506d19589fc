"""Reads of the dispatch loop that depend on who asks: what a unit owes, what an office reviews."""

import datetime

from liangxin.core.models import Unit
from liangxin.plans.enums import AssignmentRole
from liangxin.plans.models import Assignment, Indicator, Plan, Task
from liangxin.plans.selectors import plans_visible_to

from .enums import PeriodState
from .models import Period, Submission


def owed_by_unit(*, unit: Unit, plan: Plan) -> tuple[list[Indicator], list[Task]]:
    """The indicators the unit answers for and the tasks it leads or shares, in plan order.

    Indicators the platform measures itself (a profile with a data source) are not owed: nobody
    types in a figure that the recycling network or the trade-in engine already counts."""
    rows = Assignment.objects.filter(plan=plan, unit=unit, role__in=[AssignmentRole.LEAD, AssignmentRole.RESPONSIBLE])
    indicator_ids = set(rows.filter(indicator__isnull=False).values_list("indicator_id", flat=True))
    task_ids = set(rows.filter(task__isnull=False).values_list("task_id", flat=True))
    indicators = list(
        Indicator.objects.filter(pk__in=indicator_ids)
        .exclude(profile__source__gt="")
        .select_related("profile")
        .order_by("position")
    )
    tasks = list(Task.objects.filter(pk__in=task_ids).order_by("position"))
    return indicators, tasks


def units_owing(plan: Plan) -> list[Unit]:
    """Every unit that reports on the plan: leads and responsible units of tasks and indicators."""
    ids = (
        Assignment.objects.filter(plan=plan, role__in=[AssignmentRole.LEAD, AssignmentRole.RESPONSIBLE])
        .exclude(task=None, indicator=None)
        .values_list("unit_id", flat=True)
    )
    return list(Unit.objects.filter(pk__in=set(ids)).order_by("name"))


def reporting_plans_for(user):
    """Plans with a reporting calendar that the user may see."""
    return plans_visible_to(user).filter(calendar__isnull=False)


def workbench(user, today: datetime.date) -> list[dict]:
    """For a unit reporter: each open period of each plan its unit reports on, with its submission."""
    if not user.is_authenticated or user.unit_id is None:
        return []
    rows = []
    for plan in reporting_plans_for(user):
        indicators, tasks = owed_by_unit(unit=user.unit, plan=plan)
        if not indicators and not tasks:
            continue
        periods = list(Period.objects.filter(plan=plan, state=PeriodState.OPEN).order_by("-start"))
        submissions = {s.period_id: s for s in Submission.objects.filter(unit=user.unit, period__in=periods)}
        for period in periods:
            rows.append(
                {
                    "plan": plan,
                    "period": period,
                    "submission": submissions.get(period.pk),
                    "owed": len(indicators) + len(tasks),
                    "overdue": today > period.due and getattr(submissions.get(period.pk), "submitted_at", None) is None,
                }
            )
    return rows


def period_submissions(period: Period) -> list[dict]:
    """Every unit that owes a report for the period, with its submission if any (for the office)."""
    submissions = {s.unit_id: s for s in Submission.objects.filter(period=period).select_related("unit")}
    return [{"unit": unit, "submission": submissions.get(unit.pk)} for unit in units_owing(period.plan)]


def submission_detail(submission: Submission):
    return (
        Submission.objects.filter(pk=submission.pk)
        .select_related("period__plan", "unit", "reviewed_by")
        .prefetch_related(
            "indicator_entries__indicator__milestones",
            "indicator_entries__attachments",
            "task_entries__task",
            "versions__actor",
        )
        .get()
    )
