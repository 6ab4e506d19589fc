"""The monthly 专报: a Word document in the house style of a government special report.

`monthly_report_docx(plan, period)` reads the assessment of one period (`assess_plan`), the open
督办 items, the open problems and the units' 下步计划, and lays them out as offices write them:
a red header with the title and issue number, the issuing office and date, then 一、总体情况,
二、指标完成情况 (table with coloured statuses and a chart), 三、晾晒排名, 四、滞后单位及督办情况,
五、存在问题, 六、下步工作. `monthly_report_pdf` converts it with LibreOffice.

Fonts: runs name 仿宋 (body), 黑体 (headings) and 宋体 (title) for East Asian text (w:eastAsia) and
Times New Roman for Latin text and digits, as Word documents of offices do. Readers with those
fonts see them; where they are absent (Linux) LibreOffice maps them onto Noto CJK (see pdf.py).
"""

from __future__ import annotations

import datetime
import io
import re
from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone, translation
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from liangxin.dispatch.assess import COUNTING, PlanAssessment, assess_plan
from liangxin.dispatch.enums import IndicatorKind, SupervisionLevel
from liangxin.dispatch.models import Period, ReportingCalendar, Submission, SupervisionItem, TaskEntry
from liangxin.dispatch.selectors_dashboard import figure, grade_text
from liangxin.dispatch.selectors_supervision import (
    SUBJECT_INDICATOR,
    SUBJECT_TASK,
    concerned_unit_ids,
    open_problems,
    units_by_item,
)
from liangxin.plans.models import Plan

from . import charts
from .pdf import docx_to_pdf

BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
TITLE_FONT = "宋体"
LATIN_FONT = "Times New Roman"
BODY_PT = 16  # 三号
TABLE_PT = 10.5  # 五号
TITLE_PT = 22  # 二号
RED = RGBColor(0xC0, 0x00, 0x00)

STATUS_TEXT = {"normal": "正常", "warning": "预警", "lagging": "滞后", "no_data": "暂无数据"}
STATUS_FILL = {"normal": "C6E0B4", "warning": "FFE699", "lagging": "F4B6B6", "no_data": "E7E6E6"}
LEVEL_TEXT = {
    SupervisionLevel.DUE_SOON: "临期提醒",
    SupervisionLevel.OVERDUE: "逾期",
    SupervisionLevel.URGED: "催办",
    SupervisionLevel.NAMED: "通报",
    SupervisionLevel.SUPERVISED: "督办",
}
ACTED_LEVELS = (SupervisionLevel.URGED, SupervisionLevel.NAMED, SupervisionLevel.SUPERVISED)
PROBLEM_STATE_TEXT = {"open": "待交办", "assigned": "协调中", "resolved": "已解决"}
CHART_INDICATORS = 4
BEHIND_LOWEST = 3
NEXT_STEPS_PER_UNIT = 3
NEXT_STEPS_UNITS = 12


# How services.supervision writes a note line: "2025-05-12 10:00 催办: text" (the level label translated).
NOTE_LINE = re.compile(r"^(\d{4}-\d{2}-\d{2}) \d{2}:\d{2} (?:[^:：]{1,60}[:：]\s*)?(.*)$")


class MonthlyReportError(Exception):
    """Why a report cannot be made, in words a person can act on."""


# --- the data --------------------------------------------------------------------------------------


@dataclass
class UnitBehind:
    name: str
    rank: int | None
    score: Decimal | None
    items: list[str]
    actions: list[str]


def find_period(plan: Plan, label: str) -> Period:
    """The plan's period by its label (2025-03, 2025Q1, 2025-03上旬), with errors that say what to do."""
    if not ReportingCalendar.objects.filter(plan=plan).exists():
        raise MonthlyReportError(
            f"Plan {plan.pk} has no reporting calendar yet: the office sets one on the plan's reporting page."
        )
    period = Period.objects.filter(plan=plan, label=label).first()
    if period is None:
        labels = list(Period.objects.filter(plan=plan).order_by("start").values_list("label", flat=True))
        span = f"{labels[0]} … {labels[-1]}" if labels else "none"
        raise MonthlyReportError(f"Plan {plan.pk} has no period {label!r}; its periods are {span}.")
    return period


