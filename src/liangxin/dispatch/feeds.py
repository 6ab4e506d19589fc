"""Figures that Liangxin computes itself and feeds into a plan's indicators.

Some indicators are measured by the platform rather than reported by units: the recycling network
counts its sites and the returns of its operators, the trade-in engine counts its claims, the
project list sums its investment. Each such module registers a `Feed` when its app is ready
(`register(Feed(...))` in AppConfig.ready). The office points an indicator at a feed by setting
its profile's `source` to the feed's key; from then on the assessment takes the indicator's
values from the feed, computed when it is read (so they are never stale), and units' reported
values for that indicator are ignored.

A feed answers for a plan's jurisdiction (and everything below it) and a list of periods:
`values(jurisdiction, periods)` returns one Decimal or None per (start, end) pair — for a feed of
kind flow or cumulative, the amount within the period; for kind level, the level at its end.
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

Periods = Sequence[tuple[datetime.date, datetime.date]]


@dataclass(frozen=True)
class Feed:
    key: str  # "recycling.appliances_collected"
    label: str  # translated (lazy) label shown to the office
    kind: str  # an IndicatorKind value: flow, cumulative or level
    unit: str  # the unit of its values: 台, 辆, 个, 万元 …
    values: Callable[..., list[Decimal | None]]  # values(jurisdiction, periods)


FEEDS: dict[str, Feed] = {}


def register(feed: Feed) -> Feed:
    FEEDS[feed.key] = feed
    return feed


def feed_choices() -> list[tuple[str, str]]:
    return [(key, str(feed.label)) for key, feed in sorted(FEEDS.items())]


def feed_values(key: str, jurisdiction, periods: Periods) -> list[Decimal | None] | None:
    """The feed's values for these periods, or None when no feed has this key (an app removed)."""
    feed = FEEDS.get(key)
    if feed is None:
        return None
    values = list(feed.values(jurisdiction, list(periods)))
    if len(values) != len(periods):
        raise ValueError(f"feed {key} answered {len(values)} values for {len(periods)} periods")
    return values
