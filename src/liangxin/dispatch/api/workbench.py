"""The reporting loop over the API: calendar, periods, a unit's submission, the office's review."""

from functools import partial

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from liangxin.core.api_calls import call_service
from liangxin.plans.models import Indicator
from liangxin.plans.selectors import plans_visible_to

from .. import rules, selectors, services
from ..enums import Curve, QualitativeGrade, TaskProgress
from ..models import IndicatorProfile, Period, ReportingCalendar, Submission, TrajectoryVersion

_run = partial(call_service, errors=(services.DispatchError,))


def _plan(request, pk):
    return get_object_or_404(plans_visible_to(request.user), pk=pk)


class CalendarSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportingCalendar
        fields = list(services.CALENDAR_FIELDS)


class PeriodOutput(serializers.ModelSerializer):
    class Meta:
        model = Period
        fields = ["id", "label", "start", "end", "due", "state"]


@extend_schema(tags=["dispatch"])
class CalendarApi(APIView):
    """A plan's reporting calendar; PUT sets it (office only) and generates the periods."""

    @extend_schema(responses=CalendarSerializer)
    def get(self, request, pk: int):
        calendar = get_object_or_404(ReportingCalendar, plan=_plan(request, pk))
        return Response(CalendarSerializer(calendar).data)

    @extend_schema(request=CalendarSerializer, responses=CalendarSerializer)
    def put(self, request, pk: int):
        plan = _plan(request, pk)
        if not rules.can_run_dispatch(request.user, plan):
            raise PermissionDenied(_("Only the task force office runs the reporting calendar."))
        data = CalendarSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        calendar = _run(services.calendar_set, actor=request.user, plan=plan, **data.validated_data)
        return Response(CalendarSerializer(calendar).data)


@extend_schema(tags=["dispatch"])
class PeriodListApi(APIView):
    @extend_schema(responses=PeriodOutput(many=True))
    def get(self, request, pk: int):
        return Response(PeriodOutput(Period.objects.filter(plan=_plan(request, pk)), many=True).data)


class PeriodStateInput(serializers.Serializer):
    state = serializers.ChoiceField(choices=["open", "closed", "planned"])


