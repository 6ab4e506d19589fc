"""Vouchers (资格码/消费券): release windows with a daily quota, first come first served.

The quota of a day is split over shards (VoucherQuota rows) like the budget's buckets; a claim takes
one unit from a random shard with a conditional update (remaining >= 1), trying the next shard when
one is empty, so a burst at 10:00 neither oversells nor queues on a single row. The database holds
one live voucher per person per category per programme (a partial unique constraint).
"""

import random
import secrets
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from liangxin.core import pii
from liangxin.core.audit import audit_record, snapshot
from liangxin.core.idcodes import resident_id_problem
from liangxin.core.services import DomainError

from ..enums import VoucherState
from ..formula import category_of
from ..models import Programme, Voucher, VoucherQuota, VoucherWindow
from .programmes import rule_version_for

_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


class VoucherRefused(DomainError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def phone_problem(phone: str) -> str | None:
    digits = pii.normalise_phone(phone)
    if len(digits) != 11 or not digits.startswith("1"):
        return _("%(phone)r is not a mainland mobile number (11 digits starting with 1).") % {"phone": phone}
    return None


@transaction.atomic
def voucher_window_create(
    *,
    actor,
    programme: Programme,
    category: str,
    opens_at: datetime,
    closes_at: datetime,
    daily_quota: int,
    valid_days: int,
    return_on_expiry: bool = True,
    return_on_refund: bool = False,
    shard_count: int = 16,
) -> VoucherWindow:
    version = rule_version_for(programme=programme, on=timezone.localdate(opens_at)) or programme.rule_versions.first()
    if version is None or category_of(version.rules, category) is None:
        raise DomainError(_("The category %(code)r is not part of this programme.") % {"code": category})
    window = VoucherWindow(
        programme=programme,
        category=category,
        opens_at=opens_at,
        closes_at=closes_at,
        daily_quota=daily_quota,
        valid_days=valid_days,
        return_on_expiry=return_on_expiry,
        return_on_refund=return_on_refund,
        shard_count=max(1, min(shard_count, daily_quota)),
    )
    window.full_clean()
    window.save()
    audit_record(actor=actor, action="tradein.voucher_window_create", instance=window, after=snapshot(window))
    return window


def _ensure_quota(window: VoucherWindow, day) -> None:
    """Create the day's shards once; concurrent first claims of the day race harmlessly."""
    if VoucherQuota.objects.filter(window=window, day=day).exists():
        return
    share, extra = divmod(window.daily_quota, window.shard_count)
    VoucherQuota.objects.bulk_create(
        [
            VoucherQuota(window=window, day=day, shard=i, remaining=share + (1 if i < extra else 0))
            for i in range(window.shard_count)
        ],
        ignore_conflicts=True,
    )


def _take(window: VoucherWindow, day, shard: int) -> bool:
    return bool(
        VoucherQuota.objects.filter(window=window, day=day, shard=shard, remaining__gte=1).update(
            remaining=F("remaining") - 1
        )
    )


def _take_one(window: VoucherWindow, day) -> int | None:
    """Take one unit of the day's quota: a random shard first (one UPDATE in the common case);
    when it is empty, the shards that still have some, in random order; None when none has."""
    shard = random.randrange(window.shard_count)
    if _take(window, day, shard):
        return shard
    for _round in range(3):
        left = list(
            VoucherQuota.objects.filter(window=window, day=day, remaining__gte=1).values_list("shard", flat=True)
        )
        if not left:
            if VoucherQuota.objects.filter(window=window, day=day).exists():
                return None
            _ensure_quota(window, day)  # the first claim of the day
            continue
        random.shuffle(left)
        for shard in left:
            if _take(window, day, shard):
                return shard
    return None


def _give_back(window: VoucherWindow, day, shard: int) -> None:
    _ensure_quota(window, day)
    VoucherQuota.objects.filter(window=window, day=day, shard=shard).update(remaining=F("remaining") + 1)


def _new_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))


