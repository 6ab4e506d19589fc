"""Writes of the recycling network: the registry, monthly returns and the spreadsheet imports."""

from .imports import ImportRejected, ImportResult, returns_import, sites_import
from .sites import (
    RecyclingError,
    operator_resolve,
    route_set,
    site_create,
    site_set_status,
    site_update,
    town_centre_set,
    town_resolve,
)
from .volumes import return_confirm, return_enter, spike_reason

__all__ = [
    "ImportRejected",
    "ImportResult",
    "RecyclingError",
    "operator_resolve",
    "return_confirm",
    "return_enter",
    "returns_import",
    "route_set",
    "site_create",
    "site_set_status",
    "site_update",
    "sites_import",
    "spike_reason",
    "town_centre_set",
    "town_resolve",
]
