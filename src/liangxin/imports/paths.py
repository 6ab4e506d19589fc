"""Addressing the fields of an interchange document by path ("tasks/3/lead_units"), for review edits.

A path's shape decides what a value may be; values from a web form arrive as text and are coerced
here, so the API and the review page accept the same things.
"""

import datetime
import decimal
import re

from django.utils.translation import gettext as _

from liangxin.plans.enums import Basis, Comparator

from .errors import ImportProblem

TEXT, REQUIRED_TEXT, OPTIONAL_TEXT, YEAR, NUMBER, INTEGER, DATE, TEXTS, UNITS, UNIT, COMPARATOR, BASIS = range(12)

_TARGET = {
    "text": OPTIONAL_TEXT,
    "metric": OPTIONAL_TEXT,
    "year": YEAR,
    "comparator": COMPARATOR,
    "value": NUMBER,
    "unit": OPTIONAL_TEXT,
    "basis": BASIS,
}
_CELL = {"text": OPTIONAL_TEXT, "value": NUMBER, "unit": OPTIONAL_TEXT}

# Field kinds by path pattern; "#" stands for a list index.
FIELDS = {
    "title": REQUIRED_TEXT,
    "issuer": TEXT,
    "issued_on": DATE,
    "doc_number": OPTIONAL_TEXT,
    "parent_policies": TEXTS,
    **{f"goals/#/{k}": v for k, v in _TARGET.items()},
    "tasks/#/number": REQUIRED_TEXT,
    "tasks/#/title": REQUIRED_TEXT,
    "tasks/#/lead_units": UNITS,
    "tasks/#/responsible_units": UNITS,
    **{f"tasks/#/targets/#/{k}": v for k, v in _TARGET.items()},
    "indicators/#/seq": INTEGER,
    "indicators/#/task": OPTIONAL_TEXT,
    "indicators/#/name": REQUIRED_TEXT,
    "indicators/#/units": UNITS,
    "indicators/#/baseline/year": YEAR,
    **{f"indicators/#/baseline/{k}": v for k, v in _CELL.items()},
    **{f"indicators/#/milestones/#/{k}": v for k, v in _CELL.items()},
    "task_force/name": REQUIRED_TEXT,
    "task_force/office_unit": UNIT,
    "task_force/member_units": UNITS,
    "task_force/mechanisms": TEXTS,
    "task_force/leading_positions": TEXTS,
    "division_table/#/seq": INTEGER,
    "division_table/#/task": REQUIRED_TEXT,
    "division_table/#/lead_units": UNITS,
    "policy_list/#/seq": INTEGER,
    "policy_list/#/group": TEXT,
    "policy_list/#/title": REQUIRED_TEXT,
    "policy_list/#/lead_units": UNITS,
}

# Lists whose items a reviewer may remove or add.
LISTS = {"goals", "tasks", "tasks/#/targets", "indicators", "division_table", "policy_list"}

_LIST_SPLIT = re.compile(r"[、,，;；\n]+")


class PathError(ImportProblem):
    pass


def pattern_of(path: str) -> str:
    return "/".join("#" if part.isdigit() else part for part in path.split("/"))


def resolve(document: dict, path: str):
    """The container holding the path's last step, and that step (a key or an index)."""
    parts = path.split("/")
    node = document
    for part in parts[:-1]:
        node = _step(node, part, path)
    last = parts[-1]
    return node, (int(last) if last.isdigit() else last)


def _step(node, part, path):
    try:
        return node[int(part)] if part.isdigit() else node[part]
    except (KeyError, IndexError, TypeError):
        raise PathError(_("%s does not exist in this draft.") % path) from None


def get(document: dict, path: str):
    node, key = resolve(document, path)
    return _step(node, str(key), path)


def coerce(path: str, value):
    """The value a field of this path takes, from JSON or from the text of a form field."""
    kind = FIELDS.get(pattern_of(path))
    if kind is None:
        raise PathError(_("%s cannot be edited.") % path)
    if isinstance(value, str):
        value = value.strip()
    empty = value is None or value == "" or value == []
    if kind in (TEXT,):
        return "" if empty else _text(value, path)
    if kind == REQUIRED_TEXT:
        if empty:
            raise PathError(_("%s must not be empty.") % path)
        return _text(value, path)
    if kind in (OPTIONAL_TEXT, UNIT):
        return None if empty else _text(value, path)
    if kind in (TEXTS, UNITS):
        if empty:
            return []
        items = _LIST_SPLIT.split(value) if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise PathError(_("%s must be a list of names.") % path)
        cleaned = [i.strip() for i in items if i.strip()]
        return list(dict.fromkeys(cleaned))
    if empty:
        return None
    if kind == DATE:
        try:
            return datetime.date.fromisoformat(_text(value, path)).isoformat()
        except ValueError:
            raise PathError(_("%s must be a date such as 2024-06-21.") % path) from None
    if kind in (YEAR, INTEGER):
        number = _number(value, path)
        if number != int(number):
            raise PathError(_("%s must be a whole number.") % path)
        number = int(number)
        if kind == YEAR and not 2000 <= number <= 2100:
            raise PathError(_("%s must be a year between 2000 and 2100.") % path)
        return number
    if kind == NUMBER:
        number = _number(value, path)
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == COMPARATOR:
        allowed = {c.value for c in Comparator}
        if value not in allowed:
            raise PathError(_("%(path)s must be one of %(choices)s.") % {"path": path, "choices": " ".join(allowed)})
        return value
    if kind == BASIS:
        allowed = {b.value for b in Basis}
        if value not in allowed:
            raise PathError(_("%(path)s must be one of %(choices)s.") % {"path": path, "choices": ", ".join(allowed)})
        return value
    raise PathError(_("%s cannot be edited.") % path)  # pragma: no cover - every kind is handled above


def _text(value, path):
    if not isinstance(value, str):
        raise PathError(_("%s must be text.") % path)
    return value


def _number(value, path) -> decimal.Decimal:
    if isinstance(value, bool):
        raise PathError(_("%s must be a number.") % path)
    try:
        number = decimal.Decimal(str(value).replace(",", "").replace("，", ""))
    except decimal.InvalidOperation:
        raise PathError(_("%s must be a number.") % path) from None
    if not number.is_finite():
        raise PathError(_("%s must be a number.") % path)
    return number
