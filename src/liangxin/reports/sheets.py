"""Spreadsheet exports (.xlsx) in the layouts of the plans' own tables.

Each builder returns the bytes of a workbook that opens in Excel and WPS:

- `indicator_sheet(plan, period)`: the indicator comparison table (指标对比表, as 北辰区 附件1),
  with the latest actual and status of a period when the plan reports;
- `division_sheet(plan)`: the task division table (主要工作任务分工表, as 朔州市 附件1), or for a
  plan without one its task list with lead and responsible units under their section headings;
- `period_sheet(period)`: the 旬调度 sheet of a period: every unit that owes a report, whether
  and when it reported, and what;
- `league_sheet(plan, period)`: the league table (晾晒榜).

The texts in the cells are the plan's own (baseline and milestone texts, units as the plan writes
them) and the headers are the Chinese ones the plans print: these sheets are circulated as
government documents, so they are not translated with the interface.

The styling helpers (`title_rows`, `header_row`, `finish_sheet`, …) are shared with the other
workbooks of the app (the ledger).
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from liangxin.dispatch.assess import assess_plan, league_table
from liangxin.dispatch.enums import IndicatorKind, QualitativeGrade, Status, SubmissionState, TaskProgress
from liangxin.dispatch.models import IndicatorEntry, Period, ReportingCalendar, TaskEntry
from liangxin.dispatch.selectors import period_submissions
from liangxin.plans.enums import AssignmentRole
from liangxin.plans.models import Plan
from liangxin.plans.selectors import plan_page, section_paths

# --- shared styling -----------------------------------------------------------------------------

FONT = "宋体"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
SECTION_FILL = PatternFill("solid", fgColor="F2F2F2")
WRAP = Alignment(wrap_text=True, vertical="center")
CENTRE = Alignment(wrap_text=True, vertical="center", horizontal="center")

STATUS_LABELS = {
    Status.NORMAL: "正常",
    Status.WARNING: "预警",
    Status.LAGGING: "滞后",
    Status.NO_DATA: "无数据",
}
# Excel's own "good / neutral / bad" fills, and grey for nothing reported.
STATUS_FILLS = {
    Status.NORMAL: "C6EFCE",
    Status.WARNING: "FFEB9C",
    Status.LAGGING: "FFC7CE",
    Status.NO_DATA: "D9D9D9",
}
SUBMISSION_LABELS = {
    None: "未报送",
    SubmissionState.DRAFT: "草稿",
    SubmissionState.SUBMITTED: "已报送",
    SubmissionState.APPROVED: "已审核",
    SubmissionState.RETURNED: "已退回",
}
PROGRESS_LABELS = {
    TaskProgress.NOT_STARTED: "未启动",
    TaskProgress.IN_PROGRESS: "推进中",
    TaskProgress.DONE: "已完成",
    TaskProgress.LAGGING: "滞后",
    "": "",
}
GRADE_LABELS = {
    QualitativeGrade.NOT_STARTED: "未启动",
    QualitativeGrade.UNDER_WAY: "推进中",
    QualitativeGrade.LARGELY_DONE: "基本完成",
    QualitativeGrade.ACHIEVED: "已完成",
}


def status_fill(status: str) -> PatternFill:
    return PatternFill("solid", fgColor=STATUS_FILLS[status])


def new_sheet(title: str) -> tuple[Workbook, Worksheet]:
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]  # Excel's limit on sheet names
    return wb, ws


def title_rows(ws: Worksheet, title: str, subtitle: str, columns: int) -> int:
    """A bold title and a smaller line below it, each merged across the table; returns the next row."""
    ws.cell(row=1, column=1, value=title).font = Font(name=FONT, size=16, bold=True)
    ws.cell(row=1, column=1).alignment = CENTRE
    ws.row_dimensions[1].height = 30
    ws.cell(row=2, column=1, value=subtitle).font = Font(name=FONT, size=10)
    ws.cell(row=2, column=1).alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
    if columns > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=columns)
    return 3


def header_row(ws: Worksheet, row: int, headers: list[str]) -> None:
    for col, text in enumerate(headers, start=1):
        cell = ws.cell(row=row, column=col, value=text)
        cell.font = Font(name=FONT, bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = CENTRE
    ws.row_dimensions[row].height = 28


def body_cell(ws: Worksheet, row: int, col: int, value, *, centre: bool = False, number_format: str | None = None):
    cell = ws.cell(row=row, column=col, value=value)
    cell.font = Font(name=FONT)
    cell.border = BORDER
    cell.alignment = CENTRE if centre else WRAP
    if number_format:
        cell.number_format = number_format
    return cell


def merge_down(ws: Worksheet, col: int, first: int, last: int) -> None:
    """Merge a column over rows first..last (the cells below the first keep their borders)."""
    if last > first:
        ws.merge_cells(start_row=first, start_column=col, end_row=last, end_column=col)


def note_row(ws: Worksheet, row: int, text: str, columns: int) -> None:
    cell = ws.cell(row=row, column=1, value=text)
    cell.font = Font(name=FONT, size=10, italic=True)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    if columns > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    ws.row_dimensions[row].height = 30


def finish_sheet(ws: Worksheet, *, header: int, widths: list[float]) -> None:
    """Column widths, the header frozen and repeated on every printed page, A4 landscape fit to width."""
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(row=header + 1, column=1)
    ws.print_title_rows = f"{header}:{header}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6


def workbook_bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def figure(value, unit: str | None = "") -> str:
    """A quantity as the tables write it: at most two decimals, no trailing zeros (16.06亿元)."""
    if value is None:
        return ""
    number = Decimal(str(value)).quantize(Decimal("0.01")).normalize()
    return f"{number:f}{unit or ''}"


def _units(assignments, role) -> str:
    return "、".join(a.written_as for a in assignments if a.role == role)


# --- periods ------------------------------------------------------------------------------------


def default_period(plan: Plan, today: datetime.date | None = None) -> Period | None:
    """The latest period of the plan that has ended by today; None before the first ends."""
    today = today or timezone.localdate()
    return Period.objects.filter(plan=plan, end__lte=today).order_by("-end").first()


def _unit_of(indicator) -> str:
    """The unit an actual is written in: the baseline's (what units report against, as the
    dashboard shows it), else the milestones' — a growth target in % still reports a level."""
    if indicator.baseline_unit:
        return indicator.baseline_unit
    return next((m.unit for m in indicator.milestones.all() if m.unit and m.unit != "%"), "")


