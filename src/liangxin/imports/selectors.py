"""Reads of the import pipeline, scoped to the person asking."""

from liangxin.core.models import Unit, UnitAlias
from liangxin.core.names import normalize_name
from liangxin.core.selectors import jurisdictions_managed_by
from liangxin.plans.selectors import plan_export
from liangxin.plans.services import title_key

from .enums import UnitAction
from .models import ImportDraft
from .unitmatch import looks_like_alias


def drafts_managed_by(user):
    """Drafts of the jurisdictions whose office the user is (all for administrators)."""
    return ImportDraft.objects.filter(jurisdiction__in=jurisdictions_managed_by(user)).select_related(
        "jurisdiction", "created_by", "revises", "published_plan"
    )


def draft_unit_rows(draft: ImportDraft) -> list[dict]:
    """Every unit name of the draft: what it resolves to now, what is proposed, what was decided.

    A name that is already a unit or an alias of the jurisdiction needs no decision. Otherwise the
    proposal is an alias when the name looks like a shortening of an existing unit or of another
    name in the draft (区工信局 / 区工业和信息化局), else a new unit.
    """
    units = list(Unit.objects.filter(jurisdiction=draft.jurisdiction).order_by("name"))
    by_key = {u.name_key: u for u in units}
    for alias in UnitAlias.objects.filter(jurisdiction=draft.jurisdiction).select_related("unit"):
        by_key.setdefault(alias.name_key, alias.unit)
    names = draft.document.get("units", [])
    rows = []
    for name in names:
        existing = by_key.get(normalize_name(name))
        similar_units = [u for u in units if looks_like_alias(name, u.name)] if existing is None else []
        similar_names = [n for n in names if n != name and looks_like_alias(name, n)] if existing is None else []
        if existing is not None:
            proposal = {"action": UnitAction.EXISTING, "unit": existing.pk, "label": existing.name}
        elif similar_units:
            proposal = {"action": UnitAction.ALIAS, "unit": similar_units[0].pk, "label": similar_units[0].name}
        elif similar_names:
            # Of two new spellings, the longer (full) name becomes the unit, the shorter its alias.
            longest = max([name, *similar_names], key=len)
            proposal = (
                {"action": UnitAction.CREATE, "label": name}
                if longest == name
                else {"action": UnitAction.ALIAS, "alias_of": longest, "label": longest}
            )
        else:
            proposal = {"action": UnitAction.CREATE, "label": name}
        rows.append(
            {
                "name": name,
                "existing": existing,
                "proposal": proposal,
                "similar_units": similar_units,
                "similar_names": similar_names,
                "needs_decision": existing is None,
                "decision": draft.unit_decisions.get(name) if existing is None else None,
            }
        )
    return rows


def _roles(task: dict) -> tuple:
    return (tuple(task["lead_units"]), tuple(task["responsible_units"]))


def _targets(items: list[dict]) -> set:
    return {(t["year"], t["comparator"], t["value"], t["unit"]) for t in items}


def draft_diff(draft: ImportDraft) -> dict | None:
    """What publishing a revision would change in the plan it revises; None for a new plan."""
    if draft.revises is None:
        return None
    old, new = plan_export(draft.revises), draft.document
    old_tasks = {title_key(t["title"]): t for t in old["tasks"]}
    new_tasks = {title_key(t["title"]): t for t in new["tasks"]}
    reassigned, retargeted = [], []
    for key in old_tasks.keys() & new_tasks.keys():
        before, after = old_tasks[key], new_tasks[key]
        if _roles(before) != _roles(after):
            reassigned.append({"title": after["title"], "before": _roles(before), "after": _roles(after)})
        if _targets(before["targets"]) != _targets(after["targets"]):
            retargeted.append({"title": after["title"], "before": before["targets"], "after": after["targets"]})
    old_ind = {title_key(i["name"]): i for i in old["indicators"]}
    new_ind = {title_key(i["name"]): i for i in new["indicators"]}
    indicators_changed = []
    for key in old_ind.keys() & new_ind.keys():
        cells = lambda i: [(i["baseline"] or {}).get("value")] + [m["value"] for m in i["milestones"]]  # noqa: E731
        if cells(old_ind[key]) != cells(new_ind[key]) or old_ind[key]["units"] != new_ind[key]["units"]:
            indicators_changed.append({"name": new_ind[key]["name"], "before": old_ind[key], "after": new_ind[key]})
    diff = {
        "tasks_added": [new_tasks[k]["title"] for k in new_tasks.keys() - old_tasks.keys()],
        "tasks_removed": [old_tasks[k]["title"] for k in old_tasks.keys() - new_tasks.keys()],
        "tasks_reassigned": sorted(reassigned, key=lambda r: r["title"]),
        "targets_changed": sorted(retargeted, key=lambda r: r["title"]),
        "goals_changed": _targets(old["goals"]) != _targets(new["goals"]),
        "indicators_added": [new_ind[k]["name"] for k in new_ind.keys() - old_ind.keys()],
        "indicators_removed": [old_ind[k]["name"] for k in old_ind.keys() - new_ind.keys()],
        "indicators_changed": sorted(indicators_changed, key=lambda r: r["name"]),
        "units_added": [u for u in new["units"] if u not in old["units"]],
        "units_removed": [u for u in old["units"] if u not in new["units"]],
    }
    diff["unchanged"] = not any(v for v in diff.values())
    return diff


def utf16_spans(draft: ImportDraft) -> dict[str, list[int]]:
    """The source spans in UTF-16 code units, as the browser's text ranges count them."""
    text = draft.source_text
    boundaries = sorted({i for span in draft.spans.values() for i in span})
    units_at, count, last = {}, 0, 0
    for i in boundaries:
        i = max(0, min(i, len(text)))
        count += len(text[last:i].encode("utf-16-le")) // 2
        units_at[i] = count
        last = i
    return {
        k: [units_at[max(0, min(s, len(text)))], units_at[max(0, min(e, len(text)))]]
        for k, (s, e) in draft.spans.items()
    }
