"""Imports of the network's spreadsheets: all or nothing, with every bad row named.

Each row is written in its own savepoint so that one bad row does not hide the problems of the
next; when any row fails, everything is rolled back and the problems come back, row by row.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from liangxin.core.models import Jurisdiction
from liangxin.core.services import DomainError

from .. import rules
from ..models import Site
from ..sheets import SheetRow, read_returns, read_sites
from .sites import (
    RecyclingError,
    operator_resolve,
    site_create,
    site_set_status,
    site_update,
    town_resolve,
    unit_of,
)
from .volumes import return_enter


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    flagged: int = 0


class ImportRejected(RecyclingError):
    """Nothing was imported; `problems` lists (row number, message) for every bad row."""

    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = problems
        super().__init__(
            _("Nothing was imported: %(n)s rows have problems.") % {"n": len({row for row, _m in problems})}
        )


def _messages(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return [
                f"{field}: {m}" if field != "__all__" else m for field, msgs in exc.message_dict.items() for m in msgs
            ]
        return list(exc.messages)
    return [str(exc)]


def _run_rows(rows: list[SheetRow], write) -> list[tuple[int, str]]:
    problems: list[tuple[int, str]] = []
    for row in rows:
        if row.problems:
            problems.extend((row.number, p) for p in row.problems)
            continue
        try:
            with transaction.atomic():
                write(row.values)
        except (ValidationError, DomainError, PermissionDenied) as exc:
            problems.extend((row.number, m) for m in _messages(exc))
    return problems


@transaction.atomic
def sites_import(*, actor, jurisdiction: Jurisdiction, file) -> ImportResult:
    """Create the sites of rows without 编号 and update those with one (a changed 状态 is a status change
    on its 状态日期). Raises ImportRejected, with nothing saved, when any row is bad."""
    if actor is not None and not rules.can_edit_network(actor, jurisdiction):
        raise PermissionDenied(_("You may not register recycling sites in %s.") % jurisdiction.name)
    rows = read_sites(file)
    if not rows:
        raise RecyclingError(_("The sheet has no rows to import."))
    result = ImportResult()

    def write(v: dict) -> None:
        fields = {
            "town": town_resolve(actor=actor, jurisdiction=jurisdiction, name=v["town"]),
            "level": v["level"],
            "name": v["name"],
            "operator": operator_resolve(
                actor=actor, jurisdiction=jurisdiction, uscc=v["operator_uscc"], name=v["operator_name"]
            ),
            "address": v["address"],
            "lat": v["lat"],
            "lng": v["lng"],
            "datum": v["datum"],
            "hours": v["hours"],
            "phone": v["phone"],
            "categories": v["categories"],
            "two_networks": v["two_networks"],
            "notes": v["notes"],
        }
        if v["responsible_unit"]:
            unit = unit_of(jurisdiction, v["responsible_unit"])
            if unit is None:
                raise ValidationError(
                    {
                        "责任单位": _("%(unit)s is not a unit of %(place)s.")
                        % {"unit": v["responsible_unit"], "place": jurisdiction.name}
                    }
                )
            fields["responsible_unit"] = unit
        if v["id"] is None:
            site_create(
                actor=actor, jurisdiction=jurisdiction, status=v["status"], status_since=v["status_since"], **fields
            )
            result.created += 1
            return
        site = Site.objects.filter(pk=v["id"], jurisdiction=jurisdiction).first()
        if site is None:
            raise RecyclingError(
                _("There is no site %(id)s in %(place)s.") % {"id": v["id"], "place": jurisdiction.name}
            )
        site_update(actor=actor, site=site, **fields)
        if v["status"] != site.status:
            if v["status_since"] is None:
                raise ValidationError({"状态日期": _("A changed status needs its date.")})
            site_set_status(actor=actor, site=site, status=v["status"], on=v["status_since"], reason=_("Imported."))
        result.updated += 1

    problems = _run_rows(rows, write)
    if problems:
        raise ImportRejected(problems)
    return result


@transaction.atomic
def returns_import(*, actor, jurisdiction: Jurisdiction, file) -> ImportResult:
    """Enter monthly returns from a sheet (a row for a month already entered corrects it)."""
    if actor is not None and not rules.can_edit_network(actor, jurisdiction):
        raise PermissionDenied(_("You may not enter returns in %s.") % jurisdiction.name)
    rows = read_returns(file)
    if not rows:
        raise RecyclingError(_("The sheet has no rows to import."))
    result = ImportResult()

    def write(v: dict) -> None:
        site = Site.objects.filter(pk=v["site_id"], jurisdiction=jurisdiction).first()
        if site is None:
            raise RecyclingError(
                _("There is no site %(id)s in %(place)s.") % {"id": v["site_id"], "place": jurisdiction.name}
            )
        ret = return_enter(
            actor=actor, site=site, month=v["month"], category=v["category"], quantity=v["quantity"], unit=v["unit"]
        )
        result.created += 1
        if ret.state == "flagged":
            result.flagged += 1

    problems = _run_rows(rows, write)
    if problems:
        raise ImportRejected(problems)
    return result
