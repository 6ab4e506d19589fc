"""The problem list (问题清单) in the browser: raise, assign, report progress, resolve.

A unit reporter raises problems on its unit's tasks and sees those its unit raised or coordinates;
the plan's office sees all, assigns and resolves; leaders read. Outside one's jurisdiction: 404.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from .. import rules
from .. import selectors_supervision as sel
from ..enums import ProblemCategory, ProblemState
from ..services import problems as services


class ProblemFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=gettext_lazy("State"),
        choices=[("", pgettext_lazy("problems", "all")), *ProblemState.choices],
        required=False,
    )
    unit = forms.IntegerField(label=gettext_lazy("Unit"), required=False, min_value=1)


class RaiseForm(forms.Form):
    task = forms.ModelChoiceField(label=gettext_lazy("Task"), queryset=None)
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=ProblemCategory.choices)
    title = forms.CharField(label=gettext_lazy("Problem"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Details"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )

    def __init__(self, *args, tasks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = tasks
        self.fields["task"].label_from_instance = lambda task: f"{task.number}. {task.title}"


class AssignForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("Coordinating unit"), queryset=None)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = sel.units_to_coordinate(plan)


class ProgressForm(forms.Form):
    progress = forms.CharField(label=gettext_lazy("Progress"), widget=forms.Textarea(attrs={"rows": 4}))


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=gettext_lazy("Resolution"), widget=forms.Textarea(attrs={"rows": 4}))


def _plan(request, plan_pk):
    plan = sel.visible_plan_or_none(request.user, plan_pk)
    if plan is None:
        raise Http404(_("No such plan."))
    return plan


def _problem(request, pk):
    problem = sel.problem_for(request.user, pk)
    if problem is None:
        raise Http404(_("No such problem."))
    return problem


def _raisable_tasks(request, plan):
    if not rules.can_raise_problem(request.user, plan):
        return None
    return sel.tasks_a_unit_may_raise_on(plan, request.user.unit_id)


@login_required
def problem_list(request, plan_pk):
    plan = _plan(request, plan_pk)
    filters = ProblemFilterForm(request.GET or None)
    state, unit_id = None, None
    if filters.is_valid():
        state = filters.cleaned_data["state"] or None
        unit_id = filters.cleaned_data["unit"]
    visible = sel.problems_for(request.user, plan)
    problems = list(sel.problems_for(request.user, plan, state=state, unit_id=unit_id).order_by("-created_at", "-pk"))
    tasks = _raisable_tasks(request, plan)
    return render(
        request,
        "dispatch/problem_list.html",
        {
            "plan": plan,
            "problems": problems,
            "filters": filters,
            "state": state or "",
            "unit_id": unit_id,
            "states": ProblemState.choices,
            "units": sel.units_involved_in_problems(plan, visible),
            "can_raise": bool(tasks is not None and tasks.exists()),
            "office": rules.can_run_dispatch(request.user, plan),
        },
    )


@login_required
def problem_create(request, plan_pk):
    plan = _plan(request, plan_pk)
    tasks = _raisable_tasks(request, plan)
    if tasks is None:
        raise PermissionDenied(_("Only a unit reporter raises problems, on the tasks of its unit."))
    form = RaiseForm(request.POST or None, tasks=tasks)
    if request.method == "POST" and form.is_valid():
        try:
            problem = services.problem_raise(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The problem was sent to the office."))
            return redirect("dispatch:problem_detail", pk=problem.pk)
    return render(request, "dispatch/problem_form.html", {"plan": plan, "form": form})


@login_required
def problem_detail(request, pk):
    problem = _problem(request, pk)
    office = rules.can_run_dispatch(request.user, problem.plan)
    open_ = problem.state != ProblemState.RESOLVED
    return render(
        request,
        "dispatch/problem_detail.html",
        {
            "problem": problem,
            "plan": problem.plan,
            "office": office,
            "assign_form": AssignForm(plan=problem.plan, initial={"unit": problem.assigned_unit_id})
            if office and open_
            else None,
            "resolve_form": ResolveForm(initial={"resolution": problem.resolution}) if office and open_ else None,
            "progress_form": ProgressForm(initial={"progress": problem.resolution})
            if problem.state == ProblemState.ASSIGNED and services.can_report_progress(request.user, problem)
            else None,
        },
    )


def _act(request, problem, form, service, done_message, **kwargs):
    if not form.is_valid():
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
    else:
        try:
            service(actor=request.user, problem=problem, **form.cleaned_data, **kwargs)
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        else:
            messages.success(request, done_message)
    return redirect("dispatch:problem_detail", pk=problem.pk)


def _office_problem(request, pk):
    problem = _problem(request, pk)
    if not rules.can_run_dispatch(request.user, problem.plan):
        raise PermissionDenied(_("Only the plan's office assigns and resolves problems."))
    return problem


@login_required
@require_POST
def problem_assign(request, pk):
    problem = _office_problem(request, pk)
    form = AssignForm(request.POST, plan=problem.plan)
    return _act(request, problem, form, services.problem_assign, _("Assigned."))


@login_required
@require_POST
def problem_progress(request, pk):
    problem = _problem(request, pk)
    if not services.can_report_progress(request.user, problem):
        raise PermissionDenied(_("Only the coordinating unit reports progress on a problem."))
    return _act(request, problem, ProgressForm(request.POST), services.problem_progress, _("Progress saved."))


@login_required
@require_POST
def problem_resolve(request, pk):
    problem = _office_problem(request, pk)
    return _act(request, problem, ResolveForm(request.POST), services.problem_resolve, _("Resolved."))


urlpatterns = [
    path("plans/<int:plan_pk>/problems/", problem_list, name="problem_list"),
    path("plans/<int:plan_pk>/problems/new/", problem_create, name="problem_create"),
    path("problems/<int:pk>/", problem_detail, name="problem_detail"),
    path("problems/<int:pk>/assign/", problem_assign, name="problem_assign"),
    path("problems/<int:pk>/progress/", problem_progress, name="problem_progress"),
    path("problems/<int:pk>/resolve/", problem_resolve, name="problem_resolve"),
]
