"""Matchmaking events (供需对接会, 融资对接会): the office records an event, invites both sides,
marks who came, and follows each pairing to its outcome (contacted → negotiating → contracted with
the amount, or dropped). Contracts feed the suppliers' track record in matching.

Every write is audited (match_event.*, match_invitation.*, match_outcome.*). The reads at the
bottom (event_summary, overall_summary) are what the event pages and the API show.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from liangxin.core.audit import audit_record, snapshot
from liangxin.core.services import DomainError

from ..enums import InvitationSide, OutcomeState
from ..models import Enterprise, MatchEvent, MatchInvitation, MatchOutcome

# Where an outcome may go next. A contract is final; a dropped pairing may be taken up again.
OUTCOME_TRANSITIONS = {
    OutcomeState.CONTACTED: (OutcomeState.NEGOTIATING, OutcomeState.CONTRACTED, OutcomeState.DROPPED),
    OutcomeState.NEGOTIATING: (OutcomeState.CONTRACTED, OutcomeState.DROPPED, OutcomeState.CONTACTED),
    OutcomeState.CONTRACTED: (),
    OutcomeState.DROPPED: (OutcomeState.CONTACTED, OutcomeState.NEGOTIATING),
}
_EVENT_FIELDS = ("title", "held_on", "place", "organiser", "notes")


def _within(jurisdiction, other) -> bool:
    return other is not None and other.tree_path.startswith(jurisdiction.tree_path)


@transaction.atomic
def event_create(
    *,
    actor,
    jurisdiction,
    title: str,
    held_on: datetime.date,
    place: str = "",
    organiser=None,
    notes: str = "",
) -> MatchEvent:
    if organiser is not None and organiser.jurisdiction_id != jurisdiction.pk:
        raise DomainError(_("The organiser must be a unit of the event's jurisdiction."))
    event = MatchEvent(
        jurisdiction=jurisdiction,
        title=title.strip(),
        held_on=held_on,
        place=place.strip(),
        organiser=organiser,
        notes=notes,
    )
    event.full_clean()
    event.save()
    audit_record(actor=actor, action="match_event.create", instance=event, after=snapshot(event))
    return event


@transaction.atomic
def event_update(*, actor, event: MatchEvent, **fields) -> MatchEvent:
    unknown = set(fields) - set(_EVENT_FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    organiser = fields.get("organiser", event.organiser)
    if organiser is not None and organiser.jurisdiction_id != event.jurisdiction_id:
        raise DomainError(_("The organiser must be a unit of the event's jurisdiction."))
    before = snapshot(event)
    for key, value in fields.items():
        setattr(event, key, value.strip() if isinstance(value, str) and key in ("title", "place") else value)
    event.full_clean()
    event.save()
    audit_record(actor=actor, action="match_event.update", instance=event, before=before, after=snapshot(event))
    return event


@transaction.atomic
def event_delete(*, actor, event: MatchEvent) -> None:
    """Only an event with nothing recorded against it: outcomes are the programme's results."""
    if event.outcomes.exists():
        raise DomainError(_("The event has recorded outcomes and cannot be deleted."))
    before = snapshot(event)
    audit_record(actor=actor, action="match_event.delete", instance=event, before=before)
    event.invitations.all().delete()
    event.delete()


@transaction.atomic
def invitation_add(*, actor, event: MatchEvent, enterprise: Enterprise, side: str) -> MatchInvitation:
    if side not in InvitationSide.values:
        raise DomainError(_("Unknown side: %(side)s") % {"side": side})
    if MatchInvitation.objects.filter(event=event, enterprise=enterprise).exists():
        raise DomainError(_("%(name)s is already invited to this event.") % {"name": enterprise.name})
    invitation = MatchInvitation(event=event, enterprise=enterprise, side=side, invited_at=timezone.now())
    invitation.full_clean()
    invitation.save()
    audit_record(actor=actor, action="match_invitation.add", instance=invitation, after=snapshot(invitation))
    return invitation


@transaction.atomic
def invitations_from_matches(*, actor, event: MatchEvent, demand, suppliers) -> list[MatchInvitation]:
    """Invite a demand's owner (demand side) and the given suppliers (supply side), skipping those
    already invited. Returns the new invitations."""
    added = []
    invited = set(event.invitations.values_list("enterprise_id", flat=True))
    wanted = []
    if demand is not None and demand.owner_id:
        wanted.append((demand.owner, InvitationSide.DEMAND))
    wanted.extend((s, InvitationSide.SUPPLY) for s in suppliers)
    for enterprise, side in wanted:
        if enterprise.pk in invited:
            continue
        invited.add(enterprise.pk)
        added.append(invitation_add(actor=actor, event=event, enterprise=enterprise, side=side))
    return added


@transaction.atomic
def invitation_set_attended(*, actor, invitation: MatchInvitation, attended: bool) -> MatchInvitation:
    before = snapshot(invitation)
    invitation.attended = bool(attended)
    invitation.save(update_fields=["attended"])
    audit_record(
        actor=actor,
        action="match_invitation.attendance",
        instance=invitation,
        before=before,
        after=snapshot(invitation),
    )
    return invitation


@transaction.atomic
def invitation_remove(*, actor, invitation: MatchInvitation) -> None:
    audit_record(actor=actor, action="match_invitation.remove", instance=invitation, before=snapshot(invitation))
    invitation.delete()


