"""The plan parser on small synthetic plans (written for these tests, not taken from real plans)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liangxin.imports.errors import NotAPlanError
from liangxin.imports.parsing import _Parser, parse_plan
from liangxin.plans.interchange import validate_document

HEAD = """南湖区人民政府
关于印发南湖区推进设备更新和消费品以旧换新实施方案的通知
各街道办事处，区政府各部门：
现将《南湖区推进设备更新和消费品以旧换新实施方案》印发给你们，请认真贯彻执行。
南湖区人民政府
2024年5月8日
（此件公开发布）

南湖区推进设备更新和消费品以旧换新实施方案

为落实《某省推动设备更新实施方案》（某政发〔2024〕9号）要求，结合本区实际，制定本方案。
"""


def plan(body: str, head: str = HEAD) -> str:
    return head + body


def parse(body: str, head: str = HEAD) -> dict:
    return parse_plan(plan(body, head)).document


def task(doc: dict, title: str) -> dict:
    return next(t for t in doc["tasks"] if t["title"] == title)


def targets(item: dict) -> list[tuple]:
    return [(t["year"], t["comparator"], t["value"], t["unit"]) for t in item["targets"]]


# -- the header -----------------------------------------------------------------------------------


def test_header_fields_come_from_the_notice_and_the_title_line():
    doc = parse(
        "一、重点任务\n1.推广节能设备。加快更新。（区发改委负责）\n2.推广新能源车。加快推广。（区交通局负责）\n"
    )
    assert doc["format"] == "liangxin.plan/1"
    assert doc["title"] == "南湖区推进设备更新和消费品以旧换新实施方案"
    assert doc["issuer"] == "南湖区人民政府"
    assert doc["issued_on"] == "2024-05-08"
    assert doc["doc_number"] is None
    assert doc["parent_policies"] == ["某政发〔2024〕9号"]


def test_document_number_line_and_a_title_broken_over_two_lines():
    head = """北湖县人民政府文件
北政发〔2024〕3号

北湖县人民政府
关于印发北湖县设备更新
行动计划的通知
各乡镇人民政府：
现将计划印发给你们。
北湖县人民政府
二〇二四年六月三日

北湖县推进设备更新和消费品

以旧换新行动计划
"""
    doc = parse("一、重点任务\n1.推广节能设备。加快更新。（县发改局负责）\n2.推广新车。加快。（县交通局负责）\n", head)
    assert doc["doc_number"] == "北政发〔2024〕3号"
    assert doc["issuer"] == "北湖县人民政府"
    assert doc["issued_on"] == "2024-06-03"
    assert doc["title"] == "北湖县推进设备更新和消费品以旧换新行动计划"


def test_without_a_notice_the_printing_date_stands_in_with_a_warning():
    head = "北湖县设备更新行动计划\n\n为推动设备更新，制定本计划。\n"
    body = "一、重点任务\n1.推广设备。加快。（县发改局负责）\n2.推广新车。加快。（县交通局负责）\n"
    text = head + body + "\n北湖县人民政府办公室  2024年7月9日印发\n"
    result = parse_plan(text)
    assert result.document["title"] == "北湖县设备更新行动计划"
    assert result.document["issued_on"] == "2024-07-09"
    assert any("printing date" in w for w in result.warnings)
    assert [t["title"] for t in result.document["tasks"]] == ["推广设备", "推广新车"]


# -- numbering and tasks --------------------------------------------------------------------------


def test_each_numbering_style_makes_tasks_with_their_paths():
    body = """一、重点任务
