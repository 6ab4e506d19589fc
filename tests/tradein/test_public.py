"""The public pages (no login): remaining budgets with the announcement, a claim's status by
number and the last 4 of the ID number (state and dates only), and the voucher claim page."""

import datetime

import pytest
from django.utils import timezone

from liangxin.core.models import User
from liangxin.tradein.enums import BudgetState, VoucherState
from liangxin.tradein.models import Claim, Programme, Voucher
from liangxin.tradein.selectors import budget_summary
from liangxin.tradein.services.budget import budget_set_state
from liangxin.tradein.services.vouchers import voucher_window_create

from .factories import identity, make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def beichen_programme():
    return Programme.objects.get(jurisdiction__name="北辰区", jurisdiction__parent__name="天津市")


def _html(response) -> str:
    return response.content.decode()


def test_the_budget_page_shows_what_is_left_of_each_programme_without_a_login(client, beichen_programme):
    response = client.get("/public/budgets/")
    assert response.status_code == 200
    summary = budget_summary(beichen_programme.budget)
    html = _html(response)
    assert f'id="budget-{beichen_programme.pk}"' in html
    assert f"{summary['available']:,.2f} 元" in html
    assert "补贴资金余额" in html  # the public navigation names the page
    assert "data-announcement" not in html


def test_a_paused_budget_is_announced_on_the_public_page(client, beichen_programme):
    budget_set_state(
        actor=User.objects.get(username="beichen"),
        budget=beichen_programme.budget,
        state=BudgetState.PAUSED,
        announcement="本期补贴资金已用完，暂停受理新申报。",
    )
    html = _html(client.get("/public/budgets/"))
    assert '<p class="pub-note" data-announcement>本期补贴资金已用完，暂停受理新申报。</p>' in html
    assert "暂停" in html


def test_a_claims_status_shows_its_state_and_dates_only(client, beichen_programme):
    claim = Claim.objects.filter(programme=beichen_programme, state="paid").first()
    response = client.get("/public/claim-status/", {"number": claim.number, "id_last4": claim.buyer_id_masked[-4:]})
    assert response.context["claim"] == claim
    html = _html(response)
    assert 'id="status-result"' in html and "已拨付" in html
    assert timezone.localtime(claim.paid_at).strftime("%Y-%m-%d") in html
    for private in (claim.buyer_name, claim.buyer_id_masked, claim.merchant.name, claim.invoice_no, str(claim.subsidy)):
        assert private not in html


def test_a_wrong_number_or_last4_finds_nothing_and_says_so(client, beichen_programme):
    claim = Claim.objects.filter(programme=beichen_programme).first()
    wrong = "0000" if claim.buyer_id_masked[-4:] != "0000" else "1111"
    response = client.get("/public/claim-status/", {"number": claim.number, "id_last4": wrong})
    assert response.context["claim"] is None
    assert "没有与该编号和后 4 位相符的申报" in _html(response) and claim.buyer_name not in _html(response)
    response = client.get("/public/claim-status/", {"number": claim.number, "id_last4": "12"})
    assert response.context["form"].errors["id_last4"] == ["请填写身份证号后 4 位（数字，末位可为 X）。"]


def test_a_resident_claims_a_voucher_once_per_category(client, beichen_programme):
    window = beichen_programme.voucher_windows.get(category="phone")
    page = client.get("/public/vouchers/")
    assert page.status_code == 200
    assert [row["window"] for row in page.context["windows"]] == [window]
    assert "北辰区 · 手机" in _html(page)
    data = {"window": window.pk, "name": "张三", "identity": identity(901), "phone": "13900001111"}
    response = client.post("/public/vouchers/", data)
    voucher = response.context["voucher"]
    assert voucher is not None and voucher.state == VoucherState.LIVE
    html = _html(response)
    assert voucher.code in html and voucher.person_masked in html and identity(901) not in html
    assert "139****1111" in html
    again = client.post("/public/vouchers/", {**data, "phone": "13900002222"})
    assert again.context["voucher"] is None
    assert again.context["refusal"] == {"code": "already_holds", "message": "此人已持有该品类的有效消费券。"}
    assert Voucher.objects.filter(window=window, person_hash=voucher.person_hash).count() == 1


def test_the_voucher_form_explains_a_malformed_id_or_phone(client, beichen_programme):
    window = beichen_programme.voucher_windows.get(category="phone")
    good = identity(902)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    response = client.post(
        "/public/vouchers/", {"window": window.pk, "name": "李四", "identity": bad, "phone": "12345"}
    )
    errors = response.context["form"].errors
    assert set(errors) == {"identity", "phone"}
    assert errors["phone"] == ["'12345' 不是内地手机号（以 1 开头的 11 位数字）。"]
    assert not Voucher.objects.filter(holder_name="李四").exists()


def test_when_todays_quota_is_gone_the_resident_is_told_to_come_back_tomorrow(client):
    programme = make_programme(name="武清区消费券测试", year=timezone.localdate().year, uses_vouchers=True)
    now = timezone.now()
    window = voucher_window_create(
        actor=None,
        programme=programme,
        category="phone",
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=1),
        daily_quota=1,
        valid_days=3,
    )
    first = client.post(
        "/public/vouchers/", {"window": window.pk, "name": "王五", "identity": identity(903), "phone": "13900003333"}
    )
    assert first.context["voucher"] is not None
    second = client.post(
        "/public/vouchers/", {"window": window.pk, "name": "赵六", "identity": identity(904), "phone": "13900004444"}
    )
    assert second.context["refusal"] == {"code": "sold_out", "message": "该品类今日消费券已领完，请明天再来。"}
    row = next(r for r in second.context["windows"] if r["window"] == window)
    assert row["remaining"] == 0 and "已领完" in _html(second)
