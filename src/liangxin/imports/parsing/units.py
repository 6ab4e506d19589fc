"""Recognising government units and reading a task's marked assignment.

A unit is recognised by its shape, never by a list of names: it ends the way Chinese government
bodies end (…局, …委, …办, …委员会, …中心, …分局, …公司, …分行, …社, …部, …支队, …街 …) and is not a
generic phrase (各成员单位, 各镇街, 有关部门, 区政府 …).

An assignment is the plan's own marking of who does a task, in one of these shapes:

- labelled: ``牵头单位：A；责任单位：B、C等`` (also 牵头部门/主责单位 and 责任部门/配合单位/协办单位 …);
- marked by a verb: ``A牵头``, ``A牵头负责``, ``A牵头，B、C配合``, ``（A负责）`` with one unit;
- a shared list: ``（A、B等部门按职责分工负责）`` — everyone responsible, no lead;
- a plan-wide rule such as ``排名第一的为牵头单位`` makes the first unit of an unlabelled list the lead.
"""

import bisect
import re
from collections import namedtuple
from dataclasses import dataclass, field

from .text import Condensed, nfkc_key

LEAD, RESPONSIBLE = "lead", "responsible"

_SUFFIX = re.compile(
    r"(?:委员会|管委会|办公室|办事处|分局|分行|支行|分公司|公司|集团|银行|中心|总队|支队|大队|中队|联社|供销社|"
    r"研究院|研究所|工会|联合会|商会|协会|街道|海关|科协|"
    r"局|委|办|厅|署|部|院|所|站|队|社|行|处|室|科|会|联|街|镇|乡|团|馆|台)$"
)
# Places stand as units only where the plan names them as members or in a list of their own.
_PLACE_SUFFIX = re.compile(r"(?:区|县|市|旗|镇|乡|开发区|高新区|园区|新区|示范区|管理区|经济区|工业园)$")

_GENERIC_START = re.compile(
    r"^(?:各|其他|其它|有关|相关|上述|以上|下列|所有|全体|本级|属地|所在|所属|我|本|全市|全区|全县|全省|该|其|辖区|"
    r"(?:市直|区直|县直|省直|市级|区级|县级)(?:各|有关|相关|部门|单位|机关))"
)
_GENERIC_ANY = re.compile(
    r"(?:有关|相关|成员|主管|行业|职能|责任|招商|牵头|配合|属地|重点|直属)(?:部门|单位|企业)|各(?:部门|单位|级)|"
    r"(?:部门|单位|企业|机构|主体|人员|同志)$|^(?:部门|单位)|各[\u4e00-\u9fff]|镇街|街镇|乡镇|等$"
)
# Bodies that receive reports or stand for the government as a whole are not units of the plan.
_GENERIC_WHOLE = re.compile(
    r"^(?:[省市区县]?(?:委|政府|人民政府|委区政府|委市政府|委县政府|委员会|人大|政协))$|"
    r"^(?:街道办事处|办事处|镇人民政府|乡人民政府|人民政府|街道|社区|园区|开发区|高新区|经开区|新区|管委会|镇|乡|村|"
    r"市区|城区|郊区|县区|县市区|市县|区县|辖区|景区|小区|厂区|矿区|片区|中心城区|主城区|"
    r"金融机构|银行机构|行业协会|高校|企业|院校|学校|医院)$"
)

_LEAD_LABEL = r"(?:牵头单位|牵头部门|主责单位|主责部门|主办单位|牵头责任单位|牵头领导|牵\s*头)"
_RESP_LABEL = (
    r"(?:责任单位|责任部门|配合单位|配合部门|协办单位|协办部门|协同单位|协同部门|参与单位|参与部门|责任主体|"
    r"实施单位|推进单位|落实单位|承办单位|成员单位|责\s*任|配\s*合|参\s*与|协\s*办)"
)
LABEL = re.compile(r"【?(" + _LEAD_LABEL + r"|" + _RESP_LABEL + r")(?:[:：]|】)")
_LEAD_LABEL_RE = re.compile(r"^" + _LEAD_LABEL + r"$")

