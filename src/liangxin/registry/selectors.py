"""Reads of the lists that depend on who asks: jurisdiction scoping lives here, once."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum

from liangxin.core.enums import Role
from liangxin.core.models import Jurisdiction
from liangxin.core.selectors import jurisdictions_managed_by, jurisdictions_visible_to

from .enums import FundingChannel, ProjectDomain, ProjectStage
from .models import (
    ConsumerDemand,
    Demand,
    Enterprise,
    EquipmentCategory,
    FinanceOffer,
    Policy,
    Product,
    Project,
    ScreeningCriteria,
)

ZERO = Decimal("0")


LIST_READERS = (Role.ADMIN, Role.OFFICE, Role.REPORTER, Role.LEADER)


def may_read_lists(user) -> bool:
    """The lists are for government users: offices, unit reporters and leaders (and admins). Merchants'
    API accounts and anyone else see none of them."""
    return bool(user.is_authenticated and (user.is_superuser or user.role in LIST_READERS))


def _visible_jurisdictions(user):
    if not may_read_lists(user):
        return Jurisdiction.objects.none()
    return jurisdictions_visible_to(user)


def _ancestor_ids(user) -> list[int]:
    if not user.is_authenticated or not user.jurisdiction_id:
        return []
    return [int(part) for part in user.jurisdiction.tree_path.strip("/").split("/") if part]


def enterprises_visible_to(user):
    """Enterprises of the jurisdictions one may see, and those known only by their code."""
    if not may_read_lists(user):
        return Enterprise.objects.none()
    return Enterprise.objects.filter(
        Q(jurisdiction__in=_visible_jurisdictions(user)) | Q(jurisdiction__isnull=True)
    ).select_related("jurisdiction")


def products_visible_to(user):
    return Product.objects.filter(enterprise__in=enterprises_visible_to(user)).select_related(
        "enterprise", "category__parent"
    )


def demands_visible_to(user):
    return Demand.objects.filter(jurisdiction__in=_visible_jurisdictions(user)).select_related(
        "jurisdiction", "owner", "unit", "category__parent"
    )


def consumer_demands_visible_to(user):
    return ConsumerDemand.objects.filter(jurisdiction__in=_visible_jurisdictions(user)).select_related(
        "jurisdiction", "category__parent"
    )


def projects_visible_to(user):
    """Office and leaders: the projects of their jurisdiction(s); a reporter: its unit's projects only."""
    if not may_read_lists(user):
        return Project.objects.none()
    projects = Project.objects.select_related("jurisdiction", "owner", "responsible_unit")
    if user.role == Role.REPORTER and not user.is_superuser:
        return projects.filter(jurisdiction_id=user.jurisdiction_id, responsible_unit_id=user.unit_id)
    return projects.filter(jurisdiction__in=_visible_jurisdictions(user))


def policies_visible_to(user):
    """The policies of one's jurisdictions and those of the levels above (a city's policy applies below)."""
    if not may_read_lists(user):
        return Policy.objects.none()
    return Policy.objects.filter(
        Q(jurisdiction__in=_visible_jurisdictions(user)) | Q(jurisdiction_id__in=_ancestor_ids(user))
    ).select_related("jurisdiction", "lead_unit", "parent")


def public_policies():
    return Policy.objects.filter(public=True).select_related("jurisdiction", "lead_unit", "parent")


def offers_visible_to(user):
    if not may_read_lists(user):
        return FinanceOffer.objects.none()
    return FinanceOffer.objects.filter(
        Q(jurisdiction__in=_visible_jurisdictions(user)) | Q(jurisdiction__isnull=True)
    ).select_related("provider", "jurisdiction")


def criteria_visible_to(user):
    return ScreeningCriteria.objects.filter(jurisdiction__in=_visible_jurisdictions(user)).select_related(
        "jurisdiction"
    )


def managed_jurisdictions(user):
    return jurisdictions_managed_by(user)


def registering_jurisdictions(user):
    """Where the user may register projects: an office's (or admin's) jurisdictions, a reporter's own."""
    if user.is_authenticated and user.role == Role.REPORTER and user.jurisdiction_id:
        return Jurisdiction.objects.filter(pk=user.jurisdiction_id)
    return jurisdictions_managed_by(user)


def category_choices():
    """Categories in tree order: each top-level node followed by its children."""
    nodes = list(EquipmentCategory.objects.select_related("parent").order_by("position", "code"))
    children = defaultdict(list)
    for node in nodes:
        children[node.parent_id].append(node)
    ordered = []
    for top in children[None]:
        ordered.append(top)
        ordered.extend(children[top.pk])
    return ordered


def category_and_descendants(category) -> list[int]:
    ids = [category.pk]
    frontier = [category.pk]
    while frontier:
        frontier = list(EquipmentCategory.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.extend(frontier)
    return ids


# --- the project pipeline -----------------------------------------------------------------------


def project_totals(projects) -> dict:
    """Count, total and equipment investment (万元) of the projects by domain, by stage and by channel.

    A project seeking several channels counts under each of them, so the channel rows may add up to
    more than the grand total."""

    def rows(field, enum):
        found = {
            row[field]: row
            for row in projects.order_by()
            .values(field)
            .annotate(count=Count("id"), total=Sum("total_investment_wan"), equipment=Sum("equipment_investment_wan"))
        }
        return [
            {
                "key": value,
                "label": label,
                "count": found.get(value, {}).get("count", 0),
                "total": found.get(value, {}).get("total") or ZERO,
                "equipment": found.get(value, {}).get("equipment") or ZERO,
            }
            for value, label in enum.choices
        ]

    by_channel = {value: {"count": 0, "total": ZERO, "equipment": ZERO} for value in FundingChannel.values}
    for channels, total, equipment in projects.order_by().values_list(
        "channels", "total_investment_wan", "equipment_investment_wan"
    ):
        for channel in dict.fromkeys(channels or []):
            if channel in by_channel:
                by_channel[channel]["count"] += 1
                by_channel[channel]["total"] += total
                by_channel[channel]["equipment"] += equipment
    grand = projects.order_by().aggregate(
        count=Count("id"), total=Sum("total_investment_wan"), equipment=Sum("equipment_investment_wan")
    )
    return {
        "domain": rows("domain", ProjectDomain),
        "stage": rows("stage", ProjectStage),
        "channel": [{"key": value, "label": label, **by_channel[value]} for value, label in FundingChannel.choices],
        "all": {"count": grand["count"], "total": grand["total"] or ZERO, "equipment": grand["equipment"] or ZERO},
    }


# Stages in which the equipment money is being spent or has been: the investment counts towards 设备投资规模.
INVESTING_STAGES = (ProjectStage.STARTED, ProjectStage.COMPLETED)


def equipment_investment_yi(jurisdiction, periods) -> list[Decimal | None]:
    """The feed registry.equipment_investment: for each period, the equipment investment (亿元) of the
    industrial projects under construction or completed in the jurisdiction and below whose planned
    start is on or before the period's end."""
    projects = Project.objects.filter(
        jurisdiction__tree_path__startswith=jurisdiction.tree_path,
        domain=ProjectDomain.INDUSTRY,
        stage__in=INVESTING_STAGES,
        planned_start__isnull=False,
    ).values_list("planned_start", "equipment_investment_wan")
    rows = list(projects)
    values = []
    for _start, end in periods:
        total = sum((amount for started, amount in rows if started <= end), ZERO)
        values.append((total / Decimal(10000)).quantize(Decimal("0.0001")))
    return values
