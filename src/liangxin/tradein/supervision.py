"""Overdue claims in the 督办 list (through liangxin.dispatch.supervision_sources).

The 2026 rules give the office 3 days to accept a claim, 15 to review it and 30 to pay it. Each
scan of a plan finds, for every programme of the plan's own jurisdiction, how many claims are past
the deadline of the stage they are in as of the scan's day; one red item per programme and stage
while any are, resolved by the scan once none are. Items are filed under the plan's period
that contains the day (none when the plan has no reporting calendar).
"""

import datetime

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

RULE = "tradein_claims_overdue"
STAGES = ("accept", "review", "pay")


def _title(programme, stage: str, count: int) -> str:
    texts = {
        "accept": _("%(programme)s: %(n)s claim(s) not accepted within the deadline"),
        "review": _("%(programme)s: %(n)s claim(s) not reviewed within the deadline"),
        "pay": _("%(programme)s: %(n)s approved claim(s) not paid within the deadline"),
    }
    return (texts[stage] % {"programme": programme.name, "n": count})[:300]


def overdue_findings(plan, today: datetime.date) -> list:
    from liangxin.dispatch.enums import SupervisionLevel
    from liangxin.dispatch.models import Period
    from liangxin.dispatch.services.supervision import Finding

    from .models import Programme
    from .selectors import overdue_counts

    programmes = list(Programme.objects.filter(jurisdiction_id=plan.jurisdiction_id).order_by("pk"))
    if not programmes:
        return []
    # Overdue "as of today": the deadline passed before the day began.
    cutoff = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    period = Period.objects.filter(plan=plan, start__lte=today, end__gte=today).first()
    findings = []
    for programme in programmes:
        for stage, count in overdue_counts(programme, now=cutoff).items():
            if count:
                findings.append(
                    Finding(
                        rule=RULE,
                        period=period,
                        subject_type=f"tradein_{stage}",
                        subject_id=programme.pk,
                        level=SupervisionLevel.OVERDUE,
                        title=_title(programme, stage, count),
                        unit_id=None,
                        unit_ids=(),
                    )
                )
    return findings


def item_url(user, item) -> str:
    """The programme's overdue claims in the office pages (or the API when the pages are absent)."""
    for name, args in (("tradein:claim_list", []), ("tradein:home", [])):
        try:
            return reverse(name, args=args) + f"?programme={item.subject_id}&overdue=1"
        except NoReverseMatch:
            continue
    return reverse("api:tradein-claim-list") + f"?programme={item.subject_id}&overdue=true"


def register_source() -> None:
    from liangxin.dispatch.supervision_sources import SupervisionSource, register

    register(SupervisionSource(RULE, gettext_lazy("trade-in claims past their deadline"), overdue_findings, item_url))
