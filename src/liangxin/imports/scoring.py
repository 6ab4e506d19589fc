"""Scoring a parsed plan against a hand-checked gold file (plan-format.md, "Scoring").

Definitions used throughout:

- **Normalised text** (``norm``): NFKC, then every whitespace and punctuation character removed
  (Unicode categories P* and S* except ``%`` and ``+``), so ``（一）`` and ``(一)``, ``１`` and ``1``,
  ``到 2027 年`` and ``到2027年`` compare equal.
- **Task matching**: a predicted task matches a gold task when their normalised titles are equal.
  Matching is one-to-one and greedy in gold order: each gold task takes the first predicted task
  with the same normalised title that is not taken yet (so repeated titles pair in document order).
  Precision = matched / predicted tasks, recall = matched / gold tasks.
- **Unit names** compare by normalised text; they are otherwise kept as written (区工信局 and
  区工业和信息化局 are different units, as the format requires).
- **roles_f1**: F1 over (gold task index, unit, role) triples of *matched* tasks, role ``lead`` or
  ``responsible``; the predicted triples use the index of the gold task they matched.
  ``lead_units_exact`` / ``responsible_units_exact``: share of matched tasks whose predicted list
  equals the gold list as a set.
- **units_f1**: F1 of the documents' ``units`` lists as sets.
- **indicator_cells**: each gold indicator row is matched to a predicted row by normalised name,
  else by ``seq`` (one-to-one). A row contributes its cells: the name, the baseline value and the
  value of each gold milestone (the predicted milestone of the same year). A cell is right when
  the values are equal (numbers within 1e-9; null equals only null). Unmatched gold rows count all
  their cells as wrong; each unmatched predicted row adds its cells as wrong. The score is right /
  counted cells, 1.0 when neither side has indicators.
- **Targets**: each target is the tuple (year, comparator, value, unit) — value as a number,
  unit normalised. ``goals_f1`` compares the goals, ``task_targets_f1`` the targets of all tasks
  (pooled, not per task), ``targets_f1`` goals and task targets together; all as multisets.

An F1 (or precision, recall) over two empty sets is 1.0: there was nothing to find and nothing
was invented.
"""

import unicodedata
from collections import Counter

_KEEP = {"%", "+"}


