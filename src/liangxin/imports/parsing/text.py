"""The text under the parser: debris blanked, widths folded, offsets kept.

Every view of the document here has the same length as the original text, character for
character, so an offset found in a view is an offset into the original:

- ``work``: the original with conversion debris (``[bookmark: _GoBack]``, lines holding only a
  page number) replaced by spaces. Output strings are cut from it, so they read as printed.
- ``fold``: ``work`` with each character NFKC-normalised where that gives a single character
  (full-width digits, letters and parentheses become ASCII, the ideographic space a space).
  Patterns match against it. Circled numbers (①) keep their shape: they are a numbering style.

A :class:`Condensed` view drops the whitespace of a stretch of text (page breaks inside a word or a
parenthesis, spaces in ``到 2027 年``) and keeps, for each remaining character, its offset.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Characters that are whitespace for the parser, beyond str.isspace(): zero-width ones.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"

_DEBRIS = re.compile(r"\[(?:bookmark|image|anchor|footnote|comment)[^\]\n]{0,200}\]", re.IGNORECASE)
# A line holding only a page number: "3", "- 3 -", "— 12 —", "第3页", "第 3 页 共 10 页".
_PAGE_NUMBER_LINE = re.compile(
    r"^[ \u3000]*(?:[-—–－~]*[ \u3000]*\d{1,3}[ \u3000]*[-—–－~]*|第[ \u3000]*\d{1,3}[ \u3000]*页"
    r"(?:[ \u3000]*[,，/]?[ \u3000]*共[ \u3000]*\d{1,3}[ \u3000]*页)?)[ \u3000]*$"
)


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    if "\u2460" <= ch <= "\u24ff" or "\u2776" <= ch <= "\u2793":  # circled numbers stay
        return ch
    if ch in _INVISIBLE:
        return " "
    folded = unicodedata.normalize("NFKC", ch)
    return folded if len(folded) == 1 else ch


def fold(text: str) -> str:
    """Width-fold ``text`` one character for one character (same length, same offsets)."""
    table = {ord(c): _fold_char(c) for c in set(text)}
    return text.translate(table)


def is_space(ch: str) -> bool:
    return ch.isspace() or ch in _INVISIBLE


@dataclass(frozen=True)
class Line:
    index: int
    start: int  # offset of the first character
    end: int  # offset just past the last character (the newline excluded)
    work: str
    fold: str

    @property
    def blank(self) -> bool:
        return not self.fold.strip()

    @property
    def is_cell(self) -> bool:
        """A table cell exported one per line: the line starts with a tab."""
        return self.work.startswith("\t")

    @property
    def has_inner_tab(self) -> bool:
        return "\t" in self.work.strip()


class Source:
    """The document with its views and lines."""

    def __init__(self, text: str):
        self.original = text
        work = _DEBRIS.sub(lambda m: " " * len(m.group(0)), text)
        lines = []
        pieces = []
        pos = 0
        self.page_breaks: set[int] = set()  # lines that held a page number or a form feed
        for index, raw in enumerate(work.split("\n")):
            if "\f" in raw:
                self.page_breaks.add(index)
            if not raw.startswith("\t") and _PAGE_NUMBER_LINE.match(raw) and raw.strip():
                raw = " " * len(raw)
                self.page_breaks.add(index)
            pieces.append(raw)
            lines.append((index, pos, pos + len(raw), raw))
            pos += len(raw) + 1
        self.work = "\n".join(pieces)
        self.fold = fold(self.work)
        self.lines = [Line(i, s, e, w, self.fold[s:e]) for i, s, e, w in lines]
        # lines that belong to a table (set once the tables are found)
        self.table_lines: set[int] = set()
        # the width of a full line: a PDF text layer breaks paragraphs into lines of about this
        # length; a document with a paragraph a line has a width far beyond any heading
        widths = sorted(len(line.work.rstrip()) for line in self.lines if line.work.strip())
        self.full_width = widths[int(len(widths) * 0.9)] if widths else 0

    def in_table(self, line: Line) -> bool:
        return line.index in self.table_lines

    def condensed(self, start: int, end: int) -> "Condensed":
        return Condensed.of(self, start, end)

    def line_condensed(self, line: Line) -> "Condensed":
        return Condensed.of(self, line.start, line.end)


@dataclass(frozen=True)
class Condensed:
    """A stretch of the document without whitespace; ``pos[i]`` is the offset of character i."""

    work: str
    fold: str
    pos: tuple[int, ...]
    breaks: frozenset[int] = frozenset()  # indices k such that a line break was dropped before k

    @classmethod
    def of(cls, source: Source, start: int, end: int) -> "Condensed":
        work_chars, fold_chars, pos, breaks = [], [], [], set()
        work, folded = source.work, source.fold
        newline = False
        for i in range(start, end):
            ch = work[i]
            if is_space(ch) or is_space(folded[i]):
                newline = newline or ch == "\n"
                continue
            if newline and pos:
                breaks.add(len(pos))
            newline = False
            work_chars.append(ch)
            fold_chars.append(folded[i])
            pos.append(i)
        return cls("".join(work_chars), "".join(fold_chars), tuple(pos), frozenset(breaks))

    def __len__(self) -> int:
        return len(self.fold)

    def span(self, i: int, j: int) -> tuple[int, int] | None:
        """Offsets into the original of condensed characters [i, j)."""
        if j <= i or i >= len(self.pos):
            return None
        j = min(j, len(self.pos))
        return (self.pos[i], self.pos[j - 1] + 1)

    def sub(self, i: int, j: int) -> "Condensed":
        return Condensed(
            self.work[i:j], self.fold[i:j], self.pos[i:j], frozenset(k - i for k in self.breaks if i < k < j)
        )

    def keep(self, indices: list[int]) -> "Condensed":
        """The characters at ``indices`` (ascending), line breaks carried over."""
        where = {k: n for n, k in enumerate(indices)}
        breaks = set()
        for b in self.breaks:
            # a break before b survives before the first kept character at or after b
            nxt = next((k for k in range(b, len(self.pos)) if k in where), None)
            if nxt is not None and where[nxt] > 0:
                breaks.add(where[nxt])
        return Condensed(
            "".join(self.work[k] for k in indices),
            "".join(self.fold[k] for k in indices),
            tuple(self.pos[k] for k in indices),
            frozenset(breaks),
        )


def squeeze(text: str) -> str:
    """``text`` without any whitespace."""
    return "".join(ch for ch in text if not is_space(ch))


def nfkc_key(text: str) -> str:
    return unicodedata.normalize("NFKC", squeeze(text))


CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_number(text: str) -> int | None:
    """一 → 1, 十三 → 13, 二十 → 20, 一百零五 → 105; None when not a Chinese numeral."""
    if not text or any(ch not in CN_DIGITS and ch not in "十百" for ch in text):
        return None
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = current * 10 + CN_DIGITS[ch] if current else CN_DIGITS[ch]
    return total + current
