"""The ledger round trip: a unit's 工作台账 downloaded as .xlsx, filled offline, uploaded back."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from liangxin.core.models import AuditEntry
from liangxin.dispatch import services
from liangxin.dispatch.enums import IndicatorKind, SubmissionState
from liangxin.dispatch.models import IndicatorProfile, Period, Submission
from liangxin.dispatch.selectors import owed_by_unit
from liangxin.reports import ledger


@pytest.fixture
def beichen(plan_of):
    plan = plan_of("北辰区")
    services.calendar_set(actor=None, plan=plan, cadence="month")
    services.periods_open_until(actor=None, plan=plan, today=datetime.date(2025, 12, 31))
    return plan


@pytest.fixture
def march(beichen):
    return Period.objects.get(plan=beichen, label="2025-03")


def _download(client, period, **params):
    response = client.get(reverse("reports:ledger_download", args=[period.pk]), params)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == ledger.CONTENT_TYPE
    return load_workbook(io.BytesIO(response.content))


def _rows(ws):
    """Data rows of the 台账 sheet as {header: value}, with the Excel row number."""
    header = [c.value for c in ws[ledger.HEADER_ROW]]
    return [
        (row[0].row, dict(zip(header, (c.value for c in row), strict=False)))
        for row in ws.iter_rows(min_row=ledger.HEADER_ROW + 1)
        if row[0].value
    ]


def _save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _upload(client, period, data: bytes, name="台账.xlsx"):
    return client.post(
        reverse("reports:ledger_upload", args=[period.pk]),
        {"file": SimpleUploadedFile(name, data, content_type=ledger.CONTENT_TYPE)},
    )


def _col(key):
    return ledger.LETTER[key]


def _fill(wb):
    """Fill every fill-in cell as a unit would: numbers, a grade for qualitative rows, statuses, texts."""
    ws = wb[ledger.SHEET]
    filled = {}
    for n, (excel_row, row) in enumerate(_rows(ws)):
        if row["类型"] == "指标":
            qualitative = ws[f"{_col('value')}{excel_row}"].value in ledger.GRADE_WORDS.values() or _is_qualitative(
                row["编号"]
            )
            ws[f"{_col('value')}{excel_row}"] = "2-基本实现" if qualitative else 12.5 + n
            ws[f"{_col('evidence')}{excel_row}"] = f"统计局快报{n}"
        else:
            ws[f"{_col('progress')}{excel_row}"] = "推进中"
            ws[f"{_col('progress_note')}{excel_row}"] = f"已完成{n}家企业走访"
            ws[f"{_col('problems')}{excel_row}"] = "资金到位慢"
            ws[f"{_col('next_steps')}{excel_row}"] = "加快拨付"
        filled[row["编号"]] = excel_row
    return filled


def _is_qualitative(ident):
    return IndicatorProfile.objects.filter(indicator_id=int(ident[1:]), kind=IndicatorKind.QUALITATIVE).exists()


def test_the_ledger_lists_what_the_unit_owes_protected_with_only_the_fill_in_cells_unlocked(
    client_as, user, beichen, march
):
    shangwu = user("beichen_shangwu").unit
    wb = _download(client_as("beichen_shangwu"), march)
    assert wb.sheetnames == [ledger.SHEET, ledger.META_SHEET]
    ws = wb[ledger.SHEET]
    assert wb[ledger.META_SHEET].sheet_state == "veryHidden"
    assert "区商务局" in ws["A3"].value and "2025-03" in ws["A3"].value and "2025-04-05" in ws["A3"].value
    assert beichen.title in ws["A2"].value

    indicators, tasks = owed_by_unit(unit=shangwu, plan=beichen)
    rows = _rows(ws)
    assert [r["编号"] for _n, r in rows] == [f"I{i.pk}" for i in indicators] + [f"T{t.pk}" for t in tasks]
    assert [r["年度工作目标任务（指标名称）"] for _n, r in rows] == [i.name for i in indicators] + [
        t.title for t in tasks
    ]
    assert {r["类型"] for _n, r in rows[: len(indicators)]} == {"指标"}
    assert {r["责任单位"] for _n, r in rows} == {"区商务局"}
    assert ws.column_dimensions["A"].hidden

    assert ws.protection.sheet
    first_indicator, first_task = rows[0][0], rows[len(indicators)][0]
    assert not ws[f"{_col('value')}{first_indicator}"].protection.locked
    assert not ws[f"{_col('evidence')}{first_indicator}"].protection.locked
    assert ws[f"{_col('progress')}{first_indicator}"].protection.locked
    assert ws[f"{_col('name')}{first_indicator}"].protection.locked
    for key in ledger.TASK_FILLS:
        assert not ws[f"{_col(key)}{first_task}"].protection.locked
    assert ws[f"{_col('value')}{first_task}"].protection.locked

    validations = {dv.type: dv for dv in ws.data_validations.dataValidation}
    assert validations["list"].formula1 in ('"未启动,推进中,已完成,滞后"', '"0-未启动,1-推进中,2-基本实现,3-已实现"')
    lists = {dv.formula1: dv for dv in ws.data_validations.dataValidation if dv.type == "list"}
    assert f"{_col('progress')}{first_task}" in lists['"未启动,推进中,已完成,滞后"'].sqref
    numeric_rows = [n for n, r in rows[: len(indicators)] if not _is_qualitative(r["编号"])]
    assert f"{_col('value')}{numeric_rows[0]}" in validations["decimal"].sqref


def test_a_filled_ledger_becomes_the_draft_with_exact_values(client_as, user, march):
    client = client_as("beichen_shangwu")
    wb = _download(client, march)
    filled = _fill(wb)
    response = _upload(client, march, _save(wb))
    assert response.status_code == 302
    submission = Submission.objects.get(period=march, unit=user("beichen_shangwu").unit)
    assert submission.state == SubmissionState.DRAFT
    assert len(filled) == submission.indicator_entries.count() + submission.task_entries.count()
    page = client.get(response["Location"])
    assert f"{len(filled)}" in page.content.decode()
    for n, entry in enumerate(submission.indicator_entries.order_by("indicator__position")):
        if _is_qualitative(f"I{entry.indicator_id}"):
            assert entry.grade == 2
        else:
            assert entry.value == Decimal("12.5") + n
        assert entry.evidence == f"统计局快报{n}"
    task = submission.task_entries.order_by("task__position").first()
    assert (task.progress, task.problems, task.next_steps) == ("in_progress", "资金到位慢", "加快拨付")
    assert AuditEntry.objects.filter(action="dispatch.submission_save", object_id=str(submission.pk)).count() == 1

    # Downloaded again, the ledger carries the draft's values.
    again = _rows(_download(client, march)[ledger.SHEET])
    numeric = [r for _n, r in again if r["类型"] == "指标" and not _is_qualitative(r["编号"])]
    assert numeric[0]["本期值"] == 12.5 + [r["编号"] for _n, r in again].index(numeric[0]["编号"])
    assert again[-1][1]["状态"] == "推进中"


def test_the_api_reads_a_ledger_and_returns_the_rows(client_as, user, march):
    client = client_as("beichen_shangwu")
    response = client.get(reverse("api:reports-ledger-download", args=[march.pk]))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    filled = _fill(wb)
    response = client.post(
        reverse("api:reports-ledger-upload", args=[march.pk]),
        {"file": SimpleUploadedFile("l.xlsx", _save(wb))},
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"rows": len(filled)}


def test_another_units_ledger_is_refused(client_as, march):
    wb = _download(client_as("beichen_shangwu"), march)
    _fill(wb)
    client = client_as("beichen_gongxin")
    response = _upload(client, march, _save(wb))
    assert response.status_code == 400
    text = response.content.decode()
    assert "区商务局" in text and "区工信局" in text
    assert not Submission.objects.filter(period=march, unit__name="区商务局").exists()
    # The page shown with the errors is the report page, which opens 区工信局's (empty) draft.
    assert not Submission.objects.filter(period=march, indicator_entries__value__isnull=False).exists()
    assert not Submission.objects.filter(period=march, task_entries__progress__gt="").exists()


def test_a_ledger_of_another_period_is_refused(client_as, beichen, march):
    client = client_as("beichen_shangwu")
    april = Period.objects.get(plan=beichen, label="2025-04")
    wb = _download(client, april)
    _fill(wb)
    response = client.post(
        reverse("api:reports-ledger-upload", args=[march.pk]), {"file": SimpleUploadedFile("l.xlsx", _save(wb))}
    )
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["row"] is None and "2025-04" in error["reason"] and "2025-03" in error["reason"]
    assert not Submission.objects.filter(period__in=[march, april]).exists()


def test_a_renamed_sheet_is_refused(client_as, march):
    client = client_as("beichen_shangwu")
    wb = _download(client, march)
    _fill(wb)
    wb[ledger.SHEET].title = "Sheet1"
    response = _upload(client, march, _save(wb))
    assert response.status_code == 400
    assert "台账" in response.content.decode() and "Sheet1" in response.content.decode()
    assert not Submission.objects.filter(period=march, indicator_entries__value__isnull=False).exists()


def test_a_tampered_identification_is_refused(client_as, user, march):
    wb = _download(client_as("beichen_shangwu"), march)
    client = client_as("beichen_gongxin")
    meta = wb[ledger.META_SHEET]
    for row in meta.iter_rows():
        if row[0].value == "unit":
            row[1].value = user("beichen_gongxin").unit_id
    response = client.post(
        reverse("api:reports-ledger-upload", args=[march.pk]), {"file": SimpleUploadedFile("l.xlsx", _save(wb))}
    )
    # The plain ids are only for people; the signed token still names 区商务局.
    assert response.status_code == 400
    assert "区商务局" in response.json()["errors"][0]["reason"]
    del wb[ledger.META_SHEET]
    response = client.post(
        reverse("api:reports-ledger-upload", args=[march.pk]), {"file": SimpleUploadedFile("l.xlsx", _save(wb))}
    )
    assert response.status_code == 400


def test_text_in_a_number_cell_names_the_row_and_column_and_saves_nothing(client_as, user, march):
    client = client_as("beichen_shangwu")
    services.submission_open(actor=None, period=march, unit=user("beichen_shangwu").unit)
    wb = _download(client, march)
    filled = _fill(wb)
    ws = wb[ledger.SHEET]
    numeric = [ident for ident in filled if ident.startswith("I") and not _is_qualitative(ident)]
    bad_row = filled[numeric[0]]
    ws[f"{_col('value')}{bad_row}"] = "约12亿元"
    task_row = filled[next(ident for ident in filled if ident.startswith("T"))]
    ws[f"{_col('progress')}{task_row}"] = "差不多了"
    response = client.post(
        reverse("api:reports-ledger-upload", args=[march.pk]), {"file": SimpleUploadedFile("l.xlsx", _save(wb))}
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(bad_row, "H（本期值）"), (task_row, "J（状态）")]
    assert "约12亿元" in errors[0]["reason"]
    submission = Submission.objects.get(period=march, unit__name="区商务局")
    assert all(e.value is None and e.evidence == "" for e in submission.indicator_entries.all())
    assert all(e.progress == "" for e in submission.task_entries.all())

    page = _upload(client, march, _save(wb))
    assert page.status_code == 400
    html = page.content.decode()
    assert "ledger-problems" in html and f"<td>{bad_row}</td>" in html and "H（本期值）" in html


def test_a_grade_out_of_range_and_an_unknown_id_are_refused(client_as, user, beichen, march):
    # One of 区商务局's indicators judged on the 0–3 scale, so its value cell is a grade list.
    indicators, _tasks = owed_by_unit(unit=user("beichen_shangwu").unit, plan=beichen)
    services.profile_set(actor=None, indicator=indicators[-1], kind=IndicatorKind.QUALITATIVE)
    client = client_as("beichen_shangwu")
    wb = _download(client, march)
    ws = wb[ledger.SHEET]
    grade_row = dict((r["编号"], n) for n, r in _rows(ws))[f"I{indicators[-1].pk}"]
    grade_lists = [dv for dv in ws.data_validations.dataValidation if dv.formula1 and "2-基本实现" in dv.formula1]
    assert f"{_col('value')}{grade_row}" in grade_lists[0].sqref
    filled = _fill(wb)
    ws[f"{_col('value')}{grade_row}"] = 5
    last = max(filled.values())
    ws[f"A{last}"] = "T999999"
    response = client.post(
        reverse("api:reports-ledger-upload", args=[march.pk]), {"file": SimpleUploadedFile("l.xlsx", _save(wb))}
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(grade_row, "H（本期值）"), (last, "A（编号）")]
    assert "T999999" in errors[1]["reason"]

    ws[f"{_col('value')}{grade_row}"] = "3-已实现"
    ws[f"A{last}"] = next(ident for ident, n in filled.items() if n == last)
    response = client.post(
        reverse("api:reports-ledger-upload", args=[march.pk]), {"file": SimpleUploadedFile("l.xlsx", _save(wb))}
    )
    assert response.status_code == 200, response.content
    entry = Submission.objects.get(period=march, unit__name="区商务局").indicator_entries.get(indicator=indicators[-1])
    assert (entry.grade, entry.value) == (3, None)


def test_a_file_that_is_not_a_workbook_is_refused(client_as, march):
    client = client_as("beichen_shangwu")
    response = _upload(client, march, "序号,名称\n1,x\n".encode(), name="台账.xlsx")
    assert response.status_code == 400
    assert "不是Excel" in response.content.decode() or ".xlsx" in response.content.decode()
    response = client.post(
        reverse("api:reports-ledger-upload", args=[march.pk]),
        {"file": SimpleUploadedFile("x.xlsx", b"PK\x03\x04 broken zip")},
    )
    assert response.status_code == 400 and response.json()["errors"][0]["row"] is None


def test_a_file_over_5_mb_is_refused_before_reading(client_as, march):
    client = client_as("beichen_shangwu")
    response = client.post(
        reverse("api:reports-ledger-upload", args=[march.pk]),
        {"file": SimpleUploadedFile("big.xlsx", b"0" * (ledger.MAX_BYTES + 1))},
    )
    assert response.status_code == 400
    assert "5 MB" in response.json()["errors"][0]["reason"]


def test_a_returned_submission_can_be_filled_by_ledger_again(client_as, user, march):
    client = client_as("beichen_shangwu")
    wb = _download(client, march)
    _fill(wb)
    assert _upload(client, march, _save(wb)).status_code == 302
    submission = Submission.objects.get(period=march, unit__name="区商务局")
    services.submission_submit(actor=user("beichen_shangwu"), submission=submission)
    # A submitted report cannot be changed by a ledger…
    response = _upload(client, march, _save(wb))
    assert response.status_code == 400
    assert "ledger-problems" in response.content.decode()
    services.submission_review(actor=user("beichen"), submission=submission, approve=False, comment="请补充佐证")
    wb = _download(client, march)
    ws = wb[ledger.SHEET]
    first = _rows(ws)[0][0]
    ws[f"{_col('evidence')}{first}"] = "补充：统计局正式数据"
    assert _upload(client, march, _save(wb)).status_code == 302
    submission.refresh_from_db()
    assert submission.state == SubmissionState.RETURNED
    entry = submission.indicator_entries.order_by("indicator__position").first()
    assert entry.evidence == "补充：统计局正式数据"


def test_the_office_may_download_a_units_ledger_but_not_upload(client_as, user, march):
    office = client_as("beichen")
    shangwu = user("beichen_shangwu").unit
    wb = _download(office, march, unit=shangwu.pk)
    assert "区商务局" in wb[ledger.SHEET]["A3"].value
    assert not Submission.objects.filter(period=march).exists()  # downloading creates nothing
    _fill(wb)
    response = _upload(office, march, _save(wb))
    assert response.status_code == 403
    response = office.get(reverse("reports:ledger_download", args=[march.pk]))
    assert response.status_code == 403  # the office names the unit
    assert not Submission.objects.filter(period=march).exists()


def test_a_reporter_cannot_download_another_units_ledger(client_as, user, march):
    client = client_as("beichen_gongxin")
    response = client.get(
        reverse("reports:ledger_download", args=[march.pk]), {"unit": user("beichen_shangwu").unit_id}
    )
    assert response.status_code == 403


def test_another_jurisdiction_sees_no_ledger(client_as, user, march):
    client = client_as("wuqing")
    shangwu = user("beichen_shangwu").unit
    assert client.get(reverse("reports:ledger_download", args=[march.pk]), {"unit": shangwu.pk}).status_code == 404
    assert client.get(reverse("api:reports-ledger-download", args=[march.pk])).status_code == 404
    assert _upload(client, march, b"x").status_code == 404


def test_the_report_page_shows_the_excel_box_while_editable(client_as, march):
    html = client_as("beichen_shangwu").get(reverse("dispatch:report", args=[march.pk])).content.decode()
    assert reverse("reports:ledger_download", args=[march.pk]) in html
    assert reverse("reports:ledger_upload", args=[march.pk]) in html


def test_the_period_page_offers_the_office_each_units_ledger(client_as, plan_of):
    import datetime

    from django.urls import reverse

    from liangxin.dispatch import services as dispatch_services
    from liangxin.dispatch.models import Period

    plan = plan_of("北辰区")
    dispatch_services.calendar_set(actor=None, plan=plan, cadence="month")
    dispatch_services.periods_open_until(actor=None, plan=plan, today=datetime.date(2025, 3, 31))
    period = Period.objects.get(plan=plan, label="2025-03")
    html = client_as("beichen").get(reverse("dispatch:period", args=[period.pk])).content.decode()
    assert f"{reverse('reports:ledger_download', args=[period.pk])}?unit=" in html
    html = client_as("tianjin_leader").get(reverse("dispatch:period", args=[period.pk])).content.decode()
    assert reverse("reports:ledger_download", args=[period.pk]) not in html
