"""Quantified targets: year, comparator, value, unit (and basis) from a stretch of plan text.

Reading rules (plan-format.md, TARGET):

- Text is read in sentences (。) and clauses (，；：). Book titles 《…》, quotations “…” and
  parentheses are set aside first, so 2024年版, (5G), “1+6+17” and assignments never count; a unit
  in parentheses right after a number (台（套）, 428（套）) stays.
- A number counts when a measure word follows it (家, 个, %, 亿元, 万平方米, 台（套）, 个百分点 …);
  years (2027年), dates, 第N, labels (5G, 4A级, 1级能效) and durations (10个工作日) do not.
- ``year``: the due year from 到2027年 / 2027年，… at the start of a clause; in a task it holds for
  its sentence, in the goal part until the next one. 每年 targets have none.
- ``comparator``: the word bound to the number wins — a suffix (以上 ≥, 以下/以内 ≤, 左右 ~) before a
  prefix right in front of it (不少于/不低于/达到/达 ≥, 超过/超 >, 不超过 ≤, 约 ~), before 力争/争取
  in the sentence (≥); a bare number is ``=``. In a list after 分别 (分别超过90%、75%) the shared words
  apply to every number, and a shared unit (15个、13个百分点) to every member.
- ``basis``: 较/比2023年 → "2023", 较上年/比上年/同比 → "previous_year".
- In a task a clause is a target when it is dated, recurring (每年) or carries a target word
  (达到, 新增, 累计, 完成, 以上 …); "依托120万吨乙烯等重大项目" is none of these. A dated clause
  without a number (到2025年底基本完成…) is a target with no value. In the goal part every clause
  after the first date is a goal, with or without a number.
"""

import re
from dataclasses import dataclass

from .text import Condensed

# Measure words; a magnitude (万, 亿, 千) may precede most of them (万套, 亿千瓦时, 千米).
BASE_UNITS = """个百分点 百分点 平方米 平方公里 立方米 千瓦时 千瓦 兆瓦 吉瓦 吨标准煤 标准煤 吨 蒸吨/小时 蒸吨 公里 米
    元 辆 台(套) 台套 台 (套) 套 户 人次 人 家 个 项 场 所 座 处 条 批 种 款 张 根 件 栋 幢 床 倍 公顷 亩 次 期 轮 部
    % ‰ GW MW kW km""".split()
_MAGNITUDE = "(?:万|亿|千|百万|千万)?"
_NO_MAGNITUDE = {"%", "‰", "个百分点", "百分点", "倍", "GW", "MW", "kW", "km", "(套)"}
UNITS = sorted(BASE_UNITS, key=len, reverse=True)
_UNIT_RE = "|".join((re.escape(u) if u in _NO_MAGNITUDE else _MAGNITUDE + re.escape(u)) for u in UNITS)
QUANTITY = re.compile(r"(?<![\d.+\-/A-Za-z])(\d+(?:\.\d+)?)([余多])?(" + _UNIT_RE + r")?")
CN_TIMES = re.compile(r"([一二两三四五六七八九十]{1,3})倍")
_CN = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}

