"""Sites: list with filters, detail, create, update, status change, route, export and import."""

from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from liangxin.core.api import EnumField
from liangxin.core.api_calls import call_service
from liangxin.core.models import Unit
from liangxin.core.services import DomainError

from .. import rules, selectors, services, sheets
from ..enums import Category, Datum, SiteLevel, SiteStatus
from ..models import Site
from ..validators import validate_hours
from .common import NetworkInput, network_of


class StopOutput(serializers.Serializer):
    position = serializers.IntegerField()
    place = serializers.CharField()
    lat = serializers.DecimalField(max_digits=9, decimal_places=6)
    lng = serializers.DecimalField(max_digits=9, decimal_places=6)
    schedule = serializers.CharField()


class SiteOutput(serializers.ModelSerializer):
    level = EnumField(SiteLevel, read_only=True)
    status = EnumField(SiteStatus, read_only=True)
    datum = EnumField(Datum, read_only=True)
    jurisdiction_name = serializers.CharField(source="jurisdiction.full_name", read_only=True)
    town_name = serializers.CharField(source="town.name", default=None, read_only=True)
    operator_name = serializers.CharField(source="operator.name", default=None, read_only=True)
    operator_uscc = serializers.CharField(source="operator.uscc", default=None, read_only=True)
    responsible_unit_name = serializers.CharField(source="responsible_unit.name", default=None, read_only=True)
    stops = StopOutput(many=True, read_only=True)

    class Meta:
        model = Site
        fields = [
            "id",
            "jurisdiction",
            "jurisdiction_name",
            "town",
            "town_name",
            "level",
            "name",
            "operator",
            "operator_name",
            "operator_uscc",
            "address",
            "lat",
            "lng",
            "datum",
            "gcj_lat",
            "gcj_lng",
            "wgs_lat",
            "wgs_lng",
            "hours",
            "phone",
            "categories",
            "two_networks",
            "status",
            "status_since",
            "responsible_unit",
            "responsible_unit_name",
            "notes",
            "stops",
            "created_at",
            "updated_at",
        ]


class SiteFilterInput(NetworkInput):
    level = EnumField(SiteLevel, required=False)
    status = EnumField(SiteStatus, required=False)
    category = EnumField(Category, required=False, help_text="Sites accepting this category.")
    town = serializers.IntegerField(required=False, min_value=1, help_text="Id of a town or sub-district.")
    two_networks = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="两网融合 sites only (true) or the others (false)."
    )
    q = serializers.CharField(required=False, help_text="Name, address or operator contains.")


def _filtered(request):
    place = network_of(request)
    data = SiteFilterInput(data=request.query_params)
    data.is_valid(raise_exception=True)
    v = data.validated_data
    sites = selectors.sites_visible_to(request.user).filter(jurisdiction__tree_path__startswith=place.tree_path)
    town = selectors.towns_of(place).filter(pk=v["town"]).first() if v.get("town") else None
    if v.get("town") and town is None:
        raise NotFound(_("No such town."))
    return place, selectors.sites_filtered(
        sites,
        level=v.get("level", ""),
        status=v.get("status", ""),
        category=v.get("category", ""),
        town=town,
        two_networks=v.get("two_networks"),
        q=v.get("q", ""),
    ).prefetch_related("stops")


@extend_schema(tags=["recycling"], parameters=[SiteFilterInput])
class SiteListApi(generics.ListAPIView):
    """The sites of a network the caller sees, filtered."""

    serializer_class = SiteOutput

    def get_queryset(self):
        return _filtered(self.request)[1]


