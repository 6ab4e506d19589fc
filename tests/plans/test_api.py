"""The plan registry API: scoping by jurisdiction, permissions on edits, exact payloads."""

import json
from decimal import Decimal
from importlib import resources

import pytest
from django.core.management import call_command

from liangxin.core.models import AuditEntry, Unit
from liangxin.plans.models import Indicator, Task

pytestmark = pytest.mark.django_db

INDUSTRIAL_TASK = "推动工业领域设备更新和技术改造"  # 北辰区 task 1, led by 区工信局 alone
INVESTMENT = "工业领域设备投资规模"  # 北辰区 indicator 1, answered for by 区工信局


@pytest.fixture
def api(client_as):
    """A client logged in as a persona that answers in English (for exact error messages)."""

    def login(username):
        client = client_as(username)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return login


def beichen_task(title=INDUSTRIAL_TASK) -> Task:
    return Task.objects.get(plan__jurisdiction__name="北辰区", title=title)


def beichen_indicator(name=INVESTMENT) -> Indicator:
    return Indicator.objects.get(plan__jurisdiction__name="北辰区", name=name)


def beichen_unit(name) -> Unit:
    return Unit.objects.get(jurisdiction__name="北辰区", name=name)


def patch(client, url, data):
    return client.patch(url, json.dumps(data), content_type="application/json")


# --- who sees what ----------------------------------------------------------------------------


def test_office_of_wuqing_lists_only_the_wuqing_plan(api, plan_of):
    body = api("wuqing").get("/api/plans/").json()

    wuqing = plan_of("武清区")
    assert body["count"] == 1
    assert [(p["id"], p["jurisdiction_name"]) for p in body["results"]] == [(wuqing.pk, "天津市/武清区")]


def test_office_of_wuqing_gets_404_for_everything_of_beichen(api, plan_of):
    client = api("wuqing")
    beichen = plan_of("北辰区")
    task, indicator = beichen_task(), beichen_indicator()

    assert client.get(f"/api/plans/{beichen.pk}/").status_code == 404
    assert client.get(f"/api/plans/{beichen.pk}/export/").status_code == 404
    assert client.get(f"/api/tasks/{task.pk}/").status_code == 404
    assert client.get(f"/api/indicators/{indicator.pk}/").status_code == 404
    assert client.get(f"/api/units/{beichen_unit('区工信局').pk}/").status_code == 404
    assert client.get(f"/api/tasks/?plan={beichen.pk}").json()["count"] == 0
    assert client.get(f"/api/indicators/?plan={beichen.pk}").json()["count"] == 0


def test_office_of_wuqing_gets_404_not_403_when_patching_a_beichen_task(api):
    response = patch(api("wuqing"), f"/api/tasks/{beichen_task().pk}/", {"title": "改"})

    assert response.status_code == 404
    assert beichen_task().title == INDUSTRIAL_TASK


def test_leader_of_tianjin_sees_the_three_tianjin_plans(api):
    body = api("tianjin_leader").get("/api/plans/").json()

    assert body["count"] == 3
    assert sorted(p["jurisdiction_name"] for p in body["results"]) == sorted(
        ["天津市/北辰区", "天津市/武清区", "天津市/天津经济技术开发区"]
    )


def test_leader_of_tianjin_cannot_patch_tasks_or_indicators(api):
    client = api("tianjin_leader")
    task, indicator = beichen_task(), beichen_indicator()

    task_response = patch(client, f"/api/tasks/{task.pk}/", {"title": "领导改的"})
    indicator_response = patch(client, f"/api/indicators/{indicator.pk}/", {"name": "领导改的"})

    assert task_response.status_code == 403
    assert indicator_response.status_code == 403
    assert beichen_task().title == INDUSTRIAL_TASK
    assert beichen_indicator().name == INVESTMENT
    assert not AuditEntry.objects.filter(action__in=["task.update", "indicator.update"]).exists()


def test_anonymous_caller_is_refused(client):
    response = client.get("/api/plans/", HTTP_ACCEPT_LANGUAGE="en")

    # Session authentication comes first in the settings, so DRF answers 403, not 401.
    assert response.status_code == 403
    assert response.json() == {"detail": "Authentication credentials were not provided."}


