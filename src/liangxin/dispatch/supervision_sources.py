"""督办 items that other apps find: a small hook, like the indicator feeds.

An app registers a `SupervisionSource` in its AppConfig.ready(); every scan of a plan then asks each
source for its findings (dispatch.services.supervision.Finding, with the source's `rule`) and
opens, raises and resolves their items exactly as it does its own. `rule` is stored in
SupervisionItem.rule (at most 30 characters) and is not one of SupervisionRule's choices, so no
migration is needed to add a source; `url(user, item)` says where to act on an item.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SupervisionSource:
    rule: str  # "tradein_claims_overdue"
    label: str  # translated (lazy), what the list shows for the rule
    findings: Callable  # findings(plan, today) -> list[Finding]
    url: Callable  # url(user, item) -> str


SOURCES: dict[str, SupervisionSource] = {}


def register(source: SupervisionSource) -> SupervisionSource:
    if len(source.rule) > 30:
        raise ValueError(f"supervision source rule {source.rule!r} is longer than 30 characters")
    SOURCES[source.rule] = source
    return source
