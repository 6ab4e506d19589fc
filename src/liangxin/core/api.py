"""The JSON API of jurisdictions and units, scoped to what the person asking may see."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken

from .enums import JurisdictionKind, UnitKind
from .models import Jurisdiction, Unit
from .selectors import jurisdictions_visible_to, units_with_aliases_visible_to


class EnumField(serializers.ChoiceField):
    """A choice field that names its choice set in the schema after the enum (UnitKindEnum).

    Jurisdictions and units both call their choice field "kind"; without a name of its own, each
    set would be given a made-up name (Kind29fEnum) with a warning.
    """

    def __init__(self, enum, **kwargs):
        self.enum = enum
        super().__init__(choices=enum.choices, **kwargs)


class EnumFieldSchema(OpenApiSerializerFieldExtension):
    target_class = EnumField

    def get_name(self):
        return f"{self.target.enum.__name__}Enum"

    def map_serializer_field(self, auto_schema, direction):
        labels = "\n".join(f"* `{value}` - {label}" for value, label in self.target.enum.choices)
        return {"type": "string", "enum": self.target.enum.values, "description": labels}


class JurisdictionOutput(serializers.ModelSerializer):
    kind = EnumField(JurisdictionKind, read_only=True)
    full_name = serializers.CharField(read_only=True)

    class Meta:
        model = Jurisdiction
        fields = ["id", "name", "kind", "parent", "full_name"]


class UnitOutput(serializers.ModelSerializer):
    """A unit with the other spellings plans use for it."""

    kind = EnumField(UnitKind, read_only=True)
    jurisdiction_name = serializers.CharField(source="jurisdiction.full_name", read_only=True)
    aliases = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")

    class Meta:
        model = Unit
        fields = ["id", "name", "kind", "jurisdiction", "jurisdiction_name", "aliases"]


def _visible_jurisdictions(user):
    # Four levels (province → city → county → town) load the full names without more queries.
    return jurisdictions_visible_to(user).select_related("parent__parent__parent")


@extend_schema(tags=["jurisdictions"])
class JurisdictionListApi(generics.ListAPIView):
    serializer_class = JurisdictionOutput

    def get_queryset(self):
        return _visible_jurisdictions(self.request.user)


@extend_schema(tags=["jurisdictions"])
class JurisdictionDetailApi(generics.RetrieveAPIView):
    serializer_class = JurisdictionOutput

    def get_queryset(self):
        return _visible_jurisdictions(self.request.user)


class UnitFilterInput(serializers.Serializer):
    jurisdiction = serializers.IntegerField(
        required=False, min_value=1, help_text="Only the units of this jurisdiction (id)."
    )


@extend_schema(tags=["units"], parameters=[UnitFilterInput])
class UnitListApi(generics.ListAPIView):
    serializer_class = UnitOutput

    def get_queryset(self):
        filters = UnitFilterInput(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return units_with_aliases_visible_to(
            self.request.user, jurisdiction_id=filters.validated_data.get("jurisdiction")
        )


class TokenOutput(serializers.Serializer):
    token = serializers.CharField()


@extend_schema(tags=["token"])
class TokenObtainApi(ObtainAuthToken):
    """Trade a username and password for the token to send as `Authorization: Token …`."""

    # A client without a token has nothing else to authenticate with.
    authentication_classes = ()

    @extend_schema(request=AuthTokenSerializer, responses=TokenOutput)
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)
