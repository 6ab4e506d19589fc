"""The nearest open recycling sites to a point: an in-memory grid index, rebuilt when sites change.

The index holds every open site as a plain tuple (id, lat, lng, categories) in WGS-84, bucketed into
square cells of a few kilometres; one grid for all sites and one per accepted category, so a
filtered query ("where can I hand in an old fridge?") searches only the sites that take fridges. A
query walks rings of cells outwards from the point's cell and stops once the k-th best exact
(haversine) distance is no larger than a lower bound on the distance to any cell of the next ring.

The index of the whole country is built from one query and kept per process. Before each use one
aggregate query (number of sites and their latest change) says whether it is still current; a site
that opens, closes, moves or changes its categories therefore shows up on the next query.
"""

from __future__ import annotations

import functools
import heapq
import math
import threading
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Q

EARTH_RADIUS_M = 6_371_008.8
MAX_K = 50


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


# (site id, lat, lng, categories, jurisdiction id, level), WGS-84
Entry = tuple[int, float, float, frozenset[str], int, str]
Accept = Callable[[Entry], bool]


class Grid:
    """Points bucketed into cells of `cell` degrees (the same in latitude and longitude)."""

    def __init__(self, entries: list[Entry], cell: float):
        self.cell = cell
        self.cells: dict[tuple[int, int], list[Entry]] = {}
        for entry in entries:
            self.cells.setdefault(self._key(entry[1], entry[2]), []).append(entry)
        self.size = len(entries)
        if self.cells:
            rows = [key[0] for key in self.cells]
            cols = [key[1] for key in self.cells]
            self.min_i, self.max_i, self.min_j, self.max_j = min(rows), max(rows), min(cols), max(cols)

    def _key(self, lat: float, lng: float) -> tuple[int, int]:
        return (math.floor(lat / self.cell), math.floor(lng / self.cell))

    def _ring(self, i0: int, j0: int, r: int) -> Iterable[list[Entry]]:
        cells = self.cells
        if r == 0:
            bucket = cells.get((i0, j0))
            if bucket:
                yield bucket
            return
        # Only the part of the ring that overlaps the occupied rectangle can hold points.
        lo_i, hi_i = max(i0 - r, self.min_i), min(i0 + r, self.max_i)
        lo_j, hi_j = max(j0 - r, self.min_j), min(j0 + r, self.max_j)
        for i in range(lo_i, hi_i + 1):
            if i in (i0 - r, i0 + r):
                columns = range(lo_j, hi_j + 1)
            else:
                columns = [j for j in (j0 - r, j0 + r) if lo_j <= j <= hi_j]
            for j in columns:
                bucket = cells.get((i, j))
                if bucket:
                    yield bucket

    def _ring_lower_bound(self, lat: float, lng: float, i0: int, j0: int, r: int) -> float:
        """No point in a cell of ring r (or beyond) is closer than this many metres."""
        cell = self.cell
        # Degrees from the point to the nearest edge of ring r in each axis.
        lat_gap = min(lat - (i0 - r + 1) * cell, (i0 + r) * cell - lat)
        lng_gap = min(lng - (j0 - r + 1) * cell, (j0 + r) * cell - lng)
        lat_gap, lng_gap = max(lat_gap, 0.0), max(lng_gap, 0.0)
        by_lat = EARTH_RADIUS_M * math.radians(lat_gap)
        # hav(d) >= cos(φ1)cos(φ2)hav(Δλ) >= cos²(φmax)hav(Δλ), φmax the largest |latitude| in reach.
        phi_max = min(89.9, abs(lat) + (r + 1) * cell)
        s = math.cos(math.radians(phi_max)) * math.sin(math.radians(lng_gap) / 2)
        by_lng = 2 * EARTH_RADIUS_M * math.asin(min(1.0, s))
        return min(by_lat, by_lng)

    def nearest(
        self, lat: float, lng: float, k: int, max_m: float | None = None, accept: Accept | None = None
    ) -> list[tuple[float, int]]:
        """The k nearest points (that `accept` accepts) as (metres, site id), nearest first; ties by id."""
        if not self.cells or k <= 0:
            return []
        i0, j0 = self._key(lat, lng)
        # Rings beyond this one lie wholly outside the occupied rectangle.
        last = max(abs(i0 - self.min_i), abs(i0 - self.max_i), abs(j0 - self.min_j), abs(j0 - self.max_j))
        best: list[tuple[float, int]] = []  # max-heap by (-metres, -id) of the k best so far
        for r in range(last + 1):
            # Far from everything, a ring has more cells than there are occupied ones: then visit
            # the occupied cells not yet seen, all at once, and stop there.
            exhaustive = 8 * r > len(self.cells)
            if exhaustive:
                buckets = [b for (i, j), b in self.cells.items() if max(abs(i - i0), abs(j - j0)) >= r]
            else:
                buckets = self._ring(i0, j0, r)
            for bucket in buckets:
                for entry in bucket:
                    if accept is not None and not accept(entry):
                        continue
                    site_id, plat, plng = entry[0], entry[1], entry[2]
                    d = haversine_m(lat, lng, plat, plng)
                    if max_m is not None and d > max_m:
                        continue
                    item = (-d, -site_id)
                    if len(best) < k:
                        heapq.heappush(best, item)
                    elif item > best[0]:
                        heapq.heapreplace(best, item)
            if exhaustive:
                break
            if r < last:
                bound = self._ring_lower_bound(lat, lng, i0, j0, r + 1)
                if max_m is not None and bound > max_m:
                    break
                if len(best) == k and -best[0][0] <= bound:
                    break
        return sorted((-d, -site_id) for d, site_id in best)


