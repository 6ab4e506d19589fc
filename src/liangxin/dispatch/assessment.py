"""The assessment maths of the dispatch loop: 序时进度, status, forecast and the league table's scores.

Pure functions over plain values (Decimal, date, small frozen dataclasses); no ORM. The module
`liangxin.dispatch.assess` reads the models, builds these inputs and assembles the results. All
quantities are Decimal; fractions of a year are exact (numerator and denominator kept apart so
that the formula shown to people reads "3/12", and a milestone is hit exactly at the year end).

What the units report (decided; see `actual_series`):

- ``flow`` (每年…个): each submission's value is the amount achieved in that period; the actual
  value at a period's end is the sum of the period amounts of that calendar year up to it (reset
  every year). The milestone of a year is that year's amount; the trajectory starts from 0.
- ``cumulative`` (累计…): each value is again the amount of the period; the actual value is the
  starting level plus every period amount since the calendar's first year. The starting level is
  the baseline when `counts_from_baseline` says the milestones include it, else 0.
- ``level`` (a level or a growth against the baseline): each value is the level reached at the
  period's end; the actual value is the latest aggregated level, never summed over periods.
- ``qualitative``: the grade (0–3) counts only once the office has approved the submission.

Status (`judge`): the ratio actual/expected (expected/actual when lower is better or the target
is ``<=``) in per cent against the calendar's thresholds; see the function for the comparators
and the cases that would divide by zero.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from .enums import Aggregation, Cadence, Curve, Direction, IndicatorKind, Status, TaskProgress

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")

STATUS_LABELS = {
    Status.NORMAL: "正常",
    Status.WARNING: "预警",
    Status.LAGGING: "滞后",
    Status.NO_DATA: "无数据",
}
# What each status is worth in the league table; no data counts as lagging.
STATUS_POINTS = {
    Status.NORMAL: ONE,
    Status.WARNING: Decimal("0.5"),
    Status.LAGGING: ZERO,
    Status.NO_DATA: ZERO,
}
PERIODS_PER_YEAR = {Cadence.TEN_DAYS: 36, Cadence.MONTH: 12, Cadence.QUARTER: 4}
GROWTH_UNITS = ("%", "个百分点")


# --- inputs -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Milestone:
    """A yearly cell of the indicator table, as the plan writes it."""

    year: int
    value: Decimal | None
    unit: str | None = None
    text: str = ""
    comparator: str | None = None  # the target's own comparator when the plan gave one
    basis: str | None = None  # "2023" or "previous_year" when the plan gave one


@dataclass(frozen=True)
class IndicatorSpec:
    """Everything the maths needs to know about one indicator."""

    name: str
    kind: str
    aggregation: str = Aggregation.SUM
    direction: str = Direction.HIGHER
    baseline_value: Decimal | None = None
    baseline_unit: str | None = None
    baseline_year: int | None = None
    milestones: tuple[Milestone, ...] = ()
    curve: str = Curve.LINEAR
    monthly_shares: tuple[Decimal, ...] | None = None
    first_year: int = 2024
    last_year: int = 2027


@dataclass(frozen=True)
class Thresholds:
    normal_pct: Decimal = Decimal(95)
    warning_pct: Decimal = Decimal(80)
    approx_tolerance_pct: Decimal = Decimal(5)


@dataclass(frozen=True)
class Share:
    """An exact fraction num/den (of a year, of the plan), kept apart for display ("3/12")."""

    num: int
    den: int

    @property
    def fraction(self) -> Fraction:
        return Fraction(self.num, self.den)

    @property
    def complete(self) -> bool:
        return self.num >= self.den

    def __str__(self) -> str:
        return f"{self.num}/{self.den}"


# --- small helpers ----------------------------------------------------------------------------------


def fmt(value: Decimal | None, places: int | None = None) -> str:
    """A number for people: to `places`, or as written (13.600000 → 13.6, 1E+2 → 100) with at most two
    places."""
    if value is None:
        return "—"
    if places is not None:
        return f"{value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):f}"
    value = value.normalize()
    if value.as_tuple().exponent < -2:  # a computed level (30510 × 1.1 × 1.1 …): two places
        return fmt(value, 2)
    return f"{value:f}"


def _dec(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _times_share(amount: Decimal, share: Share) -> Decimal:
    # Multiply first, then divide: 0.9 × 3 / 12 is exactly 0.225.
    return amount * share.num / share.den


def year_share(end: datetime.date, cadence: str) -> Share:
    """How far through its year a period ending on `end` is.

    Monthly periods ending on a month's last day: month/12. Otherwise (旬, 季, anything not on a
    month end) day-of-year/days-in-year, as decided for the 序时进度.
    """
    last_day = calendar.monthrange(end.year, end.month)[1]
    if cadence == Cadence.MONTH and end.day == last_day:
        return Share(end.month, 12)
    days = 366 if calendar.isleap(end.year) else 365
    return Share(end.timetuple().tm_yday, days)


def plan_share(end: datetime.date, cadence: str, first_year: int, last_year: int) -> Share:
    """How far through the plan (1 January of the first year to 31 December of the last) `end` is.

    Months for monthly periods on a month's end, days otherwise; clamped to 0..1.
    """
    years = last_year - first_year + 1
    if end.year < first_year:
        return Share(0, 1)
    if end.year > last_year:
        return Share(1, 1)
    share = year_share(end, cadence)
    if share.den == 12:
        return Share(12 * (end.year - first_year) + share.num, 12 * years)
    start = datetime.date(first_year, 1, 1)
    total = (datetime.date(last_year, 12, 31) - start).days + 1
    return Share((end - start).days + 1, total)


def periods_left(share: Share, cadence: str) -> int:
    """Periods of the year still to come after a period that ends `share` of the way through it."""
    per_year = PERIODS_PER_YEAR.get(cadence, 12)
    return max(0, round(per_year * (1 - share.fraction)))


# --- reading milestone cells ------------------------------------------------------------------------

_CLAUSE_SPLIT = re.compile(r"[，,；;。：:\n]")
_PREVIOUS_YEAR = re.compile(r"(较|比)上[一]?年|同比")
_AGAINST_YEAR = re.compile(r"(较|比)(\d{4})年")
_FALLING = re.compile(r"下降|降低|减少|压减|压降")
_RISING = re.compile(r"增长|增加|提高|提升|上升|增幅")


def _norm(text: str | None) -> str:
    return unicodedata.normalize("NFKC", text or "")


def _clause(text: str, value: Decimal | None) -> tuple[str, str]:
    """The clause of `text` holding `value`, split into what comes before and after the number.

    A cell often carries two metrics (二手车交易量…10%左右，废旧家电回收量…7%左右); the words that
    qualify a number (its basis, its comparator) stand in the same clause. Without the number in
    the text, the whole text is the "before" part.
    """
    text = _norm(text)
    if value is None:
        return text, ""
    number = f"{value.normalize():f}"
    match = re.search(r"(?<![\d.])" + re.escape(number) + r"(?![\d])", text)
    if match is None and "." not in number:
        match = re.search(r"(?<![\d.])" + re.escape(number) + r"\.0+(?![\d])", text)
    if match is None:
        return text, ""
    starts = [m.end() for m in _CLAUSE_SPLIT.finditer(text, 0, match.start())]
    begin = starts[-1] if starts else 0
    after_split = _CLAUSE_SPLIT.search(text, match.end())
    end = after_split.start() if after_split else len(text)
    return text[begin : match.start()], text[match.end() : end]


def milestone_comparator(milestone: Milestone) -> str:
    """The comparator of a milestone: the plan's own, else read from the words around the number.

    以上/不低于/不少于/至少 → ">=", 超过/高于/多于 → ">", 以下/以内/不超过/不高于/控制在 → "<=",
    左右/约 → "~"; a bare number is a floor (">=") and "=" is treated as ">=".
    """
    if milestone.comparator:
        return ">=" if milestone.comparator == "=" else milestone.comparator
    before, after = _clause(milestone.text, milestone.value)
    if re.search(r"不超过|不高于|控制在|低于|少于", before) or re.search(r"以下|以内", after):
        return "<="
    if re.search(r"左右", after) or re.search(r"约$|大约", before):
        return "~"
    if re.search(r"以上", after) or re.search(r"不低于|不少于|至少", before):
        return ">="
    if re.search(r"超过|高于|多于", before):
        return ">"
    return ">="


def is_growth(spec: IndicatorSpec, milestone: Milestone) -> bool:
    """A cell in % or 个百分点 against a baseline in another unit is a growth, not a level."""
    return (
        milestone.value is not None
        and (milestone.unit or "") in GROWTH_UNITS
        and spec.baseline_value is not None
        and (spec.baseline_unit or "") != milestone.unit
    )


def milestone_basis(spec: IndicatorSpec, milestone: Milestone) -> int | str:
    """What a growth cell grows from: a year (its level; the baseline for the baseline year) or
    "previous_year".

    The plan's own basis first; then the words of the cell's clause (较上年/比上年/同比 → the
    previous year; 较2023年/比2023年 → that year); with no basis word, the previous year when the
    year before also has a growth cell (a yearly series of %), else the baseline.
    """
    if milestone.basis == "previous_year":
        return "previous_year"
    if milestone.basis and milestone.basis.isdigit():
        return int(milestone.basis)
    before, _after = _clause(milestone.text, milestone.value)
    text = before or _norm(milestone.text)
    against = list(_AGAINST_YEAR.finditer(text))
    previous = list(_PREVIOUS_YEAR.finditer(text))
    if against and (not previous or against[-1].start() > previous[-1].start()):
        return int(against[-1].group(2))
    if previous:
        return "previous_year"
    earlier = [m for m in spec.milestones if m.year == milestone.year - 1]
    if earlier and is_growth(spec, earlier[0]):
        return "previous_year"
    return spec.baseline_year or spec.first_year - 1


@dataclass(frozen=True)
class Level:
    """A milestone turned into the level to reach (None for a cell without a number)."""

    year: int
    value: Decimal | None
    comparator: str
    note: str = ""  # how a growth became a level, for the formula


@functools.lru_cache(maxsize=4096)
def milestone_levels(spec: IndicatorSpec) -> dict[int, Level]:
    """Each year's milestone as a level (cached per spec: treat the dict as read-only).

    % → base × (1 + v/100) and 个百分点 → base + v when the cell is a growth (`is_growth`; a
    falling word such as 下降 makes v negative); the base is the level of the basis year
    (`milestone_basis`), walking back over years without a number, the baseline at the start.
    A growth with no base known has no level. For a flow the level is that year's amount.
    """
    levels: dict[int, Level] = {}
    for milestone in sorted(spec.milestones, key=lambda m: m.year):
        if milestone.year in levels:
            continue
        comparator = milestone_comparator(milestone)
        if milestone.value is None:
            levels[milestone.year] = Level(milestone.year, None, comparator)
            continue
        if not is_growth(spec, milestone):
            levels[milestone.year] = Level(milestone.year, milestone.value, comparator)
            continue
        basis = milestone_basis(spec, milestone)
        base_year = milestone.year - 1 if basis == "previous_year" else basis
        base = _level_at(spec, levels, base_year)
        v = milestone.value
        before, _after = _clause(milestone.text, v)
        if v > 0 and _FALLING.search(before) and not _RISING.search(before):
            v = -v
        if base is None:
            levels[milestone.year] = Level(milestone.year, None, comparator)
        elif milestone.unit == "%":
            value = base * (ONE + v / HUNDRED)
            note = f"{fmt(base)} × (1 {'+' if v >= 0 else '−'} {fmt(abs(v))}%) = {fmt(value)}"
            levels[milestone.year] = Level(milestone.year, value, comparator, note)
        else:
            value = base + v
            note = f"{fmt(base)} {'+' if v >= 0 else '−'} {fmt(abs(v))} 个百分点 = {fmt(value)}"
            levels[milestone.year] = Level(milestone.year, value, comparator, note)
    return levels


def _level_at(spec: IndicatorSpec, levels: dict[int, Level], year: int) -> Decimal | None:
    """The level known for `year`: the baseline for the baseline year and before, else the latest
    milestone level at or before it."""
    baseline_year = spec.baseline_year or spec.first_year - 1
    if year <= baseline_year:
        return spec.baseline_value
    for y in sorted((y for y in levels if y <= year), reverse=True):
        if levels[y].value is not None:
            return levels[y].value
    return spec.baseline_value


def counts_from_baseline(spec: IndicatorSpec) -> bool:
    """Whether a cumulative indicator's milestones include the baseline (start from it) or count
    only what is added from the calendar's first year on (start from 0).

    They include it when there is a baseline value, the first milestone with a number is at least
    the baseline (in the same unit), and the name or a milestone text says 累计 or 达到 — unless a
    milestone text says the baseline is left out (不含2023年数据, 不含2023年已改造部分: 不含).
    北辰区: 回收点 200 → 累计达到250个 counts from the baseline; 管网 26.219 → 3公里 and
    新增…企业 1 → 5家（不含2023年数据） do not.
    """
    if spec.baseline_value is None:
        return False
    numbered = sorted((m for m in spec.milestones if m.value is not None), key=lambda m: m.year)
    if not numbered:
        return False
    first = numbered[0]
    if spec.baseline_unit and first.unit and _norm(spec.baseline_unit) != _norm(first.unit):
        return False
    if first.value < spec.baseline_value:
        return False
    texts = [_norm(spec.name)] + [_norm(m.text) for m in spec.milestones]
    if any("不含" in t for t in texts):
        return False
    return any("累计" in t or "达到" in t for t in texts)


@functools.lru_cache(maxsize=4096)
def start_level(spec: IndicatorSpec) -> Decimal | None:
    """Where the trajectory and the actual value start before the first year."""
    if spec.kind == IndicatorKind.FLOW:
        return ZERO
    if spec.kind == IndicatorKind.CUMULATIVE:
        return spec.baseline_value if counts_from_baseline(spec) else ZERO
    if spec.kind == IndicatorKind.LEVEL:
        return spec.baseline_value
    return None


def checkpoint(spec: IndicatorSpec, levels: dict[int, Level], year: int) -> Decimal | None:
    """The start S of `year`'s trajectory: the previous year's milestone level (walking back over
    years without a number), the starting level before the first; always 0 for a flow."""
    if spec.kind == IndicatorKind.FLOW:
        return ZERO
    for y in sorted((y for y in levels if y < year), reverse=True):
        if levels[y].value is not None:
            return levels[y].value
    return start_level(spec)


# --- the trajectory ---------------------------------------------------------------------------------


def custom_share(shares: Sequence[Decimal], share: Share) -> Decimal:
    """The cumulative share of the year's progress due at `share`, from twelve monthly shares
    (linear between month ends; 0 at the start of the year)."""
    position = Fraction(share.num * 12, share.den)
    month = math.floor(position)
    if month >= 12:
        return _dec(shares[11])
    low = ZERO if month == 0 else _dec(shares[month - 1])
    if position == month:
        return low
    high = _dec(shares[month])
    rest = position - month
    return low + (high - low) * rest.numerator / rest.denominator


def curve_value(
    curve: str, start: Decimal, target: Decimal, share: Share, shares: Sequence[Decimal] | None = None
) -> Decimal:
    """The expected value `share` of the way from `start` (S) to `target` (T).

    linear S + (T − S)·f; compound S·(T/S)^f when S > 0 and T > 0 (else linear); stepwise S until
    the year's end; custom S + (T − S)·share(f) from the monthly shares. At f = 1 it is T exactly,
    at f = 0 exactly S, whatever the curve.
    """
    if share.complete:
        return target
    if share.num <= 0:
        return start
    if curve == Curve.STEPWISE:
        return start
    if curve == Curve.COMPOUND and start > 0 and target > 0:
        return start * (target / start) ** (Decimal(share.num) / Decimal(share.den))
    if curve == Curve.CUSTOM and shares is not None and len(shares) == 12:
        return start + (target - start) * custom_share(shares, share)
    return start + _times_share(target - start, share)


def year_bounds(spec: IndicatorSpec, levels: dict[int, Level]) -> dict[int, tuple[Decimal | None, Decimal]]:
    """{year: (S, T)} for every year with a milestone level: the inputs of the year's trajectory."""
    return {
        year: (checkpoint(spec, levels, year), level.value) for year, level in levels.items() if level.value is not None
    }


