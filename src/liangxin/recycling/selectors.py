"""Reads of the recycling network that depend on who asks, and the figures: coverage, gaps, totals.

Counts over time are read from the status changes (each with its effective date), so the number of
open points at any past date is exact whatever happened since.
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum

from liangxin.core.enums import JurisdictionKind
from liangxin.core.models import AuditEntry, Jurisdiction
from liangxin.core.selectors import jurisdictions_visible_to

from .enums import CATEGORY_UNIT, Category, ReturnState, SiteLevel, SiteStatus
from .geo import haversine_m
from .models import Site, SiteStatusChange, TownCentre, VolumeReturn

COUNTING_STATES = (ReturnState.ENTERED, ReturnState.CONFIRMED)


# --- scope ------------------------------------------------------------------------------------


def sites_visible_to(user):
    return Site.objects.filter(jurisdiction__in=jurisdictions_visible_to(user)).select_related(
        "jurisdiction", "town", "operator", "responsible_unit"
    )


def site_for(user, pk) -> Site | None:
    return sites_visible_to(user).filter(pk=pk).first()


def network_jurisdictions_for(user) -> list[Jurisdiction]:
    """The networks the user may choose between: their own jurisdiction (a city counts its districts'
    sites) and every visible jurisdiction that holds sites."""
    visible = jurisdictions_visible_to(user)
    with_sites = list(visible.filter(recycling_sites__isnull=False).distinct().order_by("tree_path"))
    own = getattr(user, "jurisdiction", None)
    if own is not None and own not in with_sites:
        with_sites.insert(0, own)
    return with_sites


def default_jurisdiction(user) -> Jurisdiction | None:
    if getattr(user, "jurisdiction_id", None):
        return user.jurisdiction
    networks = network_jurisdictions_for(user)
    return networks[0] if networks else None


def sites_filtered(
    sites, *, level: str = "", status: str = "", category: str = "", town=None, q: str = "", two_networks=None
):
    if level:
        sites = sites.filter(level=level)
    if status:
        sites = sites.filter(status=status)
    if category:
        # JSON text contains the quoted code: the same query on SQLite and PostgreSQL.
        sites = sites.filter(categories__icontains=f'"{category}"')
    if town:
        sites = sites.filter(town=town)
    if two_networks is not None:
        sites = sites.filter(two_networks=two_networks)
    if q:
        sites = sites.filter(Q(name__icontains=q) | Q(address__icontains=q) | Q(operator__name__icontains=q))
    return sites


def towns_of(jurisdiction: Jurisdiction):
    return Jurisdiction.objects.filter(parent=jurisdiction, kind=JurisdictionKind.TOWN).order_by("name")


def site_history(site: Site):
    """The audit entries of the site and of its monthly returns, newest first."""
    return_ids = [str(pk) for pk in site.returns.values_list("pk", flat=True)]
    return AuditEntry.objects.filter(
        Q(object_type="recycling.site", object_id=str(site.pk))
        | Q(object_type="recycling.volumereturn", object_id__in=return_ids)
    ).select_related("actor")


# --- status over time ---------------------------------------------------------------------------


def _changes_by_site(site_ids=None, *, jurisdiction: Jurisdiction | None = None):
    changes = SiteStatusChange.objects.order_by("site_id", "on", "id")
    if jurisdiction is not None:
        changes = changes.filter(site__jurisdiction__tree_path__startswith=jurisdiction.tree_path)
    if site_ids is not None:
        changes = changes.filter(site_id__in=site_ids)
    out = defaultdict(list)
    for site_id, on, to_status in changes.values_list("site_id", "on", "to_status"):
        out[site_id].append((on, to_status))
    return out


def _status_on(changes: list[tuple[datetime.date, str]], day: datetime.date) -> str | None:
    status = None
    for on, to_status in changes:
        if on > day:
            break
        status = to_status
    return status


def open_counts_on(jurisdiction: Jurisdiction, days: list[datetime.date], levels=None) -> list[dict[str, int]]:
    """For each day, {level: number of sites open that day} in the jurisdiction and below."""
    sites = Site.objects.filter(jurisdiction__tree_path__startswith=jurisdiction.tree_path)
    if levels:
        sites = sites.filter(level__in=levels)
    level_of = dict(sites.values_list("pk", "level"))
    changes = _changes_by_site(jurisdiction=jurisdiction)
    out = []
    for day in days:
        counts: dict[str, int] = defaultdict(int)
        for site_id, site_changes in changes.items():
            if site_id in level_of and _status_on(site_changes, day) == SiteStatus.OPEN:
                counts[level_of[site_id]] += 1
        out.append(dict(counts))
    return out


@dataclass
class TownRow:
    town: Jurisdiction | None
    counts: dict[str, int]
    total: int


@dataclass
class Coverage:
    on: datetime.date
    levels: list[tuple[str, str]]
    rows: list[TownRow]
    totals: dict[str, int]
    total: int


def coverage_on(jurisdiction: Jurisdiction, day: datetime.date) -> Coverage:
    """Open sites on a day by level and town (towns without sites show zeros)."""
    sites = Site.objects.filter(jurisdiction__tree_path__startswith=jurisdiction.tree_path)
    info = {pk: (level, town_id) for pk, level, town_id in sites.values_list("pk", "level", "town_id")}
    changes = _changes_by_site(jurisdiction=jurisdiction)
    by_town: dict[int | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for site_id, site_changes in changes.items():
        if site_id in info and _status_on(site_changes, day) == SiteStatus.OPEN:
            level, town_id = info[site_id]
            by_town[town_id][level] += 1
    towns = list(Jurisdiction.objects.filter(tree_path__startswith=jurisdiction.tree_path, kind=JurisdictionKind.TOWN))
    towns.sort(key=lambda t: t.name)
    rows = [
        TownRow(town=t, counts=dict(by_town.get(t.pk, {})), total=sum(by_town.get(t.pk, {}).values())) for t in towns
    ]
    if None in by_town:
        rows.append(TownRow(town=None, counts=dict(by_town[None]), total=sum(by_town[None].values())))
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        for level, n in row.counts.items():
            totals[level] += n
    return Coverage(on=day, levels=list(SiteLevel.choices), rows=rows, totals=dict(totals), total=sum(totals.values()))


def month_ends(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The last day of every month from first's month to last's month."""
    out = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        following = datetime.date(year + (month == 12), month % 12 + 1, 1)
        out.append(following - datetime.timedelta(days=1))
        year, month = following.year, following.month
    return out


