from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ..enums import (
    CLAIM_DEAD_STATES,
    CarRoute,
    ClaimState,
    FlagKind,
    FlagState,
    InvoiceTitleType,
    Powertrain,
    RejectCode,
)
from .merchants import Merchant
from .programmes import MONEY, Programme, RuleVersion
from .vouchers import Voucher

_LIVE = ~Q(state__in=CLAIM_DEAD_STATES)


class Claim(models.Model):
    """A merchant's claim for the subsidy it gave a buyer at the till."""

    number = models.CharField(_("claim number"), max_length=32, unique=True)
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="claims"
    )
    rule_version = models.ForeignKey(
        RuleVersion, verbose_name=_("rule version"), on_delete=models.PROTECT, related_name="claims"
    )
    merchant = models.ForeignKey(Merchant, verbose_name=_("merchant"), on_delete=models.PROTECT, related_name="claims")
    idempotency_key = models.CharField(_("idempotency key"), max_length=100)

    buyer_name = models.CharField(_("buyer name"), max_length=100)
    buyer_id_enc = models.TextField(_("buyer identity number (encrypted)"))
    buyer_id_hash = models.CharField(_("buyer identity hash"), max_length=64, db_index=True)
    buyer_id_masked = models.CharField(_("buyer identity number"), max_length=32)
    buyer_phone_enc = models.TextField(_("buyer phone (encrypted)"), blank=True)
    buyer_phone_hash = models.CharField(_("buyer phone hash"), max_length=64, blank=True, db_index=True)
    buyer_phone_masked = models.CharField(_("buyer phone"), max_length=32, blank=True)

    category = models.CharField(_("category"), max_length=50)
    product_model = models.CharField(_("model"), max_length=100, blank=True)
    energy_grade = models.PositiveSmallIntegerField(_("energy efficiency grade"), null=True, blank=True)
    serial_number = models.CharField(_("serial number"), max_length=100, blank=True)
    purchased_on = models.DateField(_("purchased on"))
    price_paid = models.DecimalField(_("price paid by the buyer"), **MONEY)
    subsidy = models.DecimalField(_("subsidy"), **MONEY)
    invoice_total = models.DecimalField(_("invoice total"), **MONEY)
    invoice_no = models.CharField(_("invoice number"), max_length=50)
    invoice_title_type = models.CharField(
        _("invoice made out to"), max_length=20, choices=InvoiceTitleType.choices, default=InvoiceTitleType.PERSON
    )
    delivery_address = models.CharField(_("delivery address"), max_length=300, blank=True)
    # NFKC, whitespace-free form of the address, for finding many claims delivered to one place.
    delivery_key = models.CharField(_("delivery address key"), max_length=300, blank=True, db_index=True)
    device_id = models.CharField(_("device id"), max_length=100, blank=True, db_index=True)
    voucher = models.ForeignKey(
        Voucher, verbose_name=_("voucher"), null=True, blank=True, on_delete=models.PROTECT, related_name="claims"
    )

    recycler_handover_no = models.CharField(_("recycler handover number"), max_length=100, blank=True)
    scrappage_certificate_no = models.CharField(_("scrappage certificate number"), max_length=100, blank=True)
    vin = models.CharField(_("VIN"), max_length=17, blank=True)
    first_registration_date = models.DateField(_("first registration date"), null=True, blank=True)
    route = models.CharField(_("car route"), max_length=20, choices=CarRoute.choices, blank=True)
    powertrain = models.CharField(_("powertrain"), max_length=20, choices=Powertrain.choices, blank=True)
    displacement = models.DecimalField(_("displacement (L)"), max_digits=4, decimal_places=2, null=True, blank=True)

    slot = models.PositiveSmallIntegerField(_("slot"), default=1)
    state = models.CharField(_("state"), max_length=20, choices=ClaimState.choices, default=ClaimState.SUBMITTED)
    reject_code = models.CharField(_("reject reason code"), max_length=30, choices=RejectCode.choices, blank=True)
    reject_reason = models.CharField(_("reject reason"), max_length=500, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("rejected or voided at"), null=True, blank=True)
    accept_due = models.DateTimeField(_("accept by"))
    review_due = models.DateTimeField(_("review by"))
    pay_due = models.DateTimeField(_("pay by"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["merchant", "idempotency_key"], name="tradein_claim_idempotent"),
            # One subsidy per person per category per programme (or up to the category's limit): slots.
            models.UniqueConstraint(
                fields=["programme", "category", "buyer_id_hash", "slot"],
                condition=_LIVE,
                name="tradein_claim_one_per_person_slot",
            ),
            models.UniqueConstraint(
                fields=["category", "serial_number"],
                condition=_LIVE & ~Q(serial_number=""),
                name="tradein_claim_serial_once",
            ),
            models.UniqueConstraint(
                fields=["programme", "invoice_no"], condition=_LIVE, name="tradein_claim_invoice_once"
            ),
            models.UniqueConstraint(
                fields=["voucher"], condition=_LIVE & Q(voucher__isnull=False), name="tradein_claim_voucher_once"
            ),
            models.CheckConstraint(
                condition=Q(invoice_total=F("price_paid") + F("subsidy")), name="tradein_claim_invoice_total"
            ),
            models.CheckConstraint(condition=Q(price_paid__gt=0), name="tradein_claim_price_positive"),
            models.CheckConstraint(condition=Q(subsidy__gte=0), name="tradein_claim_subsidy_nonnegative"),
            models.CheckConstraint(condition=Q(slot__gte=1), name="tradein_claim_slot_positive"),
            models.CheckConstraint(
                condition=~Q(state=ClaimState.REJECTED) | ~Q(reject_code=""), name="tradein_claim_rejected_has_code"
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "state"], name="tradein_claim_prog_state_idx"),
            models.Index(fields=["programme", "submitted_at"], name="tradein_claim_prog_sub_idx"),
            models.Index(fields=["merchant", "product_model", "purchased_on"], name="tradein_claim_model_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_live(self) -> bool:
        return self.state not in CLAIM_DEAD_STATES


class ClaimFlag(models.Model):
    """A suspicion raised at submission, with its evidence, waiting for a reviewer's decision."""

    claim = models.ForeignKey(Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(_("kind"), max_length=30, choices=FlagKind.choices)
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=FlagState.choices, default=FlagState.OPEN)
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("claim flag")
        verbose_name_plural = _("claim flags")
        ordering = ["state", "-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "kind"], name="tradein_flag_once_per_kind"),
            models.CheckConstraint(
                condition=Q(state=FlagState.OPEN) | ~Q(reason=""), name="tradein_flag_decision_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claim} {self.get_kind_display()}"


class ClaimEvent(models.Model):
    """One step in a claim's history."""

    claim = models.ForeignKey(Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(_("from"), max_length=20, choices=ClaimState.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=ClaimState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.SET_NULL
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("claim event")
        verbose_name_plural = _("claim events")
        ordering = ["claim", "at", "id"]

    def __str__(self) -> str:
        return f"{self.claim} {self.from_state}→{self.to_state}"
