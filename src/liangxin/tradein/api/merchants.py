"""Merchants over the API: the office of a jurisdiction registers its merchants (merged with the
enterprise list by 统一社会信用代码), suspends them, and gives them API accounts."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from liangxin.core.api import EnumField
from liangxin.core.api_calls import call_service
from liangxin.core.models import Jurisdiction
from liangxin.core.rules import can_manage_jurisdiction
from liangxin.core.services import DomainError

from .. import selectors
from ..enums import MerchantKind
from ..models import Merchant
from ..services import merchants as services
from .common import SmallBodyMixin

TAGS = ["tradein merchants"]


class MerchantOutput(serializers.ModelSerializer):
    kind = EnumField(MerchantKind)
    uscc = serializers.CharField(source="enterprise.uscc")
    jurisdiction_name = serializers.CharField(source="jurisdiction.full_name")
    accounts = serializers.SerializerMethodField()

    class Meta:
        model = Merchant
        fields = [
            "id",
            "name",
            "uscc",
            "kind",
            "active",
            "jurisdiction",
            "jurisdiction_name",
            "account_name",
            "account_no",
            "bank_name",
            "accounts",
        ]

    def get_accounts(self, merchant) -> list[str]:
        return sorted(account.user.username for account in merchant.accounts.all())


class MerchantInput(serializers.Serializer):
    jurisdiction = serializers.IntegerField(required=False, help_text="Default: your own jurisdiction.")
    uscc = serializers.CharField(max_length=30)
    name = serializers.CharField(max_length=200)
    kind = EnumField(MerchantKind, default=MerchantKind.STORE)
    account_name = serializers.CharField(max_length=200)
    account_no = serializers.CharField(max_length=40)
    bank_name = serializers.CharField(max_length=200)


@extend_schema(tags=TAGS)
class MerchantListApi(SmallBodyMixin, generics.ListAPIView):
    """GET: the merchants you may see. POST (office): register one, or update it (same code)."""

    serializer_class = MerchantOutput

    def get_queryset(self):
        return selectors.merchants_visible_to(self.request.user).prefetch_related("accounts__user").order_by("name")

    @extend_schema(request=MerchantInput, responses={201: MerchantOutput, 200: MerchantOutput})
    def post(self, request):
        data = MerchantInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        jurisdiction = Jurisdiction.objects.filter(
            pk=values.pop("jurisdiction", None) or request.user.jurisdiction_id
        ).first()
        if jurisdiction is None or not can_manage_jurisdiction(request.user, jurisdiction):
            raise PermissionDenied(_("Only the office of a jurisdiction registers its merchants."))
        merchant, created = call_service(
            services.merchant_register, errors=(DomainError,), actor=request.user, jurisdiction=jurisdiction, **values
        )
        return Response(
            MerchantOutput(merchant).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


def _managed_merchant(request, pk) -> Merchant:
    merchant = selectors.merchants_visible_to(request.user).filter(pk=pk).first()
    if merchant is None:
        raise NotFound()
    if not can_manage_jurisdiction(request.user, merchant.jurisdiction):
        raise PermissionDenied(_("Only the office of the merchant's jurisdiction manages it."))
    return merchant


class ActiveInput(serializers.Serializer):
    active = serializers.BooleanField()


@extend_schema(tags=TAGS, request=ActiveInput, responses=MerchantOutput)
class MerchantActiveApi(SmallBodyMixin, APIView):
    """Suspend a merchant (its claims are refused from then on) or take it back."""

    def post(self, request, pk):
        merchant = _managed_merchant(request, pk)
        data = ActiveInput(data=request.data)
        data.is_valid(raise_exception=True)
        merchant = services.merchant_set_active(actor=request.user, merchant=merchant, **data.validated_data)
        return Response(MerchantOutput(merchant).data)


class AccountInput(serializers.Serializer):
    username = serializers.RegexField(r"^[\w.@+-]{3,150}$")
    password = serializers.CharField(min_length=10, max_length=128, write_only=True)


class AccountOutput(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()


@extend_schema(tags=TAGS, request=AccountInput, responses={201: AccountOutput})
class MerchantAccountApi(SmallBodyMixin, APIView):
    """An API account (role merchant) for the merchant; it trades its password for a token at /api/token/."""

    def post(self, request, pk):
        merchant = _managed_merchant(request, pk)
        data = AccountInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = call_service(
            services.merchant_account_create,
            errors=(DomainError,),
            actor=request.user,
            merchant=merchant,
            **data.validated_data,
        )
        return Response(AccountOutput(user).data, status=status.HTTP_201_CREATED)