def expected_value(
    spec: IndicatorSpec, bounds: dict[int, tuple[Decimal | None, Decimal]], year: int, share: Share
) -> Decimal | None:
    """The value of `expectation` without its text (the series and the league need many); `bounds`
    from `year_bounds`."""
    if year not in bounds:
        return None
    start, target = bounds[year]
    if start is None:
        return target if share.complete else None
    return curve_value(spec.curve, start, target, share, spec.monthly_shares)


@dataclass(frozen=True)
class Expectation:
    value: Decimal | None
    start: Decimal | None
    target: Decimal
    comparator: str
    text: str  # "序时进度 = …"


def expectation(spec: IndicatorSpec, levels: dict[int, Level], year: int, share: Share) -> Expectation | None:
    """The 序时进度 of `year` at `share`, or None when the year has no milestone with a level.

    With no start known (a level without a baseline or an earlier milestone) there is nothing to
    interpolate from: no expectation during the year, the milestone at its end.
    """
    level = levels.get(year)
    if level is None or level.value is None:
        return None
    start = checkpoint(spec, levels, year)
    target = level.value
    prefix = f"年度目标 {level.note}；" if level.note else ""
    if start is None:
        if not share.complete:
            return Expectation(None, None, target, level.comparator, f"{prefix}年底考核，目标 {fmt(target)}")
        return Expectation(target, None, target, level.comparator, f"{prefix}序时进度 = 年度目标 {fmt(target)}")
    value = curve_value(spec.curve, start, target, share, spec.monthly_shares)
    s, t, v = fmt(start), fmt(target), fmt(value, 2)
    curve = spec.curve
    if share.complete:
        text = f"序时进度 = 年度目标 {t}"
    elif curve == Curve.STEPWISE:
        text = f"序时进度 = {s}（阶梯式，年底达到 {t}）"
    elif curve == Curve.COMPOUND and start > 0 and target > 0:
        text = f"序时进度 = {s} × ({t} ÷ {s})^({share}) = {v}"
    elif curve == Curve.CUSTOM and spec.monthly_shares is not None and len(spec.monthly_shares) == 12:
        pct = custom_share(spec.monthly_shares, share) * HUNDRED
        text = f"序时进度 = {s} + ({t} − {s}) × {fmt(pct, 1)}%（自定义曲线，{share}）= {v}"
    else:
        text = f"序时进度 = {s} + ({t} − {s}) × {share} = {v}"
    return Expectation(value, start, target, level.comparator, prefix + text)


