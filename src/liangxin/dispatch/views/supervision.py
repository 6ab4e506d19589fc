"""The 督办 list in the browser, and the person's notifications.

The list shows what the user may see (the office and leaders: all of the plan; a reporter: its
unit's); only the office sees and uses the actions. Everything outside one's jurisdiction is 404.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from .. import rules
from .. import selectors_supervision as sel
from ..enums import SupervisionLevel
from ..models import Notification
from ..services import supervision as services

STATES = [
    ("open", pgettext_lazy("supervision items", "open")),
    ("resolved", pgettext_lazy("supervision items", "resolved")),
    ("all", pgettext_lazy("supervision items", "all")),
]


class FilterForm(forms.Form):
    state = forms.ChoiceField(label=gettext_lazy("State"), choices=STATES, required=False)
    level = forms.ChoiceField(
        label=gettext_lazy("Level"),
        choices=[("", gettext_lazy("all levels")), *SupervisionLevel.choices],
        required=False,
    )


class EscalateForm(forms.Form):
    level = forms.ChoiceField(choices=SupervisionLevel.choices)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=1000)


class LeaderForm(forms.Form):
    leader = forms.ModelChoiceField(label=gettext_lazy("Leader"), queryset=None)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=1000)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = sel.leaders_covering(plan)


class ResolveForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("How it was resolved"), max_length=1000)


def _plan(request, plan_pk):
    plan = sel.visible_plan_or_none(request.user, plan_pk)
    if plan is None:
        raise Http404(_("No such plan."))
    return plan


def _ladder(plan) -> list[dict]:
    counts = sel.supervision_counts(plan)
    return [{"value": value, "label": label, "count": counts[value]} for value, label in SupervisionLevel.choices]


@login_required
def supervision_list(request, plan_pk):
    plan = _plan(request, plan_pk)
    filters = FilterForm(request.GET or None)
    state, level = "open", None
    if filters.is_valid():
        state = filters.cleaned_data["state"] or "open"
        level = filters.cleaned_data["level"] or None
    items = list(sel.supervision_items_for(request.user, plan, state=state, level=level))
    office = rules.can_run_dispatch(request.user, plan)
    units = sel.units_by_item(plan, items)
    leaders = list(sel.leaders_covering(plan)) if office else []
    for item in items:
        item.units = units.get(item.pk, [])
        item.next_level = services.next_level(item)
        item.next_label = services.STEP_LABELS.get(item.next_level)
        item.subject_url = sel.subject_url(request.user, item)
    return render(
        request,
        "dispatch/supervision_list.html",
        {
            "plan": plan,
            "groups": sel.supervision_groups(items),
            "count": len(items),
            "filters": filters,
            "state": state,
            "level": level,
            "office": office,
            "leaders": leaders,
            "ladder": _ladder(plan),
        },
    )


def _office_item(request, pk):
    item = sel.supervision_item_for(request.user, pk)
    if item is None:
        raise Http404(_("No such item."))
    if not rules.can_run_dispatch(request.user, item.plan):
        raise PermissionDenied(_("Only the plan's office handles the supervision list."))
    return item


def _back(item):
    return redirect(reverse("dispatch:supervision_list", args=[item.plan_id]) + f"#item-{item.pk}")


def _errors(exc: ValidationError) -> str:
    return "; ".join(exc.messages)


@login_required
@require_POST
def supervision_escalate(request, pk):
    item = _office_item(request, pk)
    form = EscalateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the level to escalate to."))
        return _back(item)
    try:
        item = services.supervision_escalate(actor=request.user, item=item, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(
            request, _("“%(title)s” is now %(level)s.") % {"title": item.title, "level": item.get_level_display()}
        )
    return _back(item)


@login_required
@require_POST
def supervision_escalate_to_leader(request, pk):
    item = _office_item(request, pk)
    form = LeaderForm(request.POST, plan=item.plan)
    if not form.is_valid():
        messages.error(request, _("Choose a leader whose jurisdiction covers this plan."))
        return _back(item)
    try:
        item = services.supervision_escalate_to_leader(
            actor=request.user, item=item, leader=form.cleaned_data["leader"], note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Put before %(leader)s.") % {"leader": item.escalated_to.get_username()})
    return _back(item)


@login_required
@require_POST
def supervision_resolve(request, pk):
    item = _office_item(request, pk)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say how the item was resolved."))
        return _back(item)
    try:
        services.supervision_resolve(actor=request.user, item=item, note=form.cleaned_data["note"])
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Resolved."))
    return _back(item)


@login_required
@require_POST
def supervision_scan(request, plan_pk):
    """The office runs the scan now instead of waiting for the nightly job."""
    plan = _plan(request, plan_pk)
    if not rules.can_run_dispatch(request.user, plan):
        raise PermissionDenied(_("Only the plan's office runs the scan."))
    report = services.supervision_scan_report(plan=plan, today=timezone.localdate(), actor=request.user)
    messages.success(
        request,
        _("Scan done: %(created)s new, %(raised)s raised, %(resolved)s resolved, %(sent)s reminders sent.")
        % {
            "created": report.created,
            "raised": report.raised,
            "resolved": report.resolved,
            "sent": report.notifications,
        },
    )
    return redirect("dispatch:supervision_list", plan_pk=plan.pk)


# --- notifications ----------------------------------------------------------------------------


@login_required
def notification_list(request):
    unread_only = request.GET.get("show") == "unread"
    rows = list(sel.notifications_for(request.user, unread_only=unread_only)[:200])
    return render(
        request,
        "dispatch/supervision_notifications.html",
        {"notifications": rows, "unread_only": unread_only},
    )


@login_required
@require_POST
def notification_read(request, pk):
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    services.notification_mark_read(user=request.user, notification=notification)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("dispatch:notification_list")


@login_required
@require_POST
def notifications_read_all(request):
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("%(count)s notifications marked as read.") % {"count": count})
    return redirect("dispatch:notification_list")


urlpatterns = [
    path("plans/<int:plan_pk>/supervision/", supervision_list, name="supervision_list"),
    path("plans/<int:plan_pk>/supervision/scan/", supervision_scan, name="supervision_scan"),
    path("supervision/<int:pk>/escalate/", supervision_escalate, name="supervision_escalate"),
    path("supervision/<int:pk>/leader/", supervision_escalate_to_leader, name="supervision_escalate_to_leader"),
    path("supervision/<int:pk>/resolve/", supervision_resolve, name="supervision_resolve"),
    path("notifications/", notification_list, name="notification_list"),
    path("notifications/<int:pk>/read/", notification_read, name="notification_read"),
    path("notifications/read-all/", notifications_read_all, name="notifications_read_all"),
]