YEAR_ANY = re.compile(r"(?:到|至|截至|截止)((?:19|20)\d\d)年(?:底|末|年底|前|内)?")
YEAR_START = re.compile(
    r"^(?:力争|争取|计划|预计|确保|今后|其中)?(?:到|至|截至|截止|在)?((?:19|20)\d\d)年(?:底|末|年底|前|内)?(?:前)?"
)
BASIS_YEAR = re.compile(r"[较比]((?:19|20)\d\d)年")
BASIS_PREV = re.compile(r"[较比]上(?:一)?年(?:度)?|同比")
# what has been done already is a status, not a target: 已建成5个, 现有…, 目前…
STATUS = re.compile(
    r"已(?:经)?(?:建成|完成|实施|累计|有|达到|达|培育|创建|形成|拥有|更新|淘汰)|现有|目前|截至目前|共有"
)
SUBSIDY = re.compile(r"给予|补贴|补助|奖励|奖补|贴息|资助|最高|单台|每台|每辆|每户|每家")
RECURRING = re.compile(r"每年|年均|每季度|每月|每半年|逐年")
TARGET_WORDS = re.compile(
    r"达到|达|以上|不少于|不低于|超过|超|左右|约|力争|争取|累计|新增|完成|建成|突破|不超过|以下|以内|增长|提高到|提升至|"
    r"提升到|提高至|下降|减少|控制在|增加"
)
_SUFFIX = [("及以上", ">="), ("以上", ">="), ("及以下", "<="), ("以下", "<="), ("以内", "<="), ("左右", "~")]
_PREFIX = [
    ("不少于", ">="),
    ("不低于", ">="),
    ("不超过", "<="),
    ("不高于", "<="),
    ("超过", ">"),
    ("高于", ">"),
    ("多于", ">"),
    ("大于", ">"),
    ("突破", ">"),
    ("控制在", "<="),
    ("低于", "<="),
    ("少于", "<="),
    ("达到", ">="),
    ("超", ">"),
    ("约", "~"),
    ("达", ">="),
]
_FILLERS = re.compile(r"(?:分别|累计|均|共计|总计|共|总数|总量|规模|为|增加|提高|提升|增长)$")
_EFFORT = re.compile(r"力争|争取")
_NOT_AFTER = re.compile(r"^(?:年|月|日|号|时|个工作日|个月|天|周|小时|分钟|[A-Za-z]|级|类|大类|星|代|型|\+|/\d)")
_LABEL_CLAUSE = re.compile(r"目标$|如下$|主要目标$|工作目标$|具体目标$")


@dataclass
class Found:
    target: dict
    span: tuple[int, int] | None


def _mask(text: str) -> str:
    """Blank out 《…》, “…”, 〔…〕 and parentheses (but keep 台（套）-style unit parentheses)."""
    out = list(text)
    n = len(text)
    pairs = {"《": "》", "“": "”", "〔": "〕", "[": "]", "【": "】", "(": ")", "‘": "’", '"': '"'}
    i = 0
    while i < n:
        ch = text[i]
        if ch in pairs:
            close = pairs[ch]
            depth, j = 1, i + 1
            while j < n and depth:
                if text[j] == ch and close != ch:
                    depth += 1
                elif text[j] == close:
                    depth -= 1
                j += 1
            inner = text[i + 1 : j - 1] if depth == 0 else text[i + 1 : j]
            if ch == "(" and depth == 0 and 1 <= len(inner) <= 2 and not re.search(r"\d", inner):
                i = j  # 台(套): part of a unit
                continue
            for k in range(i, j):
                out[k] = "□"
            i = j
        else:
            i += 1
    return "".join(out)


def _clauses(t: str, a: int, b: int) -> list[tuple[int, int, str]]:
    """Clauses of t[a:b] with the delimiter that closes each."""
    out, start = [], a
    k = a
    while k < b:
        ch = t[k]
        if ch in "，,；;：:":
            out.append((start, k, ch))
            start = k + 1
        k += 1
    out.append((start, b, ""))
    return [(x, y, d) for x, y, d in out if y > x]


def _sentences(t: str) -> list[tuple[int, int]]:
    out, start = [], 0
    k = 0
    n = len(t)
    while k < n:
        if t[k] in "。！？!?":
            out.append((start, k))
            start = k + 1
        elif t.startswith("——", k):
            out.append((start, k))
            k += 2
            start = k
            continue
        k += 1
    out.append((start, n))
    return [(x, y) for x, y in out if y > x]


@dataclass
class _Q:
    start: int
    num_end: int
    end: int
    value: float | int
    unit: str | None  # printed
    bound: str | None = None  # a comparator inside the quantity: 300余个 → ">"


