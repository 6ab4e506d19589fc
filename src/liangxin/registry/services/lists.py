"""Writes of the supply, demand, policy and finance lists: create and update, each audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from liangxin.core.audit import audit_record, snapshot

from ..enums import FundingChannel, PrerequisiteKind, ProjectDomain
from ..models import ConsumerDemand, Demand, FinanceOffer, Policy, Product, ScreeningCriteria
from ..validators import clean_enum_list, clean_parameters, clean_tags

# JSON list fields and how each is cleaned.
_LIST_FIELDS = {
    "standards": clean_tags,
    "certifications": clean_tags,
    "applicant_types": clean_tags,
    "conditions": clean_tags,
    "domains": lambda v: clean_enum_list(v, ProjectDomain, "domains"),
    "prerequisites_required": lambda v: clean_enum_list(v, PrerequisiteKind, "prerequisites_required"),
    "parameters": clean_parameters,
}


def _assign(instance, fields: dict) -> None:
    for key, value in fields.items():
        if key in _LIST_FIELDS:
            value = _LIST_FIELDS[key](value)
        elif isinstance(value, str):
            value = value.strip()
        if not hasattr(instance, key) and not hasattr(type(instance), key):
            raise TypeError(f"{type(instance).__name__} has no field {key}")
        setattr(instance, key, value)


def _create(model, *, actor, action: str, **fields):
    instance = model()
    _assign(instance, fields)
    _prepare(instance)
    instance.full_clean()
    instance.save()
    audit_record(actor=actor, action=action, instance=instance, after=snapshot(instance))
    return instance


def _update(instance, *, actor, action: str, **fields):
    before = snapshot(instance)
    _assign(instance, fields)
    _prepare(instance)
    instance.full_clean()
    instance.save()
    audit_record(actor=actor, action=action, instance=instance, before=before, after=snapshot(instance))
    return instance


def _prepare(instance) -> None:
    """Derived values and the cross-field rules the forms and the import must both obey."""
    if isinstance(instance, Product):
        instance.local = bool(instance.enterprise_id and instance.enterprise.jurisdiction_id)
    if isinstance(instance, Policy) and instance.parent_id:
        if instance.pk and instance.parent_id == instance.pk:
            raise ValidationError({"parent": _("A policy cannot be its own overall plan.")})
        if instance.parent.parent_id:
            raise ValidationError({"parent": _("The overall plan must itself be a top-level policy (1+N).")})
    if isinstance(instance, Policy) and instance.funding_channel and instance.funding_channel not in FundingChannel:
        raise ValidationError({"funding_channel": _("Unknown funding channel.")})


# --- supply list --------------------------------------------------------------------------------


@transaction.atomic
def product_create(*, actor, **fields) -> Product:
    return _create(Product, actor=actor, action="product.create", **fields)


@transaction.atomic
def product_update(*, actor, product: Product, **fields) -> Product:
    return _update(product, actor=actor, action="product.update", **fields)


# --- demand list --------------------------------------------------------------------------------


@transaction.atomic
def demand_create(*, actor, **fields) -> Demand:
    return _create(Demand, actor=actor, action="demand.create", created_by=actor, **fields)


@transaction.atomic
def demand_update(*, actor, demand: Demand, **fields) -> Demand:
    return _update(demand, actor=actor, action="demand.update", **fields)


@transaction.atomic
def consumer_demand_set(*, actor, jurisdiction, category, year: int, expected_units: int, note: str = "") -> tuple:
    """The consumer-demand figure of a category and year, created or replaced. Returns (row, created)."""
    row = ConsumerDemand.objects.select_for_update().filter(jurisdiction=jurisdiction, category=category, year=year)
    row = row.first()
    if row is None:
        created = _create(
            ConsumerDemand,
            actor=actor,
            action="consumer_demand.create",
            jurisdiction=jurisdiction,
            category=category,
            year=year,
            expected_units=expected_units,
            note=note,
        )
        return created, True
    return _update(row, actor=actor, action="consumer_demand.update", expected_units=expected_units, note=note), False


@transaction.atomic
def consumer_demand_update(*, actor, row: ConsumerDemand, **fields) -> ConsumerDemand:
    return _update(row, actor=actor, action="consumer_demand.update", **fields)


# --- policy list --------------------------------------------------------------------------------


@transaction.atomic
def policy_create(*, actor, **fields) -> Policy:
    return _create(Policy, actor=actor, action="policy.create", **fields)


@transaction.atomic
def policy_update(*, actor, policy: Policy, **fields) -> Policy:
    if fields.get("parent") is not None and policy.children.exists():
        raise ValidationError({"parent": _("This policy has domain plans under it; it stays a top-level policy.")})
    return _update(policy, actor=actor, action="policy.update", **fields)


# --- finance offers -----------------------------------------------------------------------------


@transaction.atomic
def offer_create(*, actor, **fields) -> FinanceOffer:
    return _create(FinanceOffer, actor=actor, action="finance_offer.create", **fields)


@transaction.atomic
def offer_update(*, actor, offer: FinanceOffer, **fields) -> FinanceOffer:
    return _update(offer, actor=actor, action="finance_offer.update", **fields)


# --- screening criteria -------------------------------------------------------------------------


@transaction.atomic
def criteria_create(*, actor, **fields) -> ScreeningCriteria:
    return _create(ScreeningCriteria, actor=actor, action="screening_criteria.create", **fields)


@transaction.atomic
def criteria_update(*, actor, criteria: ScreeningCriteria, **fields) -> ScreeningCriteria:
    return _update(criteria, actor=actor, action="screening_criteria.update", **fields)
