"""The ledger round trip (工作台账): a unit's items for a period as an .xlsx to fill offline, and the
filled file read back into the unit's draft submission.

The workbook has one visible sheet, 台账, laid out like the offices' own ledgers (a title block, then
one row per indicator or task the unit owes), and a very hidden sheet, meta, naming the plan, the
period and the unit, signed with django.core.signing so that a ledger that was tampered with or made
for another unit or period is refused. Only the cells the unit fills are unlocked; the sheet is
protected and the fill-in cells carry data validation (lists for status and grade, decimals for values).

Reading checks the file as a whole first (a workbook, the 台账 sheet, a valid meta, the right unit
and period, an editable report), then every row, and collects every error with the row number and
column letter Excel shows. Nothing is saved unless the whole file is valid; then the rows are saved
with one call of submission_save, as a draft the unit reviews and submits in the web form.
"""

import io
import unicodedata
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from liangxin.dispatch import services as dispatch_services
from liangxin.dispatch.enums import IndicatorKind, PeriodState, SubmissionState, TaskProgress
from liangxin.dispatch.models import Period, Submission, TaskProfile
from liangxin.dispatch.selectors import owed_by_unit

FORMAT_VERSION = 1
SHEET = "台账"
META_SHEET = "meta"
SIGNING_SALT = "liangxin.reports.ledger"
MAX_BYTES = 5 * 1024 * 1024
HEADER_ROW = 5  # the title block takes rows 1–4
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# (key, header, width). The header texts are what reading looks for, so they stay Chinese.
COLUMNS = [
    ("id", "编号", 8),
    ("kind", "类型", 6),
    ("seq", "序号", 6),
    ("name", "年度工作目标任务（指标名称）", 40),
    ("target", "年度目标", 28),
    ("deadline", "工作时限", 12),
    ("unit", "责任单位", 14),
    ("value", "本期值", 12),
    ("evidence", "佐证说明", 28),
    ("progress", "状态", 10),
    ("progress_note", "进展情况（具体举措）", 36),
    ("problems", "存在问题", 28),
    ("next_steps", "下步计划", 28),
]
LETTER = {key: get_column_letter(n) for n, (key, _header, _width) in enumerate(COLUMNS, start=1)}
HEADER = {key: header for key, header, _width in COLUMNS}
INDICATOR_FILLS = ("value", "evidence")
TASK_FILLS = ("progress", "progress_note", "problems", "next_steps")

# The status words of the plans' own ledgers, and the judged grades of qualitative indicators.
STATUS_WORDS = {
    TaskProgress.NOT_STARTED: "未启动",
    TaskProgress.IN_PROGRESS: "推进中",
    TaskProgress.DONE: "已完成",
    TaskProgress.LAGGING: "滞后",
}
GRADE_WORDS = {0: "0-未启动", 1: "1-推进中", 2: "2-基本实现", 3: "3-已实现"}

FILL_IN = PatternFill("solid", fgColor="FFF9E5")
HEAD = PatternFill("solid", fgColor="DDE6F0")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


@dataclass(frozen=True)
class LedgerProblem:
    """One reason the file was refused: the row and column as Excel shows them (None for the file)."""

    row: int | None
    column: str
    reason: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "reason": self.reason}


class LedgerRejected(Exception):
    """The ledger was refused; `problems` lists every reason. Nothing was saved."""

    def __init__(self, problems: list[LedgerProblem]):
        super().__init__("; ".join(p.reason for p in problems))
        self.problems = problems


def _refuse(reason: str):
    raise LedgerRejected([LedgerProblem(None, "", reason)])


# --- building ---------------------------------------------------------------------------------


