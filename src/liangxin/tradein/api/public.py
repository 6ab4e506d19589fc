"""The public API (no login): remaining budgets, claim status, voucher claims and status."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from liangxin.core.api import EnumField

from .. import selectors
from ..enums import BudgetState, ClaimState, VoucherState
from ..models import Voucher, VoucherWindow
from ..services.vouchers import VoucherRefused, quota_remaining, voucher_claim
from .common import SmallBodyMixin

TAGS = ["public"]


class PublicMixin(SmallBodyMixin):
    authentication_classes = ()
    permission_classes = [AllowAny]


class PublicBudgetOutput(serializers.Serializer):
    programme = serializers.IntegerField(source="programme.id")
    name = serializers.CharField(source="programme.name")
    jurisdiction = serializers.CharField(source="programme.jurisdiction.full_name")
    year = serializers.IntegerField(source="programme.year")
    state = EnumField(BudgetState)
    released = serializers.DecimalField(max_digits=14, decimal_places=2)
    available = serializers.DecimalField(max_digits=14, decimal_places=2)
    available_percent = serializers.DecimalField(max_digits=6, decimal_places=1)
    state_changed_at = serializers.DateTimeField(allow_null=True)
    announcement = serializers.CharField()


@extend_schema(tags=TAGS, responses=PublicBudgetOutput(many=True))
class PublicBudgetListApi(PublicMixin, APIView):
    """The remaining budget and state of every programme."""

    def get(self, request):
        return Response(PublicBudgetOutput(selectors.public_budgets(), many=True).data)


class StatusQueryInput(serializers.Serializer):
    number = serializers.CharField(max_length=32)
    last4 = serializers.CharField(min_length=4, max_length=4, help_text="Last 4 of the buyer's ID or phone.")


class PublicClaimStatusOutput(serializers.Serializer):
    number = serializers.CharField()
    state = EnumField(ClaimState)
    category = serializers.CharField()
    buyer_id = serializers.CharField(source="buyer_id_masked")
    submitted_at = serializers.DateTimeField()
    accepted_at = serializers.DateTimeField()
    reviewed_at = serializers.DateTimeField()
    approved_at = serializers.DateTimeField()
    paid_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField()


@extend_schema(tags=TAGS, parameters=[StatusQueryInput], responses=PublicClaimStatusOutput)
class PublicClaimStatusApi(PublicMixin, APIView):
    """A claim's state and dates, found by its number and the last 4 characters of the buyer's
    identity number or phone; 404 when either does not match."""

    def get(self, request):
        query = StatusQueryInput(data=request.query_params)
        query.is_valid(raise_exception=True)
        claim = selectors.claim_public_status(**query.validated_data)
        if claim is None:
            return Response({"detail": _("No claim matches this number and these digits.")}, status=404)
        return Response(PublicClaimStatusOutput(claim).data)


class VoucherClaimInput(serializers.Serializer):
    window = serializers.IntegerField()
    name = serializers.CharField(max_length=100)
    identity_number = serializers.CharField(max_length=40)
    phone = serializers.CharField(max_length=30)


class VoucherOutput(serializers.Serializer):
    code = serializers.CharField()
    category = serializers.CharField()
    holder_name = serializers.CharField()
    identity_number = serializers.CharField(source="person_masked")
    phone = serializers.CharField(source="phone_masked")
    state = EnumField(VoucherState)
    issued_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()


@extend_schema(tags=TAGS, request=VoucherClaimInput, responses={201: VoucherOutput})
class PublicVoucherClaimApi(PublicMixin, APIView):
    """A resident claims a voucher in an open window (first come first served, one live voucher
    per person per category). Refusals answer 409 (sold out, already holds one) or 400."""

    def post(self, request):
        data = VoucherClaimInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        window = VoucherWindow.objects.select_related("programme").filter(pk=values["window"]).first()
        if window is None:
            return Response({"code": "no_window", "detail": _("No such voucher window.")}, status=404)
        try:
            voucher = voucher_claim(
                window=window, name=values["name"], identity=values["identity_number"], phone=values["phone"]
            )
        except VoucherRefused as exc:
            code = (
                status.HTTP_409_CONFLICT if exc.code in ("sold_out", "already_holds") else status.HTTP_400_BAD_REQUEST
            )
            return Response({"code": exc.code, "detail": str(exc)}, status=code)
        return Response(VoucherOutput(voucher).data, status=status.HTTP_201_CREATED)


class VoucherStatusInput(serializers.Serializer):
    code = serializers.CharField(max_length=32)
    last4 = serializers.CharField(min_length=4, max_length=4)


@extend_schema(tags=TAGS, parameters=[VoucherStatusInput], responses=VoucherOutput)
class PublicVoucherStatusApi(PublicMixin, APIView):
    """A voucher's state, by its code and the last 4 of the holder's identity number or phone."""

    def get(self, request):
        query = VoucherStatusInput(data=request.query_params)
        query.is_valid(raise_exception=True)
        last4 = query.validated_data["last4"].upper()
        voucher = Voucher.objects.filter(code=query.validated_data["code"].strip().upper()).first()
        if voucher is None or not (voucher.person_masked.endswith(last4) or voucher.phone_masked.endswith(last4)):
            return Response({"detail": _("No voucher matches this code and these digits.")}, status=404)
        return Response(VoucherOutput(voucher).data)


class PublicWindowOutput(serializers.Serializer):
    id = serializers.IntegerField()
    programme = serializers.CharField(source="programme.name")
    jurisdiction = serializers.CharField(source="programme.jurisdiction.full_name")
    category = serializers.CharField()
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    daily_quota = serializers.IntegerField()
    remaining_today = serializers.SerializerMethodField()
    valid_days = serializers.IntegerField()

    def get_remaining_today(self, window) -> int:
        return quota_remaining(window=window, day=timezone.localdate())


@extend_schema(tags=TAGS, responses=PublicWindowOutput(many=True))
class PublicVoucherWindowListApi(PublicMixin, APIView):
    """Voucher windows open now, with today's remaining quota."""

    def get(self, request):
        return Response(PublicWindowOutput(selectors.open_windows(), many=True).data)
