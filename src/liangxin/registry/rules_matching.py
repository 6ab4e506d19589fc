"""Who may see matches and push lists, and who records matchmaking (predicates, checked on the server
for the web and the API alike; they build on liangxin.registry.rules).

- The office of a jurisdiction (and an admin): everything there, and records events and outcomes.
- A leader: reads everything in its jurisdiction and below.
- A unit reporter: reads the matches of its unit's demands and projects; nothing else here.
- Anyone else: nothing (404).
"""

from liangxin.core.enums import Role
from liangxin.core.models import Jurisdiction
from liangxin.core.rules import can_manage_jurisdiction, can_view_jurisdiction, is_admin

from . import rules


def _office_or_leader(user, jurisdiction) -> bool:
    if jurisdiction is None:
        return is_admin(user)
    if can_manage_jurisdiction(user, jurisdiction):
        return True
    return bool(user.is_authenticated and user.role == Role.LEADER and can_view_jurisdiction(user, jurisdiction))


def can_read_demand_matches(user, demand) -> bool:
    if _office_or_leader(user, demand.jurisdiction):
        return True
    return bool(
        rules.is_reporter_of(user, demand.jurisdiction)
        and ((demand.unit_id and demand.unit_id == user.unit_id) or demand.created_by_id == user.pk)
    )


def can_read_project_matches(user, project) -> bool:
    return _office_or_leader(user, project.jurisdiction) or rules.can_edit_project(user, project)


def can_record_outcomes(user, jurisdiction) -> bool:
    """Events, invitations and outcomes: the office of the jurisdiction."""
    return can_manage_jurisdiction(user, jurisdiction)


def can_read_events(user, jurisdiction) -> bool:
    return can_view_jurisdiction(user, jurisdiction)


def can_read_push(user, jurisdiction) -> bool:
    return _office_or_leader(user, jurisdiction)


def push_jurisdictions(user):
    """Where one may see the batch push: an office its own, a leader its own and below, admin all."""
    if not user.is_authenticated:
        return Jurisdiction.objects.none()
    if is_admin(user):
        return Jurisdiction.objects.all()
    if user.role == Role.OFFICE and user.jurisdiction_id:
        return Jurisdiction.objects.filter(pk=user.jurisdiction_id)
    if user.role == Role.LEADER and user.jurisdiction_id:
        return user.jurisdiction.subtree()
    return Jurisdiction.objects.none()


def ancestor_paths(jurisdiction) -> list[str]:
    """The tree paths of a jurisdiction and those above it ("/1/", "/1/4/")."""
    parts = [p for p in jurisdiction.tree_path.split("/") if p]
    return ["/" + "".join(f"{p}/" for p in parts[: n + 1]) for n in range(len(parts))]
