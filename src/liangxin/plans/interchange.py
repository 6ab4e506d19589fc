"""The plan interchange format (liangxin.plan/1): strict validation and export.

Validation names the offending field by its JSON path (``tasks[3].lead_units[0]``) so that a
person can find it in the file; loading lives in services.plan_load.
"""

import datetime
import decimal
from typing import Any

from django.utils.translation import gettext as _

from .enums import FORMAT_TAG, Basis, Comparator

COMPARATORS = {c.value for c in Comparator}
BASES = {b.value for b in Basis}


class InterchangeError(ValueError):
    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class _Checker:
    def __init__(self, data: Any):
        self.data = data

    def obj(self, value, field, keys):
        if not isinstance(value, dict):
            raise InterchangeError(field, _("must be an object"))
        for key in keys:
            if key not in value:
                raise InterchangeError(f"{field}.{key}" if field else key, _("is missing"))
        return value

    def text(self, value, field, *, nullable=False, required=False):
        if value is None and nullable:
            return None
        if not isinstance(value, str):
            raise InterchangeError(field, _("must be text") if not nullable else _("must be text or null"))
        if required and not value.strip():
            raise InterchangeError(field, _("must not be empty"))
        return value

    def integer(self, value, field, *, nullable=False):
        if value is None and nullable:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise InterchangeError(field, _("must be a whole number"))
        return value

    def year(self, value, field, *, nullable=True):
        value = self.integer(value, field, nullable=nullable)
        if value is not None and not 2000 <= value <= 2100:
            raise InterchangeError(field, _("must be a year between 2000 and 2100"))
        return value

    def number(self, value, field):
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InterchangeError(field, _("must be a number or null"))
        return decimal.Decimal(str(value))

    def text_list(self, value, field):
        if not isinstance(value, list):
            raise InterchangeError(field, _("must be a list"))
        return [self.text(v, f"{field}[{i}]", required=True) for i, v in enumerate(value)]

    def array(self, value, field):
        if not isinstance(value, list):
            raise InterchangeError(field, _("must be a list"))
        return value


TARGET_KEYS = ("text", "metric", "year", "comparator", "value", "unit", "basis")


def _target(c: _Checker, raw, field):
    c.obj(raw, field, TARGET_KEYS)
    comparator = raw["comparator"]
    if comparator is not None and comparator not in COMPARATORS:
        raise InterchangeError(f"{field}.comparator", _("must be one of %s or null") % ", ".join(sorted(COMPARATORS)))
    basis = raw["basis"]
    if basis is not None and basis not in BASES:
        raise InterchangeError(f"{field}.basis", _("must be one of %s or null") % ", ".join(sorted(BASES)))
    return {
        "text": c.text(raw["text"], f"{field}.text", nullable=True),
        "metric": c.text(raw["metric"], f"{field}.metric", nullable=True),
        "year": c.year(raw["year"], f"{field}.year"),
        "comparator": comparator,
        "value": c.number(raw["value"], f"{field}.value"),
        "unit": c.text(raw["unit"], f"{field}.unit", nullable=True),
        "basis": basis,
    }


def _cell(c: _Checker, raw, field, *, year_required):
    c.obj(raw, field, ("year", "text", "value", "unit"))
    return {
        "year": c.year(raw["year"], f"{field}.year", nullable=not year_required),
        "text": c.text(raw["text"], f"{field}.text", nullable=True),
        "value": c.number(raw["value"], f"{field}.value"),
        "unit": c.text(raw["unit"], f"{field}.unit", nullable=True),
    }


