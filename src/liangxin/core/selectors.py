"""Reads of the core app that depend on who asks: jurisdiction scoping lives here, once."""

from .enums import Role
from .models import Jurisdiction, Unit


def jurisdictions_visible_to(user):
    """Admins see all; leaders their jurisdiction and below; office staff and reporters their own."""
    if not user.is_authenticated:
        return Jurisdiction.objects.none()
    if user.is_superuser or user.role == Role.ADMIN:
        return Jurisdiction.objects.all()
    if user.jurisdiction_id is None:
        return Jurisdiction.objects.none()
    if user.role == Role.LEADER:
        return user.jurisdiction.subtree()
    return Jurisdiction.objects.filter(pk=user.jurisdiction_id)


def jurisdictions_managed_by(user):
    """Where the user may load and edit everything: an office its own jurisdiction, an admin all."""
    if not user.is_authenticated:
        return Jurisdiction.objects.none()
    if user.is_superuser or user.role == Role.ADMIN:
        return Jurisdiction.objects.all()
    if user.role == Role.OFFICE and user.jurisdiction_id:
        return Jurisdiction.objects.filter(pk=user.jurisdiction_id)
    return Jurisdiction.objects.none()


def units_visible_to(user):
    return Unit.objects.filter(jurisdiction__in=jurisdictions_visible_to(user)).select_related("jurisdiction")


def units_with_aliases_visible_to(user, *, jurisdiction_id: int | None = None):
    units = units_visible_to(user).select_related("jurisdiction__parent__parent__parent")
    if jurisdiction_id is not None:
        units = units.filter(jurisdiction_id=jurisdiction_id)
    return units.prefetch_related("aliases")
