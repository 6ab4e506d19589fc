"""Coverage against the plan: open sites by level and town on a date, the monthly series, the gaps."""

import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from .. import selectors
from ..enums import SiteLevel
from ..forms import CoverageForm
from .common import context, network


@login_required
def coverage(request):
    place = network(request)
    form = CoverageForm(request.GET or None, initial={"on": timezone.localdate(), "km": 3})
    on, km = form.values()
    cov = selectors.coverage_on(place, on)
    first = datetime.date(on.year - 2, 1, 1)
    series = selectors.coverage_series(place, first, on)
    gaps, towns = selectors.gaps(place, km=km)
    levels = [(v, label) for v, label in SiteLevel.choices if cov.totals.get(v)]
    rows = [(row, [row.counts.get(v, 0) for v, _label in levels]) for row in cov.rows]
    return render(
        request,
        "recycling/coverage.html",
        context(
            request,
            place,
            form=form,
            on=on,
            km=km,
            coverage=cov,
            levels=levels,
            rows=rows,
            level_totals=[cov.totals.get(v, 0) for v, _label in levels],
            series=list(reversed(series)),
            targets=selectors.plan_targets(place),
            gaps=gaps,
            towns=towns,
        ),
    )
