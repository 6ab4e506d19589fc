from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liangxin.core.models import Jurisdiction, Unit

from ..enums import FundingChannel, PrerequisiteKind, PrerequisiteState, ProjectDomain, ProjectStage
from .enterprises import Enterprise

_NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


class Project(models.Model):
    """An equipment-renewal or recycling project on the pipeline (设备更新项目清单 / 项目储备库)."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="projects"
    )
    owner = models.ForeignKey(
        Enterprise, verbose_name=_("project owner"), on_delete=models.PROTECT, related_name="projects"
    )
    name = models.CharField(_("project name"), max_length=200)
    domain = models.CharField(_("domain"), max_length=20, choices=ProjectDomain.choices)
    location = models.CharField(_("location"), max_length=300, blank=True)
    description = models.TextField(_("construction content"), blank=True)
    total_investment_wan = models.DecimalField(
        _("total investment (10k yuan)"), max_digits=14, decimal_places=2, validators=_NON_NEGATIVE
    )
    equipment_investment_wan = models.DecimalField(
        _("equipment investment (10k yuan)"), max_digits=14, decimal_places=2, validators=_NON_NEGATIVE
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned completion"), null=True, blank=True)
    # FundingChannel values the project applies for.
    channels = models.JSONField(_("funding channels sought"), default=list, blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=ProjectStage.choices, default=ProjectStage.PLANNING)
    responsible_unit = models.ForeignKey(
        Unit,
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    needs_financing = models.BooleanField(_("needs financing"), default=False)
    financing_amount_wan = models.DecimalField(
        _("financing sought (10k yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=_NON_NEGATIVE,
    )
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
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_investment_wan__gte=0) & Q(equipment_investment_wan__gte=0),
                name="project_investment_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(equipment_investment_wan__lte=F("total_investment_wan")),
                name="project_equipment_within_total",
            ),
            models.CheckConstraint(
                condition=Q(planned_start__isnull=True)
                | Q(planned_end__isnull=True)
                | Q(planned_start__lte=F("planned_end")),
                name="project_starts_before_it_ends",
            ),
            models.CheckConstraint(
                condition=Q(financing_amount_wan__isnull=True) | Q(financing_amount_wan__gte=0),
                name="project_financing_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["jurisdiction", "stage"], name="project_jurisdiction_stage")]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = {}
        total, equipment = self.total_investment_wan, self.equipment_investment_wan
        if total is not None and equipment is not None and equipment > total:
            errors["equipment_investment_wan"] = _("The equipment investment cannot exceed the total investment.")
        if self.planned_start and self.planned_end and self.planned_start > self.planned_end:
            errors["planned_end"] = _("The planned completion cannot be before the planned start.")
        if errors:
            raise ValidationError(errors)


class ProjectPrerequisite(models.Model):
    """One of a project's preconditions (审批/备案, 用地, 节能审查, 环评) and where it stands."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="prerequisites"
    )
    kind = models.CharField(_("prerequisite"), max_length=20, choices=PrerequisiteKind.choices)
    state = models.CharField(
        _("state"), max_length=20, choices=PrerequisiteState.choices, default=PrerequisiteState.PENDING
    )
    document_no = models.CharField(_("document number"), max_length=100, blank=True)
    done_on = models.DateField(_("date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("project prerequisite")
        verbose_name_plural = _("project prerequisites")
        ordering = ["project", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="project_prerequisite_once_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_state_display()}"


class ProjectStageChange(models.Model):
    """A move of a project through the pipeline: who moved it, when, from where to where, and why."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(_("from stage"), max_length=20, choices=ProjectStage.choices, blank=True)
    to_stage = models.CharField(_("to stage"), max_length=20, choices=ProjectStage.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["project", "at", "id"]

    def __str__(self) -> str:
        return f"{self.from_stage} → {self.to_stage}"


class ScreeningCriteria(models.Model):
    """A set of conditions a funding channel puts on projects (e.g. 超长期特别国债: domains supported,
    prerequisites complete, minimum investment), against which the office screens a batch."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="screening_criteria"
    )
    channel = models.CharField(_("funding channel"), max_length=20, choices=FundingChannel.choices)
    name = models.CharField(_("name"), max_length=200)
    # ProjectDomain values the channel supports; empty means every domain.
    domains = models.JSONField(_("domains supported"), default=list, blank=True)
    min_investment_wan = models.DecimalField(
        _("minimum total investment (10k yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=_NON_NEGATIVE,
    )
    # PrerequisiteKind values that must be done (or not needed).
    prerequisites_required = models.JSONField(_("prerequisites required"), default=list, blank=True)
    # The project must seek this channel to be screened in.
    require_channel_sought = models.BooleanField(_("project must seek this channel"), default=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("screening criteria")
        verbose_name_plural = _("screening criteria")
        ordering = ["jurisdiction", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_investment_wan__isnull=True) | Q(min_investment_wan__gte=0),
                name="screening_min_investment_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ScreeningRun(models.Model):
    """A screening done and kept: which projects passed or failed the criteria, with the reasons."""

    criteria = models.ForeignKey(
        ScreeningCriteria, verbose_name=_("screening criteria"), on_delete=models.CASCADE, related_name="runs"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    # [{"project": id, "name": str, "passed": bool, "reasons": [{"check": str, "ok": bool, "text": str}]}]
    results = models.JSONField(_("results"), default=list)

    class Meta:
        verbose_name = _("screening run")
        verbose_name_plural = _("screening runs")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.criteria} {self.at:%Y-%m-%d %H:%M}"
