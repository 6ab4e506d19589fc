"""Only the task force office of a jurisdiction (or an administrator) imports plans into it."""

from liangxin.core.rules import can_manage_jurisdiction


def can_import_into(user, jurisdiction) -> bool:
    return can_manage_jurisdiction(user, jurisdiction)


def can_review(user, draft) -> bool:
    return can_manage_jurisdiction(user, draft.jurisdiction)