_RESP_MARK = re.compile(
    r"(?:(?:按照?|依照?|根据)?(?:各自)?(?:职责|职能|工作)?(?:分工)?(?:共同)?(?:负责|落实|推进|实施)|分工负责|"
    r"各负其责|各司其职|分别负责|共同负责|配合(?:负责|做好|推进|落实)?|协助|协同|参与|为(?:责任|配合)(?:单位|部门))$"
)
_SHARED_WORDS = re.compile(r"职责|职能|分工|各自|共同|分别")
_LEAD_MARK = re.compile(r"(?:牵头(?:负责|落实|推进|实施|组织)?|负责牵头|为牵头(?:单位|部门)|主责|主抓)$")
_PLAIN_DUTY = re.compile(r"(?:负责|落实|推进|实施)$")
_NOTE = re.compile(r"以下均|不再(?:一一)?列出|下同|同上|不再重复|不再一一")

_LEADING_JUNK = re.compile(r"^(?:由|会同|联合|指导|协调|督促|支持|在|及|和|以及|与|并|请|组织|积极|其中|即)+")
_TRAILING_JUNK = re.compile(r"(?:等(?:部门|单位|有关部门|相关部门)?|分别|共同|具体|按照|按|依照|根据)+$")

FIRST_IS_LEAD = re.compile(
    r"(?:排名|排序|排列|列)?(?:第一|首位|第一位|首个|第一个)(?:的|位)?(?:单位|部门)?(?:为|是)牵头(?:单位|部门)|"
    r"(?:排名|排序|排列)(?:在)?(?:第一|首位|前)的?(?:单位|部门)?(?:为|是)牵头"
)
ALL_ARE_LEAD = re.compile(r"(?:所列|以上|上述)?(?:责任单位|责任部门)(?:均)?(?:为|是)牵头(?:单位|部门)")


@dataclass
class Rules:
    """Plan-wide rules about reading assignments."""

    first_is_lead: bool = False
    all_responsible_lead: bool = False

    @classmethod
    def of(cls, fold_text: str) -> "Rules":
        return cls(
            first_is_lead=bool(FIRST_IS_LEAD.search(fold_text)),
            all_responsible_lead=bool(ALL_ARE_LEAD.search(fold_text)),
        )


@dataclass
class Assignment:
    lead: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    # (name, start, end) offsets into the original for each unit, in reading order
    found: list[tuple[str, int, int]] = field(default_factory=list)
    generic_only: bool = False

    def names(self) -> list[str]:
        return [n for n, _, _ in self.found]


def is_generic(name: str) -> bool:
    return bool(_GENERIC_START.match(name) or _GENERIC_ANY.search(name) or _GENERIC_WHOLE.match(name))


def is_unit(name: str, *, places: bool = False) -> bool:
    """Whether ``name`` (folded, no whitespace) is shaped like a government unit."""
    if not 2 <= len(name) <= 30 or is_generic(name):
        return False
    if re.search(r"[，。；：,;:！？!?“”\"《》<>]|\d{3,}", name):
        return False
    if not re.search(r"[\u4e00-\u9fff]", name):
        return False
    if _SUFFIX.search(name) and len(name) >= 3:
        return True
    if places and _PLACE_SUFFIX.search(name):
        m = _PLACE_SUFFIX.search(name)
        stem = name[: m.start()]
        if not stem or stem[0] in "市区县省":
            return False
        # a county may have a one-character name (X县); a district or city has two or more
        return len(stem) >= 2 or m.group(0) in ("县", "旗")
    return False


def _split_on_conjunction(token_fold: str, places: bool = False) -> list[tuple[int, int]]:
    """Split ``A和B`` / ``A及B`` / ``A与B`` when both sides are units; ranges within the token."""
    for m in re.finditer(r"以及|和|及|与", token_fold):
        left, right = token_fold[: m.start()], token_fold[m.end() :]
        if is_unit(_clean(left)[0], places=places) and is_unit(_clean(right)[0], places=places):
            return [(0, m.start()), (m.end(), len(token_fold))]
    return [(0, len(token_fold))]


