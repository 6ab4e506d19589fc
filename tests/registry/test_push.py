"""Policy push (精准推送): a crafted enterprise gets exactly the policies it can use with exactly the
reasons, and the near misses with the one missing condition; batch push for a jurisdiction, its
spreadsheet, the pages and the API with their permissions."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from liangxin.core.idcodes import uscc_from
from liangxin.core.models import Jurisdiction
from liangxin.registry.models import Enterprise, Policy, Project
from liangxin.registry.push import Check, PolicyFacts, Profile, ProjectFacts, push_batch, push_enterprise, push_for

TODAY = datetime.date(2025, 6, 1)


def _paths():
    beichen = Jurisdiction.objects.get(name="北辰区")
    return beichen, beichen.parent


@pytest.fixture
def crafted(db):
    """北辰区's 专精特新 small manufacturer with one industrial project seeking 贷款贴息, and five policies:
    two it can use, two it narrowly misses, one for individuals only, one expired, one elsewhere."""
    beichen, tianjin = _paths()
    wuqing = Jurisdiction.objects.get(name="武清区")
    firm = Enterprise.objects.create(
        uscc=uscc_from("91120113MA05PT001"),
        name="天津北辰推送测试机械有限公司",
        jurisdiction=beichen,
        industry="通用设备制造业",
        size="small",
        flags=["专精特新"],
        roles=["manufacturer"],
    )
    Project.objects.create(
        jurisdiction=beichen,
        owner=firm,
        name="数控产线技术改造项目",
        domain="industry",
        total_investment_wan=Decimal("2400"),
        equipment_investment_wan=Decimal("1800"),
        channels=["loan_interest"],
        stage="reserve",
    )
    make = lambda **kw: Policy.objects.create(**{"jurisdiction": beichen, "level": "county", **kw})  # noqa: E731
    policies = {
        "tech": make(
            title="工业技改贷款贴息（测试）",
            domains=["industry"],
            funding_channel="loan_interest",
            applicant_types=["中小企业"],
            conditions=["专精特新", "技术改造"],
        ),
        "city": make(
            jurisdiction=tianjin, level="city", title="天津市中小企业数字化转型（测试）", applicant_types=["small"]
        ),
        "green": make(title="绿色工厂奖励（测试）", conditions=["绿色工厂"]),
        "medical": make(title="医疗设备更新（测试）", domains=["medical"]),
        "people": make(title="家电以旧换新补贴（测试）", applicant_types=["个人"]),
        "old": make(title="过期政策（测试）", effective_to=datetime.date(2024, 12, 31)),
        "wuqing": make(jurisdiction=wuqing, title="武清区政策（测试）"),
    }
    return firm, policies


def test_a_crafted_enterprise_gets_exact_policies_with_exact_reasons(crafted):
    firm, p = crafted
    usable, near = push_enterprise(firm, today=TODAY, policies=Policy.objects.filter(pk__in=[x.pk for x in p.values()]))
    assert [r.policy.key for r in usable] == [p["tech"].pk, p["city"].pk]
    tech = usable[0]
    assert tech.reasons == [
        Check("jurisdiction", ("county",)),
        Check("applicant", ("中小企业",)),
        Check("domain", ("industry", "数控产线技术改造项目")),
        Check("condition", ("专精特新",)),
        Check("channel", ("loan_interest", "数控产线技术改造项目")),
    ]
    assert tech.to_verify == ["技术改造"]
    assert usable[1].reasons == [Check("jurisdiction", ("city",)), Check("applicant", ("small",))]
    assert {r.policy.key: r.missing for r in near} == {
        p["green"].pk: [Check("condition", ("绿色工厂",))],
        p["medical"].pk: [Check("domain", ("medical",))],
    }


def test_policies_for_individuals_expired_or_elsewhere_are_never_pushed(crafted):
    firm, p = crafted
    usable, near = push_enterprise(firm, today=TODAY, policies=Policy.objects.filter(pk__in=[x.pk for x in p.values()]))
    shown = {r.policy.key for r in [*usable, *near]}
    assert not shown & {p["people"].pk, p["old"].pk, p["wuqing"].pk}


def test_two_missing_conditions_are_not_a_near_miss():
    profile = Profile(1, "甲", "/1/2/", size="large")
    policy = PolicyFacts(
        9, "中小企业绿色工厂", "county", "/1/2/", applicant_types=("中小企业",), conditions=("绿色工厂",)
    )
    assert push_for(profile, [policy], today=TODAY, known_flags={"绿色工厂"}) == ([], [])


def test_channel_and_domain_tags_in_conditions_are_alternatives():
    profile = Profile(1, "甲", "/1/2/", projects=(ProjectFacts(5, "锅炉改造", "industry", ("special_bonds",)),))
    policy = PolicyFacts(9, "若干措施", "national", "/7/", conditions=("超长期特别国债", "设备更新贷款贴息"))
    usable, near = push_for(profile, [policy], today=TODAY)
    assert usable[0].reasons[-1] == Check("condition", ("超长期特别国债", "设备更新贷款贴息"))


def test_batch_push_covers_every_enterprise_of_the_jurisdiction(crafted):
    firm, p = crafted
    results = push_batch(
        Enterprise.objects.filter(pk=firm.pk), today=TODAY, policies=Policy.objects.filter(pk=p["tech"].pk)
    )
    assert [(profile.name, [r.policy.title for r in usable]) for profile, usable, _near in results] == [
        ("天津北辰推送测试机械有限公司", ["工业技改贷款贴息（测试）"])
    ]


def test_enterprise_page_shows_reasons_and_the_missing_condition(crafted, client_as):
    firm, p = crafted
    html = client_as("beichen").get(f"/registry/enterprises/{firm.pk}/policies/").content.decode()
    usable = html[html.index('id="usable"') : html.index('id="near"')]
    near = html[html.index('id="near"') :]
    assert "工业技改贷款贴息（测试）" in usable
    assert "条件：专精特新" in usable and "待核实：技术改造" in usable
    assert "绿色工厂奖励（测试）" in near and "条件：绿色工厂" in near


def test_enterprise_page_permissions(crafted, client_as):
    firm, _ = crafted
    url = f"/registry/enterprises/{firm.pk}/policies/"
    assert client_as("tianjin_leader").get(url).status_code == 200
    assert client_as("wuqing").get(url).status_code == 404
    assert client_as("beichen_shangwu").get(url).status_code == 404


def test_batch_export_has_one_row_per_enterprise_and_policy_with_reasons(crafted, client_as):
    firm, p = crafted
    beichen, _ = _paths()
    response = client_as("beichen").get(f"/registry/policy-push/?jurisdiction={beichen.pk}&format=xlsx")
    sheet = load_workbook(BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["企业", "统一社会信用代码", "政策"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    mine = {r[2]: r for r in rows if r[0] == "天津北辰推送测试机械有限公司"}
    assert mine["工业技改贷款贴息（测试）"][1] == firm.uscc
    assert mine["工业技改贷款贴息（测试）"][5] == "可享"
    assert "条件：专精特新" in mine["工业技改贷款贴息（测试）"][6]
    assert mine["绿色工厂奖励（测试）"][5] == "差一点符合" and mine["绿色工厂奖励（测试）"][7] == "条件：绿色工厂"
    assert "家电以旧换新补贴（测试）" not in mine


def test_batch_push_page_is_for_offices_and_leaders(crafted, client_as):
    beichen, _ = _paths()
    assert client_as("beichen").get("/registry/policy-push/").status_code == 200
    assert client_as("beichen_gongxin").get("/registry/policy-push/").status_code == 403
    leader = client_as("tianjin_leader").get(f"/registry/policy-push/?jurisdiction={beichen.pk}")
    assert leader.status_code == 200 and "天津北辰推送测试机械有限公司" in leader.content.decode()


def test_api_pushes_for_an_enterprise_and_a_jurisdiction(crafted, client_as):
    firm, p = crafted
    beichen, _ = _paths()
    client = client_as("beichen")
    rows = client.get(f"/api/registry/enterprises/{firm.pk}/policies/").json()
    tech = next(r for r in rows if r["policy"] == p["tech"].pk)
    assert tech["state"] == "usable" and "条件：专精特新" in tech["reasons"] and tech["to_verify"] == ["技术改造"]
    green = next(r for r in rows if r["policy"] == p["green"].pk)
    assert green["state"] == "near" and green["missing"] == ["条件：绿色工厂"]
    batch = client.get(f"/api/registry/policy-push/?jurisdiction={beichen.pk}&state=near").json()
    assert batch and all(r["state"] == "near" for r in batch)
    assert client_as("wuqing").get(f"/api/registry/policy-push/?jurisdiction={beichen.pk}").status_code == 404
    assert client_as("wuqing").get(f"/api/registry/enterprises/{firm.pk}/policies/").status_code == 404