def validate_document(data: Any) -> dict:
    """Check a parsed JSON document against liangxin.plan/1; return it with numbers as Decimal.

    Raises InterchangeError naming the first offending field.
    """
    c = _Checker(data)
    if not isinstance(data, dict):
        raise InterchangeError("(document)", _("must be a JSON object"))
    if data.get("format") != FORMAT_TAG:
        raise InterchangeError(
            "format", _("must be %(tag)s, not %(got)r") % {"tag": FORMAT_TAG, "got": data.get("format")}
        )
    c.obj(
        data,
        "",
        (
            "title",
            "issuer",
            "issued_on",
            "doc_number",
            "parent_policies",
            "goals",
            "tasks",
            "indicators",
            "task_force",
            "division_table",
            "policy_list",
            "units",
        ),
    )
    issued_on = data["issued_on"]
    if issued_on is not None:
        try:
            issued_on = datetime.date.fromisoformat(c.text(issued_on, "issued_on"))
        except ValueError:
            raise InterchangeError("issued_on", _("must be a date written YYYY-MM-DD or null")) from None
    units = c.text_list(data["units"], "units")
    seen = set()
    for i, name in enumerate(units):
        if name in seen:
            raise InterchangeError(f"units[{i}]", _("%s is listed twice") % name)
        seen.add(name)

    def unit_refs(value, field, *, nullable=False):
        if value is None and nullable:
            return None
        names = [value] if nullable else c.text_list(value, field)
        for i, name in enumerate(names):
            where = field if nullable else f"{field}[{i}]"
            c.text(name, where, required=True)
            if name not in seen:
                raise InterchangeError(where, _("unit %s is not in the plan's units list") % name)
        return value

    doc = {
        "format": FORMAT_TAG,
        "title": c.text(data["title"], "title", required=True),
        "issuer": c.text(data["issuer"], "issuer"),
        "issued_on": issued_on,
        "doc_number": c.text(data["doc_number"], "doc_number", nullable=True),
        "parent_policies": c.text_list(data["parent_policies"], "parent_policies"),
        "goals": [_target(c, g, f"goals[{i}]") for i, g in enumerate(c.array(data["goals"], "goals"))],
        "units": units,
        "tasks": [],
        "indicators": [],
        "task_force": None,
        "division_table": [],
        "policy_list": [],
    }
    for i, raw in enumerate(c.array(data["tasks"], "tasks")):
        f = f"tasks[{i}]"
        c.obj(raw, f, ("number", "path", "title", "lead_units", "responsible_units", "targets"))
        doc["tasks"].append(
            {
                "number": c.text(raw["number"], f"{f}.number", required=True),
                "path": c.text_list(raw["path"], f"{f}.path"),
                "title": c.text(raw["title"], f"{f}.title", required=True),
                "lead_units": unit_refs(raw["lead_units"], f"{f}.lead_units"),
                "responsible_units": unit_refs(raw["responsible_units"], f"{f}.responsible_units"),
                "targets": [
                    _target(c, t, f"{f}.targets[{j}]") for j, t in enumerate(c.array(raw["targets"], f"{f}.targets"))
                ],
            }
        )
    for i, raw in enumerate(c.array(data["indicators"], "indicators")):
        f = f"indicators[{i}]"
        c.obj(raw, f, ("seq", "task", "name", "baseline", "milestones", "units"))
        doc["indicators"].append(
            {
                "seq": c.integer(raw["seq"], f"{f}.seq"),
                "task": c.text(raw["task"], f"{f}.task", nullable=True),
                "name": c.text(raw["name"], f"{f}.name", required=True),
                "baseline": None
                if raw["baseline"] is None
                else _cell(c, raw["baseline"], f"{f}.baseline", year_required=False),
                "milestones": [
                    _cell(c, m, f"{f}.milestones[{j}]", year_required=True)
                    for j, m in enumerate(c.array(raw["milestones"], f"{f}.milestones"))
                ],
                "units": unit_refs(raw["units"], f"{f}.units"),
            }
        )
    if data["task_force"] is not None:
        raw, f = data["task_force"], "task_force"
        c.obj(raw, f, ("name", "office_unit", "member_units", "mechanisms"))
        doc["task_force"] = {
            "name": c.text(raw["name"], f"{f}.name", required=True),
            "office_unit": unit_refs(raw["office_unit"], f"{f}.office_unit", nullable=True),
            "member_units": unit_refs(raw["member_units"], f"{f}.member_units"),
            "mechanisms": c.text_list(raw["mechanisms"], f"{f}.mechanisms"),
            "leading_positions": c.text_list(raw.get("leading_positions", []), f"{f}.leading_positions"),
        }
    for i, raw in enumerate(c.array(data["division_table"], "division_table")):
        f = f"division_table[{i}]"
        c.obj(raw, f, ("seq", "task", "lead_units"))
        doc["division_table"].append(
            {
                "seq": c.integer(raw["seq"], f"{f}.seq"),
                "task": c.text(raw["task"], f"{f}.task", required=True),
                "lead_units": unit_refs(raw["lead_units"], f"{f}.lead_units"),
            }
        )
    for i, raw in enumerate(c.array(data["policy_list"], "policy_list")):
        f = f"policy_list[{i}]"
        c.obj(raw, f, ("seq", "group", "title", "lead_units"))
        doc["policy_list"].append(
            {
                "seq": c.integer(raw["seq"], f"{f}.seq"),
                "group": c.text(raw["group"], f"{f}.group"),
                "title": c.text(raw["title"], f"{f}.title", required=True),
                "lead_units": unit_refs(raw["lead_units"], f"{f}.lead_units"),
            }
        )
    return doc


def json_number(value: decimal.Decimal | None):
    """A stored Decimal as the JSON number a person wrote: 25, not 25.000000; 13.6, not 13.600000."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value.normalize())
