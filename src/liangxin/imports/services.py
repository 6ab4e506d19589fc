"""Writes of the import pipeline: read and parse a document into a draft, correct it, publish it."""

import copy
import re

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liangxin.core.audit import audit_record, snapshot
from liangxin.core.models import Jurisdiction, Unit
from liangxin.core.services import unit_alias_add, unit_ensure, unit_resolve
from liangxin.plans.interchange import InterchangeError, validate_document
from liangxin.plans.models import Plan
from liangxin.plans.services import plan_load, plan_revise

from . import paths
from .enums import DraftStatus, UnitAction
from .errors import ImportProblem
from .models import ImportDraft
from .parsing import cell_quantity, parse_plan
from .readers import read_document


class DraftError(ImportProblem):
    """A review action that cannot be done; the message says why."""


@transaction.atomic
def draft_create(
    *, actor, jurisdiction: Jurisdiction, filename: str, data: bytes, revises: Plan | None = None
) -> ImportDraft:
    """Read and parse an uploaded document into a draft for review.

    Raises ReaderError or NotAPlanError (nothing saved) when the file cannot be read or is not a plan.
    """
    if revises is not None and revises.jurisdiction_id != jurisdiction.pk:
        raise DraftError(_("A revision must belong to the jurisdiction of the plan it revises."))
    text = read_document(data, filename)
    result = parse_plan(text)
    draft = ImportDraft(
        jurisdiction=jurisdiction,
        original_name=filename[-255:],
        source_text=text,
        document=result.document,
        spans={key: list(span) for key, span in result.spans.items()},
        warnings=list(result.warnings),
        revises=revises,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    draft.original_file.save(filename[-100:] or "plan", ContentFile(data), save=False)
    draft.save()
    audit_record(actor=actor, action="import.draft_create", instance=draft, after=_summary(draft))
    return draft


def _summary(draft: ImportDraft) -> dict:
    doc = draft.document
    return {
        "original_name": draft.original_name,
        "title": doc.get("title"),
        "tasks": len(doc.get("tasks", [])),
        "indicators": len(doc.get("indicators", [])),
        "revises": draft.revises_id,
    }


def _require_open(draft: ImportDraft) -> None:
    if draft.status != DraftStatus.DRAFT:
        raise DraftError(_("This draft is %s and can no longer be changed.") % draft.get_status_display())


def _note_units(document: dict, names) -> None:
    """Keep the document's units list complete: a name typed in review joins it."""
    for name in names if isinstance(names, list) else [names]:
        if name and name not in document["units"]:
            document["units"].append(name)


def _save(draft: ImportDraft, document: dict, *, actor, action: str, detail: dict) -> None:
    try:
        validate_document(document)
    except InterchangeError as exc:
        raise DraftError(
            _("The change would leave %(field)s invalid: %(message)s") % {"field": exc.field, "message": exc.message}
        ) from exc
    draft.document = document
    draft.save(update_fields=["document", "spans", "unit_decisions", "updated_at"])
    audit_record(actor=actor, action=action, instance=draft, after=detail)


@transaction.atomic
def draft_set(*, actor, draft: ImportDraft, path: str, value):
    """Correct one field of the draft; returns the stored value."""
    _require_open(draft)
    document = copy.deepcopy(draft.document)
    value = paths.coerce(path, value)
    container, key = paths.resolve(document, path)
    before = paths.get(document, path)
    container[key] = value
    if paths.FIELDS[paths.pattern_of(path)] in (paths.UNITS, paths.UNIT):
        _note_units(document, value)
    _save(
        draft, document, actor=actor, action="import.draft_set", detail={"path": path, "before": before, "after": value}
    )
    return value


def _blank(list_pattern: str, document: dict, path: str):
    if list_pattern in ("goals", "tasks/#/targets"):
        return {
            "text": "",
            "metric": None,
            "year": None,
            "comparator": None,
            "value": None,
            "unit": None,
            "basis": None,
        }
    if list_pattern == "tasks":
        return {
            "number": str(len(document["tasks"]) + 1),
            "path": [],
            "title": _("New task"),
            "lead_units": [],
            "responsible_units": [],
            "targets": [],
        }
    if list_pattern == "indicators":
        years = sorted({m["year"] for i in document["indicators"] for m in i["milestones"]}) or [2024, 2025, 2026, 2027]
        return {
            "seq": len(document["indicators"]) + 1,
            "task": None,
            "name": _("New indicator"),
            "baseline": {"year": 2023, "text": None, "value": None, "unit": None},
            "milestones": [{"year": y, "text": None, "value": None, "unit": None} for y in years],
            "units": [],
        }
    if list_pattern == "division_table":
        return {"seq": len(document["division_table"]) + 1, "task": _("New task"), "lead_units": []}
    return {"seq": len(document["policy_list"]) + 1, "group": "", "title": _("New policy"), "lead_units": []}


def _shift_spans(spans: dict, list_path: str, index: int, delta: int) -> dict:
    """Renumber the spans of a list's items after an insertion or removal at index."""
    prefix = list_path + "/"
    shifted = {}
    for key, span in spans.items():
        if key.startswith(prefix):
            rest = key[len(prefix) :]
            head, _sep, tail = rest.partition("/")
            if head.isdigit():
                position = int(head)
                if delta < 0 and position == index:
                    continue
                if position >= index + (1 if delta < 0 else 0):
                    position += delta
                key = prefix + str(position) + (f"/{tail}" if tail else "")
        shifted[key] = span
    return shifted


@transaction.atomic
def draft_remove(*, actor, draft: ImportDraft, path: str) -> None:
    """Remove a wrongly read item (a task, a goal, a target, a table row)."""
    _require_open(draft)
    list_path, _sep, index = path.rpartition("/")
    if paths.pattern_of(list_path) not in paths.LISTS or not index.isdigit():
        raise DraftError(_("%s is not an item that can be removed.") % path)
    document = copy.deepcopy(draft.document)
    items = paths.get(document, list_path)
    if int(index) >= len(items):
        raise DraftError(_("%s does not exist in this draft.") % path)
    removed = items.pop(int(index))
    draft.spans = _shift_spans(draft.spans, list_path, int(index), -1)
    _save(draft, document, actor=actor, action="import.draft_remove", detail={"path": path, "before": removed})


@transaction.atomic
def draft_append(*, actor, draft: ImportDraft, list_path: str) -> int:
    """Add a blank item at the end of a list (a task or target the reader missed); returns its index."""
    _require_open(draft)
    pattern = paths.pattern_of(list_path)
    if pattern not in paths.LISTS:
        raise DraftError(_("Items cannot be added to %s.") % list_path)
    document = copy.deepcopy(draft.document)
    items = paths.get(document, list_path)
    items.append(_blank(pattern, document, list_path))
    _save(draft, document, actor=actor, action="import.draft_append", detail={"path": f"{list_path}/{len(items) - 1}"})
    return len(items) - 1


def _clauses(text: str) -> list[str]:
    return [c for c in re.split(r"[，,；;。]", text or "") if c.strip()]


def _overlap(a: str, b: str) -> int:
    """Length of the longest common substring: how strongly a clause speaks of a metric."""
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


def split_cell(text: str | None, metrics: list[str], *, cumulative: bool) -> list[dict]:
    """One cell that speaks of several metrics, as one cell per metric (text, value, unit)."""
    clauses = _clauses(text)
    per_metric: list[list[tuple[str, bool]]] = [[] for _ in metrics]
    current, running_total = 0, False
    for clause in clauses:
        scores = [_overlap(m, clause) for m in metrics]
        if max(scores) >= 2:
            current = scores.index(max(scores))
        # 累计 opens the running totals: "累计改造A 6公里，B 15公里" — both clauses are totals.
        running_total = running_total or "累计" in clause
        per_metric[current].append((clause, running_total))
    cells = []
    for own in per_metric:
        if not own:
            cells.append({"text": text, "value": None, "unit": None})
            continue
        totals = [c for c, total in own if total]
        chosen = totals[-1] if cumulative and totals else own[0][0]
        value, unit = cell_quantity(chosen)
        cells.append({"text": "，".join(c for c, _total in own), "value": value, "unit": unit})
    return cells


@transaction.atomic
def draft_split_indicator(*, actor, draft: ImportDraft, index: int, names: list[str] | None = None) -> None:
    """Split a table row that names two metrics (A、B) into one indicator per metric.

    Each new row's baseline and milestones are read from the parts of the cells that speak of it.
    """
    _require_open(draft)
    document = copy.deepcopy(draft.document)
    try:
        row = document["indicators"][index]
    except (IndexError, TypeError):
        raise DraftError(_("Indicator %s does not exist in this draft.") % index) from None
    names = [n.strip() for n in (names or re.split(r"[、,，]", row["name"])) if n and n.strip()]
    if len(names) < 2:
        raise DraftError(_("Name at least two metrics to split %(name)s into.") % {"name": row["name"]})
    cumulative = any("累计" in (m["text"] or "") for m in row["milestones"])
    baseline = row["baseline"] or {"year": 2023, "text": None, "value": None, "unit": None}
    baselines = split_cell(baseline["text"], names, cumulative=False)
    milestone_cells = [split_cell(m["text"], names, cumulative=cumulative) for m in row["milestones"]]
    new_rows = []
    for k, name in enumerate(names):
        new_rows.append(
            {
                "seq": row["seq"],
                "task": row["task"],
                "name": name,
                "baseline": {"year": baseline["year"], **baselines[k]},
                "milestones": [
                    {"year": m["year"], **cells[k]} for m, cells in zip(row["milestones"], milestone_cells, strict=True)
                ],
                "units": list(row["units"]),
            }
        )
    document["indicators"][index : index + 1] = new_rows
    spans = _shift_spans(draft.spans, "indicators", index + 1, len(names) - 1)
    for k in range(1, len(names)):
        if f"indicators/{index}" in spans:
            spans[f"indicators/{index + k}"] = spans[f"indicators/{index}"]
    draft.spans = spans
    _save(draft, document, actor=actor, action="import.draft_split_indicator", detail={"index": index, "names": names})


@transaction.atomic
def draft_decide_unit(
    *, actor, draft: ImportDraft, name: str, action: str, unit: Unit | None = None, alias_of: str | None = None
) -> dict:
    """Record how a unit name of the draft maps onto the jurisdiction's units."""
    _require_open(draft)
    if name not in draft.document["units"]:
        raise DraftError(_("%s is not a unit of this draft.") % name)
    if action == UnitAction.CREATE:
        decision = {"action": action}
    elif action == UnitAction.ALIAS and unit is not None:
        if unit.jurisdiction_id != draft.jurisdiction_id:
            raise DraftError(_("%s belongs to another jurisdiction.") % unit.name)
        decision = {"action": action, "unit": unit.pk}
    elif action == UnitAction.ALIAS and alias_of:
        if alias_of == name or alias_of not in draft.document["units"]:
            raise DraftError(_("%s is not another unit of this draft.") % alias_of)
        decision = {"action": action, "alias_of": alias_of}
    else:
        raise DraftError(_("Choose to create the unit or to record it as another name of a unit."))
    draft.unit_decisions = {**draft.unit_decisions, name: decision}
    draft.save(update_fields=["unit_decisions", "updated_at"])
    audit_record(actor=actor, action="import.unit_decision", instance=draft, after={"name": name, **decision})
    return decision


def _apply_unit_decisions(draft: ImportDraft, *, actor) -> None:
    """Create the confirmed new units and aliases before the plan is loaded (which resolves names)."""
    from .selectors import draft_unit_rows

    rows = draft_unit_rows(draft)
    undecided = [r["name"] for r in rows if r["needs_decision"] and not r["decision"]]
    if undecided:
        raise DraftError(_("Confirm these units first: %s") % "、".join(undecided))
    place = draft.jurisdiction
    decisions = draft.unit_decisions
    for row in rows:
        if row["decision"] and row["decision"]["action"] == UnitAction.CREATE:
            unit_ensure(jurisdiction=place, name=row["name"], actor=actor)
    for row in rows:
        decision = row["decision"] or {}
        if decision.get("action") != UnitAction.ALIAS:
            continue
        target_id = decision.get("unit")
        if target_id is None:
            other = decisions.get(decision["alias_of"], {})
            if other.get("action") == UnitAction.ALIAS:
                raise DraftError(
                    _(
                        "%(name)s is recorded as another name of %(other)s, which is itself an alias; "
                        "point it at the unit directly."
                    )
                    % {"name": row["name"], "other": decision["alias_of"]}
                )
            target = unit_resolve(jurisdiction=place, name=decision["alias_of"]) or unit_ensure(
                jurisdiction=place, name=decision["alias_of"], actor=actor
            )
        else:
            target = Unit.objects.get(pk=target_id, jurisdiction=place)
        if unit_resolve(jurisdiction=place, name=row["name"]) != target:
            unit_alias_add(unit=target, alias=row["name"], actor=actor)


@transaction.atomic
def draft_publish(*, actor, draft: ImportDraft) -> Plan:
    """Turn the reviewed draft into a plan of the registry (or a revision of the plan it revises).

    One transaction: units and aliases confirmed in review are created, the plan is loaded with the
    original document as its file, and the draft is kept, marked published.
    """
    draft = ImportDraft.objects.select_for_update().get(pk=draft.pk)
    _require_open(draft)
    _apply_unit_decisions(draft, actor=actor)
    source = draft.original_file.open("rb").read()
    try:
        if draft.revises_id:
            plan = plan_revise(
                plan=draft.revises,
                data=draft.document,
                actor=actor,
                source_name=draft.original_name,
                source_bytes=source,
            )
        else:
            plan = plan_load(
                data=draft.document,
                jurisdiction=draft.jurisdiction,
                actor=actor,
                source_name=draft.original_name,
                source_bytes=source,
            )
    except InterchangeError as exc:
        raise DraftError(_("%(field)s: %(message)s") % {"field": exc.field, "message": exc.message}) from exc
    before = snapshot(draft)
    draft.status = DraftStatus.PUBLISHED
    draft.published_plan = plan
    draft.published_at = timezone.now()
    draft.full_clean(exclude=["original_file"])
    draft.save(update_fields=["status", "published_plan", "published_at", "updated_at"])
    audit_record(actor=actor, action="import.draft_publish", instance=draft, before=before, after=snapshot(draft))
    return plan


@transaction.atomic
def draft_discard(*, actor, draft: ImportDraft) -> ImportDraft:
    """Set a draft aside; it and its original file are kept, marked discarded."""
    _require_open(draft)
    before = snapshot(draft)
    draft.status = DraftStatus.DISCARDED
    draft.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="import.draft_discard", instance=draft, before=before, after=snapshot(draft))
    return draft
