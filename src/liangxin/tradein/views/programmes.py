"""Programmes: the list (tradein:home), a programme's page with its rules as a table and its
versions, the forms to create a programme and a new rule version, and the figures per category
and month (with the xlsx export)."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from liangxin.core.selectors import jurisdictions_managed_by
from liangxin.core.services import DomainError

from .. import rules, selectors
from ..forms import FiguresForm, ProgrammeForm, RuleVersionForm
from ..services.programmes import programme_create, rule_version_add, rule_version_for
from . import display
from .common import programme_or_404, refusal_text, xlsx_response
from .figures import figures_rows


def _refuse_merchants(request):
    if rules.merchant_of(request.user) is not None or request.user.role == "merchant":
        raise PermissionDenied(_("Merchants submit claims through the API or the upload page."))


@login_required
def programme_list(request):
    _refuse_merchants(request)
    programmes = list(selectors.programmes_visible_to(request.user).select_related("budget"))
    rows = []
    for programme in programmes:
        budget = getattr(programme, "budget", None)
        rows.append(
            {
                "programme": programme,
                "budget": selectors.budget_summary(budget) if budget else None,
                "counts": selectors.claim_counts_by_state(programme),
                "manage": rules.can_manage_programme(request.user, programme),
            }
        )
    return render(
        request,
        "tradein/programme_list.html",
        {"rows": rows, "can_create": jurisdictions_managed_by(request.user).exists()},
    )


@login_required
def programme_create_view(request):
    _refuse_merchants(request)
    places = jurisdictions_managed_by(request.user)
    if not places.exists():
        raise PermissionDenied(_("Only an office creates programmes, for its own jurisdiction."))
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None and places.count() == 1:
        data["jurisdiction"] = str(places.first().pk)
    form = ProgrammeForm(data, places=places)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        place = data["jurisdiction"]
        try:
            programme = programme_create(
                actor=request.user,
                jurisdiction=place,
                name=data["name"],
                year=data["year"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                rules=data["rules"],
                uses_vouchers=data["uses_vouchers"],
                description=data["description"],
                reason=_("First version"),
            )
            if data.get("budget") is not None:
                from ..services.budget import budget_create, budget_release

                budget = budget_create(actor=request.user, programme=programme)
                if data["budget"] > 0:
                    budget_release(actor=request.user, budget=budget, amount=data["budget"], note=_("First tranche"))
        except DomainError as exc:
            form.add_error(None, refusal_text(exc))
        else:
            messages.success(request, _("The programme was created."))
            return redirect("tradein:programme_detail", pk=programme.pk)
    return render(request, "tradein/programme_form.html", {"form": form})


@login_required
def programme_detail(request, pk):
    programme = programme_or_404(request, pk)
    versions = list(programme.rule_versions.select_related("created_by").order_by("-version"))
    current = rule_version_for(programme=programme, on=timezone.localdate()) or (versions[0] if versions else None)
    shown = current
    asked = request.GET.get("version")
    if asked and asked.isdigit():
        shown = next((v for v in versions if v.version == int(asked)), current)
    budget = getattr(programme, "budget", None)
    return render(
        request,
        "tradein/programme_detail.html",
        {
            "programme": programme,
            "tab": "rules",
            "versions": versions,
            "current": current,
            "shown": shown,
            "rows": display.category_rows(shown.rules) if shown else [],
            "deadlines": (shown.rules.get("deadlines") if shown else None) or {},
            "budget": selectors.budget_summary(budget) if budget else None,
            "counts": selectors.claim_counts_by_state(programme),
            "overdue": selectors.overdue_counts(programme),
            "manage": rules.can_manage_programme(request.user, programme),
        },
    )


@login_required
def rule_version_create(request, pk):
    programme = programme_or_404(request, pk, manage=True)
    latest = programme.rule_versions.order_by("-version").first()
    initial = {
        "rules_json": json.dumps(latest.rules if latest else {}, ensure_ascii=False, indent=1),
        "effective_from": max(timezone.localdate(), programme.starts_on),
    }
    form = RuleVersionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = rule_version_add(
                actor=request.user,
                programme=programme,
                rules=data["rules_json"],
                effective_from=data["effective_from"],
                reason=data["reason"],
            )
        except DomainError as exc:
            form.add_error(None, refusal_text(exc))
        else:
            messages.success(request, _("Version %(n)s of the rules was saved.") % {"n": version.version})
            return redirect("tradein:programme_detail", pk=programme.pk)
    return render(request, "tradein/version_form.html", {"programme": programme, "form": form, "tab": "rules"})


def _figures(request, programme):
    form = FiguresForm(request.GET or None)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    return form, year or programme.year


@login_required
def figures(request, pk):
    programme = programme_or_404(request, pk)
    form, year = _figures(request, programme)
    table = figures_rows(programme, year)
    return render(
        request,
        "tradein/figures.html",
        {"programme": programme, "tab": "figures", "form": form, "year": year, "table": table},
    )


@login_required
def figures_xlsx(request, pk):
    programme = programme_or_404(request, pk)
    _form, year = _figures(request, programme)
    table = figures_rows(programme, year)
    rows = [
        [_("Month"), _("Product category"), _("Number of claims"), _("Subsidy paid (yuan)"), _("Old items collected")]
    ]
    for row in table["rows"]:
        rows.append([row["month"], row["category_name"], row["claims"], row["paid"], row["collected"]])
    rows.append([_("Total"), "", table["total"]["claims"], table["total"]["paid"], table["total"]["collected"]])
    return xlsx_response(
        rows,
        filename=f"{programme.name}-{year}-figures.xlsx",
        sheet=_("Figures"),
        widths=[10, 28, 10, 18, 14],
    )


urlpatterns = [
    path("", programme_list, name="home"),
    path("programmes/new/", programme_create_view, name="programme_create"),
    path("programmes/<int:pk>/", programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/versions/new/", rule_version_create, name="version_create"),
    path("programmes/<int:pk>/figures/", figures, name="figures"),
    path("programmes/<int:pk>/figures.xlsx", figures_xlsx, name="figures_xlsx"),
]
