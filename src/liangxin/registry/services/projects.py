"""Writes of the project pipeline: register and edit projects, their prerequisites, stage moves,
screening runs."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liangxin.core.audit import audit_record, snapshot
from liangxin.core.services import DomainError

from ..enums import (
    STAGE_TRANSITIONS,
    FundingChannel,
    PrerequisiteKind,
    PrerequisiteState,
    ProjectDomain,
    ProjectStage,
)
from ..models import Project, ProjectPrerequisite, ProjectStageChange, ScreeningCriteria, ScreeningRun
from ..validators import clean_enum_list

_EDITABLE = (
    "owner",
    "name",
    "domain",
    "location",
    "description",
    "total_investment_wan",
    "equipment_investment_wan",
    "planned_start",
    "planned_end",
    "channels",
    "responsible_unit",
    "needs_financing",
    "financing_amount_wan",
    "contact_name",
    "contact_phone",
)


def _check_cross_fields(project: Project) -> None:
    """The fields' own checks and the rules across fields, reported together with clear messages
    (the database constraints behind them are checked again on save)."""
    if not project.needs_financing:
        project.financing_amount_wan = None
    try:
        project.full_clean(validate_constraints=False)
        errors = {}
    except ValidationError as exc:
        errors = exc.message_dict
    total, equipment = project.total_investment_wan, project.equipment_investment_wan
    if total is not None and equipment is not None and equipment > total and "total_investment_wan" not in errors:
        errors["equipment_investment_wan"] = [_("The equipment investment cannot exceed the total investment.")]
    if project.planned_start and project.planned_end and project.planned_start > project.planned_end:
        errors["planned_end"] = [_("The planned completion cannot be before the planned start.")]
    if project.responsible_unit_id and project.responsible_unit.jurisdiction_id != project.jurisdiction_id:
        errors["responsible_unit"] = [_("The responsible unit must be a unit of the project's jurisdiction.")]
    if errors:
        raise ValidationError(errors)


def _set_fields(project: Project, fields: dict) -> None:
    for key, value in fields.items():
        if key not in _EDITABLE:
            raise TypeError(f"projects do not take {key}")
        if key == "channels":
            value = clean_enum_list(value, FundingChannel, "channels")
        elif isinstance(value, str):
            value = value.strip()
        setattr(project, key, value)


@transaction.atomic
def project_create(
    *,
    actor,
    jurisdiction,
    owner,
    name: str,
    domain: str,
    stage: str = ProjectStage.PLANNING,
    prerequisites=None,
    **fields,
) -> Project:
    """Register a project; it enters the pipeline at `stage` (谋划 unless a list is imported in another
    stage), with one entry in its stage history. `prerequisites` maps a PrerequisiteKind to a dict of
    state, document_no and done_on; missing kinds are recorded as pending."""
    if stage not in ProjectStage.values:
        raise ValidationError({"stage": _("Unknown stage.")})
    project = Project(jurisdiction=jurisdiction, owner=owner, created_by=actor, stage=stage)
    _set_fields(project, {"name": name, "domain": domain, **fields})
    _check_cross_fields(project)
    project.full_clean()
    project.save()
    audit_record(actor=actor, action="project.create", instance=project, after=snapshot(project))
    ProjectStageChange.objects.create(
        project=project, from_stage="", to_stage=stage, actor=actor, reason=_("Registered")
    )
    prerequisites = prerequisites or {}
    for kind in PrerequisiteKind.values:
        values = prerequisites.get(kind) or {}
        ProjectPrerequisite.objects.create(
            project=project,
            kind=kind,
            state=values.get("state") or PrerequisiteState.PENDING,
            document_no=values.get("document_no") or "",
            done_on=values.get("done_on"),
        )
    return project


@transaction.atomic
def project_update(*, actor, project: Project, **fields) -> Project:
    """Edit a project's facts (not its stage: stages move through project_move)."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    before = snapshot(project)
    _set_fields(project, fields)
    _check_cross_fields(project)
    project.full_clean()
    project.save()
    audit_record(actor=actor, action="project.update", instance=project, before=before, after=snapshot(project))
    return project


@transaction.atomic
def project_prerequisite_set(
    *, actor, project: Project, kind: str, state: str, document_no: str = "", done_on=None, note: str = ""
) -> ProjectPrerequisite:
    if kind not in PrerequisiteKind.values:
        raise ValidationError({"kind": _("Unknown prerequisite.")})
    if state == PrerequisiteState.DONE and not (document_no or "").strip():
        raise ValidationError({"document_no": _("A prerequisite that is done needs its document number.")})
    item, _created = ProjectPrerequisite.objects.select_for_update().get_or_create(project=project, kind=kind)
    before = snapshot(item)
    item.state = state
    item.document_no = (document_no or "").strip()
    item.done_on = done_on
    item.note = (note or "").strip()
    item.full_clean()
    item.save()
    audit_record(actor=actor, action="project.prerequisite_set", instance=item, before=before, after=snapshot(item))
    return item


