"""The leader's dashboard and the league table over the API (read-only).

A jurisdiction or plan the person may not see answers 404, as if it did not exist; the scoping is
the selectors' (`jurisdictions_visible_to`: a leader sees its jurisdiction and everything below).
Rates and score parts are fractions (1 = 100 %); a unit's score is 0–100.
"""

import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors_dashboard as sel
from ..models import Period

RATE = {"max_digits": 7, "decimal_places": 4, "coerce_to_string": False}


class CountsOutput(serializers.Serializer):
    """How many indicators are in each status."""

    normal = serializers.IntegerField()
    warning = serializers.IntegerField()
    lagging = serializers.IntegerField()
    no_data = serializers.IntegerField()


def _counts(counts: dict) -> dict:
    return {t["status"]: t["count"] for t in sel.status_tiles(counts)}


class PlaceOutput(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    full_name = serializers.CharField()


class PeriodBriefOutput(serializers.ModelSerializer):
    class Meta:
        model = Period
        fields = ["id", "label", "start", "end", "due"]


class UnitBriefOutput(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()


class LeagueRowOutput(serializers.Serializer):
    rank = serializers.IntegerField()
    previous_rank = serializers.IntegerField(allow_null=True, help_text=_("Rank in the previous period."))
    change = serializers.IntegerField(allow_null=True, help_text=_("Places gained (negative: lost)."))
    unit = UnitBriefOutput()
    score = serializers.DecimalField(max_digits=6, decimal_places=2, coerce_to_string=False)
    on_time_rate = serializers.DecimalField(allow_null=True, **RATE)
    indicator_score = serializers.DecimalField(allow_null=True, **RATE)
    task_score = serializers.DecimalField(allow_null=True, **RATE)


class WeightsOutput(serializers.Serializer):
    on_time = serializers.IntegerField()
    indicators = serializers.IntegerField()
    tasks = serializers.IntegerField()


class LeagueOutput(serializers.Serializer):
    plan = serializers.IntegerField(source="plan.pk")
    title = serializers.CharField(source="plan.title")
    period = PeriodBriefOutput()
    weights = WeightsOutput(source="assessment.weights")
    formula = serializers.CharField()
    demo = serializers.BooleanField(help_text=_("The figures come from generated demonstration reports."))
    counts = CountsOutput()
    rows = LeagueRowOutput(many=True, source="league")


class RollupOutput(serializers.Serializer):
    jurisdiction = PlaceOutput()
    plan_count = serializers.IntegerField()
    counts = CountsOutput()
    mean_score = serializers.DecimalField(max_digits=6, decimal_places=2, coerce_to_string=False, allow_null=True)
    demo = serializers.BooleanField()


class PlanSummaryOutput(serializers.Serializer):
    plan = serializers.IntegerField(source="plan.pk")
    title = serializers.CharField(source="plan.title")
    period = PeriodBriefOutput(allow_null=True)
    demo = serializers.BooleanField()
    counts = CountsOutput()
    league = LeagueRowOutput(many=True)


class DashboardOutput(serializers.Serializer):
    jurisdiction = PlaceOutput(allow_null=True)
    on = serializers.DateField()
    counts = CountsOutput(help_text=_("Indicators by status over every plan here and below."))
    rollup = RollupOutput(many=True, help_text=_("The jurisdictions one level down."))
    plans = PlanSummaryOutput(many=True, help_text=_("This jurisdiction's own reporting plans."))


def formula_text(weights: dict) -> str:
    return _(
        "score = %(on_time)s%% × on-time reporting rate + %(indicators)s%% × indicator score + "
        "%(tasks)s%% × task score; on track counts 1, warning 0.5, lagging or no data 0"
    ) % {"on_time": weights["on_time"], "indicators": weights["indicators"], "tasks": weights["tasks"]}


def _int_query(request, name):
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except ValueError:
        raise serializers.ValidationError({name: _("A whole number is required.")}) from None


def _date_query(request, name):
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise serializers.ValidationError({name: _("A date as YYYY-MM-DD is required.")}) from None


@extend_schema(tags=["dispatch"])
class DashboardApi(APIView):
    """Indicator status of a jurisdiction at a glance: counts, the jurisdictions below rolled up, and
    each of its own plans' counts and league table in the latest period ended by `on`."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "jurisdiction", OpenApiTypes.INT, description=_("Default: your own; an administrator: the top.")
            ),
            OpenApiParameter("on", OpenApiTypes.DATE, description=_("Default: today.")),
        ],
        responses=DashboardOutput,
    )
    def get(self, request):
        on = _date_query(request, "on")
        pk = _int_query(request, "jurisdiction")
        if pk is None:
            jurisdiction = sel.home_jurisdiction(request.user)
            if jurisdiction is None and not sel.dashboard_jurisdictions(request.user).exists():
                raise Http404
        else:
            jurisdiction = get_object_or_404(sel.dashboard_jurisdictions(request.user), pk=pk)
        total, rollup = sel.child_rollup(request.user, jurisdiction, on)
        plans = []
        for plan in sel.reporting_plans(jurisdiction) if jurisdiction else []:
            panel = sel.plan_panel(request.user, plan, sel.default_period(plan, on), on=on, with_details=False)
            counts = panel.assessment.counts if panel.assessment else {}
            plans.append(
                {
                    "plan": plan,
                    "period": panel.period,
                    "demo": panel.demo,
                    "counts": _counts(counts),
                    "league": panel.league,
                }
            )
        if total is not None:
            counts = total["counts"]
        else:  # nothing below to roll up (or the top of an administrator's tree): add up what is shown
            counts = {}
            for part in [r["counts"] for r in rollup] + [p["counts"] for p in plans]:
                for status, count in part.items():
                    counts[status] = counts.get(status, 0) + count
        for row in rollup:
            row["counts"] = _counts(row["counts"])
        data = {"jurisdiction": jurisdiction, "on": on, "counts": _counts(counts), "rollup": rollup, "plans": plans}
        return Response(DashboardOutput(data).data)


@extend_schema(tags=["dispatch"])
class LeagueApi(APIView):
    """A plan's league table (晾晒榜) for a period: rank, score and its parts, change in rank, weights."""

    @extend_schema(
        parameters=[
            OpenApiParameter("period", OpenApiTypes.INT, description=_("Default: the latest period that has ended."))
        ],
        responses=LeagueOutput,
    )
    def get(self, request, pk: int):
        on = timezone.localdate()
        plan = get_object_or_404(sel.dashboard_plans_visible_to(request.user), pk=pk)
        period_pk = _int_query(request, "period")
        period = (
            sel.default_period(plan, on) if period_pk is None else get_object_or_404(Period, plan=plan, pk=period_pk)
        )
        if period is None:
            raise Http404
        panel = sel.plan_panel(request.user, plan, period, on=on, with_details=False)
        data = {
            "plan": plan,
            "period": period,
            "assessment": panel.assessment,
            "formula": formula_text(panel.assessment.weights),
            "demo": panel.demo,
            "counts": _counts(panel.assessment.counts),
            "league": panel.league,
        }
        return Response(LeagueOutput(data).data)


urlpatterns = [
    path("dashboard/", DashboardApi.as_view(), name="dispatch-dashboard"),
    path("plans/<int:pk>/league/", LeagueApi.as_view(), name="dispatch-league"),
]
