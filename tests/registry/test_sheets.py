"""The lists as .xlsx: export of the filtered list, the template, and the all-or-nothing import with
row-level errors; re-importing an export updates rather than duplicates."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from liangxin.core.idcodes import uscc_from
from liangxin.core.models import AuditEntry, Jurisdiction
from liangxin.registry import sheets
from liangxin.registry.models import Enterprise, Policy, Project


@pytest.fixture
def beichen(db):
    return Jurisdiction.objects.get(name="北辰区", parent__name="天津市")


def _book(headers, *rows) -> bytes:
    book = Workbook()
    ws = book.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rows(data: bytes) -> list[list]:
    ws = load_workbook(io.BytesIO(data)).active
    return [list(r) for r in ws.iter_rows(values_only=True)]


PROJECT_HEADERS = [
    "项目名称",
    "项目单位统一社会信用代码",
    "项目单位名称",
    "领域",
    "责任单位",
    "总投资（万元）",
    "设备投资（万元）",
    "计划开工",
    "计划竣工",
    "申请资金渠道",
    "审批/备案",
    "审批/备案文号",
]


def test_the_export_holds_the_filtered_projects_with_chinese_labels(client_as):
    answer = client_as("beichen").get("/registry/projects/export.xlsx?stage=started")
    assert answer.status_code == 200
    rows = _rows(answer.content)
    header = rows[0]
    assert header[:4] == ["项目名称", "项目单位统一社会信用代码", "项目单位名称", "领域"]
    names = sorted(r[0] for r in rows[1:])
    assert names == sorted(Project.objects.filter(stage="started").values_list("name", flat=True))
    welding = next(r for r in rows[1:] if r[0] == "钢结构智能焊接生产线技术改造项目")
    assert welding[3] == "工业"
    assert welding[header.index("总投资（万元）")] == 3200
    assert welding[header.index("申请资金渠道")] == "超长期特别国债、贷款贴息"


def test_re_importing_an_export_updates_every_project_and_duplicates_none(beichen, user):
    export = sheets.export_xlsx(
        "projects", Project.objects.filter(jurisdiction=beichen).prefetch_related("prerequisites")
    )
    before = Project.objects.count()
    result = sheets.import_xlsx("projects", export, actor=user("beichen"), jurisdiction=beichen)
    assert result.errors == []
    assert (result.created, result.updated) == (0, 15)
    assert Project.objects.count() == before
    assert Enterprise.objects.filter(uscc=uscc_from("91120113MA0700017")).count() == 1


def test_one_bad_row_imports_nothing_and_every_problem_is_named_by_row_and_column(beichen, user):
    good = uscc_from("91120113MA0700017")
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    data = _book(
        PROJECT_HEADERS,
        ["新建冲压线项目", good, "天津北辰金属制品有限公司", "工业", "区工信局", 500, 400, "2025-03-01", "2025-12-31",
         "超长期特别国债", "已完成", "津北审批〔2025〕1号"],
        ["码错的项目", wrong, "某公司", "工业", "", 100, 50, "", "", "", "", ""],
        ["超额项目", good, "", "工业", "", 100, 150, "", "", "", "", ""],
        ["领域不明", good, "", "航天", "区不存在局", "一百", 10, "2025-13-01", "", "国债", "", ""],
    )  # fmt: skip
    audit_before = AuditEntry.objects.count()
    result = sheets.import_xlsx("projects", data, actor=user("beichen"), jurisdiction=beichen)
    assert (result.created, result.updated) == (0, 0)
    problems = [(e["row"], e["column"]) for e in result.errors]
    assert problems == [
        (3, "项目单位统一社会信用代码"),
        (4, "设备投资（万元）"),
        (5, "领域"),
        (5, "责任单位"),
        (5, "总投资（万元）"),
        (5, "计划开工"),
        (5, "申请资金渠道"),
    ]
    assert "check character" in result.errors[0]["message"] or "校验" in result.errors[0]["message"]
    assert not Project.objects.filter(name="新建冲压线项目").exists()
    assert AuditEntry.objects.count() == audit_before


def test_an_enterprise_listed_twice_in_a_sheet_is_merged_into_one_record(beichen, user):
    code = uscc_from("91120113MA0TXT003")
    data = _book(
        ["统一社会信用代码", "企业名称", "企业标识", "企业角色"],
        [code, "天津合并测试有限公司", "专精特新", "制造企业"],
        [code.lower(), "天津合并测试科技有限公司", "绿色工厂", "supplier"],
    )
    result = sheets.import_xlsx("enterprises", data, actor=user("beichen"), jurisdiction=beichen)
    assert result.errors == []
    assert (result.created, result.updated) == (1, 1)
    firm = Enterprise.objects.get(uscc=code)
    assert (firm.name, firm.flags, firm.roles) == (
        "天津合并测试科技有限公司", ["专精特新", "绿色工厂"], ["manufacturer", "supplier"],
    )  # fmt: skip


def test_a_policy_sheet_builds_a_one_plus_n_list(beichen, user):
    data = _book(
        ["层级", "政策名称", "文号", "所属总体方案", "牵头单位", "资金渠道", "支持领域"],
        ["区县级", "北辰区测试总体方案", "北辰政发〔2025〕9号", "", "区发改委", "", ""],
        ["区县级", "北辰区测试工业方案", "", "北辰区测试总体方案", "区工信局", "贷款贴息", "工业"],
        ["区县级", "北辰区测试农业方案", "", "北辰区测试总体方案", "区农业农村委", "", "农业、回收循环利用"],
    )
    result = sheets.import_xlsx("policies", data, actor=user("beichen"), jurisdiction=beichen)
    assert result.errors == []
    overall = Policy.objects.get(title="北辰区测试总体方案")
    assert [(p.title, p.lead_unit.name, p.domains) for p in overall.children.order_by("id")] == [
        ("北辰区测试工业方案", "区工信局", ["industry"]),
        ("北辰区测试农业方案", "区农业农村委", ["agriculture", "recycling"]),
    ]


def test_a_file_that_is_not_a_workbook_or_lacks_the_headers_is_refused_whole(beichen, user):
    with pytest.raises(sheets.SheetError):
        sheets.import_xlsx("products", b"not a workbook", actor=user("beichen"), jurisdiction=beichen)
    with pytest.raises(sheets.SheetError, match="产品名称"):
        sheets.import_xlsx("products", _book(["企业统一社会信用代码", "产品类别"]), actor=user("beichen"),
                           jurisdiction=beichen)  # fmt: skip


def test_the_template_has_the_headers_and_an_instructions_sheet(client_as):
    answer = client_as("beichen").get("/registry/products/template.xlsx")
    book = load_workbook(io.BytesIO(answer.content))
    assert [c.value for c in book.worksheets[0][1]][:4] == [
        "企业统一社会信用代码*",
        "企业名称",
        "产品类别*",
        "产品名称*",
    ]
    notes = [list(r) for r in book["填写说明"].iter_rows(values_only=True)]
    assert notes[0] == ["列", "必填", "说明"]
    assert ["能效等级", None, "1-5"] in notes


def test_the_import_page_lists_the_errors_and_the_api_answers_400_with_them(client_as, beichen):
    client = client_as("beichen")
    data = _book(["年度", "品类", "预计数量"], [2026, "冰箱", 100], [2026, "飞船", -5])
    page = client.post("/registry/consumer/import/", {"file": io.BytesIO(data)})
    assert page.status_code == 200
    assert [(e["row"], e["column"]) for e in page.context["result"].errors] == [(3, "品类"), (3, "预计数量")]
    upload = io.BytesIO(data)
    upload.name = "consumer.xlsx"
    api = client.post("/api/registry/consumer/import/", {"file": upload})
    assert api.status_code == 400
    assert [e["row"] for e in api.json()["errors"]] == [3, 3]
    fixed = io.BytesIO(_book(["年度", "品类", "预计数量"], [2026, "冰箱", 100], [2026, "洗衣机", 80]))
    fixed.name = "consumer.xlsx"
    ok = client.post("/api/registry/consumer/import/", {"file": fixed})
    assert ok.json() == {"created": 2, "updated": 0, "errors": []}
    assert Decimal(80) == beichen.consumer_demands.get(year=2026, category__name="洗衣机").expected_units


def test_a_unit_imports_projects_for_itself_only(beichen, user):
    reporter = user("beichen_shangwu")
    code = uscc_from("91120113MA0700015")
    own = _book(
        ["项目名称", "项目单位统一社会信用代码", "领域", "总投资（万元）", "设备投资（万元）"],
        ["社区智能回收站建设项目", code, "回收循环利用", 200, 150],
    )
    result = sheets.import_xlsx("projects", own, actor=reporter, jurisdiction=beichen, restrict_unit=reporter.unit)
    assert (result.created, result.errors) == (1, [])
    assert Project.objects.get(name="社区智能回收站建设项目").responsible_unit == reporter.unit
    other = _book(
        ["项目名称", "项目单位统一社会信用代码", "领域", "责任单位", "总投资（万元）", "设备投资（万元）"],
        ["替工信局登记的项目", code, "工业", "区工信局", 200, 150],
        ["钢结构智能焊接生产线技术改造项目", uscc_from("91120113MA0700017"), "工业", "", 3200, 2400],
    )
    result = sheets.import_xlsx("projects", other, actor=reporter, jurisdiction=beichen, restrict_unit=reporter.unit)
    assert [(e["row"], e["column"]) for e in result.errors] == [(2, "责任单位"), (3, "项目名称")]
    assert not Project.objects.filter(name="替工信局登记的项目").exists()
