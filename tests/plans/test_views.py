import json
import re

import pytest
from django.urls import reverse

from liangxin.core.models import AuditEntry, Unit
from liangxin.plans.models import Indicator, Task


def _text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def _row_containing(html, needle):
    for row in re.findall(r"<tr.*?</tr>", html, flags=re.S):
        if needle in row:
            return re.sub(r"<[^>]+>", " ", row)
    raise AssertionError(f"no table row contains {needle}")


def test_anonymous_visitors_are_sent_to_the_login_page(client, plan_of):
    response = client.get(reverse("plans:plan_detail", args=[plan_of("北辰区").pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_plan_list_shows_only_the_plans_of_ones_jurisdiction(client_as):
    html = _text(client_as("beichen").get(reverse("plans:home")))
    assert "北辰区推动大规模设备更新和消费品以旧换新工作方案" in html
    assert "武清区推动" not in html and "朔州市推动" not in html


def test_a_leader_of_the_city_sees_the_plans_of_the_districts_below(client_as):
    html = _text(client_as("tianjin_leader").get(reverse("plans:home")))
    for title in ("北辰区推动", "武清区推动", "天津经济技术开发区推动"):
        assert title in html
    assert "朔州市推动" not in html and "泰山区推动" not in html


def test_the_beichen_plan_page_shows_its_indicator_table_like_the_attachment(client_as, plan_of):
    plan = plan_of("北辰区")
    html = client_as("beichen").get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    table = re.search(r'<table class="grid indicators" id="indicator-table">.*?</table>', html, flags=re.S).group(0)
    assert len(re.findall(r"<tr>", table.split("<tbody>")[1])) == 15
    row = _row_containing(table, "工业领域设备投资规模")
    cells = row.split()
    assert "13.6亿元" in cells and "17亿元" in cells
    assert "14.5亿元" in cells and "15.3亿元" in cells and "16.2亿元" in cells
    assert "区工信局" in row
    headers = re.sub(r"<[^>]+>", "|", table.split("<tbody>")[0])
    for year in ("2024", "2025", "2026", "2027"):
        assert year in headers


def test_the_plan_page_shows_facts_goals_tasks_and_task_force(client_as, plan_of):
    plan = plan_of("北辰区")
    html = _text(client_as("beichen").get(reverse("plans:plan_detail", args=[plan.pk])))
    assert "天津市北辰区人民政府" in html and "2024-06-21" in html
    assert "国发〔2024〕7号" in html and "津政发〔2024〕7号" in html
    assert "二手车交易量比2023年增长45%" in html
    row = _row_containing(html, "开展家电产品以旧换新")
    assert "区商务局" in row
    assert "北辰区推动大规模设备更新和消费品以旧换新工作专班" in html
    assert "1+6+17" in html and "每月通报" in html


def test_the_shuozhou_page_has_the_division_table_and_taishan_the_policy_list(client_as, plan_of):
    html = _text(client_as("admin").get(reverse("plans:plan_detail", args=[plan_of("朔州市").pk])))
    row = _row_containing(html, "推动工业设备更新升级")
    assert "市工信局" in row and "市能源局" in row
    assert "旬调度" in html and "月通报" in html
    html = _text(client_as("admin").get(reverse("plans:plan_detail", args=[plan_of("泰山区").pk])))
    row = _row_containing(html, "建筑和市政领域设备更新工作方案")
    assert "区住房和城乡建设局" in row and "区综合行政执法局" in row
    assert "二、分领域工作方案" in html


def test_an_office_cannot_open_another_jurisdictions_plan(client_as, plan_of):
    response = client_as("wuqing").get(reverse("plans:plan_detail", args=[plan_of("北辰区").pk]))
    assert response.status_code == 404


def test_a_unit_page_lists_every_task_and_indicator_it_leads_or_shares(client_as, plan_of):
    unit = Unit.objects.get(jurisdiction__name="北辰区", name="区商务局")
    html = _text(client_as("beichen").get(reverse("plans:unit_detail", args=[unit.pk])))
    assert "开展家电产品以旧换新" in html
    assert "二手车交易量、废旧家电回收量" in html
    lead_titles = set(
        Task.objects.filter(assignments__unit=unit, assignments__role="lead").values_list("title", flat=True)
    )
    assert lead_titles and all(t in html for t in lead_titles)


def test_a_unit_page_shows_the_aliases(client_as):
    unit = Unit.objects.get(jurisdiction__name="北辰区", name="区工信局")
    html = _text(client_as("beichen").get(reverse("plans:unit_detail", args=[unit.pk])))
    assert "区工业和信息化局" in html


def _gongxin_task(plan):
    return Task.objects.get(plan=plan, number="1", title="推动工业领域设备更新和技术改造")


def test_a_commerce_reporter_gets_403_on_an_industry_task_and_nothing_changes(client_as, plan_of):
    task = _gongxin_task(plan_of("北辰区"))
    client = client_as("beichen_shangwu")
    assert client.get(reverse("plans:task_edit", args=[task.pk])).status_code == 403
    response = client.post(reverse("plans:task_edit", args=[task.pk]), {"number": "1", "title": "改掉"})
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.title == "推动工业领域设备更新和技术改造"
    assert not AuditEntry.objects.filter(action="task.update").exists()


def test_the_industry_reporter_edits_its_own_task_and_the_change_is_audited(client_as, plan_of):
    task = _gongxin_task(plan_of("北辰区"))
    response = client_as("beichen_gongxin").post(
        reverse("plans:task_edit", args=[task.pk]), {"number": "1", "title": "推动工业领域设备更新"}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.title == "推动工业领域设备更新"
    entry = AuditEntry.objects.get(action="task.update", object_id=str(task.pk))
    assert (entry.actor.username, entry.before["title"], entry.after["title"]) == (
        "beichen_gongxin",
        "推动工业领域设备更新和技术改造",
        "推动工业领域设备更新",
    )


def test_an_edit_with_a_bad_value_shows_the_form_again_and_saves_nothing(client_as, plan_of):
    indicator = Indicator.objects.get(plan=plan_of("北辰区"), seq=1)
    response = client_as("beichen").post(
        reverse("plans:indicator_edit", args=[indicator.pk]),
        {"name": "工业领域设备投资规模", "baseline_value": "十三点六", "baseline_unit": "亿元"},
    )
    assert response.status_code == 200
    assert "baseline_value" in response.context["form"].errors
    indicator.refresh_from_db()
    assert str(indicator.baseline_value.normalize()) == "13.6"


def test_a_leader_may_read_but_not_edit(client_as, plan_of):
    task = _gongxin_task(plan_of("北辰区"))
    client = client_as("tianjin_leader")
    assert client.get(reverse("plans:plan_detail", args=[task.plan_id])).status_code == 200
    assert client.post(reverse("plans:task_edit", args=[task.pk]), {"number": "1", "title": "x"}).status_code == 403


def test_the_page_offers_edit_links_only_where_the_user_may_edit(client_as, plan_of):
    plan = plan_of("北辰区")
    task = _gongxin_task(plan)
    html = client_as("beichen_shangwu").get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    assert reverse("plans:task_edit", args=[task.pk]) not in html
    own = Task.objects.filter(plan=plan, assignments__unit__name="区商务局", assignments__role="lead").first()
    assert reverse("plans:task_edit", args=[own.pk]) in html


def test_the_export_button_downloads_the_interchange_json(client_as, plan_of):
    plan = plan_of("北辰区")
    response = client_as("beichen").get(reverse("plans:plan_export", args=[plan.pk]))
    data = json.loads(response.content)
    assert data["format"] == "liangxin.plan/1"
    assert len(data["tasks"]) == 23 and len(data["indicators"]) == 15


@pytest.mark.parametrize(("language", "word"), [("zh-hans", "退出登录"), ("en", "Log out")])
def test_the_interface_is_chinese_by_default_and_english_on_request(client_as, plan_of, language, word):
    client = client_as("beichen")
    if language == "en":
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("plans:plan_detail", args=[plan_of("北辰区").pk])).content.decode()
    assert f'<html lang="{language}">' in html
    assert word in html
    assert ("2023年底现状" in html) == (language == "zh-hans")


def _upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/json")


def _demo_bytes(name):
    from pathlib import Path

    import liangxin.plans

    return (Path(liangxin.plans.__file__).parent / "demo" / name).read_bytes()


def test_the_office_loads_a_plan_file_through_the_web(client_as, user):
    from liangxin.plans.models import Plan

    office = user("wuqing")
    response = client_as("wuqing").post(
        reverse("plans:plan_import"),
        {"jurisdiction": office.jurisdiction_id, "file": _upload("teda.json", _demo_bytes("teda.json"))},
    )
    plan = Plan.objects.filter(jurisdiction=office.jurisdiction).latest("id")
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert plan.title.startswith("天津经济技术开发区") and plan.tasks.count() == 23
    assert AuditEntry.objects.get(action="plan.load", object_id=str(plan.pk)).actor == office


def test_a_bad_plan_file_is_refused_with_the_field_named_and_nothing_saved(client_as, user):
    from liangxin.plans.models import Plan

    data = json.loads(_demo_bytes("teda.json"))
    data["tasks"][0]["lead_units"] = ["不存在的局"]
    count = Plan.objects.count()
    response = client_as("wuqing").post(
        reverse("plans:plan_import"),
        {
            "jurisdiction": user("wuqing").jurisdiction_id,
            "file": _upload("bad.json", json.dumps(data, ensure_ascii=False).encode()),
        },
    )
    assert response.status_code == 200
    error = " ".join(response.context["form"].errors["file"])
    assert "tasks[0].lead_units[0]" in error and "不存在的局" in error
    assert Plan.objects.count() == count


def test_an_office_cannot_load_into_another_jurisdiction(client_as, user):
    from liangxin.plans.models import Plan

    count = Plan.objects.count()
    response = client_as("wuqing").post(
        reverse("plans:plan_import"),
        {"jurisdiction": user("beichen").jurisdiction_id, "file": _upload("t.json", _demo_bytes("teda.json"))},
    )
    assert response.status_code == 200 and "jurisdiction" in response.context["form"].errors
    assert Plan.objects.count() == count


def test_reporters_and_leaders_cannot_load_plans(client_as):
    assert client_as("beichen_shangwu").get(reverse("plans:plan_import")).status_code == 403
    assert client_as("tianjin_leader").get(reverse("plans:plan_import")).status_code == 403


def test_the_original_file_downloads_for_those_who_see_the_plan(client_as, plan_of):
    plan = plan_of("北辰区")
    response = client_as("beichen").get(reverse("plans:plan_source", args=[plan.pk]))
    assert json.loads(b"".join(response.streaming_content))["title"] == plan.title
    assert client_as("wuqing").get(reverse("plans:plan_source", args=[plan.pk])).status_code == 404


def test_an_english_browser_still_gets_chinese_until_the_switch_is_used(client_as):
    client = client_as("beichen")
    html = client.get(reverse("plans:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "退出登录" in html


def test_the_plan_page_costs_a_bounded_number_of_queries(client_as, plan_of, django_assert_max_num_queries):
    plan = plan_of("朔州市")  # the largest plan: 49 tasks, 47 units
    client = client_as("shuozhou_gongxin")
    with django_assert_max_num_queries(25):
        response = client.get(reverse("plans:plan_detail", args=[plan.pk]))
    assert response.status_code == 200
