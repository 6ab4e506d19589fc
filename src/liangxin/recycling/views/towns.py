"""Towns and their centres (from which coverage gaps are measured), and a mobile van's route."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from liangxin.core.services import DomainError

from .. import rules, selectors, services
from ..forms import RouteForm, TownCentreForm
from ..models import TownCentre
from .common import context, form_errors, network
from .network import _site


@login_required
def towns(request):
    place = network(request)
    form = TownCentreForm(request.POST or None)
    if request.method == "POST":
        if not rules.can_edit_network(request.user, place):
            raise PermissionDenied(_("Only the office and the responsible unit edit the towns."))
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    town = services.town_resolve(actor=request.user, jurisdiction=place, name=data["town"])
                    services.town_centre_set(
                        actor=request.user, town=town, lat=data["lat"], lng=data["lng"], population=data["population"]
                    )
            except ValidationError as exc:
                form_errors(form, exc)
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Centre of %s saved.") % town.name)
                return redirect(request.get_full_path())
    towns = list(selectors.towns_of(place))
    centres = {c.town_id: c for c in TownCentre.objects.filter(town__in=towns)}
    rows = [(t, centres.get(t.pk)) for t in towns]
    return render(request, "recycling/towns.html", context(request, place, form=form, rows=rows))


@login_required
def site_route(request, pk):
    site = _site(request, pk)
    if not rules.can_edit_site(request.user, site):
        raise PermissionDenied(_("Only the office and the responsible unit edit this site."))
    initial = "\n".join(f"{s.place} | {s.lat} | {s.lng} | {s.schedule}" for s in site.stops.all())
    form = RouteForm(request.POST or None, initial={"stops": initial})
    if request.method == "POST" and form.is_valid():
        try:
            services.route_set(actor=request.user, site=site, stops=form.cleaned_data["stops"])
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("stops", message)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Route saved."))
            return redirect("recycling:site_detail", site.pk)
    return render(request, "recycling/route_form.html", context(request, site.jurisdiction, form=form, site=site))