def _rows(period: Period, unit) -> list[dict]:
    """The items the unit owes for the period, with the draft's values when there is one."""
    submission = Submission.objects.filter(period=period, unit=unit).first()
    year = period.start.year
    if submission is not None:
        ientries = list(
            submission.indicator_entries.select_related("indicator__profile")
            .prefetch_related("indicator__milestones")
            .order_by("indicator__position")
        )
        tentries = list(submission.task_entries.select_related("task").order_by("task__position"))
        indicators = [(e.indicator, e) for e in ientries]
        tasks = [(e.task, e) for e in tentries]
    else:
        owed_i, owed_t = owed_by_unit(unit=unit, plan=period.plan)
        indicators = [(i, None) for i in owed_i]
        tasks = [(t, None) for t in owed_t]
    dues = dict(TaskProfile.objects.filter(task__in=[t for t, _e in tasks]).values_list("task_id", "due_on"))
    rows = []
    for indicator, entry in indicators:
        kind = getattr(getattr(indicator, "profile", None), "kind", None)
        target = "；".join(m.text or "" for m in indicator.milestones.all() if m.year == year and m.text)
        rows.append(
            {
                "id": f"I{indicator.pk}",
                "kind": "指标",
                "seq": indicator.seq,
                "name": indicator.name,
                "target": target,
                "deadline": f"{year}年底",
                "unit": unit.name,
                "qualitative": kind == IndicatorKind.QUALITATIVE,
                "value": (GRADE_WORDS.get(entry.grade) if kind == IndicatorKind.QUALITATIVE else entry.value)
                if entry
                else None,
                "evidence": entry.evidence if entry else "",
            }
        )
    for task, entry in tasks:
        due = dues.get(task.pk)
        rows.append(
            {
                "id": f"T{task.pk}",
                "kind": "任务",
                "seq": task.number,
                "name": task.title,
                "target": "",
                "deadline": due.isoformat() if due else "",
                "unit": unit.name,
                "progress": STATUS_WORDS.get(entry.progress, "") if entry else "",
                "progress_note": entry.progress_note if entry else "",
                "problems": entry.problems if entry else "",
                "next_steps": entry.next_steps if entry else "",
            }
        )
    return rows


def _sign(period: Period, unit) -> str:
    return signing.dumps(
        {"v": FORMAT_VERSION, "plan": period.plan_id, "period": period.pk, "unit": unit.pk}, salt=SIGNING_SALT
    )


def ledger_filename(period: Period, unit) -> str:
    return f"工作台账_{unit.name}_{period.label}.xlsx"


