"""The monthly 专报: the Word document's contents, the PDF's pages and fonts, the CLI, who may have it."""

import datetime
import io
import random
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document

from liangxin.dispatch.assess import assess_plan
from liangxin.dispatch.demo import generate_reports
from liangxin.dispatch.enums import SupervisionLevel
from liangxin.dispatch.models import Period, SupervisionItem
from liangxin.dispatch.services import calendar_set, periods_open_until
from liangxin.dispatch.services.problems import problem_raise
from liangxin.dispatch.services.supervision import supervision_escalate, supervision_scan
from liangxin.plans.models import Task
from liangxin.reports.monthly import STATUS_TEXT, monthly_report_docx, report_title
from liangxin.reports.pdf import docx_to_pdf

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def beichen(plan_of, user):
    """北辰区 with a monthly calendar and demo reports for every month up to March 2025."""
    plan = plan_of("北辰区")
    calendar_set(actor=None, plan=plan, cadence="month")
    generate_reports(plan, until=datetime.date(2025, 4, 1), rng=random.Random(7), reviewer=user("beichen"))
    return plan


@pytest.fixture
def march(beichen):
    return Period.objects.get(plan=beichen, label="2025-03")


def _text(doc) -> str:
    return "\n".join(p.text for p in doc.paragraphs)


def test_monthly_report_has_the_title_the_indicator_table_the_league_table_and_a_chart(beichen, march):
    doc = Document(io.BytesIO(monthly_report_docx(beichen, march)))
    assessment = assess_plan(beichen, march)

    assert doc.paragraphs[0].text == "北辰区推动大规模设备更新和消费品以旧换新工作专报（2025年第3期）"
    assert report_title(beichen, march) == doc.paragraphs[0].text
    assert "北辰区工作专班办公室" in doc.paragraphs[1].text
    text = _text(doc)
    assert "演示数据" in text
    for heading in (
        "一、总体情况",
        "二、指标完成情况",
        "三、晾晒排名",
        "四、滞后单位及督办情况",
        "五、存在问题",
        "六、下步工作",
    ):
        assert heading in text
    counts = assessment.counts
    assert f"正常{counts['normal']}项、预警{counts['warning']}项、滞后{counts['lagging']}项" in text

    indicators, league = doc.tables
    assert [c.text for c in indicators.rows[0].cells] == [
        "序号",
        "指标名称",
        "年度目标",
        "序时进度",
        "实际完成",
        "完成率",
        "状态",
    ]
    assert len(indicators.rows) - 1 == beichen.indicators.count() == len(assessment.indicators)
    for row, ia in zip(indicators.rows[1:], assessment.indicators, strict=True):
        assert row.cells[1].text == ia.indicator.name
        assert row.cells[6].text == STATUS_TEXT[ia.status]
    warning = next(i for i, ia in enumerate(assessment.indicators) if ia.status == "warning")
    cell = indicators.rows[warning + 1].cells[6]
    assert cell.text == "预警"
    assert 'w:fill="FFE699"' in cell._tc.xml  # amber

    assert [c.text for c in league.rows[0].cells] == [
        "名次",
        "单位",
        "得分",
        "名次变化",
        "按时报送率",
        "指标得分",
        "任务得分",
    ]
    first = assessment.league[0]
    assert league.rows[1].cells[0].text == "1" == str(first.rank)
    assert league.rows[1].cells[1].text == first.unit.name
    assert len(league.rows) - 1 == len(assessment.league)

    assert len(doc.inline_shapes) == 1
    assert "图1  主要指标序时进度与实际完成情况" in text


def test_monthly_report_body_is_fangsong_16pt_with_east_asian_font_set(beichen, march):
    doc = Document(io.BytesIO(monthly_report_docx(beichen, march)))
    summary = next(p for p in doc.paragraphs if p.text.startswith("截至"))
    run = summary.runs[0]
    assert run.font.size.pt == 16
    fonts = run._r.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "仿宋"
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}ascii") == "Times New Roman"
    section = doc.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7


def test_monthly_report_names_the_units_behind_what_was_done_and_the_open_problems(beichen, march, user):
    office = user("beichen")
    periods_open_until(actor=office, plan=beichen, today=datetime.date(2025, 5, 12))
    items = supervision_scan(plan=beichen, today=datetime.date(2025, 5, 12))  # nobody reported April
    overdue = next(i for i in items if i.level == SupervisionLevel.OVERDUE and i.subject_type == "unit")
    supervision_escalate(actor=office, item=overdue, level=SupervisionLevel.URGED, note="电话催报，要求两日内补报")
    reporter = user("beichen_shangwu")
    task = Task.objects.filter(plan=beichen, assignments__unit_id=reporter.unit_id).first()
    problem_raise(actor=reporter, plan=beichen, task=task, category="funds", title="专项资金拨付进度慢")

    text = _text(Document(io.BytesIO(monthly_report_docx(beichen, march))))

    item = SupervisionItem.objects.get(pk=overdue.pk)
    assert f"催办：{item.title}（" in text
    assert "：电话催报，要求两日内补报）" in text
    assert "1. 专项资金拨付进度慢。" in text
    assert f"提出单位：{reporter.unit.name}" in text


