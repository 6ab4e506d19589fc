"""The registry pages: the overview, the sites table with export and import, a site with its history."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liangxin.core.services import DomainError

from .. import rules, selectors, services, sheets
from ..enums import SiteLevel, SiteStatus
from ..forms import SiteCreateForm, SiteFilterForm, SiteForm, StatusForm, UploadForm
from .common import context, form_errors, network, xlsx


@login_required
def home(request):
    place = network(request)
    sites = selectors.sites_visible_to(request.user).filter(jurisdiction__tree_path__startswith=place.tree_path)
    counts = {(r["level"], r["status"]): r["n"] for r in sites.values("level", "status").annotate(n=Count("id"))}
    rows = [
        (
            value,
            label,
            [counts.get((value, s), 0) for s in SiteStatus.values],
            sum(counts.get((value, s), 0) for s in SiteStatus.values),
        )
        for value, label in SiteLevel.choices
    ]
    totals = [sum(counts.get((lv, s), 0) for lv in SiteLevel.values) for s in SiteStatus.values]
    targets = selectors.plan_targets(place)
    year = timezone.localdate().year
    today_counts = selectors.open_counts_on(place, [timezone.localdate()])[0]
    return render(
        request,
        "recycling/home.html",
        context(
            request,
            place,
            rows=rows,
            statuses=SiteStatus.choices,
            totals=totals,
            total=sum(totals),
            targets=targets,
            year=year,
            points_open=today_counts.get(SiteLevel.POINT, 0),
            sorting_open=today_counts.get(SiteLevel.SORTING, 0),
            points_target=targets.points.get(year) or (targets.points and targets.points[max(targets.points)]),
            sorting_target=targets.sorting.get(year) or (targets.sorting and targets.sorting[max(targets.sorting)]),
            flagged=selectors.returns_visible_to(request.user)
            .filter(site__jurisdiction__tree_path__startswith=place.tree_path, state="flagged")
            .count(),
        ),
    )


def _filtered_sites(request, place):
    form = SiteFilterForm(request.GET or None, jurisdiction=place)
    data = form.cleaned_data if form.is_valid() else {}
    sites = selectors.sites_visible_to(request.user).filter(jurisdiction__tree_path__startswith=place.tree_path)
    sites = selectors.sites_filtered(
        sites,
        level=data.get("level") or "",
        status=data.get("status") or "",
        category=data.get("category") or "",
        town=data.get("town"),
        two_networks=data.get("two_networks"),
        q=(data.get("q") or "").strip(),
    )
    return form, sites


@login_required
def site_list(request):
    place = network(request)
    form, sites = _filtered_sites(request, place)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "recycling/site_list.html",
        context(request, place, form=form, sites=list(sites), query=query.urlencode()),
    )


@login_required
def site_export(request):
    place = network(request)
    _form, sites = _filtered_sites(request, place)
    return xlsx(sheets.sites_workbook(sites), quote(f"{place.name}回收网点.xlsx"))


def _site(request, pk):
    site = selectors.site_for(request.user, pk)
    if site is None:
        raise Http404(_("No such site."))
    return site


@login_required
def site_detail(request, pk):
    site = _site(request, pk)
    return render(
        request,
        "recycling/site_detail.html",
        {
            "site": site,
            "place": site.jurisdiction,
            "can_edit": rules.can_edit_site(request.user, site),
            "changes": site.status_changes.select_related("actor").order_by("-on", "-id"),
            "stops": site.stops.all(),
            "history": selectors.site_history(site)[:100],
            "returns": site.returns.order_by("-month", "category")[:36],
            "status_form": StatusForm(initial={"on": timezone.localdate()}),
        },
    )


@login_required
def site_create(request):
    place = network(request)
    if not rules.can_edit_network(request.user, place):
        raise PermissionDenied(_("Only the office and the responsible unit register sites."))
    form = SiteCreateForm(request.POST or None, jurisdiction=place, initial={"status_since": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            operator = services.operator_resolve(
                actor=request.user,
                jurisdiction=place,
                uscc=form.cleaned_data["operator_uscc"],
                name=form.cleaned_data["operator_name"],
            )
            site = services.site_create(
                actor=request.user,
                jurisdiction=place,
                status=form.cleaned_data["status"],
                status_since=form.cleaned_data["status_since"],
                operator=operator,
                **form.site_fields(),
            )
        except ValidationError as exc:
            form_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Site %s registered.") % site.name)
            return redirect("recycling:site_detail", site.pk)
    return render(request, "recycling/site_form.html", context(request, place, form=form, site=None))


@login_required
def site_edit(request, pk):
    site = _site(request, pk)
    if not rules.can_edit_site(request.user, site):
        raise PermissionDenied(_("Only the office and the responsible unit edit this site."))
    initial = {
        "level": site.level,
        "name": site.name,
        "town": site.town,
        "address": site.address,
        "lat": site.lat,
        "lng": site.lng,
        "datum": site.datum,
        "operator_name": site.operator.name if site.operator_id else "",
        "operator_uscc": site.operator.uscc if site.operator_id else "",
        "hours": site.hours,
        "phone": site.phone,
        "categories": site.categories,
        "two_networks": site.two_networks,
        "responsible_unit": site.responsible_unit,
        "notes": site.notes,
    }
    form = SiteForm(request.POST or None, jurisdiction=site.jurisdiction, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            operator = services.operator_resolve(
                actor=request.user,
                jurisdiction=site.jurisdiction,
                uscc=form.cleaned_data["operator_uscc"],
                name=form.cleaned_data["operator_name"],
            )
            services.site_update(actor=request.user, site=site, operator=operator, **form.site_fields())
        except ValidationError as exc:
            form_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Site %s saved.") % site.name)
            return redirect("recycling:site_detail", site.pk)
    return render(request, "recycling/site_form.html", context(request, site.jurisdiction, form=form, site=site))


@login_required
@require_POST
def site_status(request, pk):
    site = _site(request, pk)
    if not rules.can_edit_site(request.user, site):
        raise PermissionDenied(_("Only the office and the responsible unit change a site's status."))
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.site_set_status(actor=request.user, site=site, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Status changed."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("recycling:site_detail", site.pk)


@login_required
def site_import(request):
    place = network(request)
    if not rules.can_edit_network(request.user, place):
        raise PermissionDenied(_("Only the office and the responsible unit import sites."))
    form = UploadForm(request.POST or None, request.FILES or None)
    problems = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.sites_import(actor=request.user, jurisdiction=place, file=form.cleaned_data["file"])
        except services.ImportRejected as exc:
            problems = exc.problems
            messages.error(request, str(exc))
        except (sheets.SheetError, DomainError) as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(request, _("Imported: %(created)s new sites, %(updated)s updated.") % vars(result))
            return redirect(reverse("recycling:site_list") + (f"?j={place.pk}" if request.GET.get("j") else ""))
    return render(
        request,
        "recycling/import.html",
        context(
            request,
            place,
            form=form,
            problems=problems,
            what=_("sites"),
            columns=[title for _key, title, _w in sheets.SITE_COLUMNS],
            template_url=reverse("recycling:site_export"),
        ),
    )