（一）工业领域
1.推进技改。加快技改。（区工信局负责）
2．推广节能设备。加快推广。（区发改委负责）
3、推动数字化。加快转型。（区数据局负责）
(二)消费领域
（1）开展汽车换新。组织促销。（区商务局负责）
(2)开展家电换新。组织促销。（区商务局负责）
（三）回收领域
①完善回收网络。布设网点。（区商务局负责）
②发展二手交易。规范交易。（区市场监管局负责）
二、保障措施
（一）加强组织领导。建立工作机制。（区发改委负责）
(二)强化资金保障。统筹资金。（区财政局负责）
"""
    doc = parse(body)
    assert [(t["number"], t["title"]) for t in doc["tasks"]] == [
        ("1", "推进技改"),
        ("2", "推广节能设备"),
        ("3", "推动数字化"),
        ("1", "开展汽车换新"),
        ("2", "开展家电换新"),
        ("①", "完善回收网络"),
        ("②", "发展二手交易"),
        ("一", "加强组织领导"),
        ("二", "强化资金保障"),
    ]
    assert task(doc, "推进技改")["path"] == ["一、重点任务", "（一）工业领域"]
    assert task(doc, "开展家电换新")["path"] == ["一、重点任务", "(二)消费领域"]
    assert task(doc, "强化资金保障")["path"] == ["二、保障措施"]


def test_full_width_digits_become_ascii_numbers_and_years():
    body = (
        "一、重点任务\n１．推进技改。到２０２６年，完成技改项目３０个。（区工信局负责）\n"
        "２．推广设备。加快推广。（区发改委负责）\n"
    )
    doc = parse(body)
    first = doc["tasks"][0]
    assert first["number"] == "1"
    assert targets(first) == [(2026, "=", 30, "个")]


def test_principles_under_general_requirements_are_not_tasks():
    body = """一、总体要求
（一）坚持市场为主。发挥市场作用。
（二）坚持标准引领。发挥标准作用。
二、重点任务
1.推进技改。加快技改。（区工信局负责）
2.推广设备。加快推广。（区发改委负责）
"""
    doc = parse(body)
    assert [t["title"] for t in doc["tasks"]] == ["推进技改", "推广设备"]


def test_a_number_on_a_heading_line_of_its_own_titles_the_task_with_that_line():
    body = """一、重点任务
1.推进技改。加快技改。（区工信局负责）
二、组织实施
（一）动员部署阶段
召开动员会，明确分工，细化措施。
（二）推进落实阶段
各单位按计划推进，每月报送进展。
"""
    doc = parse(body)
    assert [t["title"] for t in doc["tasks"]] == ["推进技改", "动员部署阶段", "推进落实阶段"]


def test_a_title_broken_by_a_page_break_is_joined():
    body = (
        "一、重点任务\n1.推进工业企业技术改\n\n- 4 -\n\n造。加快技改，提升水平。（区工信局负责）\n"
        "2.推广设备。加快推广。（区发改委负责）\n"
    )
    doc = parse(body)
    assert doc["tasks"][0]["title"] == "推进工业企业技术改造"


def test_bookmark_debris_and_page_number_lines_are_ignored():
    body = """一、重点任务
[bookmark: _GoBack]1.推进技改。加快技改。（区工信局负责）

12

2.推广设备。加快推广。（区发改委负责）
"""
    doc = parse(body)
    assert [(t["number"], t["title"]) for t in doc["tasks"]] == [("1", "推进技改"), ("2", "推广设备")]


def test_tabs_inside_paragraphs_are_not_tables():
    body = (
        "\t一、\t重点任务\n"
        "\t1.\t推进技改。加快技改，落实重点任务。（区工信局负责）\n"
        "\t2.\t推广设备。加快推广，完成年度任务。（区发改委、区财政局按职责分工负责）\n"
    )
    doc = parse(body)
    assert [(t["number"], t["title"], t["path"]) for t in doc["tasks"]] == [
        ("1", "推进技改", ["一、重点任务"]),
        ("2", "推广设备", ["一、重点任务"]),
    ]
    assert doc["tasks"][1]["responsible_units"] == ["区发改委", "区财政局"]


def test_without_top_sections_principles_and_goals_items_are_not_tasks():
    body = """（一）指导思想。坚持市场为主、政府引导。