# --- targets from the plan ----------------------------------------------------------------------

_SORTING_RE = re.compile(r"分拣中心(?:达到|增至|建成)?(\d+)\s*个")
_POINTS_RE = re.compile(r"回收点(?:达到|增至|建成|累计)?(\d+)\s*个")


@dataclass
class Targets:
    indicator: object | None = None
    points: dict[int, Decimal] = field(default_factory=dict)  # year → number of points
    sorting: dict[int, Decimal] = field(default_factory=dict)  # year → number of sorting centres


def plan_targets(jurisdiction: Jurisdiction) -> Targets:
    """The targets for points and sorting centres from the jurisdiction's plan: the indicator whose
    name mentions 回收点 or 分拣中心, its baseline and yearly milestones (values, and the numbers the
    milestone texts give for 分拣中心)."""
    from liangxin.plans.models import Indicator

    indicator = (
        Indicator.objects.filter(plan__jurisdiction=jurisdiction)
        .filter(Q(name__contains="回收点") | Q(name__contains="分拣中心"))
        .prefetch_related("milestones")
        .order_by("plan_id", "position")
        .first()
    )
    targets = Targets(indicator=indicator)
    if indicator is None:
        return targets
    texts = []
    if indicator.baseline_year:
        texts.append((indicator.baseline_year, indicator.baseline_text or "", indicator.baseline_value))
    for m in indicator.milestones.all():
        if m.year:
            texts.append((m.year, m.text or "", m.value))
    names_points = "回收点" in indicator.name
    for year, text, value in texts:
        # The indicator's own value is the number of points; the text names the sorting centres
        # ("…分拣中心1个，…分拣中心达到2个": the last number is the level reached).
        found_points = _POINTS_RE.findall(text)
        if names_points and value is not None:
            targets.points[year] = value
        elif found_points:
            targets.points[year] = Decimal(found_points[-1])
        found_sorting = _SORTING_RE.findall(text)
        if found_sorting:
            targets.sorting[year] = Decimal(found_sorting[-1])
    # A milestone that states only the points keeps the sorting-centre target of the year before.
    years = sorted(y for y, _t, _v in texts)
    last = None
    for year in years:
        if year in targets.sorting:
            last = targets.sorting[year]
        elif last is not None:
            targets.sorting[year] = last
    return targets


