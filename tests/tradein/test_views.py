"""The office pages of the trade-in engine: who sees what, and the forms that change things.

北辰区's demo programme (loaded with the demo) is the owner's; 武清区's office, 北辰区's reporters,
the city leader, a merchant and an anonymous visitor try it too."""

import io
import json
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from liangxin.core.models import AuditEntry
from liangxin.tradein.enums import BatchState, BudgetState, ClaimState, ClawbackState, FlagState
from liangxin.tradein.models import Claim, ClaimFlag, Clawback, PaymentBatch, Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def beichen_programme():
    return Programme.objects.get(jurisdiction__name="北辰区", jurisdiction__parent__name="天津市")


def _html(response) -> str:
    return response.content.decode()


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_the_office_of_beichen_sees_its_programme_in_the_list_with_the_budget(client_as, beichen_programme):
    response = client_as("beichen").get("/tradein/")
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row["programme"] for row in rows] == [beichen_programme]
    assert rows[0]["budget"]["released"] == Decimal("3000000.00")
    html = _html(response)
    assert "以旧换新补贴项目" in html and beichen_programme.name in html and "3,000,000.00" in html


def test_the_programme_page_shows_the_rules_per_category_as_a_readable_table(client_as, beichen_programme):
    response = client_as("beichen").get(f"/tradein/programmes/{beichen_programme.pk}/")
    assert response.status_code == 200
    rows = {row["code"]: row for row in response.context["rows"]}
    assert rows["fridge"]["name"] == "电冰箱"
    assert rows["fridge"]["formula"] == "1 级能效按售价的 20%；2 级能效按售价的 15%，每件最高 2,000.00 元"
    assert rows["fridge"]["proof"] == "发票、产品序列号、旧品已交售给备案回收企业"
    assert rows["phone"]["formula"] == "按售价的 15%，每件最高 500.00 元，售价不超过 6,000.00 元"
    assert "办理时限" in _html(response)
    assert [v.version for v in response.context["versions"]] == [1]


@pytest.mark.parametrize(
    "url", ["", "budget/", "vouchers/", "claims/", "review/", "clawbacks/", "payouts/", "figures/"]
)
def test_wuqings_office_does_not_find_beichens_programme(client_as, beichen_programme, url):
    assert client_as("wuqing").get(f"/tradein/programmes/{beichen_programme.pk}/{url}").status_code == 404


def test_wuqings_office_cannot_move_or_reveal_a_beichen_claim(client_as, beichen_programme):
    claim = Claim.objects.filter(programme=beichen_programme, state=ClaimState.SUBMITTED).first()
    client = client_as("wuqing")
    assert client.get(f"/tradein/claims/{claim.pk}/").status_code == 404
    assert client.post(f"/tradein/claims/{claim.pk}/move/", {"to": "accepted"}).status_code == 404
    assert client.post(f"/tradein/claims/{claim.pk}/reveal/").status_code == 404
    claim.refresh_from_db()
    assert claim.state == ClaimState.SUBMITTED


