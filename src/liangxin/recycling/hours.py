"""Opening hours as people write them: "周一至周五 8:30-17:30; 周六 9:00-12:00", "08:00-18:00", "全天", "24小时".

`parse_hours` returns a list of rules (days, time ranges) or raises `HoursError` with a message for the
user; `format_hours` writes the canonical form back; `is_open(hours, at)` answers for a moment.
A blank text means "not given": it parses to no rules and `is_open` answers None (unknown).
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

_DAY_NAMES = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6}
_DAY_LABELS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
ALL_DAYS = frozenset(range(7))
_ALL_DAY_WORDS = ("全天", "24小时", "24h", "全天候", "24小时营业")

_DAY = r"(?:周|星期|礼拜)([一二三四五六日天七])"
_RANGE_SEP = r"(?:至|到|-|~|–|—)"
_DAY_RE = re.compile(rf"^{_DAY}(?:{_RANGE_SEP}{_DAY})?$")
_TIME_RE = re.compile(r"^(\d{1,2})[:点](\d{2})?\s*(?:-|~|–|—|至|到)\s*(\d{1,2})[:点](\d{2})?$")


class HoursError(ValueError):
    """The text could not be read as opening hours; the message says what to write."""


@dataclass(frozen=True)
class HoursRule:
    days: frozenset[int]  # 0 = Monday
    ranges: tuple[tuple[int, int], ...]  # minutes since midnight, end exclusive; (0, 1440) = all day


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").strip()
    return text.replace("：", ":").replace("；", ";").replace("，", ",")


def _parse_days(spec: str) -> frozenset[int]:
    spec = spec.replace("、", ",").replace(" ", "")
    if spec in ("每天", "每日", "天天", "周一至周日", "全周"):
        return ALL_DAYS
    if spec in ("工作日",):
        return frozenset(range(5))
    if spec in ("周末", "双休日"):
        return frozenset({5, 6})
    days: set[int] = set()
    for part in spec.split(","):
        match = _DAY_RE.match(part)
        if not match:
            raise HoursError(_("“%(part)s” is not a day or range of days (write e.g. 周一至周五).") % {"part": part})
        first = _DAY_NAMES[match.group(1)]
        last = _DAY_NAMES[match.group(2)] if match.group(2) else first
        day = first
        while True:
            days.add(day)
            if day == last:
                break
            day = (day + 1) % 7
    return frozenset(days)


def _parse_time_range(text: str) -> tuple[int, int]:
    match = _TIME_RE.match(text)
    if not match:
        raise HoursError(_("“%(part)s” is not a time range (write e.g. 8:30-17:30).") % {"part": text})
    h1, m1, h2, m2 = (int(g) if g else 0 for g in match.groups())
    if h1 > 23 or m1 > 59 or h2 > 24 or m2 > 59 or (h2 == 24 and m2):
        raise HoursError(_("“%(part)s” has an impossible time of day.") % {"part": text})
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if end <= start:
        raise HoursError(_("In “%(part)s” the closing time is not after the opening time.") % {"part": text})
    return start, end


def _split_segment(segment: str) -> tuple[str, str]:
    """("周一至周五", "8:30-12:00 14:00-17:30") — the day part is everything before the first digit or 全天."""
    match = re.search(r"\d|全天", segment)
    if match is None:
        return segment, ""
    return segment[: match.start()].strip(" :"), segment[match.start() :].strip()


def parse_hours(text: str) -> list[HoursRule]:
    text = _normalise(text)
    if not text:
        return []
    rules: list[HoursRule] = []
    for segment in (s.strip() for s in re.split(r"[;\n]", text)):
        if not segment:
            continue
        day_part, time_part = _split_segment(segment)
        days = _parse_days(day_part) if day_part else ALL_DAYS
        if not time_part:
            raise HoursError(_("“%(part)s” gives no times (write e.g. 周六 9:00-12:00).") % {"part": segment})
        if time_part.replace(" ", "").lower() in _ALL_DAY_WORDS:
            ranges = ((0, 1440),)
        else:
            pieces = [p for p in re.split(r"[\s,、]+", time_part) if p]
            ranges = tuple(sorted(_parse_time_range(p) for p in pieces))
            for (_s1, e1), (s2, _e2) in zip(ranges, ranges[1:], strict=False):
                if s2 < e1:
                    raise HoursError(_("The time ranges in “%(part)s” overlap.") % {"part": segment})
        rules.append(HoursRule(days=days, ranges=ranges))
    return rules


def hours_problem(text: str) -> str | None:
    """The message explaining why the text is not opening hours, or None when it is."""
    try:
        parse_hours(text)
    except HoursError as exc:
        return str(exc)
    return None


def _format_days(days: frozenset[int]) -> str:
    if days == ALL_DAYS:
        return "每天"
    ordered = sorted(days)
    runs: list[list[int]] = []
    for day in ordered:
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{_DAY_LABELS[run[0]]}至{_DAY_LABELS[run[-1]]}")
        else:
            parts.extend(_DAY_LABELS[d] for d in run)
    return "、".join(parts)


def _hm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def format_hours(rules: list[HoursRule]) -> str:
    """The canonical text: "周一至周五 08:30-17:30; 周六 09:00-12:00"; all day is "全天"."""
    out = []
    for rule in rules:
        times = "全天" if rule.ranges == ((0, 1440),) else " ".join(f"{_hm(s)}-{_hm(e)}" for s, e in rule.ranges)
        out.append(times if rule.days == ALL_DAYS else f"{_format_days(rule.days)} {times}")
    return "; ".join(out)


def normalise_hours(text: str) -> str:
    return format_hours(parse_hours(text))


def is_open(hours: str | list[HoursRule], at: datetime) -> bool | None:
    """Whether the site is open at `at` (converted to local time); None when no hours are given."""
    rules = parse_hours(hours) if isinstance(hours, str) else hours
    if not rules:
        return None
    if timezone.is_aware(at):
        at = timezone.localtime(at)
    minute = at.hour * 60 + at.minute
    weekday = at.weekday()
    return any(weekday in r.days and any(s <= minute < e for s, e in r.ranges) for r in rules)
