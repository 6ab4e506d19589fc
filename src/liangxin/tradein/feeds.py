"""The figures the trade-in engine feeds into plan indicators (liangxin.dispatch.feeds), registered in ready().

All are flows over the programmes of the plan's jurisdiction and everything below it:
tradein.claims_paid (paid claims, by the date paid, 件), tradein.subsidy_paid (their subsidy, 元),
tradein.old_appliances (old appliances handed to a recycler, per approved or paid appliance claim
with a handover number, by approval date, 台), tradein.car_scrappage (approved or paid claims on the
scrappage route, by approval date, 辆). A claim voided by a refund no longer counts.
"""

from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from liangxin.dispatch.feeds import Feed, register

from .enums import CarRoute, ClaimState


def _claims(jurisdiction):
    from .models import Claim

    return Claim.objects.filter(programme__jurisdiction__tree_path__startswith=jurisdiction.tree_path)


def _paid(jurisdiction, start, end):
    return _claims(jurisdiction).filter(state=ClaimState.PAID, paid_at__date__gte=start, paid_at__date__lte=end)


def _approved(jurisdiction, start, end):
    return _claims(jurisdiction).filter(
        state__in=[ClaimState.APPROVED, ClaimState.PAID], approved_at__date__gte=start, approved_at__date__lte=end
    )


def claims_paid(jurisdiction, periods) -> list[Decimal | None]:
    return [Decimal(_paid(jurisdiction, start, end).count()) for start, end in periods]


def subsidy_paid(jurisdiction, periods) -> list[Decimal | None]:
    return [
        Decimal(_paid(jurisdiction, start, end).aggregate(s=Sum("subsidy"))["s"] or 0).quantize(Decimal("0.01"))
        for start, end in periods
    ]


def _appliance_codes(rule_version_ids) -> dict[int, set[str]]:
    from .models import RuleVersion

    return {
        rv.pk: {c["code"] for c in rv.rules.get("categories", []) if c.get("group") == "appliance"}
        for rv in RuleVersion.objects.filter(pk__in=set(rule_version_ids))
    }


def old_appliances(jurisdiction, periods) -> list[Decimal | None]:
    values = []
    for start, end in periods:
        rows = list(
            _approved(jurisdiction, start, end)
            .exclude(recycler_handover_no="")
            .values("rule_version_id", "category")
            .annotate(n=Count("id"))
        )
        codes = _appliance_codes(r["rule_version_id"] for r in rows)
        values.append(Decimal(sum(r["n"] for r in rows if r["category"] in codes.get(r["rule_version_id"], ()))))
    return values


def car_scrappage(jurisdiction, periods) -> list[Decimal | None]:
    return [
        Decimal(_approved(jurisdiction, start, end).filter(route=CarRoute.SCRAPPAGE).count()) for start, end in periods
    ]


def register_feeds() -> None:
    register(Feed("tradein.claims_paid", _("Trade-in claims paid (subsidy engine)"), "flow", "件", claims_paid))
    register(Feed("tradein.subsidy_paid", _("Trade-in subsidy paid (subsidy engine)"), "flow", "元", subsidy_paid))
    register(
        Feed(
            "tradein.old_appliances",
            _("Old appliances handed to recyclers through trade-in claims"),
            "flow",
            "台",
            old_appliances,
        )
    )
    register(
        Feed(
            "tradein.car_scrappage",
            _("Cars scrapped for a trade-in subsidy (scrappage route)"),
            "flow",
            "辆",
            car_scrappage,
        )
    )
