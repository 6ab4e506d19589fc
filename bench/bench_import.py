"""Benchmark of the plan parser on the seed plans (shared/seeds, next to the repository).

- import.parse_40kb_ms: milliseconds to parse a 40 KB plan — for each seed the median of a few
  parses, scaled to 40 KB (ms × 40960 / UTF-8 bytes of the text); the median over the seeds.
- import.seed_tasks_f1_min: the lowest task F1 of the seeds against their gold files.
- import.seed_roles_f1_min: the lowest (task, unit, role) triple F1 of the seeds.

``python bench/bench_import.py`` prints them; bench/run.py adds them to bench/results/latest.json.
Without the seeds the figures are skipped with a note.
"""

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
RUNS = 7


def import_figures() -> list[dict] | None:
    """The import figures, or None (with a printed note) when the seeds are not there."""
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    if not seeds:
        print(f"bench: no seed plans in {SHARED / 'seeds'}; the import figures are skipped")
        return None
    sys.path.insert(0, str(ROOT / "src"))
    from liangxin.imports.parsing import parse_plan
    from liangxin.imports.scoring import score_plan

    scaled, tasks_f1, roles_f1 = [], [], []
    for seed in seeds:
        text = seed.read_text(encoding="utf-8")
        parse_plan(text)  # warm-up: regular expressions compiled, caches filled
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            result = parse_plan(text)
            times.append(time.perf_counter() - started)
        scaled.append(statistics.median(times) * 1000 * 40960 / len(text.encode("utf-8")))
        gold = json.loads((SHARED / "gold" / (seed.stem + ".json")).read_text(encoding="utf-8"))
        scores = score_plan(result.document, gold)
        tasks_f1.append(scores["tasks"]["f1"])
        roles_f1.append(scores["roles_f1"])
    return [
        {"name": "import.parse_40kb_ms", "value": round(statistics.median(scaled), 2), "unit": "ms"},
        {"name": "import.seed_tasks_f1_min", "value": round(min(tasks_f1), 4), "unit": "f1"},
        {"name": "import.seed_roles_f1_min", "value": round(min(roles_f1), 4), "unit": "f1"},
    ]


def main() -> None:
    figures = import_figures()
    for figure in figures or []:
        print(f"{figure['name']:<26} {figure['value']} {figure['unit']}")


if __name__ == "__main__":
    main()
