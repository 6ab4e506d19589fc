"""Payouts in the browser: batches of approved claims, the bank file (CSV in GB18030 or UTF-8, or
xlsx), the bank's result file, the reconciliation, and the failed payments (retry or return)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liangxin.core.services import DomainError

from .. import bankfiles, rules
from ..enums import BatchState, LineState
from ..forms import BatchCreateForm, ResultUploadForm, ReturnForm
from ..models import PaymentBatch, PaymentLine
from ..services import payouts
from .common import XLSX, attachment, programme_or_404, run_service


def _merchant_choices(programme):
    claims = payouts.payable_claims(programme=programme)
    rows = (
        claims.values("merchant_id", "merchant__name")
        .annotate(n=Count("id"), s=Sum("subsidy"))
        .order_by("merchant__name")
    )
    return [
        (
            str(r["merchant_id"]),
            _("%(name)s — %(n)s claims, %(amount)s yuan")
            % {"name": r["merchant__name"], "n": r["n"], "amount": f"{r['s']:,.2f}"},
        )
        for r in rows
    ]


@login_required
def batch_list(request, pk):
    programme = programme_or_404(request, pk)
    manage = rules.can_manage_programme(request.user, programme)
    batches = (
        PaymentBatch.objects.filter(programme=programme)
        .annotate(lines_count=Count("lines"), total=Sum("lines__amount"))
        .order_by("-number")
    )
    return render(
        request,
        "tradein/payouts.html",
        {
            "programme": programme,
            "tab": "payouts",
            "batches": [(b, payouts.batch_label(b)) for b in batches],
            "manage": manage,
            "form": BatchCreateForm(merchants=_merchant_choices(programme)) if manage else None,
            "payable": payouts.payable_claims(programme=programme).aggregate(n=Count("id"), s=Sum("subsidy")),
            "failed": payouts.failed_lines(programme=programme),
            "return_form": ReturnForm(),
        },
    )


@login_required
@require_POST
def batch_create(request, pk):
    programme = programme_or_404(request, pk, manage=True)
    form = BatchCreateForm(request.POST, merchants=_merchant_choices(programme))
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("tradein:payouts", pk=programme.pk)
    merchant_ids = [int(m) for m in form.cleaned_data["merchants"]] or None
    batch = run_service(
        request,
        payouts.batch_create,
        _("The payment batch was created."),
        programme=programme,
        merchant_ids=merchant_ids,
    )
    if batch is None:
        return redirect("tradein:payouts", pk=programme.pk)
    return redirect("tradein:batch_detail", pk=batch.pk)


def _batch(request, pk, *, manage=False):
    batch = PaymentBatch.objects.filter(pk=pk).select_related("programme").first()
    if batch is None:
        raise Http404(_("No such payment batch."))
    programme_or_404(request, batch.programme_id, manage=manage)
    return batch


@login_required
def batch_detail(request, pk, *, upload_form=None, problems=None):
    batch = _batch(request, pk)
    programme = batch.programme
    groups = payouts.batch_groups(batch)
    return render(
        request,
        "tradein/batch_detail.html",
        {
            "programme": programme,
            "tab": "payouts",
            "batch": batch,
            "label": payouts.batch_label(batch),
            "groups": groups,
            "total": sum((g.amount for g in groups), 0),
            "claims": sum(len(g.lines) for g in groups),
            "manage": rules.can_manage_programme(request.user, programme),
            "upload_form": upload_form or ResultUploadForm(),
            "problems": problems,
            "columns": bankfiles.ORDER_COLUMNS,
            "result_columns": bankfiles.RESULT_COLUMNS,
            "failed_count": sum(1 for g in groups for line in g.lines if line.state == LineState.FAILED),
            "draft": batch.state == BatchState.DRAFT,
            "exported": batch.state == BatchState.EXPORTED,
        },
    )


@login_required
@require_POST  # downloading sends the batch to the bank: a change of state, so never a GET
def batch_download(request, pk, fmt):
    batch = _batch(request, pk, manage=True)
    label = payouts.batch_label(batch)
    if fmt not in ("csv", "utf8.csv", "xlsx"):
        raise Http404(_("Unknown format."))
    name = f"{label}.xlsx" if fmt == "xlsx" else f"{label}{'-utf8' if fmt == 'utf8.csv' else ''}.csv"
    try:
        order = payouts.batch_export(actor=request.user, batch=batch, file_name=name)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("tradein:batch_detail", pk=batch.pk)
    if fmt == "xlsx":
        return attachment(bankfiles.order_xlsx(order), filename=name, content_type=XLSX)
    if fmt == "utf8.csv":
        return attachment(
            bankfiles.order_csv(order, encoding="utf-8"), filename=name, content_type="text/csv; charset=utf-8"
        )
    return attachment(bankfiles.order_csv(order), filename=name, content_type="text/csv; charset=gb18030")


@login_required
@require_POST
def batch_result(request, pk):
    batch = _batch(request, pk, manage=True)
    form = ResultUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return batch_detail(request, pk, upload_form=form)
    upload = form.cleaned_data["file"]
    try:
        summary = payouts.batch_reconcile(actor=request.user, batch=batch, raw=upload.read(), file_name=upload.name)
    except payouts.ReconcileRefused as exc:
        messages.error(request, _("The result file was refused; nothing was applied."))
        return batch_detail(request, pk, upload_form=form, problems=exc.problems)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("tradein:batch_detail", pk=batch.pk)
    messages.success(
        request,
        _("Reconciled: %(paid)s claims paid (%(paid_amount)s yuan), %(failed)s failed (%(failed_amount)s yuan).")
        % {
            "paid": summary.paid_claims,
            "paid_amount": f"{summary.paid_amount:,.2f}",
            "failed": summary.failed_claims,
            "failed_amount": f"{summary.failed_amount:,.2f}",
        },
    )
    return redirect("tradein:batch_detail", pk=batch.pk)


@login_required
@require_POST
def batch_retry(request, pk):
    batch = _batch(request, pk, manage=True)
    new = run_service(
        request, payouts.batch_retry_failed, _("A new batch of the failed payments was created."), batch=batch
    )
    return redirect("tradein:batch_detail", pk=(new or batch).pk)


@login_required
@require_POST
def batch_discard(request, pk):
    batch = _batch(request, pk, manage=True)
    programme_id = batch.programme_id
    if run_service(request, payouts.batch_discard, _("The draft batch was discarded."), batch=batch) is None and (
        PaymentBatch.objects.filter(pk=batch.pk).exists()
    ):
        return redirect("tradein:batch_detail", pk=batch.pk)
    return redirect("tradein:payouts", pk=programme_id)


@login_required
@require_POST
def line_return(request, pk):
    line = PaymentLine.objects.filter(pk=pk).select_related("batch").first()
    if line is None:
        raise Http404(_("No such payment."))
    programme = programme_or_404(request, line.batch.programme_id, manage=True)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    else:
        run_service(
            request,
            payouts.payment_return,
            _("The payment went back: the reservation was released and the claim is back in review."),
            line=line,
            reason=form.cleaned_data["reason"],
        )
    return redirect("tradein:payouts", pk=programme.pk)


urlpatterns = [
    path("programmes/<int:pk>/payouts/", batch_list, name="payouts"),
    path("programmes/<int:pk>/payouts/new/", batch_create, name="batch_create"),
    path("payouts/<int:pk>/", batch_detail, name="batch_detail"),
    path("payouts/<int:pk>/order.<str:fmt>", batch_download, name="batch_download"),
    path("payouts/<int:pk>/result/", batch_result, name="batch_result"),
    path("payouts/<int:pk>/retry/", batch_retry, name="batch_retry"),
    path("payouts/<int:pk>/discard/", batch_discard, name="batch_discard"),
    path("payment-lines/<int:pk>/return/", line_return, name="line_return"),
]
