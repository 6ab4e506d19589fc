"""The public policy list (no login): the “1+N” structure, filters by level, channel and place."""

from django.http import Http404
from django.shortcuts import render

from ..enums import FundingChannel, PolicyLevel
from ..selectors import public_policies
from .common import search


def filter_public_policies(params):
    policies = public_policies()
    policies = search(policies, params.get("q", ""), ["title", "doc_number", "issuer", "summary"])
    if params.get("level") in PolicyLevel.values:
        policies = policies.filter(level=params["level"])
    if params.get("channel") in FundingChannel.values:
        policies = policies.filter(funding_channel=params["channel"])
    if str(params.get("jurisdiction", "")).isdigit():
        policies = policies.filter(jurisdiction_id=int(params["jurisdiction"]))
    return policies.order_by("jurisdiction__tree_path", "position", "id")


def one_plus_n(policies) -> list[dict]:
    """Group the policies as the “1+N” lists print them: each overall plan followed by its domain plans.
    A domain plan whose overall plan is filtered out still appears under that plan's title."""
    groups: dict[int, dict] = {}
    order = []
    for policy in policies:
        head = policy.parent if policy.parent_id else policy
        if head.pk not in groups:
            groups[head.pk] = {"policy": head, "children": [], "matched": False}
            order.append(head.pk)
        if policy.parent_id:
            groups[head.pk]["children"].append(policy)
        else:
            groups[head.pk]["matched"] = True
    return [groups[pk] for pk in order]


def policies(request):
    found = list(filter_public_policies(request.GET))
    places = {p.jurisdiction_id: p.jurisdiction for p in public_policies().order_by()}
    return render(
        request,
        "registry/public_policies.html",
        {
            "groups": one_plus_n(found),
            "count": len(found),
            "levels": PolicyLevel.choices,
            "channels": FundingChannel.choices,
            "places": sorted(places.values(), key=lambda j: j.tree_path),
            "params": request.GET,
        },
    )


def policy_detail(request, pk):
    policy = public_policies().filter(pk=pk).first()
    if policy is None:
        raise Http404()
    children = policy.children.filter(public=True).select_related("lead_unit").order_by("position", "id")
    return render(request, "registry/public_policy_detail.html", {"policy": policy, "children": children})
