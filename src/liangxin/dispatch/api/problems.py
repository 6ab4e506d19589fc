"""The problem list (问题清单) over the API.

A unit reporter raises problems on its unit's tasks and sees those its unit raised or coordinates;
the plan's office sees all, assigns and resolves; the coordinating unit reports progress; leaders
read. A plan or problem one may not see answers 404; a write one may not make answers 403.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from liangxin.core.api import EnumField
from liangxin.core.api_calls import call_service
from liangxin.core.models import Unit
from liangxin.plans.models import Task

from .. import rules
from .. import selectors_supervision as sel
from ..enums import ProblemCategory, ProblemState
from ..models import Problem
from ..services import problems as services


def _plan(request, pk):
    plan = sel.visible_plan_or_none(request.user, pk)
    if plan is None:
        raise NotFound()
    return plan


def _problem(request, pk) -> Problem:
    problem = sel.problem_for(request.user, pk)
    if problem is None:
        raise NotFound()
    return problem


def _office_problem(request, pk) -> Problem:
    problem = _problem(request, pk)
    if not rules.can_run_dispatch(request.user, problem.plan):
        raise PermissionDenied(_("Only the plan's office assigns and resolves problems."))
    return problem


class ProblemOutput(serializers.ModelSerializer):
    category = EnumField(ProblemCategory, read_only=True)
    state = EnumField(ProblemState, read_only=True)
    task_title = serializers.CharField(source="task.title", default=None, read_only=True)
    raised_by_unit_name = serializers.CharField(source="raised_by_unit.name", read_only=True)
    assigned_unit_name = serializers.CharField(source="assigned_unit.name", default=None, read_only=True)

    class Meta:
        model = Problem
        fields = [
            "id",
            "plan",
            "task",
            "task_title",
            "category",
            "title",
            "description",
            "state",
            "raised_by_unit",
            "raised_by_unit_name",
            "raised_by",
            "assigned_unit",
            "assigned_unit_name",
            "resolution",
            "created_at",
            "assigned_at",
            "resolved_at",
        ]


class ProblemFilterInput(serializers.Serializer):
    state = EnumField(ProblemState, required=False, help_text="Only problems in this state.")
    unit = serializers.IntegerField(
        required=False, min_value=1, help_text="Only problems this unit raised or coordinates."
    )


@extend_schema(tags=["dispatch"], parameters=[ProblemFilterInput])
class ProblemListApi(generics.ListAPIView):
    """A plan's problems the caller may see, newest first."""

    serializer_class = ProblemOutput

    def get_queryset(self):
        plan = _plan(self.request, self.kwargs["plan_pk"])
        filters = ProblemFilterInput(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return sel.problems_for(
            self.request.user,
            plan,
            state=filters.validated_data.get("state"),
            unit_id=filters.validated_data.get("unit"),
        ).order_by("-created_at", "-pk")


class ProblemRaiseInput(serializers.Serializer):
    task = serializers.IntegerField(help_text="Id of a task of the plan that the caller's unit leads or shares.")
    category = EnumField(ProblemCategory)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema(tags=["dispatch"])
class ProblemRaiseApi(APIView):
    """A unit reporter raises a problem on one of its unit's tasks."""

    @extend_schema(request=ProblemRaiseInput, responses={201: ProblemOutput})
    def post(self, request, plan_pk: int):
        plan = _plan(request, plan_pk)
        if not rules.can_raise_problem(request.user, plan):
            raise PermissionDenied(_("Only a unit reporter of the plan's jurisdiction raises problems."))
        data = ProblemRaiseInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["task"] = Task.objects.filter(pk=values["task"], plan=plan).first()
        problem = call_service(services.problem_raise, actor=request.user, plan=plan, **values)
        return Response(ProblemOutput(problem).data, status=201)


@extend_schema(tags=["dispatch"])
class ProblemDetailApi(generics.RetrieveAPIView):
    serializer_class = ProblemOutput

    def get_object(self):
        return _problem(self.request, self.kwargs["pk"])


class ProblemAssignInput(serializers.Serializer):
    unit = serializers.IntegerField(help_text="Id of a unit of the plan's jurisdiction.")


@extend_schema(tags=["dispatch"])
class ProblemAssignApi(APIView):
    """The plan's office gives the problem to a unit to coordinate."""

    @extend_schema(request=ProblemAssignInput, responses=ProblemOutput)
    def post(self, request, pk: int):
        problem = _office_problem(request, pk)
        data = ProblemAssignInput(data=request.data)
        data.is_valid(raise_exception=True)
        unit = Unit.objects.filter(pk=data.validated_data["unit"]).first()
        problem = call_service(services.problem_assign, actor=request.user, problem=problem, unit=unit)
        return Response(ProblemOutput(problem).data)


class ProblemProgressInput(serializers.Serializer):
    progress = serializers.CharField(help_text="Where the problem stands (replaces the previous text).")


@extend_schema(tags=["dispatch"])
class ProblemProgressApi(APIView):
    """The coordinating unit's reporter writes where the problem stands."""

    @extend_schema(request=ProblemProgressInput, responses=ProblemOutput)
    def post(self, request, pk: int):
        problem = _problem(request, pk)
        if not services.can_report_progress(request.user, problem):
            raise PermissionDenied(_("Only the coordinating unit reports progress on a problem."))
        data = ProblemProgressInput(data=request.data)
        data.is_valid(raise_exception=True)
        problem = call_service(services.problem_progress, actor=request.user, problem=problem, **data.validated_data)
        return Response(ProblemOutput(problem).data)


class ProblemResolveInput(serializers.Serializer):
    resolution = serializers.CharField(help_text="How the problem was solved.")


@extend_schema(tags=["dispatch"])
class ProblemResolveApi(APIView):
    """The plan's office closes the problem with its resolution."""

    @extend_schema(request=ProblemResolveInput, responses=ProblemOutput)
    def post(self, request, pk: int):
        problem = _office_problem(request, pk)
        data = ProblemResolveInput(data=request.data)
        data.is_valid(raise_exception=True)
        problem = call_service(services.problem_resolve, actor=request.user, problem=problem, **data.validated_data)
        return Response(ProblemOutput(problem).data)


urlpatterns = [
    path("plans/<int:plan_pk>/problems/", ProblemListApi.as_view(), name="dispatch-problem-list"),
    path("plans/<int:plan_pk>/problems/raise/", ProblemRaiseApi.as_view(), name="dispatch-problem-raise"),
    path("problems/<int:pk>/", ProblemDetailApi.as_view(), name="dispatch-problem-detail"),
    path("problems/<int:pk>/assign/", ProblemAssignApi.as_view(), name="dispatch-problem-assign"),
    path("problems/<int:pk>/progress/", ProblemProgressApi.as_view(), name="dispatch-problem-progress"),
    path("problems/<int:pk>/resolve/", ProblemResolveApi.as_view(), name="dispatch-problem-resolve"),
]
