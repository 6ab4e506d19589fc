"""The ledger round trip over the API: GET the caller's ledger for a period, POST it back filled."""

from django.http import HttpResponse
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from . import ledger
from .views_ledger import ledger_response, ledger_unit, period_visible, upload_bytes, uploader_unit


class LedgerUploadInput(serializers.Serializer):
    file = serializers.FileField(help_text="The filled ledger (.xlsx), at most 5 MB.")


class LedgerUploadOutput(serializers.Serializer):
    rows = serializers.IntegerField()


class LedgerProblemOutput(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True, help_text="The row number as Excel shows it; null for the file.")
    column = serializers.CharField(help_text="Column letter and header, e.g. H（本期值）.")
    reason = serializers.CharField()


class LedgerErrorsOutput(serializers.Serializer):
    errors = LedgerProblemOutput(many=True)


@extend_schema(tags=["reports"])
class LedgerDownloadApi(APIView):
    """The caller's unit's ledger for the period as .xlsx; the office names a unit with ?unit=."""

    @extend_schema(
        parameters=[OpenApiParameter("unit", int, required=False, description="For the office: the unit.")],
        responses={(200, ledger.CONTENT_TYPE): bytes},
    )
    def get(self, request, pk: int) -> HttpResponse:
        period = period_visible(request.user, pk)
        return ledger_response(period, ledger_unit(request.user, period, request.query_params.get("unit")))


@extend_schema(tags=["reports"])
class LedgerUploadApi(APIView):
    """Read a filled ledger into the caller's unit's draft: 200 {"rows": n}, or 400 {"errors": [...]}
    with every problem and nothing saved."""

    parser_classes = [MultiPartParser]

    @extend_schema(request=LedgerUploadInput, responses={200: LedgerUploadOutput, 400: LedgerErrorsOutput})
    def post(self, request, pk: int) -> Response:
        period = period_visible(request.user, pk)
        unit = uploader_unit(request.user, period)
        try:
            rows = ledger.ledger_import(actor=request.user, data=upload_bytes(request), period=period, unit=unit)
        except ledger.LedgerRejected as exc:
            return Response({"errors": [p.as_dict() for p in exc.problems]}, status=400)
        return Response({"rows": rows})


urlpatterns = [
    path("periods/<int:pk>/ledger.xlsx", LedgerDownloadApi.as_view(), name="reports-ledger-download"),
    path("periods/<int:pk>/ledger/", LedgerUploadApi.as_view(), name="reports-ledger-upload"),
]
