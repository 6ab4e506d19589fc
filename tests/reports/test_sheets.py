"""The spreadsheet exports: each workbook opened with openpyxl and read like a person would.

北辰区's plan gets a monthly calendar and generated reports up to June 2024 (the demo's own
generator, seeded), so the statuses, the 调度表 and the league table have something to show.
"""

import datetime
import io
import random
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from liangxin.dispatch.assess import assess_plan, league_table
from liangxin.dispatch.demo import generate_reports
from liangxin.dispatch.models import Period, Submission
from liangxin.dispatch.services import calendar_set
from liangxin.reports import sheets

HEADER = 3  # title, subtitle, then the header row
STATUS_COLOURS = {"正常": "C6EFCE", "预警": "FFEB9C", "滞后": "FFC7CE", "无数据": "D9D9D9"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _open(body: bytes):
    return load_workbook(io.BytesIO(body)).active


def _header(ws) -> list[str]:
    return [c.value for c in ws[HEADER] if c.value is not None]


def _rows(ws) -> list[tuple]:
    """The data rows under the header, up to the first empty row."""
    out = []
    for row in ws.iter_rows(min_row=HEADER + 1, values_only=True):
        if all(v in (None, "") for v in row):
            break
        out.append(row)
    return out


def _column(ws, name: str) -> int:
    return _header(ws).index(name) + 1


@pytest.fixture
def beichen(plan_of):
    plan = plan_of("北辰区")
    calendar_set(actor=None, plan=plan, cadence="month")
    generate_reports(plan, until=datetime.date(2024, 6, 30), rng=random.Random(1), reviewer=None)
    return plan


def _june(plan):
    return Period.objects.get(plan=plan, start=datetime.date(2024, 6, 1))


# --- 指标对比表 -----------------------------------------------------------------------------------


def test_indicator_sheet_reproduces_beichen_table_with_its_own_texts(plan_of):
    ws = _open(sheets.indicator_sheet(plan_of("北辰区")))
    assert _header(ws) == [
        "序号",
        "重点任务",
        "指标名称",
        "2023年底现状",
        "2024年工作目标",
        "2025年工作目标",
        "2026年工作目标",
        "2027年工作目标",
        "责任单位",
    ]
    rows = _rows(ws)
    assert len(rows) == 15
    assert [r[0] for r in rows] == list(range(1, 16))
    first = next(r for r in rows if r[2] == "工业领域设备投资规模")
    assert "13.6亿元" in first[3]
    assert first[3] == "工业领域设备投资规模为13.6亿元"
    assert "17亿元" in first[7]
    assert first[8] == "区工信局"
    shared = next(r for r in rows if r[2] == "重点行业主要用能设备能效基本达到节能水平")
    assert shared[8] == "区发改委、区工信局"
    assert ws.cell(row=1, column=1).value.endswith("指标对比表")


def test_indicator_sheet_merges_key_task_over_consecutive_rows(plan_of):
    ws = _open(sheets.indicator_sheet(plan_of("北辰区")))
    merged = sorted(str(r) for r in ws.merged_cells.ranges if r.min_col == 2 and r.max_col == 2)
    # 总体目标 rows 1–6, 工业 7–8, 建筑 9–10; the others stand alone.
    assert merged == ["B10:B11", "B12:B13", "B4:B9"]
    assert ws["B4"].value == "总体目标"
    assert ws["B10"].value == "推动工业领域设备更新和技术改造"
    assert ws["B14"].value == "推进交通运输设备和老旧农业机械更新"


def test_indicator_sheet_without_calendar_has_no_status_columns(plan_of):
    ws = _open(sheets.indicator_sheet(plan_of("北辰区"), None))
    assert "状态" not in _header(ws) and "最新实际" not in _header(ws)


def test_indicator_sheet_statuses_match_assessment_with_their_colours(beichen):
    period = _june(beichen)
    ws = _open(sheets.indicator_sheet(beichen, period))
    assert _header(ws)[-2:] == ["最新实际", "状态"]
    status_col, actual_col = _column(ws, "状态"), _column(ws, "最新实际")
    labels = {"normal": "正常", "warning": "预警", "lagging": "滞后", "no_data": "无数据"}
    assessment = assess_plan(beichen, period)
    assert len(assessment.indicators) == 15
    seen = set()
    for offset, ia in enumerate(assessment.indicators, start=1):
        row = HEADER + offset
        assert ws.cell(row=row, column=3).value == ia.indicator.name
        cell = ws.cell(row=row, column=status_col)
        assert cell.value == labels[ia.status]
        assert cell.fill.fgColor.rgb.endswith(STATUS_COLOURS[cell.value])
        seen.add(cell.value)
        if ia.actual is None:
            assert ws.cell(row=row, column=actual_col).value in (None, "")
        else:
            assert ws.cell(row=row, column=actual_col).value
    assert len(seen) >= 2  # generated reports give a mix, so the colours are really told apart
    assert "2024年6月" in ws["A2"].value or period.label in ws["A2"].value


def test_indicator_sheet_quantitative_actual_is_the_assessed_figure(beichen):
    period = _june(beichen)
    ia = next(a for a in assess_plan(beichen, period).indicators if a.indicator.seq == 1)
    ws = _open(sheets.indicator_sheet(beichen, period))
    assert ia.actual is not None
    assert ws.cell(row=HEADER + 1, column=_column(ws, "最新实际")).value == sheets.figure(ia.actual, "亿元")


def test_indicator_sheet_prints_a4_landscape_with_frozen_header(plan_of):
    ws = _open(sheets.indicator_sheet(plan_of("北辰区")))
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.freeze_panes == "A4"
    assert ws["A3"].font.b and ws["A3"].border.left.style == "thin"
    assert ws["C5"].alignment.wrap_text


# --- 主要工作任务分工表 -----------------------------------------------------------------------------


def test_division_sheet_reproduces_shuozhou_table(plan_of):
    ws = _open(sheets.division_sheet(plan_of("朔州市")))
    assert _header(ws) == ["序号", "重点任务", "牵头单位"]
    rows = _rows(ws)
    assert len(rows) == 15
    assert rows[0] == (1, "推动工业设备更新升级", "市工信局、市能源局")
    assert rows[1] == (2, "推动建筑和市政基础设施设备更新", "市住建局、市城市管理局")
    assert rows[14][:2] == (15, "强化项目和要素保障")
    assert rows[14][2] in (None, "")


def test_division_sheet_of_plan_without_one_lists_tasks_under_section_headings(plan_of):
    plan = plan_of("北辰区")
    ws = _open(sheets.division_sheet(plan))
    assert _header(ws) == ["序号", "重点任务", "牵头单位", "责任单位"]
    rows = _rows(ws)
    assert rows[0][0] == "二、重点任务"
    assert rows[1][0] == "（一）实施重点领域设备更新行动"
    assert rows[2] == ("1", "推动工业领域设备更新和技术改造", "区工信局", "区发改委、区生态环境局、区应急局")
    assert "A4:D4" in {str(r) for r in ws.merged_cells.ranges}
    task_rows = [r for r in rows if r[1]]
    assert len(task_rows) == plan.tasks.count() == 23


# --- 调度表 -------------------------------------------------------------------------------------


def test_period_sheet_has_a_block_per_owing_unit_with_late_flags(beichen):
    period = _june(beichen)
    missing = Submission.objects.filter(period=period).order_by("unit__name").first()
    missing_unit = missing.unit.name
    missing.delete()
    ws = _open(sheets.period_sheet(period, today=datetime.date(2024, 8, 1)))
    assert _header(ws) == sheets.PERIOD_HEADERS
    assert period.label in ws["A1"].value and "2024年07月05日" in ws["A2"].value

    blocks = {}
    for row in range(HEADER + 1, ws.max_row + 1):
        unit = ws.cell(row=row, column=2).value
        if unit:
            blocks[unit] = {
                "row": row,
                "state": ws.cell(row=row, column=3).value,
                "late": ws.cell(row=row, column=5).value,
            }
    submissions = {s.unit.name: s for s in Submission.objects.filter(period=period).select_related("unit")}
    from liangxin.dispatch.selectors import units_owing

    assert set(blocks) == {u.name for u in units_owing(beichen)}
    assert blocks[missing_unit]["state"] == "未报送"
    assert blocks[missing_unit]["late"] == "逾期未报"
    for name, sub in submissions.items():
        assert blocks[name]["state"] == "已报送"  # the latest period waits for review
        assert blocks[name]["late"] == ("是" if sub.late else "否")
    assert any(s.late for s in Submission.objects.filter(period__plan=beichen))


def test_period_sheet_lists_each_indicator_and_task_entry(beichen):
    period = _june(beichen)
    sub = Submission.objects.get(period=period, unit__name="区工信局")
    ws = _open(sheets.period_sheet(period))
    start = next(r for r in range(HEADER + 1, ws.max_row + 1) if ws.cell(row=r, column=2).value == "区工信局")
    merged = next(r for r in ws.merged_cells.ranges if r.min_col == 2 and r.min_row == start)
    block = list(ws.iter_rows(min_row=merged.min_row, max_row=merged.max_row, values_only=True))
    indicator_rows = [r for r in block if r[5] == "指标"]
    task_rows = [r for r in block if r[5] == "任务"]
    assert len(indicator_rows) == sub.indicator_entries.count()
    assert len(task_rows) == sub.task_entries.count()
    entry = sub.task_entries.select_related("task").order_by("task__position").first()
    first_task = task_rows[0]
    assert first_task[6] == f"{entry.task.number}. {entry.task.title}"
    assert first_task[7] in {"未启动", "推进中", "已完成", "滞后"}
    assert first_task[8] == entry.progress_note
    assert (first_task[9] or "") == entry.problems
    assert (first_task[10] or "") == entry.next_steps


def test_period_sheet_hides_the_contents_of_a_draft(beichen):
    period = _june(beichen)
    sub = Submission.objects.get(period=period, unit__name="区工信局")
    Submission.objects.filter(pk=sub.pk).update(state="draft", submitted_at=None)
    ws = _open(sheets.period_sheet(period))
    row = next(r for r in range(HEADER + 1, ws.max_row + 1) if ws.cell(row=r, column=2).value == "区工信局")
    assert ws.cell(row=row, column=3).value == "草稿"
    assert ws.cell(row=row, column=6).value in (None, "")
    assert ws.cell(row=row + 1, column=2).value  # the next unit follows at once


# --- 晾晒榜 -------------------------------------------------------------------------------------


def test_league_sheet_ranks_equal_the_assessment(beichen):
    period = _june(beichen)
    league = league_table(beichen, period)
    ws = _open(sheets.league_sheet(beichen, period))
    assert _header(ws) == ["名次", "单位", "得分", "名次变化", "按时报送率", "指标得分", "任务得分"]
    rows = _rows(ws)
    assert len(rows) == len(league) > 5
    for row, score in zip(rows, league, strict=True):
        assert row[0] == score.rank
        assert row[1] == score.unit.name
        assert round(row[2], 2) == float(score.score)
        assert row[3] == sheets.rank_change_text(score.rank, score.previous_rank)
        assert round(row[4], 4) == float(score.on_time_rate)
    assert ws.cell(row=HEADER + 1, column=5).number_format == "0%"
    note = ws.cell(row=HEADER + len(rows) + 2, column=1).value
    assert "按时报送率×30%" in note and "指标得分×50%" in note and "任务得分×20%" in note


def test_rank_change_reads_as_arrows():
    assert sheets.rank_change_text(2, 5) == "↑3"
    assert sheets.rank_change_text(4, 1) == "↓3"
    assert sheets.rank_change_text(3, 3) == "—"
    assert sheets.rank_change_text(3, None) == "—"


# --- web and API --------------------------------------------------------------------------------


def _filename(response) -> str:
    return response["Content-Disposition"]


def test_reporter_downloads_plan_tables_with_chinese_filenames(client_as, beichen):
    client = client_as("beichen_shangwu")
    response = client.get(f"/reports/plans/{beichen.pk}/indicators.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    period = _june(beichen)
    latest = Period.objects.filter(plan=beichen, end__lte=datetime.date.today()).order_by("-end").first()
    assert f"filename*=utf-8''{quote(f'北辰区-指标对比表-{latest.label}.xlsx')}" in _filename(response)
    ws = _open(b"".join(response.streaming_content))
    assert len(_rows(ws)) == 15 and "状态" in _header(ws)

    response = client.get(f"/reports/plans/{beichen.pk}/indicators.xlsx?period={period.pk}")
    assert quote(period.label) in _filename(response)
    response = client.get(f"/reports/plans/{beichen.pk}/division.xlsx")
    assert response.status_code == 200 and quote("主要工作任务分工表") in _filename(response)
    response = client.get(f"/reports/plans/{beichen.pk}/league.xlsx?period={period.pk}")
    ws = _open(b"".join(response.streaming_content))
    assert [r[1] for r in _rows(ws)] == [s.unit.name for s in league_table(beichen, period)]


def test_reporter_cannot_download_the_dispatch_sheet(client_as, beichen):
    period = _june(beichen)
    assert client_as("beichen_shangwu").get(f"/reports/periods/{period.pk}/dispatch.xlsx").status_code == 403


@pytest.mark.parametrize("username", ["beichen", "tianjin_leader"])
def test_office_and_leader_download_the_dispatch_sheet(client_as, beichen, username):
    period = _june(beichen)
    response = client_as(username).get(f"/reports/periods/{period.pk}/dispatch.xlsx")
    assert response.status_code == 200
    assert quote(f"北辰区-调度表-{period.label}.xlsx") in _filename(response)
    ws = _open(b"".join(response.streaming_content))
    assert _header(ws) == sheets.PERIOD_HEADERS


def test_other_jurisdiction_gets_404(client_as, beichen):
    client = client_as("wuqing")
    period = _june(beichen)
    for url in (
        f"/reports/plans/{beichen.pk}/indicators.xlsx",
        f"/reports/plans/{beichen.pk}/division.xlsx",
        f"/reports/plans/{beichen.pk}/league.xlsx",
        f"/reports/periods/{period.pk}/dispatch.xlsx",
        f"/api/reports/plans/{beichen.pk}/indicators.xlsx",
        f"/api/reports/periods/{period.pk}/dispatch.xlsx",
    ):
        assert client.get(url).status_code == 404, url


def test_period_of_another_plan_is_404(client_as, beichen, plan_of):
    other = plan_of("武清区")
    calendar_set(actor=None, plan=other, cadence="month")
    foreign = Period.objects.filter(plan=other).first()
    response = client_as("beichen").get(f"/reports/plans/{beichen.pk}/league.xlsx?period={foreign.pk}")
    assert response.status_code == 404


def test_league_of_plan_without_calendar_is_404(client_as, plan_of):
    plan = plan_of("北辰区")
    assert client_as("beichen").get(f"/reports/plans/{plan.pk}/league.xlsx").status_code == 404
    response = client_as("beichen").get(f"/reports/plans/{plan.pk}/indicators.xlsx")
    assert response.status_code == 200
    assert "状态" not in _header(_open(b"".join(response.streaming_content)))


def test_anonymous_is_sent_to_login(client, plan_of):
    response = client.get(f"/reports/plans/{plan_of('北辰区').pk}/indicators.xlsx")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_api_returns_the_same_files(client_as, beichen):
    period = _june(beichen)
    client = client_as("beichen")
    response = client.get(f"/api/reports/plans/{beichen.pk}/league.xlsx?period={period.pk}")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    ws = _open(b"".join(response.streaming_content))
    assert [r[0] for r in _rows(ws)] == [s.rank for s in league_table(beichen, period)]
    response = client.get(f"/api/reports/plans/{beichen.pk}/indicators.xlsx?period={period.pk}")
    assert len(_rows(_open(b"".join(response.streaming_content)))) == 15
    response = client.get(f"/api/reports/periods/{period.pk}/dispatch.xlsx")
    assert response.status_code == 200
    response = client_as("shuozhou_gongxin").get(f"/api/reports/plans/{beichen.pk}/division.xlsx")
    assert response.status_code == 404


def test_api_refuses_reporter_the_dispatch_sheet_and_anonymous(client_as, client, beichen):
    period = _june(beichen)
    assert client.get(f"/api/reports/periods/{period.pk}/dispatch.xlsx").status_code in (401, 403)
    reporter = client_as("beichen_shangwu")
    assert reporter.get(f"/api/reports/periods/{period.pk}/dispatch.xlsx").status_code == 403
    assert reporter.get(f"/api/reports/plans/{beichen.pk}/division.xlsx").status_code == 200


def test_api_accepts_a_token(client, user, plan_of):
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=user("beichen"))
    shuozhou = plan_of("朔州市")
    response = client.get(f"/api/reports/plans/{shuozhou.pk}/division.xlsx", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 404  # 北辰区's office does not see 朔州市
    beichen = plan_of("北辰区")
    response = client.get(f"/api/reports/plans/{beichen.pk}/division.xlsx", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200


# --- the buttons next to the tables ----------------------------------------------------------------


def test_plan_page_offers_the_indicator_and_division_sheets(client_as, plan_of):
    beichen, shuozhou = plan_of("北辰区"), plan_of("朔州市")
    page = client_as("beichen").get(f"/plans/{beichen.pk}/").content.decode()
    assert f"/reports/plans/{beichen.pk}/indicators.xlsx" in page
    assert f"/reports/plans/{beichen.pk}/division.xlsx" in page  # the task list as a division table
    page = client_as("shuozhou_gongxin").get(f"/plans/{shuozhou.pk}/").content.decode()
    assert f"/reports/plans/{shuozhou.pk}/division.xlsx" in page


def test_period_page_offers_the_dispatch_sheet_to_the_office_only(client_as, beichen):
    period = _june(beichen)
    url = f"/reports/periods/{period.pk}/dispatch.xlsx"
    assert url in client_as("beichen").get(f"/dispatch/periods/{period.pk}/").content.decode()
    response = client_as("beichen_shangwu").get(f"/dispatch/periods/{period.pk}/")
    assert response.status_code == 200 and url not in response.content.decode()


def test_league_page_offers_the_league_sheet_of_its_period(client_as, beichen):
    period = _june(beichen)
    page = client_as("beichen").get(f"/dispatch/plans/{beichen.pk}/league/?period={period.pk}").content.decode()
    assert f"/reports/plans/{beichen.pk}/league.xlsx?period={period.pk}" in page