@pytest.mark.parametrize("persona", ["tianjin_leader", "beichen_shangwu"])
def test_the_leader_and_a_reporter_read_but_change_nothing(client_as, beichen_programme, persona):
    client = client_as(persona)
    claim = Claim.objects.filter(programme=beichen_programme, state=ClaimState.SUBMITTED).first()
    page = client.get(f"/tradein/claims/{claim.pk}/")
    assert page.status_code == 200
    assert page.context["manage"] is False and page.context["can_reveal"] is False
    assert 'id="reveal"' not in _html(page) and 'id="actions"' not in _html(page)
    assert client.get(f"/tradein/programmes/{beichen_programme.pk}/budget/").status_code == 200
    assert client.post(f"/tradein/claims/{claim.pk}/move/", {"to": "accepted"}).status_code == 403
    assert client.post(f"/tradein/claims/{claim.pk}/reveal/").status_code == 403
    assert (
        client.post(f"/tradein/programmes/{beichen_programme.pk}/budget/tranche/", {"amount": "1"}).status_code == 403
    )
    assert client.get(f"/tradein/programmes/{beichen_programme.pk}/versions/new/").status_code == 403
    assert client.post(f"/tradein/programmes/{beichen_programme.pk}/payouts/new/").status_code == 403
    claim.refresh_from_db()
    assert claim.state == ClaimState.SUBMITTED


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, beichen_programme):
    for url in (
        "/tradein/",
        f"/tradein/programmes/{beichen_programme.pk}/",
        f"/tradein/programmes/{beichen_programme.pk}/claims.xlsx",
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_merchant_account_does_not_see_the_office_pages(client_as, beichen_programme):
    client = client_as("merchant_suning_bc")
    assert client.get("/tradein/").status_code == 403
    assert client.get(f"/tradein/programmes/{beichen_programme.pk}/claims/").status_code == 404
    # but it has the upload page of its programme
    assert client.get(f"/tradein/programmes/{beichen_programme.pk}/upload/").status_code == 200


def test_the_claims_table_filters_by_state_category_and_flag(client_as, beichen_programme):
    client = client_as("beichen")
    url = f"/tradein/programmes/{beichen_programme.pk}/claims/"
    response = client.get(url, {"state": "submitted"})
    expected = list(
        Claim.objects.filter(programme=beichen_programme, state=ClaimState.SUBMITTED)
        .order_by("-submitted_at", "-pk")
        .values_list("number", flat=True)
    )
    assert [c.number for c in response.context["page"]] == expected
    response = client.get(url, {"category": "fridge"})
    assert {c.category for c in response.context["page"]} == {"fridge"}
    flagged = set(
        Claim.objects.filter(programme=beichen_programme, flags__state=FlagState.OPEN).values_list("number", flat=True)
    )
    response = client.get(url, {"flagged": "on"})
    assert {c.number for c in response.context["page"]} == flagged
    html = _html(response)
    for claim in Claim.objects.filter(number__in=flagged):
        assert claim.buyer_id_masked in html


def test_the_claims_export_masks_identity_and_phone(client_as, beichen_programme):
    response = client_as("beichen").get(f"/tradein/programmes/{beichen_programme.pk}/claims.xlsx", {"state": "paid"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:6] == ("申报编号", "状态", "商户", "购买人", "身份证号", "手机号")
    paid = Claim.objects.filter(programme=beichen_programme, state=ClaimState.PAID).order_by("-submitted_at", "-pk")
    assert [(r[0], r[1], r[4], r[5]) for r in rows[1:]] == [
        (c.number, "已拨付", c.buyer_id_masked, c.buyer_phone_masked) for c in paid
    ]
    assert all("*" in r[4] and len(r[4]) == 18 for r in rows[1:])


def test_the_reviewer_reveals_the_identity_once_and_the_viewing_is_logged(client_as, beichen_programme):
    from liangxin.core import pii

    claim = Claim.objects.filter(programme=beichen_programme).first()
    client = client_as("beichen")
    page = client.get(f"/tradein/claims/{claim.pk}/")
    assert claim.buyer_id_masked in _html(page) and 'id="reveal"' in _html(page)
    full = pii.decrypt(claim.buyer_id_enc)
    assert full not in _html(page)
    revealed = client.post(f"/tradein/claims/{claim.pk}/reveal/")
    assert revealed.status_code == 200
    assert f'<code id="buyer-id">{full}</code>' in _html(revealed)
    entry = AuditEntry.objects.filter(action="tradein.claim_reveal", object_id=str(claim.pk)).latest("pk")
    assert entry.actor.username == "beichen"


def test_the_office_moves_a_claim_through_accept_review_and_approve(client_as, beichen_programme):
    claim = (
        Claim.objects.filter(programme=beichen_programme, state=ClaimState.SUBMITTED)
        .exclude(flags__state=FlagState.OPEN)
        .first()
    )
    available_before = beichen_programme.budget.buckets.values_list("balance", flat=True)
    before = sum(available_before)
    client = client_as("beichen")
    for to_state in ("accepted", "reviewed", "approved"):
        response = client.post(f"/tradein/claims/{claim.pk}/move/", {"to": to_state}, follow=True)
        claim.refresh_from_db()
        assert claim.state == to_state
        assert _messages(response) == [f"申报现为“{ClaimState(to_state).label}”。"]
    assert sum(beichen_programme.budget.buckets.values_list("balance", flat=True)) == before - claim.subsidy
    response = client.post(f"/tradein/claims/{claim.pk}/move/", {"to": "accepted"}, follow=True)
    assert _messages(response) == ["状态为“审核通过”的申报不能变为“已受理”。"]


def test_a_flag_is_decided_with_a_reason_and_upholding_it_rejects_the_claim(client_as, beichen_programme):
    flag = ClaimFlag.objects.filter(claim__programme=beichen_programme, state=FlagState.OPEN).first()
    client = client_as("beichen")
    response = client.post(f"/tradein/flags/{flag.pk}/decide/", {"uphold": "1", "reason": ""}, follow=True)
    assert _messages(response) == ["该字段是必填项。"]
    flag.refresh_from_db()
    assert flag.state == FlagState.OPEN
    response = client.post(
        f"/tradein/flags/{flag.pk}/decide/", {"uphold": "1", "reason": "同一地址三天内五台", "next": "queue"}
    )
    assert response.status_code == 302 and response["Location"] == f"/tradein/programmes/{beichen_programme.pk}/review/"
    flag.refresh_from_db()
    flag.claim.refresh_from_db()
    assert (flag.state, flag.reason, flag.decided_by.username) == (FlagState.UPHELD, "同一地址三天内五台", "beichen")
    assert flag.claim.state == ClaimState.REJECTED


def test_a_refund_after_payment_raises_a_clawback_which_the_office_marks_repaid(client_as, beichen_programme):
    claim = Claim.objects.filter(programme=beichen_programme, state=ClaimState.PAID).first()
    client = client_as("beichen")
    response = client.post(
        f"/tradein/claims/{claim.pk}/refund/",
        {"amount": str(claim.invoice_total), "refunded_on": claim.purchased_on.isoformat(), "reason": "质量问题"},
        follow=True,
    )
    claim.refresh_from_db()
    assert claim.state == ClaimState.VOID
    clawback = Clawback.objects.get(claim=claim)
    assert (clawback.amount, clawback.state) == (claim.subsidy, ClawbackState.RAISED)
    assert any("已向" in m and "发起" in m for m in _messages(response))
    page = client.get(f"/tradein/programmes/{beichen_programme.pk}/clawbacks/")
    assert claim.number in _html(page)
    client.post(f"/tradein/clawbacks/{clawback.pk}/repaid/", {"note": "回单 2025-001"})
    clawback.refresh_from_db()
    assert (clawback.state, clawback.note) == (ClawbackState.REPAID, "回单 2025-001")


def test_a_refund_in_the_future_is_refused_with_the_reason(client_as, beichen_programme):
    import datetime

    claim = Claim.objects.filter(programme=beichen_programme, state=ClaimState.ACCEPTED).first()
    response = client_as("beichen").post(
        f"/tradein/claims/{claim.pk}/refund/",
        {"amount": "100", "refunded_on": (datetime.date.today() + datetime.timedelta(days=3)).isoformat()},
        follow=True,
    )
    assert _messages(response) == ["退款日期不能晚于今天。"]
    claim.refresh_from_db()
    assert claim.state == ClaimState.ACCEPTED


def test_the_budget_panel_releases_a_tranche_and_switches_the_state_with_an_announcement(client_as, beichen_programme):
    client = client_as("beichen")
    url = f"/tradein/programmes/{beichen_programme.pk}/budget/"
    response = client.post(url + "tranche/", {"amount": "-5"}, follow=True)
    assert _messages(response) == ["确保该值大于或等于0.01。"]
    response = client.post(url + "tranche/", {"amount": "500000", "note": "北辰财〔2025〕12号"}, follow=True)
    assert _messages(response) == ["已下达 500,000.00 元。"]
    assert response.context["summary"]["released"] == Decimal("3500000.00")
    assert response.context["mismatches"] == []
    response = client.post(
        url + "state/", {"state": "paused", "announcement": "本批资金已用完，下一批预计12月初下达。"}, follow=True
    )
    beichen_programme.budget.refresh_from_db()
    assert beichen_programme.budget.state == BudgetState.PAUSED
    assert beichen_programme.budget.announcement == "本批资金已用完，下一批预计12月初下达。"
    assert "本批资金已用完" in _html(response)
    ledger = client.get(url + "ledger.xlsx")
    rows = list(load_workbook(io.BytesIO(ledger.content)).active.iter_rows(values_only=True))
    assert rows[-1][1:3] == ("下达资金", 31250) and rows[-1][6] == "北辰财〔2025〕12号"


def test_a_new_programme_from_the_national_rules_and_a_new_version_need_valid_input(client_as):
    client = client_as("wuqing")
    data = {"name": "武清区家电以旧换新", "year": "2026", "starts_on": "2026-03-01", "ends_on": "2026-02-01"}
    response = client.post("/tradein/programmes/new/", {**data, "rules_json": '{"categories": ['})
    form = response.context["form"]
    assert form.errors["ends_on"] == ["项目的结束日期不能早于开始日期。"]
    assert form.errors["rules_json"][0].startswith("规则不是有效的 JSON（第 1 行第 17 列")
    response = client.post("/tradein/programmes/new/", {**data, "rules_json": '{"categories": []}'})
    assert response.context["form"].errors["rules_json"] == ["规则中没有任何品类。"]
    response = client.post(
        "/tradein/programmes/new/", {**data, "ends_on": "2026-12-31", "ruleset": "2026", "budget": "800000"}
    )
    programme = Programme.objects.get(name="武清区家电以旧换新")
    assert response["Location"] == f"/tradein/programmes/{programme.pk}/"
    assert programme.jurisdiction.name == "武清区" and programme.budget.released == Decimal("800000.00")

    url = f"/tradein/programmes/{programme.pk}/versions/new/"
    rules = programme.rule_versions.get().rules
    rules["categories"] = [c for c in rules["categories"] if c["code"] != "smart_glasses"]
    response = client.post(url, {"effective_from": "2026-07-01", "reason": "", "rules_json": json.dumps(rules)})
    assert response.context["form"].errors["reason"] == ["该字段是必填项。"]
    response = client.post(
        url, {"effective_from": "2027-07-01", "reason": "暂停智能眼镜", "rules_json": json.dumps(rules)}
    )
    assert response.context["form"].non_field_errors() == [
        "规则版本的生效日期须在项目期内（2026-03-01 – 2026-12-31）。"
    ]
    client.post(url, {"effective_from": "2026-07-01", "reason": "暂停智能眼镜", "rules_json": json.dumps(rules)})
    assert list(programme.rule_versions.order_by("version").values_list("version", "reason")) == [
        (1, "第一版"),
        (2, "暂停智能眼镜"),
    ]
    # 北辰区's office does not create programmes for 武清区: it creates its own.
    assert client_as("tianjin_leader").get("/tradein/programmes/new/").status_code == 403


def test_the_figures_per_category_and_month_match_the_claims(client_as, beichen_programme):
    client = client_as("beichen")
    response = client.get(f"/tradein/programmes/{beichen_programme.pk}/figures/", {"year": 2025})
    table = response.context["table"]
    paid = Claim.objects.filter(programme=beichen_programme, state=ClaimState.PAID)
    assert table["total"]["paid"] == sum((c.subsidy for c in paid if c.paid_at.year == 2025), Decimal("0.00"))
    live = Claim.objects.filter(programme=beichen_programme).exclude(state__in=["rejected", "void"])
    assert table["total"]["collected"] == sum(1 for c in live if c.purchased_on.year == 2025 and c.recycler_handover_no)
    export = client.get(f"/tradein/programmes/{beichen_programme.pk}/figures.xlsx", {"year": 2025})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("月份", "品类", "申报数", "已拨付补贴（元）", "回收旧品数")
    assert rows[-1][0] == "合计" and rows[-1][4] == table["total"]["collected"]


def test_the_office_pays_through_the_web_and_a_mismatched_result_shows_every_reason(client_as, beichen_programme):
    client = client_as("beichen")
    approved = Claim.objects.filter(programme=beichen_programme, state=ClaimState.APPROVED).count()
    response = client.post(f"/tradein/programmes/{beichen_programme.pk}/payouts/new/")
    batch = PaymentBatch.objects.get(programme=beichen_programme)
    assert response["Location"] == f"/tradein/payouts/{batch.pk}/"
    assert batch.lines.count() == approved and batch.state == BatchState.DRAFT
    assert client.get(f"/tradein/payouts/{batch.pk}/order.csv").status_code == 405  # a GET sends nothing
    download = client.post(f"/tradein/payouts/{batch.pk}/order.csv")
    assert download["Content-Type"] == "text/csv; charset=gb18030"
    lines = download.content.decode("gb18030").splitlines()
    assert lines[0] == "序号,收款户名,收款账号,开户行,金额,用途/附言" and len(lines) == 3
    batch.refresh_from_db()
    assert batch.state == BatchState.EXPORTED
    bad = io.BytesIO("序号,金额,状态,失败原因\r\n1,1.00,成功,\r\n".encode("gb18030"))
    bad.name = "回盘.csv"
    response = client.post(f"/tradein/payouts/{batch.pk}/result/", {"file": bad})
    assert response.status_code == 200
    problems = response.context["problems"]
    assert problems[0].startswith("第 2 行：序号 1 在文件中为 1.00 元") and problems[1] == "文件中缺少序号 2 的结果。"
    assert "未做任何处理" in _html(response)
    assert Claim.objects.filter(programme=beichen_programme, state=ClaimState.APPROVED).count() == approved
    # The reader cannot download the bank file (it would send the batch).
    assert client_as("tianjin_leader").post(f"/tradein/payouts/{batch.pk}/order.xlsx").status_code == 403


def test_the_office_opens_a_voucher_window_and_sees_todays_issued_and_remaining(client_as):
    from .factories import make_programme

    programme = make_programme(name="武清区消费券窗口测试", year=2026, uses_vouchers=True)
    client = client_as("wuqing")
    url = f"/tradein/programmes/{programme.pk}/vouchers/"
    data = {
        "category": "phone",
        "opens_at": "2026-03-01T10:00",
        "closes_at": "2026-03-01T09:00",
        "daily_quota": "300",
        "valid_days": "7",
    }
    response = client.post(url, data)
    assert response.context["form"].errors["closes_at"] == ["领取时段的结束时间须晚于开始时间。"]
    response = client.post(url, {**data, "closes_at": "2026-03-31T22:00", "return_on_expiry": "on"}, follow=True)
    window = programme.voucher_windows.get()
    assert (window.category, window.daily_quota, window.valid_days, window.return_on_expiry) == ("phone", 300, 7, True)
    row = response.context["rows"][0]
    assert (row["category_name"], row["issued_today"], row["remaining_today"]) == ("手机", 0, 300)
    assert client_as("tianjin_leader").post(url, data).status_code == 403


def test_the_city_leader_reads_the_programmes_of_every_district_below(client_as):
    from .factories import make_programme

    programme = make_programme(name="武清区领导可见项目")
    names = [row["programme"].name for row in client_as("tianjin_leader").get("/tradein/").context["rows"]]
    assert programme.name in names and Programme.objects.get(jurisdiction__name="北辰区").name in names
    assert programme.name not in [r["programme"].name for r in client_as("beichen").get("/tradein/").context["rows"]]


def test_failed_payments_are_retried_and_returned_through_the_web(client_as, beichen_programme):
    from liangxin.tradein.bankfiles import ResultLine, result_csv
    from liangxin.tradein.enums import LineState
    from liangxin.tradein.services import payouts

    client = client_as("beichen")
    client.post(f"/tradein/programmes/{beichen_programme.pk}/payouts/new/")
    batch = PaymentBatch.objects.get(programme=beichen_programme)
    client.post(f"/tradein/payouts/{batch.pk}/order.xlsx")
    groups = payouts.batch_groups(batch)
    raw = result_csv(
        [
            ResultLine(g.seq, g.merchant.account_name, g.merchant.account_no, g.amount, False, reason="账号不存在")
            for g in groups
        ]
    )
    upload = io.BytesIO(raw)
    upload.name = "回盘.csv"
    response = client.post(f"/tradein/payouts/{batch.pk}/result/", {"file": upload}, follow=True)
    failed = batch.lines.count()
    assert [str(m) for m in response.context["messages"]][-1].startswith(
        f"对账完成：0 条申报已拨付（0.00 元），{failed} 条失败"
    )
    response = client.post(f"/tradein/payouts/{batch.pk}/retry/", follow=True)
    retry = PaymentBatch.objects.get(programme=beichen_programme, number=2)
    assert retry.lines.count() == failed and set(retry.lines.values_list("attempt", flat=True)) == {2}
    client.post(f"/tradein/payouts/{retry.pk}/discard/")
    line = batch.lines.first()
    response = client.post(f"/tradein/payment-lines/{line.pk}/return/", {"reason": "商户注销"}, follow=True)
    line.refresh_from_db()
    line.claim.refresh_from_db()
    assert (line.state, line.claim.state) == (LineState.RETURNED, ClaimState.REVIEWED)
    assert [str(m) for m in response.context["messages"]][-1] == "支付已退回：预留资金已释放，申报退回审核。"


def test_an_administrator_picks_the_jurisdiction_of_a_new_programme(client_as):
    from liangxin.core.models import Jurisdiction

    client = client_as("admin")
    data = {
        "name": "泰山区家电补贴",
        "year": "2026",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "ruleset": "2026",
    }
    response = client.post("/tradein/programmes/new/", data)
    assert response.context["form"].errors["jurisdiction"] == ["该字段是必填项。"]
    taishan = Jurisdiction.objects.get(name="泰山区")
    client.post("/tradein/programmes/new/", {**data, "jurisdiction": taishan.pk})
    assert Programme.objects.get(name="泰山区家电补贴").jurisdiction == taishan


def test_a_programme_without_a_budget_says_so_and_the_office_sets_one_up(client_as):
    from .factories import make_programme

    programme = make_programme(name="武清区无预算项目", budget=None)
    client = client_as("wuqing")
    rows = client.get("/tradein/").context["rows"]
    assert next(r for r in rows if r["programme"] == programme)["budget"] is None
    page = client.get(f"/tradein/programmes/{programme.pk}/budget/")
    assert "该项目尚未设置预算。" in page.content.decode()
    assert client.get("/public/budgets/").status_code == 200
    client.post(f"/tradein/programmes/{programme.pk}/budget/open/")
    programme.refresh_from_db()
    assert programme.budget.buckets.count() == 16 and programme.budget.released == 0