def _quantities(c: Condensed, t: str, a: int, b: int) -> list[_Q]:
    out = []
    for m in QUANTITY.finditer(t, a, b):
        unit_group = m.group(3)
        if m.group(2) and not unit_group:
            continue
        after = t[m.end() : m.end() + 5]
        if unit_group is None:
            if _NOT_AFTER.match(t[m.end(1) : m.end(1) + 5]):
                continue
        elif unit_group == "个" and _NOT_AFTER.match(t[m.start(3) : m.start(3) + 5]):
            continue
        if m.start() > 0 and t[m.start() - 1] == "第":
            continue
        if unit_group is None and after[:1] and after[:1] in "年月日号":
            continue
        if unit_group == "个" and t.startswith("个工作日", m.start(3)):
            continue
        # a threshold that qualifies a noun (超过500万元的项目) is a condition, not a target
        if re.match(r"(?:及以上|以上|以下|以内|左右)?的", t[m.end() : m.end() + 4]):
            continue
        num = float(m.group(1))
        value = int(num) if num.is_integer() and "." not in m.group(1) else num
        unit = c.work[m.start(3) : m.end(3)] if unit_group else None
        out.append(_Q(m.start(), m.end(1), m.end(), value, unit, ">" if m.group(2) else None))
    for m in CN_TIMES.finditer(t, a, b):
        word = m.group(1)
        value = _CN.get(word) if len(word) == 1 else None
        if word == "十":
            value = 10
        if value is None:
            continue
        out.append(_Q(m.start(), m.end(1), m.end(), value, c.work[m.end(1) : m.end()]))
    out.sort(key=lambda q: q.start)
    return out


def _suffix(t: str, pos: int) -> str | None:
    for word, comp in _SUFFIX:
        if t.startswith(word, pos):
            return comp
    return None


def _prefix(t: str, lo: int, pos: int) -> str | None:
    window = t[lo:pos]
    for _ in range(4):
        m = _FILLERS.search(window)
        if not m or m.start() == len(window):
            break
        window = window[: m.start()]
    for word, comp in _PREFIX:
        if window.endswith(word):
            return comp
    return None


def _groups(t: str, qs: list[_Q]) -> list[list[_Q]]:
    groups: list[list[_Q]] = []
    for q in qs:
        if groups:
            last = groups[-1][-1]
            between = t[last.end : q.start]
            # a suffix of the previous member may sit before the 、
            between_core = re.sub(r"^(?:及以上|以上|左右|以下|以内)", "", between)
            if between_core == "、":
                groups[-1].append(q)
                continue
        groups.append([q])
    return groups


def _metric(clause: str, q_start_rel: int, q_end_rel: int) -> str | None:
    after = re.sub(r"^(?:及以上|以上|左右|以下|以内)", "", clause[q_end_rel:])
    after = re.split(r"[、□]", after)[0]
    if len(after) >= 2 and re.match(r"[\u4e00-\u9fff]", after):
        return after
    before = clause[:q_start_rel]
    before = YEAR_START.sub("", before)
    before = re.sub(r"(?:[较比](?:19|20)\d\d年|[较比]上一?年度?)", "", before)
    before = re.sub(
        r"(?:分别|累计|均|共计|总计|力争|争取|达到|达|超过|超|不少于|不低于|不超过|约|为|实现|增长|增加|新增|完成)+$",
        "",
        before,
    )
    before = re.sub(r"^(?:力争|争取|累计|全市|全区|全县|其中)+", "", before)
    before = before.strip("、□")
    return before or None


