"""Matchmaking events (供需对接会) in the browser: the list with the overall results, an event's
invitations, attendance and outcomes, and the forms to record them. The office of the event's
jurisdiction writes; leaders above and colleagues of the jurisdiction read; anyone else 404.
"""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from liangxin.core.models import Unit
from liangxin.core.selectors import jurisdictions_managed_by, jurisdictions_visible_to
from liangxin.core.services import DomainError

from .. import rules_matching as access
from ..enums import InvitationSide, OutcomeState
from ..models import Enterprise, MatchEvent, MatchInvitation, MatchOutcome
from ..services import events as services


class EventForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    held_on = forms.DateField(label=gettext_lazy("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200, required=False)
    organiser = forms.ModelChoiceField(label=gettext_lazy("Organiser"), queryset=Unit.objects.none(), required=False)
    notes = forms.CharField(label=gettext_lazy("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, jurisdiction, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = Unit.objects.filter(jurisdiction=jurisdiction)


class InviteForm(forms.Form):
    enterprise = forms.CharField(
        label=gettext_lazy("Enterprise (credit code or name)"), max_length=200, help_text=gettext_lazy("exact")
    )
    side = forms.ChoiceField(label=gettext_lazy("Side"), choices=InvitationSide.choices)


class StateForm(forms.Form):
    state = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=OutcomeState.choices)
    amount_wan = forms.DecimalField(
        label=gettext_lazy("Amount (10k yuan)"), required=False, min_value=Decimal("0"), decimal_places=2
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=500)


def _event(request, pk) -> MatchEvent:
    event = MatchEvent.objects.select_related("jurisdiction", "organiser").filter(pk=pk).first()
    if event is None or not access.can_read_events(request.user, event.jurisdiction):
        raise Http404(_("No such event."))
    return event


def _office_event(request, pk) -> MatchEvent:
    event = _event(request, pk)
    if not access.can_record_outcomes(request.user, event.jurisdiction):
        raise PermissionDenied(_("Only the office of the event's jurisdiction changes it."))
    return event


def _errors(exc) -> str:
    return "; ".join(getattr(exc, "messages", None) or [str(exc)])


@login_required
def event_list(request):
    events = MatchEvent.objects.filter(jurisdiction__in=jurisdictions_visible_to(request.user)).select_related(
        "jurisdiction", "organiser"
    )
    managed = list(jurisdictions_managed_by(request.user))
    rows = [{"event": e, "summary": services.event_summary(e)} for e in events.order_by("-held_on", "-pk")]
    if request.GET.get("format") == "xlsx":
        return _events_xlsx(rows)
    return render(
        request,
        "registry/event_list.html",
        {
            "rows": rows,
            "overall": services.overall_summary(events),
            "can_create": bool(managed),
        },
    )


def _events_xlsx(rows) -> HttpResponse:
    from io import BytesIO

    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = _("Matchmaking events")[:31]
    ws.append(
        [
            _("Held on"),
            _("Title"),
            _("Jurisdiction"),
            _("Place"),
            _("Invited"),
            _("Attended"),
            _("Contracts"),
            _("Amount (10k yuan)"),
        ]
    )
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        e, s = r["event"], r["summary"]
        ws.append(
            [
                e.held_on,
                e.title,
                e.jurisdiction.full_name,
                e.place,
                s["invited"],
                s["attended"],
                s["contracts"],
                s["contract_amount_wan"],
            ]
        )
        ws.cell(row=ws.max_row, column=1).number_format = "yyyy-mm-dd"
        ws.cell(row=ws.max_row, column=8).number_format = "0.00"
    for letter, width in zip("ABCDEFGH", (12, 36, 20, 24, 8, 8, 8, 14), strict=True):
        ws.column_dimensions[letter].width = width
    out = BytesIO()
    wb.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="matchmaking-events.xlsx"'
    return response


@login_required
def event_create(request):
    managed = list(jurisdictions_managed_by(request.user))
    if not managed:
        raise PermissionDenied(_("Only an office records matchmaking events."))
    jurisdiction = request.user.jurisdiction if request.user.jurisdiction in managed else managed[0]
    form = EventForm(request.POST or None, jurisdiction=jurisdiction)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(actor=request.user, jurisdiction=jurisdiction, **form.cleaned_data)
        except (DomainError, ValidationError) as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("The event was recorded."))
            return redirect("registry:event_detail", pk=event.pk)
    return render(request, "registry/event_form.html", {"form": form, "jurisdiction": jurisdiction})


@login_required
def event_edit(request, pk):
    event = _office_event(request, pk)
    initial = {f: getattr(event, f) for f in ("title", "held_on", "place", "organiser", "notes")}
    form = EventForm(request.POST or None, jurisdiction=event.jurisdiction, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(actor=request.user, event=event, **form.cleaned_data)
        except (DomainError, ValidationError) as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect("registry:event_detail", pk=event.pk)
    return render(
        request, "registry/event_form.html", {"form": form, "event": event, "jurisdiction": event.jurisdiction}
    )


@login_required
@require_POST
def event_delete(request, pk):
    event = _office_event(request, pk)
    try:
        services.event_delete(actor=request.user, event=event)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("registry:event_detail", pk=pk)
    messages.success(request, _("The event was deleted."))
    return redirect("registry:event_list")


@login_required
def event_detail(request, pk):
    event = _event(request, pk)
    office = access.can_record_outcomes(request.user, event.jurisdiction)
    return render(
        request,
        "registry/event_detail.html",
        {
            "event": event,
            "office": office,
            "summary": services.event_summary(event),
            "invitations": event.invitations.select_related("enterprise").order_by("side", "enterprise__name"),
            "outcomes": event.outcomes.select_related("supplier", "product", "demand", "project", "offer").order_by(
                "-at", "-pk"
            ),
            "invite_form": InviteForm() if office else None,
            "states": OutcomeState.choices,
            "sides": InvitationSide.choices,
        },
    )


def _find_enterprise(text: str) -> Enterprise | None:
    text = text.strip()
    return Enterprise.objects.filter(uscc=text.upper()).first() or Enterprise.objects.filter(name=text).first()


@login_required
@require_POST
def event_invite(request, pk):
    event = _office_event(request, pk)
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
        return redirect("registry:event_detail", pk=pk)
    enterprise = _find_enterprise(form.cleaned_data["enterprise"])
    if enterprise is None:
        messages.error(request, _("No enterprise with this credit code or name is on the lists."))
        return redirect("registry:event_detail", pk=pk)
    try:
        services.invitation_add(actor=request.user, event=event, enterprise=enterprise, side=form.cleaned_data["side"])
    except (DomainError, ValidationError) as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("%(name)s invited.") % {"name": enterprise.name})
    return redirect("registry:event_detail", pk=pk)


@login_required
@require_POST
def event_invite_matches(request):
    """From a demand's match page: invite the demand's owner and its best-matching suppliers."""
    from ..matching import demand_matches
    from ..models import Demand

    event_pk, demand_pk = request.POST.get("event", ""), request.POST.get("demand", "")
    if not (event_pk.isdigit() and demand_pk.isdigit()):
        raise Http404(_("No such event."))
    event = _office_event(request, int(event_pk))
    demand = Demand.objects.select_related("jurisdiction", "owner").filter(pk=int(demand_pk)).first()
    if demand is None or not access.can_read_demand_matches(request.user, demand):
        raise Http404(_("No such demand."))
    try:
        top = max(1, min(int(request.POST.get("top") or 5), 50))
    except ValueError:
        top = 5
    suppliers = [r.enterprise for r in demand_matches(demand, limit=top)]
    try:
        added = services.invitations_from_matches(actor=request.user, event=event, demand=demand, suppliers=suppliers)
    except (DomainError, ValidationError) as exc:
        messages.error(request, _errors(exc))
        return redirect("registry:demand_matches", pk=demand.pk)
    messages.success(request, _("%(n)d invited to %(event)s.") % {"n": len(added), "event": event.title})
    return redirect("registry:event_detail", pk=event.pk)


def _invitation(request, pk) -> MatchInvitation:
    invitation = MatchInvitation.objects.select_related("event__jurisdiction", "enterprise").filter(pk=pk).first()
    if invitation is None or not access.can_read_events(request.user, invitation.event.jurisdiction):
        raise Http404(_("No such invitation."))
    if not access.can_record_outcomes(request.user, invitation.event.jurisdiction):
        raise PermissionDenied(_("Only the office of the event's jurisdiction changes it."))
    return invitation


@login_required
@require_POST
def invitation_attendance(request, pk):
    invitation = _invitation(request, pk)
    services.invitation_set_attended(
        actor=request.user, invitation=invitation, attended=request.POST.get("attended") == "1"
    )
    return redirect("registry:event_detail", pk=invitation.event_id)


@login_required
@require_POST
def invitation_remove(request, pk):
    invitation = _invitation(request, pk)
    services.invitation_remove(actor=request.user, invitation=invitation)
    messages.success(request, _("Invitation withdrawn."))
    return redirect("registry:event_detail", pk=invitation.event_id)


@login_required
@require_POST
def outcome_set_state(request, pk):
    outcome = MatchOutcome.objects.select_related("demand__jurisdiction", "project__jurisdiction").filter(pk=pk).first()
    target = outcome and (outcome.demand or outcome.project)
    if outcome is None or not access.can_read_events(request.user, target.jurisdiction):
        raise Http404(_("No such outcome."))
    if not access.can_record_outcomes(request.user, target.jurisdiction):
        raise PermissionDenied(_("Only the office records outcomes."))
    form = StateForm(request.POST)
    if form.is_valid():
        try:
            services.outcome_set_state(actor=request.user, outcome=outcome, **form.cleaned_data)
        except (DomainError, ValidationError) as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Outcome updated."))
    else:
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
    back = request.POST.get("next", "")
    if back.startswith("/registry/"):
        return redirect(back)
    if outcome.event_id:
        return redirect("registry:event_detail", pk=outcome.event_id)
    return (
        redirect("registry:demand_matches", pk=outcome.demand_id)
        if outcome.demand_id
        else redirect("registry:event_list")
    )


urlpatterns = [
    path("events/", event_list, name="event_list"),
    path("events/new/", event_create, name="event_create"),
    path("events/<int:pk>/", event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", event_edit, name="event_edit"),
    path("events/<int:pk>/delete/", event_delete, name="event_delete"),
    path("events/<int:pk>/invite/", event_invite, name="event_invite"),
    path("events/invite-matches/", event_invite_matches, name="event_invite_matches"),
    path("invitations/<int:pk>/attendance/", invitation_attendance, name="invitation_attendance"),
    path("invitations/<int:pk>/remove/", invitation_remove, name="invitation_remove"),
    path("outcomes/<int:pk>/state/", outcome_set_state, name="outcome_set_state"),
]