# --- 指标对比表 -----------------------------------------------------------------------------------


def _actual_text(ia) -> str:
    if ia.actual is None:
        return ""
    if ia.kind == IndicatorKind.QUALITATIVE:
        grade = int(ia.actual)
        label = GRADE_LABELS.get(grade, "")
        return label if ia.actual == grade else f"{label}（{figure(ia.actual)}）"
    ind = ia.indicator
    unit = _unit_of(ind)
    return figure(ia.actual, unit)


def indicator_sheet(plan: Plan, period: Period | None = None) -> bytes:
    """指标对比表: one row per indicator as the plan prints it, the 重点任务 merged over its rows.

    With a period (of a plan that has a reporting calendar) two more columns: 最新实际 and 状态,
    from `assess_plan`, the status cell filled green, amber, red or grey.
    """
    page = plan_page(plan)
    indicators, years = page["indicators"], page["years"]
    assessed = {}
    if period is not None:
        assessed = {ia.indicator.pk: ia for ia in assess_plan(plan, period).indicators}
    baseline_years = {i.baseline_year for i in indicators if i.baseline_year}
    baseline_year = min(baseline_years) if baseline_years else (years[0] - 1 if years else None)
    headers = ["序号", "重点任务", "指标名称", f"{baseline_year}年底现状" if baseline_year else "现状"]
    headers += [f"{y}年工作目标" for y in years]
    headers += ["责任单位"]
    if period is not None:
        headers += ["最新实际", "状态"]
    columns = len(headers)

    wb, ws = new_sheet("指标对比表")
    subtitle = f"{plan.jurisdiction.full_name}"
    if plan.doc_number:
        subtitle += f"　{plan.doc_number}"
    if period is not None:
        subtitle += f"　最新实际与状态截至{period.label}（{period.start:%Y.%m.%d}—{period.end:%Y.%m.%d}）"
    header = title_rows(ws, f"{plan.title}　指标对比表", subtitle, columns)
    header_row(ws, header, headers)

    row = header
    task_col = 2
    for ind in indicators:
        row += 1
        body_cell(ws, row, 1, ind.seq, centre=True)
        if ind.task_rowspan:
            body_cell(ws, row, task_col, ind.task_text or "", centre=True)
            merge_down(ws, task_col, row, row + ind.task_rowspan - 1)
        else:
            body_cell(ws, row, task_col, None)  # the border of a merged cell's lower part
        body_cell(ws, row, 3, ind.name)
        body_cell(ws, row, 4, ind.baseline_text or figure(ind.baseline_value, ind.baseline_unit))
        col = 5
        for m in ind.cells:
            body_cell(ws, row, col, (m.text or figure(m.value, m.unit)) if m else "")
            col += 1
        body_cell(ws, row, col, _units(ind.assignments.all(), AssignmentRole.RESPONSIBLE), centre=True)
        if period is not None:
            ia = assessed.get(ind.pk)
            status = ia.status if ia else Status.NO_DATA
            body_cell(ws, row, col + 1, _actual_text(ia) if ia else "", centre=True)
            cell = body_cell(ws, row, col + 2, STATUS_LABELS[status], centre=True)
            cell.fill = status_fill(status)
            if ia is not None and ia.formula:
                # The reasoning behind the status, for whoever asks "why red?".
                ws.cell(row=row, column=col + 1).comment = _comment(ia.formula)
    if period is not None:
        cal = ReportingCalendar.objects.filter(plan=plan).first()
        if cal is not None:
            note_row(
                ws,
                row + 2,
                f"状态按序时进度判断：实际达到序时进度的{figure(cal.normal_pct)}%及以上为正常，"
                f"{figure(cal.warning_pct)}%至{figure(cal.normal_pct)}%为预警，以下为滞后；未报送为无数据。",
                columns,
            )
    widths = [6, 16, 22, 26] + [26] * len(years) + [14]
    if period is not None:
        widths += [14, 9]
    finish_sheet(ws, header=header, widths=widths)
    return workbook_bytes(wb)


