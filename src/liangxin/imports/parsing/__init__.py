"""Parsing the plain text of a work plan into the interchange format (liangxin.plan/1).

``parse_plan(text)`` returns a :class:`ParseResult`: the document, the character spans of what it
read (offsets into ``text``), and warnings for a reviewer. Text that is not a work plan raises
:class:`~liangxin.imports.errors.NotAPlanError`; nothing else is raised for odd input.

The modules, in reading order: ``text`` (debris, width folding, offsets), ``header`` (title,
issuer, date, document numbers), ``structure`` (numbering, sections, tasks), ``units`` (unit
recognition and assignments), ``targets`` (quantified targets), ``tables`` (indicator table,
division table, policy list) and ``taskforce``.
"""

import logging
import re
from dataclasses import dataclass, field

from ..errors import NotAPlanError
from . import header as header_mod
from . import structure, tables, targets, taskforce
from .text import Condensed, Source, fold, nfkc_key, squeeze
from .units import LABEL, Assignment, Rules, looks_like_assignment, read_assignment, units_in

FORMAT = "liangxin.plan/1"
logger = logging.getLogger(__name__)

__all__ = ["ParseResult", "parse_plan", "cell_quantity", "NotAPlanError"]


@dataclass
class ParseResult:
    document: dict
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def parse_plan(text: str) -> ParseResult:
    """Parse the plain text of a work plan. Raises NotAPlanError when it is not one."""
    if not isinstance(text, str) or not text.strip():
        raise NotAPlanError("The text is empty: there is no work plan to read.")
    try:
        return _Parser(text).run()
    except NotAPlanError:
        raise
    except Exception as exc:
        # The contract is NotAPlanError or a result; a parser bug must not surface as a crash of
        # the upload. It is logged with its traceback so that it gets fixed.
        logger.exception("the plan parser failed on a text of %d characters", len(text))
        raise NotAPlanError(
            "The text could not be read as a work plan (the parser failed on it). "
            "Please report this document to the administrators."
        ) from exc


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.source = Source(text)
        self.spans: dict[str, tuple[int, int]] = {}
        self.warnings: list[str] = []
        self.units: list[str] = []
        self._unit_keys: set[str] = set()
        self.rules = Rules.of(self.source.fold)

    # -- helpers -------------------------------------------------------------------------------
    def note_unit(self, name: str) -> str:
        key = nfkc_key(name)
        if key not in self._unit_keys:
            self._unit_keys.add(key)
            self.units.append(name)
        return name

    def span(self, key: str, value: tuple[int, int] | None) -> None:
        if value and value[0] < value[1]:
            self.spans[key] = (int(value[0]), int(value[1]))

    def guarded(self, what: str, fn, default):
        """Run one optional reading; a failure becomes a warning, not an exception."""
        try:
            return fn()
        except Exception as exc:  # noqa: BLE001 - a reviewer gets the field empty and a warning
            self.warnings.append(f"{what} could not be read ({type(exc).__name__}); please fill it in by hand")
            return default

    # -- the run -------------------------------------------------------------------------------
    def run(self) -> ParseResult:
        src = self.source
        lines = src.lines
        all_tables = self.guarded("tables", lambda: [t for t in tables.find_tables(src, 0) if t.real], [])
        src.table_lines = {k for t in all_tables for k in range(t.start_line, t.end_line)}
        hdr = header_mod.read_header(src)
        body_start = hdr.title_line + 1 if hdr.title_line is not None else 0
        if hdr.title_line is None:
            first_section = next(
                (
                    x.index
                    for x in lines
                    if not x.blank
                    and not src.in_table(x)
                    and (structure.numbering(x.fold) or ("", "", 0))[0] in structure.SECTION_STYLES
                ),
                None,
            )
            if first_section is not None:
                body_start = first_section
        body_end = structure.find_body_end(src, body_start)
        body = structure.body_items(src, body_start, body_end)
        drafts = structure.tasks_of(src, body)
        numbered = len(body.items)
        title = hdr.title
        if numbered < 2:
            raise NotAPlanError(
                "This text does not look like a work plan: it has no numbered parts or tasks "
                "(一、… （一）… 1. …). Check that the right document was uploaded."
            )
        if not title:
            if len(drafts) >= 3 and numbered >= 4:
                title = "未命名方案"
                self.warnings.append("no plan title found; please enter the title")
            else:
                raise NotAPlanError(
                    "This text does not look like a work plan: no plan title (…方案, …计划, …措施) was found."
                )
        if not drafts:
            self.warnings.append("no numbered tasks under the sections; please add the tasks by hand")
        self.span("title", hdr.title_span)
        self.span("issuer", hdr.issuer_span)
        self.span("issued_on", hdr.issued_on_span)
        self.span("doc_number", hdr.doc_number_span)
        if hdr.issued_on is None:
            self.warnings.append("no issue date found in the covering notice")
        elif hdr.issued_on_from_print:
            self.warnings.append("the issue date is the printing date (…印发); check it against the notice")
        if not hdr.issuer:
            self.warnings.append("no issuer found; please enter the issuing body")

        # parent policies: from the top to the first section of the body
        first_item = body.items[0].line.start if body.items else len(src.fold)
        parents = self.guarded(
            "parent policies", lambda: header_mod.parent_policies(src, 0, first_item, hdr.doc_number), []
        )
        for k, (_name, sp) in enumerate(parents):
            self.span(f"parent_policies/{k}", sp)

        first_task = drafts[0].item.line.start if drafts else len(src.fold)
        goals = self.guarded("goals", lambda: self.read_goals(body, first_task), [])
        tasks = [self.read_task(k, d) for k, d in enumerate(drafts)]

        tabs = [t for t in all_tables if t.end_line > body_start]
        indicators, division, policies = [], [], []
        division_others: list[str] = []
        for tab in tabs:
            kind = tables.classify(tab)
            if kind == "indicators" and not indicators:
                rows, spans = self.guarded(
                    "indicator table", lambda t=tab: tables.read_indicators(src, t, self.warnings), ([], [])
                )
                indicators = rows
                for k, sp in enumerate(spans):
                    self.span(f"indicators/{k}", sp)
            elif kind == "division_table" and not division:
                rows, spans = self.guarded(
                    "division table",
                    lambda t=tab: tables.read_division(src, t, self.rules, division_others),
                    ([], []),
                )
                division = rows
                for k, sp in enumerate(spans):
                    self.span(f"division_table/{k}", sp)
            elif kind == "policy_list" and not policies:
                rows, spans = self.guarded(
                    "policy list", lambda t=tab: tables.read_policies(src, t, self.rules), ([], [])
                )
                policies = rows
                for k, sp in enumerate(spans):
                    self.span(f"policy_list/{k}", sp)
        for row in indicators:
            row["units"] = [self.note_unit(u) for u in row["units"]]
        for row in division + policies:
            row["lead_units"] = [self.note_unit(u) for u in row["lead_units"]]
        for name in division_others:
            self.note_unit(name)

        tf = self.guarded(
            "task force", lambda: taskforce.read_task_force(src, body_start, body_end, self.warnings), None
        )
        task_force = None
        if tf is not None:
            members = [self.note_unit(u) for u in tf.member_units]
            office = self.note_unit(tf.office_unit) if tf.office_unit else None
            task_force = {"name": tf.name, "office_unit": office, "member_units": members, "mechanisms": tf.mechanisms}
            self.span("task_force", tf.span)

        document = {
            "format": FORMAT,
            "title": title,
            "issuer": hdr.issuer or "",
            "issued_on": hdr.issued_on,
            "doc_number": hdr.doc_number,
            "parent_policies": [p for p, _ in parents],
            "goals": goals,
            "tasks": tasks,
            "indicators": indicators,
            "task_force": task_force,
            "division_table": division,
            "policy_list": policies,
            "units": list(self.units),
        }
        return ParseResult(document=document, spans=self.spans, warnings=self.warnings)

    # -- goals ---------------------------------------------------------------------------------
    def read_goals(self, body: structure.Body, limit: int) -> list[dict]:
        src = self.source
        region = self.goal_region(body, limit)
        if region is None:
            return []
        a, b = region
        c = src.condensed(a, b)
        # assignments written into the goal part name units too
        for i, j in _paren_groups(c.fold):
            if looks_like_assignment(c.fold[i:j]):
                for name in read_assignment(c, i, j, self.rules).names():
                    self.note_unit(name)
        goals = []
        for k, found in enumerate(targets.extract(_without_parens(c), goal_mode=True)):
            goals.append(found.target)
            self.span(f"goals/{k}", found.span)
        return goals

    def goal_region(self, body: structure.Body, limit: int) -> tuple[int, int] | None:
        """Offsets of the goal part, before offset ``limit`` (the first task).

        It lies in a top-level part about goals or general requirements (总体目标, 工作目标, 总体要求 …)
        and starts at its first dated clause (到2027年…). It runs on over numbered sub-items that
        are themselves about goals (a 目标 heading, a date or a figure) and stops at the first one
        that is not (基本原则 items after the goals). A part titled 目标 without any date is read
        whole, its goals undated."""
        src = self.source
        items = body.items
        for k, item in enumerate(items):
            if item.line.start >= limit:
                break
            if item.style not in structure.SECTION_STYLES and item.parent is not None:
                continue
            words = structure._title_words(item)
            if not structure.GOAL_PART.search(words[:12]):
                continue
            start = item.prefix_end
            end = next((x.line.start for x in items[k + 1 :] if x.rank <= item.rank), None)
            if end is None:
                end = src.lines[body.end_line - 1].end if body.end_line > 0 else len(src.fold)
            end = min(end, limit)
            part = src.condensed(start, end)
            first = _first_dated_clause(part.fold)
            if first is None:
                if re.search(r"目标", words[:8]) and not item.children:
                    return start, end
                continue
            region_start = part.pos[first]
            region_end = end
            for x in items[k + 1 :]:
                if x.line.start >= end:
                    break
                if x.line.start <= region_start:
                    continue
                x_end = x.end
                x_text = src.condensed(x.prefix_end, x_end).fold
                if (
                    structure.GOAL_PART.search(structure._title_words(x)[:12])
                    or _first_dated_clause(x_text) is not None
                ):
                    continue
                if targets.QUANTITY.search(x_text) and any(q.unit for q in _quick_quantities(x_text)):
                    continue
                region_end = x.line.start
                break
            return region_start, region_end
        return None

    # -- tasks ---------------------------------------------------------------------------------
    def read_task(self, k: int, d: structure.TaskDraft) -> dict:
        key = f"tasks/{k}"
        self.span(key, d.span)
        self.span(f"{key}/title", d.title_span)
        assignment, where = self.guarded(f"task {d.number} assignment", lambda: self.task_assignment(d), (None, None))
        lead, resp = [], []
        if assignment is None:
            self.warnings.append(f"task {d.number} ({d.title[:16]}): no marked assignment found")
        else:
            self.span(f"{key}/assignment", where)
            lead = [self.note_unit(u) for u in assignment.lead]
            resp = [self.note_unit(u) for u in assignment.responsible]
            if not lead and not resp:
                if assignment.generic_only:
                    self.warnings.append(f"task {d.number} ({d.title[:16]}): the assignment names no particular unit")
                else:
                    self.warnings.append(f"task {d.number} ({d.title[:16]}): no unit recognised in the assignment")
        found = self.guarded(
            f"task {d.number} targets",
            lambda: targets.extract(_without_assignment(d.block, where), goal_mode=False),
            [],
        )
        tgts = []
        for j, f in enumerate(found):
            tgts.append(f.target)
            self.span(f"{key}/targets/{j}", f.span)
        if not d.title:
            self.warnings.append(f"task {d.number}: empty title")
        elif len(d.title) > 40:
            self.warnings.append(f"task {d.number} ({d.title[:16]}…): the first sentence is long; check its title")
        return {
            "number": d.number,
            "path": d.path,
            "title": d.title or d.number,
            "lead_units": lead,
            "responsible_units": resp,
            "targets": tgts,
        }

    def task_assignment(self, d: structure.TaskDraft) -> tuple[Assignment | None, tuple[int, int] | None]:
        """The task's marked assignment: the last parenthesis that reads as one (names a unit or an
        assignment word such as 负责/牵头), or labelled lines (牵头单位：…/责任单位：…) outside
        parentheses after the title. A closing parenthesis of generic bodies only counts too, so
        that the reviewer is told it names no particular unit."""
        c = d.block
        text = c.fold
        candidates = []
        groups = _paren_groups(text)
        for i, j in groups:
            content = text[i:j]
            closing = not text[j + 1 :].strip("。；;，,.") or text[i - 2 : i - 1] in ("。", "；", ";")
            if _only_units(c, i, j):
                # a bare list of units counts only where it closes the item: (区发改委、区工信局)
                if closing:
                    candidates.append((i, j))
            elif looks_like_assignment(content):
                found, generic = units_in(c, i, j, places=True)
                if found or generic or closing:
                    candidates.append((i, j))
        labels = [m for m in LABEL.finditer(text) if m.start() >= d.title_end and not _in_parens(text, m.start())]
        if labels:
            i = labels[0].start()
            j = _label_block_end(c, labels)
            candidates.append((i, j))
        if not candidates:
            return None, None
        i, j = max(candidates, key=lambda x: x[0])
        a = read_assignment(c, i, j, self.rules)
        return a, c.span(max(0, i - 1), min(len(text), j + 1))