@dataclass
class SeriesRow:
    month_end: datetime.date
    points: int
    sorting: int
    transfer: int
    all_open: int
    points_target: Decimal | None
    sorting_target: Decimal | None


def coverage_series(jurisdiction: Jurisdiction, first: datetime.date, last: datetime.date) -> list[SeriesRow]:
    """Open sites at each month's end, with the plan's target for that year's end alongside."""
    ends = month_ends(first, last)
    counts = open_counts_on(jurisdiction, ends)
    targets = plan_targets(jurisdiction)
    return [
        SeriesRow(
            month_end=end,
            points=c.get(SiteLevel.POINT, 0),
            sorting=c.get(SiteLevel.SORTING, 0),
            transfer=c.get(SiteLevel.TRANSFER, 0),
            all_open=sum(c.values()),
            points_target=targets.points.get(end.year),
            sorting_target=targets.sorting.get(end.year),
        )
        for end, c in zip(ends, counts, strict=True)
    ]


# --- gaps ---------------------------------------------------------------------------------------


@dataclass
class Gap:
    centre: TownCentre
    nearest: Site | None
    distance_m: float | None

    @property
    def distance_km(self) -> Decimal | None:
        return None if self.distance_m is None else Decimal(self.distance_m / 1000).quantize(Decimal("0.01"))


def gaps(jurisdiction: Jurisdiction, *, km: Decimal, levels=(SiteLevel.POINT,)) -> tuple[list[Gap], list[Gap]]:
    """(gaps, all towns): towns whose centre has no open site of these levels within km, nearest first
    distance listed; all towns sorted by distance, for the table."""
    centres = list(TownCentre.objects.filter(town__tree_path__startswith=jurisdiction.tree_path).select_related("town"))
    sites = list(
        Site.objects.filter(
            jurisdiction__tree_path__startswith=jurisdiction.tree_path, status=SiteStatus.OPEN, level__in=levels
        ).only("pk", "name", "gcj_lat", "gcj_lng", "town_id", "level", "address")
    )
    rows = []
    for centre in centres:
        best, best_m = None, None
        for site in sites:
            metres = haversine_m(centre.lat, centre.lng, site.gcj_lat, site.gcj_lng)
            if best_m is None or metres < best_m:
                best, best_m = site, metres
        rows.append(Gap(centre=centre, nearest=best, distance_m=best_m))
    rows.sort(key=lambda g: (-(g.distance_m if g.distance_m is not None else float("inf")), g.centre.town.name))
    limit = float(km) * 1000
    found = [g for g in rows if g.distance_m is None or g.distance_m > limit]
    return found, rows


# --- volumes ------------------------------------------------------------------------------------


def returns_visible_to(user):
    return VolumeReturn.objects.filter(site__in=sites_visible_to(user)).select_related(
        "site", "entered_by", "confirmed_by"
    )