（二）工作目标。到2027年，新增智能工厂10家。
（三）重点任务
1.推进技改。加快技改。（区工信局负责）
2.推广设备。加快推广。（区发改委负责）
"""
    doc = parse(body)
    assert [t["title"] for t in doc["tasks"]] == ["推进技改", "推广设备"]
    assert [(g["year"], g["comparator"], g["value"], g["unit"]) for g in doc["goals"]] == [(2027, "=", 10, "家")]


def test_a_titled_plan_with_sections_only_has_no_tasks_and_says_so():
    result = parse_plan(plan("一、推进技改。加快技改。（区工信局负责）\n二、推广设备。加快推广。（区发改委负责）\n"))
    assert result.document["tasks"] == []
    assert any("no numbered tasks" in w for w in result.warnings)


def test_attachments_are_not_searched_for_tasks():
    body = """一、重点任务
1.推进技改。加快技改。（区工信局负责）
2.推广设备。加快推广。（区发改委负责）

附件：南湖区工作专班

附件

南湖区设备更新工作专班

一、主要职责
1.统筹推进。研究重大问题。
"""
    doc = parse(body)
    assert [t["title"] for t in doc["tasks"]] == ["推进技改", "推广设备"]


# -- assignments ----------------------------------------------------------------------------------


def test_labelled_lead_and_responsible_units():
    doc = parse(
        "一、重点任务\n1.推进技改。加快技改。（牵头单位：区工信局；配合单位：区财政局、区统计局等）\n"
        "2.推广设备。加快推广。（区发改委负责）\n"
    )
    t = task(doc, "推进技改")
    assert (t["lead_units"], t["responsible_units"]) == (["区工信局"], ["区财政局", "区统计局"])


def test_lead_with_helpers_marked_by_verbs():
    doc = parse(
        "一、重点任务\n1.推广设备。加快推广。（区发改委牵头，区工信局、区市场监管局配合）\n"
        "2.推进技改。加快技改。（区工信局、区科技局牵头负责）\n"
    )
    assert task(doc, "推广设备")["lead_units"] == ["区发改委"]
    assert task(doc, "推广设备")["responsible_units"] == ["区工信局", "区市场监管局"]
    assert task(doc, "推进技改")["lead_units"] == ["区工信局", "区科技局"]


def test_single_unit_in_charge_leads_and_a_shared_list_has_no_lead():
    doc = parse(
        "一、重点任务\n1.开展汽车换新。组织促销。（区商务局负责）\n"
        "2.开展家电换新。组织促销。（区商务局、区财政局等部门和各街道按职责分工负责）\n"
    )
    assert task(doc, "开展汽车换新")["lead_units"] == ["区商务局"]
    assert task(doc, "开展汽车换新")["responsible_units"] == []
    assert task(doc, "开展家电换新")["lead_units"] == []
    assert task(doc, "开展家电换新")["responsible_units"] == ["区商务局", "区财政局"]


def test_an_assignment_line_of_its_own_and_the_first_listed_leads_rule():
    body = """一、重点任务
1.推进技改。加快技改，提升水平。
责任单位：区工信局、区财政局、区税务局
2.推广设备。加快推广。
责任单位：区发改委
注：责任单位中排名第一的为牵头单位。
"""
    doc = parse(body)
    assert task(doc, "推进技改")["lead_units"] == ["区工信局"]
    assert task(doc, "推进技改")["responsible_units"] == ["区财政局", "区税务局"]
    assert task(doc, "推广设备")["lead_units"] == ["区发改委"]


def test_labelled_lines_without_parentheses_one_per_line():
    body = """一、重点任务
1.推进技改
牵头单位：区工信局
责任单位：区财政局、区统计局
组织企业实施技术改造，提升装备水平。
2.推广设备。加快推广。（区发改委负责）
"""
    t = task(parse(body), "推进技改")
    assert (t["lead_units"], t["responsible_units"]) == (["区工信局"], ["区财政局", "区统计局"])


def test_lead_marked_in_parentheses_inside_the_list():
    doc = parse(
        "一、重点任务\n1.推进技改。加快技改。（责任单位：区工信局（牵头）、区财政局）\n2.推广。加快。（区发改委负责）\n"
    )
    t = task(doc, "推进技改")
    assert (t["lead_units"], t["responsible_units"]) == (["区工信局"], ["区财政局"])


def test_a_second_name_in_parentheses_is_not_a_separate_unit():
    body = (
        "一、重点任务\n1.推进技改。加快技改。（区住建委（区人防办）、区工信局按职责分工负责）\n"
        "2.推广。加快。（区发改委负责）\n"
    )
    assert task(parse(body), "推进技改")["responsible_units"] == ["区住建委", "区工信局"]


def test_a_parenthesis_split_across_a_page_break_is_read_whole():
    body = """一、重点任务
