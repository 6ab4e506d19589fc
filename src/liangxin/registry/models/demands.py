from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liangxin.core.models import Jurisdiction, Unit

from ..enums import DemandKind, DemandState
from .enterprises import Enterprise, EquipmentCategory

_NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


class Demand(models.Model):
    """A renewal need (“两新” demand list): who needs what equipment, how many, by when, for how much."""

    kind = models.CharField(_("kind"), max_length=20, choices=DemandKind.choices, default=DemandKind.EQUIPMENT)
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="demands"
    )
    # Either an enterprise or a public body (a school, a hospital, a bureau) needs it; both may be empty for
    # a need collected without a named owner.
    owner = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="demands",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="demands"
    )
    category = models.ForeignKey(
        EquipmentCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="demands"
    )
    title = models.CharField(_("title"), max_length=200)
    quantity = models.DecimalField(
        _("quantity"), max_digits=12, decimal_places=2, null=True, blank=True, validators=_NON_NEGATIVE
    )
    quantity_unit = models.CharField(_("quantity unit"), max_length=20, blank=True)
    requirements = models.TextField(_("key requirements"), blank=True)
    budget_wan = models.DecimalField(
        _("budget (10k yuan)"), max_digits=14, decimal_places=2, null=True, blank=True, validators=_NON_NEGATIVE
    )
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=DemandState.choices, default=DemandState.OPEN)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("demand")
        verbose_name_plural = _("demands")
        ordering = ["state", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(quantity__isnull=True) | Q(quantity__gte=0))
                & (Q(budget_wan__isnull=True) | Q(budget_wan__gte=0)),
                name="demand_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def owner_name(self) -> str:
        if self.owner_id:
            return self.owner.name
        return self.unit.name if self.unit_id else ""


class ConsumerDemand(models.Model):
    """Consumer-side demand for trade-in in a jurisdiction: expected units of a category in a year."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="consumer_demands"
    )
    category = models.ForeignKey(
        EquipmentCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="consumer_demands"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    expected_units = models.PositiveIntegerField(_("expected units"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("consumer demand")
        verbose_name_plural = _("consumer demand")
        ordering = ["-year", "category__position", "category__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "category", "year"], name="consumer_demand_one_per_category_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.category.name}"