def ledger_build(*, period: Period, unit) -> bytes:
    """The unit's ledger for the period as .xlsx bytes, pre-filled with its draft."""
    rows = _rows(period, unit)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    last = get_column_letter(len(COLUMNS))
    ws.merge_cells(f"A1:{last}1")
    ws["A1"] = f"{period.plan.title} 工作台账"
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells(f"A2:{last}2")
    ws["A2"] = f"方案：{period.plan.title}"
    ws.merge_cells(f"A3:{last}3")
    ws["A3"] = (
        f"填报单位：{unit.name}    报送期次：{period.label}（{period.start:%Y-%m-%d}至{period.end:%Y-%m-%d}）"
        f"    截止日期：{period.due:%Y-%m-%d}"
    )
    ws.merge_cells(f"A4:{last}4")
    ws["A4"] = "填写说明：只填写浅黄色单元格；状态和等级从下拉列表中选择；本期值填数字。填好后在填报页面上传本文件。"
    ws["A4"].font = Font(italic=True, color="666666")
    for n, (_key, header, width) in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=HEADER_ROW, column=n, value=header)
        cell.font = Font(bold=True)
        cell.fill = HEAD
        cell.border = BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(n)].width = width
    ws.column_dimensions["A"].hidden = True
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=2)

    status_list = DataValidation(
        type="list", formula1='"' + ",".join(STATUS_WORDS.values()) + '"', allow_blank=True, showErrorMessage=True
    )
    status_list.error = "请从列表中选择：" + "、".join(STATUS_WORDS.values())
    grade_list = DataValidation(
        type="list", formula1='"' + ",".join(GRADE_WORDS.values()) + '"', allow_blank=True, showErrorMessage=True
    )
    grade_list.error = "请从列表中选择等级（0–3）"
    number = DataValidation(
        type="decimal", operator="between", formula1="-1E+13", formula2="1E+13", allow_blank=True, showErrorMessage=True
    )
    number.error = "本期值须为数字"
    for validation in (status_list, grade_list, number):
        ws.add_data_validation(validation)

    wrap = Alignment(vertical="top", wrap_text=True)
    for r, row in enumerate(rows, start=HEADER_ROW + 1):
        fills = INDICATOR_FILLS if row["kind"] == "指标" else TASK_FILLS
        for n, (key, _header, _width) in enumerate(COLUMNS, start=1):
            cell = ws.cell(row=r, column=n, value=row.get(key))
            cell.border = BOX
            cell.alignment = wrap
            if key in fills:
                cell.protection = Protection(locked=False)
                cell.fill = FILL_IN
        if row["kind"] == "指标":
            (grade_list if row["qualitative"] else number).add(f"{LETTER['value']}{r}")
        else:
            status_list.add(f"{LETTER['progress']}{r}")

    ws.protection.sheet = True
    ws.protection.formatRows = False  # people may make rows taller to read long texts
    ws.protection.formatColumns = False

    meta = wb.create_sheet(META_SHEET)
    for r, (key, value) in enumerate(
        [
            ("format", FORMAT_VERSION),
            ("plan", period.plan_id),
            ("period", period.pk),
            ("unit", unit.pk),
            ("signature", _sign(period, unit)),
            ("generated", timezone.localtime().isoformat(timespec="seconds")),
        ],
        start=1,
    ):
        meta.cell(row=r, column=1, value=key)
        meta.cell(row=r, column=2, value=value)
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    wb.security = WorkbookProtection(lockStructure=True)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- reading ----------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _number(value) -> Decimal | None:
    """A cell's number as an exact Decimal; raises ValueError for text that is not a number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # repr gives the shortest text that reads back as the same float: 12.3, not 12.2999…
        number = Decimal(repr(value))
        return number.quantize(Decimal("0.000001")) if number.as_tuple().exponent < -6 else number
    text = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError from None
    if not number.is_finite():
        raise ValueError
    return number


def _grade(value) -> int | None:
    text = unicodedata.normalize("NFKC", _text(value))
    if not text:
        return None
    for grade, word in GRADE_WORDS.items():
        if text in (word, str(grade), word.split("-", 1)[1]):
            return grade
    raise ValueError


def _status(value) -> str:
    text = _text(value)
    if not text:
        return ""
    for code, word in STATUS_WORDS.items():
        if text in (word, code):
            return code
    raise ValueError


def _meta(wb) -> dict:
    if META_SHEET not in wb.sheetnames:
        _refuse(
            _("This file is not a ledger made by Liangxin (its identification is missing). Download the ledger again.")
        )
    cells = {}
    for row in wb[META_SHEET].iter_rows(min_row=1, max_row=20, max_col=2, values_only=True):
        if row and row[0]:
            cells[str(row[0])] = row[1] if len(row) > 1 else None
    try:
        signed = signing.loads(str(cells.get("signature") or ""), salt=SIGNING_SALT)
    except signing.BadSignature:
        _refuse(
            _("The ledger's identification was changed or does not come from this system. Download the ledger again.")
        )
    if signed.get("v") != FORMAT_VERSION:
        _refuse(_("This ledger is of an older format. Download the ledger again."))
    return signed


@dataclass
class LedgerContent:
    indicators: dict
    tasks: dict
    rows: int


def ledger_read(*, data: bytes, period: Period, unit, submission: Submission) -> LedgerContent:
    """Check a filled ledger against the period, the unit and its submission; raise LedgerRejected
    with every problem found, or return the values in the shape submission_save takes."""
    if len(data) > MAX_BYTES:
        _refuse(_("The file is larger than 5 MB; a ledger is much smaller. Check that you chose the right file."))
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, Exception):  # noqa: BLE001
        # openpyxl raises many kinds of errors on files that are not workbooks or are broken.
        _refuse(_("This file is not an Excel workbook (.xlsx). Upload the ledger you downloaded, saved as .xlsx."))
    try:
        return _read_workbook(wb, period=period, unit=unit, submission=submission)
    finally:
        wb.close()


def _read_workbook(wb, *, period: Period, unit, submission: Submission) -> LedgerContent:
    if SHEET not in wb.sheetnames:
        _refuse(
            _("The workbook has no sheet named “%(sheet)s” (it has: %(names)s). Keep the sheet's name as it was.")
            % {"sheet": SHEET, "names": "、".join(n for n in wb.sheetnames if n != META_SHEET) or "—"}
        )
    signed = _meta(wb)
    if signed["unit"] != unit.pk:
        from liangxin.core.models import Unit

        owner = Unit.objects.filter(pk=signed["unit"]).first()
        _refuse(
            _("This ledger belongs to %(owner)s; you report for %(unit)s. Download your own unit's ledger.")
            % {"owner": owner.name if owner else "?", "unit": unit.name}
        )
    if signed["period"] != period.pk:
        other = Period.objects.filter(pk=signed["period"]).select_related("plan").first()
        _refuse(
            _("This ledger is for period %(other)s, not %(period)s. Download the ledger of %(period)s.")
            % {"other": f"{other.plan.title} {other.label}" if other else "?", "period": period.label}
        )
    if period.state != PeriodState.OPEN:
        _refuse(_("Period %s is not open for reporting.") % period.label)
    if submission.state not in (SubmissionState.DRAFT, SubmissionState.RETURNED):
        _refuse(
            _("This report is %s; it can be changed only while it is a draft or after it was returned.")
            % submission.get_state_display()
        )

    ws = wb[SHEET]
    rows = ws.iter_rows(min_row=HEADER_ROW, values_only=True)
    header = [_text(v) for v in (next(rows, None) or ())]
    where = {}
    for key, title in HEADER.items():
        if title in header:
            where[key] = header.index(title)
    missing = [HEADER[k] for k in ("id", *INDICATOR_FILLS, *TASK_FILLS) if k not in where]
    if missing:
        _refuse(_("Columns are missing from the ledger: %s. Download the ledger again.") % "、".join(missing))
    # Errors name columns as the downloaded ledger has them, which is where the person will look.
    col = {key: get_column_letter(where[key] + 1) + f"（{HEADER[key]}）" for key in where}

    indicator_kinds = {
        e.indicator_id: getattr(getattr(e.indicator, "profile", None), "kind", None)
        for e in submission.indicator_entries.select_related("indicator__profile")
    }
    task_ids = set(submission.task_entries.values_list("task_id", flat=True))
    problems: list[LedgerProblem] = []
    indicators, tasks, seen = {}, {}, {}
    for excel_row, values in enumerate(rows, start=HEADER_ROW + 1):

        def cell(key, values=values):
            n = where.get(key)
            return values[n] if n is not None and n < len(values) else None

        ident = _text(cell("id")).upper()
        if not ident:
            if any(cell(k) not in (None, "") for k in (*INDICATOR_FILLS, *TASK_FILLS)):
                problems.append(LedgerProblem(excel_row, col["id"], _("A row without an id: rows cannot be added.")))
            continue
        item_id = int(ident[1:]) if ident[1:].isdigit() else None
        if ident in seen:
            problems.append(
                LedgerProblem(
                    excel_row,
                    col["id"],
                    _("Item %(id)s appears twice (also row %(row)s).") % {"id": ident, "row": seen[ident]},
                )
            )
            continue
        seen[ident] = excel_row
        if ident[0] == "I" and item_id in indicator_kinds:
            values_out = {"evidence": _text(cell("evidence"))}
            if indicator_kinds[item_id] == IndicatorKind.QUALITATIVE:
                try:
                    values_out["grade"] = _grade(cell("value"))
                except ValueError:
                    problems.append(
                        LedgerProblem(
                            excel_row,
                            col["value"],
                            _("“%(text)s” is not a grade; choose one of %(grades)s.")
                            % {"text": _text(cell("value")), "grades": "、".join(GRADE_WORDS.values())},
                        )
                    )
            else:
                try:
                    number = _number(cell("value"))
                except ValueError:
                    problems.append(
                        LedgerProblem(
                            excel_row,
                            col["value"],
                            _("“%s” is not a number; write the value as digits only (units go in 佐证说明).")
                            % _text(cell("value")),
                        )
                    )
                else:
                    if number is not None and (abs(number) >= Decimal("1E14") or number.as_tuple().exponent < -6):
                        problems.append(
                            LedgerProblem(
                                excel_row, col["value"], _("The number is too large or has more than 6 decimals.")
                            )
                        )
                    values_out["value"] = number
            indicators[item_id] = values_out
        elif ident[0] == "T" and item_id in task_ids:
            values_out = {k: _text(cell(k)) for k in ("progress_note", "problems", "next_steps")}
            try:
                values_out["progress"] = _status(cell("progress"))
            except ValueError:
                problems.append(
                    LedgerProblem(
                        excel_row,
                        col["progress"],
                        _("“%(text)s” is not a status; choose one of %(words)s.")
                        % {"text": _text(cell("progress")), "words": "、".join(STATUS_WORDS.values())},
                    )
                )
            tasks[item_id] = values_out
        else:
            problems.append(
                LedgerProblem(
                    excel_row, col["id"], _("Item %s is not one this unit reports on in this period.") % ident
                )
            )
    if problems:
        raise LedgerRejected(problems)
    if not seen:
        _refuse(_("The ledger has no rows."))
    return LedgerContent(indicators=indicators, tasks=tasks, rows=len(seen))


@transaction.atomic
def ledger_import(*, actor, data: bytes, period: Period, unit) -> int:
    """Read a filled ledger into the unit's draft for the period; returns how many rows were read.

    Raises LedgerRejected (nothing saved) for any problem. The audit entry is submission_save's."""
    try:
        submission = dispatch_services.submission_open(actor=actor, period=period, unit=unit)
    except dispatch_services.DispatchError as exc:
        _refuse(str(exc))
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    content = ledger_read(data=data, period=period, unit=unit, submission=submission)
    try:
        dispatch_services.submission_save(
            actor=actor, submission=submission, indicators=content.indicators, tasks=content.tasks
        )
    except dispatch_services.DispatchError as exc:
        _refuse(str(exc))
    except ValidationError as exc:
        _refuse("; ".join(exc.messages))
    return content.rows