class SiteInput(serializers.Serializer):
    level = EnumField(SiteLevel)
    name = serializers.CharField(max_length=200)
    town = serializers.CharField(required=False, allow_blank=True, help_text="Name of the town or sub-district.")
    address = serializers.CharField(max_length=300)
    lat = serializers.DecimalField(max_digits=9, decimal_places=6)
    lng = serializers.DecimalField(max_digits=9, decimal_places=6)
    datum = EnumField(Datum, required=False, default=Datum.GCJ02)
    operator_name = serializers.CharField(required=False, allow_blank=True, default="")
    operator_uscc = serializers.CharField(required=False, allow_blank=True, default="")
    hours = serializers.CharField(required=False, allow_blank=True, default="", validators=[validate_hours])
    phone = serializers.CharField(required=False, allow_blank=True, default="")
    categories = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    two_networks = serializers.BooleanField(required=False, default=False)
    responsible_unit = serializers.IntegerField(required=False, allow_null=True, help_text="Id of a unit.")
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class SiteCreateInput(SiteInput):
    status = EnumField(SiteStatus, required=False, default=SiteStatus.PLANNED)
    status_since = serializers.DateField(required=False)


class SiteUpdateInput(SiteInput):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.required = False
            f.default = serializers.empty


def _fields(request, place, values: dict) -> dict:
    values = dict(values)
    uscc, name = values.pop("operator_uscc", None), values.pop("operator_name", None)
    if uscc is not None or name is not None:
        values["operator"] = services.operator_resolve(
            actor=request.user, jurisdiction=place, uscc=uscc or "", name=name or ""
        )
    if "town" in values:
        values["town"] = services.town_resolve(actor=request.user, jurisdiction=place, name=values["town"] or "")
    if "responsible_unit" in values:
        pk = values["responsible_unit"]
        values["responsible_unit"] = Unit.objects.filter(pk=pk, jurisdiction=place).first() if pk else None
        if pk and values["responsible_unit"] is None:
            raise ValidationError({"responsible_unit": _("No such unit in %s.") % place.name})
    return values


@extend_schema(tags=["recycling"])
class SiteCreateApi(APIView):
    """Register a site (the office, or the responsible unit's reporters)."""

    @extend_schema(request=SiteCreateInput, responses={201: SiteOutput}, parameters=[NetworkInput])
    def post(self, request):
        place = network_of(request)
        if not rules.can_edit_network(request.user, place):
            raise PermissionDenied(_("Only the office and the responsible unit register sites."))
        data = SiteCreateInput(data=request.data)
        data.is_valid(raise_exception=True)

        def create(**values):
            return services.site_create(actor=request.user, jurisdiction=place, **_fields(request, place, values))

        site = call_service(create, errors=(DomainError,), **data.validated_data)
        return Response(SiteOutput(site).data, status=201)


def _site(request, pk) -> Site:
    site = selectors.site_for(request.user, pk)
    if site is None:
        raise NotFound()
    return site


@extend_schema(tags=["recycling"])
class SiteDetailApi(generics.RetrieveAPIView):
    serializer_class = SiteOutput

    def get_object(self):
        return _site(self.request, self.kwargs["pk"])


@extend_schema(tags=["recycling"])
class SiteUpdateApi(APIView):
    """Change a site's details (only the fields given)."""

    @extend_schema(request=SiteUpdateInput, responses=SiteOutput)
    def patch(self, request, pk: int):
        site = _site(request, pk)
        if not rules.can_edit_site(request.user, site):
            raise PermissionDenied(_("Only the office and the responsible unit edit this site."))
        data = SiteUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)

        def update(**values):
            return services.site_update(actor=request.user, site=site, **_fields(request, site.jurisdiction, values))

        site = call_service(update, errors=(DomainError,), **data.validated_data)
        return Response(SiteOutput(site).data)


class StatusInput(serializers.Serializer):
    status = EnumField(SiteStatus)
    on = serializers.DateField(help_text="The date the change took effect.")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class StatusOutput(serializers.Serializer):
    site = serializers.IntegerField(source="site_id")
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    on = serializers.DateField()
    reason = serializers.CharField()


