"""Tables: the indicator table, the task division table and the policy list.

Tables arrive linearised in one of two shapes:

- one cell per line, each cell line starting with a tab, a cell continuing on following lines
  without a tab, rows separated by a blank line (a short line after a single blank line still
  continues the cell: a page or paragraph break inside a cell);
- one row per line with the cells separated by tabs.

A table is recognised by its header row: 指标 with year columns (2024年…) is an indicator table;
政策/方案 with 牵头/责任 a policy list; 任务 with 牵头/责任/分工 a division table. Single-cell rows
above the header are its title; single-cell rows below it are group headings (一、总体工作方案).
"""

import re
from dataclasses import dataclass, field

from .structure import END_OF_BODY, numbering
from .targets import _mask, _quantities
from .text import Condensed, Line, Source, squeeze
from .units import Rules, read_assignment, units_in

_NUMBERING_CELL = re.compile(
    r"[一二三四五六七八九十]+[、.]|\(\s*[一二三四五六七八九十\d]+\s*\)[、.]?|\d{1,3}\s*[.、)]|[\u2460-\u2473]|第.{1,3}[章条部]"
)


@dataclass
class Cell:
    lines: list[Line] = field(default_factory=list)

    def text(self) -> str:
        return squeeze("".join(self._pieces("work")))

    def fold(self) -> str:
        return squeeze("".join(self._pieces("fold")))

    def _pieces(self, attr):
        out = []
        for k, line in enumerate(self.lines):
            s = getattr(line, attr)
            if k == 0:
                s = s.lstrip("\t")
            out.append(s)
        return out

    def span(self) -> tuple[int, int] | None:
        if not self.lines:
            return None
        return (self.lines[0].start, self.lines[-1].end)


@dataclass
class Table:
    rows: list[list[Cell]]
    title: str
    start_line: int
    end_line: int
    soft: set[int] = field(default_factory=set)

    @property
    def real(self) -> bool:
        """A table, not paragraphs that happen to hold tabs: two or more rows of two or more cells,
        with a header row (序号, 指标, 任务, 牵头 …) or numbered rows."""
        wide = [row for row in self.rows if len(row) >= 2]
        if len(wide) < 2:
            return False
        # numbered paragraphs with a tab after the number (1.⇥推进…) are text
        numbering_cells = sum(1 for row in wide if _NUMBERING_CELL.fullmatch(row[0].fold()))
        if numbering_cells * 2 >= len(wide):
            return False
        if _header_index(self) is not None:
            return True
        numbered = sum(1 for row in wide if re.fullmatch(r"\d{1,3}", row[0].fold()))
        return numbered >= 2

    def row_span(self, row: list[Cell]) -> tuple[int, int] | None:
        spans = [c.span() for c in row if c.span()]
        if not spans:
            return None
        return (min(s[0] for s in spans), max(s[1] for s in spans))


def _is_continuation_text(line: Line) -> bool:
    s = squeeze(line.fold)
    return bool(s) and len(s) <= 30 and "。" not in s and not END_OF_BODY.match(s) and not numbering(line.fold)


def find_tables(source: Source, start_line: int = 0) -> list[Table]:
    lines = source.lines
    tables = []
    i = start_line
    n = len(lines)
    while i < n:
        line = lines[i]
        if line.has_inner_tab:
            table, i = _read_row_lines(source, i)
        elif line.is_cell and line.fold.strip():
            table, i = _read_cell_lines(source, i)
        else:
            i += 1
            continue
        if table and table.rows:
            table.title = _title_above(source, table.start_line) + table.title
            tables.append(table)
    return tables


