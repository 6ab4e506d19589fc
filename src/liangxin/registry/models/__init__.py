from .demands import ConsumerDemand, Demand
from .enterprises import Enterprise, EquipmentCategory, Product
from .events import MatchEvent, MatchInvitation, MatchOutcome
from .finance import FinanceOffer
from .policies import Policy
from .projects import Project, ProjectPrerequisite, ProjectStageChange, ScreeningCriteria, ScreeningRun

__all__ = [
    "ConsumerDemand",
    "Demand",
    "Enterprise",
    "EquipmentCategory",
    "FinanceOffer",
    "MatchEvent",
    "MatchInvitation",
    "MatchOutcome",
    "Policy",
    "Product",
    "Project",
    "ProjectPrerequisite",
    "ProjectStageChange",
    "ScreeningCriteria",
    "ScreeningRun",
]