1.推进技改。加快技改，提升装备水平。（区工信局、区

— 5 —

发改委按职责分工负责）
2.推广设备。加快推广。（区发改委负责）
"""
    t = task(parse(body), "推进技改")
    assert t["responsible_units"] == ["区工信局", "区发改委"]


def test_prose_mentions_and_generic_phrases_are_not_units():
    body = """一、重点任务
1.推进技改。由区发改委牵头制定方案，区工信局要牵头做好服务。（各成员单位按职责分工负责）
2.推广设备。加快推广。（区发改委、各镇街、区直有关部门按职责分工负责）
"""
    doc = parse(body)
    assert task(doc, "推进技改")["lead_units"] == []
    assert task(doc, "推进技改")["responsible_units"] == []
    assert task(doc, "推广设备")["responsible_units"] == ["区发改委"]
    assert "各镇街" not in doc["units"] and "各成员单位" not in doc["units"]


def test_unit_shapes_beyond_bureaus():
    body = """一、重点任务
1.优化金融支持。加大信贷投放。（人民银行南湖支行、南湖金融监管分局、区城投集团、国网南湖供电公司、区供销社、南湖街道按职责分工负责）
2.加强宣传。做好解读。（区委宣传部、区融媒体中心负责）
"""
    doc = parse(body)
    assert task(doc, "优化金融支持")["responsible_units"] == [
        "人民银行南湖支行",
        "南湖金融监管分局",
        "区城投集团",
        "国网南湖供电公司",
        "区供销社",
        "南湖街道",
    ]
    assert task(doc, "加强宣传")["responsible_units"] == ["区委宣传部", "区融媒体中心"]


def test_bracketed_labels_without_colons():
    body = (
        "一、重点任务\n1.推进技改。加快技改。【牵头单位】区工信局【配合单位】区发改委、区财政局\n"
        "2.推广。加快。（区发改委负责）\n"
    )
    t = task(parse(body), "推进技改")
    assert (t["lead_units"], t["responsible_units"]) == (["区工信局"], ["区发改委", "区财政局"])


def test_a_list_of_bodies_inside_a_sentence_is_not_the_assignment():
    body = """一、重点任务
1.支持重点企业。支持龙头企业（东湖机械公司、南湖纺织集团）实施改造。
2.推广设备。加快推广。（区发改委负责）
"""
    doc = parse(body)
    assert task(doc, "支持重点企业")["responsible_units"] == []
    assert "东湖机械公司" not in doc["units"]


def test_half_parenthesis_numbering_and_a_period_line_under_the_title():
    head = HEAD.replace("实施方案\n\n为落实", "实施方案\n（2024—2027年）\n\n为落实")
    body = "一、重点任务\n1）推进技改。加快技改。（区工信局负责）\n2）推广设备。加快推广。（区发改委负责）\n"
    doc = parse(body, head)
    assert doc["title"] == "南湖区推进设备更新和消费品以旧换新实施方案（2024—2027年）"
    assert [(t["number"], t["title"]) for t in doc["tasks"]] == [("1", "推进技改"), ("2", "推广设备")]


# -- targets --------------------------------------------------------------------------------------


def test_comparator_words_bind_to_their_numbers():
    body = """一、重点任务