def _read_cell_lines(source: Source, i: int) -> tuple[Table, int]:
    """Rows of one-cell-per-line text. A blank line ends a row; one that comes with a page break
    (a page-number line) ends it only softly: the row may continue on the next page."""
    lines = source.lines
    rows: list[list[Cell]] = []
    soft: set[int] = set()  # indices of rows that began right after a page break
    cur: list[Cell] = []
    blank_run = 0
    paged = False
    start = i
    k = i
    while k < len(lines):
        line = lines[k]
        if line.index in source.page_breaks:
            paged = True
            k += 1
            continue
        if line.is_cell and not line.has_inner_tab:
            if blank_run and cur:
                rows.append(cur)
                cur = []
                if paged:
                    soft.add(len(rows))
            cur.append(Cell([line]))
            blank_run, paged = 0, False
        elif line.blank:
            blank_run += 1
        elif cur and (blank_run == 0 or paged) and not END_OF_BODY.match(squeeze(line.fold)):
            cur[-1].lines.append(line)
            blank_run, paged = 0, False
        elif cur and blank_run == 1 and _is_continuation_text(line):
            cur[-1].lines.append(line)
            blank_run = 0
        else:
            break
        k += 1
    if cur:
        rows.append(cur)
    end = k
    table = Table(rows, "", start, end)
    table.soft = soft
    return table, end


def _mend_rows(table: "Table", width: int) -> None:
    """Join a row cut by a page break to its other half when together they make a full row."""
    rows, merged = table.rows, []
    for k, row in enumerate(rows):
        if k in table.soft and merged and len(merged[-1]) < width and len(merged[-1]) + len(row) <= width:
            merged[-1] = merged[-1] + row
        else:
            merged.append(row)
    table.rows = merged


def _read_row_lines(source: Source, i: int) -> tuple[Table, int]:
    lines = source.lines
    rows: list[list[Cell]] = []
    start = i
    k = i
    while k < len(lines):
        line = lines[k]
        if line.has_inner_tab:
            cells = []
            pos = line.start
            for piece in line.work.split("\t"):
                if piece.strip() or cells:
                    # a Line per cell so that spans stay exact
                    cells.append(
                        Cell([Line(line.index, pos, pos + len(piece), piece, source.fold[pos : pos + len(piece)])])
                    )
                pos += len(piece) + 1
            rows.append([c for c in cells])
        elif line.blank:
            pass
        elif rows and _is_continuation_text(line) and not lines[k - 1].blank:
            rows[-1][-1].lines.append(line)
        else:
            break
        k += 1
    return Table(rows, "", start, k), k


def _title_above(source: Source, start_line: int) -> str:
    parts = []
    k = start_line - 1
    while k >= 0 and len(parts) < 3:
        line = source.lines[k]
        k -= 1
        if line.blank:
            continue
        s = squeeze(line.work)
        if re.match(r"^附\s*件", squeeze(line.fold)) or line.is_cell or len(s) > 60 or "。" in s:
            break
        parts.insert(0, s)
    return "".join(parts)


def _header_index(table: Table) -> int | None:
    for k, row in enumerate(table.rows[:4]):
        if len(row) >= 2 and all(len(c.fold()) <= 30 for c in row):
            joined = "".join(c.fold() for c in row)
            if re.search(r"序号|指标|任务|牵头|责任|政策|方案|单位|部门", joined):
                return k
    return None


def classify(table: Table) -> str | None:
    h = _header_index(table)
    if h is None:
        return None
    if table.soft:
        _mend_rows(table, max(len(row) for row in table.rows))
        h = _header_index(table)
        if h is None:
            return None
    heads = [c.fold() for c in table.rows[h]]
    title = table.title + "".join(c.fold() for row in table.rows[:h] for c in row)
    joined = "".join(heads)
    if "指标" in joined and any(re.search(r"(?:19|20)\d\d", x) for x in heads):
        return "indicators"
    duty = re.search(r"牵头|责任|分工|负责", joined)
    if duty and (any("政策" in x or re.search(r"(?:方案|文件)名称", x) for x in heads) or "政策清单" in title):
        return "policy_list"
    if duty and (re.search(r"任务|事项|工作|内容", joined) or "分工" in title):
        return "division_table"
    return None


def _col(heads: list[str], pattern: str, exclude: str | None = None, skip: set | None = None) -> int | None:
    for k, h in enumerate(heads):
        if skip and k in skip:
            continue
        if re.search(pattern, h) and not (exclude and re.search(exclude, h)):
            return k
    return None