# --- reading ----------------------------------------------------------------------------------


def test_plan_list_gives_header_facts_and_counts(api, plan_of):
    body = api("beichen").get("/api/plans/").json()

    assert body["results"] == [
        {
            "id": plan_of("北辰区").pk,
            "title": "北辰区推动大规模设备更新和消费品以旧换新工作方案",
            "jurisdiction": plan_of("北辰区").jurisdiction_id,
            "jurisdiction_name": "天津市/北辰区",
            "issuer": "天津市北辰区人民政府",
            "issued_on": "2024-06-21",
            "doc_number": None,
            "task_count": 23,
            "indicator_count": 15,
        }
    ]


def test_plan_detail_gives_goals_task_force_and_units(api, plan_of):
    shipped = json.loads((resources.files("liangxin.plans") / "demo" / "beichen.json").read_text())
    plan = plan_of("北辰区")

    body = api("beichen").get(f"/api/plans/{plan.pk}/").json()

    assert body["parent_policies"] == ["国发〔2024〕7号", "津政发〔2024〕7号"]
    assert body["goals"] == shipped["goals"]
    assert body["goals"][0] == {
        "text": "到2027年，工业领域设备投资规模较2023年增长25%以上",
        "metric": "工业领域设备投资规模",
        "year": 2027,
        "comparator": ">=",
        "value": 25,
        "unit": "%",
        "basis": "2023",
    }
    task_force = body["task_force"]
    assert task_force["name"] == shipped["task_force"]["name"]
    assert task_force["mechanisms"] == shipped["task_force"]["mechanisms"]
    assert task_force["office_unit"]["written_as"] == shipped["task_force"]["office_unit"]
    assert [u["written_as"] for u in task_force["member_units"]] == shipped["task_force"]["member_units"]
    assert [u["written_as"] for u in body["units"]] == shipped["units"]
    # The plan writes 区应急局; the registry knows it as 区应急管理局 through its alias.
    emergency = next(u for u in body["units"] if u["written_as"] == "区应急局")
    assert emergency == {
        "unit": beichen_unit("区应急管理局").pk,
        "name": "区应急管理局",
        "written_as": "区应急局",
    }


def test_plan_export_equals_the_shipped_interchange_file(api, plan_of):
    shipped = json.loads((resources.files("liangxin.plans") / "demo" / "beichen.json").read_text())

    response = api("beichen").get(f"/api/plans/{plan_of('北辰区').pk}/export/")

    assert response.status_code == 200
    assert response.json() == shipped


def test_task_detail_gives_section_path_units_as_written_and_targets(api):
    task = beichen_task()

    body = api("beichen_shangwu").get(f"/api/tasks/{task.pk}/").json()

    assert body == {
        "id": task.pk,
        "plan": task.plan_id,
        "number": "1",
        "title": INDUSTRIAL_TASK,
        "section_path": ["二、重点任务", "（一）实施重点领域设备更新行动"],
        "lead_units": [{"unit": beichen_unit("区工信局").pk, "name": "区工信局", "written_as": "区工信局"}],
        "responsible_units": [
            {"unit": beichen_unit("区发改委").pk, "name": "区发改委", "written_as": "区发改委"},
            {
                "unit": beichen_unit("区生态环境局").pk,
                "name": "区生态环境局",
                "written_as": "区生态环境局",
            },
            {
                "unit": beichen_unit("区应急管理局").pk,
                "name": "区应急管理局",
                "written_as": "区应急局",
            },
        ],
        "targets": [
            {
                "text": "到2027年底，建设35家数字化车间和智能工厂",
                "metric": "数字化车间和智能工厂",
                "year": 2027,
                "comparator": "=",
                "value": 35,
                "unit": "家",
                "basis": None,
            },
            {
                "text": "市级以上绿色制造单位达到56家左右",
                "metric": "市级以上绿色制造单位",
                "year": 2027,
                "comparator": "~",
                "value": 56,
                "unit": "家",
                "basis": None,
            },
        ],
    }