def report_title(plan: Plan, period: Period) -> str:
    """北辰区推动大规模设备更新和消费品以旧换新工作专报（2025年第3期）."""
    name = plan.title.strip()
    for suffix in ("工作实施方案", "实施方案", "工作方案", "行动方案", "方案"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    if not name.startswith(plan.jurisdiction.name):
        name = plan.jurisdiction.name + name
    number = Period.objects.filter(plan=plan, start__year=period.start.year, start__lte=period.start).count()
    return f"{name}工作专报（{period.start.year}年第{number}期）"


def _cn_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _pct(fraction) -> str:
    if fraction is None:
        return "—"
    return f"{(Decimal(str(fraction)) * 100).quantize(Decimal('0.1'))}%"


def _indicator_unit(ia, year: int) -> str:
    # The engine states levels in the baseline's unit (a growth milestone in % becomes a level).
    if ia.indicator.baseline_unit:
        return ia.indicator.baseline_unit
    for m in ia.indicator.milestones.all():
        if m.year == year and m.unit:
            return m.unit
    return ""


def _target_text(ia, year: int, unit: str) -> str:
    if ia.kind == IndicatorKind.QUALITATIVE:
        texts = [m.text for m in ia.indicator.milestones.all() if m.year == year and m.text]
        if not texts:
            return "—"
        return texts[0] if len(texts[0]) <= 24 else texts[0][:23] + "…"
    return figure(ia.target, unit)


def _value(ia, value, unit: str) -> str:
    return grade_text(value) if ia.kind == IndicatorKind.QUALITATIVE else figure(value, unit)


def _rank_change(score) -> str:
    if score.previous_rank is None:
        return "新进"
    change = score.previous_rank - score.rank
    if change > 0:
        return f"上升{change}位"
    if change < 0:
        return f"下降{-change}位"
    return "持平"


def _on_time(period: Period, owing: int) -> tuple[int, int]:
    """(reports counted this period, of which on time)."""
    rows = Submission.objects.filter(period=period, state__in=COUNTING).values_list("late", flat=True)
    late = list(rows)
    return len(late), sum(1 for x in late if not x)


def _last_note(note: str) -> str:
    """The latest line of an item's note without its time and level (“2025-05-12：电话催报”)."""
    lines = [line for line in note.strip().splitlines() if line.strip()]
    if not lines:
        return ""
    match = NOTE_LINE.match(lines[-1].strip())
    if not match:
        return lines[-1].strip()
    text = match.group(2).strip()
    return "" if text in ("", "—") else f"{match.group(1)}：{text}"


def _units_behind(assessment: PlanAssessment, plan: Plan) -> list[UnitBehind]:
    """The lowest-ranked units and those answering for a lagging indicator or task, with what was done."""
    concerned = concerned_unit_ids(plan)
    lagging: dict[int, list[str]] = {}
    for ia in assessment.indicators:
        if ia.status == "lagging":
            for uid in concerned.get((SUBJECT_INDICATOR, ia.indicator.pk), []):
                lagging.setdefault(uid, []).append(f"指标“{ia.indicator.name}”滞后")
    for ta in assessment.tasks:
        if ta.status == "lagging":
            for uid in concerned.get((SUBJECT_TASK, ta.task.pk), []):
                lagging.setdefault(uid, []).append(f"任务“{ta.task.title}”滞后")
    league = {s.unit.pk: s for s in assessment.league}
    lowest_rank = sorted({s.rank for s in assessment.league})[-BEHIND_LOWEST:] if assessment.league else []
    # Units tied at rank 1 with everyone are not behind.
    top = min((s.rank for s in assessment.league), default=None)
    lowest = [s.unit.pk for s in assessment.league if s.rank in lowest_rank and s.rank != top]
    ids = list(OrderedDict.fromkeys([*lowest, *sorted(lagging, key=lambda u: league[u].rank if u in league else 999)]))

    items = list(
        SupervisionItem.objects.filter(plan=plan, resolved_at__isnull=True, level__in=ACTED_LEVELS).order_by(
            "period__start", "pk"
        )
    )
    actions: dict[int, list[str]] = {}
    for item in items:
        for unit in units_by_item(plan, items).get(item.pk, []):
            note = _last_note(item.note)
            actions.setdefault(unit.pk, []).append(
                f"{LEVEL_TEXT.get(item.level, item.level)}：{item.title}" + (f"（{note}）" if note else "")
            )
        if item.pk not in ids and item.unit_id and item.unit_id not in ids:
            ids.append(item.unit_id)
    for uid in actions:
        if uid not in ids:
            ids.append(uid)
    from liangxin.core.models import Unit

    names = dict(Unit.objects.filter(pk__in=ids).values_list("pk", "name"))
    result = []
    for uid in ids:
        score = league.get(uid)
        result.append(
            UnitBehind(
                name=names.get(uid, "?"),
                rank=score.rank if score else None,
                score=score.score if score else None,
                items=lagging.get(uid, []),
                actions=actions.get(uid, []),
            )
        )
    return result


def _next_steps(plan: Plan, period: Period) -> OrderedDict[str, list[str]]:
    """The units' 下步计划 of the latest period that has any, by unit, without repeats."""
    entries = (
        TaskEntry.objects.filter(submission__period__plan=plan, submission__state__in=COUNTING)
        .filter(submission__period__start__lte=period.start)
        .exclude(next_steps="")
        .select_related("submission__unit", "submission__period")
        .order_by("-submission__period__start", "submission__unit__name", "task__position")
    )
    latest = entries.values_list("submission__period__start", flat=True).first()
    steps: OrderedDict[str, list[str]] = OrderedDict()
    if latest is None:
        return steps
    for entry in entries.filter(submission__period__start=latest):
        unit = entry.submission.unit.name
        texts = steps.setdefault(unit, [])
        text = entry.next_steps.strip().rstrip("。；;")
        if text and text not in texts and len(texts) < NEXT_STEPS_PER_UNIT:
            texts.append(text)
    return OrderedDict(list(steps.items())[:NEXT_STEPS_UNITS])


def chart_panels(assessment: PlanAssessment) -> list[dict]:
    """The first quantitative indicators with something to draw: expected against actual so far."""
    panels = []
    year = assessment.period.start.year
    for ia in assessment.indicators:
        if ia.kind == IndicatorKind.QUALITATIVE:
            continue
        if not any(p.expected is not None or p.actual is not None for p in ia.series):
            continue
        panels.append(
            {
                "title": ia.indicator.name,
                "unit": _indicator_unit(ia, year),
                "labels": [p.label for p in ia.series],
                "expected": [p.expected for p in ia.series],
                "actual": [p.actual for p in ia.series],
            }
        )
        if len(panels) == CHART_INDICATORS:
            break
    return panels


# --- the document ----------------------------------------------------------------------------------


def _fonts(run_or_style, east_asia: str, size: float | None = None, bold: bool | None = None):
    font = run_or_style.font
    font.name = LATIN_FONT
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    element = run_or_style.element
    rpr = element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:ascii"), LATIN_FONT)
    rfonts.set(qn("w:hAnsi"), LATIN_FONT)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:cs"), LATIN_FONT)


def _para(
    doc_or_cell,
    text: str = "",
    *,
    font=BODY_FONT,
    size=BODY_PT,
    bold=False,
    align=None,
    indent=True,
    color=None,
    space_after=0,
):
    p = doc_or_cell.add_paragraph()
    fmt = p.paragraph_format
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    fmt.space_after = Pt(space_after)
    if align is not None:
        p.alignment = align
    if text:
        run = p.add_run(text)
        _fonts(run, font, size, bold)
        if color is not None:
            run.font.color.rgb = color
    return p


def _heading(doc, text: str):
    return _para(doc, text, font=HEADING_FONT, size=BODY_PT, indent=True)


def _shade(cell, fill: str):
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _table(doc, header: list[str], rows: list[list[str]], widths: list[float], *, fills=None):
    table = doc.add_table(rows=1 + len(rows), cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    # LibreOffice lays a table out from its grid columns, Word from the cells: set both.
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for r, values in enumerate([header, *rows]):
        cells = table.rows[r].cells
        for c, text in enumerate(values):
            cell = cells[c]
            cell.width = Cm(widths[c])
            p = cell.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT if (c == 1 and r) else WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.line_spacing = 1.0
            p.paragraph_format.first_line_indent = Pt(0)
            run = p.add_run(str(text))
            _fonts(run, HEADING_FONT if r == 0 else BODY_FONT, TABLE_PT, r == 0)
            if r == 0:
                _shade(cell, "D9D9D9")
            elif fills and fills.get((r - 1, c)):
                _shade(cell, fills[(r - 1, c)])
    # Repeat the header row on every page the table runs onto.
    trpr = table.rows[0]._tr.get_or_add_trPr()
    header_flag = OxmlElement("w:tblHeader")
    header_flag.set(qn("w:val"), "true")
    trpr.append(header_flag)
    return table


def _red_rule(paragraph):
    ppr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "18"), ("space", "4"), ("color", "C00000")):
        bottom.set(qn(f"w:{key}"), value)
    border.append(bottom)
    ppr.append(border)


