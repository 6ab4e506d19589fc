"""The lists in the browser and the public policy list: overview, search and filters, forms through the
services, stage moves, screening and totals with their exports, and the “1+N” policies without login."""

import io

import pytest
from openpyxl import load_workbook

from liangxin.core.idcodes import uscc_from
from liangxin.registry.models import Enterprise, Policy, Product, Project, ScreeningRun


@pytest.mark.django_db
def test_the_overview_counts_each_list_for_the_office(client_as):
    page = client_as("beichen").get("/registry/")
    counts = {card["key"]: card["count"] for card in page.context["cards"]}
    assert counts["projects"] == 15
    assert counts["products"] == 22
    assert counts["demands"] == 12
    assert counts["offers"] == 4
    assert "设备更新项目清单" in page.content.decode()


@pytest.mark.django_db
def test_search_and_filters_narrow_the_project_list(client_as):
    client = client_as("beichen")
    page = client.get("/registry/projects/", {"domain": "industry", "stage": "started"})
    assert sorted(p.name for p in page.context["page"].object_list) == [
        "汽车底盘零部件数字化车间建设项目",
        "钢结构智能焊接生产线技术改造项目",
    ]
    page = client.get("/registry/projects/", {"q": "公交"})
    assert [p.name for p in page.context["page"].object_list] == ["新能源公交车辆更新项目"]
    page = client.get("/registry/projects/", {"channel": "relending"})
    assert [p.name for p in page.context["page"].object_list] == ["印刷包装绿色化改造项目"]


@pytest.mark.django_db
def test_the_product_filter_by_category_includes_its_children(client_as):
    from liangxin.registry.models import EquipmentCategory

    appliances = EquipmentCategory.objects.get(code="appliance")
    page = client_as("beichen").get("/registry/products/", {"category": appliances.pk})
    assert sorted(p.name for p in page.context["page"].object_list) == [
        "一级能效变频冰箱",
        "一级能效变频空调",
        "一级能效滚筒洗衣机",
    ]


@pytest.mark.django_db
def test_registering_a_project_on_the_page_checks_the_code_and_the_amounts(client_as):
    client = client_as("beichen")
    form = {
        "name": "热处理炉节能改造项目",
        "owner_uscc": uscc_from("91120113MA0700017")[:17] + "0",
        "owner_name": "天津北辰金属制品有限公司",
        "domain": "industry",
        "total_investment_wan": "300",
        "equipment_investment_wan": "400",
    }
    if uscc_from("91120113MA0700017").endswith("0"):
        form["owner_uscc"] = form["owner_uscc"][:17] + "1"
    page = client.post("/registry/projects/new/", form)
    assert page.status_code == 200
    assert set(page.context["form"].errors) == {"owner_uscc", "equipment_investment_wan"}
    assert "设备投资不能超过总投资" in page.content.decode()
    form.update(owner_uscc=uscc_from("91120113MA0700017"), equipment_investment_wan="250", channels=["special_bonds"])
    answer = client.post("/registry/projects/new/", form)
    project = Project.objects.get(name="热处理炉节能改造项目")
    assert answer.status_code == 302 and answer["Location"] == f"/registry/projects/{project.pk}/"
    assert project.owner.name == "天津北辰金属制品有限公司"
    assert Enterprise.objects.filter(uscc=uscc_from("91120113MA0700017")).count() == 1
    assert (project.stage, project.channels) == ("planning", ["special_bonds"])


@pytest.mark.django_db
def test_adding_an_enterprise_with_a_known_code_merges_it(client_as):
    client = client_as("beichen")
    code = uscc_from("91120113MA0700001")
    answer = client.post(
        "/registry/enterprises/new/", {"uscc": code, "name": "天津北辰精密数控机床有限公司", "flags": "绿色工厂"}
    )
    firm = Enterprise.objects.get(uscc=code)
    assert answer["Location"] == f"/registry/enterprises/{firm.pk}/"
    assert firm.flags == ["专精特新", "绿色工厂"]


