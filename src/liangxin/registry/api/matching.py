"""Matchmaking over the API: a demand's suppliers, a project's finance offers, an enterprise's
policies, the batch push of a jurisdiction; matchmaking events, invitations and outcomes.

Reads: the office of the jurisdiction, leaders above it, a unit reporter for its unit's demands and
projects (liangxin.registry.rules_matching); anything else 404. Writes: the office, else 403.
"""

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from liangxin.core.api_calls import call_service
from liangxin.core.models import Jurisdiction, Unit
from liangxin.core.selectors import jurisdictions_managed_by, jurisdictions_visible_to
from liangxin.core.services import DomainError

from .. import push
from .. import rules_matching as access
from ..enums import InvitationSide, OutcomeState
from ..finance import finance_matches
from ..matching import demand_matches, describe
from ..models import Demand, Enterprise, FinanceOffer, MatchEvent, MatchInvitation, MatchOutcome, Product, Project
from ..services import events as services

# --- matches ------------------------------------------------------------------------------------


class ReasonOutput(serializers.Serializer):
    code = serializers.CharField()
    level = serializers.CharField()
    points = serializers.FloatField()
    text = serializers.CharField()
    detail = serializers.ListField(child=serializers.CharField())


class SupplierMatchOutput(serializers.Serializer):
    rank = serializers.IntegerField()
    enterprise = serializers.IntegerField()
    enterprise_name = serializers.CharField()
    product = serializers.IntegerField()
    product_name = serializers.CharField()
    score = serializers.FloatField()
    reasons = ReasonOutput(many=True)
    other_products = serializers.ListField(child=serializers.IntegerField())


def _reasons(match):
    return [
        {"code": r.code, "level": r.level, "points": r.points, "text": describe(r), "detail": list(r.detail)}
        for r in match.reasons
    ]


class MatchLimitInput(serializers.Serializer):
    limit = serializers.IntegerField(required=False, min_value=1, max_value=500, default=20)


@extend_schema(tags=["registry"], parameters=[MatchLimitInput], responses=SupplierMatchOutput(many=True))
class DemandMatchesApi(APIView):
    """The suppliers that fit a demand, best first, each with the named components of its score."""

    def get(self, request, pk: int):
        demand = Demand.objects.select_related("jurisdiction").filter(pk=pk).first()
        if demand is None or not access.can_read_demand_matches(request.user, demand):
            raise NotFound()
        params = MatchLimitInput(data=request.query_params)
        params.is_valid(raise_exception=True)
        rows = demand_matches(demand, limit=params.validated_data["limit"])
        data = [
            {
                "rank": r.rank,
                "enterprise": r.enterprise.pk,
                "enterprise_name": r.enterprise.name,
                "product": r.product.pk,
                "product_name": r.product.name,
                "score": r.match.score,
                "reasons": _reasons(r.match),
                "other_products": [p.pk for p, _m in r.others],
            }
            for r in rows
        ]
        return Response(SupplierMatchOutput(data, many=True).data)


class FinanceMatchOutput(serializers.Serializer):
    offer = serializers.IntegerField()
    offer_name = serializers.CharField()
    provider = serializers.IntegerField()
    provider_name = serializers.CharField()
    kind = serializers.CharField()
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.DictField())
    to_verify = serializers.ListField(child=serializers.CharField())


@extend_schema(tags=["registry"], responses=FinanceMatchOutput(many=True))
class ProjectFinanceMatchesApi(APIView):
    """The leasing and bank offers that fit a project's financing need, best first."""

    def get(self, request, pk: int):
        project = Project.objects.select_related("jurisdiction", "owner").filter(pk=pk).first()
        if project is None or not access.can_read_project_matches(request.user, project):
            raise NotFound()
        data = [
            {
                "offer": m.offer.pk,
                "offer_name": m.offer.name,
                "provider": m.offer.provider_id,
                "provider_name": m.offer.provider.name,
                "kind": m.offer.kind,
                "score": m.score,
                "reasons": [{"code": c, "points": p, "text": t} for c, p, t in m.reasons],
                "to_verify": m.to_verify,
            }
            for m in finance_matches(project)
        ]
        return Response(FinanceMatchOutput(data, many=True).data)


