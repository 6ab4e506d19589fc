"""The 督办 list and notifications over the API.

Reads go through the selectors: the office and leaders see every item of a plan they may see, a
reporter its unit's; a plan or item outside answers 404. Writes (scan, escalate, put before a
leader, resolve) are the office's: anyone else who can see the item gets 403.
"""

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from liangxin.core.api import EnumField
from liangxin.core.api_calls import call_service
from liangxin.core.models import User

from .. import rules
from .. import selectors_supervision as sel
from ..enums import SupervisionLevel, SupervisionRule
from ..models import Notification, SupervisionItem
from ..services import supervision as services


def _plan(request, pk):
    plan = sel.visible_plan_or_none(request.user, pk)
    if plan is None:
        raise NotFound()
    return plan


def _office_item(request, pk) -> SupervisionItem:
    item = sel.supervision_item_for(request.user, pk)
    if item is None:
        raise NotFound()
    if not rules.can_run_dispatch(request.user, item.plan):
        raise PermissionDenied(_("Only the plan's office handles the supervision list."))
    return item


class UnitRefOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SupervisionItemOutput(serializers.ModelSerializer):
    rule = EnumField(SupervisionRule, read_only=True)
    level = EnumField(SupervisionLevel, read_only=True)
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    period_label = serializers.CharField(source="period.label", default=None, read_only=True)
    units = serializers.SerializerMethodField()
    next_level = serializers.SerializerMethodField()
    escalated_to_name = serializers.SerializerMethodField()

    class Meta:
        model = SupervisionItem
        fields = [
            "id",
            "plan",
            "period",
            "period_label",
            "rule",
            "subject_type",
            "subject_id",
            "title",
            "level",
            "level_label",
            "units",
            "opened_at",
            "resolved_at",
            "escalated_to",
            "escalated_to_name",
            "note",
            "next_level",
        ]

    @extend_schema_field(UnitRefOutput(many=True))
    def get_units(self, item):
        units = self.context.get("units")
        if units is None:
            units = sel.units_by_item(item.plan, [item])
        return [{"id": u.pk, "name": u.name} for u in units.get(item.pk, [])]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_next_level(self, item):
        """The one level the office may escalate to next (null: none)."""
        return services.next_level(item)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_escalated_to_name(self, item):
        leader = item.escalated_to
        return (leader.get_full_name() or leader.get_username()) if leader else None


class SupervisionFilterInput(serializers.Serializer):
    state = serializers.ChoiceField(
        choices=["open", "resolved", "all"],
        required=False,
        default="open",
        help_text="Open (default), resolved or all.",
    )
    level = EnumField(SupervisionLevel, required=False, help_text="Only items at this level.")


