"""Spreadsheets: the sites and the monthly returns go out as .xlsx and come back in; an import with
bad rows saves nothing and names every bad row."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from liangxin.core.idcodes import uscc_from
from liangxin.core.models import AuditEntry
from liangxin.recycling.models import Site, VolumeReturn
from liangxin.recycling.services import ImportRejected, returns_import, sites_import
from liangxin.recycling.sheets import SITE_COLUMNS, sites_workbook

pytestmark = pytest.mark.django_db

HEADERS = [title for _key, title, _w in SITE_COLUMNS]
GOOD = uscc_from("91120113MA0T00002")


def workbook(rows, headers=HEADERS) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "sites.xlsx"
    return out


def row(**values):
    base = {
        "编号": None,
        "镇街": "双口镇",
        "层级": "回收点",
        "名称": "导入回收点",
        "运营企业": "天津导入回收有限公司",
        "统一社会信用代码": GOOD,
        "地址": "天津市北辰区双口路8号",
        "纬度": 39.2301,
        "经度": 117.0131,
        "坐标系": "GCJ-02",
        "营业时间": "周一至周六 8:00-17:00",
        "电话": "022-26801234",
        "回收品类": "家电、废纸",
        "两网融合": "是",
        "状态": "运营",
        "状态日期": datetime.date(2025, 4, 1),
        "责任单位": "区商务局",
        "备注": "",
    }
    base.update(values)
    return [base[h] for h in HEADERS]


def test_an_import_creates_the_sites_with_operator_town_categories_and_dated_status(beichen, user):
    result = sites_import(
        actor=user("beichen_shangwu"),
        jurisdiction=beichen,
        file=workbook(
            [
                row(),
                row(
                    名称="导入回收点二",
                    坐标系="WGS-84",
                    纬度=39.228,
                    经度=117.007,
                    两网融合="否",
                    状态="规划",
                    状态日期=None,
                ),
            ]
        ),
    )
    assert (result.created, result.updated) == (2, 0)
    first = Site.objects.get(name="导入回收点")
    assert (first.town.name, first.level, first.categories, first.two_networks) == (
        "双口镇",
        "point",
        ["appliances", "paper"],
        True,
    )
    assert (first.operator.uscc, first.operator.name) == (GOOD, "天津导入回收有限公司")
    assert (first.status, first.status_since) == ("open", datetime.date(2025, 4, 1))
    second = Site.objects.get(name="导入回收点二")
    assert (second.datum, str(second.wgs_lat), second.status) == ("wgs84", "39.228000", "planned")
    assert AuditEntry.objects.filter(action="recycling.site_create", object_id=str(first.pk)).exists()


def test_an_import_with_bad_rows_saves_nothing_and_names_every_bad_row(beichen, user):
    before = Site.objects.count()
    bad_code = GOOD[:-1] + ("1" if GOOD[-1] != "1" else "2")
    rows = [
        row(名称="好的一行"),
        row(名称="境外坐标", 纬度=51.5, 经度=-0.12),
        row(名称="营业时间错", 营业时间="周八 9:00-12:00"),
        row(名称="品类错", 回收品类="家电、冰箱"),
        row(名称="代码错", 统一社会信用代码=bad_code),
        row(名称="层级错", 层级="回收站"),
        row(名称="日期错", 状态日期="2025年4月"),
        row(名称="多处错", 层级="回收站", 纬度=51.5, 经度=-0.12, 营业时间="周八 9:00", 统一社会信用代码=bad_code),
    ]
    with translation.override("en"), pytest.raises(ImportRejected) as caught:
        sites_import(actor=user("beichen"), jurisdiction=beichen, file=workbook(rows))
    problems = caught.value.problems
    assert sorted({r for r, _m in problems}) == [3, 4, 5, 6, 7, 8, 9]
    by_row = {r: m for r, m in problems}
    assert "outside China" in by_row[3]
    assert "周八" in by_row[4]
    assert "冰箱" in by_row[5]
    assert "check character" in by_row[6]
    assert "回收站" in by_row[7]
    assert "2025年4月" in by_row[8]
    several = [m for r, m in problems if r == 9]
    assert len(several) == 4  # a row names all its problems at once
    assert [m.split(":")[0] for m in several] == ["层级", "纬度/经度", "营业时间", "统一社会信用代码"]
    assert Site.objects.count() == before
    assert not Site.objects.filter(name="好的一行").exists()


def test_exported_sites_come_back_as_updates_and_a_changed_status_is_dated(beichen, user):
    sites = Site.objects.filter(jurisdiction=beichen, level="transfer").order_by("pk")
    data = sites_workbook(sites)
    wb = load_workbook(io.BytesIO(data))
    ws = wb.active
    assert [c.value for c in ws[1]] == HEADERS
    assert ws.cell(row=2, column=HEADERS.index("层级") + 1).value == "中转站"
    ws.cell(row=2, column=HEADERS.index("电话") + 1).value = "022-26700000"
    ws.cell(row=3, column=HEADERS.index("状态") + 1).value = "关闭"
    ws.cell(row=3, column=HEADERS.index("状态日期") + 1).value = datetime.date(2025, 11, 1)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    result = sites_import(actor=user("beichen"), jurisdiction=beichen, file=out)
    assert (result.created, result.updated) == (0, sites.count())
    first, second = list(sites)[:2]
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.phone == "022-26700000"
    assert (second.status, second.status_since) == ("closed", datetime.date(2025, 11, 1))


def test_the_import_page_lists_every_bad_row_and_a_reporter_of_another_unit_is_refused(beichen, client_as):
    url = reverse("recycling:site_import")
    assert client_as("beichen_gongxin").get(url).status_code == 403
    response = client_as("beichen").post(url, {"file": workbook([row(), row(名称="坏行", 纬度=51.5, 经度=-0.12)])})
    assert response.status_code == 200
    assert [r for r, _m in response.context["problems"]] == [3]
    assert "坏行" not in response.content.decode() or not Site.objects.filter(name="坏行").exists()
    assert not Site.objects.filter(name="导入回收点").exists()


def test_the_api_import_answers_400_with_the_rows_and_201_with_the_counts(beichen, client_as):
    client = client_as("beichen")
    url = reverse("api:recycling-site-import")
    bad = client.post(url, {"file": workbook([row(), row(名称="坏行", 营业时间="随时")])})
    assert bad.status_code == 400
    assert [p["row"] for p in bad.json()["problems"]] == [3]
    good = client.post(url, {"file": workbook([row()])})
    assert good.status_code == 201 and good.json() == {"created": 1, "updated": 0, "flagged": 0}


def test_a_file_that_is_not_a_workbook_or_lacks_columns_is_refused_as_a_whole(beichen, client_as):
    client = client_as("beichen")
    url = reverse("api:recycling-site-import")
    junk = io.BytesIO(b"not a zip")
    junk.name = "x.xlsx"
    assert client.post(url, {"file": junk}).status_code == 400
    missing = client.post(url, {"file": workbook([["x"]], headers=["名称"])})
    assert missing.status_code == 400 and "纬度" in missing.json()["detail"]


def test_monthly_returns_import_all_or_nothing_with_units_checked(beichen, user):
    site = Site.objects.get(name="北辰区再生资源分拣中心（双街）")
    headers = ["站点编号", "站点名称", "月份", "品类", "数量", "单位"]
    rows = [
        [site.pk, site.name, "2023-05", "家电", 88, "台"],
        [site.pk, site.name, "2023-05", "废旧金属", 401.5, "台"],
        [site.pk, site.name, "2023-05", "废纸", -3, "吨"],
        [999999, "没有", "2023-05", "废纸", 3, "吨"],
    ]
    with translation.override("en"), pytest.raises(ImportRejected) as caught:
        returns_import(actor=user("beichen"), jurisdiction=beichen, file=workbook(rows, headers))
    by_row = {r: m for r, m in caught.value.problems}
    assert sorted(by_row) == [3, 4, 5]
    assert "吨" in by_row[3] and "negative" in by_row[4] and "999999" in by_row[5]
    assert not VolumeReturn.objects.filter(site=site, month=datetime.date(2023, 5, 1)).exists()
    result = returns_import(actor=user("beichen"), jurisdiction=beichen, file=workbook(rows[:1], headers))
    assert result.created == 1
    assert VolumeReturn.objects.get(site=site, month=datetime.date(2023, 5, 1)).quantity == 88
