"""The lists over the API: for each list, list (with the page's filters: q, and the list's own),
detail, create, update, .xlsx export and import; for projects also stage moves, prerequisites,
screening and totals.

A record one may not see answers 404; a write one may not make, 403. Writes go through the same
services as the pages (liangxin.registry.services), so the rules and the audit trail are the same.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from liangxin.core.api import EnumField
from liangxin.core.api_calls import call_service
from liangxin.core.idcodes import normalise_uscc, uscc_problem
from liangxin.core.models import Unit
from liangxin.core.services import DomainError

from .. import rules, selectors, services, sheets
from ..enums import (
    DemandKind,
    DemandState,
    EnterpriseRole,
    EnterpriseSize,
    FinanceKind,
    FundingChannel,
    PolicyLevel,
    PrerequisiteKind,
    PrerequisiteState,
    ProjectDomain,
    ProjectStage,
)
from ..models import (
    ConsumerDemand,
    Demand,
    Enterprise,
    FinanceOffer,
    Policy,
    Product,
    Project,
    ProjectPrerequisite,
    ProjectStageChange,
    ScreeningCriteria,
)
from ..views.common import XLSX, write_jurisdiction
from ..views.lists import CONFIGS, filtered

TAGS = ["registry"]

# --- enums in the schema ------------------------------------------------------------------------

_ENUMS = [
    EnterpriseSize, DemandKind, DemandState, ProjectDomain, ProjectStage, PrerequisiteKind, PrerequisiteState,
    PolicyLevel, FundingChannel, FinanceKind,
]  # fmt: skip


class _ModelEnumField:
    """A model field's choices as the EnumField of their enum, so the schema names the choice set after
    the enum (ProjectStageEnum) and it is one component wherever it appears. ModelSerializer builds
    choice fields with this class; it answers with an EnumField."""

    def __new__(cls, choices=None, **kwargs):
        values = [value for value, _label in choices or [] if value != ""]
        enum = next(e for e in _ENUMS if list(e.values) == values)
        return EnumField(enum, **kwargs)


class _Serializer(serializers.ModelSerializer):
    serializer_choice_field = _ModelEnumField


# --- output serializers -------------------------------------------------------------------------


class EnterpriseOutput(_Serializer):
    class Meta:
        model = Enterprise
        fields = "__all__"


class ProductOutput(_Serializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    category_name = serializers.CharField(source="category.full_name", read_only=True)

    class Meta:
        model = Product
        fields = "__all__"


class DemandOutput(_Serializer):
    owner_name = serializers.CharField(read_only=True)
    category_name = serializers.CharField(source="category.full_name", read_only=True)

    class Meta:
        model = Demand
        fields = "__all__"


class ConsumerDemandOutput(_Serializer):
    category_name = serializers.CharField(source="category.full_name", read_only=True)

    class Meta:
        model = ConsumerDemand
        fields = "__all__"


class PrerequisiteOutput(_Serializer):
    class Meta:
        model = ProjectPrerequisite
        fields = ["kind", "state", "document_no", "done_on", "note"]


class StageChangeOutput(_Serializer):
    actor = serializers.CharField(source="actor.username", default=None, read_only=True)

    class Meta:
        model = ProjectStageChange
        fields = ["from_stage", "to_stage", "actor", "at", "reason"]


class ProjectOutput(_Serializer):
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    owner_uscc = serializers.CharField(source="owner.uscc", read_only=True)
    responsible_unit_name = serializers.CharField(source="responsible_unit.name", default=None, read_only=True)
    prerequisites = PrerequisiteOutput(many=True, read_only=True)
    stage_changes = StageChangeOutput(many=True, read_only=True)

    class Meta:
        model = Project
        fields = "__all__"


class PolicyOutput(_Serializer):
    lead_unit_name = serializers.CharField(source="lead_unit.name", default=None, read_only=True)
    children = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Policy
        fields = "__all__"


class OfferOutput(_Serializer):
    provider_name = serializers.CharField(source="provider.name", read_only=True)

    class Meta:
        model = FinanceOffer
        fields = "__all__"


class CriteriaOutput(_Serializer):
    class Meta:
        model = ScreeningCriteria
        fields = "__all__"


# --- input serializers --------------------------------------------------------------------------


def _tags(**kwargs):
    return serializers.ListField(child=serializers.CharField(), required=False, **kwargs)


def _enum_list(enum):
    return serializers.ListField(child=EnumField(enum), required=False)


class EnterpriseInput(_Serializer):
    uscc = serializers.CharField(max_length=30, help_text="统一社会信用代码; a known code is merged, not duplicated.")
    flags = _tags()
    roles = _enum_list(EnterpriseRole)

    class Meta:
        model = Enterprise
        fields = [
            "uscc", "name", "address", "industry", "size", "flags", "roles", "scale_revenue_wan", "employees",
            "description", "contact_name", "contact_phone",
        ]  # fmt: skip

    def validate_uscc(self, value):
        problem = uscc_problem(value)
        if problem:
            raise serializers.ValidationError(problem)
        return normalise_uscc(value)


class ProductInput(_Serializer):
    standards = _tags()
    certifications = _tags()
    parameters = serializers.DictField(child=serializers.CharField(), required=False)

    class Meta:
        model = Product
        fields = [
            "enterprise", "category", "name", "model_number", "specs", "parameters", "energy_grade", "standards",
            "certifications", "price_min_yuan", "price_max_yuan", "active",
        ]  # fmt: skip


class DemandInput(_Serializer):
    class Meta:
        model = Demand
        fields = [
            "kind", "owner", "unit", "category", "title", "quantity", "quantity_unit", "requirements", "budget_wan",
            "needed_by", "state", "contact_name", "contact_phone",
        ]  # fmt: skip


class ConsumerDemandInput(_Serializer):
    class Meta:
        model = ConsumerDemand
        fields = ["year", "category", "expected_units", "note"]
        validators = []  # the service replaces the figure of the same category and year


class ProjectInput(_Serializer):
    owner_uscc = serializers.CharField(max_length=30, help_text="The owner's 统一社会信用代码 (merged if known).")
    owner_name = serializers.CharField(max_length=200)
    channels = _enum_list(FundingChannel)

    class Meta:
        model = Project
        fields = [
            "owner_uscc", "owner_name", "name", "domain", "responsible_unit", "location", "description",
            "total_investment_wan", "equipment_investment_wan", "planned_start", "planned_end", "channels",
            "needs_financing", "financing_amount_wan", "contact_name", "contact_phone",
        ]  # fmt: skip

    def validate_owner_uscc(self, value):
        problem = uscc_problem(value)
        if problem:
            raise serializers.ValidationError(problem)
        return normalise_uscc(value)


class PolicyInput(_Serializer):
    domains = _enum_list(ProjectDomain)
    applicant_types = _tags()
    conditions = _tags()

    class Meta:
        model = Policy
        fields = [
            "level", "title", "doc_number", "issuer", "issued_on", "effective_from", "effective_to", "parent",
            "lead_unit", "funding_channel", "domains", "applicant_types", "conditions", "summary", "url", "public",
        ]  # fmt: skip


class OfferInput(_Serializer):
    domains = _enum_list(ProjectDomain)
    conditions = _tags()

    class Meta:
        model = FinanceOffer
        fields = [
            "provider", "kind", "name", "domains", "min_amount_wan", "max_amount_wan", "rate_note", "term_months_max",
            "conditions", "active",
        ]  # fmt: skip


class CriteriaInput(_Serializer):
    domains = _enum_list(ProjectDomain)
    prerequisites_required = _enum_list(PrerequisiteKind)

    class Meta:
        model = ScreeningCriteria
        fields = [
            "name", "channel", "domains", "min_investment_wan", "prerequisites_required", "require_channel_sought",
            "active",
        ]  # fmt: skip


# --- saving through the services ----------------------------------------------------------------


def _check_scope(user, jurisdiction, values: dict) -> None:
    """Units must be of the record's jurisdiction; enterprises must be ones the caller sees."""
    for name, value in values.items():
        if isinstance(value, Unit) and value.jurisdiction_id != getattr(jurisdiction, "pk", None):
            raise serializers.ValidationError({name: [_("Not a unit of this jurisdiction.")]})
        if isinstance(value, Enterprise) and not selectors.enterprises_visible_to(user).filter(pk=value.pk).exists():
            raise serializers.ValidationError({name: [_("No such enterprise.")]})
        if isinstance(value, Policy) and value.jurisdiction_id != getattr(jurisdiction, "pk", None):
            raise serializers.ValidationError({name: [_("Not a policy of this jurisdiction.")]})


