"""The lists' services: enterprises merged by code, validated amounts and dates, the pipeline's stage
moves with their history, screening with reasons, totals and the 设备投资规模 feed."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from liangxin.core.idcodes import uscc_from
from liangxin.core.models import AuditEntry, Jurisdiction, Unit
from liangxin.core.services import DomainError
from liangxin.dispatch import feeds
from liangxin.registry import selectors, services
from liangxin.registry.models import Enterprise, Project, ProjectStageChange, ScreeningCriteria

D = Decimal


@pytest.fixture
def beichen(db):
    return Jurisdiction.objects.get(name="北辰区", parent__name="天津市")


def _project(name):
    return Project.objects.get(name=name)


def test_a_code_with_a_wrong_check_character_is_refused(beichen, user):
    good = uscc_from("91120113MA0TXT001")
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        services.enterprise_upsert(actor=user("beichen"), uscc=wrong, name="天津测试有限公司", jurisdiction=beichen)
    assert "check character" in str(exc.value) or "校验" in str(exc.value)
    assert not Enterprise.objects.filter(uscc=wrong).exists()


def test_the_same_code_twice_makes_one_enterprise_with_the_flags_and_roles_of_both(beichen, user):
    code = uscc_from("91120113MA0TXT002")
    first, created = services.enterprise_upsert(
        actor=user("beichen"),
        uscc=code,
        name="天津甲公司",
        jurisdiction=beichen,
        flags=["专精特新"],
        roles=["supplier"],
    )
    second, created_again = services.enterprise_upsert(
        actor=user("beichen"), uscc=code.lower(), name="天津甲科技有限公司", flags=["绿色工厂"], roles=["manufacturer"],
        employees=88,
    )  # fmt: skip
    assert (created, created_again) == (True, False)
    assert first.pk == second.pk
    assert Enterprise.objects.filter(uscc=code).count() == 1
    second.refresh_from_db()
    assert second.name == "天津甲科技有限公司"
    assert second.flags == ["专精特新", "绿色工厂"]
    assert second.roles == ["supplier", "manufacturer"]
    assert second.employees == 88
    actions = AuditEntry.objects.filter(object_id=str(first.pk), object_type="registry.enterprise")
    assert list(actions.order_by("id").values_list("action", flat=True)) == ["enterprise.create", "enterprise.merge"]


def test_equipment_investment_above_the_total_is_refused_by_the_service_and_the_database(beichen, user):
    owner = Enterprise.objects.get(name="天津北辰金属制品有限公司")
    with pytest.raises(ValidationError) as exc:
        services.project_create(
            actor=user("beichen"), jurisdiction=beichen, owner=owner, name="超额项目", domain="industry",
            total_investment_wan=D("100"), equipment_investment_wan=D("120"),
        )  # fmt: skip
    assert list(exc.value.message_dict) == ["equipment_investment_wan"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.create(
            jurisdiction=beichen, owner=owner, name="绕过服务", domain="industry",
            total_investment_wan=D("100"), equipment_investment_wan=D("120"),
        )  # fmt: skip


def test_a_project_cannot_end_before_it_starts_nor_have_a_negative_amount(beichen, user):
    owner = Enterprise.objects.get(name="天津北辰金属制品有限公司")
    with pytest.raises(ValidationError) as exc:
        services.project_create(
            actor=user("beichen"), jurisdiction=beichen, owner=owner, name="倒序项目", domain="industry",
            total_investment_wan=D("100"), equipment_investment_wan=D("50"),
            planned_start=datetime.date(2025, 6, 1), planned_end=datetime.date(2025, 5, 1),
        )  # fmt: skip
    assert list(exc.value.message_dict) == ["planned_end"]
    with pytest.raises(ValidationError) as exc:
        services.project_create(
            actor=user("beichen"), jurisdiction=beichen, owner=owner, name="负数项目", domain="industry",
            total_investment_wan=D("-1"), equipment_investment_wan=D("0"),
        )  # fmt: skip
    assert "total_investment_wan" in exc.value.message_dict


def test_a_new_project_starts_as_planning_with_four_pending_prerequisites(beichen, user):
    owner = Enterprise.objects.get(name="天津北辰金属制品有限公司")
    project = services.project_create(
        actor=user("beichen_gongxin"), jurisdiction=beichen, owner=owner, name="冲压线更新", domain="industry",
        total_investment_wan=D("800"), equipment_investment_wan=D("600"), channels=["超长期特别国债", "loan_interest"],
        responsible_unit=Unit.objects.get(jurisdiction=beichen, name="区工信局"),
    )  # fmt: skip
    assert project.stage == "planning"
    assert project.channels == ["special_bonds", "loan_interest"]
    assert sorted(project.prerequisites.values_list("kind", "state")) == [
        ("approval", "pending"), ("energy", "pending"), ("environment", "pending"), ("land", "pending"),
    ]  # fmt: skip
    assert list(project.stage_changes.values_list("from_stage", "to_stage")) == [("", "planning")]


def test_a_project_moves_one_step_at_a_time_and_every_move_records_who_and_why(user):
    project = _project("粮食产地烘干能力建设项目")  # 储备
    services.project_move(actor=user("beichen"), project=project, to_stage="applying", reason="材料齐备")
    with pytest.raises(DomainError, match="cannot move|不能"):
        services.project_move(actor=user("beichen"), project=project, to_stage="started", reason="跳过审核")
    with pytest.raises(DomainError):
        services.project_move(actor=user("beichen"), project=project, to_stage="review", reason="  ")
    project.refresh_from_db()
    assert project.stage == "applying"
    last = ProjectStageChange.objects.filter(project=project).latest("at", "id")
    assert (last.from_stage, last.to_stage, last.actor.username, last.reason) == (
        "reserve", "applying", "beichen", "材料齐备",
    )  # fmt: skip


def test_a_withdrawn_project_may_re_enter_the_pipeline_but_a_completed_one_stays(user):
    withdrawn = _project("再生资源分拣中心建设项目")
    services.project_move(actor=user("beichen"), project=withdrawn, to_stage="reserve", reason="重新申报")
    assert Project.objects.get(pk=withdrawn.pk).stage == "reserve"
    with pytest.raises(DomainError):
        services.project_move(
            actor=user("beichen"), project=_project("制剂车间高效节能设备更新项目"), to_stage="started", reason="x"
        )


def test_screening_names_each_reason_a_project_passes_or_fails(beichen):
    criteria = ScreeningCriteria.objects.get(jurisdiction=beichen, channel="special_bonds")
    projects = Project.objects.filter(name__in=["钢结构智能焊接生产线技术改造项目", "印刷包装绿色化改造项目"])
    results = {r["name"]: r for r in services.screen(criteria, projects)}
    welding = results["钢结构智能焊接生产线技术改造项目"]
    assert welding["passed"] is True
    assert [c["check"] for c in welding["reasons"]] == [
        "channel", "domain", "prerequisite:approval", "prerequisite:energy", "prerequisite:environment", "investment",
    ]  # fmt: skip
    printing = results["印刷包装绿色化改造项目"]
    assert printing["passed"] is False
    assert [c["check"] for c in printing["reasons"] if not c["ok"]] == ["channel", "prerequisite:energy", "investment"]


def test_a_saved_screening_keeps_the_verdicts_and_who_ran_it(beichen, user):
    criteria = ScreeningCriteria.objects.get(jurisdiction=beichen, channel="special_bonds")
    run = services.screening_run(actor=user("beichen"), criteria=criteria, projects=Project.objects.all())
    assert run.actor.username == "beichen"
    assert len(run.results) == Project.objects.filter(jurisdiction=beichen).count()
    passed = sorted(r["name"] for r in run.results if r["passed"])
    assert passed == sorted(
        ["钢结构智能焊接生产线技术改造项目", "汽车底盘零部件数字化车间建设项目", "制剂车间高效节能设备更新项目",
         "供热站燃煤锅炉清洁能源替代项目", "废旧家电回收拆解线升级项目"]
    )  # fmt: skip


def test_totals_by_domain_stage_and_channel(beichen):
    totals = selectors.project_totals(Project.objects.filter(jurisdiction=beichen))
    domain = {r["key"]: (r["count"], r["total"], r["equipment"]) for r in totals["domain"]}
    assert domain["industry"] == (7, D("32350.00"), D("22550.00"))
    assert domain["recycling"] == (2, D("2000.00"), D("1500.00"))
    stage = {r["key"]: r["count"] for r in totals["stage"]}
    assert stage == {"planning": 1, "reserve": 2, "applying": 2, "review": 2, "selected": 3, "started": 3,
                     "completed": 1, "withdrawn": 1}  # fmt: skip
    channel = {r["key"]: r["count"] for r in totals["channel"]}
    assert channel["special_bonds"] == 8
    assert totals["all"] == {"count": 15, "total": D("45640.00"), "equipment": D("33970.00")}


def test_the_equipment_investment_feed_sums_industrial_projects_under_way_in_100_million_yuan(beichen):
    feed = feeds.FEEDS["registry.equipment_investment"]
    assert (feed.kind, feed.unit) == ("level", "亿元")
    periods = [
        (datetime.date(2024, 1, 1), datetime.date(2024, 6, 30)),
        (datetime.date(2024, 7, 1), datetime.date(2024, 9, 30)),
        (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)),
    ]
    # 制剂车间 (started 2023-11, 3900) by mid-2024; + 底盘 (2024-08, 6100) by Q3; + 焊接 (2024-10, 2400).
    assert feed.values(beichen, periods) == [D("0.3900"), D("1.0000"), D("1.2400")]
    # The city's figure includes its districts.
    assert feed.values(beichen.parent, periods[-1:]) == [D("1.2400")]
    assert feed.values(Jurisdiction.objects.get(name="武清区"), periods[-1:]) == [D("0.0000")]


def test_both_registry_feeds_are_registered_for_the_plans_indicators():
    assert {key: (feed.kind, feed.unit) for key, feed in feeds.FEEDS.items() if key.startswith("registry.")} == {
        "registry.equipment_investment": ("level", "亿元"),
        "registry.matchmaking_contracts": ("flow", "万元"),
    }
