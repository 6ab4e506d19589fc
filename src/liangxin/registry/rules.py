"""Who may see and change the lists. Checked on the server, for the web and the API alike.

- The office of a jurisdiction sees and edits every list of its jurisdiction; an admin everywhere.
- A unit reporter sees and edits only the projects its unit is responsible for (its domain), and
  registers new ones for its unit; it reads the other lists of its jurisdiction.
- A leader reads everything in its jurisdiction and below.
- Anyone else sees nothing (404) and changes nothing (403).
"""

from liangxin.core.enums import Role
from liangxin.core.rules import can_manage_jurisdiction, can_view_jurisdiction, is_admin


def is_reporter_of(user, jurisdiction) -> bool:
    return bool(
        user.is_authenticated
        and user.role == Role.REPORTER
        and jurisdiction is not None
        and user.jurisdiction_id == jurisdiction.pk
        and user.unit_id
    )


def can_view_lists(user, jurisdiction) -> bool:
    return can_view_jurisdiction(user, jurisdiction)


def can_manage_lists(user, jurisdiction) -> bool:
    """Create and edit enterprises, products, demands, policies, offers and criteria there."""
    return can_manage_jurisdiction(user, jurisdiction)


def is_office(user) -> bool:
    return bool(user.is_authenticated and (is_admin(user) or user.role == Role.OFFICE))


def can_edit_enterprise(user, enterprise) -> bool:
    # An enterprise known only by its code (no jurisdiction) is shared reference data: any office may fill it in.
    if enterprise.jurisdiction_id is None:
        return is_office(user)
    return can_manage_jurisdiction(user, enterprise.jurisdiction)


def can_view_project(user, project) -> bool:
    if can_view_jurisdiction(user, project.jurisdiction) and user.role != Role.REPORTER:
        return True
    return can_edit_project(user, project)


def can_edit_project(user, project) -> bool:
    if can_manage_jurisdiction(user, project.jurisdiction):
        return True
    return is_reporter_of(user, project.jurisdiction) and project.responsible_unit_id == user.unit_id


def can_register_project(user, jurisdiction) -> bool:
    return can_manage_jurisdiction(user, jurisdiction) or is_reporter_of(user, jurisdiction)


def can_screen_projects(user, jurisdiction) -> bool:
    return can_manage_jurisdiction(user, jurisdiction)
