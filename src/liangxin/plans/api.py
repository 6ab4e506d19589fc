"""The JSON API of the plan registry.

Every read goes through the selectors, so a person sees only the plans of the jurisdictions they
may see; anything else answers 404 as if it did not exist. Writes check the rules (403 for an
item one may see but not change), then the input, then call one service; a ValidationError of the
service becomes 400 with the field named.
"""

import json

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from liangxin.core.api import UnitOutput
from liangxin.core.api_calls import call_service

from .enums import AssignmentRole, TargetKind
from .interchange import InterchangeError, json_number
from .models import Assignment, Indicator, Plan, Task, TaskForce
from .rules import can_edit_indicator, can_edit_task
from .selectors import (
    indicators_visible_to,
    jurisdictions_managed_by,
    plan_export,
    plan_summaries_visible_to,
    plans_visible_to,
    section_paths,
    tasks_visible_to,
    unit_page,
    units_with_aliases_visible_to,
)
from .services import INDICATOR_EDITABLE, TASK_EDITABLE, indicator_update, plan_load, task_update

# --- shared pieces ----------------------------------------------------------------------------


class NumberField(serializers.DecimalField):
    """A stored Decimal as the number the plan wrote (13.6, 17), as in the interchange format."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=20, decimal_places=6, coerce_to_string=False, **kwargs)

    def to_representation(self, value):
        return json_number(value)


class AssignedUnitOutput(serializers.Serializer):
    """A unit as one plan item names it: the registry's unit and the plan's own spelling."""

    unit = serializers.IntegerField(source="unit_id")
    name = serializers.CharField(source="unit.name")
    written_as = serializers.CharField()


class TargetOutput(serializers.Serializer):
    text = serializers.CharField(allow_null=True)
    metric = serializers.CharField(allow_null=True)
    year = serializers.IntegerField(allow_null=True)
    comparator = serializers.CharField(allow_null=True)
    value = NumberField(allow_null=True)
    unit = serializers.CharField(allow_null=True)
    basis = serializers.CharField(allow_null=True)


class MilestoneOutput(serializers.Serializer):
    year = serializers.IntegerField(allow_null=True)
    text = serializers.CharField(allow_null=True)
    value = NumberField(allow_null=True)
    unit = serializers.CharField(allow_null=True)


def _units_in_role(item, role) -> list:
    return [a for a in item.assignments.all() if a.role == role]


class UpdateInput(serializers.ModelSerializer):
    """A partial update that refuses fields it cannot change instead of silently ignoring them."""

    def validate(self, attrs):
        unknown = sorted(set(self.initial_data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError({name: [_("This field cannot be changed here.")] for name in unknown})
        return attrs


def _filters(serializer_class, request) -> dict:
    filters = serializer_class(data=request.query_params)
    filters.is_valid(raise_exception=True)
    return filters.validated_data


class PlanFilterInput(serializers.Serializer):
    plan = serializers.IntegerField(required=False, min_value=1, help_text="Only this plan's.")
    unit = serializers.IntegerField(
        required=False, min_value=1, help_text="Only those this unit leads, shares or answers for."
    )


# --- plans ------------------------------------------------------------------------------------


class PlanListOutput(serializers.ModelSerializer):
    jurisdiction_name = serializers.CharField(source="jurisdiction.full_name", read_only=True)
    task_count = serializers.IntegerField(read_only=True)
    indicator_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "title",
            "jurisdiction",
            "jurisdiction_name",
            "issuer",
            "issued_on",
            "doc_number",
            "task_count",
            "indicator_count",
        ]


class TaskForceOutput(serializers.Serializer):
    name = serializers.CharField()
    leading_positions = serializers.ListField(child=serializers.CharField())
    mechanisms = serializers.ListField(child=serializers.CharField())
    office_unit = serializers.SerializerMethodField()
    member_units = serializers.SerializerMethodField()

    @extend_schema_field(AssignedUnitOutput(allow_null=True))
    def get_office_unit(self, task_force):
        office = _units_in_role(task_force, AssignmentRole.OFFICE)
        return AssignedUnitOutput(office[0]).data if office else None

    @extend_schema_field(AssignedUnitOutput(many=True))
    def get_member_units(self, task_force):
        return AssignedUnitOutput(_units_in_role(task_force, AssignmentRole.MEMBER), many=True).data


class PlanDetailOutput(PlanListOutput):
    goals = serializers.SerializerMethodField()
    task_force = serializers.SerializerMethodField()
    units = serializers.SerializerMethodField()

    class Meta(PlanListOutput.Meta):
        fields = [*PlanListOutput.Meta.fields, "parent_policies", "goals", "task_force", "units"]

    @extend_schema_field(TargetOutput(many=True))
    def get_goals(self, plan):
        goals = plan.targets.filter(kind=TargetKind.GOAL).order_by("position")
        return TargetOutput(goals, many=True).data

    @extend_schema_field(TaskForceOutput(allow_null=True))
    def get_task_force(self, plan):
        members = Prefetch("assignments", queryset=Assignment.objects.select_related("unit").order_by("position"))
        task_force = TaskForce.objects.filter(plan=plan).prefetch_related(members).first()
        return TaskForceOutput(task_force).data if task_force else None

    @extend_schema_field(AssignedUnitOutput(many=True))
    def get_units(self, plan):
        """Every unit the plan names, in the order the plan first names them."""
        return AssignedUnitOutput(plan.plan_units.select_related("unit").order_by("position"), many=True).data


@extend_schema(tags=["plans"])
class PlanListApi(generics.ListAPIView):
    serializer_class = PlanListOutput

    def get_queryset(self):
        return plan_summaries_visible_to(self.request.user)


@extend_schema(tags=["plans"])
class PlanDetailApi(generics.RetrieveAPIView):
    """A plan's header facts, goals, task force, named units and counts."""

    serializer_class = PlanDetailOutput

    def get_queryset(self):
        return plan_summaries_visible_to(self.request.user)