def _owner(user, data, jurisdiction):
    enterprise, _created = call_service(
        services.enterprise_upsert,
        actor=user,
        uscc=data.pop("owner_uscc"),
        name=data.pop("owner_name"),
        jurisdiction=jurisdiction,
        roles=[EnterpriseRole.PROJECT_OWNER],
    )
    return enterprise


def _create(key, user, data, jurisdiction):
    if key == "enterprises":
        return call_service(services.enterprise_upsert, errors=(DomainError,), actor=user, jurisdiction=jurisdiction,
                            **data)[0]  # fmt: skip
    if key == "products":
        if not rules.can_edit_enterprise(user, data["enterprise"]):
            raise PermissionDenied(_("You may not add products of this enterprise."))
        return call_service(services.product_create, actor=user, **data)
    if key == "projects":
        if not rules.can_manage_lists(user, jurisdiction):
            unit = data.get("responsible_unit")
            if unit is not None and unit.pk != user.unit_id:
                raise PermissionDenied(_("A unit registers projects for itself only."))
            data["responsible_unit"] = user.unit
        owner = _owner(user, data, jurisdiction)
        return call_service(services.project_create, errors=(DomainError,), actor=user, jurisdiction=jurisdiction,
                            owner=owner, **data)  # fmt: skip
    creators = {
        "demands": services.demand_create,
        "policies": services.policy_create,
        "offers": services.offer_create,
        "criteria": services.criteria_create,
    }
    if key == "consumer":
        return call_service(services.consumer_demand_set, actor=user, jurisdiction=jurisdiction, **data)[0]
    return call_service(creators[key], actor=user, jurisdiction=jurisdiction, **data)


