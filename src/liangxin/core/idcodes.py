"""Check characters of the two national identifiers the programme handles.

- 公民身份号码 (GB 11643-1999): 17 digits (region, birth date, sequence) and an ISO 7064 MOD 11-2
  check character, 0-9 or X.
- 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-letter alphabet (no I, O, S, V, Z); the
  last is a MOD 31 check character over the first 17.

`*_problem` functions answer with a translated reason or None, so forms, imports and the API can
say exactly what is wrong; `validate_*` wrap them as Django validators. Input is normalised (NFKC,
upper case, surrounding spaces removed) before checking, so a full-width code typed on a Chinese
keyboard is accepted; `normalise_*` gives that canonical form for storage and matching.
"""

import datetime
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
# The first two digits name a province-level division (GB/T 2260).
ID_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
    "50 51 52 53 54 61 62 63 64 65 71 81 82 83 91".split()
)

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _clean(value: str) -> str:
    return unicodedata.normalize("NFKC", str(value or "")).strip().upper()


# --- 公民身份号码 ---------------------------------------------------------------------------------


def resident_id_check_char(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11]


def normalise_resident_id(value: str) -> str:
    return _clean(value)


def resident_id_problem(value: str) -> str | None:
    code = _clean(value)
    if not code:
        return _("The identity number is empty.")
    if len(code) != 18:
        return _("An identity number has 18 characters; this one has %(n)d.") % {"n": len(code)}
    if not code[:17].isdigit() or not (code[17].isdigit() or code[17] == "X"):
        return _("An identity number is 17 digits followed by a digit or X.")
    if code[:2] not in ID_PROVINCES:
        return _("The identity number's region code %(code)s is not a province of China.") % {"code": code[:2]}
    try:
        born = datetime.date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    except ValueError:
        return _("The identity number's birth date %(date)s is not a date.") % {"date": code[6:14]}
    if born.year < 1900 or born > datetime.date.today():
        return _("The identity number's birth date %(date)s is not plausible.") % {"date": code[6:14]}
    if resident_id_check_char(code[:17]) != code[17]:
        return _("The identity number's check character is wrong (a digit mistyped?).")
    return None


def validate_resident_id(value: str) -> None:
    problem = resident_id_problem(value)
    if problem:
        raise ValidationError(problem, code="resident_id")


# --- 统一社会信用代码 -----------------------------------------------------------------------------


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def normalise_uscc(value: str) -> str:
    return _clean(value)


def uscc_problem(value: str) -> str | None:
    code = _clean(value)
    if not code:
        return _("The unified social credit code is empty.")
    if len(code) != 18:
        return _("A unified social credit code has 18 characters; this one has %(n)d.") % {"n": len(code)}
    wrong = sorted({c for c in code if c not in USCC_ALPHABET})
    if wrong:
        return _("A unified social credit code cannot contain %(chars)s.") % {"chars": "、".join(wrong)}
    if not code[2:8].isdigit():
        return _("Characters 3 to 8 of a unified social credit code are the region's six digits.")
    if uscc_check_char(code[:17]) != code[17]:
        return _("The unified social credit code's check character is wrong (a character mistyped?).")
    return None


def validate_uscc(value: str) -> None:
    problem = uscc_problem(value)
    if problem:
        raise ValidationError(problem, code="uscc")


def uscc_from(first17: str) -> str:
    """A valid code from its first 17 characters: for demo data and tests."""
    first17 = _clean(first17)
    return first17 + uscc_check_char(first17)


def resident_id_from(first17: str) -> str:
    """A valid identity number from its first 17 digits: for demo data and tests."""
    return first17 + resident_id_check_char(first17)
