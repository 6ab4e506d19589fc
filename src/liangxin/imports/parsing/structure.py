"""Numbering, sections and tasks of a plan's main body.

A numbered item starts a line: ``一、`` ``（一）``/``(一)`` ``1.``/``1．``/``1、`` ``（1）``/``(1)`` ``①``
``第一章``. Numbering styles are ranked by first appearance in the body, so a plan that puts
``（一）`` under ``一、`` and ``1.`` under ``（一）`` gets the usual tree, and one that starts at ``1.``
works too. An item is a heading when a deeper item follows it before the next item of its own
rank or higher; the others are leaves. A leaf is a task unless it is a top-level section (一、,
第一章) or sits under a part that states principles or goals (总体要求, 指导思想, 基本原则, 工作目标 …).

An item runs from its number to the next numbered line, the end of the body (附件, 抄送, …印发,
a signature date) or a table. Page breaks inside it do not matter: its text is read condensed.
"""

import re
from dataclasses import dataclass, field

from .text import Condensed, Line, Source, cn_number, squeeze

STYLE_PATTERNS = [
    ("chapter", re.compile(r"第([一二三四五六七八九十百零〇]+)(?:章|部分|篇)\s*")),
    ("cn_dun", re.compile(r"([一二三四五六七八九十百]+)\s*[、.]\s*")),
    ("cn_paren", re.compile(r"\(\s*([一二三四五六七八九十百]+)\s*\)\s*[、.]?\s*")),
    ("ar_dot", re.compile(r"(\d{1,3})\s*[.、](?!\d)\s*")),
    ("ar_paren", re.compile(r"\(\s*(\d{1,3})\s*\)\s*[、.]?\s*")),
    ("ar_half", re.compile(r"(\d{1,3})\)(?![\d)])\s*")),
    ("circled", re.compile(r"([\u2460-\u2473\u2776-\u277f])\s*[、.]?\s*")),
]
SECTION_STYLES = ("chapter", "cn_dun")
_STYLE_ORDER = [s for s, _ in STYLE_PATTERNS]

# Parts whose numbered items state principles or goals rather than tasks.
NON_TASK_PART = re.compile(
    r"^(?:总体要求|指导思想|基本原则|工作原则|总体目标|工作目标|主要目标|发展目标|目标任务|总体思路|编制依据|适用范围|"
    r"总体考虑|重要意义|目标要求|主要原则)"
)
GOAL_PART = re.compile(r"目标|总体要求|指导思想|总体思路")

END_OF_BODY = re.compile(
    r"^(?:[-—–•·\s]*附\s*件\s*(?:[\d一二三四五六七八九十]+\s*)?(?:[:：]|$)|附\s*[:：]|附\s*表\s*\d*\s*(?:[:：]|$)|抄\s*送[:：]|"
    r".{0,30}\d{4}年\d{1,2}月\d{1,2}日\s*印发$|[(（]此件.{0,12}[)）]$)"
)
DATE_LINE = re.compile(
    r"^\S{0,24}\s*(?:\d{4}|[〇零一二三四五六七八九]{4})年[\d一二三四五六七八九十]{1,3}月[\d一二三四五六七八九十]{1,3}日$"
)


def numbering(fold_line: str):
    """(style, number, length of the numbering prefix incl. leading blanks) or None."""
    stripped = fold_line.lstrip(" \u3000\t")
    lead = len(fold_line) - len(stripped)
    for style, pattern in STYLE_PATTERNS:
        m = pattern.match(stripped)
        if m:
            rest = stripped[m.end() :]
            if style == "ar_dot" and re.match(r"[年月日号%万亿个家台]", rest):
                continue
            if style == "cn_dun" and stripped[m.end(1) : m.end(1) + 1] == ".":
                continue  # 一. is rare; 一、 is the house style, don't confuse with list debris
            return style, m.group(1), lead + m.end()
    return None


@dataclass
class Item:
    style: str
    number: str
    rank: int
    line: Line
    prefix_end: int  # offset just past the numbering
    end: int = 0  # offset just past the item's text
    parent: "Item | None" = None
    children: list["Item"] = field(default_factory=list)
    heading_text: str = ""  # the heading as printed (condensed), numbering included

    @property
    def start(self) -> int:
        return self.line.start + (len(self.line.work) - len(self.line.work.lstrip(" \u3000\t")))


@dataclass
class Body:
    start_line: int
    end_line: int  # exclusive
    items: list[Item]
    ranks: dict[str, int]


