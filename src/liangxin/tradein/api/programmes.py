"""Programmes, rule versions, budgets and voucher windows over the API (office; merchants read)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from liangxin.core.api import EnumField
from liangxin.core.api_calls import call_service
from liangxin.core.models import Jurisdiction
from liangxin.core.rules import can_manage_jurisdiction
from liangxin.core.services import DomainError

from .. import selectors
from ..enums import BudgetState, LedgerKind
from ..formula import rules_problems
from ..models import Budget, BudgetEntry, RuleVersion, VoucherWindow
from ..services import budget as budget_services
from ..services import programmes as services
from ..services import vouchers as voucher_services
from .common import SmallBodyMixin, managed_programme, visible_programme

TAGS = ["tradein programmes"]


class RuleVersionOutput(serializers.ModelSerializer):
    class Meta:
        model = RuleVersion
        fields = ["id", "version", "effective_from", "rules", "reason", "created_at"]


class ProgrammeOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    jurisdiction = serializers.IntegerField(source="jurisdiction_id")
    jurisdiction_name = serializers.CharField(source="jurisdiction.full_name")
    year = serializers.IntegerField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    uses_vouchers = serializers.BooleanField()
    description = serializers.CharField()
    created_at = serializers.DateTimeField()


class BudgetOutput(serializers.Serializer):
    state = EnumField(BudgetState)
    released = serializers.DecimalField(max_digits=14, decimal_places=2)
    available = serializers.DecimalField(max_digits=14, decimal_places=2)
    reserved = serializers.DecimalField(max_digits=14, decimal_places=2)
    paid = serializers.DecimalField(max_digits=14, decimal_places=2)
    clawback_owed = serializers.DecimalField(max_digits=14, decimal_places=2)
    clawback_repaid = serializers.DecimalField(max_digits=14, decimal_places=2)
    available_percent = serializers.DecimalField(max_digits=6, decimal_places=1)
    state_changed_at = serializers.DateTimeField(allow_null=True)
    announcement = serializers.CharField()


class ProgrammeDetailOutput(ProgrammeOutput):
    current_rules = serializers.SerializerMethodField()
    budget = serializers.SerializerMethodField()

    @extend_schema_field(RuleVersionOutput(allow_null=True))
    def get_current_rules(self, programme):
        version = services.rule_version_for(programme=programme, on=timezone.localdate())
        version = version or programme.rule_versions.order_by("-version").first()
        return RuleVersionOutput(version).data if version else None

    @extend_schema_field(BudgetOutput(allow_null=True))
    def get_budget(self, programme):
        budget = Budget.objects.filter(programme=programme).first()
        return BudgetOutput(selectors.budget_summary(budget)).data if budget else None


def _rules_field(value):
    problems = rules_problems(value)
    if problems:
        raise serializers.ValidationError(problems)
    return value


class ProgrammeCreateInput(serializers.Serializer):
    jurisdiction = serializers.IntegerField(required=False, help_text="Default: your own jurisdiction.")
    name = serializers.CharField(max_length=200)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    uses_vouchers = serializers.BooleanField(default=False)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    rules = serializers.JSONField(required=False, help_text="The rule set; or give national_rules_year.")
    national_rules_year = serializers.IntegerField(required=False)
    budget = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, min_value=0)

    def validate(self, attrs):
        if attrs["starts_on"] > attrs["ends_on"]:
            raise serializers.ValidationError({"ends_on": _("The programme must end after it starts.")})
        if "rules" in attrs:
            _rules_field(attrs["rules"])
        elif "national_rules_year" not in attrs:
            raise serializers.ValidationError({"rules": _("Give the rules or national_rules_year.")})
        return attrs


@extend_schema(tags=TAGS)
class ProgrammeListApi(SmallBodyMixin, generics.ListAPIView):
    """Programmes you may see; an office creates one for its jurisdiction (POST)."""

    serializer_class = ProgrammeOutput

    def get_queryset(self):
        return selectors.programmes_visible_to(self.request.user).order_by("-year", "id")

    @extend_schema(request=ProgrammeCreateInput, responses={201: ProgrammeDetailOutput})
    def post(self, request):
        data = ProgrammeCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        jurisdiction_id = values.pop("jurisdiction", None) or request.user.jurisdiction_id
        jurisdiction = Jurisdiction.objects.filter(pk=jurisdiction_id).first()
        if jurisdiction is None or not can_manage_jurisdiction(request.user, jurisdiction):
            raise PermissionDenied(_("Only the office of a jurisdiction creates its programmes."))
        year = values.pop("national_rules_year", None)
        rules = values.pop("rules", None)
        if rules is None:
            rules = call_service(services.ruleset_load, errors=(DomainError,), year=year)
        budget = values.pop("budget", None)
        with transaction.atomic():
            programme = call_service(
                services.programme_create,
                errors=(DomainError,),
                actor=request.user,
                jurisdiction=jurisdiction,
                rules=rules,
                **values,
            )
            if budget is not None:
                new_budget = budget_services.budget_create(actor=request.user, programme=programme)
                if budget > 0:
                    budget_services.budget_release(actor=request.user, budget=new_budget, amount=budget)
        return Response(ProgrammeDetailOutput(programme).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS, responses=ProgrammeDetailOutput)
class ProgrammeDetailApi(APIView):
    def get(self, request, pk):
        return Response(ProgrammeDetailOutput(visible_programme(request, pk)).data)


class RulesQueryInput(serializers.Serializer):
    on = serializers.DateField(required=False, help_text="The rules applying to purchases of this date.")


@extend_schema(tags=TAGS, parameters=[RulesQueryInput], responses=RuleVersionOutput)
class ProgrammeRulesApi(APIView):
    """The rule version that applies on a date (default today; the latest when none applies yet)."""

    def get(self, request, pk):
        programme = visible_programme(request, pk)
        query = RulesQueryInput(data=request.query_params)
        query.is_valid(raise_exception=True)
        version = services.rule_version_for(
            programme=programme, on=query.validated_data.get("on", timezone.localdate())
        )
        version = version or programme.rule_versions.order_by("-version").first()
        return Response(RuleVersionOutput(version).data)


class RuleVersionInput(serializers.Serializer):
    rules = serializers.JSONField(validators=[_rules_field])
    effective_from = serializers.DateField()
    reason = serializers.CharField(max_length=300)


@extend_schema(tags=TAGS)
class RuleVersionListApi(SmallBodyMixin, APIView):
    @extend_schema(responses=RuleVersionOutput(many=True))
    def get(self, request, pk):
        programme = visible_programme(request, pk)
        return Response(RuleVersionOutput(programme.rule_versions.order_by("-version"), many=True).data)

    @extend_schema(request=RuleVersionInput, responses={201: RuleVersionOutput})
    def post(self, request, pk):
        programme = managed_programme(request, pk)
        data = RuleVersionInput(data=request.data)
        data.is_valid(raise_exception=True)
        version = call_service(
            services.rule_version_add,
            errors=(DomainError,),
            actor=request.user,
            programme=programme,
            **data.validated_data,
        )
        return Response(RuleVersionOutput(version).data, status=status.HTTP_201_CREATED)


def _budget(programme) -> Budget:
    budget = Budget.objects.filter(programme=programme).first()
    if budget is None:
        from rest_framework.exceptions import NotFound

        raise NotFound(_("The programme has no budget yet."))
    return budget


@extend_schema(tags=TAGS, responses=BudgetOutput)
class BudgetApi(APIView):
    def get(self, request, pk):
        return Response(BudgetOutput(selectors.budget_summary(_budget(visible_programme(request, pk)))).data)


class TrancheInput(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


@extend_schema(tags=TAGS, request=TrancheInput, responses=BudgetOutput)
class BudgetReleaseApi(SmallBodyMixin, APIView):
    """Release a tranche (creates the budget, 16 buckets, when the programme has none)."""

    def post(self, request, pk):
        programme = managed_programme(request, pk)
        data = TrancheInput(data=request.data)
        data.is_valid(raise_exception=True)
        budget = Budget.objects.filter(programme=programme).first()
        if budget is None:
            budget = budget_services.budget_create(actor=request.user, programme=programme)
        call_service(
            budget_services.budget_release,
            errors=(DomainError,),
            actor=request.user,
            budget=budget,
            **data.validated_data,
        )
        budget.refresh_from_db()
        return Response(BudgetOutput(selectors.budget_summary(budget)).data)


class BudgetStateInput(serializers.Serializer):
    state = EnumField(BudgetState)
    announcement = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    auto_switch = serializers.BooleanField(required=False)


@extend_schema(tags=TAGS, request=BudgetStateInput, responses=BudgetOutput)
class BudgetStateApi(SmallBodyMixin, APIView):
    """Switch the budget's state by hand (open, throttled, paused, closed) and set the announcement."""

    def post(self, request, pk):
        programme = managed_programme(request, pk)
        data = BudgetStateInput(data=request.data)
        data.is_valid(raise_exception=True)
        budget = call_service(
            budget_services.budget_set_state,
            errors=(DomainError,),
            actor=request.user,
            budget=_budget(programme),
            **data.validated_data,
        )
        return Response(BudgetOutput(selectors.budget_summary(budget)).data)


