"""Benchmarks of matchmaking and policy push (liangxin.registry.matching, liangxin.registry.push).

- registry.match_1000x100_s: seconds to rank 100 demands against the products of 1,000 suppliers
  (the generated registry of liangxin.registry.samples, seed 2025: about 2,100 products across the
  category tree), including building the index from the database — reading the products, segmenting
  every product's text with jieba (token cache emptied first), BM25 weights, the inverted indexes —
  and ranking every demand with its reasons; the median of a few runs. jieba's dictionary is loaded
  once before timing (a process's start-up cost, about 0.7 s, not the index's).
- registry.policy_push_1000_enterprises_s: seconds to push the policy list (the generated policies
  plus those already there) to 1,000 enterprises: reading their profiles and projects from the
  database and checking every policy for each (push_batch); the median of a few runs.

Runs on the current database: bench/run.py calls `registry_figures()` on its temporary SQLite
database with migrations applied; ``python bench/bench_registry.py`` makes its own.
"""

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 3
SEED = 2025


def _ensure_samples():
    from liangxin.registry.models import Enterprise
    from liangxin.registry.samples import generate, load_samples

    sample = generate(seed=SEED, suppliers=1000 - 6, demands=100 - 2, policy_count=60, offer_count=20)
    if not Enterprise.objects.filter(uscc=sample.suppliers[0].uscc).exists():
        load_samples(sample)
    return sample


def bench_match(sample) -> float:
    from liangxin.registry import matching
    from liangxin.registry.models import Demand, Enterprise, Product

    matching.tokenizer()
    suppliers = Enterprise.objects.filter(uscc__in=[s.uscc for s in sample.suppliers])
    if suppliers.count() != 1000:
        sys.exit(f"bench: expected 1000 sample suppliers, got {suppliers.count()}")
    demands = list(
        Demand.objects.filter(title__in={d.title for d in sample.demands})
        .select_related("jurisdiction")
        .order_by("pk")[:100]
    )
    if len(demands) != 100:
        sys.exit(f"bench: expected 100 sample demands, got {len(demands)}")

    def once() -> float:
        matching.clear_caches()
        started = time.perf_counter()
        index = matching.supply_index(Product.objects.filter(active=True, enterprise__in=suppliers))
        paths = matching._category_paths()
        for demand in demands:
            index.rank_suppliers(matching.need_from_demand(demand, paths=paths))
        return time.perf_counter() - started

    return statistics.median(once() for _ in range(RUNS))


def bench_push(sample) -> float:
    import datetime

    from liangxin.registry.models import Enterprise
    from liangxin.registry.push import push_batch

    enterprises = Enterprise.objects.filter(uscc__in=[s.uscc for s in sample.suppliers]).select_related("jurisdiction")
    today = datetime.date(2025, 6, 1)

    def once() -> float:
        started = time.perf_counter()
        results = push_batch(enterprises.order_by("pk"), today=today)
        elapsed = time.perf_counter() - started
        if len(results) != 1000:
            sys.exit(f"bench: expected 1000 enterprises pushed, got {len(results)}")
        return elapsed

    return statistics.median(once() for _ in range(RUNS))


def registry_figures() -> list[dict]:
    sample = _ensure_samples()
    return [
        {"name": "registry.match_1000x100_s", "value": round(bench_match(sample), 3), "unit": "s"},
        {"name": "registry.policy_push_1000_enterprises_s", "value": round(bench_push(sample), 3), "unit": "s"},
    ]


if __name__ == "__main__":
    import json
    import tempfile

    sys.path.insert(0, str(ROOT / "bench"))
    sys.path.insert(0, str(ROOT / "src"))
    from run import _configure

    with tempfile.TemporaryDirectory(prefix="liangxin-bench-registry-") as tmp:
        _configure(Path(tmp))
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        print(json.dumps(registry_figures(), indent=2, ensure_ascii=False))