# --- actual values ----------------------------------------------------------------------------------


def aggregate(values: Sequence[Decimal], how: str) -> Decimal | None:
    """Combine the units' values of one period; `values` in the order they were submitted, so
    "last" is the latest submitted value of any unit."""
    if not values:
        return None
    if how == Aggregation.LAST:
        return values[-1]
    total = sum(values, ZERO)
    if how == Aggregation.AVERAGE:
        return total / len(values)
    return total


def actual_series(
    kind: str, amounts: Sequence[Decimal | None], years: Sequence[int], start: Decimal | None
) -> list[Decimal | None]:
    """The actual value at each period's end from the aggregated value of each period (None when
    nothing counting was reported in it).

    flow: the sum of this year's amounts so far (None until the year's first report);
    cumulative: the starting level plus all amounts so far (None until the first report);
    level: the latest reported level.
    """
    out: list[Decimal | None] = []
    running: Decimal | None = None
    year = None
    for amount, y in zip(amounts, years, strict=True):
        if kind == IndicatorKind.FLOW:
            if y != year:
                running, year = None, y
            if amount is not None:
                running = (running or ZERO) + amount
        elif kind == IndicatorKind.CUMULATIVE:
            if amount is not None:
                running = (running if running is not None else (start or ZERO)) + amount
        elif amount is not None:
            running = amount
        out.append(running)
    return out


