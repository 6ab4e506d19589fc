"""Finance matching (融资租赁精准撮合): for a project that needs financing, the leasing companies' and
banks' offers that fit, ranked, with the reasons.

An offer fits when it is active, serves the project's domain (or any domain), covers the amount
sought (the financing amount, else the equipment investment) within its range, is offered where
the project is (its jurisdiction and below, or anywhere when it names none), and every condition
it states that the project or its owner can answer holds (a flag such as 专精特新, a size, 中小企业,
a prerequisite done such as 环评, a funding channel sought). Points:

- domain: named by the offer 20, any domain 10;
- amount: within range 20 (offers without a range 10);
- locality: offered in the project's district 15, its city 10, its province 5, nationwide 3;
- channel: an interest-subsidised loan for a project seeking 贷款贴息, or a loan for one seeking
  再贷款, 10;
- conditions met: 5 each; past contracts of the provider through matchmaking: 3 each, up to 9.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .enums import (
    ENTERPRISE_FLAGS,
    FinanceKind,
    FundingChannel,
    OutcomeState,
    PrerequisiteKind,
    PrerequisiteState,
)
from .push import CHANNELS, SIZES, SME_SIZES, SME_WORDS

CHANNEL_FOR_KIND = {
    FinanceKind.SUBSIDISED_LOAN: FundingChannel.LOAN_INTEREST,
    FinanceKind.LOAN: FundingChannel.RELENDING,
}


@dataclass
class FinanceMatch:
    offer: object
    score: float
    reasons: list[tuple[str, float, str]] = field(default_factory=list)  # (code, points, text)
    to_verify: list[str] = field(default_factory=list)


def amount_sought(project) -> Decimal | None:
    return project.financing_amount_wan or project.equipment_investment_wan or None


PREREQUISITE_WORDS = {
    **{str(v): str(v) for v in PrerequisiteKind.values},
    "审批": PrerequisiteKind.APPROVAL,
    "备案": PrerequisiteKind.APPROVAL,
    "审批/备案": PrerequisiteKind.APPROVAL,
    "立项": PrerequisiteKind.APPROVAL,
    "用地": PrerequisiteKind.LAND,
    "用地手续": PrerequisiteKind.LAND,
    "节能审查": PrerequisiteKind.ENERGY,
    "环评": PrerequisiteKind.ENVIRONMENT,
    "环评批复": PrerequisiteKind.ENVIRONMENT,
}


def _condition(tag: str, project, owner, done: set[str]) -> bool | None:
    """True/False when the project or its owner answers the tag; None when it cannot be checked."""
    if tag in SME_WORDS:
        return owner.size in SME_SIZES
    if tag in SIZES:
        return owner.size == SIZES[tag]
    if tag in PREREQUISITE_WORDS:
        return PREREQUISITE_WORDS[tag] in done
    if tag in CHANNELS:
        return CHANNELS[tag] in (project.channels or [])
    if tag in (owner.flags or []):
        return True
    if tag in ENTERPRISE_FLAGS:
        return False
    return None


def _locality(offer_path: str | None, project_path: str) -> tuple[float, str]:
    if not offer_path:
        return 3.0, _("offered nationwide")
    if project_path.startswith(offer_path):
        depth_offer = len(offer_path.strip("/").split("/"))
        depth_project = len(project_path.strip("/").split("/"))
        gap = depth_project - depth_offer
        if gap == 0:
            return 15.0, _("offered in the project's district")
        if gap == 1:
            return 10.0, _("offered in the project's city")
        return 5.0, _("offered in the project's province")
    return 0.0, ""


def finance_matches(project, offers=None) -> list[FinanceMatch]:
    """The offers that fit the project, best first."""
    from django.db.models import Count

    from .models import FinanceOffer, MatchOutcome

    if offers is None:
        offers = FinanceOffer.objects.filter(active=True).select_related("provider", "jurisdiction")
    owner = project.owner
    done = set(
        project.prerequisites.filter(state__in=[PrerequisiteState.DONE, PrerequisiteState.NOT_NEEDED]).values_list(
            "kind", flat=True
        )
    )
    contracts = dict(
        MatchOutcome.objects.filter(state=OutcomeState.CONTRACTED, offer__isnull=False)
        .values_list("supplier_id")
        .annotate(n=Count("id"))
        .values_list("supplier_id", "n")
    )
    amount = amount_sought(project)
    path = project.jurisdiction.tree_path
    out = []
    for offer in offers:
        if not offer.active:
            continue
        reasons: list[tuple[str, float, str]] = []
        if offer.domains:
            if project.domain not in offer.domains:
                continue
            reasons.append(("domain", 20.0, _("serves %(domain)s") % {"domain": project.get_domain_display()}))
        else:
            reasons.append(("domain", 10.0, _("serves every domain")))
        low, high = offer.min_amount_wan, offer.max_amount_wan
        if amount is not None and ((low is not None and amount < low) or (high is not None and amount > high)):
            continue
        if low is None and high is None:
            reasons.append(("amount", 10.0, _("no amount limits")))
        else:
            reasons.append(
                (
                    "amount",
                    20.0,
                    _("%(amount)s (10k yuan) within %(low)s–%(high)s")
                    % {"amount": amount if amount is not None else "—", "low": low or 0, "high": high or "∞"},
                )
            )
        offer_path = offer.jurisdiction.tree_path if offer.jurisdiction_id else None
        points, text = _locality(offer_path, path)
        if offer_path and not points:
            continue
        reasons.append(("locality", points, text))
        channel = CHANNEL_FOR_KIND.get(offer.kind)
        if channel and channel in (project.channels or []):
            label = FundingChannel(channel).label
            reasons.append(("channel", 10.0, _("the project seeks %(channel)s") % {"channel": label}))
        failed, to_verify = False, []
        for tag in offer.conditions or []:
            answer = _condition(tag, project, owner, done)
            if answer is None:
                to_verify.append(tag)
            elif answer:
                reasons.append(("condition", 5.0, _("condition met: %(tag)s") % {"tag": tag}))
            else:
                failed = True
                break
        if failed:
            continue
        n = contracts.get(offer.provider_id, 0)
        if n:
            reasons.append(("track_record", float(min(3 * n, 9)), _("%(n)d contracts signed before") % {"n": n}))
        out.append(FinanceMatch(offer, sum(r[1] for r in reasons), reasons, to_verify))
    out.sort(key=lambda m: (-m.score, m.offer.provider.name, m.offer.name, m.offer.pk))
    return out


__all__ = ["FinanceMatch", "amount_sought", "finance_matches"]
