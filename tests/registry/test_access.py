"""Who sees and changes what, on the pages and the API: the office its jurisdiction, a unit its own
projects, a leader reads below, anyone else nothing."""

import json

import pytest

from liangxin.core.idcodes import uscc_from
from liangxin.registry.models import Policy, Project


def _gongxin_project():
    return Project.objects.get(name="钢结构智能焊接生产线技术改造项目")  # 区工信局


def _shangwu_project():
    return Project.objects.get(name="废旧家电回收拆解线升级项目")  # 区商务局


@pytest.mark.django_db
def test_a_unit_reporter_sees_only_its_units_projects(client_as):
    client = client_as("beichen_gongxin")
    page = client.get("/registry/projects/")
    assert page.status_code == 200
    names = {p.name for p in page.context["page"].object_list}
    assert names == set(Project.objects.filter(responsible_unit__name="区工信局").values_list("name", flat=True))
    assert len(names) == 7
    api = client.get("/api/registry/projects/")
    assert api.json()["count"] == 7


@pytest.mark.django_db
def test_a_unit_reporter_cannot_open_or_edit_another_units_project(client_as):
    client = client_as("beichen_gongxin")
    other = _shangwu_project()
    assert client.get(f"/registry/projects/{other.pk}/").status_code == 404
    assert client.get(f"/api/registry/projects/{other.pk}/").status_code == 404
    answer = client.patch(
        f"/api/registry/projects/{other.pk}/update/", json.dumps({"name": "改名"}), content_type="application/json"
    )
    assert answer.status_code == 404
    assert Project.objects.get(pk=other.pk).name == "废旧家电回收拆解线升级项目"


@pytest.mark.django_db
def test_a_unit_reporter_edits_and_moves_its_own_project(client_as):
    client = client_as("beichen_shangwu")
    project = _shangwu_project()
    answer = client.patch(
        f"/api/registry/projects/{project.pk}/update/",
        json.dumps({"location": "北辰区大张庄镇循环经济产业园"}),
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["location"] == "北辰区大张庄镇循环经济产业园"
    moved = client.post(f"/api/registry/projects/{project.pk}/move/", {"to_stage": "started", "reason": "设备进场安装"})
    assert moved.status_code == 200
    assert Project.objects.get(pk=project.pk).stage == "started"


@pytest.mark.django_db
def test_a_reporter_registers_projects_for_its_own_unit_only(client_as, user):
    client = client_as("beichen_shangwu")
    body = {
        "owner_uscc": uscc_from("91120113MA0700015"),
        "owner_name": "天津绿环再生资源回收有限公司",
        "name": "智能回收箱布设项目",
        "domain": "recycling",
        "total_investment_wan": "300",
        "equipment_investment_wan": "260",
    }
    answer = client.post("/api/registry/projects/create/", json.dumps(body), content_type="application/json")
    assert answer.status_code == 201, answer.content
    project = Project.objects.get(pk=answer.json()["id"])
    assert project.responsible_unit == user("beichen_shangwu").unit
    other_unit = Project.objects.get(name="钢结构智能焊接生产线技术改造项目").responsible_unit
    body["name"], body["responsible_unit"] = "替别的单位登记", other_unit.pk
    refused = client.post("/api/registry/projects/create/", json.dumps(body), content_type="application/json")
    assert refused.status_code == 403
    assert not Project.objects.filter(name="替别的单位登记").exists()


@pytest.mark.django_db
def test_a_reporter_reads_the_policy_list_but_cannot_add_to_it(client_as):
    client = client_as("beichen_gongxin")
    assert client.get("/registry/policies/").status_code == 200
    assert client.get("/registry/policies/new/").status_code == 403
    answer = client.post(
        "/api/registry/policies/create/",
        json.dumps({"level": "county", "title": "越权"}),
        content_type="application/json",
    )
    assert answer.status_code == 403
    assert not Policy.objects.filter(title="越权").exists()


@pytest.mark.django_db
def test_another_districts_office_sees_nothing_of_beichens_lists(client_as):
    client = client_as("wuqing")
    project = _gongxin_project()
    assert client.get(f"/registry/projects/{project.pk}/").status_code == 404
    assert client.get(f"/api/registry/projects/{project.pk}/").status_code == 404
    assert client.get("/api/registry/projects/").json()["count"] == 0
    assert (
        client.post(f"/registry/projects/{project.pk}/move/", {"to_stage": "completed", "reason": "x"}).status_code
        == 404
    )


@pytest.mark.django_db
def test_the_city_leader_reads_the_district_projects_but_changes_nothing(client_as):
    client = client_as("tianjin_leader")
    project = _gongxin_project()
    assert client.get(f"/registry/projects/{project.pk}/").status_code == 200
    assert client.get("/api/registry/projects/").json()["count"] == 15
    assert client.get(f"/registry/projects/{project.pk}/edit/").status_code == 403
    answer = client.post(f"/api/registry/projects/{project.pk}/move/", {"to_stage": "completed", "reason": "x"})
    assert answer.status_code == 403
    assert Project.objects.get(pk=project.pk).stage == "started"


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in_and_refused_by_the_api(client):
    assert client.get("/registry/projects/").status_code == 302
    assert client.get("/api/registry/projects/").status_code in (401, 403)
    assert client.get("/api/registry/projects/export/").status_code in (401, 403)


@pytest.mark.django_db
def test_a_merchants_account_sees_none_of_the_lists(client):
    from liangxin.core.models import Jurisdiction, User

    merchant = User.objects.create_user(
        "beichen_shop", password="x", role="merchant", jurisdiction=Jurisdiction.objects.get(name="北辰区")
    )
    client.force_login(merchant)
    assert client.get("/registry/").status_code == 403
    assert client.get("/registry/enterprises/").status_code == 403
    assert client.get("/api/registry/projects/").status_code == 403
    assert client.get(f"/api/registry/projects/{_gongxin_project().pk}/").status_code == 404
    assert client.get("/public/policies/").status_code == 200
