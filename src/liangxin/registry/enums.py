from django.db import models
from django.utils.translation import gettext_lazy as _


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
    PLANNING = "planning", _("planning")
    RESERVE = "reserve", _("reserve")
    APPLYING = "applying", _("applying")
    REVIEW = "review", _("under review")
    SELECTED = "selected", _("selected")
    STARTED = "started", _("under construction")
    COMPLETED = "completed", _("completed")
    WITHDRAWN = "withdrawn", _("withdrawn")


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
    NOT_NEEDED = "not_needed", _("not needed")
    PENDING = "pending", _("pending")
    DONE = "done", _("done")


class DemandKind(models.TextChoices):
    EQUIPMENT = "equipment", _("equipment renewal")
    CONSUMER = "consumer", _("consumer goods trade-in")


class DemandState(models.TextChoices):
    OPEN = "open", _("open")
    MATCHED = "matched", _("matched")
    CLOSED = "closed", _("closed")


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