def test_task_list_filtered_by_unit_gives_the_tasks_it_leads_or_shares(api):
    shangwu = beichen_unit("区商务局")

    body = api("beichen").get(f"/api/tasks/?unit={shangwu.pk}").json()

    numbers = [t["number"] for t in body["results"]]
    assert numbers == ["6", "7", "8", "9", "10", "12", "13", "15", "16", "18", "19", "二"]
    assert body["count"] == 12


def test_task_list_refuses_a_filter_that_is_not_an_id(api):
    response = api("beichen").get("/api/tasks/?plan=beichen")

    assert response.status_code == 400
    assert response.json() == {"plan": ["A valid integer is required."]}


def test_indicator_of_beichen_has_baseline_13_6_and_milestone_17_for_2027(api, plan_of):
    body = api("beichen").get(f"/api/indicators/?plan={plan_of('北辰区').pk}").json()

    investment = next(i for i in body["results"] if i["name"] == INVESTMENT)
    assert body["count"] == 15
    assert investment["baseline_year"] == 2023
    assert investment["baseline_text"] == "工业领域设备投资规模为13.6亿元"
    assert investment["baseline_value"] == 13.6
    assert investment["baseline_unit"] == "亿元"
    assert investment["cumulative"] is False
    assert [(m["year"], m["value"], m["unit"]) for m in investment["milestones"]] == [
        (2024, 14.5, "亿元"),
        (2025, 15.3, "亿元"),
        (2026, 16.2, "亿元"),
        (2027, 17, "亿元"),
    ]
    assert investment["units"] == [{"unit": beichen_unit("区工信局").pk, "name": "区工信局", "written_as": "区工信局"}]


def test_unit_detail_lists_the_tasks_it_leads_and_shares_and_its_indicators(api, plan_of):
    gongxin = beichen_unit("区工信局")

    body = api("beichen_shangwu").get(f"/api/units/{gongxin.pk}/").json()

    assert body["name"] == "区工信局"
    assert body["aliases"] == ["区工业和信息化局"]
    [plan] = body["plans"]
    assert plan["plan"] == plan_of("北辰区").pk
    assert [t["number"] for t in plan["lead_tasks"]] == ["1", "11", "12", "二"]
    assert [t["number"] for t in plan["shared_tasks"]] == [
        "2",
        "5",
        "7",
        "13",
        "14",
        "15",
        "16",
        "18",
        "19",
        "20",
    ]
    assert plan["lead_tasks"][0] == {
        "task": beichen_task().pk,
        "number": "1",
        "title": INDUSTRIAL_TASK,
        "written_as": "区工信局",
    }
    assert {
        "indicator": beichen_indicator().pk,
        "seq": 1,
        "name": INVESTMENT,
        "written_as": "区工信局",
    } in plan["indicators"]


def test_lists_are_paginated_fifty_to_a_page(api):
    client = api("admin")

    first = client.get("/api/tasks/").json()
    second = client.get("/api/tasks/?page=2").json()

    total = Task.objects.count()
    assert total > 50  # the five demo plans together
    assert set(first) == {"count", "next", "previous", "results"}
    assert first["count"] == total
    assert len(first["results"]) == 50
    assert first["next"] == "http://testserver/api/tasks/?page=2"
    assert first["previous"] is None
    ids = [t["id"] for t in first["results"] + second["results"]]
    assert len(ids) == len(set(ids)) == min(total, 100)


def test_task_list_takes_a_fixed_number_of_queries(api, django_assert_max_num_queries):
    client = api("admin")

    with django_assert_max_num_queries(8):
        body = client.get("/api/tasks/").json()

    assert len(body["results"]) == 50


# --- editing ----------------------------------------------------------------------------------


def test_reporter_of_shangwu_cannot_patch_a_task_gongxin_leads(api):
    task = beichen_task()

    response = patch(api("beichen_shangwu"), f"/api/tasks/{task.pk}/", {"title": "商务局改的"})

    assert response.status_code == 403
    assert beichen_task().title == INDUSTRIAL_TASK
    assert not AuditEntry.objects.filter(action="task.update").exists()


