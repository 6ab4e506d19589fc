"""The reporting loop in the browser: the unit's workbench, the office's calendar and review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liangxin.plans.selectors import plans_visible_to

from .. import rules, selectors, services
from ..enums import PeriodState
from ..forms import CalendarForm, ProfileForm, ReviewForm, SubmissionForm, TrajectoryForm
from ..models import EntryAttachment, IndicatorProfile, Period, ReportingCalendar, Submission, TrajectoryVersion


def _plan(request, pk):
    return get_object_or_404(plans_visible_to(request.user), pk=pk)


def _office_plan(request, pk):
    plan = _plan(request, pk)
    if not rules.can_run_dispatch(request.user, plan):
        raise PermissionDenied(_("Only the task force office runs the reporting calendar."))
    return plan


@login_required
def workbench(request):
    """What the reporter's unit owes for the open periods."""
    today = timezone.localdate()
    return render(
        request, "dispatch/workbench.html", {"rows": selectors.workbench(request.user, today), "today": today}
    )


def _submission_for(request, period_pk):
    period = get_object_or_404(
        Period.objects.select_related("plan__jurisdiction"), pk=period_pk, plan__in=plans_visible_to(request.user)
    )
    if request.user.unit_id is None or not rules.can_report_for(request.user, request.user.unit, period.plan):
        raise PermissionDenied(_("Only a reporter of a unit that owes this report may fill it in."))
    return period


@login_required
def report(request, period_pk):
    """The unit's report for one period: fill in, save as draft, submit; see the office's comments."""
    period = _submission_for(request, period_pk)
    try:
        submission = services.submission_open(actor=request.user, period=period, unit=request.user.unit)
    except services.DispatchError as exc:
        messages.error(request, str(exc))
        return redirect("dispatch:workbench")
    submission = selectors.submission_detail(submission)
    form = SubmissionForm(request.POST or None, request.FILES or None, submission=submission)
    if request.method == "POST" and form.is_valid():
        indicators, tasks, files = form.values()
        try:
            with transaction.atomic():
                services.submission_save(actor=request.user, submission=submission, indicators=indicators, tasks=tasks)
                for indicator_id, upload in files.items():
                    services.entry_attach(
                        actor=request.user, submission=submission, indicator_id=indicator_id, upload=upload
                    )
                if request.POST.get("action") == "submit":
                    services.submission_submit(actor=request.user, submission=submission)
        except (services.DispatchError, ValidationError) as exc:
            messages.error(request, "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(
                request, _("Submitted to the office.") if request.POST.get("action") == "submit" else _("Draft saved.")
            )
            return redirect("dispatch:report", period_pk=period.pk)
    editable = submission.state in ("draft", "returned") and period.state == PeriodState.OPEN
    return render(
        request,
        "dispatch/report.html",
        {
            "period": period,
            "plan": period.plan,
            "submission": submission,
            "form": form,
            "editable": editable,
            "versions": submission.versions.all(),
        },
    )


@login_required
def evidence(request, pk):
    attachment = get_object_or_404(
        EntryAttachment.objects.select_related("entry__submission__period__plan", "entry__submission__unit"), pk=pk
    )
    submission = attachment.entry.submission
    plan = submission.period.plan
    allowed = (
        rules.can_run_dispatch(request.user, plan)
        or (rules.can_view_plan(request.user, plan) and request.user.role == "leader")
        or rules.can_report_for(request.user, submission.unit, plan)
    )
    if not allowed:
        raise PermissionDenied(_("This evidence belongs to another unit."))
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