def _update(key, user, obj, data):
    if key == "enterprises":
        data.pop("uscc", None)
        return call_service(services.enterprise_update, actor=user, enterprise=obj, **data)
    if key == "projects":
        if "responsible_unit" in data and not rules.can_manage_lists(user, obj.jurisdiction):
            if data["responsible_unit"] is None or data["responsible_unit"].pk != user.unit_id:
                raise PermissionDenied(_("A unit cannot hand its project to another unit."))
        if "owner_uscc" in data:
            data["owner"] = _owner(user, data, obj.jurisdiction)
        return call_service(services.project_update, errors=(DomainError,), actor=user, project=obj, **data)
    updaters = {
        "products": (services.product_update, "product"),
        "demands": (services.demand_update, "demand"),
        "consumer": (services.consumer_demand_update, "row"),
        "policies": (services.policy_update, "policy"),
        "offers": (services.offer_update, "offer"),
        "criteria": (services.criteria_update, "criteria"),
    }
    service, name = updaters[key]
    return call_service(service, actor=user, **{name: obj}, **data)


# --- the views, made for each list --------------------------------------------------------------

SPECS = {
    "enterprises": (EnterpriseOutput, EnterpriseInput),
    "products": (ProductOutput, ProductInput),
    "demands": (DemandOutput, DemandInput),
    "consumer": (ConsumerDemandOutput, ConsumerDemandInput),
    "projects": (ProjectOutput, ProjectInput),
    "policies": (PolicyOutput, PolicyInput),
    "offers": (OfferOutput, OfferInput),
    "criteria": (CriteriaOutput, CriteriaInput),
}


def _visible(key, request, pk):
    obj = CONFIGS[key].queryset(request.user).filter(pk=pk).first()
    if obj is None:
        raise NotFound()
    return obj


def _filter_parameters(key):
    config = CONFIGS[key]
    params = [OpenApiParameter("q", str, description="Search words (name, code, keywords).")]
    params += [OpenApiParameter(f.name, str, description=str(f.label)) for f in config.filters]
    return params


