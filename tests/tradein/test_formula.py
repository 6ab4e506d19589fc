"""The subsidy formula with worked figures from the 2024, 2025 and 2026 national rule sets."""

from decimal import Decimal

import pytest

from liangxin.tradein.formula import ClaimFacts, FormulaError, category_of, check_claim, rules_problems, subsidy_for
from liangxin.tradein.services.programmes import ruleset_load

D = Decimal


def cat(year, code):
    return category_of(ruleset_load(year), code)


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_the_national_rule_sets_are_valid(year):
    assert rules_problems(ruleset_load(year)) == []


def test_2025_grade_1_fridge_at_4999_gets_20_percent():
    assert subsidy_for(cat(2025, "fridge"), price=D("4999"), grade=1) == D("999.80")


def test_2025_grade_2_fridge_gets_15_percent_up_to_the_2000_cap():
    # 15 % of 12,000 is 1,800, still under the cap; 15 % of 14,000 would be 2,100.
    assert subsidy_for(cat(2025, "fridge"), price=D("12000"), grade=2) == D("1800.00")
    assert subsidy_for(cat(2025, "fridge"), price=D("14000"), grade=2) == D("2000.00")
    assert subsidy_for(cat(2025, "fridge"), price=D("12000"), grade=1) == D("2000.00")


def test_2025_grade_2_washer_at_3000_gets_15_percent():
    assert subsidy_for(cat(2025, "washer"), price=D("3000"), grade=2) == D("450.00")


def test_2024_grade_1_tv_at_13000_is_capped_at_2000():
    assert subsidy_for(cat(2024, "tv"), price=D("13000"), grade=1) == D("2000.00")


def test_2024_has_no_phones():
    assert cat(2024, "phone") is None


def test_2026_grade_1_only_at_15_percent_capped_at_1500():
    assert subsidy_for(cat(2026, "fridge"), price=D("4999"), grade=1) == D("749.85")
    assert subsidy_for(cat(2026, "fridge"), price=D("12000"), grade=1) == D("1500.00")


def test_2026_refuses_a_grade_2_appliance():
    with pytest.raises(FormulaError) as exc:
        subsidy_for(cat(2026, "fridge"), price=D("4999"), grade=2)
    assert exc.value.code == "not_eligible"


def test_2025_phone_15_percent_capped_at_500_up_to_6000():
    assert subsidy_for(cat(2025, "phone"), price=D("2999"), grade=None) == D("449.85")
    assert subsidy_for(cat(2025, "phone"), price=D("5999"), grade=None) == D("500.00")
    assert subsidy_for(cat(2025, "phone"), price=D("6000"), grade=None) == D("500.00")
    with pytest.raises(FormulaError) as exc:
        subsidy_for(cat(2025, "phone"), price=D("6000.01"))
    assert exc.value.code == "price_out_of_range"


def test_2025_ebike_500_fixed_from_1500():
    assert subsidy_for(cat(2025, "ebike"), price=D("1500")) == D("500.00")
    assert subsidy_for(cat(2025, "ebike"), price=D("3899")) == D("500.00")
    with pytest.raises(FormulaError) as exc:
        subsidy_for(cat(2025, "ebike"), price=D("1499.99"))
    assert exc.value.code == "price_out_of_range"


@pytest.mark.parametrize(
    ("code", "amount"),
    [
        ("car_scrappage_nev", "20000.00"),
        ("car_scrappage_fuel", "15000.00"),
        ("car_replacement_nev", "15000.00"),
        ("car_replacement_fuel", "13000.00"),
    ],
)
def test_2025_cars_by_route(code, amount):
    assert subsidy_for(cat(2025, code), price=D("150000")) == D(amount)


def test_2026_cars_are_a_share_of_the_price_with_a_cap():
    assert subsidy_for(cat(2026, "car_scrappage_nev"), price=D("100000")) == D("12000.00")
    assert subsidy_for(cat(2026, "car_scrappage_nev"), price=D("250000")) == D("20000.00")
    assert subsidy_for(cat(2026, "car_replacement_fuel"), price=D("100000")) == D("6000.00")


def test_air_conditioners_allow_three_per_person_in_2025():
    assert cat(2025, "air_conditioner")["per_person_limit"] == 3
    assert cat(2025, "fridge")["per_person_limit"] == 1


def facts(**kw):
    base = {
        "category": "fridge",
        "invoice_total": D("4999"),
        "subsidy": D("999.80"),
        "energy_grade": 1,
        "serial_number": "SN1",
        "recycler_handover_no": "HS1",
        "invoice_no": "INV1",
    }
    base.update(kw)
    return ClaimFacts(**base)


def test_check_claim_accepts_the_exact_subsidy():
    assert check_claim(ruleset_load(2025), facts()) == D("999.80")


def test_check_claim_refuses_a_subsidy_one_fen_off():
    with pytest.raises(FormulaError) as exc:
        check_claim(ruleset_load(2025), facts(subsidy=D("999.81")))
    assert exc.value.code == "formula_mismatch"
    assert "999.80" in exc.value.message


def test_check_claim_refuses_an_unknown_category():
    with pytest.raises(FormulaError) as exc:
        check_claim(ruleset_load(2025), facts(category="yacht"))
    assert exc.value.code == "unknown_category"


def test_check_claim_wants_the_recycler_handover_for_appliances():
    with pytest.raises(FormulaError) as exc:
        check_claim(ruleset_load(2025), facts(recycler_handover_no=""))
    assert exc.value.code == "missing_proof"


def test_a_fuel_car_above_2_litres_is_not_eligible():
    rules = ruleset_load(2025)
    car = facts(
        category="car_scrappage_fuel",
        invoice_total=D("150000"),
        subsidy=D("15000"),
        energy_grade=None,
        scrappage_certificate_no="BF1",
        displacement=D("2.5"),
    )
    with pytest.raises(FormulaError) as exc:
        check_claim(rules, car)
    assert exc.value.code == "not_eligible"
    assert check_claim(rules, ClaimFacts(**{**car.__dict__, "displacement": D("1.5")})) == D("15000.00")


def test_rules_problems_name_what_is_wrong():
    problems = rules_problems(
        {
            "categories": [
                {"code": "fridge", "name": "电冰箱", "formula": {"type": "rate", "rate": "1.5"}},
                {"code": "fridge", "name": "", "formula": {"type": "magic"}, "per_person_limit": 0},
            ]
        }
    )
    assert len(problems) == 5
    assert any("rate" in p for p in problems)
    assert len(rules_problems([])) == 1
