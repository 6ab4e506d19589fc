from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from liangxin.plans.models import Plan

from ..enums import Cadence, PeriodState


class ReportingCalendar(models.Model):
    """How often a plan's units report, when reports are due, and how progress is judged."""

    plan = models.OneToOneField(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="calendar")
    cadence = models.CharField(_("cadence"), max_length=20, choices=Cadence.choices, default=Cadence.MONTH)
    deadline_days = models.PositiveSmallIntegerField(
        _("days to report"), default=5, help_text=_("A period's report is due this many days after it ends.")
    )
    first_year = models.PositiveSmallIntegerField(_("first year"), default=2024)
    last_year = models.PositiveSmallIntegerField(_("last year"), default=2027)
    normal_pct = models.DecimalField(
        _("on track from (percent of expected)"), max_digits=5, decimal_places=2, default=Decimal("95")
    )
    warning_pct = models.DecimalField(
        _("warning from (percent of expected)"), max_digits=5, decimal_places=2, default=Decimal("80")
    )
    approx_tolerance_pct = models.DecimalField(
        _("tolerance for “about” targets (%)"), max_digits=5, decimal_places=2, default=Decimal("5")
    )
    weight_on_time = models.PositiveSmallIntegerField(_("weight of on-time reporting"), default=30)
    weight_indicators = models.PositiveSmallIntegerField(_("weight of indicator status"), default=50)
    weight_tasks = models.PositiveSmallIntegerField(_("weight of task status"), default=20)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("reporting calendar")
        verbose_name_plural = _("reporting calendars")
        constraints = [
            models.CheckConstraint(
                name="calendar_thresholds_ordered",
                condition=Q(warning_pct__gt=0) & Q(warning_pct__lt=F("normal_pct")) & Q(normal_pct__lte=100),
            ),
            models.CheckConstraint(name="calendar_years_ordered", condition=Q(first_year__lte=F("last_year"))),
            models.CheckConstraint(
                name="calendar_weights_sum_to_100",
                condition=Exact(F("weight_on_time") + F("weight_indicators") + F("weight_tasks"), 100),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.get_cadence_display()}"


class Period(models.Model):
    """One reporting period of a plan; generated from the calendar, never typed."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="periods")
    label = models.CharField(_("period"), max_length=40)
    start = models.DateField(_("starts"))
    end = models.DateField(_("ends"))
    due = models.DateField(_("report due"))
    state = models.CharField(_("state"), max_length=20, choices=PeriodState.choices, default=PeriodState.PLANNED)

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["plan", "start"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "start"], name="period_unique_start"),
            models.CheckConstraint(name="period_starts_before_it_ends", condition=Q(start__lte=F("end"))),
            models.CheckConstraint(name="period_due_after_it_ends", condition=Q(due__gte=F("end"))),
        ]

    def __str__(self) -> str:
        return self.label
