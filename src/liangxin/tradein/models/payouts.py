from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..enums import BatchState, LineState
from .claims import Claim
from .merchants import Merchant
from .programmes import MONEY, Programme


class PaymentBatch(models.Model):
    """Approved claims grouped into one file for the bank."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="payment_batches"
    )
    number = models.PositiveIntegerField(_("number"))
    state = models.CharField(_("state"), max_length=20, choices=BatchState.choices, default=BatchState.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    exported_at = models.DateTimeField(_("exported at"), null=True, blank=True)
    reconciled_at = models.DateTimeField(_("reconciled at"), null=True, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("payment batch")
        verbose_name_plural = _("payment batches")
        ordering = ["programme", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="tradein_batch_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.programme} #{self.number}"


class PaymentLine(models.Model):
    """One payment to a merchant for one claim; a claim has at most one pending or paid line."""

    batch = models.ForeignKey(PaymentBatch, verbose_name=_("batch"), on_delete=models.CASCADE, related_name="lines")
    claim = models.ForeignKey(Claim, verbose_name=_("claim"), on_delete=models.PROTECT, related_name="payment_lines")
    merchant = models.ForeignKey(
        Merchant, verbose_name=_("merchant"), on_delete=models.PROTECT, related_name="payment_lines"
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    state = models.CharField(_("state"), max_length=20, choices=LineState.choices, default=LineState.PENDING)
    bank_reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    failure_reason = models.CharField(_("failure reason"), max_length=300, blank=True)
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)

    class Meta:
        verbose_name = _("payment line")
        verbose_name_plural = _("payment lines")
        ordering = ["batch", "id"]
        constraints = [
            # Never two payments in flight or made for one claim.
            models.UniqueConstraint(
                fields=["claim"],
                condition=Q(state__in=[LineState.PENDING, LineState.PAID]),
                name="tradein_line_one_live_per_claim",
            ),
            models.UniqueConstraint(fields=["claim", "attempt"], name="tradein_line_attempt_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="tradein_line_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.batch} {self.claim} {self.amount}"
