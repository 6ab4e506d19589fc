"""Spotting two spellings of one government body: 区工信局 / 区工业和信息化局 / 工信局.

Chinese bureau names are shortened by keeping characters of the full name in order (工业和信息化局
→ 工信局) and by dropping the jurisdiction prefix (区, 市, 县). A short name whose characters appear in
order in a longer one, with the same kind of ending, is proposed as an alias; a person confirms.
"""

from liangxin.core.names import normalize_name

_PREFIXES = ("区", "市", "县", "镇", "乡")
_ENDINGS = ("委员会", "局", "委", "办", "中心", "社", "公司", "分局", "部", "院", "所", "站", "队", "行", "会")


def _core(name: str) -> str:
    key = normalize_name(name)
    for prefix in _PREFIXES:
        if key.startswith(prefix) and len(key) > 2:
            return key[len(prefix) :]
    return key


def _ending(name: str) -> str:
    key = normalize_name(name)
    if key.endswith("委员会"):
        return "委"
    for ending in _ENDINGS:
        if key.endswith(ending):
            return ending
    return ""


def _in_order(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def looks_like_alias(a: str, b: str) -> bool:
    """Whether two different names plausibly spell the same body."""
    ka, kb = normalize_name(a), normalize_name(b)
    if ka == kb or not ka or not kb:
        return False
    if _ending(ka) != _ending(kb):
        return False
    short, long = sorted((_core(ka), _core(kb)), key=len)
    if short == long:
        return True
    if len(short) < 2 or short[0] != long[0]:
        return False
    return _in_order(short, long)