@extend_schema(tags=["plans"])
class PlanExportApi(APIView):
    """The plan in the interchange format (liangxin.plan/1), as the plan writes its units."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, pk: int):
        plan = get_object_or_404(plans_visible_to(request.user), pk=pk)
        return Response(plan_export(plan))


class PlanImportInput(serializers.Serializer):
    jurisdiction = serializers.IntegerField(help_text=_("Id of the jurisdiction the plan belongs to."))
    plan = serializers.JSONField(help_text=_("The plan in the interchange format (liangxin.plan/1)."))


@extend_schema(tags=["plans"])
class PlanImportApi(APIView):
    """Load a plan in the interchange format into a jurisdiction the caller's office manages."""

    @extend_schema(request=PlanImportInput, responses={201: PlanDetailOutput})
    def post(self, request):
        data = PlanImportInput(data=request.data)
        data.is_valid(raise_exception=True)
        jurisdiction = jurisdictions_managed_by(request.user).filter(pk=data.validated_data["jurisdiction"]).first()
        if jurisdiction is None:
            raise PermissionDenied(_("Only the task force office of that jurisdiction loads plans into it."))
        raw = data.validated_data["plan"]
        try:
            plan = plan_load(
                data=raw,
                jurisdiction=jurisdiction,
                actor=request.user,
                source_name="api-upload.json",
                source_bytes=json.dumps(raw, ensure_ascii=False, indent=1).encode(),
            )
        except InterchangeError as exc:
            raise serializers.ValidationError({"plan": {exc.field: [exc.message]}}) from exc
        plan = plan_summaries_visible_to(request.user).get(pk=plan.pk)
        return Response(PlanDetailOutput(plan).data, status=201)


# --- tasks ------------------------------------------------------------------------------------


