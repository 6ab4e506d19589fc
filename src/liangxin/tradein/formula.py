"""The subsidy rules engine: pure functions over a rule version's JSON, no database.

A rule set is a dict:

    {
      "title": "...", "year": 2025,
      "deadlines": {"accept_days": 3, "review_days": 15, "pay_days": 30},
      "categories": [
        {"code": "fridge", "name": "电冰箱", "group": "appliance",
         "formula": {"type": "rate_by_grade", "rates": {"1": "0.20", "2": "0.15"}, "cap": "2000"},
         "per_person_limit": 1, "proof": ["invoice", "serial_number", "recycler_handover"]},
        {"code": "phone", "name": "手机", "group": "digital",
         "formula": {"type": "rate", "rate": "0.15", "cap": "500", "max_price": "6000"}, ...},
        {"code": "ebike", "name": "电动自行车", "group": "ebike",
         "formula": {"type": "fixed", "amount": "500", "min_price": "1500"}, ...},
        {"code": "car_scrappage_nev", "name": "报废更新·新能源乘用车", "group": "car",
         "formula": {"type": "fixed", "amount": "20000"},
         "vehicle": {"route": "scrappage", "powertrain": "nev", "zero_mileage_days": 180}, ...}
      ]
    }

Every formula may carry "min_price" and "max_price" (the product's price before the subsidy, i.e.
the invoice total). Amounts and rates are strings so that they stay exact Decimals.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .enums import CarRoute, Powertrain, Proof, RejectCode

CENT = Decimal("0.01")
FORMULA_TYPES = ("rate_by_grade", "rate", "fixed")
GROUPS = ("appliance", "digital", "ebike", "car", "home", "other")
DEFAULT_DEADLINES = {"accept_days": 3, "review_days": 15, "pay_days": 30}


class FormulaError(Exception):
    """The product is not eligible under the rules; `code` is a RejectCode."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def money(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def _decimal(value) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return result if result.is_finite() else None


# --- validation of a rule set ---------------------------------------------------------------------


def _check_amount(errors, where, formula, key, *, required, rate=False):
    if key not in formula:
        if required:
            errors.append(_("%(where)s: %(key)s is missing.") % {"where": where, "key": key})
        return
    value = _decimal(formula[key])
    if value is None or value < 0 or (rate and value > 1):
        errors.append(
            _("%(where)s: %(key)s must be a number%(range)s, not %(value)r.")
            % {"where": where, "key": key, "range": _(" between 0 and 1") if rate else _(" ≥ 0"), "value": formula[key]}
        )


def rules_problems(rules) -> list[str]:
    """Everything wrong with a rule set, as sentences for the office; empty when it is valid."""
    if not isinstance(rules, dict):
        return [_("The rules must be a JSON object.")]
    errors: list[str] = []
    deadlines = rules.get("deadlines", DEFAULT_DEADLINES)
    if not isinstance(deadlines, dict) or any(
        not isinstance(deadlines.get(k, 1), int) or deadlines.get(k, 1) < 1 for k in DEFAULT_DEADLINES
    ):
        errors.append(_("deadlines must give accept_days, review_days and pay_days as whole numbers ≥ 1."))
    categories = rules.get("categories")
    if not isinstance(categories, list) or not categories:
        return [*errors, _("The rules name no categories.")]
    seen = set()
    for position, category in enumerate(categories, start=1):
        if not isinstance(category, dict):
            errors.append(_("Category %(n)s is not an object.") % {"n": position})
            continue
        code = category.get("code")
        where = _("Category %(code)s") % {"code": code or position}
        if not isinstance(code, str) or not code or not code.replace("_", "").isalnum() or not code.isascii():
            errors.append(_("%(where)s: the code must be letters, digits and underscores.") % {"where": where})
        elif code in seen:
            errors.append(_("%(where)s appears twice.") % {"where": where})
        seen.add(code)
        if not isinstance(category.get("name"), str) or not category.get("name", "").strip():
            errors.append(_("%(where)s: the name is missing.") % {"where": where})
        if category.get("group", "other") not in GROUPS:
            errors.append(
                _("%(where)s: group must be one of %(groups)s.") % {"where": where, "groups": ", ".join(GROUPS)}
            )
        limit = category.get("per_person_limit", 1)
        if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= 10:
            errors.append(_("%(where)s: per_person_limit must be a whole number from 1 to 10.") % {"where": where})
        proof = category.get("proof", [])
        if not isinstance(proof, list) or any(p not in Proof.values for p in proof):
            errors.append(
                _("%(where)s: proof must be a list drawn from %(kinds)s.")
                % {"where": where, "kinds": ", ".join(Proof.values)}
            )
        errors += _formula_problems(where, category.get("formula"))
        vehicle = category.get("vehicle")
        if category.get("group") == "car" or vehicle is not None:
            errors += _vehicle_problems(where, vehicle)
    return errors