CELL_SIZES = (0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0)  # degrees: about 0.5 km to 110 km
TARGET_PER_CELL = 4


def _cell_for(entries: list[Entry]) -> float:
    """The smallest cell size at which occupied cells hold a few points on average.

    Measured on the occupied cells, not on the bounding box: sites cluster in a few districts far
    apart, and a box around them all would give cells that swallow a whole district."""
    if len(entries) < TARGET_PER_CELL:
        return CELL_SIZES[-1]
    for cell in CELL_SIZES:
        occupied = len({(math.floor(e[1] / cell), math.floor(e[2] / cell)) for e in entries})
        if len(entries) / occupied >= TARGET_PER_CELL:
            return cell
    return CELL_SIZES[-1]


@dataclass
class SiteIndex:
    """Open sites in one grid per category and one for all, built once from plain tuples."""

    entries: list[Entry]
    version: tuple = ()
    grids: dict[str | None, Grid] = field(default_factory=dict)

    def __post_init__(self):
        by_category: dict[str, list[Entry]] = {}
        for entry in self.entries:
            for category in entry[3]:
                by_category.setdefault(category, []).append(entry)
        self.grids[None] = Grid(self.entries, _cell_for(self.entries))
        for category, entries in by_category.items():
            self.grids[category] = Grid(entries, _cell_for(entries))

    def nearest(
        self,
        lat: float,
        lng: float,
        *,
        k: int = 5,
        category: str | None = None,
        jurisdiction_id: int | None = None,
        level: str | None = None,
        max_m: float | None = None,
    ) -> list[tuple[float, int]]:
        """The k nearest open sites to a WGS-84 point as (metres, site id), nearest first.

        Optionally only those taking `category`, of one jurisdiction (the site's district or city) or
        of one level; the category picks its own grid, the other two filter while the rings are walked.
        """
        grid = self.grids.get(category or None)
        if grid is None:
            return []
        return grid.nearest(lat, lng, min(k, MAX_K), max_m=max_m, accept=_acceptor(jurisdiction_id, level))


def _acceptor(jurisdiction_id: int | None, level: str | None) -> Accept | None:
    if jurisdiction_id is None and not level:
        return None
    return lambda e: (jurisdiction_id is None or e[4] == jurisdiction_id) and (not level or e[5] == level)


def brute_force_nearest(
    entries: Iterable[Entry],
    lat: float,
    lng: float,
    *,
    k: int,
    category: str | None = None,
    jurisdiction_id: int | None = None,
    level: str | None = None,
) -> list[tuple[float, int]]:
    """The same answer as SiteIndex.nearest by measuring every site; for tests and the benchmark."""
    accept = _acceptor(jurisdiction_id, level) or (lambda e: True)
    found = sorted(
        (haversine_m(lat, lng, e[1], e[2]), e[0])
        for e in entries
        if (category is None or category in e[3]) and accept(e)
    )
    return found[:k]


