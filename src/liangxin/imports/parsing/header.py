"""The plan's title, the covering notice's issuer, date and document number, and parent policies.

- The plan title is the first stand-alone title line (possibly broken over two or three short
  lines) that ends the way plan titles end (…方案, …计划, …意见, …措施, …办法, …细则, …要点), is not
  the notice's own title (关于印发…的通知) and comes before the first section of the body.
- The issuer is what precedes 关于 in the notice title, or the line above it (天津市北辰区人民政府 /
  关于印发…), or a ``…文件`` letterhead.
- The date is a stand-alone date line before the plan title (a signature), Arabic or Chinese.
- The document number is a stand-alone line such as 朔政发〔2024〕20号 before the plan title.
- Parent policies are the document numbers cited from the top of the document to the first
  section, in order, without the plan's own number.
"""

import re
from dataclasses import dataclass

from .structure import numbering
from .text import Source, cn_number, squeeze

TITLE_END = re.compile(
    r"(?:方案|计划|意见|措施|举措|办法|细则|要点|规划|若干政策|政策措施)(?:[(（][^()（）]{1,20}[)）])?$"
)
_TITLE_BAD = re.compile(r"[。，；！？,;!?：:]|关于印发|通知|^附件|^[(（]|[)）]$|^[-—]")
_FRAGMENT_BAD = re.compile(r"[。，；！？,;!?：:]|通知|文件$|公开|^[(（]|[)）]$|\d{4}年")

_PERIOD_LINE = re.compile(r"^\((?:19|20)\d\d年?[-—–－~至到]+(?:19|20)\d\d年?\)$")
DOC_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,14})\s*[〔\[［【(（]\s*((?:19|20)\d\d)\s*[〕\]］】)）]\s*(\d{1,4})\s*号")
_DOC_NUMBER_LINE = re.compile(r"^" + DOC_NUMBER.pattern + r"$")
_CITE_VERBS = re.compile(r"^.*(?:根据|按照|依据|落实|贯彻|结合|执行|参照|对照|以及|印发|关于|和|及|与|的|见)")

DATE = re.compile(
    r"((?:19|20)\d\d|[〇零一二三四五六七八九]{4})\s*年\s*([\d一二三四五六七八九十]{1,3})\s*月\s*([\d一二三四五六七八九十]{1,3})\s*日"
)
_ISSUER_SHAPE = re.compile(r"(?:政府|委员会|管委会|办公室|办公厅|局|委|厅|部|办|中心|领导小组|指挥部)$")


@dataclass
class Header:
    title: str = ""
    title_span: tuple[int, int] | None = None
    title_line: int | None = None  # index of the title's last line
    issuer: str = ""
    issuer_span: tuple[int, int] | None = None
    issued_on: str | None = None
    issued_on_span: tuple[int, int] | None = None
    doc_number: str | None = None
    doc_number_span: tuple[int, int] | None = None
    notice_line: int | None = None
    issued_on_from_print: bool = False


def _date_value(m: re.Match) -> str | None:
    year = int(m.group(1)) if m.group(1).isdigit() else cn_number(m.group(1))
    month = int(m.group(2)) if m.group(2).isdigit() else cn_number(m.group(2))
    day = int(m.group(3)) if m.group(3).isdigit() else cn_number(m.group(3))
    if not year or not month or not day or not (1 <= month <= 12 and 1 <= day <= 31 and 2000 <= year <= 2100):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _nonblank(source: Source, start: int, stop: int, step: int):
    i = start
    while 0 <= i < len(source.lines) and i != stop:
        line = source.lines[i]
        if not line.blank:
            yield line
        i += step


def find_notice(source: Source, limit: int) -> int | None:
    """The line of the covering notice's title (…关于印发…的通知), if any, before line ``limit``."""
    for line in source.lines[:limit]:
        s = squeeze(line.fold)
        if "关于" in s and not source.in_table(line) and len(s) <= 80 and "。" not in s:
            window = "".join(squeeze(x.fold) for x in source.lines[line.index : line.index + 6])
            if re.search(r"关于.{0,80}?(?:通知|决定|批复)", window):
                return line.index
    return None


def find_title(source: Source, notice_line: int | None, limit: int | None = None):
    """(title, span, first line index, last line index) of the plan's own title, or None."""
    lines = source.lines
    begin = notice_line + 1 if notice_line is not None else 0
    stop = len(lines) if limit is None else limit
    for line in lines[begin:stop]:
        if line.blank or source.in_table(line):
            continue
        s = squeeze(line.fold)
        if len(s) > 80 or numbering(line.fold) or _TITLE_BAD.search(s) or not TITLE_END.search(s):
            continue
        if "关于" in s and notice_line is None:
            # a notice title without 印发/通知 on the same line; skip it when 通知 follows
            pass
        # reach up over fragments of a title broken across lines
        first = line
        parts = [line]
        for prev in _nonblank(source, line.index - 1, begin - 1, -1):
            ps = squeeze(prev.fold)
            if (
                source.in_table(prev)
                or len(ps) > 40
                or _FRAGMENT_BAD.search(ps)
                or numbering(prev.fold)
                or TITLE_END.search(ps)
                or DATE.search(ps)
                or len(parts) >= 3
                or prev.index < line.index - 4
            ):
                break
            parts.insert(0, prev)
            first = prev
        title = "".join(squeeze(p.work) for p in parts)
        if len(title) < 6:
            continue
        last = line
        # a period line under the title belongs to it: （2024—2027年）
        nxt = next(_nonblank(source, line.index + 1, len(lines), 1), None)
        if nxt is not None and _PERIOD_LINE.match(squeeze(nxt.fold)) and not title.endswith(")"):
            title += squeeze(nxt.work)
            last = nxt
        span_start = first.start + (len(first.work) - len(first.work.lstrip()))
        span_end = last.start + len(last.work.rstrip())
        return title, (span_start, span_end), first.index, last.index
    return None


