"""Benchmarks of the public convenience map (便民地图).

- recycling.map_page_ms: milliseconds of server time to render the public map page of 北辰区
  (GET /public/map/?jurisdiction=<北辰区>) with the demo network (about 230 open sites: a list page of
  50 sites, every site as a marker, the towns' labels) for an anonymous visitor through Django's
  test client, DEBUG off; the median of 20 renders after three warm-ups.
- recycling.nearest_5000_ms: milliseconds for one nearest-site query through
  `liangxin.recycling.nearest.nearest_open_sites` (k=10, a random point, every third query with a
  category filter) with 5,000 generated open sites in the database (plus the demo's), the index warm:
  what a request pays — the one aggregate query that checks the index is current, the grid search
  with exact haversine distances, and fetching the ten Site rows. The median of 300 queries. The
  generated sites (bulk-inserted into a district of their own, "基准测试区") are removed afterwards.

bench/run.py calls `recycling_figures()` on its temporary SQLite database once the demo is loaded;
``python bench/bench_recycling.py`` makes its own.
"""

import datetime
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE_WARMUP = 3
PAGE_RENDERS = 20
GENERATED_SITES = 5000
NEAREST_QUERIES = 300
SEED = 5000


def bench_map_page() -> float:
    from django.test import Client
    from django.urls import reverse

    from liangxin.core.models import Jurisdiction
    from liangxin.recycling.models import Site

    place = Jurisdiction.objects.get(name="北辰区")
    open_sites = Site.objects.filter(jurisdiction=place, status="open").count()
    if open_sites < 50:
        sys.exit(f"bench: 北辰区 has {open_sites} open sites; the demo network is missing")
    client = Client()
    url = f"{reverse('portal:map')}?jurisdiction={place.pk}"

    def render() -> float:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
        body = response.content.decode()
        if response.status_code != 200 or body.count('class="site-card') != 50:
            sys.exit(f"bench: GET {url} gave {response.status_code} without the list of sites")
        return elapsed

    for _ in range(PAGE_WARMUP):
        render()
    return statistics.median(render() for _ in range(PAGE_RENDERS)) * 1000


def _generate_sites(rng: random.Random):
    """5,000 open sites over Tianjin and the neighbouring part of Hebei, bulk-inserted (labelled)."""
    from liangxin.core.services import jurisdiction_ensure_path
    from liangxin.recycling.enums import Category, SiteLevel
    from liangxin.recycling.geo import to_decimal
    from liangxin.recycling.models import Site

    place = jurisdiction_ensure_path(path="天津市/基准测试区")
    categories = list(Category.values)
    levels = [SiteLevel.POINT] * 8 + [SiteLevel.TRANSFER, SiteLevel.SORTING]
    sites = []
    for i in range(GENERATED_SITES):
        site = Site(
            jurisdiction=place,
            level=rng.choice(levels),
            name=f"基准站点{i + 1}（基准测试）",
            address=f"基准测试区{i + 1}号",
            lat=to_decimal(rng.uniform(38.6, 40.2)),
            lng=to_decimal(rng.uniform(116.3, 118.2)),
            datum="gcj02",
            hours="每天 8:00-18:00",
            categories=rng.sample(categories, rng.randint(1, 4)),
            status="open",
            status_since=datetime.date(2025, 1, 1),
            notes="基准测试生成",
        )
        site.compute_coordinates()
        sites.append(site)
    Site.objects.bulk_create(sites, batch_size=500)
    return place


def bench_nearest_5000() -> float:
    from liangxin.recycling import nearest
    from liangxin.recycling.enums import Category
    from liangxin.recycling.models import Site

    rng = random.Random(SEED)
    place = _generate_sites(rng)
    try:
        index = nearest.site_index()  # warm: built once here, reused by every query below
        if len(index.entries) < GENERATED_SITES:
            sys.exit(f"bench: the index holds {len(index.entries)} sites, fewer than {GENERATED_SITES}")
        categories = list(Category.values)
        runs = []
        for i in range(NEAREST_QUERIES):
            lat, lng = rng.uniform(38.7, 40.1), rng.uniform(116.4, 118.1)
            category = rng.choice(categories) if i % 3 == 0 else None
            started = time.perf_counter()
            found = nearest.nearest_open_sites(lat=lat, lng=lng, datum="gcj02", k=10, category=category)
            runs.append(time.perf_counter() - started)
            if len(found) != 10:
                sys.exit(f"bench: a nearest query found {len(found)} sites, not 10")
        if nearest.site_index() is not index:
            sys.exit("bench: the index was rebuilt during the queries")
        return statistics.median(runs) * 1000
    finally:
        Site.objects.filter(jurisdiction=place).delete()
        place.delete()


def recycling_figures() -> list[dict]:
    page_ms = bench_map_page()
    nearest_ms = bench_nearest_5000()
    return [
        {"name": "recycling.nearest_5000_ms", "value": round(nearest_ms, 3), "unit": "ms"},
        {"name": "recycling.map_page_ms", "value": round(page_ms, 2), "unit": "ms"},
    ]


def main() -> None:
    import tempfile

    sys.path.insert(0, str(ROOT / "src"))
    from run import _configure

    with tempfile.TemporaryDirectory(prefix="liangxin-bench-recycling-") as tmp:
        _configure(Path(tmp))
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0, interactive=False)
        call_command("demo", quiet=True)
        figures = recycling_figures()
        connections.close_all()
    for figure in figures:
        print(f"{figure['name']:<28} {figure['value']} {figure['unit']}")


if __name__ == "__main__":
    main()
