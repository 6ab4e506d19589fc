"""Who may see and change what. Checked on the server, for the web and the API alike."""

from .enums import Role


def is_admin(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role == Role.ADMIN))


def can_view_jurisdiction(user, jurisdiction) -> bool:
    if not user.is_authenticated:
        return False
    if is_admin(user):
        return True
    if user.jurisdiction_id is None:
        return False
    if user.role == Role.LEADER:
        return jurisdiction.tree_path.startswith(user.jurisdiction.tree_path)
    return jurisdiction.pk == user.jurisdiction_id


def can_manage_jurisdiction(user, jurisdiction) -> bool:
    """Office staff edit everything in their own jurisdiction; administrators everywhere."""
    if is_admin(user):
        return True
    return bool(user.is_authenticated and user.role == Role.OFFICE and jurisdiction.pk == user.jurisdiction_id)


def can_edit_owned_item(user, jurisdiction, owner_unit_ids) -> bool:
    """An item owned by some units: the office of its jurisdiction, or a reporter of an owning unit."""
    if can_manage_jurisdiction(user, jurisdiction):
        return True
    return bool(
        user.is_authenticated
        and user.role == Role.REPORTER
        and user.jurisdiction_id == jurisdiction.pk
        and user.unit_id in set(owner_unit_ids)
    )
