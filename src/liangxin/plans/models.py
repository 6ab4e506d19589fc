from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liangxin.core.models import Jurisdiction, Unit

from .enums import AssignmentRole, Basis, Comparator, TargetKind

VALUE = {"max_digits": 20, "decimal_places": 6}


class Plan(models.Model):
    """An adopted work plan: its metadata, its original file, and everything below."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="plans"
    )
    title = models.CharField(_("title"), max_length=300)
    issuer = models.CharField(_("issuer"), max_length=200, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    doc_number = models.CharField(_("document number"), max_length=100, null=True, blank=True)
    parent_policies = models.JSONField(_("parent policies"), default=list, blank=True)
    source_file = models.FileField(_("original file"), upload_to="plans/sources/%Y/", blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        # Newest first; a plan without a date last on every database (PostgreSQL puts NULL first).
        ordering = ["jurisdiction__tree_path", models.F("issued_on").desc(nulls_last=True), "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("plans:plan_detail", args=[self.pk])


class Section(models.Model):
    """A heading of the plan's body (二、重点任务, （一）实施…行动) that groups tasks."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="sections")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent section"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    heading = models.CharField(_("heading"), max_length=300)
    position = models.PositiveIntegerField(_("position"))

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="section_position_unique"),
        ]

    def __str__(self) -> str:
        return self.heading