def read_header(source: Source, title_limit: int | None = None) -> Header:
    header = Header()
    notice = find_notice(source, title_limit or len(source.lines))
    header.notice_line = notice
    found = find_title(source, notice, title_limit)
    if found is None and notice is not None:
        found = find_title(source, None, title_limit)
    head_end = len(source.lines)
    if found:
        header.title, header.title_span, first, last = found
        header.title_line = last
        head_end = first
        if notice is not None and notice >= first:
            header.notice_line = notice = None
    elif notice is not None:
        # the plan's title as the notice cites it: 关于印发《X》的通知
        window = source.lines[notice : notice + 6]
        joined = "".join(squeeze(x.work) for x in window)
        m = re.search(r"《([^《》]{4,80})》", joined)
        if m:
            header.title = m.group(1)
    head_lines = source.lines[:head_end]

    # document number: a line of its own before the title
    for line in head_lines:
        s = squeeze(line.fold)
        m = _DOC_NUMBER_LINE.match(s)
        if m:
            header.doc_number = ascii_digits(squeeze(line.work))
            header.doc_number_span = (
                line.start + len(line.work) - len(line.work.lstrip()),
                line.start + len(line.work.rstrip()),
            )
            break

    # issuer
    if notice is not None:
        nline = source.lines[notice]
        s = squeeze(nline.work)
        cut = squeeze(nline.fold).find("关于")
        if cut > 0:
            header.issuer = s[:cut]
            header.issuer_span = _span_of_prefix(nline, cut)
        else:
            for prev in _nonblank(source, notice - 1, -1, -1):
                ps = squeeze(prev.work)
                if _ISSUER_SHAPE.search(squeeze(prev.fold)) and len(ps) <= 40 and not DOC_NUMBER.search(ps):
                    header.issuer = ps
                    header.issuer_span = (
                        prev.start + len(prev.work) - len(prev.work.lstrip()),
                        prev.start + len(prev.work.rstrip()),
                    )
                break
    if not header.issuer:
        for line in head_lines[:8]:
            s = squeeze(line.work)
            if s.endswith("文件") and len(s) <= 40:
                header.issuer = s[:-2]
                header.issuer_span = (
                    line.start + len(line.work) - len(line.work.lstrip()),
                    line.start + len(line.work.rstrip()) - 2,
                )
                break

    # date: a stand-alone (signature) date before the title
    for line in head_lines:
        s = squeeze(line.fold)
        m = DATE.search(s)
        if m and m.end() == len(s) and len(s) <= 40 and "。" not in s and "会议" not in s:
            value = _date_value(m)
            if value:
                header.issued_on = value
                raw = DATE.search(line.fold)
                if raw:
                    header.issued_on_span = (line.start + raw.start(), line.start + raw.end())
                # a signature on the line above the date names the issuer too
                if not header.issuer:
                    sig = s[: m.start()]
                    if sig and _ISSUER_SHAPE.search(sig):
                        header.issuer = sig
                break
    if header.issued_on is None:
        # no signature date: the printing line at the end (…办公室 2024年6月21日印发)
        for line in reversed(source.lines):
            s = squeeze(line.fold)
            m = DATE.search(s)
            if m and s.endswith("印发") and len(s) <= 40:
                value = _date_value(m)
                if value:
                    header.issued_on = value
                    header.issued_on_from_print = True
                    raw = DATE.search(line.fold)
                    if raw:
                        header.issued_on_span = (line.start + raw.start(), line.start + raw.end())
                break
    return header


def ascii_digits(text: str) -> str:
    """Full-width digits as ASCII (a document number is compared and stored that way)."""
    return text.translate({0xFF10 + k: 0x30 + k for k in range(10)})


def _span_of_prefix(line, n: int) -> tuple[int, int]:
    """Offsets of the first ``n`` non-blank characters of a line."""
    count = 0
    start = None
    for k, ch in enumerate(line.work):
        if ch.isspace():
            continue
        if start is None:
            start = line.start + k
        count += 1
        if count == n:
            return (start, line.start + k + 1)
    return (start or line.start, line.end)


def parent_policies(source: Source, start: int, end: int, own: str | None) -> list[tuple[str, tuple[int, int]]]:
    """Document numbers cited in [start, end) (offsets), first mention first, the plan's own left out."""
    out, seen = [], set()
    own_key = squeeze(ascii_digits(own)) if own else None
    text = source.fold[start:end]
    for m in DOC_NUMBER.finditer(text):
        prefix = m.group(1)
        cut = _CITE_VERBS.match(prefix)
        if cut:
            prefix = prefix[cut.end() :]
        if not prefix or len(prefix) > 10:
            continue
        a = start + m.start(1) + (len(m.group(1)) - len(prefix))
        b = start + m.end()
        printed = ascii_digits(squeeze(source.work[a:b]))
        key = ascii_digits(squeeze(source.fold[a:b]))
        if key in seen or key == own_key:
            continue
        seen.add(key)
        out.append((printed, (a, b)))
    return out