class LedgerOutput(serializers.ModelSerializer):
    kind = EnumField(LedgerKind)
    bucket = serializers.IntegerField(source="bucket.index")
    claim_number = serializers.CharField(source="claim.number", default=None)

    class Meta:
        model = BudgetEntry
        fields = ["id", "at", "kind", "amount", "delta", "bucket", "claim", "claim_number", "note"]


@extend_schema(tags=TAGS)
class BudgetLedgerApi(generics.ListAPIView):
    """The budget's ledger, newest first (office of the jurisdiction, leaders above it)."""

    serializer_class = LedgerOutput

    def get_queryset(self):
        programme = visible_programme(self.request, self.kwargs["pk"])
        if self.request.user.role == "merchant":
            raise PermissionDenied(_("Merchants do not see the budget's ledger."))
        return BudgetEntry.objects.filter(budget=_budget(programme)).select_related("bucket", "claim").order_by("-id")


class WindowOutput(serializers.ModelSerializer):
    class Meta:
        model = VoucherWindow
        fields = [
            "id",
            "programme",
            "category",
            "opens_at",
            "closes_at",
            "daily_quota",
            "valid_days",
            "return_on_expiry",
            "return_on_refund",
        ]


class WindowInput(serializers.Serializer):
    category = serializers.CharField(max_length=50)
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    daily_quota = serializers.IntegerField(min_value=1, max_value=10_000_000)
    valid_days = serializers.IntegerField(min_value=1, max_value=366)
    return_on_expiry = serializers.BooleanField(default=True)
    return_on_refund = serializers.BooleanField(default=False)

    def validate(self, attrs):
        if attrs["opens_at"] >= attrs["closes_at"]:
            raise serializers.ValidationError({"closes_at": _("The window must close after it opens.")})
        return attrs


@extend_schema(tags=TAGS)
class VoucherWindowListApi(SmallBodyMixin, APIView):
    @extend_schema(responses=WindowOutput(many=True))
    def get(self, request, pk):
        programme = visible_programme(request, pk)
        return Response(WindowOutput(programme.voucher_windows.order_by("opens_at"), many=True).data)

    @extend_schema(request=WindowInput, responses={201: WindowOutput})
    def post(self, request, pk):
        programme = managed_programme(request, pk)
        data = WindowInput(data=request.data)
        data.is_valid(raise_exception=True)
        window = call_service(
            voucher_services.voucher_window_create,
            errors=(DomainError,),
            actor=request.user,
            programme=programme,
            **data.validated_data,
        )
        return Response(WindowOutput(window).data, status=status.HTTP_201_CREATED)
