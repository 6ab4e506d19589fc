"""The spreadsheet downloads over the API: the same files and permissions as the web
(`views_sheets`), with session or token authentication. Each answers the .xlsx itself."""

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.views import APIView

from . import views_sheets as v

PERIOD = OpenApiParameter(
    "period", int, description="A period of the plan; default: the latest that has ended.", required=False
)
FILE = {(200, v.XLSX): OpenApiTypes.BINARY}


class IndicatorSheetApi(APIView):
    @extend_schema(summary="Indicator comparison table (指标对比表) as .xlsx", parameters=[PERIOD], responses=FILE)
    def get(self, request, pk):
        return v.indicator_download(request.user, pk, request.query_params)


class DivisionSheetApi(APIView):
    @extend_schema(summary="Task division table (主要工作任务分工表) as .xlsx", responses=FILE)
    def get(self, request, pk):
        return v.division_download(request.user, pk, request.query_params)


class LeagueSheetApi(APIView):
    @extend_schema(summary="League table (晾晒榜) as .xlsx", parameters=[PERIOD], responses=FILE)
    def get(self, request, pk):
        return v.league_download(request.user, pk, request.query_params)


class PeriodSheetApi(APIView):
    @extend_schema(summary="Dispatch sheet (调度表) of a period as .xlsx; office and leaders", responses=FILE)
    def get(self, request, pk):
        return v.period_download(request.user, pk, request.query_params)


urlpatterns = [
    path("plans/<int:pk>/indicators.xlsx", IndicatorSheetApi.as_view(), name="reports-indicator-sheet"),
    path("plans/<int:pk>/division.xlsx", DivisionSheetApi.as_view(), name="reports-division-sheet"),
    path("plans/<int:pk>/league.xlsx", LeagueSheetApi.as_view(), name="reports-league-sheet"),
    path("periods/<int:pk>/dispatch.xlsx", PeriodSheetApi.as_view(), name="reports-period-sheet"),
]