def voucher_claim(*, window: VoucherWindow, name: str, identity: str, phone: str, now=None) -> Voucher:
    """A resident claims a voucher in an open window. Refused (VoucherRefused with a code) when the
    input is malformed, the window is not open, the person already holds a live voucher for the
    category, or today's quota is gone. Nothing is written when refused."""
    now = now or timezone.now()
    name = (name or "").strip()
    if not name:
        raise VoucherRefused("bad_input", _("Give the holder's name."))
    problem = resident_id_problem(pii.normalise_identity(identity))
    if problem:
        raise VoucherRefused("bad_id", problem)
    problem = phone_problem(phone)
    if problem:
        raise VoucherRefused("bad_phone", problem)
    if not window.programme.uses_vouchers:
        raise VoucherRefused("no_vouchers", _("This programme does not use vouchers."))
    if now < window.opens_at:
        raise VoucherRefused(
            "not_open",
            _("The window opens at %(time)s.") % {"time": f"{timezone.localtime(window.opens_at):%Y-%m-%d %H:%M}"},
        )
    if now >= window.closes_at:
        raise VoucherRefused("closed", _("The window has closed."))
    person_hash = pii.identity_hash(identity)
    live = Voucher.objects.filter(
        programme_id=window.programme_id, category=window.category, person_hash=person_hash, state=VoucherState.LIVE
    )
    if live.exists():
        raise VoucherRefused("already_holds", _("This person already holds a live voucher for this category."))
    try:
        return _voucher_claim_atomic(window=window, name=name, identity=identity, phone=phone, now=now, ph=person_hash)
    except IntegrityError as exc:
        # A concurrent claim by the same person won the race; its quota unit went back with our rollback.
        raise VoucherRefused("already_holds", _("This person already holds a live voucher for this category.")) from exc


@transaction.atomic
def _voucher_claim_atomic(*, window, name, identity, phone, now, ph) -> Voucher:
    day = timezone.localdate(now)
    shard = _take_one(window, day)
    if shard is None:
        raise VoucherRefused("sold_out", _("Today's vouchers for this category are all taken; try tomorrow."))
    voucher = Voucher(
        window=window,
        programme_id=window.programme_id,
        category=window.category,
        code=_new_code(),
        holder_name=name[:100],
        person_hash=ph,
        person_enc=pii.encrypt(pii.normalise_identity(identity)),
        person_masked=pii.mask_identity(identity),
        phone_hash=pii.phone_hash(phone),
        phone_enc=pii.encrypt(pii.normalise_phone(phone)),
        phone_masked=pii.mask_phone(phone),
        day=day,
        shard=shard,
        issued_at=now,
        expires_at=now + timedelta(days=window.valid_days),
    )
    voucher.save()
    audit_record(
        actor=None,
        action="tradein.voucher_claim",
        instance=voucher,
        after={"code": voucher.code, "window": window.pk, "person": voucher.person_masked},
    )
    return voucher


@transaction.atomic
def voucher_expire(*, now=None) -> int:
    """Expire the live vouchers past their date; return their quota to the current day of their
    window when the window says so and is still open. Returns how many expired."""
    now = now or timezone.now()
    expired = 0
    due = Voucher.objects.select_for_update().filter(state=VoucherState.LIVE, expires_at__lte=now)
    for voucher in due.select_related("window"):
        updated = Voucher.objects.filter(pk=voucher.pk, state=VoucherState.LIVE).update(
            state=VoucherState.EXPIRED, ended_at=now
        )
        if not updated:
            continue
        expired += 1
        window = voucher.window
        returned = window.return_on_expiry and now < window.closes_at
        if returned:
            _give_back(window, timezone.localdate(now), voucher.shard)
        audit_record(
            actor=None,
            action="tradein.voucher_expire",
            instance=voucher,
            before={"state": VoucherState.LIVE},
            after={"state": VoucherState.EXPIRED, "quota_returned": returned},
        )
    return expired


def voucher_use(*, voucher: Voucher, now=None) -> bool:
    """Mark a live voucher used (inside the claim's transaction); False when it was not live."""
    now = now or timezone.now()
    return bool(
        Voucher.objects.filter(pk=voucher.pk, state=VoucherState.LIVE, expires_at__gt=now).update(
            state=VoucherState.USED, ended_at=now
        )
    )


def voucher_restore(*, voucher: Voucher, now=None) -> None:
    """A claim that used the voucher was rejected: the voucher is live again if it has not expired."""
    now = now or timezone.now()
    if voucher.expires_at > now:
        Voucher.objects.filter(pk=voucher.pk, state=VoucherState.USED).update(state=VoucherState.LIVE, ended_at=None)
    else:
        Voucher.objects.filter(pk=voucher.pk, state=VoucherState.USED).update(state=VoucherState.EXPIRED)


def voucher_refunded(*, voucher: Voucher, now=None) -> str:
    """The purchase made with the voucher was refunded: its quota goes back when the window says so
    (state returned), otherwise the voucher is void. Returns the new state."""
    now = now or timezone.now()
    window = voucher.window
    if window.return_on_refund and now < window.closes_at:
        Voucher.objects.filter(pk=voucher.pk).update(state=VoucherState.RETURNED, ended_at=now)
        _give_back(window, timezone.localdate(now), voucher.shard)
        return VoucherState.RETURNED
    Voucher.objects.filter(pk=voucher.pk).update(state=VoucherState.VOID, ended_at=now)
    return VoucherState.VOID


def quota_remaining(*, window: VoucherWindow, day) -> int:
    _total = VoucherQuota.objects.filter(window=window, day=day).aggregate(s=Sum("remaining"))["s"]
    return window.daily_quota if _total is None else _total
