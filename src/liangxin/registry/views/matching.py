"""Matchmaking in the browser: a demand's suppliers, a project's financing offers, an enterprise's
policies (精准推送) and the batch push list of a jurisdiction.

Who sees what (checked here and in the API alike, through liangxin.registry.rules_matching):
the office of the jurisdiction (records outcomes); a leader above it (reads); a unit reporter the
matches of its unit's demands and projects; anyone else 404.
"""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liangxin.core.services import DomainError

from .. import push
from .. import rules_matching as access
from ..enums import OutcomeState
from ..finance import amount_sought, finance_matches
from ..matching import demand_matches, describe, need_from_demand
from ..models import Demand, Enterprise, MatchEvent, MatchOutcome, Product, Project
from ..services import events as event_services


class OutcomeForm(forms.Form):
    product = forms.IntegerField(widget=forms.HiddenInput)
    state = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=OutcomeState.choices)
    amount_wan = forms.DecimalField(
        label=gettext_lazy("Amount (10k yuan)"), required=False, min_value=Decimal("0"), decimal_places=2
    )
    event = forms.ModelChoiceField(label=gettext_lazy("Event"), queryset=MatchEvent.objects.none(), required=False)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=500)

    def __init__(self, *args, jurisdiction, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = MatchEvent.objects.filter(
            jurisdiction__tree_path__in=access.ancestor_paths(jurisdiction)
        )


def _demand(request, pk) -> Demand:
    demand = Demand.objects.select_related("jurisdiction", "category", "owner", "unit").filter(pk=pk).first()
    if demand is None or not access.can_read_demand_matches(request.user, demand):
        raise Http404(_("No such demand."))
    return demand


def _badges(match) -> list[dict]:
    return [
        {"code": r.code, "level": r.level, "text": describe(r), "points": r.points, "negative": r.points < 0}
        for r in match.reasons
    ]


@login_required
def demand_match_page(request, pk):
    demand = _demand(request, pk)
    rows = demand_matches(demand, limit=None)
    if request.GET.get("format") == "xlsx":
        return _matches_xlsx(demand, rows)
    office = access.can_record_outcomes(request.user, demand.jurisdiction)
    outcomes = {
        o.supplier_id: o
        for o in MatchOutcome.objects.filter(demand=demand).select_related("event").order_by("at", "pk")
    }
    shown = rows[:30]
    return render(
        request,
        "registry/matching_demand.html",
        {
            "demand": demand,
            "need": need_from_demand(demand),
            "rows": [
                {
                    "row": r,
                    "badges": _badges(r.match),
                    "outcome": outcomes.get(r.enterprise.pk),
                    "others": [(p, m.score) for p, m in r.others],
                }
                for r in shown
            ],
            "total": len(rows),
            "office": office,
            "form": OutcomeForm(jurisdiction=demand.jurisdiction) if office else None,
            "states": OutcomeState.choices,
            "events": list(OutcomeForm(jurisdiction=demand.jurisdiction).fields["event"].queryset) if office else [],
        },
    )


def _matches_xlsx(demand, rows) -> HttpResponse:
    from io import BytesIO

    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = _("Matches")[:31]
    ws.append([_("Rank"), _("Supplier"), _("Unified social credit code"), _("Product"), _("Score"), _("Reasons")])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append(
            [
                r.rank,
                r.enterprise.name,
                r.enterprise.uscc,
                str(r.product),
                r.match.score,
                "；".join(f"{describe(x)} {x.points:+g}" for x in r.match.reasons),
            ]
        )
    for letter, width in zip("ABCDEF", (6, 32, 22, 32, 8, 80), strict=True):
        ws.column_dimensions[letter].width = width
    out = BytesIO()
    wb.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="demand-{demand.pk}-matches.xlsx"'
    return response


@login_required
def demand_outcome_record(request, pk):
    if request.method != "POST":
        return redirect("registry:demand_matches", pk=pk)
    demand = _demand(request, pk)
    if not access.can_record_outcomes(request.user, demand.jurisdiction):
        raise PermissionDenied(_("Only the office of the demand's jurisdiction records outcomes."))
    form = OutcomeForm(request.POST, jurisdiction=demand.jurisdiction)
    if not form.is_valid():
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
        return redirect("registry:demand_matches", pk=pk)
    product = Product.objects.select_related("enterprise").filter(pk=form.cleaned_data["product"]).first()
    if product is None:
        raise Http404(_("No such product."))
    try:
        event_services.outcome_record(
            actor=request.user,
            supplier=product.enterprise,
            product=product,
            demand=demand,
            state=form.cleaned_data["state"],
            amount_wan=form.cleaned_data["amount_wan"],
            event=form.cleaned_data["event"],
            note=form.cleaned_data["note"],
        )
    except (DomainError, ValidationError) as exc:
        messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(
            request,
            _("Outcome recorded: %(supplier)s — %(state)s.")
            % {"supplier": product.enterprise.name, "state": OutcomeState(form.cleaned_data["state"]).label},
        )
    return redirect("registry:demand_matches", pk=pk)


@login_required
def project_finance_page(request, pk):
    project = Project.objects.select_related("jurisdiction", "owner").filter(pk=pk).first()
    if project is None or not access.can_read_project_matches(request.user, project):
        raise Http404(_("No such project."))
    matches = finance_matches(project)
    return render(
        request,
        "registry/matching_project.html",
        {
            "project": project,
            "amount": amount_sought(project),
            "matches": matches,
            "office": access.can_record_outcomes(request.user, project.jurisdiction),
        },
    )


def _push_context(enterprise, today):
    usable, near = push.push_enterprise(enterprise, today=today)
    from ..models import Policy

    policies = Policy.objects.select_related("jurisdiction").in_bulk([r.policy.key for r in [*usable, *near]])
    return {
        "usable": [
            {"policy": policies[r.policy.key], "reasons": [push.describe(c) for c in r.reasons], "verify": r.to_verify}
            for r in usable
        ],
        "near": [
            {
                "policy": policies[r.policy.key],
                "reasons": [push.describe(c) for c in r.reasons],
                "missing": [push.describe(c) for c in r.missing],
                "verify": r.to_verify,
            }
            for r in near
        ],
    }


@login_required
def enterprise_push_page(request, pk):
    enterprise = get_object_or_404(Enterprise.objects.select_related("jurisdiction"), pk=pk)
    if not access.can_read_push(request.user, enterprise.jurisdiction):
        raise Http404(_("No such enterprise."))
    context = {"enterprise": enterprise, **_push_context(enterprise, timezone.localdate())}
    return render(request, "registry/push_enterprise.html", context)


@login_required
def push_batch_page(request):
    places = list(access.push_jurisdictions(request.user))
    if not places:
        raise PermissionDenied(_("Only offices and leaders see the policy push lists."))
    wanted = request.GET.get("jurisdiction")
    place = next((p for p in places if str(p.pk) == wanted), places[0])
    enterprises = Enterprise.objects.filter(jurisdiction__tree_path__startswith=place.tree_path).select_related(
        "jurisdiction"
    )
    only = request.GET.get("state", "")
    results = push.push_batch(enterprises.order_by("name", "pk"), today=timezone.localdate())
    every = push.batch_rows(results)
    rows = [r for r in every if not only or r["state"] == only]
    if request.GET.get("format") == "xlsx":
        from ..models import Policy

        data = push.batch_xlsx(
            rows,
            enterprises=enterprises.in_bulk([r["enterprise"] for r in rows]),
            policies=Policy.objects.in_bulk([r["policy"] for r in rows]),
        )
        response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="policy-push-{place.pk}.xlsx"'
        return response
    return render(
        request,
        "registry/push_batch.html",
        {
            "place": place,
            "places": places,
            "rows": rows,
            "state": only,
            "enterprises": len(results),
            "usable": sum(1 for r in every if r["state"] == "usable"),
            "near": sum(1 for r in every if r["state"] == "near"),
        },
    )


urlpatterns = [
    path("demands/<int:pk>/matches/", demand_match_page, name="demand_matches"),
    path("demands/<int:pk>/matches/outcome/", demand_outcome_record, name="demand_outcome_record"),
    path("projects/<int:pk>/finance-matches/", project_finance_page, name="project_finance_matches"),
    path("enterprises/<int:pk>/policies/", enterprise_push_page, name="enterprise_push"),
    path("policy-push/", push_batch_page, name="push_batch"),
]
