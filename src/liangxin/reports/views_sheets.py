"""The spreadsheet downloads (.xlsx) next to the plans' tables.

Who may download what: a plan's public tables (indicator comparison, task division, league) go to
whoever may see the plan (`can_view_plan`, the jurisdiction's reporters too); the 旬调度 sheet of
a period, which shows every unit's reports, to the office and leaders only. A plan or period of
another jurisdiction answers 404, as if it did not exist.
"""

import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _

from liangxin.core.enums import Role
from liangxin.dispatch import rules
from liangxin.dispatch.models import Period, ReportingCalendar
from liangxin.plans.models import Plan
from liangxin.plans.selectors import plans_visible_to

from . import sheets

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(body: bytes, filename: str) -> FileResponse:
    """The workbook as an attachment; FileResponse writes the Chinese name RFC 5987-encoded."""
    return FileResponse(io.BytesIO(body), as_attachment=True, filename=filename, content_type=XLSX)


def visible_plan(user, pk) -> Plan:
    plan = get_object_or_404(plans_visible_to(user), pk=pk)
    if not rules.can_view_plan(user, plan):
        raise PermissionDenied(_("You may not see this plan."))
    return plan


def plan_period(plan: Plan, raw, *, required: bool) -> Period | None:
    """?period=<id> (it must be the plan's), else the latest period ended by today (a plan with a
    reporting calendar only). With `required`, a plan without any such period answers 404."""
    if raw not in (None, ""):
        try:
            pk = int(raw)
        except (TypeError, ValueError):
            raise Http404(_("No such period.")) from None
        return get_object_or_404(Period, plan=plan, pk=pk)
    period = None
    if ReportingCalendar.objects.filter(plan=plan).exists():
        period = sheets.default_period(plan)
    if period is None and required:
        raise Http404(_("This plan has no reporting period that has ended yet."))
    return period


def can_see_period_sheet(user, plan) -> bool:
    """The office and leaders: the sheet shows every unit's reports, which reporters do not see."""
    return rules.can_run_dispatch(user, plan) or (user.role == Role.LEADER and rules.can_view_plan(user, plan))


def period_for_sheet(user, pk) -> Period:
    period = get_object_or_404(Period.objects.select_related("plan__jurisdiction"), pk=pk)
    visible_plan(user, period.plan_id)
    if not can_see_period_sheet(user, period.plan):
        raise PermissionDenied(_("Only the task force office and leaders may download the dispatch sheet."))
    return period


# The builders are shared with the API (api_sheets): each takes the user, the ids and the query.


def indicator_download(user, pk, query) -> FileResponse:
    plan = visible_plan(user, pk)
    period = plan_period(plan, query.get("period"), required=False)
    return xlsx_response(sheets.indicator_sheet(plan, period), sheets.sheet_filename(plan, "指标对比表", period))


def division_download(user, pk, query) -> FileResponse:
    plan = visible_plan(user, pk)
    return xlsx_response(sheets.division_sheet(plan), sheets.sheet_filename(plan, "主要工作任务分工表"))


def period_download(user, pk, query) -> FileResponse:
    period = period_for_sheet(user, pk)
    return xlsx_response(sheets.period_sheet(period), sheets.sheet_filename(period.plan, "调度表", period))


def league_download(user, pk, query) -> FileResponse:
    plan = visible_plan(user, pk)
    period = plan_period(plan, query.get("period"), required=True)
    return xlsx_response(sheets.league_sheet(plan, period), sheets.sheet_filename(plan, "晾晒榜", period))


@login_required
def indicator_sheet(request, pk):
    return indicator_download(request.user, pk, request.GET)


@login_required
def division_sheet(request, pk):
    return division_download(request.user, pk, request.GET)


@login_required
def period_sheet(request, pk):
    return period_download(request.user, pk, request.GET)


@login_required
def league_sheet(request, pk):
    return league_download(request.user, pk, request.GET)


urlpatterns = [
    path("plans/<int:pk>/indicators.xlsx", indicator_sheet, name="indicator_sheet"),
    path("plans/<int:pk>/division.xlsx", division_sheet, name="division_sheet"),
    path("plans/<int:pk>/league.xlsx", league_sheet, name="league_sheet"),
    path("periods/<int:pk>/dispatch.xlsx", period_sheet, name="period_sheet"),
]