def _int(text: str) -> int | None:
    m = re.search(r"\d+", text)
    return int(m.group(0)) if m else None


def _cell_condensed(source: Source, cell: Cell) -> Condensed:
    span = cell.span()
    return source.condensed(span[0], span[1])


def _unit_lines(source: Source, cell: Cell | None) -> list[str]:
    """Units written in a cell. A cell lists one unit a line or separates them by 、; a line break
    inside a name (a wrapped cell) does not split it."""
    if cell is None or cell.span() is None:
        return []
    c = _cell_condensed(source, cell)
    found, _ = units_in(c, 0, len(c))
    out = []
    for name in (u.name for u in found):
        if name not in out:
            out.append(name)
    return out


def cell_value(text_fold: str, text_work: str, measure: str | None = None):
    """(value, unit) of an indicator cell: the level it reaches (after 累计/达到), else its first
    figure; (None, None) when it states none. With a measure-unit column, a bare number counts
    and takes that unit."""
    t = _mask(text_fold)
    c = Condensed(text_work, text_fold, tuple(range(len(text_fold))))
    qs = _quantities(c, t, 0, len(t))
    if measure:
        for q in qs:
            if q.unit is None:
                q.unit = measure
    qs = [q for q in qs if q.unit]
    if not qs:
        return None, None
    for q in qs:
        clause_start = max(t.rfind(x, 0, q.start) for x in "，,；;。")
        before = t[clause_start + 1 : q.start]
        if re.search(r"累计|达到|总数|总量|共计", before):
            return q.value, q.unit
    return qs[0].value, qs[0].unit


def read_indicators(source: Source, table: Table, warnings: list[str]):
    h = _header_index(table)
    heads = [c.fold() for c in table.rows[h]]
    seq_c = _col(heads, r"序号|编号")
    base_c = _col(heads, r"现状|基数|基础|基期|基准|完成情况|年底|年末")
    name_c = _col(heads, r"指标", exclude=r"现状|基数|目标|完成", skip={base_c})
    task_c = _col(heads, r"任务|领域|类别|方面", exclude=r"指标|目标|20\d\d", skip={name_c, base_c})
    unit_c = _col(heads, r"责任|牵头", exclude=r"指标") or _col(heads, r"单位|部门", exclude=r"^(?:计量)?单位$|指标")
    measure_c = _col(heads, r"^(?:计量单位|单位|指标单位)$")
    miles = []
    for k, hd in enumerate(heads):
        if k in (base_c, name_c, seq_c, task_c, unit_c, measure_c):
            continue
        m = re.search(r"((?:19|20)\d\d)", hd)
        if m:
            miles.append((k, int(m.group(1))))
    base_year = None
    if base_c is not None:
        m = re.search(r"((?:19|20)\d\d)", heads[base_c])
        base_year = int(m.group(1)) if m else None
    if base_year is None and miles:
        base_year = min(y for _, y in miles) - 1
    rows, spans = [], []
    last_task = None
    counter = 0
    for r, row in enumerate(table.rows[h + 1 :], start=h + 1):
        filled = [c for c in row if c.text()]
        if len(row) < 2 or len(filled) == 1:
            # a group row (一、工业领域) names the task of the rows below when there is no task column
            if filled and task_c is None:
                last_task = filled[0].text()
            continue
        if len(row) != len(heads):
            warnings.append(f"indicator table: row {r} has {len(row)} cells, the header {len(heads)}")

        def cell(k, row=row):
            return row[k] if k is not None and k < len(row) else None

        name_cell = cell(name_c)
        if name_cell is None or not name_cell.text():
            continue
        counter += 1
        seq = _int(cell(seq_c).fold()) if cell(seq_c) else None
        task_cell = cell(task_c)
        task = task_cell.text() if task_cell and task_cell.text() else last_task
        last_task = task

        measure = cell(measure_c).text() if cell(measure_c) is not None else None

        def entry(cell_, year, measure=measure):
            if cell_ is None:
                return {"year": year, "text": None, "value": None, "unit": None}
            value, unit = cell_value(cell_.fold(), cell_.text(), measure or None)
            return {"year": year, "text": cell_.text() or None, "value": value, "unit": unit}

        rows.append(
            {
                "seq": seq if seq is not None else counter,
                "task": task,
                "name": name_cell.text(),
                "baseline": entry(cell(base_c), base_year) if base_c is not None else None,
                "milestones": [entry(cell(k), y) for k, y in miles],
                "units": _unit_lines(source, cell(unit_c)),
            }
        )
        spans.append(table.row_span(row))
    return rows, spans


