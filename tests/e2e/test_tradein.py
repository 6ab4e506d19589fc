"""A resident claims a phone voucher on a phone-sized screen; 北辰区's office reviews a claim
(accept, review, approve, reveal the identity) in the browser."""

import re

import pytest
from playwright.sync_api import expect

from liangxin.core import pii
from liangxin.tradein.enums import ClaimState, FlagState
from liangxin.tradein.models import Claim, Programme, Voucher

from ..tradein.factories import identity

pytestmark = pytest.mark.e2e

PASSWORD = "liangxin-demo"


def _log_in(page, username):
    page.goto("/accounts/login/")
    page.locator('input[name="username"]').fill(username)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('form button[type="submit"], form input[type="submit"]').first.click()


def test_a_resident_claims_a_voucher_on_a_phone(browser, demo_site, results_dir):
    context = browser.new_context(
        base_url=demo_site.url, locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto("/public/vouchers/")
        expect(page.locator("h1")).to_have_text("领取消费券")
        expect(page.locator("#open-windows li")).to_have_count(1)
        expect(page.locator("#open-windows li").first).to_contain_text("北辰区 · 手机")
        # One column: nothing wider than the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

        form = page.locator("#voucher-form")
        form.locator('input[name="name"]').fill("张三")
        form.locator('input[name="identity"]').fill("12011319900101123")  # 17 characters
        form.locator('input[name="phone"]').fill("13900001111")
        form.locator('button[type="submit"]').click()
        expect(page.locator("#voucher-form .errorlist")).to_contain_text("18")

        person = identity(990)
        page.locator('#voucher-form input[name="identity"]').fill(person)
        page.locator("#voucher-form button[type=submit]").click()
        issued = page.locator("#voucher-issued")
        expect(issued).to_be_visible()
        voucher = Voucher.objects.get(holder_name="张三")
        expect(issued.locator(".pub-code")).to_have_text(voucher.code)
        expect(issued).to_contain_text(pii.mask_identity(person))
        assert person not in page.content()
        page.evaluate("document.fonts.ready")
        page.screenshot(path=str(results_dir / "tradein-voucher-phone.png"), full_page=True)

        # The same person again: refused with the reason, still one voucher.
        page.goto("/public/vouchers/")
        page.locator('#voucher-form input[name="name"]').fill("张三")
        page.locator('#voucher-form input[name="identity"]').fill(person)
        page.locator('#voucher-form input[name="phone"]').fill("13900001111")
        page.locator("#voucher-form button[type=submit]").click()
        expect(page.locator("#voucher-refused")).to_have_text("此人已持有该品类的有效消费券。")
        assert Voucher.objects.filter(person_hash=voucher.person_hash).count() == 1

        # The budget page and the status lookup fit the phone too.
        page.goto("/public/budgets/")
        expect(page.locator("article.pub-card").first).to_contain_text("北辰区")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(results_dir / "tradein-budgets-phone.png"), full_page=True)
        page.goto("/public/claim-status/")
        page.locator('#status-form input[name="number"]').fill("TI2025-XXXXX-XXXXX")
        page.locator('#status-form input[name="id_last4"]').fill("1234")
        page.locator("#status-form button").click()
        expect(page.locator("#status-none")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


def test_the_office_reviews_and_approves_a_claim_and_reveals_the_buyer(page, results_dir):
    programme = Programme.objects.get(jurisdiction__name="北辰区", jurisdiction__parent__name="天津市")
    claim = (
        Claim.objects.filter(programme=programme, state=ClaimState.SUBMITTED)
        .exclude(flags__state=FlagState.OPEN)
        .order_by("-submitted_at", "-pk")
        .first()
    )
    _log_in(page, "beichen")
    page.goto("/tradein/")
    page.locator("#programmes a", has_text=programme.name).click()
    expect(page.locator("#rules tbody tr").first).to_contain_text("电冰箱")
    page.get_by_role("link", name="申报", exact=True).click()
    page.locator("#claim-filters select[name=state]").select_option("submitted")
    page.locator("#claim-filters button", has_text="查看").click()
    expect(page).to_have_url(re.compile(r"state=submitted"))
    row = page.locator(f'#claims tr[data-number="{claim.number}"]')
    expect(row).to_contain_text(claim.buyer_id_masked)
    row.locator("a").first.click()

    expect(page.locator("#buyer-id")).to_have_text(claim.buyer_id_masked)
    for to_state, label in (("accepted", "已受理"), ("reviewed", "已审核"), ("approved", "审核通过")):
        page.locator(f'button[data-to="{to_state}"]').click()
        expect(page.locator("#claim-state")).to_have_text(label)
    expect(page.locator("#claim-ledger tbody tr")).to_have_count(1)
    expect(page.locator("#claim-ledger tbody tr").first).to_contain_text("预留")

    page.locator("#reveal").click()
    expect(page.locator("#buyer-id")).to_have_text(pii.decrypt(claim.buyer_id_enc))
    expect(page.locator(".messages")).to_contain_text("本次查看已记录")
    page.evaluate("document.fonts.ready")
    page.screenshot(path=str(results_dir / "tradein-claim-review.png"), full_page=True)
    claim.refresh_from_db()
    assert claim.state == ClaimState.APPROVED

    # The money: the budget panel, then a payment batch and its bank file.
    page.get_by_role("link", name="预算", exact=True).click()
    expect(page.locator('#budget-summary dd[data-fig="released"]')).to_have_text("3,000,000.00")
    page.screenshot(path=str(results_dir / "tradein-budget.png"), full_page=True)
    page.get_by_role("link", name="拨付", exact=True).click()
    page.locator("#batch-form button.primary").click()
    expect(page.locator("#batch-state")).to_have_text("草稿")
    expect(page.locator("#rows tbody tr")).to_have_count(2)
    with page.expect_download() as download:
        page.get_by_role("button", name="银行文件 CSV（GB18030）").click()
    assert download.value.suggested_filename.endswith("-0001.csv")
    page.reload()
    expect(page.locator("#batch-state")).to_have_text("已送银行")
    page.screenshot(path=str(results_dir / "tradein-batch.png"), full_page=True)
