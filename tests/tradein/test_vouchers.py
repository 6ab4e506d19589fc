"""Vouchers: a daily quota first come first served, one live voucher per person, expiry and refunds."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from liangxin.core.models import User
from liangxin.tradein.enums import VoucherState
from liangxin.tradein.models import Voucher
from liangxin.tradein.services.checks import ClaimRefused
from liangxin.tradein.services.claims import claim_submit
from liangxin.tradein.services.refunds import claim_refund
from liangxin.tradein.services.vouchers import (
    VoucherRefused,
    quota_remaining,
    voucher_claim,
    voucher_expire,
    voucher_window_create,
)

from .factories import identity, make_merchant, make_programme, row

pytestmark = pytest.mark.django_db


def window(*, quota=3, **kw):
    programme = make_programme(uses_vouchers=True)
    now = timezone.now()
    return voucher_window_create(
        actor=User.objects.get(username="wuqing"),
        programme=programme,
        category=kw.pop("category", "fridge"),
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=10),
        daily_quota=quota,
        valid_days=kw.pop("valid_days", 7),
        **kw,
    )


def take(w, n, **kw):
    return voucher_claim(window=w, name="居民", identity=identity(n), phone=f"139{n:08d}", **kw)


def refusal(w, n, **kw) -> str:
    with pytest.raises(VoucherRefused) as exc:
        take(w, n, **kw)
    return exc.value.code


def test_the_daily_quota_is_issued_exactly_then_refused():
    w = window(quota=3)
    codes = {take(w, n).code for n in range(3)}
    assert len(codes) == 3
    assert refusal(w, 3) == "sold_out"
    assert quota_remaining(window=w, day=timezone.localdate()) == 0
    assert Voucher.objects.filter(window=w).count() == 3


def test_one_live_voucher_per_person_per_category():
    w = window()
    voucher = take(w, 1)
    assert voucher.person_masked.endswith(identity(1)[-4:])
    assert refusal(w, 1) == "already_holds"
    assert quota_remaining(window=w, day=timezone.localdate()) == 2


def test_the_database_refuses_a_second_live_voucher():
    w = window()
    voucher = take(w, 2)
    twin = Voucher.objects.get(pk=voucher.pk)
    twin.pk, twin.code = None, "TWINCODE"
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_bad_input_and_closed_windows_are_refused():
    w = window()
    assert refusal(w, 1, now=w.opens_at - datetime.timedelta(minutes=1)) == "not_open"
    assert refusal(w, 1, now=w.closes_at) == "closed"
    with pytest.raises(VoucherRefused) as exc:
        voucher_claim(window=w, name="居民", identity="123456", phone="13900000000")
    assert exc.value.code == "bad_id"
    with pytest.raises(VoucherRefused) as exc:
        voucher_claim(window=w, name="居民", identity=identity(5), phone="12345")
    assert exc.value.code == "bad_phone"


def test_expiry_returns_the_quota_when_the_window_says_so():
    w = window(quota=2, return_on_expiry=True)
    voucher = take(w, 1)
    assert voucher_expire(now=voucher.expires_at + datetime.timedelta(seconds=1)) >= 1
    voucher.refresh_from_db()
    assert voucher.state == VoucherState.EXPIRED
    later = timezone.localdate(voucher.expires_at + datetime.timedelta(seconds=1))
    assert quota_remaining(window=w, day=later) == 3
    assert take(w, 1).state == VoucherState.LIVE


def test_expiry_keeps_the_quota_when_the_window_says_not_to():
    w = window(quota=2, return_on_expiry=False)
    voucher = take(w, 1)
    voucher_expire(now=voucher.expires_at + datetime.timedelta(seconds=1))
    later = timezone.localdate(voucher.expires_at + datetime.timedelta(seconds=1))
    assert quota_remaining(window=w, day=later) == 2


def test_a_claim_in_a_voucher_category_needs_the_buyers_live_voucher_and_uses_it():
    w = window(return_on_refund=True)
    merchant = make_merchant(n=31)
    voucher = take(w, 7)
    data = row(7)
    data.pop("idempotency_key")
    with pytest.raises(ClaimRefused) as exc:
        claim_submit(actor=None, merchant=merchant, programme=w.programme, idempotency_key="v1", data=data)
    assert exc.value.code == "voucher_invalid"
    other = take(w, 8)
    with pytest.raises(ClaimRefused):
        claim_submit(
            actor=None,
            merchant=merchant,
            programme=w.programme,
            idempotency_key="v2",
            data={**data, "voucher_code": other.code},
        )
    claim = claim_submit(
        actor=None,
        merchant=merchant,
        programme=w.programme,
        idempotency_key="v3",
        data={**data, "voucher_code": voucher.code},
    ).claim
    voucher.refresh_from_db()
    assert (claim.voucher_id, voucher.state) == (voucher.pk, VoucherState.USED)
    claim_refund(actor=None, claim=claim, amount=Decimal("100"), refunded_on=datetime.date(2025, 6, 3))
    voucher.refresh_from_db()
    assert voucher.state == VoucherState.RETURNED
    assert quota_remaining(window=w, day=timezone.localdate()) == 2


def test_the_expire_command_expires_what_is_past_its_date(capsys):
    from django.core.management import call_command

    w = window(quota=2, valid_days=1)
    voucher = take(w, 9)
    Voucher.objects.filter(pk=voucher.pk).update(
        issued_at=voucher.issued_at - datetime.timedelta(days=2),
        expires_at=voucher.expires_at - datetime.timedelta(days=2),
    )
    call_command("tradein_expire_vouchers")
    assert "voucher(s) expired" in capsys.readouterr().out
    voucher.refresh_from_db()
    assert voucher.state == VoucherState.EXPIRED
