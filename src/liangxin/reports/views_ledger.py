"""The ledger round trip in the browser: download a unit's 工作台账, upload it filled.

The upload answers on the report page itself: success redirects there with how many rows were read;
a refused file renders the report page again with the problems in a table (row, column, reason).
"""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liangxin.core.files import upload_too_large
from liangxin.core.models import Unit
from liangxin.dispatch import rules, selectors
from liangxin.dispatch import services as dispatch_services
from liangxin.dispatch.enums import PeriodState
from liangxin.dispatch.forms import SubmissionForm
from liangxin.dispatch.models import Period, Submission
from liangxin.plans.selectors import plans_visible_to

from . import ledger


def period_visible(user, pk) -> Period:
    """The period, if its plan is one the user may see (404 otherwise, as for any hidden plan)."""
    return get_object_or_404(
        Period.objects.select_related("plan__jurisdiction"), pk=pk, plan__in=plans_visible_to(user)
    )


def ledger_unit(user, period: Period, unit_id=None) -> Unit:
    """Whose ledger the user may download: a reporter its own unit's; the office any owing unit's."""
    if user.unit_id is not None and rules.can_report_for(user, user.unit, period.plan):
        if unit_id in (None, "", str(user.unit_id), user.unit_id):
            return user.unit
    if rules.can_run_dispatch(user, period.plan) and unit_id not in (None, ""):
        owing = {u.pk: u for u in selectors.units_owing(period.plan)}
        try:
            return owing[int(unit_id)]
        except (KeyError, ValueError):
            pass
    raise PermissionDenied(_("Only a reporter of the unit, or the plan's office, may download this ledger."))


def ledger_response(period: Period, unit) -> HttpResponse:
    response = HttpResponse(ledger.ledger_build(period=period, unit=unit), content_type=ledger.CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename=\"ledger-{period.label}.xlsx\"; filename*=UTF-8''" + quote(
        ledger.ledger_filename(period, unit)
    )
    return response


def uploader_unit(user, period: Period) -> Unit:
    if user.unit_id is None or not rules.can_report_for(user, user.unit, period.plan):
        raise PermissionDenied(_("Only a reporter of the unit may upload its ledger."))
    return user.unit


def upload_bytes(request) -> bytes | None:
    """The uploaded file's bytes, or LedgerRejected for a missing or oversized file."""
    if upload_too_large(request):
        ledger._refuse(
            _("The file is larger than 5 MB; a ledger is much smaller. Check that you chose the right file.")
        )
    upload = request.FILES.get("file")
    if upload is None:
        ledger._refuse(_("Choose the filled ledger (.xlsx) to upload."))
    if upload.size > ledger.MAX_BYTES:
        ledger._refuse(
            _("The file is larger than 5 MB; a ledger is much smaller. Check that you chose the right file.")
        )
    return upload.read()


@login_required
def ledger_download(request, period_pk):
    period = period_visible(request.user, period_pk)
    unit = ledger_unit(request.user, period, request.GET.get("unit"))
    return ledger_response(period, unit)


@login_required
@require_POST
def ledger_upload(request, period_pk):
    period = period_visible(request.user, period_pk)
    unit = uploader_unit(request.user, period)
    try:
        rows = ledger.ledger_import(actor=request.user, data=upload_bytes(request), period=period, unit=unit)
    except ledger.LedgerRejected as exc:
        return _report_with_problems(request, period, unit, exc.problems)
    messages.success(
        request,
        _("%(rows)d rows were read from the ledger into your draft. Check them below, then submit.") % {"rows": rows},
    )
    return redirect("dispatch:report", period_pk=period.pk)


def _report_with_problems(request, period, unit, problems):
    """The report page as dispatch:report shows it, with the ledger's problems in its Excel box."""
    submission = Submission.objects.filter(period=period, unit=unit).first()
    if submission is None:
        try:
            submission = dispatch_services.submission_open(actor=request.user, period=period, unit=unit)
        except dispatch_services.DispatchError:
            messages.error(request, "; ".join(p.reason for p in problems))
            return redirect("dispatch:workbench")
    submission = selectors.submission_detail(submission)
    editable = submission.state in ("draft", "returned") and period.state == PeriodState.OPEN
    return render(
        request,
        "dispatch/report.html",
        {
            "period": period,
            "plan": period.plan,
            "submission": submission,
            "form": SubmissionForm(None, submission=submission),
            "editable": editable,
            "versions": submission.versions.all(),
            "ledger_problems": problems,
        },
        status=400,
    )


urlpatterns = [
    path("periods/<int:period_pk>/ledger.xlsx", ledger_download, name="ledger_download"),
    path("periods/<int:period_pk>/ledger/", ledger_upload, name="ledger_upload"),
]