def _label_block_end(c: Condensed, labels) -> int:
    """End of a run of labelled assignment lines: the first 。 after the last label, or the first
    line break after it that starts something else (主要内容：…, a new paragraph)."""
    text = c.fold
    last = labels[-1]
    end = len(text)
    stop = text.find("。", last.end())
    if stop >= 0:
        end = stop
    for k in sorted(c.breaks):
        if k > last.end() and k < end:
            if not any(m.start() == k for m in labels):
                return k
    return end


def _in_parens(text: str, pos: int) -> bool:
    depth = 0
    for ch in text[:pos]:
        if ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
    return depth > 0


def _paren_groups(text: str) -> list[tuple[int, int]]:
    """Top-level ( … ) groups of folded text as content ranges [i, j); an unclosed group runs to
    the end. (【牵头单位】 is a label, not a group.)"""
    out = []
    depth, start = 0, None
    for k, ch in enumerate(text):
        if ch == "(":
            if depth == 0:
                start = k + 1
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0 and start is not None:
                out.append((start, k))
                start = None
    if depth and start is not None:
        out.append((start, len(text)))
    return out


def _only_units(c: Condensed, i: int, j: int) -> bool:
    """A parenthesis that is nothing but a list of units: (区发改委、区工信局)."""
    content = c.fold[i:j]
    if not content or re.search(r"\d", content):
        return False
    found, _ = units_in(c, i, j)
    if not found:
        return False
    covered = sum(len(squeeze(u.name)) for u in found)
    return len(content) - covered <= len(found) + 4