def counted_returns(jurisdiction: Jurisdiction):
    return VolumeReturn.objects.filter(
        site__jurisdiction__tree_path__startswith=jurisdiction.tree_path, state__in=COUNTING_STATES
    )


def collected(jurisdiction: Jurisdiction, category: str, periods) -> list[Decimal]:
    """The counted quantity of a category in each (start, end) period (months whose first day falls in it)."""
    rows = (
        counted_returns(jurisdiction)
        .filter(category=category)
        .values("month")
        .annotate(total=Sum("quantity"))
        .values_list("month", "total")
    )
    by_month = dict(rows)
    return [
        tidy(sum((q for m, q in by_month.items() if start <= m <= end), Decimal(0)), category) for start, end in periods
    ]


@dataclass
class Totals:
    categories: list[str]
    rows: list[tuple[datetime.date, dict[str, Decimal]]]  # month → category → total
    years: list[tuple[int, dict[str, Decimal]]]
    baseline: dict[str, tuple[Decimal, str]]  # category → (2023 amount, where it comes from)
    pending: int  # flagged returns not counted yet


_BASELINE_RE = {
    Category.APPLIANCES: re.compile(r"废旧家电回收量\s*(\d+(?:\.\d+)?)\s*台"),
    Category.VEHICLE: re.compile(r"报废(?:汽车|机动车)回收量\s*(\d+(?:\.\d+)?)\s*辆"),
}
BASELINE_YEAR = 2023


def baseline_2023(jurisdiction: Jurisdiction, category: str, counted: Decimal | None) -> tuple[Decimal, str] | None:
    """The 2023 amount: the returns of 2023 when there are any, otherwise what the plan's baseline says."""
    if counted:
        return counted, "returns"
    pattern = _BASELINE_RE.get(category)
    if pattern is None:
        return None
    from liangxin.plans.models import Indicator

    for text in Indicator.objects.filter(plan__jurisdiction=jurisdiction).values_list("baseline_text", flat=True):
        match = pattern.search(text or "")
        if match:
            return Decimal(match.group(1)), "plan"
    return None


def totals(jurisdiction: Jurisdiction, *, first: datetime.date, last: datetime.date, categories=None) -> Totals:
    qs = counted_returns(jurisdiction).filter(month__gte=first.replace(day=1), month__lte=last)
    if categories:
        qs = qs.filter(category__in=categories)
    data = defaultdict(dict)
    seen = set()
    for month, category, total in (
        qs.values("month", "category").annotate(total=Sum("quantity")).values_list("month", "category", "total")
    ):
        data[month][category] = tidy(total, category)
        seen.add(category)
    ordered = [c for c in Category.values if c in seen]
    rows = sorted(data.items())
    years: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for month, values in rows:
        for c, v in values.items():
            years[month.year][c] += v
    base_counted = dict(
        counted_returns(jurisdiction)
        .filter(month__year=BASELINE_YEAR)
        .values("category")
        .annotate(total=Sum("quantity"))
        .values_list("category", "total")
    )
    baseline = {}
    for c in ordered or [Category.APPLIANCES, Category.VEHICLE]:
        b = baseline_2023(jurisdiction, c, base_counted.get(c))
        if b is not None:
            baseline[c] = (tidy(b[0], c), b[1])
    pending = VolumeReturn.objects.filter(
        site__jurisdiction__tree_path__startswith=jurisdiction.tree_path, state=ReturnState.FLAGGED
    ).count()
    return Totals(
        categories=ordered,
        rows=rows,
        years=sorted((y, dict(v)) for y, v in years.items()),
        baseline=baseline,
        pending=pending,
    )


def tidy(amount, category: str) -> Decimal:
    """A total as people write it: whole 台/辆/件, tonnes to the kilogram (SQLite sums carry noise)."""
    places = Decimal("0.001") if CATEGORY_UNIT.get(category) == "吨" else Decimal(1)
    return Decimal(amount).quantize(places)


def unit_for(category: str) -> str:
    return CATEGORY_UNIT[category]
