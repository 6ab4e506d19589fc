"""Who may do what with trade-in programmes, claims and vouchers. Checked on the server."""

from liangxin.core.enums import Role
from liangxin.core.rules import can_manage_jurisdiction, can_view_jurisdiction


def merchant_of(user):
    """The merchant a merchant-role user acts for, or None."""
    if not user.is_authenticated or user.role != Role.MERCHANT:
        return None
    account = getattr(user, "merchant_account", None)
    return account.merchant if account is not None else None


def can_view_programme(user, programme) -> bool:
    merchant = merchant_of(user)
    if merchant is not None:
        return merchant.active and merchant.jurisdiction_id == programme.jurisdiction_id
    return can_view_jurisdiction(user, programme.jurisdiction)


def can_manage_programme(user, programme) -> bool:
    """The office of the programme's jurisdiction (and administrators) run it."""
    return can_manage_jurisdiction(user, programme.jurisdiction)


def can_submit_claims(user, programme) -> bool:
    merchant = merchant_of(user)
    return bool(merchant and merchant.active and merchant.jurisdiction_id == programme.jurisdiction_id)


def can_view_claim(user, claim) -> bool:
    merchant = merchant_of(user)
    if merchant is not None:
        return claim.merchant_id == merchant.pk
    return can_view_jurisdiction(user, claim.programme.jurisdiction)


def can_review_claim(user, claim) -> bool:
    return can_manage_programme(user, claim.programme)


def can_reveal_identity(user, claim) -> bool:
    """Only the claim's own reviewers — the office of the programme's jurisdiction — see a buyer's
    identity and phone in full; administrators and leaders do not."""
    return bool(
        user.is_authenticated
        and user.role == Role.OFFICE
        and user.jurisdiction_id is not None
        and user.jurisdiction_id == claim.programme.jurisdiction_id
    )
