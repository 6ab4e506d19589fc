"""Programmes and their versioned rules; loading the national rule sets."""

import datetime
import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from liangxin.core.audit import audit_record, snapshot
from liangxin.core.services import DomainError

from ..formula import rules_problems
from ..models import Budget, Programme, RuleVersion
from .budget import budget_create, budget_release

RULESETS = Path(__file__).resolve().parent.parent / "rulesets"


def ruleset_years() -> list[int]:
    return sorted(int(p.stem) for p in RULESETS.glob("*.json") if p.stem.isdigit())


def ruleset_load(year: int) -> dict:
    path = RULESETS / f"{year}.json"
    if not path.exists():
        raise DomainError(
            _("There is no national rule set for %(year)s (there are: %(years)s).")
            % {"year": year, "years": ", ".join(map(str, ruleset_years()))}
        )
    return json.loads(path.read_text(encoding="utf-8"))


def _check_rules(rules) -> None:
    problems = rules_problems(rules)
    if problems:
        raise DomainError(_("The rules are not valid: %(problems)s") % {"problems": " ".join(problems)})


@transaction.atomic
def programme_create(
    *,
    actor,
    jurisdiction,
    name: str,
    year: int,
    starts_on: datetime.date,
    ends_on: datetime.date,
    rules: dict,
    uses_vouchers: bool = False,
    description: str = "",
    effective_from: datetime.date | None = None,
    reason: str = "",
) -> Programme:
    """A programme with its first rule version (effective from its start unless told otherwise)."""
    _check_rules(rules)
    if Programme.objects.filter(jurisdiction=jurisdiction, name=name.strip()).exists():
        raise DomainError(_("%(name)s already exists in this jurisdiction.") % {"name": name})
    programme = Programme(
        jurisdiction=jurisdiction,
        name=name.strip(),
        year=year,
        starts_on=starts_on,
        ends_on=ends_on,
        uses_vouchers=uses_vouchers,
        description=description,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    programme.full_clean()
    programme.save()
    audit_record(actor=actor, action="tradein.programme_create", instance=programme, after=snapshot(programme))
    _add_version(
        actor=actor, programme=programme, rules=rules, effective_from=effective_from or starts_on, reason=reason
    )
    return programme


def _add_version(*, actor, programme, rules, effective_from, reason) -> RuleVersion:
    number = (programme.rule_versions.aggregate(m=Max("version"))["m"] or 0) + 1
    version = RuleVersion(
        programme=programme,
        version=number,
        effective_from=effective_from,
        rules=rules,
        reason=reason or "",
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    version.full_clean()
    version.save()
    audit_record(actor=actor, action="tradein.rules_version", instance=version, after=snapshot(version))
    return version


@transaction.atomic
def rule_version_add(
    *, actor, programme: Programme, rules: dict, effective_from: datetime.date, reason: str
) -> RuleVersion:
    """A new version of the rules, applying to purchases from `effective_from` on. Earlier versions
    stay as they were: claims keep the version they were judged by."""
    _check_rules(rules)
    if not reason.strip():
        raise DomainError(_("Say why the rules change."))
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if not programme.starts_on <= effective_from <= programme.ends_on:
        raise DomainError(
            _("A rule version must take effect within the programme's period (%(start)s – %(end)s).")
            % {"start": programme.starts_on, "end": programme.ends_on}
        )
    return _add_version(actor=actor, programme=programme, rules=rules, effective_from=effective_from, reason=reason)


def rule_version_for(*, programme: Programme, on: datetime.date) -> RuleVersion | None:
    """The latest version whose effective_from is on or before `on`."""
    return (
        RuleVersion.objects.filter(programme=programme, effective_from__lte=on)
        .order_by("-effective_from", "-version")
        .first()
    )


@transaction.atomic
def programme_load_national(
    *, actor, jurisdiction, year: int, budget: Decimal | None = None, uses_vouchers: bool = False
) -> tuple[Programme, bool]:
    """The programme of `jurisdiction` for `year` with the national rule set, created once
    (idempotent: a second run finds it and changes nothing, except releasing a budget to a
    programme that has none yet). Returns (programme, created)."""
    rules = ruleset_load(year)
    name = rules.get("title") or f"{year}年消费品以旧换新"
    programme = Programme.objects.filter(jurisdiction=jurisdiction, name=name).first()
    created = programme is None
    if created:
        programme = programme_create(
            actor=actor,
            jurisdiction=jurisdiction,
            name=name,
            year=year,
            starts_on=datetime.date(year, 1, 1),
            ends_on=datetime.date(year, 12, 31),
            rules=rules,
            uses_vouchers=uses_vouchers,
            description=rules.get("note", ""),
            effective_from=datetime.date.fromisoformat(rules.get("effective_from", f"{year}-01-01")),
            reason=rules.get("title", ""),
        )
    if budget is not None and not Budget.objects.filter(programme=programme).exists():
        new_budget = budget_create(actor=actor, programme=programme)
        if budget > 0:
            budget_release(actor=actor, budget=new_budget, amount=budget, note=_("First tranche"))
    return programme, created
