"""Who may do what with the recycling network. Checked on the server, for the web and the API alike.

The network of a jurisdiction is edited by its office and by the reporters of the unit that answers
for it: the unit named responsible on one of its sites, or — before any site names one — the
commerce bureau (商务局/商务委), which runs the recycling network in the plans. Everyone who sees the
jurisdiction reads; monthly returns are entered and confirmed by the same people (operator logins
are a later step).
"""

from liangxin.core.enums import Role
from liangxin.core.rules import can_manage_jurisdiction, can_view_jurisdiction

COMMERCE_MARKERS = ("商务",)


def can_view_network(user, jurisdiction) -> bool:
    return can_view_jurisdiction(user, jurisdiction)


def is_network_unit(user, jurisdiction) -> bool:
    """Whether the user reports for a unit that answers for this jurisdiction's recycling network."""
    if not (user.is_authenticated and user.role == Role.REPORTER and user.unit_id):
        return False
    if user.jurisdiction_id != jurisdiction.pk:
        return False
    from .models import Site

    if Site.objects.filter(jurisdiction=jurisdiction, responsible_unit_id=user.unit_id).exists():
        return True
    return any(marker in user.unit.name for marker in COMMERCE_MARKERS)


def can_edit_network(user, jurisdiction) -> bool:
    """Register sites in the jurisdiction (and import them)."""
    return can_manage_jurisdiction(user, jurisdiction) or is_network_unit(user, jurisdiction)


def can_edit_site(user, site) -> bool:
    return can_edit_network(user, site.jurisdiction)


def can_enter_returns(user, site) -> bool:
    return can_edit_network(user, site.jurisdiction)


def can_confirm_return(user, ret) -> bool:
    """A flagged return is confirmed by the office or by the unit that enters the site's returns."""
    return can_edit_network(user, ret.site.jurisdiction)
