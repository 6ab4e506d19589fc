from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EnterpriseSize(models.TextChoices):
    LARGE = "large", _("large")
    MEDIUM = "medium", _("medium")
    SMALL = "small", _("small")
    MICRO = "micro", _("micro")


class EnterpriseRole(models.TextChoices):
    """What an enterprise is on the lists; one enterprise may hold several roles."""

    MANUFACTURER = "manufacturer", _("manufacturer")
    SUPPLIER = "supplier", _("supplier")
    RECYCLER = "recycler", _("recycler")
    MERCHANT = "merchant", _("retail merchant")
    LEASING = "leasing", _("financial leasing company")
    BANK = "bank", _("bank")
    PROJECT_OWNER = "project_owner", _("project owner")


class ProjectDomain(models.TextChoices):
    INDUSTRY = "industry", _("industrial")
    AGRICULTURE = "agriculture", _("agricultural")
    CONSTRUCTION = "construction", _("construction and municipal")
    TRANSPORT = "transport", _("transport")
    EDUCATION = "education", _("education")
    CULTURE_TOURISM = "culture_tourism", _("culture and tourism")
    MEDICAL = "medical", _("medical care")
    RECYCLING = "recycling", _("recycling and reuse")
    OTHER = "other", _("other domain")


class FundingChannel(models.TextChoices):
    CENTRAL_BUDGET = "central_budget", _("central budget investment")
    SPECIAL_BONDS = "special_bonds", _("ultra-long special treasury bonds")
    CENTRAL_SUBSIDY = "central_subsidy", _("central fiscal subsidy")
    LOAN_INTEREST = "loan_interest", _("loan interest subsidy")
    RELENDING = "relending", _("central bank relending")
    LOCAL_FUND = "local_fund", _("local special funds")
    OTHER = "other", _("other channel")


class ProjectStage(models.TextChoices):
    # Labels in a context of their own: "completed" or "withdrawn" mean other things in other apps.
    PLANNING = "planning", pgettext_lazy("project stage", "planning")
    RESERVE = "reserve", pgettext_lazy("project stage", "reserve")
    APPLYING = "applying", pgettext_lazy("project stage", "applying")
    REVIEW = "review", pgettext_lazy("project stage", "under review")
    SELECTED = "selected", pgettext_lazy("project stage", "selected")
    STARTED = "started", pgettext_lazy("project stage", "under construction")
    COMPLETED = "completed", pgettext_lazy("project stage", "completed")
    WITHDRAWN = "withdrawn", pgettext_lazy("project stage", "withdrawn")


# The pipeline moves one step forward at a time; a step back is allowed while the project is still
# being prepared or reviewed (a declaration sent back for rework); any unfinished project may withdraw,
# and a withdrawn project may re-enter the pipeline as 谋划 or 储备.
STAGE_TRANSITIONS: dict[str, tuple[str, ...]] = {
    ProjectStage.PLANNING: (ProjectStage.RESERVE, ProjectStage.WITHDRAWN),
    ProjectStage.RESERVE: (ProjectStage.APPLYING, ProjectStage.PLANNING, ProjectStage.WITHDRAWN),
    ProjectStage.APPLYING: (ProjectStage.REVIEW, ProjectStage.RESERVE, ProjectStage.WITHDRAWN),
    ProjectStage.REVIEW: (ProjectStage.SELECTED, ProjectStage.RESERVE, ProjectStage.WITHDRAWN),
    ProjectStage.SELECTED: (ProjectStage.STARTED, ProjectStage.WITHDRAWN),
    ProjectStage.STARTED: (ProjectStage.COMPLETED, ProjectStage.WITHDRAWN),
    ProjectStage.COMPLETED: (),
    ProjectStage.WITHDRAWN: (ProjectStage.PLANNING, ProjectStage.RESERVE),
}


class PrerequisiteKind(models.TextChoices):
    APPROVAL = "approval", _("approval or filing")
    LAND = "land", _("land use")
    ENERGY = "energy", _("energy-saving review")
    ENVIRONMENT = "environment", _("environmental impact assessment")


class PrerequisiteState(models.TextChoices):
    NOT_NEEDED = "not_needed", pgettext_lazy("prerequisite", "not needed")
    PENDING = "pending", pgettext_lazy("prerequisite", "pending")
    DONE = "done", pgettext_lazy("prerequisite", "done")


class DemandKind(models.TextChoices):
    EQUIPMENT = "equipment", _("equipment renewal")
    CONSUMER = "consumer", _("consumer goods trade-in")


class DemandState(models.TextChoices):
    OPEN = "open", pgettext_lazy("demand", "open")
    MATCHED = "matched", pgettext_lazy("demand", "matched")
    CLOSED = "closed", pgettext_lazy("demand", "closed")


class PolicyLevel(models.TextChoices):
    NATIONAL = "national", _("national")
    PROVINCE = "province", _("provincial")
    CITY = "city", _("municipal")
    COUNTY = "county", _("district or county")


class FinanceKind(models.TextChoices):
    LEASING = "leasing", _("financial leasing")
    LOAN = "loan", _("loan")
    SUBSIDISED_LOAN = "subsidised_loan", _("interest-subsidised loan")


class InvitationSide(models.TextChoices):
    SUPPLY = "supply", _("supply side")
    DEMAND = "demand", _("demand side")
    FINANCE = "finance", _("finance side")


class OutcomeState(models.TextChoices):
    CONTACTED = "contacted", _("contacted")
    NEGOTIATING = "negotiating", _("negotiating")
    CONTRACTED = "contracted", _("contracted")
    DROPPED = "dropped", _("dropped")


# Recognitions an enterprise may carry; free tags are allowed too, these are the ones the UI offers.
ENTERPRISE_FLAGS = ("专精特新", "专精特新小巨人", "单项冠军", "绿色工厂", "高新技术企业", "科技型中小企业", "规上企业")
