from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liangxin.core.models import Unit
from liangxin.plans.models import Indicator, Task

from ..enums import QualitativeGrade, SubmissionState, TaskProgress
from .calendar import Period

VALUE = {"max_digits": 20, "decimal_places": 6}


class Submission(models.Model):
    """What one unit reports for one period: its indicator values and task progress."""

    period = models.ForeignKey(Period, verbose_name=_("period"), on_delete=models.CASCADE, related_name="submissions")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="submissions")
    state = models.CharField(_("state"), max_length=20, choices=SubmissionState.choices, default=SubmissionState.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=0)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    late = models.BooleanField(_("late"), default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["period__start", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="submission_one_per_unit_and_period"),
            models.CheckConstraint(
                name="submission_sent_has_time",
                condition=Q(state="draft") | Q(submitted_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.period}"


class IndicatorEntry(models.Model):
    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="indicator_entries"
    )
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="+")
    value = models.DecimalField(_("value reached"), null=True, blank=True, **VALUE)
    grade = models.PositiveSmallIntegerField(
        _("judged progress"), choices=QualitativeGrade.choices, null=True, blank=True
    )
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        verbose_name = _("indicator entry")
        verbose_name_plural = _("indicator entries")
        constraints = [
            models.UniqueConstraint(fields=["submission", "indicator"], name="indicator_entry_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"


class EntryAttachment(models.Model):
    entry = models.ForeignKey(
        IndicatorEntry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="dispatch/evidence/%Y/")
    name = models.CharField(_("file name"), max_length=255)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.name


class TaskEntry(models.Model):
    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="task_entries"
    )
    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="+")
    progress = models.CharField(_("status"), max_length=20, choices=TaskProgress.choices, blank=True)
    progress_note = models.TextField(_("progress (进展情况)"), blank=True)
    problems = models.TextField(_("problems (存在问题)"), blank=True)
    next_steps = models.TextField(_("next steps (下步计划)"), blank=True)

    class Meta:
        verbose_name = _("task entry")
        verbose_name_plural = _("task entries")
        constraints = [
            models.UniqueConstraint(fields=["submission", "task"], name="task_entry_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.task}: {self.progress}"


class SubmissionVersion(models.Model):
    """A submission as it stood at each submit, return and approval: the history people see."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="versions"
    )
    version = models.PositiveIntegerField(_("version"))
    state = models.CharField(_("state"), max_length=20, choices=SubmissionState.choices)
    snapshot = models.JSONField(_("content"))
    comment = models.TextField(_("comment"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("submission version")
        verbose_name_plural = _("submission history")
        ordering = ["submission", "-at", "-id"]

    def __str__(self) -> str:
        return f"{self.submission} v{self.version} {self.state}"