def _comment(text: str):
    from openpyxl.comments import Comment

    comment = Comment(text, "liangxin")
    comment.width, comment.height = 300, 120
    return comment


# --- 主要工作任务分工表 -----------------------------------------------------------------------------


def division_sheet(plan: Plan) -> bytes:
    """The plan's task division table; without one, its tasks with their lead and responsible units."""
    page = plan_page(plan)
    wb, ws = new_sheet("主要工作任务分工表")
    if page["division_rows"]:
        headers = ["序号", "重点任务", "牵头单位"]
        header = title_rows(ws, f"{plan.title}　主要工作任务分工表", plan.jurisdiction.full_name, len(headers))
        header_row(ws, header, headers)
        row = header
        for r in page["division_rows"]:
            row += 1
            body_cell(ws, row, 1, r.seq, centre=True)
            body_cell(ws, row, 2, r.task_text)
            body_cell(ws, row, 3, _units(r.assignments.all(), AssignmentRole.LEAD), centre=True)
        finish_sheet(ws, header=header, widths=[8, 60, 30])
        return workbook_bytes(wb)

    headers = ["序号", "重点任务", "牵头单位", "责任单位"]
    header = title_rows(ws, f"{plan.title}　主要工作任务分工表", plan.jurisdiction.full_name, len(headers))
    header_row(ws, header, headers)
    tasks = page["tasks"]
    paths = section_paths(tasks)
    row, above = header, []
    for task in tasks:
        path = paths[task.pk]
        shared = 0
        while shared < min(len(path), len(above)) and path[shared] == above[shared]:
            shared += 1
        for heading in path[shared:]:
            row += 1
            cell = body_cell(ws, row, 1, heading)
            cell.font = Font(name=FONT, bold=True)
            cell.fill = SECTION_FILL
            for col in range(2, len(headers) + 1):
                body_cell(ws, row, col, None).fill = SECTION_FILL
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(headers))
        above = path
        row += 1
        body_cell(ws, row, 1, task.number, centre=True)
        body_cell(ws, row, 2, task.title)
        body_cell(ws, row, 3, "、".join(a.written_as for a in task.leads), centre=True)
        body_cell(ws, row, 4, "、".join(a.written_as for a in task.responsibles), centre=True)
    finish_sheet(ws, header=header, widths=[8, 70, 24, 30])
    return workbook_bytes(wb)


