"""Claims over the API: merchants submit (one or a batch of up to 1,000) and list their own; the
office of the programme's jurisdiction lists, filters, moves, rejects, reveals and refunds; flags
and clawbacks. A claim one may not see answers 404; a write one may not make answers 403."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from liangxin.core.api import EnumField
from liangxin.core.api_calls import call_service
from liangxin.core.services import DomainError

from .. import rules, selectors
from ..enums import (
    ClaimState,
    ClawbackState,
    FlagKind,
    FlagState,
    InvoiceTitleType,
    RejectCode,
)
from ..models import Claim, ClaimFlag, Clawback
from ..services import claims as services
from ..services import refunds as refund_services
from ..services.checks import ClaimRefused
from .common import (
    BATCH_BODY,
    BodyLimitMixin,
    SmallBodyMixin,
    TooManyClaims,
    limited_json_parser,
    require_merchant,
    reviewed_claim,
    visible_claim,
    visible_programme,
)

TAGS = ["tradein claims"]
MONEY = {"max_digits": 14, "decimal_places": 2}


class FlagOutput(serializers.ModelSerializer):
    kind = EnumField(FlagKind)
    state = EnumField(FlagState)
    claim_number = serializers.CharField(source="claim.number")

    class Meta:
        model = ClaimFlag
        fields = ["id", "claim", "claim_number", "kind", "state", "evidence", "raised_at", "decided_at", "reason"]


class ClaimOutput(serializers.ModelSerializer):
    """A claim with the buyer's identity and phone masked (110***********1234, 138****5678)."""

    state = EnumField(ClaimState)
    reject_code = serializers.CharField()
    merchant_name = serializers.CharField(source="merchant.name")
    buyer_id = serializers.CharField(source="buyer_id_masked")
    buyer_phone = serializers.CharField(source="buyer_phone_masked")
    overdue = serializers.SerializerMethodField()
    flags = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = [
            "id",
            "number",
            "programme",
            "rule_version",
            "merchant",
            "merchant_name",
            "idempotency_key",
            "state",
            "buyer_name",
            "buyer_id",
            "buyer_phone",
            "category",
            "product_model",
            "energy_grade",
            "serial_number",
            "purchased_on",
            "price_paid",
            "subsidy",
            "invoice_total",
            "invoice_no",
            "invoice_title_type",
            "delivery_address",
            "voucher",
            "recycler_handover_no",
            "scrappage_certificate_no",
            "vin",
            "first_registration_date",
            "route",
            "powertrain",
            "displacement",
            "slot",
            "reject_code",
            "reject_reason",
            "submitted_at",
            "accepted_at",
            "reviewed_at",
            "approved_at",
            "paid_at",
            "accept_due",
            "review_due",
            "pay_due",
            "overdue",
            "flags",
        ]

    def get_overdue(self, claim) -> str | None:
        return selectors.overdue_stage(claim)

    def get_flags(self, claim) -> list[dict]:
        return [{"id": f.id, "kind": f.kind, "state": f.state} for f in claim.flags.all()]


class ClaimRowInput(serializers.Serializer):
    idempotency_key = serializers.CharField(max_length=100)
    buyer_name = serializers.CharField(max_length=100)
    buyer_id = serializers.CharField(max_length=40, help_text="身份证号 (18 characters, GB 11643).")
    buyer_phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    category = serializers.CharField(max_length=50)
    product_model = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    energy_grade = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)
    serial_number = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    purchased_on = serializers.DateField()
    price_paid = serializers.DecimalField(**MONEY)
    subsidy = serializers.DecimalField(**MONEY)
    invoice_total = serializers.DecimalField(**MONEY, required=False, allow_null=True)
    invoice_no = serializers.CharField(max_length=50)
    invoice_title_type = serializers.ChoiceField(InvoiceTitleType.choices, default=InvoiceTitleType.PERSON)
    delivery_address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    device_id = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    voucher_code = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    recycler_handover_no = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    scrappage_certificate_no = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    vin = serializers.CharField(max_length=17, required=False, allow_blank=True, default="")
    first_registration_date = serializers.DateField(required=False, allow_null=True)
    route = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    powertrain = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    displacement = serializers.DecimalField(max_digits=4, decimal_places=2, required=False, allow_null=True)

    def validate_price_paid(self, value):
        if value <= 0:
            raise serializers.ValidationError(_("The price paid must be more than zero."))
        return value

    def validate_subsidy(self, value):
        if value < 0:
            raise serializers.ValidationError(_("The subsidy cannot be negative."))
        return value