def _clean(text: str) -> tuple[str, int, int]:
    """Strip connective words around a unit name: (name, start offset, end offset) in ``text``."""
    start, end = 0, len(text)
    m = _LEADING_JUNK.match(text)
    if m and m.end() < len(text):
        start = m.end()
    m = _TRAILING_JUNK.search(text[start:])
    if m and m.start() > 0:
        end = start + m.start()
    return text[start:end], start, end


FoundUnit = namedtuple("FoundUnit", "name start end i j lead_mark")
_LEAD_PAREN = re.compile(r"\((?:牵头|牵头单位|牵头部门|主责|主责单位|牵头负责)\)$")


def units_in(c: Condensed, i: int, j: int, *, places: bool = False) -> tuple[list[FoundUnit], bool]:
    """Units listed in condensed characters [i, j) and whether a generic phrase was met.

    Items are separated by 、，；/ (not inside brackets), by 等 after a unit, by 和/及/与 between
    two units and by a line break between two units. ``X（牵头）`` marks X as the lead."""
    found: list[FoundUnit] = []
    generic = False
    text = c.fold
    bounds = [i]
    depth = 0
    for k in range(i, j):
        ch = text[k]
        if ch in "〔[【(":
            depth += 1
        elif ch in "〕]】)":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in "、，,；;/／":
            bounds.append(k)
            bounds.append(k + 1)
    bounds.append(j)
    tokens = []
    breaks = sorted(k for k in c.breaks if i < k < j)
    for a, b in zip(bounds[0::2], bounds[1::2], strict=False):
        # a line break between two units separates them
        lo, hi = bisect.bisect_right(breaks, a), bisect.bisect_left(breaks, b)
        cuts = [a] + breaks[lo:hi] + [b]
        start = a
        for k in cuts[1:-1]:
            left = _clean(text[start:k])[0]
            if is_unit(_strip_lead_paren(left)[0], places=places) and _starts_with_unit(text[k:b], places):
                tokens.append((start, k))
                start = k
        tokens.append((start, b))
    for a, b in tokens:
        if a >= b:
            continue
        pieces = []
        token = text[a:b]
        pos = 0
        for m in re.finditer(r"等", token):
            left = _clean(token[pos : m.start()])[0]
            if is_unit(_strip_lead_paren(left)[0], places=places):
                pieces.append((a + pos, a + m.start()))
                pos = m.end()
        pieces.append((a + pos, b))
        for pa, pb in pieces:
            for sa, sb in _split_on_conjunction(text[pa:pb], places):
                name, s, e = _clean(text[pa + sa : pa + sb])
                name, cut, lead_mark = _strip_lead_paren(name)
                e -= cut
                if not name:
                    continue
                if is_unit(name, places=places):
                    start, end = pa + sa + s, pa + sa + e
                    span = c.span(start, end)
                    found.append(FoundUnit(c.work[start:end], span[0], span[1], start, end, lead_mark))
                elif is_generic(name) or re.search(r"部门|单位|各", name):
                    generic = True
    return found, generic


def _strip_lead_paren(name: str) -> tuple[str, int, bool]:
    """``X(牵头)`` → X, and ``X(Y)`` with Y another name of the same body (区住建委（区人防办）) → X."""
    m = _LEAD_PAREN.search(name)
    if m and m.start() > 0:
        return name[: m.start()], len(name) - m.start(), True
    m = re.search(r"\(([^()]{2,20})\)$", name)
    if m and m.start() > 0 and is_unit(name[: m.start()], places=True) and is_unit(m.group(1), places=True):
        return name[: m.start()], len(name) - m.start(), False
    return name, 0, False


def _starts_with_unit(text: str, places: bool) -> bool:
    if re.match(r"(?:分|支|总|中心|公司|局|委|办|部|处|科|队|所|站|社|行)", text):
        return False  # the tail of a name broken across lines (…朔州市 / 分行)
    for k in range(2, min(len(text), 30) + 1):
        if is_unit(text[:k], places=places):
            return True
    return False


