"""Reading the quantity a table cell states: 达到25家 → (25, "家"); 13.6亿元 → (13.6, "亿元")."""

import re
import unicodedata

_UNITS = (
    "个百分点|万平方米|平方米|平方公里|公里|千米|万千瓦|千瓦|兆瓦|蒸吨/小时|蒸吨|万吨|吨|亿元|万元|元|"
    "台（套）|台\\(套\\)|台套|台|辆|家|个|项|座|所|套|户|人|张|条|处|%"
)
_QUANTITY = re.compile(r"(\d+(?:\.\d+)?)\s*(" + _UNITS + r")")
# The level a cell reaches is named after these words; a bare change (新增5家) comes first otherwise.
_LEVEL_WORDS = ("累计", "达到", "达", "为", "总数", "共")


def cell_quantity(text: str | None) -> tuple[int | float | None, str | None]:
    """The level the cell states, preferring the number after 累计/达到; (None, None) when none."""
    if not text:
        return None, None
    plain = unicodedata.normalize("NFKC", text)
    matches = [m for m in _QUANTITY.finditer(plain) if not _is_year(plain, m)]
    if not matches:
        return None, None
    chosen = matches[0]
    for m in matches:
        before = plain[max(0, m.start() - 6) : m.start()]
        if any(word in before for word in _LEVEL_WORDS):
            chosen = m
    number = float(chosen.group(1))
    unit = chosen.group(2).replace("(", "（").replace(")", "）")
    return (int(number) if number.is_integer() else number), unit


def _is_year(text: str, match: re.Match) -> bool:
    return len(match.group(1)) == 4 and text[match.end(1) : match.end(1) + 1] == "年"