class ClaimSubmitInput(ClaimRowInput):
    programme = serializers.IntegerField()


class ClaimSubmitOutput(ClaimOutput):
    created = serializers.SerializerMethodField()

    class Meta(ClaimOutput.Meta):
        fields = [*ClaimOutput.Meta.fields, "created"]

    def get_created(self, claim) -> bool:
        return bool(self.context.get("created"))


def _submittable_programme(request, pk):
    try:
        programme = visible_programme(request, pk)
    except NotFound:
        raise NotFound(_("No such programme.")) from None
    if not rules.can_submit_claims(request.user, programme):
        raise PermissionDenied(_("This merchant does not take part in the programme."))
    return programme


class ClaimFilterInput(serializers.Serializer):
    programme = serializers.IntegerField(required=False)
    state = EnumField(ClaimState, required=False)
    category = serializers.CharField(required=False)
    merchant = serializers.IntegerField(required=False)
    flagged = serializers.BooleanField(required=False, allow_null=True, default=None)
    overdue = serializers.BooleanField(required=False, allow_null=True, default=None)
    q = serializers.CharField(required=False, allow_blank=True, help_text="Claim number, invoice, serial, name or ID.")


@extend_schema(tags=TAGS)
class ClaimListApi(SmallBodyMixin, generics.ListAPIView):
    """GET: the claims you may see (a merchant: its own), filtered. POST (merchant): submit one
    claim; the same idempotency_key again answers the original claim with created false (200)."""

    serializer_class = ClaimOutput

    @extend_schema(parameters=[ClaimFilterInput])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        query = ClaimFilterInput(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        values = query.validated_data
        claims = selectors.claims_visible_to(self.request.user).prefetch_related("flags")
        if values.get("programme"):
            claims = claims.filter(programme_id=values["programme"])
        return selectors.claims_filtered(
            claims,
            state=values.get("state"),
            category=values.get("category"),
            merchant_id=values.get("merchant"),
            flagged=values.get("flagged"),
            overdue=values.get("overdue"),
            search=values.get("q", ""),
        )

    @extend_schema(request=ClaimSubmitInput, responses={201: ClaimSubmitOutput, 200: ClaimSubmitOutput})
    def post(self, request):
        merchant = require_merchant(request)
        data = ClaimSubmitInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        programme = _submittable_programme(request, values.pop("programme"))
        key = values.pop("idempotency_key")
        try:
            result = services.claim_submit(
                actor=request.user, merchant=merchant, programme=programme, idempotency_key=key, data=values
            )
        except ClaimRefused as exc:
            if exc.code == "throttled":
                raise TooManyClaims(exc.message) from exc
            return Response({"code": exc.code, "detail": exc.message}, status=status.HTTP_400_BAD_REQUEST)
        body = ClaimSubmitOutput(result.claim, context={"created": result.created}).data
        return Response(body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)


class BatchInput(serializers.Serializer):
    programme = serializers.IntegerField()
    claims = serializers.ListField(child=serializers.DictField(), min_length=1, max_length=services.MAX_BATCH)


class BatchRowOutput(serializers.Serializer):
    index = serializers.IntegerField()
    ok = serializers.BooleanField()
    created = serializers.BooleanField()
    id = serializers.IntegerField(allow_null=True)
    number = serializers.CharField(allow_null=True)
    state = serializers.CharField(allow_null=True)
    flags = serializers.ListField(child=serializers.CharField())
    code = serializers.CharField()
    errors = serializers.JSONField()


@extend_schema(tags=TAGS)
class ClaimBatchApi(BodyLimitMixin, APIView):
    """POST (merchant): up to 1,000 claims; each row is answered with its claim or its reason, and
    the good rows are kept even when some are refused. Bodies over 2 MB answer 413."""

    body_limit = BATCH_BODY
    parser_classes = [limited_json_parser(BATCH_BODY)]

    @extend_schema(request=BatchInput, responses=BatchRowOutput(many=True))
    def post(self, request):
        merchant = require_merchant(request)
        data = BatchInput(data=request.data)
        data.is_valid(raise_exception=True)
        programme = _submittable_programme(request, data.validated_data["programme"])
        rows, answers, valid = data.validated_data["claims"], {}, []
        for index, row in enumerate(rows):
            parsed = ClaimRowInput(data=row)
            if parsed.is_valid():
                valid.append((index, dict(parsed.validated_data)))
            else:
                answers[index] = _row(index, ok=False, code="invalid", errors=parsed.errors)
        results = services.claim_submit_batch(
            actor=request.user, merchant=merchant, programme=programme, rows=[row for _i, row in valid]
        )
        for (index, _row_data), result in zip(valid, results, strict=True):
            if result.ok:
                answers[index] = _row(
                    index,
                    ok=True,
                    created=result.created,
                    claim=result.claim,
                    flags=result.flags or [],
                )
            else:
                answers[index] = _row(index, ok=False, code=result.code, errors={"detail": result.reason})
        body = [answers[i] for i in range(len(rows))]
        accepted = sum(1 for row in body if row["ok"])
        return Response(
            {"accepted": accepted, "refused": len(body) - accepted, "results": body}, status=status.HTTP_200_OK
        )


def _row(index, *, ok, created=False, claim=None, flags=(), code="", errors=None) -> dict:
    return {
        "index": index,
        "ok": ok,
        "created": created,
        "id": claim.pk if claim else None,
        "number": claim.number if claim else None,
        "state": claim.state if claim else None,
        "flags": list(flags),
        "code": code,
        "errors": errors or {},
    }


class ClaimEventOutput(serializers.Serializer):
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    at = serializers.DateTimeField()
    actor = serializers.CharField(source="actor.username", default=None)
    note = serializers.CharField()


class ClaimDetailOutput(ClaimOutput):
    events = ClaimEventOutput(many=True, read_only=True)
    flag_details = FlagOutput(many=True, read_only=True, source="flags")

    class Meta(ClaimOutput.Meta):
        fields = [*ClaimOutput.Meta.fields, "events", "flag_details"]


@extend_schema(tags=TAGS, responses=ClaimDetailOutput)
class ClaimDetailApi(APIView):
    def get(self, request, pk):
        return Response(ClaimDetailOutput(visible_claim(request, pk)).data)


class TransitionInput(serializers.Serializer):
    to_state = serializers.ChoiceField([ClaimState.ACCEPTED, ClaimState.REVIEWED, ClaimState.APPROVED])
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


@extend_schema(tags=TAGS, request=TransitionInput, responses=ClaimDetailOutput)
class ClaimTransitionApi(SmallBodyMixin, APIView):
    """Accept, review or approve a claim (approval reserves its subsidy from the budget)."""

    def post(self, request, pk):
        claim = reviewed_claim(request, pk)
        data = TransitionInput(data=request.data)
        data.is_valid(raise_exception=True)
        claim = call_service(
            services.claim_transition, errors=(DomainError,), actor=request.user, claim=claim, **data.validated_data
        )
        return Response(ClaimDetailOutput(claim).data)


class RejectInput(serializers.Serializer):
    code = EnumField(RejectCode)
    reason = serializers.CharField(max_length=500)


@extend_schema(tags=TAGS, request=RejectInput, responses=ClaimDetailOutput)
class ClaimRejectApi(SmallBodyMixin, APIView):
    def post(self, request, pk):
        claim = reviewed_claim(request, pk)
        data = RejectInput(data=request.data)
        data.is_valid(raise_exception=True)
        claim = call_service(
            services.claim_reject, errors=(DomainError,), actor=request.user, claim=claim, **data.validated_data
        )
        return Response(ClaimDetailOutput(claim).data)


class RevealOutput(serializers.Serializer):
    buyer_id = serializers.CharField()
    buyer_phone = serializers.CharField()


@extend_schema(tags=TAGS, request=None, responses=RevealOutput)
class ClaimRevealApi(APIView):
    """The buyer's identity number and phone in full: only for the office of the programme's
    jurisdiction, and every call is written to the audit log."""

    def post(self, request, pk):
        claim = visible_claim(request, pk)
        if not rules.can_reveal_identity(request.user, claim):
            raise PermissionDenied(_("Only the claim's reviewers may see the buyer's identity in full."))
        return Response(services.claim_reveal(actor=request.user, claim=claim))


class RefundInput(serializers.Serializer):
    amount = serializers.DecimalField(**MONEY)
    refunded_on = serializers.DateField()
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ClawbackOutput(serializers.ModelSerializer):
    state = EnumField(ClawbackState)
    claim_number = serializers.CharField(source="claim.number")
    merchant_name = serializers.CharField(source="merchant.name")

    class Meta:
        model = Clawback
        fields = [
            "id",
            "claim",
            "claim_number",
            "merchant",
            "merchant_name",
            "amount",
            "state",
            "raised_at",
            "repaid_at",
            "note",
        ]


@extend_schema(tags=TAGS, request=RefundInput, responses=ClaimDetailOutput)
class ClaimRefundApi(SmallBodyMixin, APIView):
    """The purchase was refunded: the claim becomes void; the reservation goes back, or (after
    payment) a clawback is raised against the merchant."""

    def post(self, request, pk):
        claim = reviewed_claim(request, pk)
        data = RefundInput(data=request.data)
        data.is_valid(raise_exception=True)
        call_service(
            refund_services.claim_refund, errors=(DomainError,), actor=request.user, claim=claim, **data.validated_data
        )
        claim.refresh_from_db()
        return Response(ClaimDetailOutput(claim).data)


@extend_schema(tags=TAGS)
class FlagListApi(generics.ListAPIView):
    """The review queue: open flags (or ?state=cleared/upheld) of the programmes you run."""

    serializer_class = FlagOutput

    def get_queryset(self):
        state = self.request.query_params.get("state", FlagState.OPEN)
        if state not in FlagState.values:
            state = FlagState.OPEN
        return selectors.flags_queue(self.request.user, state=state)


class FlagDecisionInput(serializers.Serializer):
    decision = serializers.ChoiceField(["clear", "uphold"])
    reason = serializers.CharField(max_length=500)


@extend_schema(tags=TAGS, request=FlagDecisionInput, responses=FlagOutput)
class FlagDecideApi(SmallBodyMixin, APIView):
    """Clear a flag, or uphold it (which rejects the claim), with a reason."""

    def post(self, request, pk):
        flag = ClaimFlag.objects.select_related("claim__programme").filter(pk=pk).first()
        if flag is None or not rules.can_view_claim(request.user, flag.claim) or rules.merchant_of(request.user):
            raise NotFound()
        if not rules.can_review_claim(request.user, flag.claim):
            raise PermissionDenied(_("Only the claim's reviewers decide its flags."))
        data = FlagDecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        flag = call_service(
            services.flag_decide,
            errors=(DomainError,),
            actor=request.user,
            flag=flag,
            upheld=data.validated_data["decision"] == "uphold",
            reason=data.validated_data["reason"],
        )
        return Response(FlagOutput(flag).data)


@extend_schema(tags=TAGS)
class ClawbackListApi(generics.ListAPIView):
    """Clawbacks you may see (a merchant: those against it)."""

    serializer_class = ClawbackOutput

    def get_queryset(self):
        return selectors.clawbacks_visible_to(self.request.user)


class ClawbackInput(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


def _managed_clawback(request, pk) -> Clawback:
    clawback = selectors.clawbacks_visible_to(request.user).filter(pk=pk).first()
    if clawback is None:
        raise NotFound()
    if not rules.can_review_claim(request.user, clawback.claim):
        raise PermissionDenied(_("Only the office of the programme's jurisdiction settles clawbacks."))
    return clawback


@extend_schema(tags=TAGS, request=ClawbackInput, responses=ClawbackOutput)
class ClawbackRepayApi(SmallBodyMixin, APIView):
    def post(self, request, pk):
        clawback = _managed_clawback(request, pk)
        data = ClawbackInput(data=request.data)
        data.is_valid(raise_exception=True)
        clawback = call_service(
            refund_services.clawback_repay,
            errors=(DomainError,),
            actor=request.user,
            clawback=clawback,
            repaid_at=timezone.now(),
            note=data.validated_data["note"],
        )
        return Response(ClawbackOutput(clawback).data)


@extend_schema(tags=TAGS, request=ClawbackInput, responses=ClawbackOutput)
class ClawbackWriteOffApi(SmallBodyMixin, APIView):
    def post(self, request, pk):
        clawback = _managed_clawback(request, pk)
        data = ClawbackInput(data=request.data)
        data.is_valid(raise_exception=True)
        clawback = call_service(
            refund_services.clawback_write_off,
            errors=(DomainError,),
            actor=request.user,
            clawback=clawback,
            note=data.validated_data["note"],
        )
        return Response(ClawbackOutput(clawback).data)