_ENDS_SENTENCE = re.compile(r"[。；;：:！？!?）)」”』】]$")


def number_value(style: str, number: str) -> int | None:
    if style in ("ar_dot", "ar_paren", "ar_half"):
        return int(number)
    if style == "circled":
        ch = number
        return ord(ch) - 0x245F if "\u2460" <= ch <= "\u2473" else ord(ch) - 0x2775
    return cn_number(number)


def body_items(source: Source, start_line: int, end_line: int) -> Body:
    lines = source.lines
    items: list[Item] = []
    ranks: dict[str, int] = {}
    last_value: dict[str, int] = {}
    prev_text: Line | None = None
    prev_numbered = False
    for line in lines[start_line:end_line]:
        if line.blank or source.in_table(line):
            continue
        found = numbering(line.fold)
        if found:
            style, number, plen = found
            value = number_value(style, number)
            expected = value is not None and (value == last_value.get(style, 0) + 1 or value == 1)
            # a line broken inside a sentence may start with 一、 (统一、…) or 2. by chance: a
            # numbered line counts when it follows a finished sentence, a heading, or continues
            # its numbering
            if prev_text is not None and not prev_numbered and not expected:
                tail = squeeze(prev_text.fold)
                if tail and not _ENDS_SENTENCE.search(tail) and len(tail) > 24:
                    found = None
        if not found:
            prev_text, prev_numbered = line, False
            continue
        if value is not None:
            last_value[style] = value
            # deeper numbering restarts under a new parent
            for other in list(last_value):
                if _STYLE_ORDER.index(other) > _STYLE_ORDER.index(style):
                    del last_value[other]
        prev_text, prev_numbered = line, True
        if style not in ranks:
            ranks[style] = len(ranks)
        items.append(Item(style, number, ranks[style], line, line.start + plen))
    # a style first met deeper than a later-appearing shallower style keeps its first rank; re-rank
    # by the usual hierarchy when both section styles and sub styles exist
    _fix_ranks(items, ranks)
    # tree
    stack: list[Item] = []
    for item in items:
        while stack and stack[-1].rank >= item.rank:
            stack.pop()
        item.parent = stack[-1] if stack else None
        if item.parent:
            item.parent.children.append(item)
        stack.append(item)
    # extents
    stops = _stop_lines(source, start_line, end_line)
    for k, item in enumerate(items):
        nxt = items[k + 1].line.index if k + 1 < len(items) else end_line
        stop = next((s for s in stops if item.line.index < s < nxt), nxt)
        last = stop - 1
        while last > item.line.index and lines[last].blank:
            last -= 1
        item.end = lines[last].end
    for item in items:
        item.heading_text = _heading(source, item)
    return Body(start_line, end_line, items, ranks)


def _fix_ranks(items: list[Item], ranks: dict[str, int]) -> None:
    """Use the conventional order 章 > 一、 > （一） > 1. > （1） > ① for styles that all occur;
    first appearance decides only among styles the convention does not order."""
    order = [s for s, _ in STYLE_PATTERNS]
    present = sorted(ranks, key=lambda s: order.index(s))
    new = {s: i for i, s in enumerate(present)}
    ranks.clear()
    ranks.update(new)
    for item in items:
        item.rank = new[item.style]


def _stop_lines(source: Source, start_line: int, end_line: int) -> list[int]:
    """Lines where an item's text stops although no numbered line follows: tables, dates."""
    stops = []
    for line in source.lines[start_line:end_line]:
        if source.in_table(line):
            stops.append(line.index)
        elif DATE_LINE.match(line.fold.strip()):
            stops.append(line.index)
    return stops


def _heading(source: Source, item: Item) -> str:
    c = source.line_condensed(item.line)
    cut = c.fold.find("。")
    text = c.work if cut < 0 else c.work[:cut]
    return text.rstrip("：:；;，,")


def find_body_end(source: Source, start_line: int) -> int:
    """Index of the first line after ``start_line`` that ends the main body (附件, 抄送 …)."""
    for line in source.lines[start_line:]:
        if source.in_table(line):
            continue
        stripped = line.fold.strip()
        if stripped and END_OF_BODY.match(stripped):
            return line.index
    return len(source.lines)


@dataclass
class TaskDraft:
    item: Item
    number: str
    path: list[str]
    title: str
    title_span: tuple[int, int] | None
    title_end: int  # index in ``block`` just past the title
    block: Condensed  # the condensed text after the numbering up to the item's end
    span: tuple[int, int]
    heading_line: bool