def test_reporter_of_a_sharing_unit_cannot_patch_the_task_another_unit_leads(api):
    # 区商务局 shares task 12, which 区工信局 leads: sharing is not owning.
    task = beichen_task("培育先进适用产品和装备生产企业")

    response = patch(api("beichen_shangwu"), f"/api/tasks/{task.pk}/", {"number": "12a"})

    assert response.status_code == 403
    assert Task.objects.get(pk=task.pk).number == "12"


def test_reporter_of_gongxin_patches_its_task_and_the_change_is_audited(api, user):
    task = beichen_task()
    new_title = "推动工业领域设备更新、技术改造和数字化转型"

    response = patch(api("beichen_gongxin"), f"/api/tasks/{task.pk}/", {"title": new_title})

    assert response.status_code == 200
    assert response.json()["title"] == new_title
    assert response.json()["number"] == "1"
    assert Task.objects.get(pk=task.pk).title == new_title
    entry = AuditEntry.objects.get(action="task.update", object_id=str(task.pk))
    assert entry.actor == user("beichen_gongxin")
    assert entry.object_type == "plans.task"
    assert entry.before["title"] == INDUSTRIAL_TASK
    assert entry.after["title"] == new_title
    assert {k: v for k, v in entry.before.items() if k != "title"} == {
        k: v for k, v in entry.after.items() if k != "title"
    }


def test_office_of_beichen_patches_an_indicator_baseline_and_the_change_is_audited(api, user):
    indicator = beichen_indicator()

    response = patch(
        api("beichen"),
        f"/api/indicators/{indicator.pk}/",
        {"baseline_value": "13.8", "baseline_text": "工业领域设备投资规模为13.8亿元"},
    )

    assert response.status_code == 200
    assert response.json()["baseline_value"] == 13.8
    stored = beichen_indicator()
    assert stored.baseline_value == Decimal("13.8")
    assert stored.baseline_text == "工业领域设备投资规模为13.8亿元"
    entry = AuditEntry.objects.get(action="indicator.update", object_id=str(indicator.pk))
    assert entry.actor == user("beichen")
    assert entry.before["baseline_text"] == "工业领域设备投资规模为13.6亿元"
    assert Decimal(entry.before["baseline_value"]) == Decimal("13.6")
    assert Decimal(entry.after["baseline_value"]) == Decimal("13.8")


def test_reporter_of_shangwu_cannot_patch_an_indicator_gongxin_answers_for(api):
    indicator = beichen_indicator()

    response = patch(api("beichen_shangwu"), f"/api/indicators/{indicator.pk}/", {"cumulative": True})

    assert response.status_code == 403
    assert beichen_indicator().cumulative is False


def test_baseline_value_that_is_not_a_number_is_refused_with_the_field_named(api):
    indicator = beichen_indicator()

    response = patch(api("beichen"), f"/api/indicators/{indicator.pk}/", {"baseline_value": "abc"})

    assert response.status_code == 400
    assert response.json() == {"baseline_value": ["A valid number is required."]}
    assert beichen_indicator().baseline_value == Decimal("13.6")
    assert not AuditEntry.objects.filter(action="indicator.update").exists()


def test_empty_task_title_is_refused_with_the_field_named(api):
    task = beichen_task()

    response = patch(api("beichen_gongxin"), f"/api/tasks/{task.pk}/", {"title": ""})

    assert response.status_code == 400
    assert response.json() == {"title": ["This field may not be blank."]}
    assert beichen_task().title == INDUSTRIAL_TASK
    assert not AuditEntry.objects.filter(action="task.update").exists()


def test_patching_a_field_that_is_not_editable_is_refused_not_ignored(api):
    task = beichen_task()

    response = patch(api("beichen"), f"/api/tasks/{task.pk}/", {"title": "新标题", "position": 7})

    assert response.status_code == 400
    assert response.json() == {"position": ["This field cannot be changed here."]}
    assert Task.objects.get(pk=task.pk).title == INDUSTRIAL_TASK


