"""Monthly returns: the list with filters and export, entering and importing, confirming a spike;
the totals per month and category against the 2023 baseline."""

import datetime
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liangxin.core.services import DomainError

from .. import rules, selectors, services, sheets
from ..enums import CATEGORY_UNIT, Category
from ..forms import ConfirmForm, PeriodForm, ReturnFilterForm, ReturnForm, UploadForm
from .common import context, form_errors, network, xlsx


def _filtered(request, place):
    form = ReturnFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    returns = selectors.returns_visible_to(request.user).filter(
        site__jurisdiction__tree_path__startswith=place.tree_path
    )
    if data.get("month"):
        returns = returns.filter(month=data["month"])
    if data.get("category"):
        returns = returns.filter(category=data["category"])
    if data.get("state"):
        returns = returns.filter(state=data["state"])
    if data.get("site"):
        returns = returns.filter(site_id=data["site"])
    return form, returns.order_by("-month", "site__name", "category")


@login_required
def return_list(request):
    place = network(request)
    form, returns = _filtered(request, place)
    shown = list(returns[:500])
    return render(
        request,
        "recycling/return_list.html",
        context(
            request,
            place,
            form=form,
            returns=shown,
            count=returns.count(),
            query=request.GET.urlencode(),
            confirm_form=ConfirmForm(),
        ),
    )


@login_required
def return_export(request):
    place = network(request)
    _form, returns = _filtered(request, place)
    return xlsx(sheets.returns_workbook(returns), quote(f"{place.name}月度回收量.xlsx"))


@login_required
def return_enter(request):
    place = network(request)
    if not rules.can_edit_network(request.user, place):
        raise PermissionDenied(_("Only the office and the responsible unit enter returns."))
    sites = selectors.sites_visible_to(request.user).filter(jurisdiction=place).order_by("level", "name")
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    form = ReturnForm(request.POST or None, sites=sites, initial={"month": last_month, "site": request.GET.get("site")})
    if request.method == "POST" and form.is_valid():
        try:
            ret = services.return_enter(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            if ret.state == "flagged":
                messages.warning(request, _("Saved, but flagged for confirmation: %s") % ret.flag_reason)
            else:
                messages.success(request, _("Return saved."))
            return redirect("recycling:return_enter")
    return render(
        request,
        "recycling/return_form.html",
        context(request, place, form=form, units=[(Category(c).label, u) for c, u in CATEGORY_UNIT.items()]),
    )


@login_required
def return_import(request):
    place = network(request)
    if not rules.can_edit_network(request.user, place):
        raise PermissionDenied(_("Only the office and the responsible unit enter returns."))
    form = UploadForm(request.POST or None, request.FILES or None)
    problems = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.returns_import(actor=request.user, jurisdiction=place, file=form.cleaned_data["file"])
        except services.ImportRejected as exc:
            problems = exc.problems
            messages.error(request, str(exc))
        except (sheets.SheetError, DomainError) as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(
                request, _("Imported %(created)s returns; %(flagged)s flagged for confirmation.") % vars(result)
            )
            return redirect("recycling:return_list")
    return render(
        request,
        "recycling/import.html",
        context(
            request,
            place,
            form=form,
            problems=problems,
            what=_("monthly returns"),
            columns=[title for _key, title, _w in sheets.RETURN_COLUMNS[:6]],
            template_url=None,
        ),
    )


@login_required
@require_POST
def return_confirm(request, pk):
    ret = selectors.returns_visible_to(request.user).filter(pk=pk).first()
    if ret is None:
        raise Http404(_("No such return."))
    if not rules.can_confirm_return(request.user, ret):
        raise PermissionDenied(_("Only the office or the unit entering the site's returns confirms them."))
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the figure is right."))
    else:
        try:
            services.return_confirm(actor=request.user, ret=ret, reason=form.cleaned_data["reason"])
        except (ValidationError, DomainError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Return confirmed; it now counts."))
    return redirect(request.POST.get("next") or "recycling:return_list")


def _period(request):
    form = PeriodForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    last = data.get("last") or today
    first = data.get("first") or datetime.date(last.year - 1, 1, 1)
    last_day = (last.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
    return form, first, last_day


@login_required
def totals(request):
    place = network(request)
    form, first, last = _period(request)
    table = selectors.totals(place, first=first, last=last)
    years = []
    for year, values in table.years:
        cells = []
        for c in table.categories:
            value = values.get(c)
            base = table.baseline.get(c)
            change = None
            if value is not None and base and base[0]:
                change = ((value - base[0]) / base[0] * 100).quantize(value.__class__("0.1"))
            cells.append((value, change))
        years.append((year, cells))
    return render(
        request,
        "recycling/totals.html",
        context(
            request,
            place,
            form=form,
            first=first,
            last=last,
            table=table,
            headers=[(Category(c).label, CATEGORY_UNIT[c]) for c in table.categories],
            rows=[(m, [v.get(c) for c in table.categories]) for m, v in table.rows],
            years=years,
            baseline=[(Category(c).label, CATEGORY_UNIT[c], b[0], b[1]) for c, b in table.baseline.items()],
            query=request.GET.urlencode(),
        ),
    )


@login_required
def totals_export(request):
    place = network(request)
    _form, first, last = _period(request)
    table = selectors.totals(place, first=first, last=last)
    return xlsx(sheets.totals_workbook(table), quote(f"{place.name}月度回收总量.xlsx"))