@login_required
def plan_dispatch(request, pk):
    """The office's page for a plan: calendar, periods and who has reported."""
    plan = _plan(request, pk)
    office = rules.can_run_dispatch(request.user, plan)
    calendar = ReportingCalendar.objects.filter(plan=plan).first()
    form = CalendarForm(request.POST or None, instance=calendar or ReportingCalendar(plan=plan))
    if request.method == "POST":
        if not office:
            raise PermissionDenied(_("Only the task force office runs the reporting calendar."))
        if form.is_valid():
            try:
                services.calendar_set(actor=request.user, plan=plan, **{k: form.cleaned_data[k] for k in form.fields})
            except (services.DispatchError, ValidationError) as exc:
                messages.error(request, "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
            else:
                messages.success(request, _("The calendar was saved and the periods generated."))
                return redirect("dispatch:plan", pk=plan.pk)
    periods = list(Period.objects.filter(plan=plan).order_by("start"))
    counts = {}
    for s in Submission.objects.filter(period__plan=plan).values("period_id", "state", "late"):
        entry = counts.setdefault(s["period_id"], {"submitted": 0, "approved": 0, "late": 0, "draft": 0})
        entry["approved" if s["state"] == "approved" else "submitted" if s["state"] != "draft" else "draft"] += 1
        entry["late"] += s["late"]
    for period in periods:
        period.counts = counts.get(period.pk, {})
    return render(
        request,
        "dispatch/plan_dispatch.html",
        {
            "plan": plan,
            "calendar": calendar,
            "form": form,
            "office": office,
            "periods": periods,
            "owing": len(selectors.units_owing(plan)),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def periods_open(request, pk):
    plan = _office_plan(request, pk)
    count = services.periods_open_until(actor=request.user, plan=plan, today=timezone.localdate())
    messages.success(request, _("%d periods opened for reporting.") % count)
    return redirect("dispatch:plan", pk=plan.pk)


@login_required
@require_POST
def period_state(request, pk):
    period = get_object_or_404(Period, pk=pk)
    _office_plan(request, period.plan_id)
    try:
        services.period_set_state(actor=request.user, period=period, state=request.POST.get("state", ""))
    except services.DispatchError as exc:
        messages.error(request, str(exc))
    return redirect("dispatch:period", pk=period.pk)


@login_required
def period_detail(request, pk):
    period = get_object_or_404(Period.objects.select_related("plan"), pk=pk, plan__in=plans_visible_to(request.user))
    return render(
        request,
        "dispatch/period.html",
        {
            "period": period,
            "plan": period.plan,
            "rows": selectors.period_submissions(period),
            "office": rules.can_run_dispatch(request.user, period.plan),
            "today": timezone.localdate(),
        },
    )


@login_required
def submission_review(request, pk):
    submission = get_object_or_404(
        Submission.objects.select_related("period__plan"), pk=pk, period__plan__in=plans_visible_to(request.user)
    )
    plan = submission.period.plan
    office = rules.can_run_dispatch(request.user, plan)
    if not (office or request.user.role == "leader" or rules.can_report_for(request.user, submission.unit, plan)):
        raise PermissionDenied(_("This report belongs to another unit."))
    form = ReviewForm(request.POST or None)
    if request.method == "POST":
        if not office:
            raise PermissionDenied(_("Only the task force office approves or returns reports."))
        if form.is_valid():
            try:
                services.submission_review(
                    actor=request.user,
                    submission=submission,
                    approve=request.POST.get("action") == "approve",
                    comment=form.cleaned_data["comment"],
                )
            except (services.DispatchError, ValidationError) as exc:
                messages.error(request, "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
            else:
                return redirect("dispatch:period", pk=submission.period_id)
    return render(
        request,
        "dispatch/submission.html",
        {
            "submission": selectors.submission_detail(submission),
            "plan": plan,
            "office": office,
            "form": form,
        },
    )


@login_required
def profiles(request, pk):
    """How each indicator is measured and its trajectory versions; the office changes them, and a
    unit answering for an indicator may give it a seasonal curve."""
    plan = _plan(request, pk)
    office = rules.can_run_dispatch(request.user, plan)
    indicators = list(plan.indicators.order_by("position"))
    for indicator in indicators:
        services.profile_ensure(indicator=indicator)
    profiles_by = {p.indicator_id: p for p in IndicatorProfile.objects.filter(indicator__plan=plan)}
    versions = {}
    for v in TrajectoryVersion.objects.filter(indicator__plan=plan).select_related("created_by"):
        versions.setdefault(v.indicator_id, []).append(v)
    rows = [
        {
            "indicator": i,
            "profile": profiles_by[i.pk],
            "versions": versions.get(i.pk, []),
            "form": ProfileForm(instance=profiles_by[i.pk], prefix=f"p{i.pk}"),
            "trajectory": TrajectoryForm(prefix=f"t{i.pk}"),
            "can_curve": rules.can_set_trajectory(request.user, i),
        }
        for i in indicators
    ]
    if request.method == "POST":
        indicator = get_object_or_404(plan.indicators, pk=request.POST.get("indicator"))
        curve = request.POST.get("action") == "trajectory"
        if not (rules.can_set_trajectory(request.user, indicator) if curve else office):
            raise PermissionDenied(_("Only the task force office sets how indicators are measured."))
        try:
            if curve:
                form = TrajectoryForm(request.POST, prefix=f"t{indicator.pk}")
                if form.is_valid():
                    services.trajectory_change(actor=request.user, indicator=indicator, **form.cleaned_data)
                else:
                    raise ValidationError([e for errors in form.errors.values() for e in errors])
            else:
                form = ProfileForm(request.POST, instance=profiles_by[indicator.pk], prefix=f"p{indicator.pk}")
                if form.is_valid():
                    services.profile_set(actor=request.user, indicator=indicator, **form.cleaned_data)
                else:
                    raise ValidationError([e for errors in form.errors.values() for e in errors])
        except ValidationError as exc:
            messages.error(request, f"{indicator.name}: " + "; ".join(exc.messages))
        else:
            messages.success(request, _("Saved."))
        return redirect(f"{request.path}#indicator-{indicator.pk}")
    return render(request, "dispatch/profiles.html", {"plan": plan, "rows": rows, "office": office})


urlpatterns = [
    path("workbench/", workbench, name="workbench"),
    path("periods/<int:period_pk>/report/", report, name="report"),
    path("evidence/<int:pk>/", evidence, name="evidence"),
    path("plans/<int:pk>/", plan_dispatch, name="plan"),
    path("plans/<int:pk>/open-periods/", periods_open, name="periods_open"),
    path("plans/<int:pk>/indicators/", profiles, name="profiles"),
    path("periods/<int:pk>/", period_detail, name="period"),
    path("periods/<int:pk>/state/", period_state, name="period_state"),
    path("submissions/<int:pk>/", submission_review, name="submission"),
]
