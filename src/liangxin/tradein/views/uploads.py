"""Claims by .xlsx upload: the template download and the upload with its row-by-row answer.

A merchant uploads for itself; the office of the programme uploads on a merchant's behalf (it
picks the merchant). Good rows become claims, bad rows come back with their reasons (see
liangxin.tradein.uploads)."""

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import rules, selectors
from ..forms import ClaimUploadForm
from ..models import Merchant
from ..services.programmes import rule_version_for
from ..uploads import UploadRefused, claim_template, claim_upload, results_workbook
from . import display
from .common import XLSX, attachment


def _programme(request, pk):
    programme = selectors.programme_for(request.user, pk)
    if programme is None:
        raise Http404(_("No such programme."))
    merchant = rules.merchant_of(request.user)
    if merchant is not None:
        if not rules.can_submit_claims(request.user, programme):
            raise PermissionDenied(_("Your merchant account may not submit claims to this programme."))
        return programme, merchant
    if not rules.can_manage_programme(request.user, programme):
        raise PermissionDenied(_("Only the programme's office or a merchant uploads claims."))
    return programme, None


def _categories(programme):
    version = (
        rule_version_for(programme=programme, on=timezone.localdate())
        or programme.rule_versions.order_by("-version").first()
    )
    return list(display.category_names(version.rules).items()) if version else []


@login_required
def upload_template(request, pk):
    programme, _merchant = _programme(request, pk)
    return attachment(
        claim_template(categories=_categories(programme)),
        filename=f"{programme.name}-申报模板.xlsx",
        content_type=XLSX,
    )


@login_required
def upload_claims(request, pk):
    programme, merchant = _programme(request, pk)
    merchants = None
    if merchant is None:
        merchants = [
            (str(m.pk), m.name)
            for m in Merchant.objects.filter(jurisdiction_id=programme.jurisdiction_id, active=True).order_by("name")
        ]
    form = ClaimUploadForm(request.POST or None, request.FILES or None, merchants=merchants)
    results, results_file = None, None
    if request.method == "POST" and form.is_valid():
        acting_for = merchant or Merchant.objects.get(pk=int(form.cleaned_data["merchant"]))
        try:
            results = claim_upload(
                actor=request.user, merchant=acting_for, programme=programme, raw=form.cleaned_data["file"].read()
            )
        except UploadRefused as exc:
            form.add_error("file", str(exc))
        else:
            accepted = sum(1 for r in results if r.ok and r.created)
            again = sum(1 for r in results if r.ok and not r.created)
            refused = sum(1 for r in results if not r.ok)
            text = _("%(accepted)s rows accepted, %(again)s already submitted, %(refused)s refused.") % {
                "accepted": accepted,
                "again": again,
                "refused": refused,
            }
            (messages.warning if refused else messages.success)(request, text)
            # The answer as a workbook, inline: nothing of the upload is kept on the server.
            results_file = base64.b64encode(results_workbook(results)).decode()
    return render(
        request,
        "tradein/upload.html",
        {
            "programme": programme,
            "tab": "upload",
            "form": form,
            "results": results,
            "results_file": results_file,
            "xlsx_type": XLSX,
            "merchant": merchant,
            "manage": merchant is None,
        },
    )


urlpatterns = [
    path("programmes/<int:pk>/upload/", upload_claims, name="upload"),
    path("programmes/<int:pk>/upload/template.xlsx", upload_template, name="upload_template"),
]