def _check_amount(state: str, amount_wan: Decimal | None) -> None:
    if state == OutcomeState.CONTRACTED and (amount_wan is None or amount_wan <= 0):
        raise ValidationError({"amount_wan": _("A contract needs its amount (10k yuan), greater than zero.")})
    if amount_wan is not None and amount_wan < 0:
        raise ValidationError({"amount_wan": _("The amount cannot be negative.")})


@transaction.atomic
def outcome_record(
    *,
    actor,
    supplier: Enterprise,
    state: str = OutcomeState.CONTACTED,
    event: MatchEvent | None = None,
    demand=None,
    product=None,
    project=None,
    offer=None,
    amount_wan: Decimal | None = None,
    note: str = "",
) -> MatchOutcome:
    """A pairing followed up: a supplier (and product) with a demand, or a lender (and offer) with a
    project. A pairing already recorded is moved to the new state instead of being recorded twice."""
    if (demand is None) == (project is None):
        raise DomainError(_("An outcome is about either a demand or a project."))
    if state not in OutcomeState.values:
        raise DomainError(_("Unknown state: %(state)s") % {"state": state})
    if product is not None and product.enterprise_id != supplier.pk:
        raise DomainError(_("The product is not one of the supplier's."))
    if offer is not None and offer.provider_id != supplier.pk:
        raise DomainError(_("The finance offer is not one of the provider's."))
    target = demand if demand is not None else project
    if event is not None and not _within(event.jurisdiction, target.jurisdiction):
        raise DomainError(_("The demand or project is not in the event's jurisdiction."))
    existing = (
        MatchOutcome.objects.select_for_update()
        .filter(supplier=supplier, demand=demand, project=project)
        .order_by("-at", "-pk")
        .first()
    )
    if existing is not None:
        if existing.state == state:
            return existing
        return outcome_set_state(actor=actor, outcome=existing, state=state, amount_wan=amount_wan, note=note)
    _check_amount(state, amount_wan)
    outcome = MatchOutcome(
        event=event,
        demand=demand,
        supplier=supplier,
        product=product,
        project=project,
        offer=offer,
        state=state,
        amount_wan=amount_wan,
        note=note,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        at=timezone.now(),
    )
    outcome.full_clean()
    outcome.save()
    audit_record(actor=actor, action="match_outcome.record", instance=outcome, after=snapshot(outcome))
    return outcome


@transaction.atomic
def outcome_set_state(
    *, actor, outcome: MatchOutcome, state: str, amount_wan: Decimal | None = None, note: str = ""
) -> MatchOutcome:
    if state not in OUTCOME_TRANSITIONS.get(outcome.state, ()):
        raise DomainError(
            _("An outcome cannot go from %(old)s to %(new)s.")
            % {"old": OutcomeState(outcome.state).label, "new": OutcomeState(state).label}
        )
    _check_amount(state, amount_wan)
    before = snapshot(outcome)
    outcome.state = state
    if amount_wan is not None:
        outcome.amount_wan = amount_wan
    if note:
        outcome.note = note
    outcome.at = timezone.now()
    outcome.recorded_by = actor if getattr(actor, "is_authenticated", False) else None
    outcome.full_clean()
    outcome.save(update_fields=["state", "amount_wan", "note", "at", "recorded_by"])
    audit_record(
        actor=actor, action="match_outcome.set_state", instance=outcome, before=before, after=snapshot(outcome)
    )
    return outcome


# --- reads --------------------------------------------------------------------------------------


def _summary(outcomes, invitations) -> dict:
    by_state = dict(outcomes.order_by().values_list("state").annotate(n=Count("id")))
    contracted = outcomes.filter(state=OutcomeState.CONTRACTED).aggregate(amount=Sum("amount_wan"))
    inv = invitations.order_by().aggregate(invited=Count("id"), attended=Count("id", filter=Q(attended=True)))
    return {
        "invited": inv["invited"],
        "attended": inv["attended"],
        "outcomes": sum(by_state.values()),
        "by_state": {value: by_state.get(value, 0) for value in OutcomeState.values},
        "contracts": by_state.get(OutcomeState.CONTRACTED, 0),
        # SQLite sums lose the scale; amounts are always shown with two places.
        "contract_amount_wan": (contracted["amount"] or Decimal("0")).quantize(Decimal("0.01")),
    }


def event_summary(event: MatchEvent) -> dict:
    """Invitations, attendance, outcomes by state, contracts signed and their amount (万元)."""
    return _summary(event.outcomes.all(), event.invitations.all())


def overall_summary(events) -> dict:
    """The same over a set of events (the outcomes recorded at them)."""
    return _summary(MatchOutcome.objects.filter(event__in=events), MatchInvitation.objects.filter(event__in=events))


def matchmaking_contracts_wan(jurisdiction, periods) -> list[Decimal]:
    """A feed's values (liangxin.dispatch.feeds, kind flow, 万元): the amount of the contracts signed
    through matchmaking in each period, for the demands and projects of the jurisdiction and below.
    A contract counts in the period of its last change (when it became a contract: contracts are final)."""
    path = jurisdiction.tree_path
    rows = list(
        MatchOutcome.objects.filter(state=OutcomeState.CONTRACTED, amount_wan__isnull=False)
        .filter(
            Q(demand__jurisdiction__tree_path__startswith=path) | Q(project__jurisdiction__tree_path__startswith=path)
        )
        .values_list("at", "amount_wan")
    )
    days = [(timezone.localtime(at).date(), amount) for at, amount in rows]
    values = []
    for start, end in periods:
        total = sum((amount for day, amount in days if start <= day <= end), Decimal("0"))
        values.append(total.quantize(Decimal("0.01")))
    return values