@pytest.mark.django_db
def test_the_project_page_moves_the_stage_and_shows_who_moved_it_and_why(client_as):
    client = client_as("beichen_gongxin")
    project = Project.objects.get(name="印刷包装绿色化改造项目")  # 审核
    client.post(f"/registry/projects/{project.pk}/move/", {"to_stage": "selected", "reason": "专家评审通过"})
    page = client.get(f"/registry/projects/{project.pk}/")
    text = page.content.decode()
    assert Project.objects.get(pk=project.pk).stage == "selected"
    assert "专家评审通过" in text and "beichen_gongxin" in text and "入选" in text
    refused = client.post(f"/registry/projects/{project.pk}/move/", {"to_stage": "completed", "reason": "跳过"})
    assert refused.status_code == 302
    assert Project.objects.get(pk=project.pk).stage == "selected"


@pytest.mark.django_db
def test_the_screening_page_shows_each_verdict_saves_a_run_and_exports(client_as, user):
    client = client_as("beichen")
    criteria = user("beichen").jurisdiction.screening_criteria.get(channel="central_budget")
    page = client.get(f"/registry/criteria/{criteria.pk}/screen/", {"domain": "recycling"})
    verdicts = {r["name"]: r["passed"] for r in page.context["results"]}
    assert verdicts == {"废旧家电回收拆解线升级项目": True, "再生资源分拣中心建设项目": False}
    assert "未申请中央预算内投资" in page.content.decode()
    saved = client.post(f"/registry/criteria/{criteria.pk}/screen/?domain=recycling")
    run = ScreeningRun.objects.get(criteria=criteria)
    assert saved["Location"] == f"/registry/screenings/{run.pk}/"
    assert [(r["name"], r["passed"]) for r in run.results] == [
        ("再生资源分拣中心建设项目", False),
        ("废旧家电回收拆解线升级项目", True),
    ]
    sheet = load_workbook(io.BytesIO(client.get(f"/registry/screenings/{run.pk}/?format=xlsx").content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [(r[1], r[6]) for r in rows] == [
        ("再生资源分拣中心建设项目", "不符合"),
        ("废旧家电回收拆解线升级项目", "符合"),
    ]
    assert client_as("beichen_gongxin").get(f"/registry/criteria/{criteria.pk}/screen/").status_code == 403


@pytest.mark.django_db
def test_the_totals_page_and_its_export_agree(client_as):
    client = client_as("beichen")
    page = client.get("/registry/projects/totals/")
    industry = next(r for r in page.context["totals"]["domain"] if r["key"] == "industry")
    assert (industry["count"], industry["total"]) == (7, 32350)
    sheet = load_workbook(io.BytesIO(client.get("/registry/projects/totals/?format=xlsx").content)).active
    rows = [r for r in sheet.iter_rows(values_only=True) if r and r[0] == "工业"]
    assert rows == [("工业", 7, 32350, 22550)]
    api = client.get("/api/registry/projects/totals/").json()
    assert next(r for r in api["domain"] if r["key"] == "industry")["total"] == "32350.00"


@pytest.mark.django_db
def test_the_public_policy_list_shows_the_one_plus_n_structure_without_login(client):
    page = client.get("/public/policies/", {"level": "county"})
    assert page.status_code == 200
    groups = {g["policy"].title: [c.title for c in g["children"]] for g in page.context["groups"]}
    assert groups["大规模设备更新和消费品以旧换新工作方案"] == [
        "工业领域设备更新工作方案",
        "建筑和市政领域设备更新工作方案",
        "农业农村领域设备更新工作方案",
        "交通运输领域设备更新工作方案",
        "教育领域设备更新工作方案",
        "文旅领域设备更新工作方案",
        "医疗领域设备更新工作方案",
        "消费品以旧换新工作方案",
    ]
    overall = Policy.objects.get(doc_number="泰山政发〔2024〕1号")
    detail = client.get(f"/public/policies/{overall.pk}/").content.decode()
    assert "区发展和改革局" in detail and "区工业和信息化局" in detail
    national = client.get("/public/policies/", {"level": "national"}).context["groups"]
    assert {g["policy"].doc_number for g in national} == {"国发〔2024〕7号", "发改环资〔2024〕1104号"}


@pytest.mark.django_db
def test_the_public_policy_api_names_each_domain_plans_overall_plan(client):
    overall = Policy.objects.get(doc_number="泰山政发〔2024〕1号")
    answer = client.get("/api/public/policies/", {"jurisdiction": overall.jurisdiction_id})
    assert answer.status_code == 200
    rows = answer.json()["results"]
    assert len(rows) == 9
    assert sum(1 for r in rows if r["parent"] == overall.pk) == 8
    industry = next(r for r in rows if r["title"] == "工业领域设备更新工作方案")
    assert (industry["lead_unit_name"], industry["domains"]) == ("区工业和信息化局", ["industry"])
    hidden = Policy.objects.filter(jurisdiction=overall.jurisdiction).exclude(pk=overall.pk).first()
    hidden.public = False
    hidden.save()
    assert client.get(f"/api/public/policies/{hidden.pk}/").status_code == 404
    assert client.get(f"/public/policies/{hidden.pk}/").status_code == 404


@pytest.mark.django_db
def test_every_list_form_creates_and_edits_through_the_services(client_as):
    from liangxin.core.models import AuditEntry, Unit
    from liangxin.registry.models import ConsumerDemand, Demand, EquipmentCategory, FinanceOffer, ScreeningCriteria

    client = client_as("beichen")
    fridge = EquipmentCategory.objects.get(code="appliance-fridge")
    robot = EquipmentCategory.objects.get(code="robot-welding")
    maker = Enterprise.objects.get(name="天津市辰鑫智能装备有限公司")
    bank = Enterprise.objects.get(name="天津银行北辰支行")
    gongxin = Unit.objects.get(jurisdiction__name="北辰区", name="区工信局")
    forms = {
        "products": {"enterprise": maker.pk, "category": robot.pk, "name": "协作焊接机器人", "energy_grade": "",
                     "parameters": "负载: 10 kg\n臂展: 1300 mm", "standards": "GB/T 12642、GB 11291", "active": "on"},
        "demands": {"kind": "equipment", "unit": gongxin.pk, "category": robot.pk, "title": "焊装线机器人",
                    "quantity": "3", "quantity_unit": "台", "budget_wan": "90", "state": "open"},
        "consumer": {"year": "2026", "category": fridge.pk, "expected_units": "9500"},
        "policies": {"level": "county", "title": "北辰区家电以旧换新补贴细则（测试）", "lead_unit": gongxin.pk,
                     "domains": ["industry"], "applicant_types": "个人", "public": "on"},
        "offers": {"provider": bank.pk, "kind": "loan", "name": "设备更新专项贷", "min_amount_wan": "100",
                   "max_amount_wan": "5000", "domains": ["industry"], "active": "on"},
        "criteria": {"name": "地方专项资金筛选", "channel": "local_fund", "domains": ["industry"],
                     "min_investment_wan": "300", "prerequisites_required": ["approval"], "active": "on"},
    }  # fmt: skip
    made = {}
    for key, data in forms.items():
        answer = client.post(f"/registry/{key}/new/", data)
        assert answer.status_code == 302, (key, answer.context and answer.context["form"].errors)
        made[key] = int(answer["Location"].rstrip("/").split("/")[-1])
    product = Product.objects.get(pk=made["products"])
    assert product.parameters == {"负载": "10 kg", "臂展": "1300 mm"}
    assert product.standards == ["GB/T 12642", "GB 11291"]
    assert Demand.objects.get(pk=made["demands"]).unit == gongxin
    assert ConsumerDemand.objects.get(pk=made["consumer"]).expected_units == 9500
    assert Policy.objects.get(pk=made["policies"]).applicant_types == ["个人"]
    assert FinanceOffer.objects.get(pk=made["offers"]).jurisdiction.name == "北辰区"
    assert ScreeningCriteria.objects.get(pk=made["criteria"]).prerequisites_required == ["approval"]
    edited = client.post(f"/registry/offers/{made['offers']}/edit/", {**forms["offers"], "max_amount_wan": "50"})
    assert edited.status_code == 200
    assert "max_amount_wan" in edited.context["form"].errors or edited.context["form"].non_field_errors()
    assert (
        client.post(f"/registry/offers/{made['offers']}/edit/", {**forms["offers"], "max_amount_wan": "8000"})[
            "Location"
        ]
        == f"/registry/offers/{made['offers']}/"
    )
    assert FinanceOffer.objects.get(pk=made["offers"]).max_amount_wan == 8000
    assert AuditEntry.objects.filter(action="finance_offer.update", object_id=str(made["offers"])).count() == 1
