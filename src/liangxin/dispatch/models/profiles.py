from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liangxin.plans.models import Indicator, Task

from ..enums import Aggregation, Curve, Direction, IndicatorKind


class IndicatorProfile(models.Model):
    """How an indicator is measured: its kind, how units' values combine, which way is better."""

    indicator = models.OneToOneField(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="profile"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=IndicatorKind.choices)
    aggregation = models.CharField(
        _("aggregation over units"), max_length=20, choices=Aggregation.choices, default=Aggregation.SUM
    )
    direction = models.CharField(_("direction"), max_length=20, choices=Direction.choices, default=Direction.HIGHER)
    # The key of a registered feed (dispatch/feeds.py) when the platform measures the indicator
    # itself; empty when units report it.
    source = models.CharField(_("data source"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("indicator profile")
        verbose_name_plural = _("indicator profiles")

    def __str__(self) -> str:
        return f"{self.indicator} · {self.get_kind_display()}"


class TrajectoryVersion(models.Model):
    """The expected path of an indicator between milestones (序时进度); every change is a new version."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="trajectories"
    )
    version = models.PositiveIntegerField(_("version"))
    curve = models.CharField(_("curve"), max_length=20, choices=Curve.choices, default=Curve.LINEAR)
    monthly_shares = models.JSONField(
        _("monthly shares"),
        null=True,
        blank=True,
        help_text=_("For a custom curve: twelve numbers, the share of the year's progress due by each month's end."),
    )
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("trajectory version")
        verbose_name_plural = _("trajectory versions")
        ordering = ["indicator", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "version"], name="trajectory_version_unique"),
            models.CheckConstraint(
                name="trajectory_custom_has_shares",
                condition=~Q(curve="custom") | Q(monthly_shares__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} v{self.version}"


class TaskProfile(models.Model):
    """When a task is due, for the 督办 of tasks past their deadline."""

    task = models.OneToOneField(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="profile")
    due_on = models.DateField(_("due on"), null=True, blank=True)

    class Meta:
        verbose_name = _("task schedule")
        verbose_name_plural = _("task schedules")

    def __str__(self) -> str:
        return f"{self.task} · {self.due_on or '—'}"
