"""Writes of the registry app (one module per list)."""

from .enterprises import enterprise_update, enterprise_upsert
from .lists import (
    consumer_demand_set,
    consumer_demand_update,
    criteria_create,
    criteria_update,
    demand_create,
    demand_update,
    offer_create,
    offer_update,
    policy_create,
    policy_update,
    product_create,
    product_update,
)
from .projects import (
    allowed_moves,
    project_create,
    project_move,
    project_prerequisite_set,
    project_update,
    screen,
    screening_run,
)

__all__ = [
    "allowed_moves",
    "consumer_demand_set",
    "consumer_demand_update",
    "criteria_create",
    "criteria_update",
    "demand_create",
    "demand_update",
    "enterprise_update",
    "enterprise_upsert",
    "offer_create",
    "offer_update",
    "policy_create",
    "policy_update",
    "product_create",
    "product_update",
    "project_create",
    "project_move",
    "project_prerequisite_set",
    "project_update",
    "screen",
    "screening_run",
]
