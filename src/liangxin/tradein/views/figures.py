"""The programme's figures per category and month: claims, subsidy paid, old items collected.

- claims: claims submitted in the month that are still live (not rejected, not void);
- subsidy paid: the subsidy of claims paid in the month (a claim voided after payment leaves it:
  its clawback is tracked separately);
- old items collected: live claims of the month (by purchase date) that carry the proof of the old
  item's hand-over (a recycler's hand-over number or a scrapped car's recovery certificate).
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from ..enums import CLAIM_DEAD_STATES, ClaimState
from ..models import Claim, Programme
from .display import category_names


def _month_key(value) -> str:
    if isinstance(value, datetime.datetime):
        from django.utils import timezone

        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.year:04d}-{value.month:02d}"


def figures_rows(programme: Programme, year: int) -> dict:
    names = {}
    for version in programme.rule_versions.order_by("version"):
        names.update(category_names(version.rules))
    claims = Claim.objects.filter(programme=programme)
    live = claims.exclude(state__in=CLAIM_DEAD_STATES)
    cells: dict[tuple[str, str], dict] = defaultdict(lambda: {"claims": 0, "paid": Decimal("0.00"), "collected": 0})

    submitted = (
        live.filter(submitted_at__year=year)
        .annotate(m=TruncMonth("submitted_at"))
        .values("m", "category")
        .annotate(n=Count("id"))
    )
    for row in submitted:
        cells[(_month_key(row["m"]), row["category"])]["claims"] = row["n"]
    paid = (
        claims.filter(state=ClaimState.PAID, paid_at__year=year)
        .annotate(m=TruncMonth("paid_at"))
        .values("m", "category")
        .annotate(s=Sum("subsidy"))
    )
    for row in paid:
        cells[(_month_key(row["m"]), row["category"])]["paid"] = row["s"] or Decimal("0.00")
    collected = (
        live.filter(purchased_on__year=year)
        .filter(~Q(recycler_handover_no="") | ~Q(scrappage_certificate_no=""))
        .annotate(m=TruncMonth("purchased_on"))
        .values("m", "category")
        .annotate(n=Count("id"))
    )
    for row in collected:
        cells[(_month_key(row["m"]), row["category"])]["collected"] = row["n"]

    rows = [
        {"month": month, "category": code, "category_name": names.get(code, code), **values}
        for (month, code), values in sorted(cells.items())
    ]
    total = {
        "claims": sum(r["claims"] for r in rows),
        "paid": sum((r["paid"] for r in rows), Decimal("0.00")),
        "collected": sum(r["collected"] for r in rows),
    }
    return {"rows": rows, "total": total}