def _formula_problems(where, formula) -> list[str]:
    errors: list[str] = []
    if not isinstance(formula, dict) or formula.get("type") not in FORMULA_TYPES:
        return [_("%(where)s: the formula type must be one of %(types)s.") % {"where": where, "types": FORMULA_TYPES}]
    kind = formula["type"]
    if kind == "rate_by_grade":
        rates = formula.get("rates")
        if not isinstance(rates, dict) or not rates:
            errors.append(_("%(where)s: rates by grade are missing.") % {"where": where})
        else:
            for grade, rate in rates.items():
                value = _decimal(rate)
                if not str(grade).isdigit() or value is None or not 0 <= value <= 1:
                    errors.append(
                        _("%(where)s: the rate of grade %(grade)s must be between 0 and 1.")
                        % {"where": where, "grade": grade}
                    )
        _check_amount(errors, where, formula, "cap", required=False)
    elif kind == "rate":
        _check_amount(errors, where, formula, "rate", required=True, rate=True)
        _check_amount(errors, where, formula, "cap", required=False)
    else:
        _check_amount(errors, where, formula, "amount", required=True)
    _check_amount(errors, where, formula, "min_price", required=False)
    _check_amount(errors, where, formula, "max_price", required=False)
    low, high = _decimal(formula.get("min_price")), _decimal(formula.get("max_price"))
    if low is not None and high is not None and low > high:
        errors.append(_("%(where)s: min_price is above max_price.") % {"where": where})
    return errors


def _vehicle_problems(where, vehicle) -> list[str]:
    if not isinstance(vehicle, dict):
        return [_("%(where)s: a car category needs its vehicle rules (route, powertrain).") % {"where": where}]
    errors = []
    if vehicle.get("route") not in CarRoute.values:
        errors.append(_("%(where)s: route must be scrappage or replacement.") % {"where": where})
    if vehicle.get("powertrain") not in Powertrain.values:
        errors.append(_("%(where)s: powertrain must be nev or fuel.") % {"where": where})
    days = vehicle.get("zero_mileage_days", 0)
    if not isinstance(days, int) or isinstance(days, bool) or days < 0:
        errors.append(_("%(where)s: zero_mileage_days must be a whole number ≥ 0.") % {"where": where})
    if "max_displacement" in vehicle:
        value = _decimal(vehicle["max_displacement"])
        if value is None or value <= 0:
            errors.append(_("%(where)s: max_displacement must be a positive number of litres.") % {"where": where})
    return errors


def validate_rules(rules) -> None:
    """Raise django's ValidationError listing every problem of the rule set."""
    from django.core.exceptions import ValidationError

    problems = rules_problems(rules)
    if problems:
        raise ValidationError({"rules": problems})


# --- using a rule set -----------------------------------------------------------------------------


def category_of(rules: dict, code: str) -> dict | None:
    for category in rules.get("categories", []):
        if category.get("code") == code:
            return category
    return None


def deadlines_of(rules: dict) -> dict:
    return {**DEFAULT_DEADLINES, **(rules.get("deadlines") or {})}


