"""Normalising the names people write, so that two spellings of one body can be matched."""

import re
import unicodedata

_SPACE = re.compile(r"\s+")


def normalize_name(name: str) -> str:
    """The matching key of a written name: NFKC, no whitespace. The written form is stored as is."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", name or ""))


def guess_unit_kind(name: str) -> str:
    from .enums import UnitKind

    key = normalize_name(name)
    if key.endswith(("公司", "银行", "分行", "供电公司")) or "公司" in key:
        return UnitKind.COMPANY
    if key.endswith(("区", "县", "市", "镇", "乡", "街道", "开发区", "管委会")):
        return UnitKind.SUBDIVISION
    return UnitKind.BUREAU
