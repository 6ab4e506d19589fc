"""Writes of the problem list (问题清单): a unit raises, the office assigns a unit to coordinate,
the coordinating unit reports progress, the office resolves. Every step is audited."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from liangxin.core.audit import audit_record, snapshot
from liangxin.core.enums import Role
from liangxin.core.models import Unit, User
from liangxin.plans.models import Assignment, Plan, Task

from ..enums import ProblemCategory, ProblemState
from ..models import Problem
from ..rules import can_raise_problem, can_run_dispatch
from .supervision import notify_users, send_after_commit


def can_report_progress(user, problem: Problem) -> bool:
    """A reporter of the coordinating unit, while the problem is being coordinated."""
    return bool(
        user.is_authenticated
        and user.role == Role.REPORTER
        and problem.assigned_unit_id is not None
        and user.unit_id == problem.assigned_unit_id
        and user.jurisdiction_id == problem.plan.jurisdiction_id
    )


def _problem_url(problem: Problem) -> str:
    return reverse("dispatch:problem_detail", args=[problem.pk])


def _reporters(unit_id: int, plan: Plan):
    return User.objects.filter(
        role=Role.REPORTER, is_active=True, unit_id=unit_id, jurisdiction_id=plan.jurisdiction_id
    )


def _lock(problem: Problem) -> Problem:
    return Problem.objects.select_for_update().select_related("plan__jurisdiction").get(pk=problem.pk)


@transaction.atomic
def problem_raise(*, actor, plan: Plan, task: Task, category: str, title: str, description: str = "") -> Problem:
    """A unit reporter raises a problem on a task its unit leads or shares."""
    if not can_raise_problem(actor, plan):
        raise PermissionDenied(_("Only a unit reporter of the plan's jurisdiction raises problems."))
    if task is None or task.plan_id != plan.pk or not Assignment.objects.filter(task=task, unit_id=actor.unit_id):
        raise ValidationError({"task": _("Choose a task of this plan that your unit leads or shares.")})
    if category not in ProblemCategory.values:
        raise ValidationError({"category": _("Choose a category from the list.")})
    problem = Problem(
        plan=plan,
        task=task,
        raised_by_unit_id=actor.unit_id,
        raised_by=actor,
        category=category,
        title=(title or "").strip(),
        description=(description or "").strip(),
        state=ProblemState.OPEN,
    )
    problem.full_clean()
    problem.save()
    audit_record(actor=actor, action="problem.raise", instance=problem, after=snapshot(problem))
    return problem


@transaction.atomic
def problem_assign(*, actor, problem: Problem, unit: Unit) -> Problem:
    """The plan's office gives a problem to a unit of the plan's jurisdiction to coordinate.

    Side effects: the coordinating unit's reporters get a notification (and an e-mail after commit).
    A problem being coordinated may be given to another unit; a resolved one may not.
    """
    problem = _lock(problem)
    if not can_run_dispatch(actor, problem.plan):
        raise PermissionDenied(_("Only the plan's office assigns problems."))
    if problem.state == ProblemState.RESOLVED:
        raise ValidationError(_("This problem is resolved already."), code="resolved")
    if unit is None or unit.jurisdiction_id != problem.plan.jurisdiction_id:
        raise ValidationError({"unit": _("Choose a unit of the plan's jurisdiction.")})
    before = snapshot(problem)
    problem.assigned_unit = unit
    problem.state = ProblemState.ASSIGNED
    problem.assigned_at = timezone.now()
    problem.full_clean()
    problem.save(update_fields=["assigned_unit", "state", "assigned_at"])
    audit_record(actor=actor, action="problem.assign", instance=problem, before=before, after=snapshot(problem))
    with translation.override(settings.LANGUAGE_CODE):
        text = _("Problem to coordinate: %(title)s (raised by %(unit)s)") % {
            "title": problem.title,
            "unit": problem.raised_by_unit.name,
        }
    send_after_commit(notify_users(users=_reporters(unit.pk, problem.plan), text=text, url=_problem_url(problem)))
    return problem


@transaction.atomic
def problem_progress(*, actor, problem: Problem, progress: str) -> Problem:
    """The coordinating unit writes where the problem stands (kept in the resolution text)."""
    problem = _lock(problem)
    if not can_report_progress(actor, problem):
        raise PermissionDenied(_("Only the coordinating unit reports progress on a problem."))
    if problem.state != ProblemState.ASSIGNED:
        raise ValidationError(_("Progress is reported while a problem is being coordinated."), code="state")
    progress = (progress or "").strip()
    if not progress:
        raise ValidationError({"progress": _("Write where the problem stands.")})
    before = snapshot(problem)
    problem.resolution = progress
    problem.full_clean()
    problem.save(update_fields=["resolution"])
    audit_record(actor=actor, action="problem.progress", instance=problem, before=before, after=snapshot(problem))
    return problem


@transaction.atomic
def problem_resolve(*, actor, problem: Problem, resolution: str) -> Problem:
    """The plan's office closes a problem with how it was solved.

    Side effects: the raising unit's reporters get a notification (and an e-mail after commit).
    """
    problem = _lock(problem)
    if not can_run_dispatch(actor, problem.plan):
        raise PermissionDenied(_("Only the plan's office resolves problems."))
    if problem.state == ProblemState.RESOLVED:
        raise ValidationError(_("This problem is resolved already."), code="resolved")
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": _("Say how the problem was resolved.")})
    before = snapshot(problem)
    problem.resolution = resolution
    problem.state = ProblemState.RESOLVED
    problem.resolved_at = timezone.now()
    problem.full_clean()
    problem.save(update_fields=["resolution", "state", "resolved_at"])
    audit_record(actor=actor, action="problem.resolve", instance=problem, before=before, after=snapshot(problem))
    with translation.override(settings.LANGUAGE_CODE):
        text = _("Problem resolved: %(title)s") % {"title": problem.title}
    send_after_commit(
        notify_users(users=_reporters(problem.raised_by_unit_id, problem.plan), text=text, url=_problem_url(problem))
    )
    return problem