def extract(
    c: Condensed,
    *,
    goal_mode: bool,
    start_year: int | None = None,
) -> list[Found]:
    """Targets in the condensed text ``c``."""
    t = _mask(c.fold)
    found: list[Found] = []
    year = start_year
    for sa, sb in _sentences(t):
        if not goal_mode:
            year = None
        sentence_effort = None
        sentence_year = False
        recurring_at = None
        prefix_text = ""
        prefix_start = None
        prev_text = None
        for ca, cb, delim in _clauses(t, sa, sb):
            clause = t[ca:cb]
            plain = clause.replace("□", "")
            if not plain:
                continue
            inline_year = False
            if _EFFORT.search(clause):
                sentence_effort = ">="
            m = YEAR_START.match(clause)
            if m:
                year = int(m.group(1))
                sentence_year = True
                rest = clause[m.end() :].replace("□", "")
                rest_core = re.sub(r"^(?:前|底|末|起|开始|以来)", "", rest)
                if not rest_core:
                    prefix_text = c.work[ca:cb] + "，"
                    prefix_start = ca
                    continue
                inline_year = True
            else:
                m = YEAR_ANY.search(clause)
                if m and not BASIS_YEAR.search(clause[max(0, m.start() - 1) : m.end()]):
                    year = int(m.group(1))
                    inline_year = sentence_year = True
            if RECURRING.search(clause) and recurring_at is None:
                recurring_at = ca
            if delim and delim in "：:" and (_LABEL_CLAUSE.search(plain) or len(plain) <= 12):
                prefix_text = ""
                continue
            qs = _quantities(c, t, ca, cb)
            basis = None
            mb = BASIS_YEAR.search(clause)
            if mb:
                basis = "2023" if mb.group(1) == "2023" else None
            elif BASIS_PREV.search(clause):
                basis = "previous_year"
            recurring = recurring_at is not None and not inline_year and not YEAR_START.match(clause)
            target_year = None if (recurring and not goal_mode) else year
            if recurring and goal_mode and RECURRING.search(clause) and not sentence_year:
                target_year = None
            text_start = prefix_start if prefix_start is not None else ca
            text = prefix_text + c.work[ca:cb]
            continuation = bool(re.match(r"^[较比](?:(?:19|20)\d\d年|上一?年)", clause)) and prev_text
            if continuation and goal_mode:
                text = prev_text + "，" + c.work[ca:cb]
            prefix_text, prefix_start = "", None
            if not qs:
                if goal_mode:
                    if len(re.findall(r"[\u4e00-\u9fff]", plain)) >= 4 and year is not None:
                        found.append(Found(_target(text, plain, year, None, None, None, None), c.span(text_start, cb)))
                elif inline_year and YEAR_START.match(clause) and len(re.findall(r"[\u4e00-\u9fff]", plain)) >= 6:
                    found.append(Found(_target(text, plain, year, None, None, None, None), c.span(text_start, cb)))
                prev_text = text
                continue
            if not goal_mode and (SUBSIDY.search(clause) or STATUS.search(clause)):
                prev_text = text
                continue
            if not goal_mode and not (
                year is not None or recurring_at is not None or TARGET_WORDS.search(clause) or sentence_effort
            ):
                prev_text = text
                continue
            lo = ca
            for group in _groups(t, qs):
                first, last = group[0], group[-1]
                shared_prefix = _prefix(t, lo, first.start)
                last_suffix = _suffix(t, last.end)
                for q in group:
                    comp = q.bound or _suffix(t, q.end) or (last_suffix if len(group) > 1 else None)
                    if comp is None:
                        comp = _prefix(t, lo, q.start) if q is first else shared_prefix
                    if comp is None:
                        comp = shared_prefix or sentence_effort or "="
                    unit = q.unit
                    if (
                        len(group) > 1
                        and last.unit
                        and (unit is None or (last.unit != unit and last.unit.startswith(unit)))
                    ):
                        unit = last.unit
                    if unit is None:
                        continue
                    metric = _metric(clause, first.start - ca, q.end - ca)
                    found.append(
                        Found(_target(text, metric, target_year, comp, q.value, unit, basis), c.span(text_start, cb))
                    )
                lo = last.end
            prev_text = text
    return found


def _target(text, metric, year, comparator, value, unit, basis) -> dict:
    return {
        "text": text.strip("，,；;：:。"),
        "metric": metric,
        "year": year,
        "comparator": comparator,
        "value": value,
        "unit": unit,
        "basis": basis,
    }
