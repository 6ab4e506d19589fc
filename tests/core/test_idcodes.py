import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from liangxin.core import idcodes


@pytest.fixture(autouse=True)
def english():
    """The reasons are asserted in English (the msgids); the Chinese catalog is tested elsewhere."""
    with translation.override("en"):
        yield


@pytest.mark.parametrize("code", ["91350100M000100Y43", "9144030071526726XG", "914403001922038216"])
def test_real_unified_social_credit_codes_pass(code):
    assert idcodes.uscc_problem(code) is None


def test_full_width_and_lower_case_code_is_normalised_before_checking():
    assert idcodes.uscc_problem("９１３５０１００m０００１００y４３") is None
    assert idcodes.normalise_uscc(" 91350100m000100y43 ") == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("91440300192203821X", "check character"),
        ("9144030019220382", "18 characters"),
        ("91440300192203821I", "cannot contain I"),
        ("91AB0300192203821X", "region"),
        ("", "empty"),
    ],
)
def test_bad_unified_social_credit_codes_say_why(code, words):
    assert words in idcodes.uscc_problem(code)


def test_validate_uscc_raises_a_validation_error_with_the_reason():
    with pytest.raises(ValidationError, match="check character"):
        idcodes.validate_uscc("91440300192203821X")


@given(st.text(alphabet=idcodes.USCC_ALPHABET, min_size=17, max_size=17).filter(lambda s: s[2:8].isdigit()))
def test_every_generated_code_passes_and_one_changed_character_fails(first17):
    code = idcodes.uscc_from(first17)
    assert idcodes.uscc_problem(code) is None
    other = next(c for c in idcodes.USCC_ALPHABET if c != code[-1])
    assert "check character" in idcodes.uscc_problem(code[:-1] + other)


@pytest.mark.parametrize("code", ["11010519491231002X", "11010519491231002x"])
def test_identity_number_with_x_check_character_passes(code):
    assert idcodes.resident_id_problem(code) is None


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("110105194912310021", "check character"),
        ("11010519491331002X", "not a date"),
        ("99010519491231002X", "province"),
        ("1101051949123100", "18 characters"),
        ("1101051949123100AX", "17 digits"),
    ],
)
def test_bad_identity_numbers_say_why(code, words):
    assert words in idcodes.resident_id_problem(code)


def test_generated_identity_number_passes_validation():
    code = idcodes.resident_id_from("12011319900307123")
    assert len(code) == 18 and idcodes.resident_id_problem(code) is None
    idcodes.validate_resident_id(code)


def test_the_reasons_are_in_chinese_for_chinese_users():
    with translation.override("zh-hans"):
        assert idcodes.uscc_problem("91440300192203821X") == "统一社会信用代码校验位不正确（是否输错了某一位？）。"
        assert idcodes.resident_id_problem("1101051949123100") == "身份证号应为18位，此号码为16位。"