1.推进技改。到2026年，新增智能工厂不少于12家，技改投资超过50亿元，数字化车间达到20个左右，单位能耗下降约8%，每年举办对接活动3场以上。（区工信局负责）
2.推广设备。到2025年底，力争更新设备1200台（套），淘汰老旧锅炉15台以下，完成改造项目9个。（区发改委负责）
"""
    doc = parse(body)
    assert targets(task(doc, "推进技改")) == [
        (2026, ">=", 12, "家"),
        (2026, ">", 50, "亿元"),
        (2026, "~", 20, "个"),
        (2026, "~", 8, "%"),
        (None, ">=", 3, "场"),
    ]
    assert targets(task(doc, "推广设备")) == [
        (2025, ">=", 1200, "台（套）"),
        (2025, "<=", 15, "台"),
        (2025, ">=", 9, "个"),
    ]


def test_labels_and_scope_numbers_are_not_targets():
    body = """一、重点任务
1.推广设备。依据《能效标准（2024年版）》，推广1级能效和5G设备，依托年产80万吨的项目延链补链。（区发改委负责）
2.推进技改。到2027年建成“1+3+N”体系。（区工信局负责）
"""
    doc = parse(body)
    assert task(doc, "推广设备")["targets"] == []
    assert targets(task(doc, "推进技改")) == [(2027, None, None, None)]


def test_subsidy_amounts_and_thresholds_are_not_targets():
    body = """一、重点任务
1.支持技改。对设备投资超过500万元的项目，按投资额的10%给予补助，单个项目最高200万元。（区工信局负责）
2.推广设备。到2026年，更新设备300台。（区发改委负责）
"""
    doc = parse(body)
    assert task(doc, "支持技改")["targets"] == []
    assert targets(task(doc, "推广设备")) == [(2026, "=", 300, "台")]


def test_effort_words_bounds_and_status_sentences():
    body = """一、重点任务
1.推进技改。力争到2027年，培育智能工厂10家、数字化车间30个。目前已建成智能工厂5家。（区工信局负责）
2.完善回收网络。累计建成回收网点300余个。（区商务局负责）
"""
    doc = parse(body)
    assert targets(task(doc, "推进技改")) == [(2027, ">=", 10, "家"), (2027, ">=", 30, "个")]
    assert targets(task(doc, "完善回收网络")) == [(None, ">", 300, "个")]


def test_goals_with_shared_comparators_units_and_a_basis():
    body = """一、主要目标
到2026年，全区设备投资较2023年增长20%以上，重点设备能效明显提升，关键工序数控化率、设备联网率分别达到80%、60%左右，较2023年分别提高6个、5个百分点。
二、重点任务
1.推进技改。加快技改。（区工信局负责）
2.推广设备。加快推广。（区发改委负责）
"""
    doc = parse(body)
    got = [(g["year"], g["comparator"], g["value"], g["unit"], g["basis"]) for g in doc["goals"]]
    assert got == [
        (2026, ">=", 20, "%", "2023"),
        (2026, None, None, None, None),
        (2026, "~", 80, "%", None),
        (2026, "~", 60, "%", None),
        (2026, "=", 6, "个百分点", "2023"),
        (2026, "=", 5, "个百分点", "2023"),
    ]


# -- tables, task force, units list ---------------------------------------------------------------

TABLES = """
附件：1.指标表

附件1

\t南湖区设备更新指标表

\t序号
\t重点任务
\t指标名称
\t2023年底现状
\t2025年目标
\t2026年目标
\t责任单位

\t1
\t推进技改
\t智能工厂
\t已建成智能工厂6家
\t新增3家，累计达到9家
\t累计达到12家以上
\t区工信局

\t2
\t
\t技改投资
\t技改投资30亿元
\t技改投资达到35亿元，较上年增长10%
\t未定
\t区工信局
区统计局

附件2

\t序号
\t工作任务
\t牵头单位

\t1
\t推进技改
\t区工信局、区科技局牵头

\t2
\t推广设备
\t各有关部门按职责分工负责

附件3

南湖区设备更新工作专班

组  长：王某某  区长
副组长：李某某  区发改委主任
成  员：赵  某  区工信局局长
        钱某某  东湖镇党委书记
        孙某某  区统计局副局长
