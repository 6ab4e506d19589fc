"""The figures the network feeds into plan indicators (liangxin.dispatch.feeds), registered in ready().

recycling.points_open / recycling.sorting_centres_open: open sites of that level at each period's end
(level, 个). recycling.appliances_collected / recycling.vehicles_collected: the counted returns of the
months inside each period (flow, 台 / 辆) — a flagged return counts only once confirmed.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from liangxin.dispatch.feeds import Feed, register

from .enums import Category, SiteLevel


def _open_at_end(level):
    def values(jurisdiction, periods) -> list[Decimal | None]:
        from .selectors import open_counts_on

        counts = open_counts_on(jurisdiction, [end for _start, end in periods], levels=[level])
        return [Decimal(c.get(level, 0)) for c in counts]

    return values


def _collected(category):
    def values(jurisdiction, periods) -> list[Decimal | None]:
        from .selectors import collected

        return collected(jurisdiction, category, periods)

    return values


def register_feeds() -> None:
    register(
        Feed(
            "recycling.points_open",
            _("Open recycling points (network registry)"),
            "level",
            "个",
            _open_at_end(SiteLevel.POINT),
        )
    )
    register(
        Feed(
            "recycling.sorting_centres_open",
            _("Open sorting centres (network registry)"),
            "level",
            "个",
            _open_at_end(SiteLevel.SORTING),
        )
    )
    register(
        Feed(
            "recycling.appliances_collected",
            _("Old appliances collected (monthly returns)"),
            "flow",
            "台",
            _collected(Category.APPLIANCES),
        )
    )
    register(
        Feed(
            "recycling.vehicles_collected",
            _("End-of-life vehicles collected (monthly returns)"),
            "flow",
            "辆",
            _collected(Category.VEHICLE),
        )
    )
