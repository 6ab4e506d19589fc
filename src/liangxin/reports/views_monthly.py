"""The monthly 专报 from the web: a form per plan and the file itself.

The file view streams the document as an attachment; the page's script fetches it with a spinner
and hands it over through a blob URL, and without JavaScript the same link downloads directly.
Who may: the plan's office and leaders over it (`can_view_plan`, not reporters: 403); a plan the
person may not see answers 404.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.translation import gettext as _

from liangxin.core.enums import Role
from liangxin.dispatch.models import Period
from liangxin.dispatch.rules import can_view_plan
from liangxin.plans.models import Plan

from .monthly import MonthlyReportError, monthly_report_docx, monthly_report_pdf, report_filename
from .pdf import PdfError

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def can_generate_report(user, plan) -> bool:
    """The plan's office and leaders: everyone who may see the plan except unit reporters."""
    return can_view_plan(user, plan) and (user.is_superuser or user.role != Role.REPORTER)


def plan_for_report(user, pk: int) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("jurisdiction"), pk=pk)
    if not can_view_plan(user, plan):
        raise Http404
    if not can_generate_report(user, plan):
        raise PermissionDenied(_("The monthly report is for the task force office and the leaders."))
    return plan


def report_response(plan: Plan, period: Period, fmt: str) -> HttpResponse:
    """The document as an attachment; a PdfError or MonthlyReportError is the caller's to answer."""
    content = monthly_report_pdf(plan, period) if fmt == "pdf" else monthly_report_docx(plan, period)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    from django.utils.encoding import escape_uri_path

    name = report_filename(plan, period, fmt)
    response["Content-Disposition"] = f"attachment; filename=\"report.{fmt}\"; filename*=UTF-8''{escape_uri_path(name)}"
    return response


@login_required
def monthly_page(request, pk):
    plan = plan_for_report(request.user, pk)
    periods = list(Period.objects.filter(plan=plan).order_by("start").annotate(counts=Count("submissions")))
    return render(request, "reports/monthly_page.html", {"plan": plan, "periods": periods})


@login_required
def monthly_file(request, pk):
    plan = plan_for_report(request.user, pk)
    fmt = request.GET.get("format", "docx")
    if fmt not in CONTENT_TYPES:
        return HttpResponse(_("Ask for format=docx or format=pdf."), status=400, content_type="text/plain")
    period = Period.objects.filter(plan=plan, pk=request.GET.get("period") or 0).first()
    if period is None:
        period = Period.objects.filter(plan=plan, label=request.GET.get("label", "")).first()
    if period is None:
        return HttpResponse(_("Choose one of the plan's reporting periods."), status=400, content_type="text/plain")
    try:
        return report_response(plan, period, fmt)
    except (MonthlyReportError, PdfError) as exc:
        return HttpResponse(str(exc), status=503 if isinstance(exc, PdfError) else 400, content_type="text/plain")


urlpatterns = [
    path("plans/<int:pk>/monthly/", monthly_page, name="monthly"),
    path("plans/<int:pk>/monthly/file/", monthly_file, name="monthly_file"),
]
