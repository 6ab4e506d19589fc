"""Reporting periods from a cadence: 旬 (the 10th, 20th and last day of a month), months, quarters."""

import calendar
import datetime
from dataclasses import dataclass

from .enums import Cadence


@dataclass(frozen=True)
class PeriodSpan:
    label: str
    start: datetime.date
    end: datetime.date


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def period_spans(cadence: str, first_year: int, last_year: int) -> list[PeriodSpan]:
    spans = []
    for year in range(first_year, last_year + 1):
        if cadence == Cadence.QUARTER:
            for q in range(4):
                spans.append(
                    PeriodSpan(f"{year}Q{q + 1}", datetime.date(year, 3 * q + 1, 1), _month_end(year, 3 * q + 3))
                )
            continue
        for month in range(1, 13):
            if cadence == Cadence.MONTH:
                spans.append(PeriodSpan(f"{year}-{month:02d}", datetime.date(year, month, 1), _month_end(year, month)))
                continue
            end = _month_end(year, month)
            thirds = [(1, 10, "上旬"), (11, 20, "中旬"), (21, end.day, "下旬")]
            for first, last, name in thirds:
                spans.append(
                    PeriodSpan(
                        f"{year}-{month:02d}{name}", datetime.date(year, month, first), datetime.date(year, month, last)
                    )
                )
    return spans
