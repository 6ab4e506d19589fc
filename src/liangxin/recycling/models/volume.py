from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..enums import CATEGORY_UNIT, Category, QuantityUnit, ReturnState
from .site import Site


class VolumeReturn(models.Model):
    """A site's monthly return for one category (quantity in the category's fixed unit).

    A flagged return (a spike) counts in totals only once confirmed, with a reason.
    """

    site = models.ForeignKey(Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="returns")
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=4, choices=QuantityUnit.choices)
    state = models.CharField(_("state"), max_length=10, choices=ReturnState.choices, default=ReturnState.ENTERED)
    flag_reason = models.CharField(_("why flagged"), max_length=300, blank=True)
    confirm_reason = models.CharField(_("confirmation note"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("monthly return")
        verbose_name_plural = _("monthly returns")
        ordering = ["-month", "site", "category"]
        indexes = [models.Index(fields=["month", "category", "state"], name="recycling_return_month_idx")]
        constraints = [
            models.UniqueConstraint(fields=["site", "month", "category"], name="recycling_return_unique"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="recycling_return_quantity_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.month:%Y-%m} {self.get_category_display()} {self.quantity}{self.unit}"

    @property
    def counts(self) -> bool:
        """Whether the return counts in totals and feeds (a flagged return needs confirmation first)."""
        return self.state != ReturnState.FLAGGED

    def clean(self):
        errors = {}
        if self.month and self.month.day != 1:
            errors["month"] = gettext("The month is given by its first day.")
        if self.quantity is not None and self.quantity < 0:
            errors["quantity"] = gettext("The quantity cannot be negative.")
        expected = CATEGORY_UNIT.get(self.category)
        if expected and self.unit and self.unit != expected:
            errors["unit"] = gettext("%(category)s are counted in %(unit)s, not in %(given)s.") % {
                "category": Category(self.category).label,
                "unit": expected,
                "given": self.unit,
            }
        if errors:
            raise ValidationError(errors)