def _without_assignment(block: Condensed, where: tuple[int, int] | None) -> Condensed:
    if where is None:
        return block
    return block.keep([k for k, p in enumerate(block.pos) if not (where[0] <= p < where[1])])


_DATED = re.compile(r"(?:到|至|截至)?(?:19|20)\d\d年")


def _first_dated_clause(text: str) -> int | None:
    """Offset in ``text`` of the first clause that opens with (or is) a due date (到2027年…)."""
    depth = 0
    clause_start = 0
    k = 0
    while k < len(text):
        ch = text[k]
        if ch in "(《“":
            depth += 1
        elif ch in ")》”" and depth:
            depth -= 1
        elif depth == 0 and ch in "。，；：\n——":
            clause_start = k + 1
        elif depth == 0 and ch in "到至" and _DATED.match(text, k):
            return clause_start if text[clause_start:k].strip() == "" else k
        elif (
            depth == 0
            and ch.isdigit()
            and _DATED.match(text, k)
            and text[clause_start:k].strip() in ("", "力争", "争取")
        ):
            if k == 0 or text[k - 1] not in "较比":
                return clause_start
        k += 1
    return None


def _quick_quantities(text: str):
    c = Condensed(text, text, tuple(range(len(text))))
    return targets._quantities(c, targets._mask(text), 0, len(text))


def _without_parens(c: Condensed) -> Condensed:
    """The text without its parentheses (assignments in the goal part)."""
    drop = set()
    for i, j in _paren_groups(c.fold):
        if j - i > 2 or re.search(r"\d", c.fold[i:j]):  # 台（套） stays
            drop.update(range(i - 1, min(j + 1, len(c.fold))))
    return c.keep([k for k in range(len(c.fold)) if k not in drop])


def cell_quantity(text: str | None):
    """(value, unit) that a table cell states, read as the indicator table is read: the level after
    累计/达到, else the first figure; (None, None) when the cell states none."""
    if not text:
        return None, None
    return tables.cell_value(fold(text), text)