def test_monthly_report_pdf_renders_pages_in_an_embedded_cjk_font(beichen, march, tmp_path):
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(docx_to_pdf(monthly_report_docx(beichen, march)))
    assert pdf.read_bytes().startswith(b"%PDF")

    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 1
    assert all(p.stat().st_size > 0 for p in pages)

    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk, fonts
    assert all(line.split()[-5] == "yes" for line in cjk)  # emb column


def test_cli_writes_the_word_file(beichen, march, tmp_path):
    out = tmp_path / "report.docx"
    call_command("report", "monthly", "--plan", str(beichen.pk), "--period", "2025-03", "--out", str(out))
    assert Document(str(out)).paragraphs[0].text == report_title(beichen, march)


def test_cli_writes_pdf_when_out_ends_in_pdf(beichen, tmp_path):
    out = tmp_path / "report.pdf"
    call_command("report", "monthly", "--plan", "北辰区", "--period", "2025-03", "--out", str(out))
    assert out.read_bytes().startswith(b"%PDF")


def test_cli_refuses_an_unknown_plan_period_or_a_plan_without_calendar(beichen, plan_of, tmp_path):
    out = tmp_path / "report.docx"
    with pytest.raises(CommandError, match="no period '2031-03'"):
        call_command("report", "monthly", "--plan", str(beichen.pk), "--period", "2031-03", "--out", str(out))
    with pytest.raises(CommandError, match="There is no plan '99999'"):
        call_command("report", "monthly", "--plan", "99999", "--period", "2025-03", "--out", str(out))
    with pytest.raises(CommandError, match="no reporting calendar"):
        call_command("report", "monthly", "--plan", str(plan_of("武清区").pk), "--period", "2025-03", "--out", str(out))
    assert not out.exists()


def test_cli_exits_non_zero_on_error(beichen, tmp_path):
    from django.conf import settings

    env = {"LIANGXIN_SECRET_KEY": "tests-only-secret-key", "PATH": "/usr/bin:/bin", "LIANGXIN_DEBUG": "1"}
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3") and db["NAME"] != ":memory:" and "memory" not in str(db["NAME"]):
        env["LIANGXIN_DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    # The console script installed beside the interpreter running the tests (make test's venv).
    liangxin = Path(sys.executable).with_name("liangxin")
    result = subprocess.run(
        [
            str(liangxin),
            "report",
            "monthly",
            "--plan",
            "99999",
            "--period",
            "2025-03",
            "--out",
            str(tmp_path / "x.docx"),
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode != 0


@pytest.mark.parametrize("username", ["beichen", "tianjin_leader"])
def test_office_and_leader_download_the_word_report_from_the_web(beichen, march, client_as, username):
    client = client_as(username)
    page = client.get(reverse("dispatch:plan", args=[beichen.pk]))
    assert "生成月度专报".encode() in page.content
    url = reverse("reports:monthly_file", args=[beichen.pk])
    assert url.encode() in page.content
    response = client.get(url, {"period": march.pk, "format": "docx"})
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert "attachment" in response["Content-Disposition"]
    assert Document(io.BytesIO(response.content)).paragraphs[0].text == report_title(beichen, march)


def test_reporter_is_refused_and_other_jurisdictions_do_not_see_the_plan(beichen, march, client_as):
    url = reverse("reports:monthly_file", args=[beichen.pk])
    reporter = client_as("beichen_shangwu")
    assert "生成月度专报".encode() not in reporter.get(reverse("dispatch:plan", args=[beichen.pk])).content
    assert reporter.get(url, {"period": march.pk}).status_code == 403
    assert reporter.get(reverse("reports:monthly", args=[beichen.pk])).status_code == 403
    assert client_as("wuqing").get(url, {"period": march.pk}).status_code == 404


def test_api_gives_the_report_to_the_office_refuses_reporters_and_hides_from_others(beichen, march, client_as):
    url = reverse("api:reports-monthly", args=[beichen.pk])
    office = client_as("beichen")
    response = office.get(url, {"period": "2025-03", "format": "docx"})
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    doc = Document(io.BytesIO(response.content))
    assert len(doc.tables[0].rows) - 1 == beichen.indicators.count()
    assert office.get(url, {"period": "2031-03"}).status_code == 400
    assert office.get(url, {"period": "2025-03", "format": "odt"}).status_code == 400
    assert client_as("beichen_shangwu").get(url, {"period": "2025-03"}).status_code == 403
    assert client_as("wuqing").get(url, {"period": "2025-03"}).status_code == 404
