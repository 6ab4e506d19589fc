"""Claims by .xlsx upload: the template, a file with good and bad rows (the good ones are accepted,
the bad ones answered with their reasons), a re-upload that claims nothing twice, refusals of a
file that is not the template, and who may upload."""

import base64
import io

import pytest
from openpyxl import Workbook, load_workbook

from liangxin.core.idcodes import resident_id_problem
from liangxin.tradein.enums import ClaimState
from liangxin.tradein.models import Claim
from liangxin.tradein.uploads import COLUMNS

from .factories import identity, make_merchant, make_programme, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def wuqing_programme():
    programme = make_programme(name="武清区上传测试项目")
    merchant = make_merchant(n=801, username="merchant_upload")
    return programme, merchant


def _workbook(rows: list[dict], *, headers=None) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = "申报明细"
    headers = headers or [header + ("*" if required else "") for header, _f, _k, required in COLUMNS]
    sheet.append(headers)
    for data in rows:
        sheet.append([data.get(field) for _h, field, _k, _r in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "申报.xlsx"
    return out


def _cells(n, **overrides):
    data = row(n, **overrides)
    data["idempotency_key"] = ""
    data["invoice_title_type"] = "个人"
    return data


def test_the_template_has_the_columns_the_category_codes_and_the_notes(client_as, wuqing_programme):
    programme, _merchant = wuqing_programme
    response = client_as("wuqing").get(f"/tradein/programmes/{programme.pk}/upload/template.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["申报明细", "品类", "说明"]
    header = [c.value for c in book["申报明细"][1]]
    assert header[:4] == ["购买人姓名*", "身份证号*", "手机号", "品类代码*"]
    assert len(header) == len(COLUMNS)
    codes = list(book["品类"].iter_rows(values_only=True))
    assert codes[0] == ("品类代码", "品类名称") and ("fridge", "电冰箱") in codes


def test_a_file_with_bad_rows_is_partly_accepted_and_each_bad_row_says_why(client_as, wuqing_programme):
    programme, merchant = wuqing_programme
    client = client_as("merchant_upload")
    good_id = identity(83)
    bad_id = good_id[:17] + ("0" if good_id[17] != "0" else "1")  # a mistyped check character
    rows = [
        _cells(81),
        {**_cells(82), "purchased_on": "2025-13-01", "price_paid": "abc"},
        {**_cells(83), "buyer_id": bad_id},
        {**_cells(84), "invoice_no": None},
        _cells(85, category="washer", price=3000),
    ]
    response = client.post(f"/tradein/programmes/{programme.pk}/upload/", {"file": _workbook(rows)})
    assert response.status_code == 200
    results = response.context["results"]
    assert [(r.row, r.ok, r.created, r.code) for r in results] == [
        (2, True, True, ""),
        (3, False, False, "unreadable"),
        (4, False, False, "bad_id"),
        (5, False, False, "unreadable"),
        (6, True, True, ""),
    ]
    assert results[1].reason == "购买日期: '2025-13-01' 不是日期（请写成 2026-03-01）；实付金额（元）: 'abc' 不是数字"
    assert results[2].reason == resident_id_problem(bad_id)
    assert results[3].reason == "发票号码 未填写"
    claims = Claim.objects.filter(programme=programme).order_by("pk")
    assert [(c.number, c.merchant_id, c.state, c.invoice_no) for c in claims] == [
        (results[0].claim_number, merchant.pk, ClaimState.SUBMITTED, rows[0]["invoice_no"]),
        (results[4].claim_number, merchant.pk, ClaimState.SUBMITTED, rows[4]["invoice_no"]),
    ]
    assert [str(m) for m in response.context["messages"]] == ["2 行已受理，0 行此前已申报，3 行未受理。"]
    html = response.content.decode()
    assert "未受理" in html and results[0].claim_number in html
    encoded = response.context["results_file"]
    assert f'href="data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64,{encoded}"' in html
    answer = list(load_workbook(io.BytesIO(base64.b64decode(encoded))).active.iter_rows(values_only=True))
    assert answer[0] == ("行号", "结果", "申报编号", "原因代码", "原因")
    assert answer[1] == (2, "已受理", results[0].claim_number, None, None)
    assert answer[4] == (5, "未受理", None, "unreadable", "发票号码 未填写")

    # The corrected file uploaded again: the accepted rows are not claimed twice.
    rows[1] = _cells(82)
    rows[3] = _cells(84)
    again = client.post(f"/tradein/programmes/{programme.pk}/upload/", {"file": _workbook(rows)})
    assert [(r.row, r.ok, r.created) for r in again.context["results"]] == [
        (2, True, False),
        (3, True, True),
        (4, False, False),
        (5, True, True),
        (6, True, False),
    ]
    assert again.context["results"][0].claim_number == results[0].claim_number
    assert Claim.objects.filter(programme=programme).count() == 4


def test_a_file_that_is_not_the_template_is_refused_whole(client_as, wuqing_programme):
    programme, _merchant = wuqing_programme
    client = client_as("merchant_upload")
    url = f"/tradein/programmes/{programme.pk}/upload/"
    response = client.post(url, {"file": _workbook([_cells(86)], headers=["姓名", "身份证"])})
    assert response.context["form"].errors["file"] == ["表头中没有“购买人姓名”列：请使用模板。"]
    text = io.BytesIO(b"not a workbook")
    text.name = "claims.xlsx"
    response = client.post(url, {"file": text})
    assert response.context["form"].errors["file"] == ["文件不是可读取的 .xlsx 工作簿。"]
    csv = io.BytesIO(b"a,b")
    csv.name = "claims.csv"
    response = client.post(url, {"file": csv})
    assert response.context["form"].errors["file"] == ["请上传 .xlsx 工作簿（先下载模板）。"]
    assert not Claim.objects.filter(programme=programme).exists()


def test_the_office_uploads_on_a_merchants_behalf_and_other_people_may_not(client_as, wuqing_programme):
    programme, merchant = wuqing_programme
    url = f"/tradein/programmes/{programme.pk}/upload/"
    response = client_as("wuqing").post(url, {"file": _workbook([_cells(87)])})
    assert response.context["form"].errors["merchant"] == ["该字段是必填项。"]
    response = client_as("wuqing").post(url, {"file": _workbook([_cells(87)]), "merchant": str(merchant.pk)})
    assert [(r.ok, r.created) for r in response.context["results"]] == [(True, True)]
    assert Claim.objects.get(programme=programme).merchant == merchant
    assert client_as("beichen").get(url).status_code == 404
    assert client_as("wuqing_shangwu").get(url).status_code == 403
    assert client_as("merchant_suning_bc").get(url).status_code == 404
