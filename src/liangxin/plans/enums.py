from django.db import models
from django.utils.translation import gettext_lazy as _

FORMAT_TAG = "liangxin.plan/1"


class TargetKind(models.TextChoices):
    GOAL = "goal", _("overall goal")
    TASK = "task", _("task target")
    MILESTONE = "milestone", _("indicator milestone")


class Comparator(models.TextChoices):
    GE = ">=", _("at least")
    GT = ">", _("more than")
    LE = "<=", _("at most")
    APPROX = "~", _("about")
    EQ = "=", _("exactly")


class Basis(models.TextChoices):
    BASELINE_2023 = "2023", _("change against 2023")
    PREVIOUS_YEAR = "previous_year", _("change against the previous year")


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("lead unit")
    RESPONSIBLE = "responsible", _("responsible unit")
    OFFICE = "office", _("office unit")
    MEMBER = "member", _("member unit")
