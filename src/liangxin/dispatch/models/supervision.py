from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from liangxin.core.models import Unit
from liangxin.plans.models import Plan

from ..enums import SupervisionLevel, SupervisionRule
from ..supervision_sources import SOURCES
from .calendar import Period


class SupervisionItem(models.Model):
    """One thing being chased (督办): found by a rule in a period, graded, escalated, closed."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="supervision")
    period = models.ForeignKey(
        Period, verbose_name=_("period"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    rule = models.CharField(_("rule"), max_length=30, choices=SupervisionRule.choices)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.CASCADE)
    subject_type = models.CharField(_("subject type"), max_length=20)
    subject_id = models.PositiveBigIntegerField(_("subject id"))
    title = models.CharField(_("title"), max_length=300)
    level = models.CharField(_("level"), max_length=20, choices=SupervisionLevel.choices)
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("escalated to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("supervision item")
        verbose_name_plural = _("supervision list (督办)")
        ordering = ["resolved_at", "-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "period", "subject_type", "subject_id"], name="supervision_once_per_rule_and_period"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def rule_label(self) -> str:
        """What the rule is called: a choice of SupervisionRule, or the label of another app's source."""
        source = SOURCES.get(self.rule)
        return str(source.label) if source else self.get_rule_display()


class Notification(models.Model):
    """An in-app reminder; the same reminder reaches a person once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notifications"
    )
    item = models.ForeignKey(
        SupervisionItem,
        verbose_name=_("supervision item"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    level = models.CharField(_("level"), max_length=20, choices=SupervisionLevel.choices, blank=True)
    text = models.CharField(_("text"), max_length=500)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed = models.BooleanField(_("e-mailed"), default=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "item", "level"], name="notification_once_per_item_and_level"),
        ]

    def __str__(self) -> str:
        return self.text