专班办公室设在区发改委。专班实行周调度、月通报机制。
"""


def test_indicator_division_and_task_force_from_attachments():
    body = "一、重点任务\n1.推进技改。加快技改。（区工信局负责）\n2.推广设备。加快推广。（区发改委负责）\n" + TABLES
    result = parse_plan(plan(body))
    doc = result.document
    rows = doc["indicators"]
    assert [(r["seq"], r["task"], r["name"]) for r in rows] == [
        (1, "推进技改", "智能工厂"),
        (2, "推进技改", "技改投资"),
    ]
    assert rows[0]["baseline"] == {"year": 2023, "text": "已建成智能工厂6家", "value": 6, "unit": "家"}
    assert [(m["year"], m["value"]) for m in rows[0]["milestones"]] == [(2025, 9), (2026, 12)]
    assert [(m["year"], m["value"]) for m in rows[1]["milestones"]] == [(2025, 35), (2026, None)]
    assert rows[1]["units"] == ["区工信局", "区统计局"]
    assert doc["division_table"] == [
        {"seq": 1, "task": "推进技改", "lead_units": ["区工信局", "区科技局"]},
        {"seq": 2, "task": "推广设备", "lead_units": []},
    ]
    tf = doc["task_force"]
    assert tf["name"] == "南湖区设备更新工作专班"
    assert tf["office_unit"] == "区发改委"
    assert tf["member_units"] == ["区发改委", "区工信局", "东湖镇", "区统计局"]
    assert tf["mechanisms"] == ["周调度", "月通报"]
    for unit in ("区统计局", "区科技局", "东湖镇", "区发改委"):
        assert unit in doc["units"]
    assert len(doc["units"]) == len(set(doc["units"]))
    assert result.spans["indicators/0"][0] < result.spans["indicators/1"][0]


def test_indicator_table_with_a_measure_unit_column_and_tab_separated_rows():
    body = """一、重点任务
1.推进技改。加快技改。（区工信局负责）
2.推广设备。加快推广。（区发改委负责）

附件

主要指标表

序号\t指标名称\t单位\t2023年基数\t2025年\t2027年\t责任单位
1\t技改投资\t亿元\t40\t46.5\t50\t区工信局
2\t回收网点\t个\t300\t—\t420\t区商务局
"""
    rows = parse(body)["indicators"]
    assert [(r["name"], r["baseline"]["value"], [m["value"] for m in r["milestones"]]) for r in rows] == [
        ("技改投资", 40, [46.5, 50]),
        ("回收网点", 300, [None, 420]),
    ]
    assert rows[0]["baseline"]["unit"] == "亿元"


def test_policy_list_groups_restart_their_numbering():
    body = """一、重点任务
1.推进技改。加快技改。（区工信局负责）
2.推广设备。加快推广。（区发改委负责）

附件

南湖区政策清单

\t序号
\t政策名称
\t牵头部门

\t一、总体方案
\t
\t

\t1
\t设备更新总体方案
\t区发改委

\t二、专项方案

\t1
\t工业设备更新方案
\t区工信局

区科技局
"""
    doc = parse(body)
    assert doc["policy_list"] == [
        {"seq": 1, "group": "一、总体方案", "title": "设备更新总体方案", "lead_units": ["区发改委"]},
        {"seq": 1, "group": "二、专项方案", "title": "工业设备更新方案", "lead_units": ["区工信局", "区科技局"]},
    ]


def test_tab_separated_rows_make_a_division_table():
    body = """一、重点任务
1.推进技改。加快技改。（区工信局负责）
2.推广设备。加快推广。（区发改委负责）

附件

任务分工表