# --- status -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Judgement:
    status: str
    ratio: Decimal | None
    text: str  # "实际 14.2；完成率 96.6% ≥ 95% → 正常"


def _verdict(status: str) -> str:
    return f"→ {STATUS_LABELS[Status(status)]}"


def status_of(
    actual: Decimal | None,
    expected: Decimal,
    *,
    direction: str = Direction.HIGHER,
    comparator: str = ">=",
    thresholds: Thresholds = Thresholds(),
    year_end: bool = False,
) -> tuple[str, Decimal | None]:
    """(status, ratio) of `actual` against `expected`.

    ratio = actual/expected (higher is better) or expected/actual (lower is better, or the target
    is "<="); ratio·100 ≥ normal_pct → normal, ≥ warning_pct → warning, else lagging. "~" lowers
    the bar for normal by approx_tolerance_pct (within the band below, or anywhere above, is
    normal). ">" at the year end is normal only strictly above (equal is a warning).
    No division by zero: higher is better with expected ≤ 0 → normal if actual ≥ expected, else
    lagging; lower is better with expected ≤ 0 → normal if actual ≤ expected, else lagging, and with
    actual ≤ 0 (< expected) → normal, without a ratio. Missing actual → no_data.
    """
    if actual is None:
        return Status.NO_DATA, None
    lower = direction == Direction.LOWER or comparator == "<="
    ratio = None
    if not lower and expected <= 0:
        status = Status.NORMAL if actual >= expected else Status.LAGGING
    elif lower and expected <= 0:
        status = Status.NORMAL if actual <= expected else Status.LAGGING
    elif lower and actual <= 0:
        status = Status.NORMAL
    else:
        ratio = expected / actual if lower else actual / expected
        pct = ratio * HUNDRED
        normal_bar = thresholds.normal_pct
        if comparator == "~":
            normal_bar -= thresholds.approx_tolerance_pct
        if pct >= normal_bar:
            status = Status.NORMAL
        elif pct >= thresholds.warning_pct:
            status = Status.WARNING
        else:
            status = Status.LAGGING
    if comparator == ">" and year_end and not lower and status == Status.NORMAL and not actual > expected:
        status = Status.WARNING
    return status, ratio


