"""The trade-in API: merchants submit and see their own claims; the office of the programme's
jurisdiction runs them; others get 403/404; public endpoints show only masked facts."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from liangxin.core.models import AuditEntry, User
from liangxin.tradein.enums import ClaimState, FlagState
from liangxin.tradein.models import Claim, ClaimFlag, Programme

from .factories import api_row, identity, make_merchant, make_programme

D = Decimal
pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"api:{name}", args=args)


def token_client(username):
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=User.objects.get(username=username))
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def session_client(username):
    client = APIClient()
    client.force_authenticate(User.objects.get(username=username))
    return client


@pytest.fixture
def world():
    programme = make_programme()
    make_merchant(n=41, username="merchant_a")
    make_merchant(n=42, username="merchant_b")
    return programme


def post_claim(client, programme, n, **kw):
    return client.post(url("tradein-claim-list"), {"programme": programme.pk, **api_row(n, **kw)}, format="json")


def test_a_merchant_submits_with_its_token_and_a_retry_returns_the_same_claim(world):
    client = token_client("merchant_a")
    first = post_claim(client, world, 1)
    assert first.status_code == 201, first.content
    body = first.json()
    assert (body["state"], body["subsidy"], body["created"]) == ("submitted", "999.80", True)
    assert body["buyer_id"] == identity(1)[:3] + "*" * 11 + identity(1)[-4:]
    assert identity(1) not in first.content.decode()
    again = post_claim(client, world, 1)
    assert again.status_code == 200
    assert (again.json()["id"], again.json()["created"]) == (body["id"], False)


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"buyer_id": "110101199003071235"}, "bad_id"),
        ({"subsidy": "999.00", "price_paid": "4000.00"}, "formula_mismatch"),
        ({"category": "yacht"}, "unknown_category"),
    ],
)
def test_a_refused_claim_answers_400_with_its_code(world, overrides, code):
    response = post_claim(token_client("merchant_a"), world, 2, **overrides)
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert not Claim.objects.filter(idempotency_key="key-2", merchant__name="测试电器41号店").exists()


def test_a_negative_price_is_a_field_error(world):
    response = post_claim(token_client("merchant_a"), world, 3, price_paid="-5.00")
    assert response.status_code == 400
    assert "price_paid" in response.json()


def test_a_batch_answers_every_row_and_keeps_the_good_ones(world):
    rows = [
        api_row(10),
        {**api_row(11), "price_paid": "-1"},
        api_row(12),
        {**api_row(13), "invoice_title_type": "company"},
    ]
    response = token_client("merchant_a").post(
        url("tradein-claim-batch"), {"programme": world.pk, "claims": rows}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["accepted"], body["refused"]) == (2, 2)
    assert [(r["index"], r["ok"], r["code"]) for r in body["results"]] == [
        (0, True, ""),
        (1, False, "invalid"),
        (2, True, ""),
        (3, False, "company_invoice"),
    ]
    assert "price_paid" in body["results"][1]["errors"]
    assert Claim.objects.filter(programme=world, idempotency_key__in=["key-10", "key-12"]).count() == 2


def test_a_batch_of_more_than_1000_rows_is_refused(world):
    response = token_client("merchant_a").post(
        url("tradein-claim-batch"), {"programme": world.pk, "claims": [{}] * 1001}, format="json"
    )
    assert response.status_code == 400
    assert "claims" in response.json()


def test_a_10_mb_body_answers_413_and_the_server_keeps_serving(world):
    client = token_client("merchant_a")
    huge = json.dumps({"programme": world.pk, "claims": [{"buyer_name": "x" * 1000}] * 10_500})
    assert len(huge) > 10_000_000
    response = client.generic("POST", url("tradein-claim-batch"), huge, content_type="application/json")
    assert response.status_code == 413
    response = client.generic("POST", url("tradein-claim-list"), huge, content_type="application/json")
    assert response.status_code == 413
    assert post_claim(client, world, 20).status_code == 201


def test_merchants_see_only_their_own_claims(world):
    a, b = token_client("merchant_a"), token_client("merchant_b")
    mine = post_claim(a, world, 30).json()
    post_claim(b, world, 31)
    numbers = [c["number"] for c in a.get(url("tradein-claim-list")).json()["results"]]
    assert numbers == [mine["number"]]
    assert b.get(url("tradein-claim-detail", mine["id"])).status_code == 404


def test_a_merchant_of_another_jurisdiction_cannot_claim_in_this_programme(world):
    response = post_claim(token_client("merchant_suning_bc"), world, 32)
    assert response.status_code == 404


def test_office_staff_cannot_submit_claims(world):
    assert post_claim(session_client("wuqing"), world, 33).status_code == 403


def test_the_office_moves_a_claim_to_approved_and_others_cannot(world):
    claim = post_claim(token_client("merchant_a"), world, 40).json()
    for outsider, status in (("beichen", 404), ("tianjin_leader", 403), ("merchant_a", 403)):
        response = session_client(outsider).post(
            url("tradein-claim-transition", claim["id"]), {"to_state": "accepted"}, format="json"
        )
        assert response.status_code == status, outsider
    office = session_client("wuqing")
    for step in ("accepted", "reviewed", "approved"):
        response = office.post(url("tradein-claim-transition", claim["id"]), {"to_state": step}, format="json")
        assert response.status_code == 200, response.content
    assert response.json()["state"] == "approved"
    budget = office.get(url("tradein-budget", world.pk)).json()
    assert (budget["reserved"], budget["available"]) == ("999.80", "99000.20")
    again = office.post(url("tradein-claim-transition", claim["id"]), {"to_state": "approved"}, format="json")
    assert again.status_code == 400


def test_the_office_rejects_with_a_reason_code(world):
    claim = post_claim(token_client("merchant_a"), world, 41).json()
    response = session_client("wuqing").post(
        url("tradein-claim-reject", claim["id"]), {"code": "documents", "reason": "发票模糊"}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["reject_code"]) == ("rejected", "documents")
    bad = session_client("wuqing").post(
        url("tradein-claim-reject", claim["id"]), {"code": "whim", "reason": "x"}, format="json"
    )
    assert bad.status_code == 400


def test_only_the_programmes_office_reveals_the_identity_and_each_reveal_is_audited(world):
    claim = post_claim(token_client("merchant_a"), world, 42).json()
    for other, status in (("tianjin_leader", 403), ("admin", 403), ("merchant_a", 403), ("beichen", 404)):
        assert session_client(other).post(url("tradein-claim-reveal", claim["id"])).status_code == status, other
    response = session_client("wuqing").post(url("tradein-claim-reveal", claim["id"]))
    assert response.json() == {"buyer_id": identity(42), "buyer_phone": "13700000042"}
    entries = AuditEntry.objects.filter(action="tradein.claim_reveal", object_id=str(claim["id"]))
    assert list(entries.values_list("actor__username", flat=True)) == ["wuqing"]


def test_flags_queue_and_decision(world):
    client = token_client("merchant_a")
    post_claim(client, world, 50)
    hiked = post_claim(client, world, 51, price=D("5999.00")).json()
    assert hiked["flags"][0]["kind"] == "price_hike"
    office = session_client("wuqing")
    queue = office.get(url("tradein-flag-list")).json()["results"]
    flag = next(f for f in queue if f["claim_number"] == hiked["number"])
    assert flag["evidence"]["recent_lowest"] == "4999.00"
    assert session_client("beichen").get(url("tradein-flag-list")).json()["count"] == (
        ClaimFlag.objects.filter(claim__programme__jurisdiction__name="北辰区", state=FlagState.OPEN).count()
    )
    response = office.post(
        url("tradein-flag-decide", flag["id"]), {"decision": "clear", "reason": "配置更高"}, format="json"
    )
    assert response.json()["state"] == "cleared"
    forbidden = session_client("tianjin_leader").post(
        url("tradein-flag-decide", flag["id"]), {"decision": "uphold", "reason": "x"}, format="json"
    )
    assert forbidden.status_code == 403


def test_refund_after_payment_raises_a_clawback_visible_to_the_merchant(world):
    from liangxin.tradein.services.claims import claim_mark_paid

    claim = post_claim(token_client("merchant_a"), world, 60).json()
    office = session_client("wuqing")
    for step in ("accepted", "reviewed", "approved"):
        office.post(url("tradein-claim-transition", claim["id"]), {"to_state": step}, format="json")
    claim_mark_paid(claim=Claim.objects.get(pk=claim["id"]))
    response = office.post(
        url("tradein-claim-refund", claim["id"]), {"amount": "3999.20", "refunded_on": "2025-06-20"}, format="json"
    )
    assert response.json()["state"] == "void"
    clawbacks = token_client("merchant_a").get(url("tradein-clawback-list")).json()["results"]
    assert [(c["claim_number"], c["amount"], c["state"]) for c in clawbacks] == [(claim["number"], "999.80", "raised")]
    assert token_client("merchant_b").get(url("tradein-clawback-list")).json()["count"] == 0
    repaid = office.post(url("tradein-clawback-repay", clawbacks[0]["id"]), {"note": "已退回"}, format="json")
    assert repaid.json()["state"] == "repaid"


def test_an_office_creates_a_programme_from_the_national_rules_only_for_its_jurisdiction():
    body = {
        "name": "2026年武清区以旧换新",
        "year": 2026,
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "national_rules_year": 2026,
        "budget": "2000000",
    }
    response = session_client("wuqing").post(url("tradein-programme-list"), body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["budget"]["available"] == "2000000.00"
    assert response.json()["current_rules"]["version"] == 1
    other = session_client("beichen").post(
        url("tradein-programme-list"), {**body, "jurisdiction": response.json()["jurisdiction"]}, format="json"
    )
    assert other.status_code == 403
    assert session_client("beichen").get(url("tradein-programme-detail", response.json()["id"])).status_code == 404


def test_a_new_rule_version_applies_from_its_date(world):
    office = session_client("wuqing")
    rules = office.get(url("tradein-programme-rules", world.pk)).json()["rules"]
    rules["categories"][0]["formula"]["cap"] = "1000"
    response = office.post(
        url("tradein-programme-versions", world.pk),
        {"rules": rules, "effective_from": "2025-09-01", "reason": "资金紧张，下调上限"},
        format="json",
    )
    assert response.status_code == 201
    before = office.get(url("tradein-programme-rules", world.pk), {"on": "2025-08-31"}).json()
    after = office.get(url("tradein-programme-rules", world.pk), {"on": "2025-09-01"}).json()
    assert (before["version"], after["version"]) == (1, 2)
    bad = office.post(
        url("tradein-programme-versions", world.pk),
        {"rules": {"categories": []}, "effective_from": "2025-09-01", "reason": "x"},
        format="json",
    )
    assert bad.status_code == 400


def test_budget_release_state_and_ledger(world):
    office = session_client("wuqing")
    response = office.post(
        url("tradein-budget-release", world.pk), {"amount": "50000", "note": "第二批"}, format="json"
    )
    assert response.json()["available"] == "150000.00"
    response = office.post(
        url("tradein-budget-state", world.pk), {"state": "paused", "announcement": "暂停受理新订单"}, format="json"
    )
    assert (response.json()["state"], response.json()["announcement"]) == ("paused", "暂停受理新订单")
    ledger = office.get(url("tradein-budget-ledger", world.pk)).json()
    assert ledger["count"] == 32
    assert token_client("merchant_a").get(url("tradein-budget-ledger", world.pk)).status_code == 403
    assert (
        session_client("tianjin_leader")
        .post(url("tradein-budget-release", world.pk), {"amount": "1"}, format="json")
        .status_code
        == 403
    )


def test_the_public_sees_budgets_and_a_claim_status_by_number_and_last_4(world):
    claim = post_claim(token_client("merchant_a"), world, 70).json()
    anonymous = APIClient()
    budgets = anonymous.get(url("tradein-public-budgets")).json()
    mine = next(b for b in budgets if b["programme"] == world.pk)
    assert (mine["available"], mine["state"], mine["jurisdiction"]) == ("100000.00", "open", "天津市/武清区")
    status = anonymous.get(url("tradein-public-claim-status"), {"number": claim["number"], "last4": identity(70)[-4:]})
    assert status.status_code == 200
    assert status.json()["state"] == "submitted"
    assert "buyer_name" not in status.json()
    assert status.json()["buyer_id"].count("*") == 11
    by_phone = anonymous.get(url("tradein-public-claim-status"), {"number": claim["number"], "last4": "0070"})
    assert by_phone.status_code == 200
    wrong = anonymous.get(url("tradein-public-claim-status"), {"number": claim["number"], "last4": "9999"})
    assert wrong.status_code == 404


def test_a_resident_claims_a_voucher_once_through_the_public_api():
    programme = Programme.objects.get(jurisdiction__name="北辰区", year=2025)
    window = programme.voucher_windows.get(category="phone")
    anonymous = APIClient()
    body = {"window": window.pk, "name": "王某", "identity_number": identity(80), "phone": "13812345678"}
    first = anonymous.post(url("tradein-public-voucher-claim"), body, format="json")
    assert first.status_code == 201, first.content
    assert first.json()["phone"] == "138****5678"
    second = anonymous.post(url("tradein-public-voucher-claim"), body, format="json")
    assert (second.status_code, second.json()["code"]) == (409, "already_holds")
    bad = anonymous.post(url("tradein-public-voucher-claim"), {**body, "identity_number": "1234"}, format="json")
    assert (bad.status_code, bad.json()["code"]) == (400, "bad_id")
    status = anonymous.get(url("tradein-public-voucher-status"), {"code": first.json()["code"], "last4": "5678"})
    assert status.json()["state"] == "live"
    windows = anonymous.get(url("tradein-public-voucher-windows")).json()
    assert any(w["id"] == window.pk and w["category"] == "phone" for w in windows)


def test_anonymous_callers_get_nothing_from_the_office_api(world):
    assert APIClient().get(url("tradein-claim-list")).status_code in (401, 403)
    assert APIClient().get(url("tradein-programme-list")).status_code in (401, 403)


def test_states_listed_are_the_claim_states():
    assert set(ClaimState.values) == {"submitted", "accepted", "reviewed", "approved", "paid", "rejected", "void"}


def test_a_refusal_is_explained_in_chinese(world):
    response = post_claim(token_client("merchant_a"), world, 4, subsidy="999.00", price_paid="4000.00")
    detail = response.json()["detail"]
    assert response.json()["code"] == "formula_mismatch"
    assert detail.startswith("补贴 999.00") and "999.80" in detail and "电冰箱" in detail


def test_the_office_registers_a_merchant_gives_it_an_account_and_may_suspend_it():
    from liangxin.core.idcodes import uscc_from

    office = session_client("wuqing")
    body = {
        "uscc": uscc_from("91120114MA0GM0001"),
        "name": "武清国美电器",
        "account_name": "武清国美电器有限公司",
        "account_no": "6222000011112222",
        "bank_name": "天津农商银行武清支行",
    }
    created = office.post(url("tradein-merchant-list"), body, format="json")
    assert created.status_code == 201, created.content
    merchant = created.json()
    assert (merchant["jurisdiction_name"], merchant["active"]) == ("天津市/武清区", True)
    assert office.post(url("tradein-merchant-list"), body, format="json").status_code == 200
    wrong_check = body["uscc"][:-1] + ("1" if body["uscc"][-1] == "0" else "0")
    bad = office.post(url("tradein-merchant-list"), {**body, "uscc": wrong_check}, format="json")
    assert bad.status_code == 400
    assert (
        session_client("beichen")
        .post(url("tradein-merchant-list"), {**body, "jurisdiction": merchant["jurisdiction"]}, format="json")
        .status_code
        == 403
    )

    account = office.post(
        url("tradein-merchant-accounts", merchant["id"]),
        {"username": "merchant_gome_wq", "password": "a-long-secret-1"},
        format="json",
    )
    assert account.status_code == 201
    token = APIClient().post(
        url("token"), {"username": "merchant_gome_wq", "password": "a-long-secret-1"}, format="json"
    )
    assert token.status_code == 200
    gome = token_client("merchant_gome_wq")
    assert [m["name"] for m in gome.get(url("tradein-merchant-list")).json()["results"]] == ["武清国美电器"]

    assert (
        session_client("beichen")
        .post(url("tradein-merchant-active", merchant["id"]), {"active": False}, format="json")
        .status_code
        == 404
    )
    assert (
        office.post(url("tradein-merchant-active", merchant["id"]), {"active": False}, format="json").json()["active"]
        is False
    )
    programme = make_programme()
    assert post_claim(gome, programme, 90).status_code == 404


def test_a_throttled_budget_answers_429_beyond_its_rate(world):
    office = session_client("wuqing")
    office.post(url("tradein-budget-state", world.pk), {"state": "throttled", "auto_switch": False}, format="json")
    from liangxin.tradein.services.budget import budget_update_settings

    budget_update_settings(actor=User.objects.get(username="wuqing"), budget=world.budget, throttle_per_minute=1)
    client = token_client("merchant_a")
    assert post_claim(client, world, 95).status_code == 201
    response = post_claim(client, world, 96)
    assert response.status_code == 429
    assert post_claim(client, world, 95).status_code == 200