# --- schema -----------------------------------------------------------------------------------


def test_schema_is_an_openapi_document_with_every_api_path(client):
    response = client.get("/api/schema/?format=json")

    document = response.json()
    assert document["openapi"].startswith("3.")
    expected = {
        "/api/jurisdictions/",
        "/api/jurisdictions/{id}/",
        "/api/units/",
        "/api/units/{id}/",
        "/api/plans/",
        "/api/plans/import/",
        "/api/plans/{id}/",
        "/api/plans/{id}/export/",
        "/api/tasks/",
        "/api/tasks/{id}/",
        "/api/indicators/",
        "/api/indicators/{id}/",
        "/api/token/",
        "/api/imports/",
        "/api/imports/{id}/",
        "/api/imports/{id}/publish/",
        "/api/dispatch/plans/{id}/calendar/",
        "/api/dispatch/periods/{id}/my-submission/",
        "/api/dispatch/submissions/{id}/review/",
        "/api/dispatch/dashboard/",
        "/api/dispatch/plans/{plan_pk}/supervision/",
        "/api/dispatch/plans/{plan_pk}/problems/",
    }
    assert expected <= set(document["paths"]), expected - set(document["paths"])
    assert all(path.startswith("/api/") for path in document["paths"])
    assert set(document["paths"]["/api/tasks/{id}/"]) == {"get", "patch"}
    assert set(document["paths"]["/api/indicators/{id}/"]) == {"get", "patch"}


def test_schema_generates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"

    call_command("spectacular", "--fail-on-warn", "--file", str(target))

    assert "/api/plans/{id}/export/:" in target.read_text()


def test_api_errors_follow_the_callers_accept_language(client_as, plan_of):
    from liangxin.plans.models import Task

    task = Task.objects.filter(plan=plan_of("北辰区")).first()
    client = client_as("beichen")
    url = f"/api/tasks/{task.pk}/"
    zh = client.patch(url, {"title": ""}, content_type="application/json")
    en = client.patch(url, {"title": ""}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert zh.json() == {"title": ["该字段不能为空。"]}
    assert en.json() == {"title": ["This field may not be blank."]}


def _teda_document():
    return json.loads((resources.files("liangxin.plans") / "demo" / "teda.json").read_text(encoding="utf-8"))


def test_the_office_loads_a_plan_through_the_api_and_exports_it_back(api, user):
    from liangxin.plans.models import Plan

    office = user("wuqing")
    document = _teda_document()
    response = api("wuqing").post(
        "/api/plans/import/",
        {"jurisdiction": office.jurisdiction_id, "plan": document},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["title"] == document["title"] and body["task_count"] == 23
    plan = Plan.objects.get(pk=body["id"])
    assert plan.jurisdiction == office.jurisdiction
    assert api("wuqing").get(f"/api/plans/{plan.pk}/export/").json() == document
    assert AuditEntry.objects.get(action="plan.load", object_id=str(plan.pk)).actor == office


def test_an_api_load_with_a_bad_field_names_it_and_saves_nothing(api, user):
    from liangxin.plans.models import Plan

    document = _teda_document()
    document["tasks"][1]["responsible_units"] = ["不存在的局"]
    count = Plan.objects.count()
    response = api("wuqing").post(
        "/api/plans/import/",
        {"jurisdiction": user("wuqing").jurisdiction_id, "plan": document},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "plan": {"tasks[1].responsible_units[0]": ["unit 不存在的局 is not in the plan's units list"]}
    }
    assert Plan.objects.count() == count


@pytest.mark.parametrize("username", ["beichen_shangwu", "tianjin_leader", "wuqing"])
def test_only_the_jurisdictions_office_may_load_a_plan_into_it(api, user, username):
    from liangxin.plans.models import Plan

    count = Plan.objects.count()
    response = api(username).post(
        "/api/plans/import/",
        {"jurisdiction": user("beichen").jurisdiction_id, "plan": _teda_document()},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert Plan.objects.count() == count


def test_the_api_documentation_page_loads_its_files_from_our_own_static_files(client_as):
    html = client_as("beichen").get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