def judge(
    actual: Decimal | None,
    expected: Decimal,
    *,
    direction: str = Direction.HIGHER,
    comparator: str = ">=",
    thresholds: Thresholds = Thresholds(),
    year_end: bool = False,
) -> Judgement:
    """`status_of` with the reasoning written out for people ("实际 14.2；完成率 96.6% ≥ 95% → 正常")."""
    status, ratio = status_of(
        actual, expected, direction=direction, comparator=comparator, thresholds=thresholds, year_end=year_end
    )
    if actual is None:
        return Judgement(status, None, "未报送 → 无数据")
    lower = direction == Direction.LOWER or comparator == "<="
    a, e = fmt(actual), fmt(expected)
    if ratio is None:
        if lower and expected <= 0:
            text = f"实际 {a} {'≤' if actual <= expected else '>'} {e}（越低越好）"
        elif lower:
            text = f"实际 {a} ≤ 0（越低越好）"
        else:
            text = f"实际 {a} {'≥' if actual >= expected else '<'} {e}"
    else:
        pct = ratio * HUNDRED
        normal_bar = thresholds.normal_pct
        bar_note = f"{fmt(normal_bar)}%"
        if comparator == "~":
            normal_bar -= thresholds.approx_tolerance_pct
            bar_note = (
                f"{fmt(normal_bar)}%（{fmt(thresholds.normal_pct)}% − 容差 {fmt(thresholds.approx_tolerance_pct)}%）"
            )
        if pct >= normal_bar:
            cmp = f"≥ {bar_note}"
        elif pct >= thresholds.warning_pct:
            cmp = f"≥ {fmt(thresholds.warning_pct)}%"
        else:
            cmp = f"< {fmt(min(thresholds.warning_pct, normal_bar))}%"
        how = "（越低越好：序时 ÷ 实际）" if lower else ""
        text = f"实际 {a}；完成率{how} {fmt(pct, 1)}% {cmp}"
    if comparator == ">" and year_end and not lower and not actual > expected:
        text += f"；年底须超过 {e}"
    return Judgement(status, ratio, f"{text} {_verdict(status)}")


