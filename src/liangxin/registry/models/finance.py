from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from liangxin.core.models import Jurisdiction

from ..enums import FinanceKind
from .enterprises import Enterprise

_NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


class FinanceOffer(models.Model):
    """A financing product of a leasing company or a bank that projects can be matched with."""

    provider = models.ForeignKey(
        Enterprise, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="finance_offers"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=FinanceKind.choices)
    name = models.CharField(_("name"), max_length=200)
    # ProjectDomain values the offer serves; empty means any.
    domains = models.JSONField(_("domains"), default=list, blank=True)
    min_amount_wan = models.DecimalField(
        _("minimum amount (10k yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=_NON_NEGATIVE,
    )
    max_amount_wan = models.DecimalField(
        _("maximum amount (10k yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=_NON_NEGATIVE,
    )
    rate_note = models.CharField(_("rate"), max_length=200, blank=True)
    term_months_max = models.PositiveIntegerField(_("maximum term (months)"), null=True, blank=True)
    conditions = models.JSONField(_("conditions"), default=list, blank=True)
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("jurisdiction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="finance_offers",
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("finance offer")
        verbose_name_plural = _("finance offers")
        ordering = ["provider__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(min_amount_wan__isnull=True) | Q(min_amount_wan__gte=0))
                & (Q(max_amount_wan__isnull=True) | Q(max_amount_wan__gte=0)),
                name="finance_offer_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(min_amount_wan__isnull=True)
                | Q(max_amount_wan__isnull=True)
                | Q(min_amount_wan__lte=F("max_amount_wan")),
                name="finance_offer_amount_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.min_amount_wan is not None and self.max_amount_wan is not None:
            if self.min_amount_wan > self.max_amount_wan:
                raise ValidationError({"max_amount_wan": _("The maximum amount cannot be below the minimum.")})
