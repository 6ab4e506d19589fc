"""How rules and money read on the office's pages: a formula as a sentence, amounts in yuan."""

from decimal import Decimal

from django.utils.translation import gettext as _

from ..enums import CarRoute, Powertrain, Proof


def yuan(value) -> str:
    """1234.5 → "1,234.50"."""
    if value is None:
        return "—"
    return f"{Decimal(value):,.2f}"


def _percent(rate) -> str:
    value = (Decimal(str(rate)) * 100).normalize()
    return f"{value:f}%"


def formula_text(formula: dict) -> str:
    kind = formula.get("type")
    parts = []
    if kind == "rate_by_grade":
        grades = sorted((formula.get("rates") or {}).items())
        parts.append(
            "；".join(
                _("grade %(grade)s: %(rate)s of the price") % {"grade": g, "rate": _percent(r)} for g, r in grades
            )
        )
    elif kind == "rate":
        parts.append(_("%(rate)s of the price") % {"rate": _percent(formula.get("rate", 0))})
    elif kind == "fixed":
        parts.append(_("a fixed %(amount)s yuan") % {"amount": yuan(formula.get("amount"))})
    if formula.get("cap") not in (None, ""):
        parts.append(_("at most %(cap)s yuan per item") % {"cap": yuan(formula["cap"])})
    if formula.get("min_price") not in (None, ""):
        parts.append(_("price at least %(amount)s yuan") % {"amount": yuan(formula["min_price"])})
    if formula.get("max_price") not in (None, ""):
        parts.append(_("price at most %(amount)s yuan") % {"amount": yuan(formula["max_price"])})
    return "，".join(parts)


def vehicle_text(vehicle: dict | None) -> str:
    if not vehicle:
        return ""
    parts = []
    if vehicle.get("route") in CarRoute.values:
        parts.append(str(CarRoute(vehicle["route"]).label))
    if vehicle.get("powertrain") in Powertrain.values:
        parts.append(str(Powertrain(vehicle["powertrain"]).label))
    if vehicle.get("max_displacement"):
        parts.append(_("displacement up to %(litres)s L") % {"litres": vehicle["max_displacement"]})
    if vehicle.get("zero_mileage_days"):
        parts.append(
            _("flagged when claimed within %(days)s days of first registration")
            % {"days": vehicle["zero_mileage_days"]}
        )
    return "，".join(parts)


def proof_text(proof: list) -> str:
    labels = dict(Proof.choices)
    return "、".join(str(labels.get(p, p)) for p in proof or [])


def category_rows(rules: dict) -> list[dict]:
    """One row per category of a rule set, for the readable rules table."""
    rows = []
    for category in rules.get("categories", []):
        rows.append(
            {
                "code": category.get("code", ""),
                "name": category.get("name", ""),
                "group": category.get("group", "other"),
                "formula": formula_text(category.get("formula") or {}),
                "limit": category.get("per_person_limit", 1),
                "proof": proof_text(category.get("proof")),
                "vehicle": vehicle_text(category.get("vehicle")),
                "recycles": bool(category.get("recycles_old_item")),
            }
        )
    return rows


def category_names(rules: dict) -> dict[str, str]:
    return {c.get("code"): c.get("name", c.get("code")) for c in rules.get("categories", [])}