def qualitative_expected_grade(share: Share) -> int:
    """The grade (0–3) due `share` of the way through the plan: ⌈3·f⌉, 3 (achieved) at its end."""
    return min(3, max(0, math.ceil(3 * share.fraction)))


def judge_grade(grade: Decimal | None, expected: int, share: Share) -> Judgement:
    """Approved grade ≥ expected → normal, one below → warning, else lagging; none → no_data."""
    head = f"应达等级 = ⌈3 × {share}⌉ = {expected}"
    if grade is None:
        return Judgement(Status.NO_DATA, None, f"{head}；尚无经审核的评定 → 无数据")
    if grade >= expected:
        status = Status.NORMAL
    elif grade >= expected - 1:
        status = Status.WARNING
    else:
        status = Status.LAGGING
    sign = "≥" if grade >= expected else "<"
    shown = fmt(grade, 2 if grade % 1 else None)
    return Judgement(status, None, f"{head}；已审核等级 {shown} {sign} {expected} {_verdict(status)}")


def judge_without_target(actual: Decimal | None, reason: str = "本年无目标值") -> Judgement:
    """Without an expectation (a year without a milestone, or a milestone with nothing to start
    from before its year end) reporting is all that can be asked: normal when reported."""
    if actual is None:
        return Judgement(Status.NO_DATA, None, f"{reason}；未报送 → 无数据")
    return Judgement(Status.NORMAL, None, f"{reason}；实际 {fmt(actual)} → 正常")


