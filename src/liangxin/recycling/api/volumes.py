"""Monthly returns: list, enter, confirm a flagged one, import; totals per month and category."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from liangxin.core.api import EnumField
from liangxin.core.api_calls import call_service
from liangxin.core.services import DomainError

from .. import rules, selectors, services
from ..enums import CATEGORY_UNIT, Category, ReturnState
from ..models import VolumeReturn
from .common import NetworkInput, network_of
from .sites import ImportOutput, UploadInput, run_import


class ReturnOutput(serializers.ModelSerializer):
    category = EnumField(Category, read_only=True)
    state = EnumField(ReturnState, read_only=True)
    site_name = serializers.CharField(source="site.name", read_only=True)
    entered_by = serializers.CharField(source="entered_by.username", default=None, read_only=True)
    confirmed_by = serializers.CharField(source="confirmed_by.username", default=None, read_only=True)

    class Meta:
        model = VolumeReturn
        fields = [
            "id",
            "site",
            "site_name",
            "month",
            "category",
            "quantity",
            "unit",
            "state",
            "flag_reason",
            "confirm_reason",
            "entered_by",
            "entered_at",
            "confirmed_by",
            "confirmed_at",
        ]


class ReturnFilterInput(NetworkInput):
    month = serializers.DateField(required=False, input_formats=["%Y-%m", "%Y-%m-%d"], help_text="2025-03")
    category = EnumField(Category, required=False)
    state = EnumField(ReturnState, required=False)
    site = serializers.IntegerField(required=False, min_value=1)


@extend_schema(tags=["recycling"], parameters=[ReturnFilterInput])
class ReturnListApi(generics.ListAPIView):
    serializer_class = ReturnOutput

    def get_queryset(self):
        place = network_of(self.request)
        data = ReturnFilterInput(data=self.request.query_params)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        returns = selectors.returns_visible_to(self.request.user).filter(
            site__jurisdiction__tree_path__startswith=place.tree_path
        )
        if v.get("month"):
            returns = returns.filter(month=v["month"].replace(day=1))
        for key in ("category", "state"):
            if v.get(key):
                returns = returns.filter(**{key: v[key]})
        if v.get("site"):
            returns = returns.filter(site_id=v["site"])
        return returns.order_by("-month", "site_id", "category")


class ReturnEnterInput(serializers.Serializer):
    site = serializers.IntegerField(min_value=1)
    month = serializers.DateField(input_formats=["%Y-%m", "%Y-%m-%d"], help_text="2025-03")
    category = EnumField(Category)
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3)
    unit = serializers.CharField(required=False, allow_blank=True, help_text="台, 吨, 辆 or 件; the category's unit.")


@extend_schema(tags=["recycling"])
class ReturnEnterApi(APIView):
    """Enter (or correct) a site's return for a month and category; a spike comes back flagged."""

    @extend_schema(request=ReturnEnterInput, responses={201: ReturnOutput})
    def post(self, request):
        data = ReturnEnterInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        site = selectors.site_for(request.user, values.pop("site"))
        if site is None:
            raise NotFound(_("No such site."))
        if not rules.can_enter_returns(request.user, site):
            raise PermissionDenied(_("Only the office and the responsible unit enter returns."))
        ret = call_service(services.return_enter, errors=(DomainError,), actor=request.user, site=site, **values)
        return Response(ReturnOutput(ret).data, status=201)


class ConfirmInput(serializers.Serializer):
    reason = serializers.CharField(max_length=300, help_text="Why the figure is right.")


@extend_schema(tags=["recycling"])
class ReturnConfirmApi(APIView):
    """Confirm a flagged return with a reason; from then on it counts."""

    @extend_schema(request=ConfirmInput, responses=ReturnOutput)
    def post(self, request, pk: int):
        ret = selectors.returns_visible_to(request.user).filter(pk=pk).first()
        if ret is None:
            raise NotFound()
        if not rules.can_confirm_return(request.user, ret):
            raise PermissionDenied(_("Only the office or the unit entering the site's returns confirms them."))
        data = ConfirmInput(data=request.data)
        data.is_valid(raise_exception=True)
        ret = call_service(
            services.return_confirm, errors=(DomainError,), actor=request.user, ret=ret, **data.validated_data
        )
        return Response(ReturnOutput(ret).data)


@extend_schema(tags=["recycling"])
class ReturnImportApi(APIView):
    """Import monthly returns from .xlsx (站点编号, 月份, 品类, 数量, 单位): all or nothing."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": UploadInput}, responses={201: ImportOutput})
    def post(self, request):
        return run_import(request, services.returns_import)


def _strings(values: dict) -> dict:
    return {c: str(v) for c, v in values.items()}


class TotalsInput(NetworkInput):
    first = serializers.DateField(required=False, input_formats=["%Y-%m", "%Y-%m-%d"], help_text="2024-01")
    last = serializers.DateField(required=False, input_formats=["%Y-%m", "%Y-%m-%d"], help_text="2025-12")


@extend_schema(tags=["recycling"], parameters=[TotalsInput])
class TotalsApi(APIView):
    """Counted quantities per month and category, per year, and the 2023 baseline (from 2023's returns
    or, without them, the plan's baseline text)."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        place = network_of(request)
        data = TotalsInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        today = timezone.localdate()
        last = data.validated_data.get("last") or today
        last = (last.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
        first = (data.validated_data.get("first") or datetime.date(last.year - 1, 1, 1)).replace(day=1)
        table = selectors.totals(place, first=first, last=last)
        return Response(
            {
                "jurisdiction": place.pk,
                "first": first,
                "last": last,
                "units": {c: CATEGORY_UNIT[c] for c in table.categories},
                "months": [{"month": f"{m:%Y-%m}", "totals": _strings(v)} for m, v in table.rows],
                "years": [{"year": y, "totals": _strings(v)} for y, v in table.years],
                "baseline": {c: {"year": 2023, "amount": str(a), "source": s} for c, (a, s) in table.baseline.items()},
                "pending_confirmation": table.pending,
            }
        )


urlpatterns_volumes = [
    ("returns/", ReturnListApi, "recycling-return-list"),
    ("returns/enter/", ReturnEnterApi, "recycling-return-enter"),
    ("returns/import/", ReturnImportApi, "recycling-return-import"),
    ("returns/<int:pk>/confirm/", ReturnConfirmApi, "recycling-return-confirm"),
    ("totals/", TotalsApi, "recycling-totals"),
]
