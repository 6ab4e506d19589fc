"""Merchants and their API accounts."""

from django.db import transaction
from django.utils.translation import gettext as _

from liangxin.core.audit import audit_record, snapshot
from liangxin.core.enums import Role
from liangxin.core.idcodes import uscc_problem
from liangxin.core.models import User
from liangxin.core.services import DomainError
from liangxin.registry.services import enterprise_upsert

from ..models import Merchant, MerchantAccount


@transaction.atomic
def merchant_register(
    *,
    actor,
    jurisdiction,
    uscc: str,
    name: str,
    kind: str = "store",
    account_name: str,
    account_no: str,
    bank_name: str,
) -> tuple[Merchant, bool]:
    """The merchant of this enterprise in this jurisdiction, created or updated. The enterprise
    record is merged by its 统一社会信用代码 (an invalid code is refused)."""
    problem = uscc_problem(uscc)
    if problem:
        raise DomainError(problem)
    enterprise, _created = enterprise_upsert(actor=actor, uscc=uscc, name=name, jurisdiction=jurisdiction)
    merchant = Merchant.objects.select_for_update().filter(jurisdiction=jurisdiction, enterprise=enterprise).first()
    created = merchant is None
    before = None if created else snapshot(merchant)
    merchant = merchant or Merchant(jurisdiction=jurisdiction, enterprise=enterprise)
    merchant.name, merchant.kind = name.strip(), kind
    merchant.account_name, merchant.account_no, merchant.bank_name = account_name, account_no, bank_name
    merchant.full_clean()
    merchant.save()
    after = snapshot(merchant)
    if before != after:
        audit_record(
            actor=actor,
            action="tradein.merchant_register" if created else "tradein.merchant_update",
            instance=merchant,
            before=before,
            after=after,
        )
    return merchant, created


@transaction.atomic
def merchant_set_active(*, actor, merchant: Merchant, active: bool) -> Merchant:
    before = snapshot(merchant)
    merchant.active = active
    merchant.save(update_fields=["active"])
    audit_record(
        actor=actor, action="tradein.merchant_active", instance=merchant, before=before, after=snapshot(merchant)
    )
    return merchant


@transaction.atomic
def merchant_account_create(*, actor, merchant: Merchant, username: str, password: str) -> User:
    """A user of role merchant acting for this merchant (API token or session)."""
    if User.objects.filter(username=username).exists():
        raise DomainError(_("The user name %(name)s is taken.") % {"name": username})
    user = User(username=username, role=Role.MERCHANT, jurisdiction=merchant.jurisdiction)
    user.set_password(password)
    user.full_clean()
    user.save()
    account = MerchantAccount.objects.create(user=user, merchant=merchant)
    audit_record(actor=actor, action="tradein.merchant_account_create", instance=account, after=snapshot(account))
    return user