@extend_schema(tags=["dispatch"], parameters=[SupervisionFilterInput])
class SupervisionListApi(generics.ListAPIView):
    """A plan's 督办 items the caller may see: all for the office and leaders, a reporter its unit's."""

    serializer_class = SupervisionItemOutput

    def get_queryset(self):
        plan = _plan(self.request, self.kwargs["plan_pk"])
        filters = SupervisionFilterInput(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        self.plan = plan
        return sel.supervision_items_for(
            self.request.user, plan, state=filters.validated_data["state"], level=filters.validated_data.get("level")
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        context = {**self.get_serializer_context(), "units": sel.units_by_item(self.plan, page)}
        return self.get_paginated_response(SupervisionItemOutput(page, many=True, context=context).data)


class ScanInput(serializers.Serializer):
    today = serializers.DateField(required=False, help_text="Scan as of this date (default: today).")


class ScanOutput(serializers.Serializer):
    created = serializers.IntegerField()
    raised = serializers.IntegerField()
    resolved = serializers.IntegerField()
    notifications = serializers.IntegerField()
    skipped_rules = serializers.ListField(child=serializers.CharField())
    open_items = serializers.IntegerField()


@extend_schema(tags=["dispatch"])
class SupervisionScanApi(APIView):
    """Run the supervision scan of a plan now (office only); idempotent."""

    @extend_schema(request=ScanInput, responses=ScanOutput)
    def post(self, request, plan_pk: int):
        plan = _plan(request, plan_pk)
        if not rules.can_run_dispatch(request.user, plan):
            raise PermissionDenied(_("Only the plan's office runs the scan."))
        data = ScanInput(data=request.data)
        data.is_valid(raise_exception=True)
        today = data.validated_data.get("today") or timezone.localdate()
        report = services.supervision_scan_report(plan=plan, today=today, actor=request.user)
        return Response(
            ScanOutput(
                {
                    "created": report.created,
                    "raised": report.raised,
                    "resolved": report.resolved,
                    "notifications": report.notifications,
                    "skipped_rules": report.skipped_rules,
                    "open_items": len(report.items),
                }
            ).data
        )


class EscalateInput(serializers.Serializer):
    level = EnumField(SupervisionLevel, help_text="The next level: urged after overdue, named, then supervised.")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


@extend_schema(tags=["dispatch"])
class SupervisionEscalateApi(APIView):
    """One step up the ladder beyond red (催办 → 通报 → 督办); office only."""

    @extend_schema(request=EscalateInput, responses=SupervisionItemOutput)
    def post(self, request, pk: int):
        item = _office_item(request, pk)
        data = EscalateInput(data=request.data)
        data.is_valid(raise_exception=True)
        item = call_service(services.supervision_escalate, actor=request.user, item=item, **data.validated_data)
        return Response(SupervisionItemOutput(item).data)


class LeaderInput(serializers.Serializer):
    leader = serializers.IntegerField(help_text="Id of a leader whose jurisdiction covers the plan.")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


@extend_schema(tags=["dispatch"])
class SupervisionEscalateToLeaderApi(APIView):
    """Put an item before a leader over the plan's jurisdiction, who is notified; office only."""

    @extend_schema(request=LeaderInput, responses=SupervisionItemOutput)
    def post(self, request, pk: int):
        item = _office_item(request, pk)
        data = LeaderInput(data=request.data)
        data.is_valid(raise_exception=True)
        leader = User.objects.filter(pk=data.validated_data["leader"]).first()
        item = call_service(
            services.supervision_escalate_to_leader,
            actor=request.user,
            item=item,
            leader=leader,
            note=data.validated_data["note"],
        )
        return Response(SupervisionItemOutput(item).data)


class ResolveInput(serializers.Serializer):
    note = serializers.CharField(max_length=1000, help_text="How the item was resolved.")


@extend_schema(tags=["dispatch"])
class SupervisionResolveApi(APIView):
    """Close an item with a note; office only."""

    @extend_schema(request=ResolveInput, responses=SupervisionItemOutput)
    def post(self, request, pk: int):
        item = _office_item(request, pk)
        data = ResolveInput(data=request.data)
        data.is_valid(raise_exception=True)
        item = call_service(
            services.supervision_resolve, actor=request.user, item=item, note=data.validated_data["note"]
        )
        return Response(SupervisionItemOutput(item).data)


# --- notifications ----------------------------------------------------------------------------


class NotificationOutput(serializers.ModelSerializer):
    level = serializers.CharField(read_only=True, help_text="The 督办 level it reminds of; empty for other news.")
    plan = serializers.IntegerField(source="item.plan_id", default=None, read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "item", "plan", "level", "text", "url", "created_at", "read_at", "emailed"]


class NotificationFilterInput(serializers.Serializer):
    unread = serializers.BooleanField(required=False, default=False, help_text="Only unread ones.")


@extend_schema(tags=["dispatch"], parameters=[NotificationFilterInput])
class NotificationListApi(generics.ListAPIView):
    """The caller's own notifications, newest first."""

    serializer_class = NotificationOutput

    def get_queryset(self):
        filters = NotificationFilterInput(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return sel.notifications_for(self.request.user, unread_only=filters.validated_data["unread"])


@extend_schema(tags=["dispatch"])
class NotificationReadApi(APIView):
    """Mark one of the caller's notifications as read (someone else's answers 404)."""

    @extend_schema(request=None, responses=NotificationOutput)
    def post(self, request, pk: int):
        notification = get_object_or_404(Notification, pk=pk, user=request.user)
        notification = services.notification_mark_read(user=request.user, notification=notification)
        return Response(NotificationOutput(notification).data)


class ReadAllOutput(serializers.Serializer):
    marked = serializers.IntegerField()


@extend_schema(tags=["dispatch"])
class NotificationReadAllApi(APIView):
    """Mark all the caller's notifications as read."""

    @extend_schema(request=None, responses=ReadAllOutput)
    def post(self, request):
        return Response({"marked": services.notifications_mark_all_read(user=request.user)})


urlpatterns = [
    path("plans/<int:plan_pk>/supervision/", SupervisionListApi.as_view(), name="dispatch-supervision-list"),
    path("plans/<int:plan_pk>/supervision/scan/", SupervisionScanApi.as_view(), name="dispatch-supervision-scan"),
    path("supervision/<int:pk>/escalate/", SupervisionEscalateApi.as_view(), name="dispatch-supervision-escalate"),
    path(
        "supervision/<int:pk>/escalate-to-leader/",
        SupervisionEscalateToLeaderApi.as_view(),
        name="dispatch-supervision-escalate-to-leader",
    ),
    path("supervision/<int:pk>/resolve/", SupervisionResolveApi.as_view(), name="dispatch-supervision-resolve"),
    path("notifications/", NotificationListApi.as_view(), name="dispatch-notification-list"),
    path("notifications/<int:pk>/read/", NotificationReadApi.as_view(), name="dispatch-notification-read"),
    path("notifications/read-all/", NotificationReadAllApi.as_view(), name="dispatch-notifications-read-all"),
]
