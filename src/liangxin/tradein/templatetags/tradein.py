"""Template filters of the trade-in pages: money in yuan, state labels."""

from django import template

from ..enums import ClaimState
from ..forms import BUDGET_STATE_WORDS
from ..views.display import yuan as _yuan

register = template.Library()


@register.filter
def yuan(value):
    return _yuan(value) if value not in (None, "") else "—"


@register.filter
def budget_state(value):
    return BUDGET_STATE_WORDS.get(value, value)


@register.filter
def waiting(counts: dict) -> int:
    """Claims still on their way to payment (submitted, accepted, reviewed, approved)."""
    states = (ClaimState.SUBMITTED, ClaimState.ACCEPTED, ClaimState.REVIEWED, ClaimState.APPROVED)
    return sum(counts.get(state, 0) for state in states)


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