@extend_schema(tags=["dispatch"])
class PeriodStateApi(APIView):
    @extend_schema(request=PeriodStateInput, responses=PeriodOutput)
    def post(self, request, pk: int):
        period = get_object_or_404(Period, pk=pk, plan__in=plans_visible_to(request.user))
        if not rules.can_run_dispatch(request.user, period.plan):
            raise PermissionDenied(_("Only the task force office opens and closes periods."))
        data = PeriodStateInput(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(
            PeriodOutput(
                _run(services.period_set_state, actor=request.user, period=period, state=data.validated_data["state"])
            ).data
        )


class IndicatorEntryIO(serializers.Serializer):
    indicator = serializers.IntegerField(source="indicator_id")
    name = serializers.CharField(source="indicator.name", read_only=True)
    value = serializers.DecimalField(
        max_digits=20, decimal_places=6, allow_null=True, required=False, coerce_to_string=False
    )
    grade = serializers.ChoiceField(choices=QualitativeGrade.choices, allow_null=True, required=False)
    evidence = serializers.CharField(allow_blank=True, required=False)


class TaskEntryIO(serializers.Serializer):
    task = serializers.IntegerField(source="task_id")
    title = serializers.CharField(source="task.title", read_only=True)
    progress = serializers.ChoiceField(choices=TaskProgress.choices, allow_blank=True, required=False)
    progress_note = serializers.CharField(allow_blank=True, required=False)
    problems = serializers.CharField(allow_blank=True, required=False)
    next_steps = serializers.CharField(allow_blank=True, required=False)


class SubmissionOutput(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name")
    period = serializers.CharField(source="period.label")
    indicators = IndicatorEntryIO(source="indicator_entries", many=True)
    tasks = TaskEntryIO(source="task_entries", many=True)

    class Meta:
        model = Submission
        fields = [
            "id",
            "unit",
            "period",
            "state",
            "version",
            "submitted_at",
            "late",
            "review_comment",
            "is_demo",
            "indicators",
            "tasks",
        ]


class SubmissionInput(serializers.Serializer):
    indicators = IndicatorEntryIO(many=True, required=False)
    tasks = TaskEntryIO(many=True, required=False)
    submit = serializers.BooleanField(default=False)


@extend_schema(tags=["dispatch"])
class MySubmissionApi(APIView):
    """The caller's unit's report for a period: GET it (created as a draft), PUT to save, with
    "submit": true to send it to the office."""

    def _submission(self, request, pk):
        period = get_object_or_404(
            Period.objects.select_related("plan"), pk=pk, plan__in=plans_visible_to(request.user)
        )
        if request.user.unit_id is None or not rules.can_report_for(request.user, request.user.unit, period.plan):
            raise PermissionDenied(_("Only a reporter of a unit that owes this report may fill it in."))
        return _run(services.submission_open, actor=request.user, period=period, unit=request.user.unit)

    @extend_schema(responses=SubmissionOutput)
    def get(self, request, pk: int):
        return Response(SubmissionOutput(selectors.submission_detail(self._submission(request, pk))).data)

    @extend_schema(request=SubmissionInput, responses=SubmissionOutput)
    def put(self, request, pk: int):
        submission = self._submission(request, pk)
        data = SubmissionInput(data=request.data)
        data.is_valid(raise_exception=True)
        indicators = {row.pop("indicator_id"): row for row in data.validated_data.get("indicators", [])}
        tasks = {row.pop("task_id"): row for row in data.validated_data.get("tasks", [])}
        _run(services.submission_save, actor=request.user, submission=submission, indicators=indicators, tasks=tasks)
        if data.validated_data["submit"]:
            _run(services.submission_submit, actor=request.user, submission=submission, now=timezone.now())
        return Response(SubmissionOutput(selectors.submission_detail(submission)).data)


@extend_schema(tags=["dispatch"])
class PeriodSubmissionsApi(APIView):
    """Every unit that owes a report for the period, with its submission state."""

    @extend_schema(responses=SubmissionOutput(many=True))
    def get(self, request, pk: int):
        period = get_object_or_404(Period, pk=pk, plan__in=plans_visible_to(request.user))
        rows = (
            Submission.objects.filter(period=period)
            .select_related("unit", "period")
            .prefetch_related("indicator_entries__indicator", "task_entries__task")
        )
        if request.user.role == "reporter":
            rows = rows.filter(unit_id=request.user.unit_id)
        return Response(SubmissionOutput(rows, many=True).data)


class ReviewInput(serializers.Serializer):
    approve = serializers.BooleanField()
    comment = serializers.CharField(allow_blank=True, required=False, default="")


@extend_schema(tags=["dispatch"])
class SubmissionReviewApi(APIView):
    """The office approves a submitted report or returns it with a comment."""

    @extend_schema(request=ReviewInput, responses=SubmissionOutput)
    def post(self, request, pk: int):
        submission = get_object_or_404(
            Submission.objects.select_related("period__plan"), pk=pk, period__plan__in=plans_visible_to(request.user)
        )
        if not rules.can_run_dispatch(request.user, submission.period.plan):
            raise PermissionDenied(_("Only the task force office approves or returns reports."))
        data = ReviewInput(data=request.data)
        data.is_valid(raise_exception=True)
        _run(services.submission_review, actor=request.user, submission=submission, **data.validated_data)
        return Response(SubmissionOutput(selectors.submission_detail(submission)).data)


class ProfileIO(serializers.ModelSerializer):
    source = serializers.CharField(required=False, allow_blank=True, max_length=60)

    class Meta:
        model = IndicatorProfile
        fields = ["kind", "aggregation", "direction", "source"]


class TrajectoryOutput(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", default=None)

    class Meta:
        model = TrajectoryVersion
        fields = ["version", "curve", "monthly_shares", "reason", "created_by", "created_at"]


class TrajectoryInput(serializers.Serializer):
    curve = serializers.ChoiceField(choices=Curve.choices)
    reason = serializers.CharField(max_length=300)
    monthly_shares = serializers.ListField(
        child=serializers.DecimalField(max_digits=7, decimal_places=6), required=False, allow_null=True
    )


def _indicator(request, pk) -> Indicator:
    return get_object_or_404(
        Indicator.objects.select_related("plan__jurisdiction"), pk=pk, plan__in=plans_visible_to(request.user)
    )


@extend_schema(tags=["dispatch"])
class IndicatorProfileApi(APIView):
    """How an indicator is measured; PATCH by the plan's office."""

    @extend_schema(responses=ProfileIO)
    def get(self, request, pk: int):
        return Response(ProfileIO(services.profile_ensure(indicator=_indicator(request, pk))).data)

    @extend_schema(request=ProfileIO, responses=ProfileIO)
    def patch(self, request, pk: int):
        indicator = _indicator(request, pk)
        if not rules.can_run_dispatch(request.user, indicator.plan):
            raise PermissionDenied(_("Only the task force office sets how indicators are measured."))
        data = ProfileIO(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        return Response(
            ProfileIO(_run(services.profile_set, actor=request.user, indicator=indicator, **data.validated_data)).data
        )


@extend_schema(tags=["dispatch"])
class TrajectoryApi(APIView):
    """An indicator's trajectory versions, newest first; POST adds a version (the office, or a
    reporter of a unit answering for the indicator)."""

    @extend_schema(responses=TrajectoryOutput(many=True))
    def get(self, request, pk: int):
        indicator = _indicator(request, pk)
        services.profile_ensure(indicator=indicator)
        return Response(TrajectoryOutput(indicator.trajectories.order_by("-version"), many=True).data)

    @extend_schema(request=TrajectoryInput, responses={201: TrajectoryOutput})
    def post(self, request, pk: int):
        indicator = _indicator(request, pk)
        if not rules.can_set_trajectory(request.user, indicator):
            raise PermissionDenied(_("Only the office or a unit answering for the indicator changes its trajectory."))
        data = TrajectoryInput(data=request.data)
        data.is_valid(raise_exception=True)
        version = _run(services.trajectory_change, actor=request.user, indicator=indicator, **data.validated_data)
        return Response(TrajectoryOutput(version).data, status=201)


urlpatterns = [
    path("indicators/<int:pk>/profile/", IndicatorProfileApi.as_view(), name="dispatch-indicator-profile"),
    path("indicators/<int:pk>/trajectory/", TrajectoryApi.as_view(), name="dispatch-indicator-trajectory"),
    path("plans/<int:pk>/calendar/", CalendarApi.as_view(), name="dispatch-calendar"),
    path("plans/<int:pk>/periods/", PeriodListApi.as_view(), name="dispatch-periods"),
    path("periods/<int:pk>/state/", PeriodStateApi.as_view(), name="dispatch-period-state"),
    path("periods/<int:pk>/submissions/", PeriodSubmissionsApi.as_view(), name="dispatch-period-submissions"),
    path("periods/<int:pk>/my-submission/", MySubmissionApi.as_view(), name="dispatch-my-submission"),
    path("submissions/<int:pk>/review/", SubmissionReviewApi.as_view(), name="dispatch-submission-review"),
]