def _segments(text: str, i: int, j: int) -> list[tuple[int, int]]:
    """Split [i, j) at ，；。 outside brackets, and before every label (牵头单位：, 责任单位：)."""
    labels = {m.start() for m in LABEL.finditer(text, i, j)}
    out, depth, start = [], 0, i
    for k in range(i, j):
        ch = text[k]
        if k in labels and k > start and depth == 0:
            out.append((start, k))
            start = k
        if ch in "〔[【(":
            depth += 1
        elif ch in "〕]】)":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in "，,；;。":
            out.append((start, k))
            start = k + 1
    out.append((start, j))
    return [(a, b) for a, b in out if a < b]


def read_assignment(c: Condensed, i: int, j: int, rules: Rules) -> Assignment:
    """Read the assignment written in condensed characters [i, j) (parenthesis content or a line)."""
    text = c.fold
    result = Assignment()
    parts = []  # [role or None, explicit label?, units, plain 负责 with one unit?]
    label_role = None
    for a, b in _segments(text, i, j):
        seg = text[a:b]
        if _NOTE.search(seg):
            continue
        role, explicit = None, False
        m = LABEL.match(seg)
        if m:
            label_role = LEAD if _LEAD_LABEL_RE.match(re.sub(r"\s", "", m.group(1))) else RESPONSIBLE
            a = a + m.end()
            seg = text[a:b]
            role, explicit = label_role, True
        plain = False
        body_end = b
        mark = _LEAD_MARK.search(seg)
        if mark:
            body_end = a + mark.start()
            if not explicit:
                role = LEAD
        else:
            mark = _RESP_MARK.search(seg)
            if mark:
                body_end = a + mark.start()
                if not explicit:
                    word = mark.group(0)
                    plain = bool(_PLAIN_DUTY.fullmatch(word)) and "等" not in seg[: mark.start()]
                    role = RESPONSIBLE
        if role is None and label_role is not None:
            role, explicit = label_role, True
        units, generic = units_in(c, a, body_end, places=True)
        if generic and not units:
            result.generic_only = True
        parts.append([role, explicit, units, plain])
    # unmarked segments take the role of the next marked one, else of the previous
    for k, part in enumerate(parts):
        if part[0] is None:
            nxt = next((p[0] for p in parts[k + 1 :] if p[0] is not None), None)
            prv = next((p[0] for p in reversed(parts[:k]) if p[0] is not None), None)
            part[0] = nxt or prv
    # "(A负责)" with a single unit leads; "(A、B负责)" shares the work
    for part in parts:
        if part[3] and part[0] == RESPONSIBLE:
            if len(part[2]) == 1 and not any(p[0] == LEAD for p in parts if p is not part):
                part[0] = LEAD
    all_units = [u for p in parts for u in p[2]]
    marked = any(u.lead_mark for u in all_units)
    has_lead = marked or any(p[0] == LEAD for p in parts if p[2])
    if not has_lead and all_units:
        if rules.all_responsible_lead:
            for p in parts:
                p[0] = LEAD
        elif rules.first_is_lead:
            first = all_units[0]
            for p in parts:
                if first in p[2]:
                    p[0] = "first"
    seen = set()
    for role, _explicit, units, _plain in parts:
        for k, unit in enumerate(units):
            if unit.lead_mark:
                target = result.lead
            elif role == "first":
                target = result.lead if k == 0 and not result.lead else result.responsible
            elif role == LEAD and not marked:
                target = result.lead
            else:
                target = result.responsible
            key = _key(unit.name)
            if key not in seen:
                seen.add(key)
                target.append(unit.name)
            result.found.append((unit.name, unit.start, unit.end))
    if all_units:
        result.generic_only = False
    return result


def _key(name: str) -> str:
    return nfkc_key(name)


def looks_like_assignment(content_fold: str) -> bool:
    """Whether the content of a parenthesis reads as an assignment rather than a remark."""
    if LABEL.search(content_fold):
        return True
    if re.search(r"负责|牵头|配合|分工|协办|各司其职|各负其责", content_fold):
        return True
    return False
