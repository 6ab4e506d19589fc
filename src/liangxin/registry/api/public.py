"""The public policy list over the API (no login): /api/public/policies/."""

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from ..selectors import public_policies
from ..views.public import filter_public_policies
from .lists import _Serializer


class PublicPolicyOutput(_Serializer):
    jurisdiction_name = serializers.CharField(source="jurisdiction.full_name", read_only=True)
    lead_unit_name = serializers.CharField(source="lead_unit.name", default=None, read_only=True)
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    funding_channel_label = serializers.CharField(source="get_funding_channel_display", read_only=True)

    class Meta:
        model = public_policies().model
        fields = [
            "id", "jurisdiction", "jurisdiction_name", "level", "level_label", "title", "doc_number", "issuer",
            "issued_on", "effective_from", "effective_to", "parent", "position", "lead_unit", "lead_unit_name",
            "funding_channel", "funding_channel_label", "domains", "applicant_types", "conditions", "summary", "url",
        ]  # fmt: skip


@extend_schema(
    tags=["public"],
    parameters=[
        OpenApiParameter("q", str, description="Search words."),
        OpenApiParameter("level", str, description="national, province, city or county."),
        OpenApiParameter("channel", str, description="A funding channel."),
        OpenApiParameter("jurisdiction", int, description="Where the policy applies (id)."),
    ],
)
class PublicPolicyListApi(generics.ListAPIView):
    """The public policies; a domain plan names its overall plan in `parent` (the “1+N” structure)."""

    permission_classes = [AllowAny]
    authentication_classes = []
    serializer_class = PublicPolicyOutput

    def get_queryset(self):
        return filter_public_policies(self.request.query_params)


@extend_schema(tags=["public"])
class PublicPolicyDetailApi(generics.RetrieveAPIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    serializer_class = PublicPolicyOutput

    def get_queryset(self):
        return public_policies()


urlpatterns = [
    path("policies/", PublicPolicyListApi.as_view(), name="registry-public-policy-list"),
    path("policies/<int:pk>/", PublicPolicyDetailApi.as_view(), name="registry-public-policy-detail"),
]
