from django.db import models
from django.utils.translation import gettext_lazy as _


class Cadence(models.TextChoices):
    TEN_DAYS = "ten_days", _("every ten days (旬)")
    MONTH = "month", _("monthly")
    QUARTER = "quarter", _("quarterly")


class PeriodState(models.TextChoices):
    PLANNED = "planned", _("not yet open")
    OPEN = "open", _("open for reporting")
    CLOSED = "closed", _("closed")


class IndicatorKind(models.TextChoices):
    FLOW = "flow", _("yearly flow (summed within the year, reset each year)")
    CUMULATIVE = "cumulative", _("cumulative count (summed over the plan's years)")
    LEVEL = "level", _("level or growth against the baseline (latest value)")
    QUALITATIVE = "qualitative", _("qualitative (judged on a scale with evidence)")


class Aggregation(models.TextChoices):
    SUM = "sum", _("sum over units")
    LAST = "last", _("latest value")
    AVERAGE = "average", _("average over units")


class Direction(models.TextChoices):
    HIGHER = "higher", _("higher is better")
    LOWER = "lower", _("lower is better")


class Curve(models.TextChoices):
    LINEAR = "linear", _("linear within each year")
    COMPOUND = "compound", _("compound growth")
    STEPWISE = "stepwise", _("stepwise (reached at year end)")
    CUSTOM = "custom", _("custom monthly curve")


class SubmissionState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    APPROVED = "approved", _("approved")
    RETURNED = "returned", _("returned for changes")


class TaskProgress(models.TextChoices):
    NOT_STARTED = "not_started", _("not started (未启动)")
    IN_PROGRESS = "in_progress", _("in progress (推进中)")
    DONE = "done", _("done (已完成)")
    LAGGING = "lagging", _("lagging (滞后)")


class Status(models.TextChoices):
    NORMAL = "normal", _("on track (正常)")
    WARNING = "warning", _("warning (预警)")
    LAGGING = "lagging", _("lagging (滞后)")
    NO_DATA = "no_data", _("no data")


class QualitativeGrade(models.IntegerChoices):
    NOT_STARTED = 0, _("not started")
    UNDER_WAY = 1, _("under way")
    LARGELY_DONE = 2, _("largely achieved")
    ACHIEVED = 3, _("achieved")


class SupervisionLevel(models.TextChoices):
    DUE_SOON = "due_soon", _("due within 3 days (yellow)")
    OVERDUE = "overdue", _("overdue (red)")
    URGED = "urged", _("urged (催办)")
    NAMED = "named", _("named in the monthly bulletin (通报)")
    SUPERVISED = "supervised", _("formal supervision (督办)")


class SupervisionRule(models.TextChoices):
    SUBMISSION_DUE = "submission_due", _("submission due soon or overdue")
    INDICATOR_LAGGING = "indicator_lagging", _("indicator lagging two periods running")
    TASK_OVERDUE = "task_overdue", _("task past its deadline")


class ProblemState(models.TextChoices):
    OPEN = "open", _("awaiting assignment")
    ASSIGNED = "assigned", _("being coordinated")
    RESOLVED = "resolved", _("resolved")


class ProblemCategory(models.TextChoices):
    LAND = "land", _("land")
    FUNDS = "funds", _("funds")
    APPROVAL = "approval", _("approval")
    ENERGY = "energy", _("energy and utilities")
    POLICY = "policy", _("policy")
    OTHER = "other", _("other")