def _make(key):
    output, input_ = SPECS[key]
    config = CONFIGS[key]
    name = key.title().replace("_", "")

    @extend_schema(tags=TAGS, parameters=_filter_parameters(key))
    class ListApi(generics.ListAPIView):
        __doc__ = f"The {key} the caller may see, searched and filtered like the page."
        serializer_class = output

        def get_queryset(self):
            if not selectors.may_read_lists(self.request.user):
                raise PermissionDenied()
            queryset, _state = filtered(config, self.request)
            if key == "projects":
                queryset = queryset.prefetch_related("prerequisites", "stage_changes__actor")
            return queryset

    @extend_schema(tags=TAGS)
    class DetailApi(APIView):
        @extend_schema(responses=output)
        def get(self, request, pk: int):
            return Response(output(_visible(key, request, pk)).data)

    @extend_schema(tags=TAGS)
    class CreateApi(APIView):
        @extend_schema(request=input_, responses={201: output})
        def post(self, request):
            jurisdiction = write_jurisdiction(request.user, projects=config.projects)
            if jurisdiction is None:
                raise PermissionDenied(
                    _("Only the office (or, for projects, a unit) of a jurisdiction adds to its lists.")
                )
            data = input_(data=request.data)
            data.is_valid(raise_exception=True)
            values = dict(data.validated_data)
            _check_scope(request.user, jurisdiction, values)
            obj = _create(key, request.user, values, jurisdiction)
            return Response(output(obj).data, status=201)

    @extend_schema(tags=TAGS)
    class UpdateApi(APIView):
        @extend_schema(request=input_, responses=output)
        def patch(self, request, pk: int):
            obj = _visible(key, request, pk)
            if not config.can_edit(request.user, obj):
                raise PermissionDenied(_("You may read this record but not change it."))
            data = input_(data=request.data, partial=True)
            data.is_valid(raise_exception=True)
            values = dict(data.validated_data)
            _check_scope(request.user, getattr(obj, "jurisdiction", None), values)
            obj = _update(key, request.user, obj, values)
            return Response(output(type(obj).objects.get(pk=obj.pk)).data)

    views = [
        path(f"{key}/", ListApi.as_view(), name=f"registry-{key}-list"),
        path(f"{key}/create/", CreateApi.as_view(), name=f"registry-{key}-create"),
        path(f"{key}/<int:pk>/", DetailApi.as_view(), name=f"registry-{key}-detail"),
        path(f"{key}/<int:pk>/update/", UpdateApi.as_view(), name=f"registry-{key}-update"),
    ]
    for cls, suffix in ((ListApi, "List"), (DetailApi, "Detail"), (CreateApi, "Create"), (UpdateApi, "Update")):
        cls.__name__ = cls.__qualname__ = f"{name}{suffix}Api"
    if config.sheet:

        @extend_schema(tags=TAGS, parameters=_filter_parameters(key), responses={(200, XLSX): bytes})
        class ExportApi(APIView):
            """The filtered list as an .xlsx workbook (the template's columns)."""

            def get(self, request):
                if not selectors.may_read_lists(request.user):
                    raise PermissionDenied()
                queryset, _state = filtered(config, request)
                if key == "projects":
                    queryset = queryset.prefetch_related("prerequisites")
                response = HttpResponse(sheets.export_xlsx(config.sheet, queryset), content_type=XLSX)
                response["Content-Disposition"] = f'attachment; filename="{key}.xlsx"'
                return response

        class ImportInput(serializers.Serializer):
            file = serializers.FileField(help_text="An .xlsx in the template's layout.")

        class ImportOutput(serializers.Serializer):
            created = serializers.IntegerField()
            updated = serializers.IntegerField()
            errors = serializers.ListField(child=serializers.DictField())

        @extend_schema(
            tags=TAGS, request={"multipart/form-data": ImportInput}, responses={200: ImportOutput, 400: ImportOutput}
        )
        class ImportApi(APIView):
            """Import the workbook, all or nothing: 200 with the counts, or 400 with every failing row
            (row, column, message) and nothing saved."""

            parser_classes = [MultiPartParser, FormParser]

            def post(self, request):
                jurisdiction = write_jurisdiction(request.user, projects=config.projects)
                if jurisdiction is None:
                    raise PermissionDenied(_("Only the office (or, for projects, a unit) imports into its lists."))
                data = ImportInput(data=request.data)
                data.is_valid(raise_exception=True)
                restrict = None if rules.can_manage_lists(request.user, jurisdiction) else request.user.unit
                try:
                    result = sheets.import_xlsx(
                        config.sheet,
                        data.validated_data["file"].read(),
                        actor=request.user,
                        jurisdiction=jurisdiction,
                        restrict_unit=restrict,
                    )
                except sheets.SheetError as exc:
                    raise serializers.ValidationError({"file": [str(exc)]}) from exc
                body = {"created": result.created, "updated": result.updated, "errors": result.errors}
                return Response(body, status=200 if result.ok else 400)

        ExportApi.__name__ = ExportApi.__qualname__ = f"{name}ExportApi"
        ImportApi.__name__ = ImportApi.__qualname__ = f"{name}ImportApi"
        ImportInput.__name__ = ImportInput.__qualname__ = f"{name}ImportInput"
        ImportOutput.__name__ = ImportOutput.__qualname__ = f"{name}ImportOutput"
        views += [
            path(f"{key}/export/", ExportApi.as_view(), name=f"registry-{key}-export"),
            path(f"{key}/import/", ImportApi.as_view(), name=f"registry-{key}-import"),
        ]
    return views


# --- the project pipeline -----------------------------------------------------------------------


class MoveInput(serializers.Serializer):
    to_stage = serializers.CharField(help_text="The stage to move to (planning, reserve, applying, …).")
    reason = serializers.CharField(help_text="Why the project moves.")