@extend_schema(tags=["recycling"])
class SiteStatusApi(APIView):
    """Open, close or re-plan a site as of a date."""

    @extend_schema(request=StatusInput, responses={201: StatusOutput})
    def post(self, request, pk: int):
        site = _site(request, pk)
        if not rules.can_edit_site(request.user, site):
            raise PermissionDenied(_("Only the office and the responsible unit change a site's status."))
        data = StatusInput(data=request.data)
        data.is_valid(raise_exception=True)
        change = call_service(
            services.site_set_status, errors=(DomainError,), actor=request.user, site=site, **data.validated_data
        )
        return Response(StatusOutput(change).data, status=201)


class StopInput(serializers.Serializer):
    place = serializers.CharField(max_length=200)
    lat = serializers.DecimalField(max_digits=9, decimal_places=6)
    lng = serializers.DecimalField(max_digits=9, decimal_places=6)
    schedule = serializers.CharField(required=False, allow_blank=True, default="")


class RouteInput(serializers.Serializer):
    stops = StopInput(many=True)


@extend_schema(tags=["recycling"])
class SiteRouteApi(APIView):
    """Replace a mobile collection vehicle's route (stops in order, GCJ-02)."""

    @extend_schema(request=RouteInput, responses=SiteOutput)
    def put(self, request, pk: int):
        site = _site(request, pk)
        if not rules.can_edit_site(request.user, site):
            raise PermissionDenied(_("Only the office and the responsible unit edit this site."))
        data = RouteInput(data=request.data)
        data.is_valid(raise_exception=True)
        call_service(
            services.route_set, errors=(DomainError,), actor=request.user, site=site, stops=data.validated_data["stops"]
        )
        return Response(SiteOutput(Site.objects.get(pk=site.pk)).data)


@extend_schema(tags=["recycling"], parameters=[SiteFilterInput], responses={(200, sheets.XLSX_CONTENT_TYPE): bytes})
class SiteExportApi(APIView):
    """The filtered sites as an .xlsx workbook (the import's layout)."""

    def get(self, request):
        place, sites = _filtered(request)
        response = HttpResponse(sheets.sites_workbook(sites), content_type=sheets.XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(place.name + '回收网点.xlsx')}"
        return response


class UploadInput(NetworkInput):
    file = serializers.FileField(help_text="An .xlsx workbook.")


class ImportOutput(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    flagged = serializers.IntegerField()


def run_import(request, service):
    place = network_of(request)
    if not rules.can_edit_network(request.user, place):
        raise PermissionDenied(_("Only the office and the responsible unit import into this network."))
    data = UploadInput(data=request.data)
    data.is_valid(raise_exception=True)
    try:
        result = service(actor=request.user, jurisdiction=place, file=data.validated_data["file"])
    except services.ImportRejected as exc:
        return Response(
            {"detail": str(exc), "problems": [{"row": row, "message": message} for row, message in exc.problems]},
            status=400,
        )
    except (sheets.SheetError, DomainError) as exc:
        return Response({"detail": str(exc), "problems": []}, status=400)
    return Response(ImportOutput(result).data, status=201)


@extend_schema(tags=["recycling"])
class SiteImportApi(APIView):
    """Import sites from .xlsx: all or nothing; 400 lists every bad row."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": UploadInput}, responses={201: ImportOutput})
    def post(self, request):
        return run_import(request, services.sites_import)


urlpatterns_sites = [
    ("sites/", SiteListApi, "recycling-site-list"),
    ("sites/create/", SiteCreateApi, "recycling-site-create"),
    ("sites/export.xlsx", SiteExportApi, "recycling-site-export"),
    ("sites/import/", SiteImportApi, "recycling-site-import"),
    ("sites/<int:pk>/", SiteDetailApi, "recycling-site-detail"),
    ("sites/<int:pk>/update/", SiteUpdateApi, "recycling-site-update"),
    ("sites/<int:pk>/status/", SiteStatusApi, "recycling-site-status"),
    ("sites/<int:pk>/route/", SiteRouteApi, "recycling-site-route"),
]