def read_division(source: Source, table: Table, rules: Rules, others: list[str]):
    """Rows of a division table; units of a second (责任/配合) column are appended to ``others``."""
    h = _header_index(table)
    heads = [c.fold() for c in table.rows[h]]
    seq_c = _col(heads, r"序号|编号")
    task_c = _col(heads, r"任务|事项|工作|内容", exclude=r"牵头|责任|分工|单位|部门")
    lead_c = _col(heads, r"牵头") or _col(heads, r"责任|分工|单位|部门")
    other_c = _col(heads, r"责任|配合|协办", skip={lead_c})
    rows, spans = [], []
    counter = 0
    for row in table.rows[h + 1 :]:
        if len(row) < 2:
            continue
        if other_c is not None and other_c < len(row):
            others.extend(_unit_lines(source, row[other_c]))
        task_cell = row[task_c] if task_c is not None and task_c < len(row) else None
        if task_cell is None or not task_cell.text():
            continue
        counter += 1
        seq = _int(row[seq_c].fold()) if seq_c is not None and seq_c < len(row) else None
        lead_cell = row[lead_c] if lead_c is not None and lead_c < len(row) else None
        rows.append(
            {
                "seq": seq if seq is not None else counter,
                "task": task_cell.text(),
                "lead_units": _lead_units(source, lead_cell, rules, heads[lead_c] if lead_c is not None else ""),
            }
        )
        spans.append(table.row_span(row))
    return rows, spans


def _lead_units(source: Source, cell: Cell | None, rules: Rules, head: str) -> list[str]:
    if cell is None or cell.span() is None:
        return []
    c = _cell_condensed(source, cell)
    a = read_assignment(c, 0, len(c), rules)
    names = a.lead + a.responsible if "牵头" in head or not a.lead else a.lead
    out = []
    for name in names:
        if name not in out:
            out.append(name)
    return out


def read_policies(source: Source, table: Table, rules: Rules):
    h = _header_index(table)
    heads = [c.fold() for c in table.rows[h]]
    seq_c = _col(heads, r"序号|编号")
    title_c = _col(heads, r"政策|方案|文件|措施|名称", exclude=r"牵头|责任|单位|部门")
    lead_c = _col(heads, r"牵头") or _col(heads, r"责任|单位|部门")
    rows, spans = [], []
    group = ""
    counter = 0
    for row in table.rows[h + 1 :]:
        filled = [c for c in row if c.text()]
        if len(row) == 1 or (len(filled) == 1 and not re.fullmatch(r"\d+", filled[0].fold())):
            group = (filled or row)[0].text()
            counter = 0
            continue
        title_cell = row[title_c] if title_c is not None and title_c < len(row) else None
        if title_cell is None or not title_cell.text():
            continue
        counter += 1
        seq = _int(row[seq_c].fold()) if seq_c is not None and seq_c < len(row) else None
        lead_cell = row[lead_c] if lead_c is not None and lead_c < len(row) else None
        rows.append(
            {
                "seq": seq if seq is not None else counter,
                "group": group,
                "title": title_cell.text(),
                "lead_units": _lead_units(source, lead_cell, rules, heads[lead_c] if lead_c is not None else ""),
            }
        )
        spans.append(table.row_span(row))
    return rows, spans