@extend_schema(tags=TAGS)
class ProjectMoveApi(APIView):
    """Move a project to another stage; the allowed moves are those of the pipeline, each recorded."""

    @extend_schema(request=MoveInput, responses=ProjectOutput)
    def post(self, request, pk: int):
        project = _visible("projects", request, pk)
        if not rules.can_edit_project(request.user, project):
            raise PermissionDenied(_("You may read this project but not move it."))
        data = MoveInput(data=request.data)
        data.is_valid(raise_exception=True)
        project = call_service(
            services.project_move, errors=(DomainError,), actor=request.user, project=project, **data.validated_data
        )
        return Response(ProjectOutput(project).data)


class PrerequisiteInput(_Serializer):
    class Meta:
        model = ProjectPrerequisite
        fields = ["kind", "state", "document_no", "done_on", "note"]
        validators = []


@extend_schema(tags=TAGS)
class ProjectPrerequisiteApi(APIView):
    """Set the state of one of a project's prerequisites (审批/备案, 用地, 节能审查, 环评)."""

    @extend_schema(request=PrerequisiteInput, responses=PrerequisiteOutput)
    def post(self, request, pk: int):
        project = _visible("projects", request, pk)
        if not rules.can_edit_project(request.user, project):
            raise PermissionDenied(_("You may read this project but not change it."))
        data = PrerequisiteInput(data=request.data)
        data.is_valid(raise_exception=True)
        item = call_service(services.project_prerequisite_set, actor=request.user, project=project,
                            **data.validated_data)  # fmt: skip
        return Response(PrerequisiteOutput(item).data)


class ScreeningOutput(serializers.Serializer):
    project = serializers.IntegerField()
    name = serializers.CharField()
    owner = serializers.CharField()
    domain = serializers.CharField()
    stage = serializers.CharField()
    total_investment_wan = serializers.CharField()
    passed = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.DictField())


@extend_schema(tags=TAGS)
class ScreeningApi(APIView):
    """Screen the criteria's jurisdiction's projects (filtered like the project list): GET computes,
    POST computes and keeps the run."""

    def _criteria(self, request, pk):
        criteria = _visible("criteria", request, pk)
        if not rules.can_screen_projects(request.user, criteria.jurisdiction):
            raise PermissionDenied(_("Only the office screens projects."))
        projects, _state = filtered(CONFIGS["projects"], request)
        return criteria, projects.filter(jurisdiction=criteria.jurisdiction)

    @extend_schema(parameters=_filter_parameters("projects"), responses=ScreeningOutput(many=True))
    def get(self, request, pk: int):
        criteria, projects = self._criteria(request, pk)
        return Response(services.screen(criteria, projects))

    @extend_schema(request=None, responses=ScreeningOutput(many=True))
    def post(self, request, pk: int):
        criteria, projects = self._criteria(request, pk)
        run = services.screening_run(actor=request.user, criteria=criteria, projects=projects)
        return Response({"run": run.pk, "results": run.results}, status=201)


class TotalRow(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=16, decimal_places=2)
    equipment = serializers.DecimalField(max_digits=16, decimal_places=2)


class TotalsOutput(serializers.Serializer):
    domain = TotalRow(many=True)
    stage = TotalRow(many=True)
    channel = TotalRow(many=True)
    all = serializers.DictField()


@extend_schema(tags=TAGS)
class ProjectTotalsApi(APIView):
    """Count, total and equipment investment (万元) of the visible projects by domain, stage and channel."""

    @extend_schema(parameters=_filter_parameters("projects"), responses=TotalsOutput)
    def get(self, request):
        if not selectors.may_read_lists(request.user):
            raise PermissionDenied()
        projects, _state = filtered(CONFIGS["projects"], request)
        data = selectors.project_totals(projects)
        data["all"] = {k: str(v) if not isinstance(v, int) else v for k, v in data["all"].items()}
        return Response(TotalsOutput(data).data)


urlpatterns = [
    path("projects/totals/", ProjectTotalsApi.as_view(), name="registry-project-totals"),
    path("projects/<int:pk>/move/", ProjectMoveApi.as_view(), name="registry-project-move"),
    path("projects/<int:pk>/prerequisite/", ProjectPrerequisiteApi.as_view(), name="registry-project-prerequisite"),
    path("criteria/<int:pk>/screen/", ScreeningApi.as_view(), name="registry-screening"),
]
for _key in SPECS:
    urlpatterns += _make(_key)