def subsidy_for(category: dict, *, price, grade: int | None = None) -> Decimal:
    """The subsidy for one item at this price (before the subsidy), to the fen.

    Raises FormulaError when the product is not eligible: a grade without a rate, a price below the
    minimum or above the ceiling.
    """
    formula = category["formula"]
    price = money(price)
    if price <= 0:
        raise FormulaError(RejectCode.PRICE_OUT_OF_RANGE, _("The price must be more than zero."))
    low, high = _decimal(formula.get("min_price")), _decimal(formula.get("max_price"))
    if low is not None and price < low:
        raise FormulaError(
            RejectCode.PRICE_OUT_OF_RANGE,
            _("%(name)s: the price %(price)s is below the minimum of %(min)s yuan.")
            % {"name": category["name"], "price": price, "min": money(low)},
        )
    if high is not None and price > high:
        raise FormulaError(
            RejectCode.PRICE_OUT_OF_RANGE,
            _("%(name)s: the price %(price)s is above the ceiling of %(max)s yuan.")
            % {"name": category["name"], "price": price, "max": money(high)},
        )
    kind = formula["type"]
    if kind == "fixed":
        amount = money(formula["amount"])
    else:
        if kind == "rate_by_grade":
            rate = formula["rates"].get(str(grade)) if grade is not None else None
            if rate is None:
                grades = "、".join(sorted(formula["rates"]))
                raise FormulaError(
                    RejectCode.NOT_ELIGIBLE,
                    _("%(name)s: only grade %(grades)s energy efficiency is subsidised; this product is %(grade)s.")
                    % {"name": category["name"], "grades": grades, "grade": grade if grade is not None else "—"},
                )
        else:
            rate = formula["rate"]
        amount = money(price * Decimal(str(rate)))
        cap = _decimal(formula.get("cap"))
        if cap is not None:
            amount = min(amount, money(cap))
    # The subsidy never exceeds the price itself.
    return min(amount, price)


@dataclass(frozen=True)
class ClaimFacts:
    """What a claim says about the product, as the formula needs it."""

    category: str
    invoice_total: Decimal
    subsidy: Decimal
    energy_grade: int | None = None
    route: str = ""
    powertrain: str = ""
    displacement: Decimal | None = None
    serial_number: str = ""
    recycler_handover_no: str = ""
    scrappage_certificate_no: str = ""
    invoice_no: str = ""


def check_claim(rules: dict, facts: ClaimFacts) -> Decimal:
    """The subsidy the rules give this claim; raises FormulaError when the claim breaks them
    (unknown category, vehicle not matching the route, missing proof, ineligible product, or a
    subsidy that differs from the formula by as much as a fen)."""
    category = category_of(rules, facts.category)
    if category is None:
        codes = ", ".join(c["code"] for c in rules.get("categories", []))
        raise FormulaError(
            RejectCode.UNKNOWN_CATEGORY,
            _("The category %(code)r is not part of this programme (it has: %(codes)s).")
            % {"code": facts.category, "codes": codes},
        )
    vehicle = category.get("vehicle")
    if vehicle:
        if (
            facts.route
            and facts.route != vehicle["route"]
            or facts.powertrain
            and facts.powertrain != vehicle["powertrain"]
        ):
            raise FormulaError(
                RejectCode.NOT_ELIGIBLE,
                _("%(name)s is for route %(route)s and powertrain %(powertrain)s; the claim says %(r)s / %(p)s.")
                % {
                    "name": category["name"],
                    "route": vehicle["route"],
                    "powertrain": vehicle["powertrain"],
                    "r": facts.route or "—",
                    "p": facts.powertrain or "—",
                },
            )
        limit = _decimal(vehicle.get("max_displacement"))
        if limit is not None:
            if facts.displacement is None or Decimal(str(facts.displacement)) > limit:
                raise FormulaError(
                    RejectCode.NOT_ELIGIBLE,
                    _("%(name)s: only cars of %(limit)s L or less qualify; the displacement is %(value)s.")
                    % {"name": category["name"], "limit": limit, "value": facts.displacement or "—"},
                )
    proofs = {
        Proof.SERIAL_NUMBER: facts.serial_number,
        Proof.RECYCLER_HANDOVER: facts.recycler_handover_no,
        Proof.SCRAPPAGE_CERTIFICATE: facts.scrappage_certificate_no,
        Proof.INVOICE: facts.invoice_no,
    }
    missing = [str(Proof(p).label) for p in category.get("proof", []) if not (proofs.get(p) or "").strip()]
    if missing:
        raise FormulaError(
            RejectCode.MISSING_PROOF,
            _("%(name)s needs this proof: %(missing)s.") % {"name": category["name"], "missing": "; ".join(missing)},
        )
    expected = subsidy_for(category, price=facts.invoice_total, grade=facts.energy_grade)
    if money(facts.subsidy) != expected:
        raise FormulaError(
            RejectCode.FORMULA_MISMATCH,
            _("The subsidy %(given)s differs from the %(expected)s yuan the rules give for %(name)s at %(price)s yuan.")
            % {
                "given": money(facts.subsidy),
                "expected": expected,
                "name": category["name"],
                "price": money(facts.invoice_total),
            },
        )
    return expected
