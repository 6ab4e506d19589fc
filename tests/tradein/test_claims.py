"""Claims: the checks at submission, idempotency, slots, flags, the state machine and deadlines."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from liangxin.core import pii
from liangxin.core.models import AuditEntry, User
from liangxin.core.services import DomainError
from liangxin.tradein.enums import BudgetState, ClaimState, FlagKind, FlagState, LedgerKind, RejectCode
from liangxin.tradein.models import BudgetEntry, Claim, ClaimEvent, ClaimFlag
from liangxin.tradein.selectors import budget_summary, claims_filtered, overdue_counts
from liangxin.tradein.services.budget import budget_set_state
from liangxin.tradein.services.checks import ClaimRefused
from liangxin.tradein.services.claims import (
    claim_mark_paid,
    claim_reject,
    claim_reveal,
    claim_submit,
    claim_submit_batch,
    claim_transition,
    flag_decide,
)

from .factories import identity, make_merchant, make_programme, row

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    return User.objects.get(username="wuqing")


@pytest.fixture
def setup():
    return make_programme(), make_merchant(n=11)


def submit(setup, n, **overrides):
    programme, merchant = setup
    data = row(n, **overrides)
    key = data.pop("idempotency_key")
    return claim_submit(actor=None, merchant=merchant, programme=programme, idempotency_key=key, data=data)


def refused(setup, n, **overrides) -> str:
    with pytest.raises(ClaimRefused) as exc:
        submit(setup, n, **overrides)
    return exc.value.code


def approve(claim, office):
    for step in (ClaimState.ACCEPTED, ClaimState.REVIEWED, ClaimState.APPROVED):
        claim = claim_transition(actor=office, claim=claim, to_state=step)
    return claim


def test_a_good_claim_is_stored_with_masked_and_encrypted_identity(setup):
    result = submit(setup, 1)
    claim = Claim.objects.get(pk=result.claim.pk)
    assert result.created is True
    assert claim.state == ClaimState.SUBMITTED
    assert claim.subsidy == D("999.80")
    assert claim.invoice_total == D("4999.00")
    assert claim.buyer_id_masked == identity(1)[:3] + "*" * 11 + identity(1)[-4:]
    assert claim.buyer_phone_masked == "137****0001"
    assert identity(1) not in claim.buyer_id_enc
    assert pii.decrypt(claim.buyer_id_enc) == identity(1)
    assert claim.slot == 1
    assert claim.number.startswith("TI2025-")
    assert ClaimEvent.objects.filter(claim=claim, to_state=ClaimState.SUBMITTED).count() == 1
    audit = AuditEntry.objects.get(action="tradein.claim_submit", object_id=str(claim.pk))
    assert "buyer_id_enc" not in audit.after


def test_the_same_idempotency_key_returns_the_original_claim(setup):
    first = submit(setup, 2)
    again = submit(setup, 2, price_paid=D("1"))
    assert again.created is False
    assert again.claim.pk == first.claim.pk
    assert Claim.objects.filter(merchant=setup[1], idempotency_key="key-2").count() == 1


def test_the_deadlines_follow_the_rules(setup):
    claim = submit(setup, 3).claim
    assert claim.accept_due - claim.submitted_at == datetime.timedelta(days=3)
    assert claim.review_due - claim.accept_due == datetime.timedelta(days=15)
    assert claim.pay_due - claim.review_due == datetime.timedelta(days=30)


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"buyer_id": "120114197001010011"}, RejectCode.BAD_ID),
        ({"category": "yacht"}, RejectCode.UNKNOWN_CATEGORY),
        ({"subsidy": D("999.79"), "price_paid": D("3999.21")}, RejectCode.FORMULA_MISMATCH),
        ({"invoice_title_type": "company"}, RejectCode.COMPANY_INVOICE),
        ({"delivery_address": "天津市北辰区果园新村街1号"}, RejectCode.OUTSIDE_JURISDICTION),
        ({"price_paid": D("-1")}, RejectCode.PRICE_OUT_OF_RANGE),
        ({"invoice_total": D("5000")}, RejectCode.DOCUMENTS),
        ({"energy_grade": 3}, RejectCode.NOT_ELIGIBLE),
        ({"recycler_handover_no": ""}, RejectCode.MISSING_PROOF),
        ({"purchased_on": datetime.date(2024, 12, 31)}, RejectCode.OUT_OF_PERIOD),
    ],
)
def test_a_claim_breaking_a_rule_is_refused_with_its_code_and_nothing_is_stored(setup, overrides, code):
    before = Claim.objects.count()
    assert refused(setup, 4, **overrides) == code
    assert Claim.objects.count() == before


def test_a_suspended_merchant_cannot_claim(setup):
    setup[1].active = False
    setup[1].save()
    assert refused(setup, 5) == RejectCode.BAD_MERCHANT


def test_one_subsidy_per_person_per_category_but_three_air_conditioners(setup):
    submit(setup, 6)
    assert refused(setup, 6, idempotency_key="other") == RejectCode.PERSON_LIMIT
    slots = [
        submit(setup, 6, idempotency_key=f"ac-{i}", category="air_conditioner", price=D("2899")).claim.slot
        for i in range(3)
    ]
    assert slots == [1, 2, 3]
    assert refused(setup, 6, idempotency_key="ac-4", category="air_conditioner", price=D("2899")) == "person_limit"


def test_the_database_itself_refuses_a_second_claim_in_the_same_slot(setup):
    claim = submit(setup, 7).claim
    twin = Claim.objects.get(pk=claim.pk)
    twin.pk, twin.number, twin.idempotency_key = None, "TI2025-TWIN", "twin"
    twin.serial_number, twin.invoice_no = "OTHER-SN", "OTHER-INV"
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_a_rejected_claim_frees_the_slot(setup, office):
    claim = submit(setup, 8).claim
    claim_reject(actor=office, claim=claim, code=RejectCode.DOCUMENTS, reason="发票不清")
    assert submit(setup, 8, idempotency_key="retry").claim.slot == 1


def test_the_same_serial_number_or_invoice_twice_is_refused(setup):
    first = submit(setup, 9).claim
    assert refused(setup, 10, serial_number=first.serial_number) == RejectCode.DUPLICATE_SERIAL
    assert refused(setup, 11, invoice_no=first.invoice_no) == RejectCode.DUPLICATE_INVOICE


def test_a_price_above_the_merchants_recent_price_is_flagged(setup):
    submit(setup, 12)
    result = submit(setup, 13, price=D("5999.00"))
    assert result.flags == [FlagKind.PRICE_HIKE]
    flag = ClaimFlag.objects.get(claim=result.claim)
    assert flag.evidence["recent_lowest"] == "4999.00"
    assert flag.evidence["price"] == "5999.00"
    assert submit(setup, 14, price=D("5200.00")).flags == []


def test_many_buyers_sharing_a_phone_are_flagged_as_bulk_buying(setup):
    for n in range(20, 23):
        assert submit(setup, n, buyer_phone="13911112222").flags == []
    result = submit(setup, 23, buyer_phone="13911112222")
    assert result.flags == [FlagKind.BULK_BUYING]
    evidence = ClaimFlag.objects.get(claim=result.claim).evidence
    assert evidence["shared"]["phone"]["other_buyers"] == 3
    assert "13911112222" not in str(evidence)


def test_a_car_registered_before_its_sale_is_flagged_zero_mileage_or_refused_when_long_before(setup):
    car = {
        "category": "car_scrappage_nev",
        "grade": None,
        "price": D("180000"),
        "scrappage_certificate_no": "BF-1",
        "serial_number": "",
        "product_model": "",
        "recycler_handover_no": "",
    }
    result = submit(setup, 30, first_registration_date=datetime.date(2025, 5, 20), **car)
    assert result.flags == [FlagKind.ZERO_MILEAGE]
    assert result.claim.subsidy == D("20000.00")
    assert result.claim.route == "scrappage"
    assert ClaimFlag.objects.get(claim=result.claim).evidence["days_registered_before_purchase"] == 12
    assert refused(setup, 31, first_registration_date=datetime.date(2024, 1, 1), **car) == RejectCode.NOT_ELIGIBLE
    assert submit(setup, 32, first_registration_date=datetime.date(2025, 6, 3), **car).flags == []


def test_approval_reserves_the_subsidy_and_payment_books_it(setup, office):
    programme, _ = setup
    claim = approve(submit(setup, 40).claim, office)
    assert claim.state == ClaimState.APPROVED
    summary = budget_summary(programme.budget)
    assert summary["available"] == D("99000.20")
    assert summary["reserved"] == D("999.80")
    claim = claim_mark_paid(claim=claim, actor=office)
    assert claim.state == ClaimState.PAID
    summary = budget_summary(programme.budget)
    assert (summary["reserved"], summary["paid"], summary["available"]) == (D("0.00"), D("999.80"), D("99000.20"))
    assert claim_mark_paid(claim=claim).paid_at == claim.paid_at
    states = list(ClaimEvent.objects.filter(claim=claim).values_list("to_state", flat=True))
    assert states == ["submitted", "accepted", "reviewed", "approved", "paid"]


def test_a_claim_cannot_skip_a_step_or_be_paid_before_approval(setup, office):
    claim = submit(setup, 41).claim
    with pytest.raises(DomainError):
        claim_transition(actor=office, claim=claim, to_state=ClaimState.APPROVED)
    with pytest.raises(DomainError):
        claim_mark_paid(claim=claim)


def test_approval_is_refused_when_the_budget_cannot_pay_and_nothing_changes():
    office = User.objects.get(username="wuqing")
    setup = (make_programme(budget=D("1500")), make_merchant(n=12))
    first = approve(submit(setup, 42).claim, office)
    second = submit(setup, 43).claim
    claim_transition(actor=office, claim=second, to_state=ClaimState.ACCEPTED)
    claim_transition(actor=office, claim=second, to_state=ClaimState.REVIEWED)
    with pytest.raises(DomainError):
        claim_transition(actor=office, claim=second, to_state=ClaimState.APPROVED)
    second.refresh_from_db()
    assert (first.state, second.state) == (ClaimState.APPROVED, ClaimState.REVIEWED)
    assert budget_summary(setup[0].budget)["available"] == D("500.20")


def test_open_flags_block_approval_and_upholding_one_rejects_the_claim(setup, office):
    submit(setup, 50)
    claim = submit(setup, 51, price=D("5999.00")).claim
    claim_transition(actor=office, claim=claim, to_state=ClaimState.ACCEPTED)
    claim_transition(actor=office, claim=claim, to_state=ClaimState.REVIEWED)
    with pytest.raises(DomainError):
        claim_transition(actor=office, claim=claim, to_state=ClaimState.APPROVED)
    flag = ClaimFlag.objects.get(claim=claim)
    with pytest.raises(DomainError):
        flag_decide(actor=office, flag=flag, upheld=True, reason="  ")
    flag_decide(actor=office, flag=flag, upheld=True, reason="门店上周同型号售价4999元")
    claim.refresh_from_db()
    assert claim.state == ClaimState.REJECTED
    assert claim.reject_code == RejectCode.FLAG_UPHELD
    assert ClaimFlag.objects.get(pk=flag.pk).state == FlagState.UPHELD


def test_a_cleared_flag_lets_the_claim_be_approved(setup, office):
    submit(setup, 52)
    claim = submit(setup, 53, price=D("5999.00")).claim
    flag_decide(actor=office, flag=ClaimFlag.objects.get(claim=claim), upheld=False, reason="型号配置更高")
    assert approve(claim, office).state == ClaimState.APPROVED


def test_rejecting_an_approved_claim_gives_its_reservation_back(setup, office):
    claim = approve(submit(setup, 54).claim, office)
    claim_reject(actor=office, claim=claim, code=RejectCode.DOCUMENTS, reason="回收凭证伪造")
    assert budget_summary(setup[0].budget)["available"] == D("100000.00")
    kinds = list(BudgetEntry.objects.filter(claim=claim).order_by("id").values_list("kind", flat=True))
    assert kinds == [LedgerKind.RESERVE, LedgerKind.RELEASE_BACK]


def test_a_paused_budget_refuses_new_purchases_and_a_closed_one_everything(setup, office):
    budget_set_state(actor=office, budget=setup[0].budget, state=BudgetState.CLOSED)
    assert refused(setup, 60) == RejectCode.BUDGET_EXHAUSTED


def test_a_throttled_budget_limits_claims_per_minute(setup, office):
    from liangxin.tradein.services.budget import budget_update_settings

    budget = budget_set_state(actor=office, budget=setup[0].budget, state=BudgetState.THROTTLED, auto_switch=False)
    budget_update_settings(actor=office, budget=budget, throttle_per_minute=2)
    submit(setup, 61)
    submit(setup, 62)
    assert refused(setup, 63) == "throttled"


def test_a_batch_keeps_the_good_rows_and_answers_each_bad_one(setup):
    programme, merchant = setup
    rows = [row(70), row(71, buyer_id="123"), row(72), row(73, category="yacht")]
    results = claim_submit_batch(actor=None, merchant=merchant, programme=programme, rows=rows)
    assert [(r.index, r.ok, r.code) for r in results] == [
        (0, True, ""),
        (1, False, RejectCode.BAD_ID),
        (2, True, ""),
        (3, False, RejectCode.UNKNOWN_CATEGORY),
    ]
    assert Claim.objects.filter(merchant=merchant, idempotency_key__in=["key-70", "key-72"]).count() == 2


def test_overdue_claims_are_counted_per_stage(setup, office):
    programme, merchant = setup
    data = row(80)
    key = data.pop("idempotency_key")
    long_ago = timezone.now() - datetime.timedelta(days=5)
    claim_submit(actor=None, merchant=merchant, programme=programme, idempotency_key=key, data=data, now=long_ago)
    submit(setup, 81)
    assert overdue_counts(programme) == {"accept": 1, "review": 0, "pay": 0}
    overdue = claims_filtered(Claim.objects.filter(programme=programme), overdue=True)
    assert list(overdue.values_list("idempotency_key", flat=True)) == ["key-80"]


def test_reveal_returns_the_full_identity_and_is_audited(setup, office):
    claim = submit(setup, 90).claim
    assert claim_reveal(actor=office, claim=claim) == {"buyer_id": identity(90), "buyer_phone": "13700000090"}
    assert AuditEntry.objects.filter(action="tradein.claim_reveal", object_id=str(claim.pk), actor=office).count() == 1
