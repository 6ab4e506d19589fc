"""Coverage (open sites by level and town on a date, the monthly series against the plan) and gaps."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from liangxin.core.api_calls import call_service
from liangxin.core.services import DomainError

from .. import rules, selectors, services
from ..models import TownCentre
from .common import NetworkInput, network_of, number


class CoverageInput(NetworkInput):
    on = serializers.DateField(required=False, help_text="The day counted (default today).")
    since = serializers.DateField(required=False, help_text="First month of the series (default two years back).")


@extend_schema(tags=["recycling"], parameters=[CoverageInput])
class CoverageApi(APIView):
    """Open sites by level and town on a day, the series of month ends, and the plan's targets."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        place = network_of(request)
        data = CoverageInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        on = data.validated_data.get("on") or timezone.localdate()
        since = data.validated_data.get("since") or datetime.date(on.year - 2, 1, 1)
        cov = selectors.coverage_on(place, on)
        targets = selectors.plan_targets(place)
        return Response(
            {
                "jurisdiction": place.pk,
                "on": on,
                "totals": cov.totals,
                "total": cov.total,
                "towns": [
                    {
                        "town": r.town.pk if r.town else None,
                        "name": r.town.name if r.town else None,
                        "counts": r.counts,
                        "total": r.total,
                    }
                    for r in cov.rows
                ],
                "targets": {
                    "indicator": targets.indicator.pk if targets.indicator else None,
                    "points": {str(y): number(v) for y, v in sorted(targets.points.items())},
                    "sorting": {str(y): number(v) for y, v in sorted(targets.sorting.items())},
                },
                "series": [
                    {
                        "month_end": r.month_end,
                        "points": r.points,
                        "sorting": r.sorting,
                        "transfer": r.transfer,
                        "all_open": r.all_open,
                        "points_target": number(r.points_target),
                        "sorting_target": number(r.sorting_target),
                    }
                    for r in selectors.coverage_series(place, since, on)
                ],
            }
        )


class GapsInput(NetworkInput):
    km = serializers.DecimalField(
        required=False, max_digits=6, decimal_places=2, min_value=Decimal("0.1"), help_text="Distance (default 3 km)."
    )


@extend_schema(tags=["recycling"], parameters=[GapsInput])
class GapsApi(APIView):
    """Towns whose centre has no open collection point within km, farthest first, with the nearest one."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        place = network_of(request)
        data = GapsInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        km = data.validated_data.get("km") or Decimal(3)
        found, _all = selectors.gaps(place, km=km)
        return Response(
            {
                "jurisdiction": place.pk,
                "km": number(km),
                "gaps": [
                    {
                        "town": g.centre.town_id,
                        "name": g.centre.town.name,
                        "centre": {"lat": g.centre.lat, "lng": g.centre.lng},
                        "population": g.centre.population,
                        "nearest_site": g.nearest.pk if g.nearest else None,
                        "nearest_name": g.nearest.name if g.nearest else None,
                        "distance_km": number(g.distance_km, keep=True),
                    }
                    for g in found
                ],
            }
        )


class TownOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    lat = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    lng = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    population = serializers.IntegerField(allow_null=True)


def _town_rows(place):
    towns = list(selectors.towns_of(place))
    centres = {c.town_id: c for c in TownCentre.objects.filter(town__in=towns)}
    return [
        {
            "id": t.pk,
            "name": t.name,
            "lat": getattr(centres.get(t.pk), "lat", None),
            "lng": getattr(centres.get(t.pk), "lng", None),
            "population": getattr(centres.get(t.pk), "population", None),
        }
        for t in towns
    ]


@extend_schema(tags=["recycling"], parameters=[NetworkInput])
class TownListApi(APIView):
    """The towns of a network with their centres (GCJ-02)."""

    @extend_schema(responses=TownOutput(many=True))
    def get(self, request):
        return Response(TownOutput(_town_rows(network_of(request)), many=True).data)


class TownCentreInput(NetworkInput):
    town = serializers.CharField(help_text="Name of the town (a new name ending in 镇, 乡 or 街道 creates it).")
    lat = serializers.DecimalField(max_digits=9, decimal_places=6)
    lng = serializers.DecimalField(max_digits=9, decimal_places=6)
    population = serializers.IntegerField(required=False, allow_null=True, min_value=0)


@extend_schema(tags=["recycling"])
class TownCentreApi(APIView):
    """Set a town's centre, from which coverage gaps are measured."""

    @extend_schema(request=TownCentreInput, responses=TownOutput)
    def put(self, request):
        place = network_of(request)
        if not rules.can_edit_network(request.user, place):
            raise PermissionDenied(_("Only the office and the responsible unit edit the towns."))
        data = TownCentreInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data

        @transaction.atomic
        def set_centre():
            town = services.town_resolve(actor=request.user, jurisdiction=place, name=v["town"])
            return services.town_centre_set(
                actor=request.user, town=town, lat=v["lat"], lng=v["lng"], population=v.get("population")
            )

        centre = call_service(set_centre, errors=(DomainError,))
        row = next(r for r in _town_rows(place) if r["id"] == centre.town_id)
        return Response(TownOutput(row).data)


urlpatterns_network = [
    ("towns/", TownListApi, "recycling-town-list"),
    ("towns/centre/", TownCentreApi, "recycling-town-centre"),
    ("coverage/", CoverageApi, "recycling-coverage"),
    ("gaps/", GapsApi, "recycling-gaps"),
]
