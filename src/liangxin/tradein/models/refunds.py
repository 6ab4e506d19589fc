from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..enums import ClawbackState
from .claims import Claim
from .merchants import Merchant
from .programmes import MONEY


class Refund(models.Model):
    """A purchase given back by the buyer: it voids the claim."""

    claim = models.OneToOneField(Claim, verbose_name=_("claim"), on_delete=models.PROTECT, related_name="refund")
    amount = models.DecimalField(_("amount refunded to the buyer"), **MONEY)
    refunded_on = models.DateField(_("refunded on"))
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["-refunded_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="tradein_refund_amount_positive")]

    def __str__(self) -> str:
        return f"{self.claim} {self.amount}"


class Clawback(models.Model):
    """Subsidy paid on a claim that was later refunded: the merchant owes it back."""

    claim = models.OneToOneField(Claim, verbose_name=_("claim"), on_delete=models.PROTECT, related_name="clawback")
    merchant = models.ForeignKey(
        Merchant, verbose_name=_("merchant"), on_delete=models.PROTECT, related_name="clawbacks"
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    state = models.CharField(_("state"), max_length=20, choices=ClawbackState.choices, default=ClawbackState.RAISED)
    raised_at = models.DateTimeField(_("raised at"))
    repaid_at = models.DateTimeField(_("repaid at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("clawback")
        verbose_name_plural = _("clawbacks")
        ordering = ["state", "-raised_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="tradein_clawback_amount_positive"),
            models.CheckConstraint(
                condition=~Q(state=ClawbackState.REPAID) | Q(repaid_at__isnull=False),
                name="tradein_clawback_repaid_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claim} {self.amount}"
