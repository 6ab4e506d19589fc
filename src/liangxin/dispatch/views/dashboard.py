"""The leader's dashboard (drill-down from a city to a district, a plan and a unit) and the league
table page (晾晒榜) with its export. Read-only: whoever may see a jurisdiction may see its figures;
anything outside answers 404."""

import csv
import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import selectors_dashboard as sel
from ..models import Period


def _int_param(request, name):
    raw = request.GET.get(name)
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except ValueError:
        raise Http404(_("No such %(name)s.") % {"name": name}) from None


def _on(request):
    """The date the figures are as of: ?on=YYYY-MM-DD (looking back), else today."""
    raw = request.GET.get("on")
    if not raw:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise Http404(_("Dates are written YYYY-MM-DD.")) from None


def _period(request, plan, on):
    """The period asked for (it must be the plan's), else the latest that has ended."""
    pk = _int_param(request, "period")
    if pk is None:
        return sel.default_period(plan, on)
    return get_object_or_404(Period, plan=plan, pk=pk)


@login_required
def dashboard(request):
    on = _on(request)
    pk = _int_param(request, "jurisdiction")
    if pk is None:
        jurisdiction = sel.home_jurisdiction(request.user)
    else:
        jurisdiction = get_object_or_404(sel.dashboard_jurisdictions(request.user), pk=pk)
    if jurisdiction is None and not sel.dashboard_jurisdictions(request.user).exists():
        raise Http404(_("You have no jurisdiction to follow."))

    plans = list(sel.reporting_plans(jurisdiction)) if jurisdiction else []
    plan_pk = _int_param(request, "plan")
    plan = next((p for p in plans if p.pk == plan_pk), None) if plan_pk else (plans[0] if plans else None)
    if plan_pk and plan is None:
        raise Http404(_("No such plan here."))
    panel = sel.plan_panel(request.user, plan, _period(request, plan, on), on=on) if plan else None
    total, children = sel.child_rollup(request.user, jurisdiction, on)
    context = {
        "jurisdiction": jurisdiction,
        "crumbs": sel.crumbs(request.user, jurisdiction) if jurisdiction else [],
        "choices": sel.dashboard_jurisdictions(request.user),
        "total": total,
        "children": children,
        "plans": plans,
        "unscheduled": list(sel.plans_without_calendar(jurisdiction)) if jurisdiction else [],
        "panel": panel,
        "on": on,
        "on_param": request.GET.get("on") and on.isoformat(),
        "on_query": f"&on={on.isoformat()}" if request.GET.get("on") else "",
    }
    return render(request, "dispatch/dashboard_page.html", context)


@login_required
def dashboard_unit(request, plan_pk, unit_pk):
    on = _on(request)
    plan = get_object_or_404(sel.dashboard_plans_visible_to(request.user), pk=plan_pk)
    unit = get_object_or_404(sel.plan_units(plan), pk=unit_pk)
    period = _period(request, plan, on)
    if period is None:
        raise Http404(_("This plan has no reporting periods yet."))
    context = {
        "panel": sel.unit_panel(request.user, plan, period, unit),
        "periods": sel.periods_until(plan, on),
        "crumbs": sel.crumbs(request.user, plan.jurisdiction),
        "demo": sel.has_demo_data(plan),
    }
    return render(request, "dispatch/dashboard_unit.html", context)


def _league(request, pk):
    on = _on(request)
    plan = get_object_or_404(sel.dashboard_plans_visible_to(request.user), pk=pk)
    period = _period(request, plan, on)
    if period is None:
        raise Http404(_("This plan has no reporting periods yet."))
    return sel.plan_panel(request.user, plan, period, on=on, with_details=False)


@login_required
def league(request, pk):
    panel = _league(request, pk)
    context = {"panel": panel, "crumbs": sel.crumbs(request.user, panel.plan.jurisdiction)}
    return render(request, "dispatch/league_page.html", context)


@login_required
def league_csv(request, pk):
    """The league table as a spreadsheet (UTF-8 with a byte-order mark, which Excel needs for Chinese)."""
    panel = _league(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="league-{panel.plan.pk}-{panel.period.label}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Rank"),
            _("Unit"),
            _("Score"),
            _("Previous rank"),
            _("On-time reporting (%)"),
            _("Indicator score (%)"),
            _("Task score (%)"),
        ]
    )

    def pct(value):
        return "" if value is None else sel.figure(value)

    for row in panel.league:
        writer.writerow(
            [
                row["rank"],
                row["unit"].name,
                row["score"],
                row["previous_rank"] if row["previous_rank"] is not None else "",
                pct(row["on_time_pct"]),
                pct(row["indicator_pct"]),
                pct(row["task_pct"]),
            ]
        )
    return response


urlpatterns = [
    path("dashboard/", dashboard, name="dashboard"),
    path("dashboard/plans/<int:plan_pk>/units/<int:unit_pk>/", dashboard_unit, name="dashboard_unit"),
    path("plans/<int:pk>/league/", league, name="league"),
    path("plans/<int:pk>/league.csv", league_csv, name="league_csv"),
]
