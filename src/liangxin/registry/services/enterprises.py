"""Writes of the registry app."""

from django.db import transaction

from liangxin.core.audit import audit_record, snapshot
from liangxin.core.idcodes import normalise_uscc

from ..models import Enterprise

_MERGED_TEXT = ("address", "industry", "size", "contact_name", "contact_phone")


@transaction.atomic
def enterprise_upsert(*, actor, uscc: str, name: str, jurisdiction=None, flags=(), **fields) -> tuple[Enterprise, bool]:
    """The enterprise with this code, created or merged: a code seen again never makes a second record.

    On a merge the name is updated to the latest one given, empty fields are filled, and flags are
    added to those already known (never removed). Returns (enterprise, created).
    """
    code = normalise_uscc(uscc)
    enterprise = Enterprise.objects.select_for_update().filter(uscc=code).first()
    if enterprise is None:
        enterprise = Enterprise(
            uscc=code, name=name.strip(), jurisdiction=jurisdiction, flags=list(dict.fromkeys(flags))
        )
        for key in _MERGED_TEXT:
            if fields.get(key):
                setattr(enterprise, key, fields[key])
        enterprise.full_clean()
        enterprise.save()
        audit_record(actor=actor, action="enterprise.create", instance=enterprise, after=snapshot(enterprise))
        return enterprise, True
    before = snapshot(enterprise)
    if name and name.strip():
        enterprise.name = name.strip()
    if jurisdiction is not None and enterprise.jurisdiction_id is None:
        enterprise.jurisdiction = jurisdiction
    for key in _MERGED_TEXT:
        if fields.get(key) and not getattr(enterprise, key):
            setattr(enterprise, key, fields[key])
    enterprise.flags = list(dict.fromkeys([*enterprise.flags, *flags]))
    enterprise.full_clean()
    after = snapshot(enterprise)
    if after != before:
        enterprise.save()
        audit_record(actor=actor, action="enterprise.merge", instance=enterprise, before=before, after=after)
    return enterprise, False