class TaskOutput(serializers.ModelSerializer):
    section_path = serializers.SerializerMethodField()
    lead_units = serializers.SerializerMethodField()
    responsible_units = serializers.SerializerMethodField()
    targets = TargetOutput(many=True, read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "plan",
            "number",
            "title",
            "section_path",
            "lead_units",
            "responsible_units",
            "targets",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_section_path(self, task):
        paths = self.context.get("section_paths") or section_paths([task])
        return paths[task.pk]

    @extend_schema_field(AssignedUnitOutput(many=True))
    def get_lead_units(self, task):
        return AssignedUnitOutput(_units_in_role(task, AssignmentRole.LEAD), many=True).data

    @extend_schema_field(AssignedUnitOutput(many=True))
    def get_responsible_units(self, task):
        return AssignedUnitOutput(_units_in_role(task, AssignmentRole.RESPONSIBLE), many=True).data


class TaskUpdateInput(UpdateInput):
    class Meta:
        model = Task
        fields = list(TASK_EDITABLE)


@extend_schema(tags=["tasks"], parameters=[PlanFilterInput])
class TaskListApi(generics.ListAPIView):
    serializer_class = TaskOutput

    def get_queryset(self):
        filters = _filters(PlanFilterInput, self.request)
        return tasks_visible_to(self.request.user, plan_id=filters.get("plan"), unit_id=filters.get("unit"))

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        context = {**self.get_serializer_context(), "section_paths": section_paths(page)}
        return self.get_paginated_response(TaskOutput(page, many=True, context=context).data)


@extend_schema(tags=["tasks"])
class TaskDetailApi(APIView):
    """A task with its section, units and targets; PATCH corrects its number or title."""

    @extend_schema(responses=TaskOutput)
    def get(self, request, pk: int):
        task = get_object_or_404(tasks_visible_to(request.user), pk=pk)
        return Response(TaskOutput(task).data)

    @extend_schema(request=TaskUpdateInput, responses=TaskOutput)
    def patch(self, request, pk: int):
        task = get_object_or_404(tasks_visible_to(request.user), pk=pk)
        if not can_edit_task(request.user, task):
            raise PermissionDenied(_("Only the plan's office or the lead unit of the task may edit it."))
        data = TaskUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        task = call_service(task_update, actor=request.user, task=task, **data.validated_data)
        return Response(TaskOutput(task).data)


# --- indicators -------------------------------------------------------------------------------


class IndicatorOutput(serializers.ModelSerializer):
    baseline_value = NumberField(allow_null=True, read_only=True)
    milestones = MilestoneOutput(many=True, read_only=True)
    units = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = [
            "id",
            "plan",
            "seq",
            "task_text",
            "name",
            "baseline_year",
            "baseline_text",
            "baseline_value",
            "baseline_unit",
            "cumulative",
            "milestones",
            "units",
        ]

    @extend_schema_field(AssignedUnitOutput(many=True))
    def get_units(self, indicator):
        return AssignedUnitOutput(indicator.assignments.all(), many=True).data


class IndicatorUpdateInput(UpdateInput):
    class Meta:
        model = Indicator
        fields = list(INDICATOR_EDITABLE)


@extend_schema(tags=["indicators"], parameters=[PlanFilterInput])
class IndicatorListApi(generics.ListAPIView):
    serializer_class = IndicatorOutput

    def get_queryset(self):
        filters = _filters(PlanFilterInput, self.request)
        return indicators_visible_to(self.request.user, plan_id=filters.get("plan"), unit_id=filters.get("unit"))


@extend_schema(tags=["indicators"])
class IndicatorDetailApi(APIView):
    """An indicator with its baseline, yearly milestones and units; PATCH corrects it."""

    @extend_schema(responses=IndicatorOutput)
    def get(self, request, pk: int):
        indicator = get_object_or_404(indicators_visible_to(request.user), pk=pk)
        return Response(IndicatorOutput(indicator).data)

    @extend_schema(request=IndicatorUpdateInput, responses=IndicatorOutput)
    def patch(self, request, pk: int):
        indicator = get_object_or_404(indicators_visible_to(request.user), pk=pk)
        if not can_edit_indicator(request.user, indicator):
            raise PermissionDenied(_("Only the plan's office or the units of the indicator may edit it."))
        data = IndicatorUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        indicator = call_service(indicator_update, actor=request.user, indicator=indicator, **data.validated_data)
        return Response(IndicatorOutput(indicator).data)


# --- a unit's work across plans ---------------------------------------------------------------


class UnitTaskOutput(serializers.Serializer):
    task = serializers.IntegerField(source="task_id")
    number = serializers.CharField(source="task.number")
    title = serializers.CharField(source="task.title")
    written_as = serializers.CharField()


class UnitIndicatorOutput(serializers.Serializer):
    indicator = serializers.IntegerField(source="indicator_id")
    seq = serializers.IntegerField(source="indicator.seq")
    name = serializers.CharField(source="indicator.name")
    written_as = serializers.CharField()


class UnitTaskForceRoleOutput(serializers.Serializer):
    task_force = serializers.CharField(source="task_force.name")
    role = serializers.CharField()
    written_as = serializers.CharField()


class UnitDivisionRowOutput(serializers.Serializer):
    seq = serializers.IntegerField(source="division_row.seq")
    task = serializers.CharField(source="division_row.task_text")
    written_as = serializers.CharField()


class UnitPolicyItemOutput(serializers.Serializer):
    seq = serializers.IntegerField(source="policy_item.seq")
    title = serializers.CharField(source="policy_item.title")
    written_as = serializers.CharField()


class UnitPlanOutput(serializers.Serializer):
    """What one plan gives the unit to do."""

    plan = serializers.IntegerField(source="plan.id")
    plan_title = serializers.CharField(source="plan.title")
    lead_tasks = UnitTaskOutput(many=True)
    shared_tasks = UnitTaskOutput(many=True)
    indicators = UnitIndicatorOutput(many=True)
    task_force_roles = UnitTaskForceRoleOutput(many=True)
    division_rows = UnitDivisionRowOutput(many=True)
    policy_items = UnitPolicyItemOutput(many=True)


class UnitDetailOutput(UnitOutput):
    """The schema of the unit page; the view fills `plans` from the unit_page selector."""

    plans = UnitPlanOutput(many=True, read_only=True)

    class Meta(UnitOutput.Meta):
        fields = [*UnitOutput.Meta.fields, "plans"]


@extend_schema(tags=["units"])
class UnitDetailApi(APIView):
    """A unit, its aliases, and everything it leads, shares or answers for in the visible plans."""

    @extend_schema(responses=UnitDetailOutput)
    def get(self, request, pk: int):
        unit = get_object_or_404(units_with_aliases_visible_to(request.user), pk=pk)
        plans = unit_page(unit, request.user)["plans"]
        return Response({**UnitOutput(unit).data, "plans": UnitPlanOutput(plans, many=True).data})