# --- 旬调度 -------------------------------------------------------------------------------------


def _entry_value(entry: IndicatorEntry) -> str:
    if entry.grade is not None:
        return GRADE_LABELS.get(entry.grade, str(entry.grade))
    ind = entry.indicator
    unit = _unit_of(ind)
    return figure(entry.value, unit)


PERIOD_HEADERS = [
    "序号",
    "单位",
    "报送状态",
    "报送时间",
    "是否迟报",
    "类别",
    "事项",
    "本期值/状态",
    "进展情况",
    "存在问题",
    "下步计划",
]


def period_sheet(period: Period, *, today: datetime.date | None = None) -> bytes:
    """The 旬调度 sheet: a block of rows per owing unit (its state, time, lateness merged down the
    block), one row per indicator it reported (本期值) and per task (状态, 进展情况, 存在问题, 下步计划).

    A draft is shown as such without its contents: it has not reached the office yet.
    """
    today = today or timezone.localdate()
    plan = period.plan
    rows = period_submissions(period)
    shown = [
        r["submission"].pk
        for r in rows
        if r["submission"] is not None and r["submission"].state != SubmissionState.DRAFT
    ]
    indicator_entries: dict[int, list[IndicatorEntry]] = {}
    for e in (
        IndicatorEntry.objects.filter(submission_id__in=shown)
        .select_related("indicator")
        .prefetch_related("indicator__milestones")
        .order_by("indicator__position")
    ):
        indicator_entries.setdefault(e.submission_id, []).append(e)
    task_entries: dict[int, list[TaskEntry]] = {}
    for e in TaskEntry.objects.filter(submission_id__in=shown).select_related("task").order_by("task__position"):
        task_entries.setdefault(e.submission_id, []).append(e)

    wb, ws = new_sheet("调度表")
    columns = len(PERIOD_HEADERS)
    reported = sum(1 for r in rows if r["submission"] and r["submission"].submitted_at)
    subtitle = (
        f"{plan.jurisdiction.full_name}　报送期：{period.label}（{period.start:%Y.%m.%d}—{period.end:%Y.%m.%d}）"
        f"　报送截止：{period.due:%Y年%m月%d日}　应报{len(rows)}个单位，已报{reported}个"
    )
    header = title_rows(ws, f"{plan.title}　{period.label}调度表", subtitle, columns)
    header_row(ws, header, PERIOD_HEADERS)

    row = header
    for n, r in enumerate(rows, start=1):
        unit, sub = r["unit"], r["submission"]
        first = row + 1
        items: list[list] = []
        if sub is not None and sub.pk in shown:
            for e in indicator_entries.get(sub.pk, []):
                items.append(["指标", e.indicator.name, _entry_value(e), e.evidence, "", ""])
            for e in task_entries.get(sub.pk, []):
                items.append(
                    [
                        "任务",
                        f"{e.task.number}. {e.task.title}",
                        PROGRESS_LABELS.get(e.progress, e.progress),
                        e.progress_note,
                        e.problems,
                        e.next_steps,
                    ]
                )
        if not items:
            items.append(["", "", "", "", "", ""])
        for item in items:
            row += 1
            for col, value in enumerate(item, start=6):
                body_cell(ws, row, col, value, centre=col in (6, 8))
        if sub is None or sub.submitted_at is None:
            when = ""
            late = "逾期未报" if today > period.due else ""
        else:
            when = timezone.localtime(sub.submitted_at).replace(tzinfo=None)
            late = "是" if sub.late else "否"
        state = SUBMISSION_LABELS[sub.state if sub else None]
        for col, value in enumerate([n, unit.name, state, when, late], start=1):
            for blank in range(first, row + 1):
                body_cell(ws, blank, col, None)
            cell = body_cell(ws, first, col, value, centre=True, number_format="yyyy-mm-dd hh:mm" if col == 4 else None)
            if col == 5 and late in ("是", "逾期未报"):
                cell.fill = status_fill(Status.WARNING if late == "是" else Status.LAGGING)
            merge_down(ws, col, first, row)
    finish_sheet(ws, header=header, widths=[6, 16, 10, 17, 10, 7, 30, 14, 40, 28, 28])
    return workbook_bytes(wb)


