from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from liangxin.core.models import Unit
from liangxin.plans.models import Plan, Task

from ..enums import ProblemCategory, ProblemState


class Problem(models.Model):
    """A difficulty a unit needs coordinated (问题清单): raised, assigned, tracked to resolution."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="problems")
    task = models.ForeignKey(
        Task, verbose_name=_("task"), null=True, blank=True, on_delete=models.SET_NULL, related_name="problems"
    )
    raised_by_unit = models.ForeignKey(
        Unit, verbose_name=_("raised by unit"), on_delete=models.PROTECT, related_name="problems_raised"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("raised by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    category = models.CharField(_("category"), max_length=20, choices=ProblemCategory.choices)
    title = models.CharField(_("problem"), max_length=200)
    description = models.TextField(_("details"), blank=True)
    state = models.CharField(_("state"), max_length=20, choices=ProblemState.choices, default=ProblemState.OPEN)
    assigned_unit = models.ForeignKey(
        Unit,
        verbose_name=_("coordinating unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems_assigned",
    )
    resolution = models.TextField(_("resolution"), blank=True)
    created_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problem list")
        ordering = ["state", "-created_at"]

    def __str__(self) -> str:
        return self.title