# --- the cached index of the open sites in the database -------------------------------------------

_lock = threading.Lock()
_cached: SiteIndex | None = None


def _index_version() -> tuple:
    """One cheap aggregate that changes whenever an open site appears, changes, closes or goes."""
    from django.db.models import Count, Max, Q

    from .enums import SiteStatus
    from .models import Site

    row = Site.objects.aggregate(
        n=Count("id"), n_open=Count("id", filter=Q(status=SiteStatus.OPEN)), latest=Max("updated_at")
    )
    return (row["n"], row["n_open"], row["latest"])


def _load_entries() -> list[Entry]:
    from .enums import SiteStatus
    from .models import Site

    rows = Site.objects.filter(status=SiteStatus.OPEN).values_list(
        "id", "wgs_lat", "wgs_lng", "categories", "jurisdiction_id", "level"
    )
    return [
        (site_id, float(lat), float(lng), frozenset(categories or ()), jurisdiction_id, level)
        for site_id, lat, lng, categories, jurisdiction_id, level in rows
        if lat is not None and lng is not None
    ]


def site_index() -> SiteIndex:
    """The index of the open sites, rebuilt from one query when the sites changed since it was built."""
    global _cached
    version = _index_version()
    index = _cached
    if index is not None and index.version == version:
        return index
    with _lock:
        if _cached is not None and _cached.version == version:
            return _cached
        _cached = SiteIndex(_load_entries(), version=version)
        return _cached


def to_wgs84(lat: float, lng: float, datum: str) -> tuple[float, float]:
    from .geo import gcj02_to_wgs84

    return gcj02_to_wgs84(lat, lng) if datum == "gcj02" else (float(lat), float(lng))


def nearest_open_sites(
    *,
    lat: float,
    lng: float,
    datum: str = "wgs84",
    k: int = 5,
    category: str | None = None,
    jurisdiction_id: int | None = None,
    level: str | None = None,
    max_m: float | None = None,
) -> list[tuple[Site, float]]:  # noqa: F821
    """The k nearest open sites to a point given in `datum` ("wgs84" or "gcj02"): (site, metres).

    Distances are great-circle distances between WGS-84 positions.
    """
    from .models import Site

    wlat, wlng = to_wgs84(lat, lng, datum)
    found = site_index().nearest(
        wlat, wlng, k=k, category=category, jurisdiction_id=jurisdiction_id, level=level, max_m=max_m
    )
    sites = (
        Site.objects.select_related("town", "jurisdiction", "operator")
        .only(*PUBLIC_FIELDS)
        .order_by()
        .in_bulk([i for _, i in found])
    )
    attach_routes(list(sites.values()))
    return [(sites[site_id], metres) for metres, site_id in found if site_id in sites]


# --- the public reads of the map (no login: open sites only, no personal data) --------------------

_TOWN_SUFFIXES = ("街道办事处", "街道", "镇", "乡", "街", "地区", "开发区")


def public_jurisdictions():
    """The districts and cities that have open sites, the largest network first (the default choice);
    each with `open_sites`, its number of open sites."""
    from django.db.models import Count

    from liangxin.core.models import Jurisdiction

    from .enums import SiteStatus

    return (
        Jurisdiction.objects.filter(recycling_sites__status=SiteStatus.OPEN)
        .annotate(open_sites=Count("recycling_sites"))
        .order_by("-open_sites", "name")
    )


def public_towns(jurisdiction) -> list:
    """The towns of a jurisdiction with open sites or a registered centre, by name."""
    from liangxin.core.models import Jurisdiction

    from .enums import SiteStatus

    return list(
        Jurisdiction.objects.filter(tree_path__startswith=jurisdiction.tree_path)
        .exclude(pk=jurisdiction.pk)
        .filter(
            Q(recycling_sites_in_town__status=SiteStatus.OPEN, recycling_sites_in_town__jurisdiction=jurisdiction)
            | Q(recycling_centre__isnull=False)
        )
        .distinct()
        .order_by("name")
    )