def _setup(doc):
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = doc.styles["Normal"]
    _fonts(normal, BODY_FONT, BODY_PT)
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = footer.add_run()
    _fonts(run, BODY_FONT, 12)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)


def build_document(plan: Plan, period: Period, *, today: datetime.date | None = None) -> Document:
    today = today or timezone.localdate()
    assessment = assess_plan(plan, period)
    year = period.start.year
    counts = assessment.counts
    demo = Submission.objects.filter(period=period, is_demo=True).exists()
    owing = len(assessment.league)
    counted, on_time = _on_time(period, owing)
    behind = _units_behind(assessment, plan)
    lagging_units = sum(1 for b in behind if b.items)
    problems = list(open_problems(plan))
    steps = _next_steps(plan, period)
    office = f"{plan.jurisdiction.name}工作专班办公室"

    doc = Document()
    _setup(doc)

    # The red header: the title, the issuing office and date over a red rule.
    title = report_title(plan, period)
    _para(
        doc,
        title,
        font=TITLE_FONT,
        size=TITLE_PT,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
        color=RED,
        space_after=12,
    )
    line = _para(doc, "", indent=False, space_after=6)
    line.paragraph_format.tab_stops.add_tab_stop(Cm(15.6), alignment=2)  # right-aligned tab
    run = line.add_run(f"{office}\t{_cn_date(today)}")
    _fonts(run, BODY_FONT, BODY_PT)
    _red_rule(line)
    if demo:
        _para(
            doc,
            "【演示数据】本期报送数据为系统生成的演示数据，仅供演示，不作为工作依据。",
            font=HEADING_FONT,
            size=12,
            indent=False,
            color=RED,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            space_after=6,
        )

    # 一、总体情况
    _heading(doc, "一、总体情况")
    total = sum(counts.values())
    rate = _pct(Decimal(on_time) / owing) if owing else "—"
    period_end = f"{period.end.year}年{period.end.month}月{period.end.day}日"
    _para(
        doc,
        f"截至{period_end}（{period.label}期），{plan.title}确定的{total}项指标中，"
        f"正常{counts.get('normal', 0)}项、预警{counts.get('warning', 0)}项、滞后{counts.get('lagging', 0)}项、"
        f"暂无数据{counts.get('no_data', 0)}项。本期应报送单位{owing}个，已报送{counted}个，按时报送{on_time}个，"
        f"按时报送率{rate}；有滞后事项的单位{lagging_units}个。"
        f"{len(assessment.tasks)}项重点任务中，"
        f"滞后{sum(1 for t in assessment.tasks if t.status == 'lagging')}项；"
        f"未解决问题{len(problems)}个。",
    )

    # 二、指标完成情况
    _heading(doc, "二、指标完成情况")
    rows, fills = [], {}
    for index, ia in enumerate(assessment.indicators):
        unit = _indicator_unit(ia, year)
        rows.append(
            [
                str(index + 1),
                ia.indicator.name,
                _target_text(ia, year, unit),
                _value(ia, ia.expected, unit),
                _value(ia, ia.actual, unit),
                _pct(ia.ratio),
                STATUS_TEXT.get(ia.status, ia.status),
            ]
        )
        fills[(index, 6)] = STATUS_FILL.get(ia.status)
    _table(
        doc,
        ["序号", "指标名称", "年度目标", "序时进度", "实际完成", "完成率", "状态"],
        rows,
        [1.2, 4.9, 2.3, 2.2, 2.2, 1.6, 1.6],
        fills=fills,
    )
    panels = chart_panels(assessment)
    if panels:
        _para(doc, "", indent=False)
        picture = doc.add_paragraph()
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture.paragraph_format.line_spacing = 1.0  # an exact 28pt line would crop the image
        picture.paragraph_format.first_line_indent = Pt(0)
        picture.add_run().add_picture(io.BytesIO(charts.trajectory_chart(panels)), width=Cm(15.5))
        _para(
            doc,
            "图1  主要指标序时进度与实际完成情况",
            font=HEADING_FONT,
            size=12,
            indent=False,
            align=WD_ALIGN_PARAGRAPH.CENTER,
        )

    # 三、晾晒排名
    _heading(doc, "三、晾晒排名")
    weights = assessment.weights
    _para(
        doc,
        f"按按时报送（权重{weights.get('on_time', 0)}%）、指标进度（{weights.get('indicators', 0)}%）"
        f"和任务进展（{weights.get('tasks', 0)}%）综合评分，本期各责任单位排名如下。",
    )
    _table(
        doc,
        ["名次", "单位", "得分", "名次变化", "按时报送率", "指标得分", "任务得分"],
        [
            [
                str(s.rank),
                s.unit.name,
                figure(s.score),
                _rank_change(s),
                _pct(s.on_time_rate),
                _pct(s.indicator_score),
                _pct(s.task_score),
            ]
            for s in assessment.league
        ],
        [1.2, 4.6, 1.6, 2.2, 2.2, 2.1, 2.1],
    )

    # 四、滞后单位及督办情况
    _heading(doc, "四、滞后单位及督办情况")
    if not behind:
        _para(doc, "本期无滞后单位。")
    for b in behind:
        where = f"（第{b.rank}名，{figure(b.score)}分）" if b.rank is not None else ""
        what = "；".join(b.items) if b.items else "综合得分靠后"
        done = "；".join(b.actions) if b.actions else "已由专班办公室提醒"
        _para(doc, f"{b.name}{where}：{what}。督办情况：{done}。")

    # 五、存在问题
    _heading(doc, "五、存在问题")
    if not problems:
        _para(doc, "本期无待协调问题。")
    for number, p in enumerate(problems, start=1):
        who = f"提出单位：{p.raised_by_unit.name}"
        if p.assigned_unit:
            who += f"；协调单位：{p.assigned_unit.name}"
        state = PROBLEM_STATE_TEXT.get(p.state, p.state)
        detail = f"{p.description.strip().rstrip('。')}。" if p.description.strip() else ""
        _para(doc, f"{number}. {p.title}。{detail}（{who}；{state}）")

    # 六、下步工作
    _heading(doc, "六、下步工作")
    if not steps:
        _para(doc, "各责任单位按计划推进各项任务。")
    for unit, texts in steps.items():
        _para(doc, f"{unit}：{'；'.join(texts)}。")
    return doc


def monthly_report_docx(plan: Plan, period: Period, *, today: datetime.date | None = None) -> bytes:
    """The monthly 专报 of a plan's period as a .docx file's bytes (Chinese whatever the request)."""
    with translation.override("zh-hans"):
        doc = build_document(plan, period, today=today)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def monthly_report_pdf(plan: Plan, period: Period, *, today: datetime.date | None = None) -> bytes:
    return docx_to_pdf(monthly_report_docx(plan, period, today=today))


def report_filename(plan: Plan, period: Period, extension: str) -> str:
    return f"{plan.jurisdiction.name}工作专报-{period.label}.{extension}"