序号\t工作任务\t牵头单位\t责任单位
1\t推进技改\t区工信局\t区财政局
2\t推广设备\t区发改委\t区市场监管局
"""
    doc = parse(body)
    assert doc["division_table"] == [
        {"seq": 1, "task": "推进技改", "lead_units": ["区工信局"]},
        {"seq": 2, "task": "推广设备", "lead_units": ["区发改委"]},
    ]
    assert "区市场监管局" in doc["units"]


# -- spans and warnings ---------------------------------------------------------------------------


def test_spans_point_into_the_original_text():
    text = plan(
        "一、重点任务\n１．推进技改。到２０２６年，完成技改项目３０个。（牵头单位：区工信局）\n"
        "2.推广设备。加快推广。（区发改委负责）\n"
    )
    result = parse_plan(text)
    for key, (start, end) in result.spans.items():
        assert 0 <= start < end <= len(text), key
    start, end = result.spans["tasks/0/title"]
    assert text[start:end] == "推进技改"
    start, end = result.spans["tasks/0"]
    assert text[start:end].startswith("１．推进技改") and "区工信局" in text[start:end]
    start, end = result.spans["title"]
    assert text[start:end] == "南湖区推进设备更新和消费品以旧换新实施方案"
    start, end = result.spans["issued_on"]
    assert text[start:end] == "2024年5月8日"
    start, end = result.spans["tasks/0/targets/0"]
    assert "３０个" in text[start:end]


def test_a_task_without_a_marked_assignment_is_reported():
    result = parse_plan(plan("一、重点任务\n1.推进技改。加快技改。\n2.推广设备。加快推广。（区发改委负责）\n"))
    assert result.document["tasks"][0]["lead_units"] == []
    assert any("task 1" in w and "no marked assignment" in w for w in result.warnings)


# -- not a plan -----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\t\n", "%%%%%%\n\n12345", "\x00\x01\x02"])
def test_empty_or_garbage_text_is_not_a_plan(text):
    with pytest.raises(NotAPlanError):
        parse_plan(text)


def test_a_news_article_is_not_a_plan():
    news = """南湖区召开设备更新工作推进会

本报讯（记者 某某）6月5日，南湖区召开推动大规模设备更新和消费品以旧换新工作推进会。会议指出，
要抓住政策机遇，推动设备更新和消费品以旧换新取得实效。区发改委、区工信局、区商务局负责同志参加会议。
据了解，今年以来全区已组织技改项目20个，新增智能工厂3家。
"""
    with pytest.raises(NotAPlanError):
        parse_plan(news)


@settings(max_examples=400, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("一二、（）()1.．\n\t 区局委负责牵头：；。，到2027年家%达到以上附件方案")),
        max_size=300,
    )
)
def test_odd_input_raises_nothing_but_not_a_plan(text):
    # the parser proper: parse_plan would turn an internal failure into NotAPlanError and hide it
    try:
        result = _Parser(text).run() if text.strip() else parse_plan(text)
    except NotAPlanError:
        return
    assert result.document["format"] == "liangxin.plan/1"
    for start, end in result.spans.values():
        assert 0 <= start < end <= len(text)


_FRAGMENTS = [
    "一、重点任务",
    "（二）保障措施",
    "(三)",
    "1.推进技改。",
    "２．推广设备，",
    "（1）开展换新。到2027年，新增",
    "①完成",
    "20家以上。",
    "（牵头单位：区工信局；责任单位：区财政局",
    "、区统计局等按职责分工负责）",
    "责任单位：区发改委、各镇街",
    "\t序号",
    "\t指标名称",
    "\t2025年目标",
    "\t累计达到12家",
    "",
    "附件",
    "成员单位：区发改委、区商务局",
    "办公室设在区发改委",
    "— 3 —",
    "[bookmark: _GoBack]",
    "南湖区设备更新实施方案",
    "到2026年，较2023年分别增长5个、6个百分点以上",
    "序号\t工作任务\t牵头单位",
    "1\t推进技改\t区工信局牵头",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=40))
def test_plan_like_fragments_in_any_order_raise_nothing_but_not_a_plan(pieces):
    text = "\n".join(pieces)
    try:
        result = _Parser(text).run() if text.strip() else parse_plan(text)
    except NotAPlanError:
        return
    for start, end in result.spans.values():
        assert 0 <= start < end <= len(text)
    validate_document(result.document)  # units referenced are listed, numbers and years in range
