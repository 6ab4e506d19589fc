"""Finance matching: a project's financing need against leasing and bank offers — domain, amount
range, jurisdiction and conditions decide which fit; the ranking and its reasons; pages and API."""

from decimal import Decimal

import pytest

from liangxin.core.idcodes import uscc_from
from liangxin.core.models import Jurisdiction
from liangxin.registry.finance import finance_matches
from liangxin.registry.models import Enterprise, FinanceOffer, Project, ProjectPrerequisite


@pytest.fixture
def case(db, user):
    beichen = Jurisdiction.objects.get(name="北辰区")
    tianjin = beichen.parent
    wuqing = Jurisdiction.objects.get(name="武清区")
    owner = Enterprise.objects.create(
        uscc=uscc_from("91120113MA05FN001"),
        name="天津北辰融资测试制造有限公司",
        jurisdiction=beichen,
        size="medium",
        flags=["专精特新"],
    )
    project = Project.objects.create(
        jurisdiction=beichen,
        owner=owner,
        name="智能化产线设备更新项目",
        domain="industry",
        total_investment_wan=Decimal("3000"),
        equipment_investment_wan=Decimal("2200"),
        needs_financing=True,
        financing_amount_wan=Decimal("1500"),
        channels=["loan_interest"],
        responsible_unit=user("beichen_gongxin").unit,
    )
    ProjectPrerequisite.objects.create(project=project, kind="environment", state="done")
    lender = Enterprise.objects.create(
        uscc=uscc_from("91120000MA05FN002"), name="津融融资租赁有限公司", jurisdiction=tianjin
    )
    bank = Enterprise.objects.create(uscc=uscc_from("91120113MA05FN003"), name="北辰农商银行", jurisdiction=beichen)
    offer = lambda provider, **kw: FinanceOffer.objects.create(provider=provider, **kw)  # noqa: E731
    offers = {
        "subsidised": offer(
            bank,
            kind="subsidised_loan",
            name="设备更新贴息贷款",
            domains=["industry"],
            min_amount_wan=Decimal("100"),
            max_amount_wan=Decimal("5000"),
            jurisdiction=beichen,
            conditions=["专精特新", "环评"],
        ),
        "leasing": offer(
            lender,
            kind="leasing",
            name="直租",
            domains=[],
            min_amount_wan=Decimal("500"),
            max_amount_wan=Decimal("8000"),
            jurisdiction=tianjin,
            conditions=["设备所有权抵押"],
        ),
        "too_small": offer(
            lender,
            kind="leasing",
            name="小额回租",
            domains=["industry"],
            max_amount_wan=Decimal("1000"),
            jurisdiction=tianjin,
        ),
        "medical": offer(bank, kind="loan", name="医疗设备贷", domains=["medical"], jurisdiction=beichen),
        "wuqing": offer(bank, kind="loan", name="武清专项贷", domains=["industry"], jurisdiction=wuqing),
        "green": offer(
            bank, kind="loan", name="绿色工厂贷", domains=["industry"], jurisdiction=beichen, conditions=["绿色工厂"]
        ),
        "inactive": offer(bank, kind="loan", name="停办产品", domains=["industry"], jurisdiction=beichen, active=False),
    }
    return project, offers


def _mine(project, offers):
    return finance_matches(project, offers=FinanceOffer.objects.filter(pk__in=[o.pk for o in offers.values()]))


def test_only_fitting_offers_are_matched_best_first(case):
    project, offers = case
    matches = _mine(project, offers)
    assert [m.offer for m in matches] == [offers["subsidised"], offers["leasing"]]
    best = matches[0]
    assert [(code, points) for code, points, _text in best.reasons] == [
        ("domain", 20.0),
        ("amount", 20.0),
        ("locality", 15.0),
        ("channel", 10.0),
        ("condition", 5.0),
        ("condition", 5.0),
    ]
    assert best.score == 75.0
    assert matches[1].score == 40.0 and matches[1].to_verify == ["设备所有权抵押"]


def test_finance_page_and_api_for_office_unit_and_outsiders(case, client_as):
    project, offers = case
    url = f"/registry/projects/{project.pk}/finance-matches/"
    html = client_as("beichen").get(url).content.decode()
    assert "设备更新贴息贷款" in html and "北辰农商银行" in html and "武清专项贷" not in html
    assert client_as("beichen_gongxin").get(url).status_code == 200  # the responsible unit
    assert client_as("beichen_shangwu").get(url).status_code == 404
    assert client_as("wuqing").get(url).status_code == 404
    data = client_as("tianjin_leader").get(f"/api/registry/projects/{project.pk}/finance-matches/").json()
    names = [row["offer_name"] for row in data]
    assert names.index("设备更新贴息贷款") < names.index("直租")
    assert "小额回租" not in names and "停办产品" not in names and "绿色工厂贷" not in names
