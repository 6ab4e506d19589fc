"""The lists over the API: create and update through the services (merge by code, validation as 400
with field names), filters, scoping of related records, project moves and screening."""

import json

import pytest

from liangxin.core.idcodes import uscc_from
from liangxin.registry.models import Enterprise, Policy, Product, Project, ScreeningRun


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.mark.django_db
def test_creating_an_enterprise_with_a_known_code_merges_it(client_as):
    code = uscc_from("91120113MA0700007")
    answer = _post(
        client_as("beichen"),
        "/api/registry/enterprises/create/",
        {"uscc": code, "name": "天津宏达永磁电机有限公司", "flags": ["高新技术企业"], "roles": ["supplier"]},
    )
    assert answer.status_code == 201
    firm = Enterprise.objects.get(uscc=code)
    assert answer.json()["id"] == firm.pk
    assert firm.flags == ["单项冠军", "绿色工厂", "高新技术企业"]


@pytest.mark.django_db
def test_a_bad_code_and_bad_amounts_answer_400_naming_the_fields(client_as):
    client = client_as("beichen")
    answer = _post(client, "/api/registry/enterprises/create/", {"uscc": "911201130000000000", "name": "坏码"})
    assert answer.status_code == 400
    assert list(answer.json()) == ["uscc"]
    project = Project.objects.get(name="钢结构智能焊接生产线技术改造项目")
    answer = client.patch(
        f"/api/registry/projects/{project.pk}/update/",
        json.dumps({"equipment_investment_wan": "5000"}),
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert list(answer.json()) == ["equipment_investment_wan"]
    assert Project.objects.get(pk=project.pk).equipment_investment_wan == 2400


@pytest.mark.django_db
def test_a_product_is_added_for_a_visible_enterprise_only(client_as):
    beichen_firm = Enterprise.objects.get(name="天津北辰精密数控机床有限公司")
    from liangxin.registry.models import EquipmentCategory

    lathe = EquipmentCategory.objects.get(code="cnc-lathe")
    body = {"enterprise": beichen_firm.pk, "category": lathe.pk, "name": "数控立式车床", "energy_grade": 2}
    refused = _post(client_as("wuqing"), "/api/registry/products/create/", body)
    assert refused.status_code == 400
    assert list(refused.json()) == ["enterprise"]
    made = _post(client_as("beichen"), "/api/registry/products/create/", body)
    assert made.status_code == 201
    product = Product.objects.get(pk=made.json()["id"])
    assert (product.local, product.energy_grade) == (True, 2)
    grade_six = _post(client_as("beichen"), "/api/registry/products/create/", {**body, "energy_grade": 6})
    assert grade_six.status_code == 400


@pytest.mark.django_db
def test_a_domain_plan_must_hang_under_a_top_level_policy_of_the_same_place(client_as):
    client = client_as("beichen")
    child = Policy.objects.get(title="工业领域设备更新实施方案（演示）")
    answer = _post(client, "/api/registry/policies/create/", {"level": "county", "title": "子方案", "parent": child.pk})
    assert answer.status_code == 400
    assert list(answer.json()) == ["parent"]
    taishan = Policy.objects.get(doc_number="泰山政发〔2024〕1号")
    answer = _post(client, "/api/registry/policies/create/", {"level": "county", "title": "外地", "parent": taishan.pk})
    assert answer.status_code == 400


@pytest.mark.django_db
def test_the_api_list_takes_the_pages_filters(client_as):
    client = client_as("beichen")
    names = [r["name"] for r in client.get("/api/registry/projects/", {"domain": "recycling"}).json()["results"]]
    assert sorted(names) == ["再生资源分拣中心建设项目", "废旧家电回收拆解线升级项目"]
    banks = client.get("/api/registry/enterprises/", {"role": "bank"}).json()["results"]
    assert sorted(b["name"] for b in banks) == ["天津农商银行北辰支行", "天津银行北辰支行"]


@pytest.mark.django_db
def test_a_disallowed_move_answers_400_with_the_reason(client_as):
    project = Project.objects.get(name="医药园区危废处置设施更新项目")  # 谋划
    answer = client_as("beichen").post(
        f"/api/registry/projects/{project.pk}/move/", {"to_stage": "selected", "reason": "直接入选"}
    )
    assert answer.status_code == 400
    assert "谋划" in answer.json()["detail"] and "入选" in answer.json()["detail"]


@pytest.mark.django_db
def test_screening_over_the_api_returns_the_reasons_and_keeps_a_run_on_post(client_as, user):
    client = client_as("beichen")
    criteria = user("beichen").jurisdiction.screening_criteria.get(channel="special_bonds")
    rows = client.get(f"/api/registry/criteria/{criteria.pk}/screen/", {"stage": "started"}).json()
    assert {r["name"]: r["passed"] for r in rows} == {
        "钢结构智能焊接生产线技术改造项目": True,
        "汽车底盘零部件数字化车间建设项目": True,
        "老旧小区加装电梯项目（一期）": False,
    }
    saved = client.post(f"/api/registry/criteria/{criteria.pk}/screen/?stage=started")
    assert saved.status_code == 201
    assert ScreeningRun.objects.get(pk=saved.json()["run"]).actor.username == "beichen"
    assert client_as("tianjin_leader").get(f"/api/registry/criteria/{criteria.pk}/screen/").status_code == 403