# --- 晾晒榜 -------------------------------------------------------------------------------------

LEAGUE_HEADERS = ["名次", "单位", "得分", "名次变化", "按时报送率", "指标得分", "任务得分"]


def rank_change_text(rank: int, previous_rank: int | None) -> str:
    if previous_rank is None or previous_rank == rank:
        return "—"
    return f"↑{previous_rank - rank}" if previous_rank > rank else f"↓{rank - previous_rank}"


def league_sheet(plan: Plan, period: Period) -> bytes:
    """The league table of a period: rank, unit, score (0–100), change against the previous period,
    and the three parts as percentages (numbers formatted as %, so they can be sorted and summed)."""
    league = league_table(plan, period)
    cal = ReportingCalendar.objects.filter(plan=plan).first() or ReportingCalendar(plan=plan)
    wb, ws = new_sheet("晾晒榜")
    columns = len(LEAGUE_HEADERS)
    subtitle = f"{plan.jurisdiction.full_name}　{period.label}（{period.start:%Y.%m.%d}—{period.end:%Y.%m.%d}）"
    header = title_rows(ws, f"{plan.title}　晾晒榜", subtitle, columns)
    header_row(ws, header, LEAGUE_HEADERS)
    row = header
    for s in league:
        row += 1
        body_cell(ws, row, 1, s.rank, centre=True)
        body_cell(ws, row, 2, s.unit.name)
        body_cell(ws, row, 3, s.score, centre=True, number_format="0.00")
        body_cell(ws, row, 4, rank_change_text(s.rank, s.previous_rank), centre=True)
        for col, part in ((5, s.on_time_rate), (6, s.indicator_score), (7, s.task_score)):
            body_cell(ws, row, col, part if part is not None else "—", centre=True, number_format="0%")
    note_row(
        ws,
        row + 2,
        f"得分 = 按时报送率×{cal.weight_on_time}% + 指标得分×{cal.weight_indicators}% + 任务得分×{cal.weight_tasks}%。"
        "指标、任务得分：正常计100%，预警计50%，滞后或无数据计0；无指标（或无任务）的单位按其余部分折算。"
        "得分相同名次并列。名次变化与上一报送期相比。",
        columns,
    )
    finish_sheet(ws, header=header, widths=[7, 24, 10, 10, 12, 11, 11])
    return workbook_bytes(wb)


def sheet_filename(plan: Plan, kind: str, period: Period | None = None) -> str:
    """北辰区-指标对比表-2024年2月.xlsx: the jurisdiction, the table, the period; safe for any file system."""
    parts = [plan.jurisdiction.name, kind] + ([period.label] if period else [])
    name = "-".join(parts)
    for ch in '\\/:*?"<>|':
        name = name.replace(ch, "_")
    return f"{name}.xlsx"
