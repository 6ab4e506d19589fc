"""Helpers shared by the registry's pages: search, JSON-list filters, the jurisdiction a write goes to,
and .xlsx responses."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.utils import timezone

from ..selectors import managed_jurisdictions, may_read_lists, registering_jurisdictions

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def search(queryset, text: str, fields: list[str]):
    text = (text or "").strip()
    if not text:
        return queryset
    condition = Q()
    for word in text.split():
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": word})
        condition &= any_field
    return queryset.filter(condition)


def json_list_has(queryset, field: str, value: str):
    """Rows whose JSON list `field` holds `value`. Filtered in Python: the JSON text differs between
    SQLite (escaped) and PostgreSQL, and the lists are small."""
    if not value:
        return queryset
    ids = [pk for pk, values in queryset.values_list("pk", field) if value in (values or [])]
    return queryset.filter(pk__in=ids)


def write_jurisdiction(user, *, projects: bool = False):
    """Where the user's new records go: the one jurisdiction it manages (or, for projects, registers in)."""
    places = registering_jurisdictions(user) if projects else managed_jurisdictions(user)
    if user.jurisdiction_id and places.filter(pk=user.jurisdiction_id).exists():
        return places.get(pk=user.jurisdiction_id)
    return None


def xlsx_response(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    stamp = timezone.localdate().strftime("%Y%m%d")
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{name}-{stamp}.xlsx')}"
    return response


def list_reader(view):
    """Signed in, and a government user (office, unit reporter, leader, admin): else 403."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not may_read_lists(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapped)
