"""The import API: upload a document, review and correct the draft, publish it.

The review page uses these same endpoints for its in-place corrections, so the UI and the API
accept and refuse exactly the same things.
"""

from functools import partial

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from liangxin.core.api_calls import call_service
from liangxin.core.files import upload_limit_text, upload_too_large
from liangxin.core.models import Unit
from liangxin.core.selectors import jurisdictions_managed_by
from liangxin.plans.selectors import plans_visible_to

from . import services
from .enums import UnitAction
from .errors import ImportProblem
from .models import ImportDraft
from .selectors import draft_diff, draft_unit_rows, drafts_managed_by

_run = partial(call_service, errors=(ImportProblem,))


class DraftSummaryOutput(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()
    jurisdiction = serializers.CharField(source="jurisdiction.full_name")

    class Meta:
        model = ImportDraft
        fields = [
            "id",
            "title",
            "status",
            "jurisdiction",
            "original_name",
            "revises",
            "published_plan",
            "created_at",
            "published_at",
        ]

    def get_title(self, draft) -> str:
        return draft.document.get("title", "")


class UnitRowOutput(serializers.Serializer):
    name = serializers.CharField()
    existing = serializers.IntegerField(source="existing.pk", allow_null=True, default=None)
    needs_decision = serializers.BooleanField()
    proposal = serializers.DictField()
    decision = serializers.DictField(allow_null=True)


class DraftOutput(DraftSummaryOutput):
    units = serializers.SerializerMethodField()
    changes = serializers.SerializerMethodField()

    class Meta(DraftSummaryOutput.Meta):
        fields = [*DraftSummaryOutput.Meta.fields, "document", "spans", "warnings", "units", "changes"]

    def get_units(self, draft) -> list:
        return UnitRowOutput(draft_unit_rows(draft), many=True).data

    def get_changes(self, draft) -> dict | None:
        return draft_diff(draft)


class DraftCreateInput(serializers.Serializer):
    file = serializers.FileField()
    jurisdiction = serializers.IntegerField()
    revises = serializers.IntegerField(required=False, allow_null=True)


def _draft_for(request, pk) -> ImportDraft:
    return get_object_or_404(drafts_managed_by(request.user), pk=pk)


@extend_schema(tags=["imports"])
class DraftListApi(APIView):
    """Drafts of the jurisdictions whose office the caller is; POST uploads a document."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses=DraftSummaryOutput(many=True))
    def get(self, request):
        return Response(DraftSummaryOutput(drafts_managed_by(request.user)[:200], many=True).data)

    @extend_schema(request=DraftCreateInput, responses={201: DraftOutput})
    def post(self, request):
        if upload_too_large(request):
            message = _("The file is larger than the %(limit)s limit.") % {"limit": upload_limit_text()}
            raise serializers.ValidationError({"file": [message]})
        data = DraftCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        jurisdiction = jurisdictions_managed_by(request.user).filter(pk=data.validated_data["jurisdiction"]).first()
        if jurisdiction is None:
            raise PermissionDenied(_("Only the task force office of that jurisdiction imports plans into it."))
        revises = None
        if data.validated_data.get("revises"):
            revises = get_object_or_404(plans_visible_to(request.user), pk=data.validated_data["revises"])
        upload = data.validated_data["file"]
        draft = _run(
            services.draft_create,
            actor=request.user,
            jurisdiction=jurisdiction,
            filename=upload.name,
            data=upload.read(),
            revises=revises,
        )
        return Response(DraftOutput(draft).data, status=201)


class FieldInput(serializers.Serializer):
    path = serializers.CharField()
    value = serializers.JSONField(allow_null=True)


@extend_schema(tags=["imports"])
class DraftDetailApi(APIView):
    """A draft with its extracted plan, source positions, unit proposals and, for a revision, the
    changes against the published plan; PATCH corrects one field by its path."""

    @extend_schema(responses=DraftOutput)
    def get(self, request, pk: int):
        return Response(DraftOutput(_draft_for(request, pk)).data)

    @extend_schema(request=FieldInput, responses={200: OpenApiTypes.OBJECT})
    def patch(self, request, pk: int):
        draft = _draft_for(request, pk)
        data = FieldInput(data=request.data)
        data.is_valid(raise_exception=True)
        value = _run(services.draft_set, actor=request.user, draft=draft, **data.validated_data)
        return Response({"path": data.validated_data["path"], "value": value})


class PathInput(serializers.Serializer):
    path = serializers.CharField()


@extend_schema(tags=["imports"])
class DraftRemoveApi(APIView):
    @extend_schema(request=PathInput, responses=DraftOutput)
    def post(self, request, pk: int):
        draft = _draft_for(request, pk)
        data = PathInput(data=request.data)
        data.is_valid(raise_exception=True)
        _run(services.draft_remove, actor=request.user, draft=draft, path=data.validated_data["path"])
        return Response(DraftOutput(draft).data)


class ListInput(serializers.Serializer):
    list = serializers.CharField()


@extend_schema(tags=["imports"])
class DraftAppendApi(APIView):
    @extend_schema(request=ListInput, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, pk: int):
        draft = _draft_for(request, pk)
        data = ListInput(data=request.data)
        data.is_valid(raise_exception=True)
        index = _run(services.draft_append, actor=request.user, draft=draft, list_path=data.validated_data["list"])
        return Response({"path": f"{data.validated_data['list']}/{index}"}, status=201)


class SplitInput(serializers.Serializer):
    index = serializers.IntegerField(min_value=0)
    names = serializers.ListField(child=serializers.CharField(), required=False)


@extend_schema(tags=["imports"])
class DraftSplitApi(APIView):
    """Split an indicator row that names two metrics into one row per metric."""

    @extend_schema(request=SplitInput, responses=DraftOutput)
    def post(self, request, pk: int):
        draft = _draft_for(request, pk)
        data = SplitInput(data=request.data)
        data.is_valid(raise_exception=True)
        _run(services.draft_split_indicator, actor=request.user, draft=draft, **data.validated_data)
        return Response(DraftOutput(draft).data)


class UnitDecisionInput(serializers.Serializer):
    name = serializers.CharField()
    action = serializers.ChoiceField(choices=[UnitAction.CREATE, UnitAction.ALIAS])
    unit = serializers.IntegerField(required=False, allow_null=True)
    alias_of = serializers.CharField(required=False, allow_null=True, allow_blank=True)


@extend_schema(tags=["imports"])
class DraftUnitApi(APIView):
    """Confirm how a unit name maps: create it, or record it as another name of a unit."""

    @extend_schema(request=UnitDecisionInput, responses={200: OpenApiTypes.OBJECT})
    def post(self, request, pk: int):
        draft = _draft_for(request, pk)
        data = UnitDecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        unit = None
        if data.validated_data.get("unit"):
            unit = get_object_or_404(Unit, pk=data.validated_data["unit"], jurisdiction=draft.jurisdiction)
        decision = _run(
            services.draft_decide_unit,
            actor=request.user,
            draft=draft,
            name=data.validated_data["name"],
            action=data.validated_data["action"],
            unit=unit,
            alias_of=data.validated_data.get("alias_of") or None,
        )
        return Response(decision)


@extend_schema(tags=["imports"])
class DraftPublishApi(APIView):
    """Publish the reviewed draft into the registry (or apply it to the plan it revises)."""

    @extend_schema(request=None, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, pk: int):
        draft = _draft_for(request, pk)
        plan = _run(services.draft_publish, actor=request.user, draft=draft)
        return Response({"plan": plan.pk, "url": plan.get_absolute_url()}, status=201)


@extend_schema(tags=["imports"])
class DraftDiscardApi(APIView):
    @extend_schema(request=None, responses=DraftSummaryOutput)
    def post(self, request, pk: int):
        draft = _draft_for(request, pk)
        _run(services.draft_discard, actor=request.user, draft=draft)
        draft.refresh_from_db()
        return Response(DraftSummaryOutput(draft).data)