def norm(text) -> str:
    """NFKC, without whitespace and punctuation."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text))
    return "".join(
        ch for ch in s if ch in _KEEP or not (ch.isspace() or unicodedata.category(ch)[0] in ("P", "S", "Z", "C"))
    )


def _prf(tp: int, n_pred: int, n_gold: int) -> dict:
    precision = tp / n_pred if n_pred else (1.0 if n_gold == 0 else 0.0)
    recall = tp / n_gold if n_gold else (1.0 if n_pred == 0 else 0.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def _multiset_f1(pred: list, gold: list) -> float:
    cp, cg = Counter(pred), Counter(gold)
    tp = sum((cp & cg).values())
    return _prf(tp, sum(cp.values()), sum(cg.values()))["f1"]


def match_tasks(pred_tasks: list[dict], gold_tasks: list[dict]) -> list[tuple[int, int]]:
    """(gold index, predicted index) pairs: greedy one-to-one by normalised title, in gold order."""
    by_title: dict[str, list[int]] = {}
    for i, t in enumerate(pred_tasks):
        by_title.setdefault(norm(t.get("title")), []).append(i)
    pairs = []
    for g, t in enumerate(gold_tasks):
        free = by_title.get(norm(t.get("title")))
        if free:
            pairs.append((g, free.pop(0)))
    return pairs


def _number(value):
    if value is None or isinstance(value, bool):
        return None
    try:
        return round(float(value), 9)
    except (TypeError, ValueError):
        return None


def _same_value(a, b) -> bool:
    x, y = _number(a), _number(b)
    if x is None or y is None:
        return x is None and y is None
    return abs(x - y) <= 1e-9


def _target_tuple(t: dict) -> tuple:
    year = t.get("year")
    return (
        int(year) if isinstance(year, (int, float)) and not isinstance(year, bool) else None,
        t.get("comparator"),
        _number(t.get("value")),
        norm(t.get("unit")) or None,
    )


def _indicator_cells(pred_rows: list[dict], gold_rows: list[dict]) -> float:
    if not pred_rows and not gold_rows:
        return 1.0
    taken: set[int] = set()
    pairs = []
    for g in gold_rows:
        match = None
        for i, p in enumerate(pred_rows):
            if i not in taken and norm(p.get("name")) == norm(g.get("name")) and norm(g.get("name")):
                match = i
                break
        if match is None:
            for i, p in enumerate(pred_rows):
                if i not in taken and p.get("seq") == g.get("seq"):
                    match = i
                    break
        if match is not None:
            taken.add(match)
        pairs.append((g, pred_rows[match] if match is not None else None))
    right = total = 0
    for g, p in pairs:
        cells = _row_cells(g)
        total += len(cells)
        if p is None:
            continue
        pred_cells = _row_cells(p)
        pred_by_key = dict(pred_cells)
        for key, value in cells:
            if key == "name":
                right += norm(value) == norm(pred_by_key.get("name"))
            elif key in pred_by_key and _same_value(value, pred_by_key[key]):
                right += 1
    for i, p in enumerate(pred_rows):
        if i not in taken:
            total += len(_row_cells(p))
    return right / total if total else 1.0


def _row_cells(row: dict) -> list[tuple]:
    cells = [("name", row.get("name"))]
    baseline = row.get("baseline")
    cells.append(("baseline", baseline.get("value") if isinstance(baseline, dict) else None))
    for m in row.get("milestones") or []:
        cells.append((("milestone", m.get("year")), m.get("value")))
    return cells


def score_plan(pred: dict, gold: dict) -> dict:
    """Scores of ``pred`` against ``gold`` (both liangxin.plan/1 documents); see the module doc."""
    pred_tasks, gold_tasks = pred.get("tasks") or [], gold.get("tasks") or []
    pairs = match_tasks(pred_tasks, gold_tasks)
    tasks = _prf(len(pairs), len(pred_tasks), len(gold_tasks))

    gold_triples, pred_triples = set(), set()
    lead_exact = resp_exact = 0
    for g, p in pairs:
        gt, pt = gold_tasks[g], pred_tasks[p]
        for role, key in (("lead", "lead_units"), ("responsible", "responsible_units")):
            gold_triples |= {(g, norm(u), role) for u in gt.get(key) or []}
            pred_triples |= {(g, norm(u), role) for u in pt.get(key) or []}
        lead_exact += {norm(u) for u in gt.get("lead_units") or []} == {norm(u) for u in pt.get("lead_units") or []}
        resp_exact += {norm(u) for u in gt.get("responsible_units") or []} == {
            norm(u) for u in pt.get("responsible_units") or []
        }
    roles = _prf(len(gold_triples & pred_triples), len(pred_triples), len(gold_triples))

    pred_units = {norm(u) for u in pred.get("units") or []}
    gold_units = {norm(u) for u in gold.get("units") or []}
    units = _prf(len(pred_units & gold_units), len(pred_units), len(gold_units))

    pred_goals = [_target_tuple(t) for t in pred.get("goals") or []]
    gold_goals = [_target_tuple(t) for t in gold.get("goals") or []]
    pred_tt = [_target_tuple(x) for t in pred_tasks for x in t.get("targets") or []]
    gold_tt = [_target_tuple(x) for t in gold_tasks for x in t.get("targets") or []]

    n = len(pairs)
    return {
        "tasks": tasks,
        "roles_f1": roles["f1"],
        "lead_units_exact": lead_exact / n if n else 1.0,
        "responsible_units_exact": resp_exact / n if n else 1.0,
        "units_f1": units["f1"],
        "indicator_cells": _indicator_cells(pred.get("indicators") or [], gold.get("indicators") or []),
        "goals_f1": _multiset_f1(pred_goals, gold_goals),
        "task_targets_f1": _multiset_f1(pred_tt, gold_tt),
        "targets_f1": _multiset_f1(pred_goals + pred_tt, gold_goals + gold_tt),
    }


def format_scores(scores: dict) -> str:
    """A readable printout of ``score_plan``'s result."""
    t = scores["tasks"]
    lines = [
        f"tasks            P {t['precision']:.3f}  R {t['recall']:.3f}  F1 {t['f1']:.3f}",
        f"roles F1         {scores['roles_f1']:.3f}   (lead exact {scores['lead_units_exact']:.3f}, "
        f"responsible exact {scores['responsible_units_exact']:.3f})",
        f"units F1         {scores['units_f1']:.3f}",
        f"indicator cells  {scores['indicator_cells']:.3f}",
        f"targets F1       {scores['targets_f1']:.3f}   (goals {scores['goals_f1']:.3f}, "
        f"task targets {scores['task_targets_f1']:.3f})",
    ]
    return "\n".join(lines)