class Task(models.Model):
    """A leaf numbered item of the plan, with its lead and responsible units and targets."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="tasks")
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tasks",
    )
    number = models.CharField(_("number"), max_length=20)
    title = models.CharField(_("title"), max_length=500)
    position = models.PositiveIntegerField(_("position"))

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="task_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Indicator(models.Model):
    """A row of the plan's indicator table: baseline and yearly milestones (kept as targets)."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="indicators")
    seq = models.PositiveIntegerField(_("no."))
    task_text = models.CharField(_("key task"), max_length=300, null=True, blank=True)
    name = models.CharField(_("indicator"), max_length=300)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    baseline_text = models.TextField(_("baseline"), null=True, blank=True)
    baseline_value = models.DecimalField(_("baseline value"), null=True, blank=True, **VALUE)
    baseline_unit = models.CharField(_("baseline unit of measure"), max_length=30, null=True, blank=True)
    cumulative = models.BooleanField(
        _("cumulative"), default=False, help_text=_("Milestones are running totals (累计) rather than levels.")
    )
    position = models.PositiveIntegerField(_("position"))

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="indicator_position_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Target(models.Model):
    """A quantified target of the plan (goal), of a task, or a yearly milestone of an indicator.

    A target whose text names no number keeps the text with value, comparator and unit empty.
    """

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="targets")
    kind = models.CharField(_("kind"), max_length=20, choices=TargetKind.choices)
    task = models.ForeignKey(
        Task, verbose_name=_("task"), null=True, blank=True, on_delete=models.CASCADE, related_name="targets"
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    position = models.PositiveIntegerField(_("position"))
    text = models.TextField(_("text"), null=True, blank=True)
    metric = models.CharField(_("metric"), max_length=300, null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    comparator = models.CharField(_("comparator"), max_length=2, choices=Comparator.choices, null=True, blank=True)
    value = models.DecimalField(_("value"), null=True, blank=True, **VALUE)
    unit = models.CharField(_("unit of measure"), max_length=30, null=True, blank=True)
    basis = models.CharField(_("basis"), max_length=20, choices=Basis.choices, null=True, blank=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["plan", "kind", "position"]
        constraints = [
            models.CheckConstraint(
                name="target_owner_matches_kind",
                condition=(
                    Q(kind="goal", task__isnull=True, indicator__isnull=True)
                    | Q(kind="task", task__isnull=False, indicator__isnull=True)
                    | Q(kind="milestone", task__isnull=True, indicator__isnull=False)
                ),
            ),
            models.CheckConstraint(
                name="target_year_plausible", condition=Q(year__isnull=True) | Q(year__gte=2000, year__lte=2100)
            ),
        ]

    def __str__(self) -> str:
        return self.text or self.metric or ""


class TaskForce(models.Model):
    """The 工作专班 the plan sets up: its office, members (via assignments) and working rhythms."""

    plan = models.OneToOneField(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="task_force")
    name = models.CharField(_("name"), max_length=300)
    leading_positions = models.JSONField(
        _("leading positions"),
        default=list,
        blank=True,
        help_text=_("Positions such as 区长 or 分管副区长, never people's names."),
    )
    mechanisms = models.JSONField(_("mechanisms"), default=list, blank=True)

    class Meta:
        verbose_name = _("task force")
        verbose_name_plural = _("task forces")

    def __str__(self) -> str:
        return self.name


class DivisionRow(models.Model):
    """A row of the plan's task division table (主要工作任务分工表)."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="division_rows")
    seq = models.PositiveIntegerField(_("no."))
    task_text = models.CharField(_("task"), max_length=500)
    position = models.PositiveIntegerField(_("position"))

    class Meta:
        verbose_name = _("division table row")
        verbose_name_plural = _("division table")
        ordering = ["plan", "position"]

    def __str__(self) -> str:
        return self.task_text


class PolicyItem(models.Model):
    """A row of the plan's “1+N” policy list."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="policy_items")
    group = models.CharField(_("group"), max_length=200, blank=True)
    seq = models.PositiveIntegerField(_("no."))
    title = models.CharField(_("title"), max_length=500)
    position = models.PositiveIntegerField(_("position"))

    class Meta:
        verbose_name = _("policy list item")
        verbose_name_plural = _("policy list")
        ordering = ["plan", "position"]

    def __str__(self) -> str:
        return self.title


class PlanUnit(models.Model):
    """A unit the plan assigns work to, as the plan writes it, in order of first appearance."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="plan_units")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="plan_mentions")
    written_as = models.CharField(_("written as"), max_length=100)
    position = models.PositiveIntegerField(_("position"))

    class Meta:
        verbose_name = _("unit named by the plan")
        verbose_name_plural = _("units named by the plan")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "written_as"], name="plan_unit_written_unique"),
        ]

    def __str__(self) -> str:
        return self.written_as


class Assignment(models.Model):
    """One unit in one role on one item of a plan: who leads, shares, sits in the office or the task force.

    One table for every item kind, so “everything this unit does across the plan” is one query.
    """

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="assignments")
    written_as = models.CharField(_("written as"), max_length=100)
    role = models.CharField(_("role"), max_length=20, choices=AssignmentRole.choices)
    position = models.PositiveIntegerField(_("position"))
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.CASCADE, related_name="assignments")
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.CASCADE, related_name="assignments"
    )
    task_force = models.ForeignKey(
        TaskForce, null=True, blank=True, on_delete=models.CASCADE, related_name="assignments"
    )
    division_row = models.ForeignKey(
        DivisionRow, null=True, blank=True, on_delete=models.CASCADE, related_name="assignments"
    )
    policy_item = models.ForeignKey(
        PolicyItem, null=True, blank=True, on_delete=models.CASCADE, related_name="assignments"
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["plan", "position"]
        constraints = [
            models.CheckConstraint(
                name="assignment_has_exactly_one_item",
                condition=(
                    Q(task__isnull=False, indicator=None, task_force=None, division_row=None, policy_item=None)
                    | Q(task=None, indicator__isnull=False, task_force=None, division_row=None, policy_item=None)
                    | Q(task=None, indicator=None, task_force__isnull=False, division_row=None, policy_item=None)
                    | Q(task=None, indicator=None, task_force=None, division_row__isnull=False, policy_item=None)
                    | Q(task=None, indicator=None, task_force=None, division_row=None, policy_item__isnull=False)
                ),
            ),
            models.CheckConstraint(
                name="assignment_role_fits_item",
                condition=Q(role__in=["office", "member"], task_force__isnull=False)
                | (Q(task_force=None) & Q(role__in=["lead", "responsible"])),
            ),
        ]
        indexes = [models.Index(fields=["unit", "role"], name="assignment_unit_role_idx")]

    def __str__(self) -> str:
        return f"{self.written_as} ({self.get_role_display()})"