def allowed_moves(project: Project) -> list[str]:
    return list(STAGE_TRANSITIONS.get(project.stage, ()))


@transaction.atomic
def project_move(*, actor, project: Project, to_stage: str, reason: str) -> Project:
    """Move a project to another stage of the pipeline; only the transitions in STAGE_TRANSITIONS are
    allowed, and every move records who made it and why."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if to_stage not in ProjectStage.values:
        raise DomainError(_("Unknown stage."))
    if to_stage not in STAGE_TRANSITIONS.get(project.stage, ()):
        raise DomainError(
            _("A project cannot move from “%(from)s” to “%(to)s”.")
            % {"from": ProjectStage(project.stage).label, "to": ProjectStage(to_stage).label}
        )
    if not (reason or "").strip():
        raise DomainError(_("Say why the project moves."))
    if to_stage in (ProjectStage.STARTED, ProjectStage.COMPLETED) and not project.planned_start:
        raise DomainError(_("Fill in the planned start before the project starts construction."))
    before = snapshot(project)
    from_stage = project.stage
    project.stage = to_stage
    project.save(update_fields=["stage", "updated_at"])
    ProjectStageChange.objects.create(
        project=project,
        from_stage=from_stage,
        to_stage=to_stage,
        actor=actor,
        reason=reason.strip(),
        at=timezone.now(),
    )
    audit_record(actor=actor, action="project.move", instance=project, before=before, after=snapshot(project))
    return project


# --- screening ----------------------------------------------------------------------------------


def screen(criteria: ScreeningCriteria, projects) -> list[dict]:
    """Each project against the criteria: whether it passes and, check by check, why or why not."""
    results = []
    required = list(criteria.prerequisites_required or [])
    domains = list(criteria.domains or [])
    channel_label = FundingChannel(criteria.channel).label
    for project in projects.prefetch_related("prerequisites").select_related("owner"):
        states = {p.kind: p.state for p in project.prerequisites.all()}
        checks = []
        if criteria.require_channel_sought:
            ok = criteria.channel in (project.channels or [])
            checks.append(
                {
                    "check": "channel",
                    "ok": ok,
                    "text": (_("Seeks %(channel)s") if ok else _("Does not seek %(channel)s"))
                    % {"channel": channel_label},
                }
            )
        domain_label = ProjectDomain(project.domain).label
        ok = not domains or project.domain in domains
        checks.append(
            {
                "check": "domain",
                "ok": ok,
                "text": (
                    _("Domain %(domain)s is supported")
                    if ok
                    else _("Domain %(domain)s is not supported by %(channel)s")
                )
                % {"domain": domain_label, "channel": channel_label},
            }
        )
        for kind in required:
            state = states.get(kind, PrerequisiteState.PENDING)
            ok = state in (PrerequisiteState.DONE, PrerequisiteState.NOT_NEEDED)
            checks.append(
                {
                    "check": f"prerequisite:{kind}",
                    "ok": ok,
                    "text": (_("%(prerequisite)s: %(state)s") if ok else _("%(prerequisite)s not complete (%(state)s)"))
                    % {"prerequisite": PrerequisiteKind(kind).label, "state": PrerequisiteState(state).label},
                }
            )
        if criteria.min_investment_wan is not None:
            ok = project.total_investment_wan >= criteria.min_investment_wan
            checks.append(
                {
                    "check": "investment",
                    "ok": ok,
                    "text": (
                        _("Total investment %(amount)s ≥ %(minimum)s (10k yuan)")
                        if ok
                        else _("Total investment %(amount)s below the minimum %(minimum)s (10k yuan)")
                    )
                    % {"amount": _fmt(project.total_investment_wan), "minimum": _fmt(criteria.min_investment_wan)},
                }
            )
        ok = project.stage != ProjectStage.WITHDRAWN
        if not ok:
            checks.append({"check": "stage", "ok": False, "text": _("The project has withdrawn")})
        results.append(
            {
                "project": project.pk,
                "name": project.name,
                "owner": project.owner.name,
                "domain": project.domain,
                "stage": project.stage,
                "total_investment_wan": str(project.total_investment_wan),
                "passed": all(c["ok"] for c in checks),
                "reasons": checks,
            }
        )
    return results


def _fmt(amount: Decimal) -> str:
    return f"{amount.normalize():f}" if amount == amount.to_integral() else f"{amount:f}"


@transaction.atomic
def screening_run(*, actor, criteria: ScreeningCriteria, projects) -> ScreeningRun:
    """Screen the projects and keep the result (who ran it, when, each project's verdict and reasons)."""
    projects = projects.filter(jurisdiction=criteria.jurisdiction)
    run = ScreeningRun.objects.create(criteria=criteria, actor=actor, results=screen(criteria, projects))
    passed = sum(1 for r in run.results if r["passed"])
    audit_record(
        actor=actor,
        action="project.screen",
        instance=run,
        after={"criteria": criteria.pk, "projects": len(run.results), "passed": passed},
    )
    return run