class PolicyPushOutput(serializers.Serializer):
    policy = serializers.IntegerField()
    title = serializers.CharField()
    level = serializers.CharField()
    state = serializers.ChoiceField(choices=["usable", "near"])
    reasons = serializers.ListField(child=serializers.CharField())
    missing = serializers.ListField(child=serializers.CharField())
    to_verify = serializers.ListField(child=serializers.CharField())


def _push_rows(results):
    return [
        {
            "policy": r["policy"],
            "title": r["policy_title"],
            "level": r["level"],
            "state": r["state"],
            "reasons": r["reasons"],
            "missing": r["missing"],
            "to_verify": r["to_verify"],
        }
        for r in push.batch_rows(results)
    ]


@extend_schema(tags=["registry"], responses=PolicyPushOutput(many=True))
class EnterprisePoliciesApi(APIView):
    """The policies an enterprise can use (state "usable") and those it narrowly misses ("near")."""

    def get(self, request, pk: int):
        enterprise = Enterprise.objects.select_related("jurisdiction").filter(pk=pk).first()
        if enterprise is None or not access.can_read_push(request.user, enterprise.jurisdiction):
            raise NotFound()
        results = push.push_batch([enterprise], today=timezone.localdate())
        return Response(PolicyPushOutput(_push_rows(results), many=True).data)


class PushBatchInput(serializers.Serializer):
    jurisdiction = serializers.IntegerField(help_text="Id of a jurisdiction; its enterprises and those below.")
    state = serializers.ChoiceField(choices=["", "usable", "near"], required=False, default="")


class PushBatchOutput(PolicyPushOutput):
    enterprise = serializers.IntegerField()
    enterprise_name = serializers.CharField()


@extend_schema(tags=["registry"], parameters=[PushBatchInput], responses=PushBatchOutput(many=True))
class PushBatchApi(APIView):
    """One row per enterprise × policy of a jurisdiction, with the reasons (the web page exports .xlsx)."""

    def get(self, request):
        params = PushBatchInput(data=request.query_params)
        params.is_valid(raise_exception=True)
        place = access.push_jurisdictions(request.user).filter(pk=params.validated_data["jurisdiction"]).first()
        if place is None:
            raise NotFound()
        enterprises = Enterprise.objects.filter(jurisdiction__tree_path__startswith=place.tree_path).select_related(
            "jurisdiction"
        )
        results = push.push_batch(enterprises.order_by("name", "pk"), today=timezone.localdate())
        only = params.validated_data["state"]
        rows = [{**r, "title": r["policy_title"]} for r in push.batch_rows(results) if not only or r["state"] == only]
        return Response(PushBatchOutput(rows, many=True).data)


# --- events -------------------------------------------------------------------------------------


class EventOutput(serializers.ModelSerializer):
    summary = serializers.SerializerMethodField()

    class Meta:
        model = MatchEvent
        fields = ["id", "jurisdiction", "title", "held_on", "place", "organiser", "notes", "created_at", "summary"]

    def get_summary(self, event) -> dict:
        summary = services.event_summary(event)
        summary["contract_amount_wan"] = str(summary["contract_amount_wan"])
        return summary


class EventInput(serializers.Serializer):
    jurisdiction = serializers.IntegerField(required=False, help_text="Defaults to the caller's jurisdiction.")
    title = serializers.CharField(max_length=200)
    held_on = serializers.DateField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    organiser = serializers.IntegerField(required=False, allow_null=True, default=None)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


def _event(request, pk) -> MatchEvent:
    event = MatchEvent.objects.select_related("jurisdiction").filter(pk=pk).first()
    if event is None or not access.can_read_events(request.user, event.jurisdiction):
        raise NotFound()
    return event


def _office_event(request, pk) -> MatchEvent:
    event = _event(request, pk)
    if not access.can_record_outcomes(request.user, event.jurisdiction):
        raise PermissionDenied(_("Only the office of the event's jurisdiction changes it."))
    return event


def _unit(pk):
    return Unit.objects.filter(pk=pk).first() if pk else None


