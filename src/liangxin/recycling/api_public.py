"""The public recycling API (/api/public/recycling/): no login, read-only, throttled per address.

- sites/: the open sites as a GeoJSON FeatureCollection (?jurisdiction=&category=&level=&town=&datum=);
- nearest/: the k nearest open sites to a point (?lat=&lng=&datum=&category=&level=&jurisdiction=&k=);
- towns/: the towns with a registered centre (?jurisdiction=), for a town picker.

Coordinates are answered in the datum asked for (wgs84 by default, as GeoJSON expects; gcj02 for
Chinese maps), and every answer names it in "datum". Bad parameters answer 400 with a message per
parameter. Only open sites appear, and nothing about people (operators' contacts, who entered a site).
"""

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from liangxin.core.models import Jurisdiction

from . import nearest
from .enums import Category, Datum, SiteLevel
from .geo import gcj02_to_wgs84, in_china


class PublicMapThrottle(AnonRateThrottle):
    """Per client address; generous for a person with a phone, a brake on scrapers."""

    scope = "recycling_public"
    rate = "120/min"


class PublicApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicMapThrottle]


def _jurisdiction_field():
    return serializers.PrimaryKeyRelatedField(
        queryset=Jurisdiction.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("The district or city (its id, as in /api/public/recycling/towns/ or /api/jurisdictions/)."),
    )


class CodeChoiceField(serializers.ChoiceField):
    """A choice answered, when wrong, with the codes that are allowed."""

    def __init__(self, *, what, **kwargs):
        self.what = what
        super().__init__(required=False, allow_blank=True, **kwargs)

    def to_internal_value(self, data):
        if data in ("", None) or str(data) in self.choices:
            return str(data) if data else ""
        raise serializers.ValidationError(
            gettext("“%(value)s” is not a known %(what)s; use one of: %(codes)s.")
            % {"value": data, "what": self.what, "codes": ", ".join(self.choices)}
        )


def _category_field():
    return CodeChoiceField(
        what=_("category"), choices=Category.choices, help_text=_("Only sites that accept this category.")
    )


def _level_field():
    return CodeChoiceField(what=_("kind of site"), choices=SiteLevel.choices)


def _datum_field():
    return serializers.ChoiceField(
        choices=Datum.choices,
        required=False,
        default=Datum.WGS84,
        error_messages={"invalid_choice": _("“{input}” is not a datum; use wgs84 (GPS) or gcj02 (Chinese maps).")},
        help_text=_("Datum of the coordinates given and answered: wgs84 (default) or gcj02."),
    )


class SitesInput(serializers.Serializer):
    jurisdiction = _jurisdiction_field()
    category = _category_field()
    level = _level_field()
    town = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    datum = _datum_field()


class NearestInput(serializers.Serializer):
    lat = serializers.FloatField(min_value=-90, max_value=90, help_text=_("Latitude in degrees."))
    lng = serializers.FloatField(min_value=-180, max_value=180, help_text=_("Longitude in degrees."))
    datum = _datum_field()
    category = _category_field()
    level = _level_field()
    jurisdiction = _jurisdiction_field()
    k = serializers.IntegerField(required=False, default=5, min_value=1, max_value=nearest.MAX_K)

    def validate(self, attrs):
        lat, lng = attrs["lat"], attrs["lng"]
        wlat, wlng = gcj02_to_wgs84(lat, lng) if attrs.get("datum") == Datum.GCJ02 else (lat, lng)
        if not in_china(wlat, wlng):
            raise serializers.ValidationError(
                {
                    "lat": gettext(
                        "The point (%(lat)s, %(lng)s) lies outside China; are latitude and longitude swapped?"
                    )
                    % {"lat": lat, "lng": lng}
                }
            )
        return attrs


class TownsInput(serializers.Serializer):
    jurisdiction = _jurisdiction_field()
    datum = _datum_field()


def _collection(features: list[dict], datum: str, **extra) -> dict:
    return {"type": "FeatureCollection", "datum": datum, **extra, "features": features}


FEATURE_COLLECTION = {
    "type": "object",
    "description": "GeoJSON FeatureCollection; `datum` names the datum of every coordinate (wgs84 or gcj02).",
}

_PARAMS = {
    "jurisdiction": OpenApiParameter("jurisdiction", OpenApiTypes.INT, description="District or city id."),
    "category": OpenApiParameter("category", OpenApiTypes.STR, enum=Category.values),
    "level": OpenApiParameter("level", OpenApiTypes.STR, enum=SiteLevel.values),
    "datum": OpenApiParameter("datum", OpenApiTypes.STR, enum=Datum.values, default=Datum.WGS84),
}


class SitesApi(PublicApi):
    @extend_schema(
        summary="Open recycling sites (GeoJSON)",
        parameters=[*_PARAMS.values(), OpenApiParameter("town", OpenApiTypes.INT)],
        responses={200: FEATURE_COLLECTION},
        tags=["public"],
    )
    def get(self, request):
        params = SitesInput(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        datum = data.get("datum") or Datum.WGS84
        places = [data["jurisdiction"]] if data.get("jurisdiction") else list(nearest.public_jurisdictions())
        now = timezone.now()
        features = []
        for place in places:
            sites = nearest.open_sites(
                jurisdiction=place, category=data.get("category"), level=data.get("level"), town_id=data.get("town")
            )
            nearest.attach_routes(sites)
            features.extend(nearest.public_feature(site, now=now, datum=datum) for site in sites)
        return Response(_collection(features, datum))


class NearestApi(PublicApi):
    @extend_schema(
        summary="The nearest open recycling sites to a point (GeoJSON, with distance_m)",
        parameters=[
            OpenApiParameter("lat", OpenApiTypes.DOUBLE, required=True),
            OpenApiParameter("lng", OpenApiTypes.DOUBLE, required=True),
            OpenApiParameter("k", OpenApiTypes.INT, description="How many (1–50, default 5)."),
            *_PARAMS.values(),
        ],
        responses={200: FEATURE_COLLECTION},
        tags=["public"],
    )
    def get(self, request):
        params = NearestInput(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        datum = data.get("datum") or Datum.WGS84
        place = data.get("jurisdiction")
        found = nearest.nearest_open_sites(
            lat=data["lat"],
            lng=data["lng"],
            datum=datum,
            k=data["k"],
            category=data.get("category") or None,
            level=data.get("level") or None,
            jurisdiction_id=place.pk if place else None,
        )
        now = timezone.now()
        features = [nearest.public_feature(site, now=now, datum=datum, distance_m=metres) for site, metres in found]
        query = {"lat": data["lat"], "lng": data["lng"], "k": data["k"], "category": data.get("category") or None}
        return Response(_collection(features, datum, query=query))


class TownsApi(PublicApi):
    @extend_schema(
        summary="Towns with a registered centre",
        parameters=[_PARAMS["jurisdiction"], _PARAMS["datum"]],
        responses={200: {"type": "object"}},
        tags=["public"],
    )
    def get(self, request):
        params = TownsInput(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        datum = data.get("datum") or Datum.WGS84
        places = [data["jurisdiction"]] if data.get("jurisdiction") else list(nearest.public_jurisdictions())
        towns = []
        for place in places:
            for row in nearest.town_centres(jurisdiction=place, datum=datum):
                towns.append({**row, "jurisdiction": {"id": place.pk, "name": place.name}})
        return Response({"datum": datum, "towns": towns})