# What the public pages read of a site and its relations (a site's notes, responsible unit, creator,
# and the operator's contact are never loaded for them).
PUBLIC_FIELDS = (
    "id",
    "jurisdiction__id",
    "jurisdiction__name",
    "town__id",
    "town__name",
    "level",
    "name",
    "operator__id",
    "operator__name",
    "address",
    "gcj_lat",
    "gcj_lng",
    "wgs_lat",
    "wgs_lng",
    "hours",
    "phone",
    "categories",
    "two_networks",
    "status",
)


def attach_routes(sites) -> None:
    """Give the mobile vans among `sites` their stops in route order (`public_route`), in one query;
    the others an empty route. Cheaper than a prefetch over every site of a district."""
    from .enums import SiteLevel
    from .models import RouteStop

    vans = {site.pk: site for site in sites if site.level == SiteLevel.MOBILE}
    for site in sites:
        site.public_route = []
    if vans:
        for stop in RouteStop.objects.filter(site_id__in=list(vans)).order_by("site_id", "position"):
            vans[stop.site_id].public_route.append(
                {"place": stop.place, "when": stop.schedule, "gcj": (float(stop.lat), float(stop.lng))}
            )


def open_sites(*, jurisdiction, category: str | None = None, level: str | None = None, town_id: int | None = None):
    """The open sites of a jurisdiction (its own, as registered), filtered, in town/level/name order.
    Their routes are not loaded: `attach_routes` the ones shown in full."""
    from .enums import SiteLevel, SiteStatus
    from .models import Site

    sites = (
        Site.objects.filter(jurisdiction=jurisdiction, status=SiteStatus.OPEN)
        .select_related("town", "jurisdiction", "operator")
        .only(*PUBLIC_FIELDS)
        .order_by()
    )
    if level:
        sites = sites.filter(level=level)
    if town_id:
        sites = sites.filter(town_id=town_id)
    # The category list is JSON; SQLite cannot search inside it, and a district has a few hundred sites.
    found = [s for s in sites if not category or category in (s.categories or ())]
    # Within a town, the kinds of site in the order of the network: points first, mobile vans last.
    rank = {level: i for i, level in enumerate(SiteLevel.values)}
    found.sort(key=lambda s: (s.town.name if s.town_id else "\uffff", rank.get(s.level, 99), s.name, s.pk))
    return found


@dataclass(frozen=True)
class Place:
    """A point found for a typed address: WGS-84, with what it matched."""

    lat: float
    lng: float
    label: str
    kind: str  # "town" or "site"


def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def _core(name: str) -> str:
    for suffix in _TOWN_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def locate(text: str, *, jurisdiction) -> Place | None:
    """Geocode typed text offline: a town of the jurisdiction (by its name, with or without 镇/街道),
    else an open site whose address or name contains the text. None when nothing matches."""
    from .enums import SiteStatus
    from .geo import gcj02_to_wgs84
    from .models import Site, TownCentre

    query = _key(text)
    if len(query) < 2:
        return None
    centres = TownCentre.objects.filter(town__tree_path__startswith=jurisdiction.tree_path).select_related("town")
    # Whole name first, then the name without its suffix, then the text inside a longer town name.
    ranked = []
    for centre in centres:
        name = _key(centre.town.name)
        core = _core(name)
        if query == name or query == core:
            rank = 0
        elif name in query or (len(core) >= 2 and core in query):
            rank = 1
        elif query in name:
            rank = 2
        else:
            continue
        ranked.append((rank, -len(name), centre.town.name, centre))
    if ranked:
        centre = min(ranked, key=lambda r: r[:3])[3]
        lat, lng = gcj02_to_wgs84(float(centre.lat), float(centre.lng))
        return Place(lat, lng, centre.town.name, "town")
    for site in Site.objects.filter(jurisdiction=jurisdiction, status=SiteStatus.OPEN).order_by("name", "id"):
        if query in _key(site.address) or query in _key(site.name):
            return Place(float(site.wgs_lat), float(site.wgs_lng), site.address, "site")
    return None


def site_coordinates(site, datum: str) -> tuple[float, float]:
    if datum == "gcj02":
        return float(site.gcj_lat), float(site.gcj_lng)
    return float(site.wgs_lat), float(site.wgs_lng)