@extend_schema(tags=["registry"])
class EventListApi(APIView):
    """Events one may see (GET) or a new event of the office's jurisdiction (POST)."""

    @extend_schema(responses=EventOutput(many=True))
    def get(self, request):
        events = MatchEvent.objects.filter(jurisdiction__in=jurisdictions_visible_to(request.user)).order_by(
            "-held_on", "-pk"
        )
        return Response(EventOutput(events, many=True).data)

    @extend_schema(request=EventInput, responses={201: EventOutput})
    def post(self, request):
        data = EventInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        managed = jurisdictions_managed_by(request.user)
        wanted = values.pop("jurisdiction", None) or request.user.jurisdiction_id
        place = managed.filter(pk=wanted).first() if wanted else None
        if place is None:
            if not Jurisdiction.objects.filter(pk=wanted).exists() or not managed.exists():
                raise PermissionDenied(_("Only an office records matchmaking events."))
            raise PermissionDenied(_("Only the office of that jurisdiction records its events."))
        values["organiser"] = _unit(values["organiser"])
        event = call_service(
            services.event_create, errors=(DomainError,), actor=request.user, jurisdiction=place, **values
        )
        return Response(EventOutput(event).data, status=201)


class EventUpdateInput(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    held_on = serializers.DateField(required=False)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    organiser = serializers.IntegerField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True)


@extend_schema(tags=["registry"])
class EventDetailApi(APIView):
    @extend_schema(responses=EventOutput)
    def get(self, request, pk: int):
        return Response(EventOutput(_event(request, pk)).data)


@extend_schema(tags=["registry"])
class EventUpdateApi(APIView):
    """The office changes the event's facts (only the fields given)."""

    @extend_schema(request=EventUpdateInput, responses=EventOutput)
    def post(self, request, pk: int):
        event = _office_event(request, pk)
        data = EventUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "organiser" in values:
            values["organiser"] = _unit(values["organiser"])
        event = call_service(services.event_update, errors=(DomainError,), actor=request.user, event=event, **values)
        return Response(EventOutput(event).data)


