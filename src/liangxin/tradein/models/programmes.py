from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from liangxin.core.models import Jurisdiction

MONEY = {"max_digits": 14, "decimal_places": 2}


class Programme(models.Model):
    """A jurisdiction's share of the trade-in programme for one period, with versioned rules."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="tradein_programmes"
    )
    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    uses_vouchers = models.BooleanField(_("uses vouchers"), default=False)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("trade-in programme")
        verbose_name_plural = _("trade-in programmes")
        ordering = ["jurisdiction__tree_path", "-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "name"], name="tradein_programme_name_unique"),
            models.CheckConstraint(condition=Q(starts_on__lte=F("ends_on")), name="tradein_programme_period"),
        ]

    def __str__(self) -> str:
        return self.name


class RuleVersion(models.Model):
    """One version of a programme's rules (categories, formulas, limits, proof); the latest version
    whose effective_from is on or before the purchase date applies to a claim."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="rule_versions"
    )
    version = models.PositiveIntegerField(_("version"))
    effective_from = models.DateField(_("effective from"))
    rules = models.JSONField(_("rules"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rule version")
        verbose_name_plural = _("rule versions")
        ordering = ["programme", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "version"], name="tradein_rule_version_unique"),
            models.CheckConstraint(condition=Q(version__gte=1), name="tradein_rule_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.programme} v{self.version}"

    def category(self, code: str) -> dict | None:
        for category in self.rules.get("categories", []):
            if category.get("code") == code:
                return category
        return None
