from .history import SiteStatusChange
from .route import RouteStop
from .site import Site
from .town import TownCentre
from .volume import VolumeReturn

__all__ = ["RouteStop", "Site", "SiteStatusChange", "TownCentre", "VolumeReturn"]