@extend_schema(tags=["registry"])
class EventDeleteApi(APIView):
    """The office deletes an event that has no outcomes recorded."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request, pk: int):
        event = _office_event(request, pk)
        call_service(services.event_delete, errors=(DomainError,), actor=request.user, event=event)
        return Response(status=204)


class InvitationOutput(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = MatchInvitation
        fields = ["id", "event", "enterprise", "enterprise_name", "side", "invited_at", "attended"]


class InviteInput(serializers.Serializer):
    enterprise = serializers.IntegerField(required=False, help_text="Id of the enterprise to invite.")
    demand = serializers.IntegerField(
        required=False, help_text="Instead: invite this demand's owner and its best-matching suppliers."
    )
    top = serializers.IntegerField(required=False, min_value=1, max_value=50, default=5)
    side = serializers.ChoiceField(choices=InvitationSide.choices, required=False)


@extend_schema(tags=["registry"])
class EventInvitationsApi(APIView):
    """The event's invitations (GET); the office invites an enterprise, or a demand's owner with its
    best-matching suppliers (POST)."""

    @extend_schema(responses=InvitationOutput(many=True))
    def get(self, request, pk: int):
        event = _event(request, pk)
        return Response(InvitationOutput(event.invitations.select_related("enterprise"), many=True).data)

    @extend_schema(request=InviteInput, responses={201: InvitationOutput(many=True)})
    def post(self, request, pk: int):
        event = _office_event(request, pk)
        data = InviteInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if values.get("demand"):
            demand = Demand.objects.select_related("jurisdiction", "owner").filter(pk=values["demand"]).first()
            if demand is None or not access.can_read_demand_matches(request.user, demand):
                raise serializers.ValidationError({"demand": _("No such demand.")})
            suppliers = [r.enterprise for r in demand_matches(demand, limit=values["top"])]
            added = call_service(
                services.invitations_from_matches,
                errors=(DomainError,),
                actor=request.user,
                event=event,
                demand=demand,
                suppliers=suppliers,
            )
        else:
            enterprise = Enterprise.objects.filter(pk=values.get("enterprise") or 0).first()
            if enterprise is None or not values.get("side"):
                raise serializers.ValidationError({"enterprise": _("Give an enterprise and its side, or a demand.")})
            added = [
                call_service(
                    services.invitation_add,
                    errors=(DomainError,),
                    actor=request.user,
                    event=event,
                    enterprise=enterprise,
                    side=values["side"],
                )
            ]
        return Response(InvitationOutput(added, many=True).data, status=201)


class AttendanceInput(serializers.Serializer):
    attended = serializers.BooleanField()


def _invitation(request, pk) -> MatchInvitation:
    invitation = MatchInvitation.objects.select_related("event__jurisdiction").filter(pk=pk).first()
    if invitation is None or not access.can_read_events(request.user, invitation.event.jurisdiction):
        raise NotFound()
    if not access.can_record_outcomes(request.user, invitation.event.jurisdiction):
        raise PermissionDenied(_("Only the office of the event's jurisdiction changes it."))
    return invitation


@extend_schema(tags=["registry"])
class InvitationAttendanceApi(APIView):
    @extend_schema(request=AttendanceInput, responses=InvitationOutput)
    def post(self, request, pk: int):
        invitation = _invitation(request, pk)
        data = AttendanceInput(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = services.invitation_set_attended(
            actor=request.user, invitation=invitation, attended=data.validated_data["attended"]
        )
        return Response(InvitationOutput(invitation).data)


@extend_schema(tags=["registry"])
class InvitationRemoveApi(APIView):
    @extend_schema(request=None, responses={204: None})
    def post(self, request, pk: int):
        services.invitation_remove(actor=request.user, invitation=_invitation(request, pk))
        return Response(status=204)


class OutcomeOutput(serializers.ModelSerializer):
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)

    class Meta:
        model = MatchOutcome
        fields = [
            "id",
            "event",
            "demand",
            "project",
            "supplier",
            "supplier_name",
            "product",
            "offer",
            "state",
            "amount_wan",
            "note",
            "recorded_by",
            "at",
        ]


class OutcomeInput(serializers.Serializer):
    event = serializers.IntegerField(required=False, allow_null=True, default=None)
    demand = serializers.IntegerField(required=False, allow_null=True, default=None)
    product = serializers.IntegerField(required=False, allow_null=True, default=None)
    project = serializers.IntegerField(required=False, allow_null=True, default=None)
    offer = serializers.IntegerField(required=False, allow_null=True, default=None)
    supplier = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Defaults to the product's maker or the offer's provider.",
    )
    state = serializers.ChoiceField(choices=OutcomeState.choices, default=OutcomeState.CONTACTED)
    amount_wan = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, default=None
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class OutcomeFilterInput(serializers.Serializer):
    event = serializers.IntegerField(required=False)
    demand = serializers.IntegerField(required=False)
    project = serializers.IntegerField(required=False)


@extend_schema(tags=["registry"])
class OutcomeListApi(APIView):
    """Outcomes one may see (GET, filtered by event, demand or project); the office records one (POST):
    a supplier's product with a demand, or a lender's offer with a project."""

    @extend_schema(parameters=[OutcomeFilterInput], responses=OutcomeOutput(many=True))
    def get(self, request):
        params = OutcomeFilterInput(data=request.query_params)
        params.is_valid(raise_exception=True)
        visible = jurisdictions_visible_to(request.user)
        outcomes = MatchOutcome.objects.filter(models_q_visible(visible)).select_related("supplier")
        for key in ("event", "demand", "project"):
            if key in params.validated_data:
                outcomes = outcomes.filter(**{f"{key}_id": params.validated_data[key]})
        return Response(OutcomeOutput(outcomes.order_by("-at", "-pk"), many=True).data)

    @extend_schema(request=OutcomeInput, responses={201: OutcomeOutput})
    def post(self, request):
        data = OutcomeInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        demand = Demand.objects.select_related("jurisdiction").filter(pk=v["demand"]).first() if v["demand"] else None
        project = (
            Project.objects.select_related("jurisdiction").filter(pk=v["project"]).first() if v["project"] else None
        )
        target = demand or project
        if target is None:
            raise serializers.ValidationError({"detail": _("An outcome is about either a demand or a project.")})
        if not access.can_read_events(request.user, target.jurisdiction):
            raise NotFound()
        if not access.can_record_outcomes(request.user, target.jurisdiction):
            raise PermissionDenied(_("Only the office records outcomes."))
        product = Product.objects.filter(pk=v["product"]).first() if v["product"] else None
        offer = FinanceOffer.objects.filter(pk=v["offer"]).first() if v["offer"] else None
        event = MatchEvent.objects.select_related("jurisdiction").filter(pk=v["event"]).first() if v["event"] else None
        supplier = Enterprise.objects.filter(pk=v["supplier"]).first() if v["supplier"] else None
        supplier = supplier or (product.enterprise if product else None) or (offer.provider if offer else None)
        if supplier is None:
            raise serializers.ValidationError({"supplier": _("Name the supplier, its product or the finance offer.")})
        outcome = call_service(
            services.outcome_record,
            errors=(DomainError,),
            actor=request.user,
            supplier=supplier,
            state=v["state"],
            event=event,
            demand=demand,
            product=product,
            project=project,
            offer=offer,
            amount_wan=v["amount_wan"],
            note=v["note"],
        )
        return Response(OutcomeOutput(outcome).data, status=201)


def models_q_visible(visible):
    from django.db.models import Q

    return Q(demand__jurisdiction__in=visible) | Q(project__jurisdiction__in=visible)


class OutcomeStateInput(serializers.Serializer):
    state = serializers.ChoiceField(choices=OutcomeState.choices)
    amount_wan = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, default=None
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema(tags=["registry"])
class OutcomeSetStateApi(APIView):
    """The office moves an outcome on (contacted → negotiating → contracted with amount, or dropped)."""

    @extend_schema(request=OutcomeStateInput, responses=OutcomeOutput)
    def post(self, request, pk: int):
        outcome = (
            MatchOutcome.objects.select_related("demand__jurisdiction", "project__jurisdiction").filter(pk=pk).first()
        )
        target = outcome and (outcome.demand or outcome.project)
        if outcome is None or not access.can_read_events(request.user, target.jurisdiction):
            raise NotFound()
        if not access.can_record_outcomes(request.user, target.jurisdiction):
            raise PermissionDenied(_("Only the office records outcomes."))
        data = OutcomeStateInput(data=request.data)
        data.is_valid(raise_exception=True)
        outcome = call_service(
            services.outcome_set_state,
            errors=(DomainError,),
            actor=request.user,
            outcome=outcome,
            **data.validated_data,
        )
        return Response(OutcomeOutput(outcome).data)


urlpatterns = [
    path("demands/<int:pk>/matches/", DemandMatchesApi.as_view(), name="registry-demand-matches"),
    path(
        "projects/<int:pk>/finance-matches/",
        ProjectFinanceMatchesApi.as_view(),
        name="registry-project-finance-matches",
    ),
    path("enterprises/<int:pk>/policies/", EnterprisePoliciesApi.as_view(), name="registry-enterprise-policies"),
    path("policy-push/", PushBatchApi.as_view(), name="registry-push-batch"),
    path("events/", EventListApi.as_view(), name="registry-event-list"),
    path("events/<int:pk>/", EventDetailApi.as_view(), name="registry-event-detail"),
    path("events/<int:pk>/update/", EventUpdateApi.as_view(), name="registry-event-update"),
    path("events/<int:pk>/delete/", EventDeleteApi.as_view(), name="registry-event-delete"),
    path("events/<int:pk>/invitations/", EventInvitationsApi.as_view(), name="registry-event-invitations"),
    path("invitations/<int:pk>/attendance/", InvitationAttendanceApi.as_view(), name="registry-invitation-attendance"),
    path("invitations/<int:pk>/remove/", InvitationRemoveApi.as_view(), name="registry-invitation-remove"),
    path("outcomes/", OutcomeListApi.as_view(), name="registry-outcome-list"),
    path("outcomes/<int:pk>/state/", OutcomeSetStateApi.as_view(), name="registry-outcome-set-state"),
]