# --- forecast ---------------------------------------------------------------------------------------


def forecast(
    kind: str, actuals: Sequence[Decimal | None], years: Sequence[int], index: int, remaining: int
) -> Decimal | None:
    """The year-end value projected from the rate of change over the last (up to) 3 periods.

    The rate is (a[i] − a[j]) / (i − j) for the earliest period j ≥ i − 3 with a value (the latest
    earlier one when none is that close); a flow counts from 0 just before the year's first
    period. No earlier point → no trend: the projection is the value itself.
    """
    current = actuals[index]
    if current is None:
        return None
    points: list[tuple[int, Decimal]] = []
    if kind == IndicatorKind.FLOW:
        first = index
        while first > 0 and years[first - 1] == years[index]:
            first -= 1
        points.append((first - 1, ZERO))
        points += [(j, actuals[j]) for j in range(first, index) if actuals[j] is not None]
    else:
        points += [(j, actuals[j]) for j in range(index) if actuals[j] is not None]
    if not points or remaining <= 0:
        return current
    close = [p for p in points if p[0] >= index - 3]
    j, value = close[0] if close else points[-1]
    rate = (current - value) / (index - j)
    return current + rate * remaining


# --- tasks ------------------------------------------------------------------------------------------


def task_status(progress: str | None, period_end: datetime.date, due_on: datetime.date | None) -> str:
    """A task's status from its latest counting report (`progress` None: no report).

    done → normal; lagging reported, or past due_on and not done → lagging; not started after
    the first quarter of the year → warning; otherwise normal; no report → no_data.
    """
    if progress is None:
        return Status.NO_DATA
    if progress == TaskProgress.DONE:
        return Status.NORMAL
    if progress == TaskProgress.LAGGING or (due_on is not None and period_end > due_on):
        return Status.LAGGING
    if progress == TaskProgress.NOT_STARTED and period_end > datetime.date(period_end.year, 3, 31):
        return Status.WARNING
    return Status.NORMAL


