"""GET /api/reports/plans/<id>/monthly/?period=2025-03&format=docx|pdf: the monthly 专报 as a file.

Same rules as the web: the plan's office and leaders; reporters 403; a plan the person may not
see 404. `period` is the period's label (2025-03, 2025Q1, 2025-03上旬) or its id.
"""

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.views import APIView

from liangxin.dispatch.models import Period

from .monthly import MonthlyReportError
from .pdf import PdfError
from .views_monthly import CONTENT_TYPES, plan_for_report, report_response


class PdfUnavailable(APIException):
    status_code = 503
    default_code = "pdf_unavailable"


class MonthlyReportApi(APIView):
    def perform_content_negotiation(self, request, force=False):
        # ?format= names the file's format here, not a DRF renderer: without force, DRF would
        # answer 404 for a format it cannot render. Errors still come out as JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        summary="The monthly report (专报) of a plan's period as .docx or .pdf",
        parameters=[
            OpenApiParameter("period", str, required=True, description="Period label (2025-03) or id."),
            OpenApiParameter("format", str, enum=["docx", "pdf"], description="Default docx."),
        ],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    def get(self, request, pk):
        plan = plan_for_report(request.user, pk)
        fmt = request.query_params.get("format", "docx")
        if fmt not in CONTENT_TYPES:
            raise ValidationError({"format": _("Ask for format=docx or format=pdf.")})
        raw = request.query_params.get("period", "")
        periods = Period.objects.filter(plan=plan)
        period = periods.filter(label=raw).first() or (periods.filter(pk=raw).first() if raw.isdigit() else None)
        if period is None:
            raise ValidationError({"period": _("Choose one of the plan's reporting periods.")})
        try:
            return report_response(plan, period, fmt)
        except MonthlyReportError as exc:
            raise ValidationError({"period": str(exc)}) from None
        except PdfError as exc:
            raise PdfUnavailable(str(exc)) from None


urlpatterns = [
    path("plans/<int:pk>/monthly/", MonthlyReportApi.as_view(), name="reports-monthly"),
]