@functools.lru_cache(maxsize=2048)
def _hours_rules(text: str) -> tuple:
    """Opening hours parsed once per distinct text (a district has a handful of different ones)."""
    from .hours import parse_hours

    return tuple(parse_hours(text))


def open_at(hours: str, now) -> bool | None:
    """Whether a site with these hours is open at `now`; None when no hours are given or they do not parse."""
    from .hours import HoursError, is_open

    try:
        rules = _hours_rules(hours or "")
    except HoursError:
        return None
    return is_open(list(rules), now) if rules else None


def public_marker(site, *, datum: str) -> dict:
    """A site as a light GeoJSON Feature for a map marker: what its popup shows, and a van's route."""
    from .enums import SiteLevel

    lat, lng = site_coordinates(site, datum)
    properties = {
        "name": site.name,
        "level": site.level,
        "level_label": str(SiteLevel(site.level).label) if site.level in SiteLevel.values else site.level,
        "address": site.address,
        "phone": site.phone,
        "hours": site.hours,
    }
    if site.level == SiteLevel.MOBILE:
        properties["route"] = _route(site, datum)
    return {
        "type": "Feature",
        "id": site.pk,
        "geometry": {"type": "Point", "coordinates": [round(lng, 6), round(lat, 6)]},
        "properties": properties,
    }


def _route(site, datum: str) -> list[dict]:
    """A mobile van's stops: place, when, and the stop's position in `datum` (stops are kept in GCJ-02)."""
    from .geo import gcj02_to_wgs84

    route = getattr(site, "public_route", None)
    if route is None:
        attach_routes([site])
        route = site.public_route
    stops = []
    for stop in route:
        lat, lng = stop["gcj"] if datum == "gcj02" else gcj02_to_wgs84(*stop["gcj"])
        stops.append({"place": stop["place"], "when": stop["when"], "lat": round(lat, 6), "lng": round(lng, 6)})
    return stops


def public_feature(site, *, now, datum: str, distance_m: float | None = None) -> dict:
    """A site as a GeoJSON Feature for the public: what a resident needs, nothing about people."""
    from .enums import SiteLevel

    lat, lng = site_coordinates(site, datum)
    open_now = open_at(site.hours, now)
    properties = {
        "name": site.name,
        "level": site.level,
        "level_label": str(SiteLevel(site.level).label) if site.level in SiteLevel.values else site.level,
        "jurisdiction": site.jurisdiction.name,
        "town": site.town.name if site.town_id else "",
        "address": site.address,
        "phone": site.phone,
        "hours": site.hours,
        "open_now": open_now,
        "categories": list(site.categories or ()),
        "category_labels": site.category_labels(),
        "two_networks": site.two_networks,
        "operator": site.operator.name if site.operator_id else "",
        "route": _route(site, datum),
    }
    if distance_m is not None:
        properties["distance_m"] = round(distance_m)
    return {
        "type": "Feature",
        "id": site.pk,
        "geometry": {"type": "Point", "coordinates": [round(lng, 6), round(lat, 6)]},
        "properties": properties,
    }


def town_centres(*, jurisdiction, datum: str) -> list[dict]:
    """The registered town centres of a jurisdiction, in `datum`, with the number of open sites."""
    from django.db.models import Count

    from .enums import SiteStatus
    from .geo import gcj02_to_wgs84
    from .models import Site, TownCentre

    counts = dict(
        Site.objects.filter(jurisdiction=jurisdiction, status=SiteStatus.OPEN, town__isnull=False)
        .values_list("town_id")
        .annotate(n=Count("id"))
        .values_list("town_id", "n")
    )
    rows = []
    centres = TownCentre.objects.filter(town__tree_path__startswith=jurisdiction.tree_path).select_related("town")
    for centre in centres.order_by("town__name"):
        lat, lng = float(centre.lat), float(centre.lng)
        if datum == "wgs84":
            lat, lng = gcj02_to_wgs84(lat, lng)
        rows.append(
            {
                "id": centre.town_id,
                "name": centre.town.name,
                "lat": round(lat, 6),
                "lng": round(lng, 6),
                "open_sites": counts.get(centre.town_id, 0),
            }
        )
    return rows