# --- the league table -------------------------------------------------------------------------------


def mean_points(statuses: Iterable[str]) -> Decimal | None:
    """normal 1, warning 0.5, lagging and no data 0, averaged; None for no statuses."""
    points = [STATUS_POINTS[Status(s)] for s in statuses]
    if not points:
        return None
    return sum(points, ZERO) / len(points)


def unit_score(
    on_time_rate: Decimal | None,
    indicator_score: Decimal | None,
    task_score: Decimal | None,
    weights: dict[str, int],
) -> Decimal:
    """0–100: w_on_time·on_time_rate + w_indicators·indicator_score + w_tasks·task_score (weights sum
    to 100). A unit without indicators (or tasks) is scored on what it has: the weights of the
    parts it has are scaled up to 100, so it is neither rewarded nor punished for the part it lacks.
    """
    parts = [
        (weights["on_time"], on_time_rate),
        (weights["indicators"], indicator_score),
        (weights["tasks"], task_score),
    ]
    present = [(w, s) for w, s in parts if s is not None]
    total = sum(w for w, _s in present)
    if not present or total == 0:
        return ZERO.quantize(CENT)
    score = sum((Decimal(w) * s for w, s in present), ZERO) * HUNDRED / total
    return score.quantize(CENT, rounding=ROUND_HALF_UP)


def competition_ranks(scores: Sequence[Decimal]) -> list[int]:
    """1 = best; ties share a rank and the next rank skips (100, 90, 90, 80 → 1, 2, 2, 4)."""
    ordered = sorted(scores, reverse=True)
    first_place = {}
    for position, score in enumerate(ordered, start=1):
        first_place.setdefault(score, position)
    return [first_place[s] for s in scores]


# --- guessing a profile -----------------------------------------------------------------------------


def guess_profile(
    name: str, cumulative: bool, milestones: Sequence[Milestone], baseline_unit: str | None = None
) -> tuple[str, str, str]:
    """(kind, aggregation, direction) guessed from the indicator table.

    kind: no milestone with a number → qualitative; 累计 (or the indicator flagged cumulative) →
    cumulative; 每年 → flow; otherwise (levels, growth in %, rates 率) → level.
    aggregation: average for levels that are rates (率, 占比, or % against a baseline in %), else sum.
    direction: lower when the texts speak only of falling (下降/降低/减少/压减), else higher.
    """
    texts = [_norm(name)] + [_norm(m.text) for m in milestones]
    joined = "".join(texts)
    if not any(m.value is not None for m in milestones):
        kind = IndicatorKind.QUALITATIVE
    elif cumulative or "累计" in joined:
        kind = IndicatorKind.CUMULATIVE
    elif "每年" in joined:
        kind = IndicatorKind.FLOW
    else:
        kind = IndicatorKind.LEVEL
    # A rate is a level in % of its own (普及率 90%), not a growth of a level in another unit.
    rate = (
        "率" in _norm(name)
        or "占比" in _norm(name)
        or any(m.value is not None and m.unit == "%" and (baseline_unit or "%") == "%" for m in milestones)
    )
    aggregation = Aggregation.AVERAGE if kind == IndicatorKind.LEVEL and rate else Aggregation.SUM
    direction = Direction.LOWER if _FALLING.search(joined) and not _RISING.search(joined) else Direction.HIGHER
    return kind, aggregation, direction