def is_non_task_part(item: Item) -> bool:
    text = re.sub(r"^[^\u4e00-\u9fff]*", "", _title_words(item))
    return bool(NON_TASK_PART.match(text)) and len(text) <= 20


def _title_words(item: Item) -> str:
    """The heading without its numbering."""
    n = len(item.line.work) - len(item.line.work.lstrip(" \u3000\t"))
    plen = item.prefix_end - item.line.start - n
    from .text import squeeze

    return squeeze(item.line.work.lstrip(" \u3000\t")[plen:]).split("。")[0]


def tasks_of(source: Source, body: Body) -> list[TaskDraft]:
    tasks = []
    for item in body.items:
        if item.children:
            continue
        if item.style in SECTION_STYLES:
            continue
        ancestors = []
        p = item.parent
        while p:
            ancestors.append(p)
            p = p.parent
        ancestors.reverse()
        if is_non_task_part(item) or any(is_non_task_part(a) for a in ancestors):
            continue
        block = source.condensed(item.prefix_end, item.end)
        title, tspan, title_end, heading_line = _task_title(source, item, block)
        number = item.number
        tasks.append(
            TaskDraft(
                item=item,
                number=number,
                path=[a.heading_text for a in ancestors],
                title=title,
                title_span=tspan,
                title_end=title_end,
                block=block,
                span=(item.start, item.end),
                heading_line=heading_line,
            )
        )
    return tasks


_TITLE_TRIM = "：:；;，,、 "


def _task_title(source: Source, item: Item, block: Condensed) -> tuple[str, tuple[int, int] | None, int, bool]:
    """The first sentence, or the heading line when the number stands on a heading of its own:
    (title, span, end index in the block, heading line?).

    The first line is a heading when it has no sentence end or comma of its own and either is
    short (at most 24 characters) or what follows it up to the first 。 reads as a sentence of
    its own (has a comma, or is long). Otherwise the line was broken inside the first sentence (a
    page break) and the title runs on to the first 。."""
    first_line = source.condensed(item.prefix_end, item.line.end)
    text = block.fold
    stop = text.find("。")
    if len(first_line) == 0:
        # the number alone on its line: the title is what follows
        end = stop if stop >= 0 else len(text)
        return _title(block, 0, end) + (end, False)
    if "。" in first_line.fold:
        end = first_line.fold.find("。")
        return _title(block, 0, end) + (end, False)
    sentence_end = stop if stop >= 0 else len(text)
    rest = text[len(first_line) : sentence_end]
    split_by_page = _page_break_after(source, item.line.index)
    # a line as long as the document's full lines was wrapped, not ended
    wrapped = len(item.line.work.rstrip()) >= 0.9 * source.full_width and source.full_width < 60
    heading_like = not re.search(r"[，,；;]", first_line.fold) and (
        (len(first_line) <= 24 and not split_by_page and not wrapped)
        or re.search(r"[，,；;：:]", rest)
        or sentence_end > 45
        or not rest
    )
    if heading_like or first_line.fold.endswith(("：", ":")):
        n = len(first_line)
        return _title(block, 0, n) + (n, True)
    return _title(block, 0, sentence_end) + (sentence_end, False)


def _page_break_after(source: Source, index: int) -> bool:
    """Whether a page break (a page-number line, a form feed) sits between line ``index`` and the
    next line with text."""
    for line in source.lines[index + 1 :]:
        if line.index in source.page_breaks or "\f" in line.work:
            return True
        if not line.blank:
            return False
    return False


_TRAILING_ASSIGNMENT = re.compile(r"\(([^()]*)\)$")


def _title(block: Condensed, i: int, j: int) -> tuple[str, tuple[int, int] | None]:
    """The title in block[i:j]: trimmed of punctuation and of an assignment in parentheses at its
    end (推进重点行业设备更新（区工信局牵头） → 推进重点行业设备更新)."""
    from .units import looks_like_assignment

    fold = block.fold[i:j]
    while True:
        m = _TRAILING_ASSIGNMENT.search(fold.rstrip(_TITLE_TRIM + "。"))
        if not m or not looks_like_assignment(m.group(1)):
            break
        fold = fold[: m.start()]
    j = i + len(fold)
    work = block.work[i:j]
    lead = len(work) - len(work.lstrip(_TITLE_TRIM))
    trail = len(work.rstrip(_TITLE_TRIM + "。"))
    if trail <= lead:
        return "", None
    return work[lead:trail], block.span(i + lead, i + trail)
