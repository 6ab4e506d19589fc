"""Claims: the filterable table (with its xlsx export, identities masked), a claim's page (masked
identity, reveal for its reviewers — logged —, history, flags with evidence and decisions, the
state buttons, rejection and refund), the review queue of flags and the clawbacks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import rules, selectors
from ..enums import CLAIM_TRANSITIONS, ClaimState, ClawbackState, FlagState
from ..forms import ClaimFilterForm, FlagDecisionForm, NoteForm, RefundForm, RejectForm
from ..models import ClaimFlag, Clawback, Merchant
from ..services.claims import claim_reject, claim_reveal, claim_transition, flag_decide
from ..services.programmes import rule_version_for
from ..services.refunds import claim_refund, clawback_repay, clawback_write_off
from . import display
from .common import programme_or_404, require_manage, run_service, xlsx_response

ACTION_LABELS = {
    ClaimState.ACCEPTED: gettext_lazy("Accept"),
    ClaimState.REVIEWED: gettext_lazy("Mark reviewed"),
    ClaimState.APPROVED: gettext_lazy("Approve (reserves the subsidy)"),
}


def _names(programme):
    names = {}
    for version in programme.rule_versions.order_by("version"):
        names.update(display.category_names(version.rules))
    return names


def _filtered(request, programme):
    names = _names(programme)
    form = ClaimFilterForm(request.GET or None, categories=list(names.items()))
    filters = form.cleaned_data if form.is_valid() else {}
    claims = selectors.claims_filtered(
        selectors.claims_visible_to(request.user).filter(programme=programme),
        state=filters.get("state") or None,
        category=filters.get("category") or None,
        merchant_id=filters.get("merchant"),
        flagged=filters.get("flagged"),
        overdue=filters.get("overdue"),
        search=filters.get("q") or "",
    ).order_by("-submitted_at", "-pk")
    return form, claims, names


@login_required
def claim_list(request, pk):
    programme = programme_or_404(request, pk)
    form, claims, names = _filtered(request, programme)
    page = Paginator(claims.prefetch_related("flags"), 50).get_page(request.GET.get("page"))
    now = timezone.now()
    for claim in page:
        claim.category_name = names.get(claim.category, claim.category)
        claim.overdue = selectors.overdue_stage(claim, now)
        claim.open_flags = [f for f in claim.flags.all() if f.state == FlagState.OPEN]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "tradein/claim_list.html",
        {
            "programme": programme,
            "tab": "claims",
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "merchants": Merchant.objects.filter(claims__programme=programme).distinct().order_by("name"),
            "counts": selectors.claim_counts_by_state(programme),
        },
    )


@login_required
def claim_export(request, pk):
    programme = programme_or_404(request, pk)
    _form, claims, names = _filtered(request, programme)
    rows = [
        [
            _("Claim number"),
            _("State"),
            _("Merchant"),
            _("Buyer"),
            _("Identity number"),
            _("Phone"),
            _("Product category"),
            _("Model"),
            _("Grade"),
            _("Serial number"),
            _("Purchased on"),
            _("Price paid (yuan)"),
            _("Subsidy (yuan)"),
            _("Invoice total (yuan)"),
            _("Invoice number"),
            _("Submitted on"),
            _("Open suspicions"),
        ]
    ]
    for claim in claims.prefetch_related("flags"):
        rows.append(
            [
                claim.number,
                claim.get_state_display(),
                claim.merchant.name,
                claim.buyer_name,
                claim.buyer_id_masked,  # exports never carry the full identity number or phone
                claim.buyer_phone_masked,
                names.get(claim.category, claim.category),
                claim.product_model,
                claim.energy_grade,
                claim.serial_number,
                claim.purchased_on.isoformat(),
                claim.price_paid,
                claim.subsidy,
                claim.invoice_total,
                claim.invoice_no,
                timezone.localtime(claim.submitted_at).strftime("%Y-%m-%d %H:%M"),
                "、".join(f.get_kind_display() for f in claim.flags.all() if f.state == FlagState.OPEN),
            ]
        )
    return xlsx_response(rows, filename=f"{programme.name}-claims.xlsx", sheet=_("Claims"))


def _claim(request, pk):
    claim = selectors.claim_for(request.user, pk)
    if claim is None or rules.merchant_of(request.user) is not None or request.user.role == "merchant":
        raise Http404(_("No such claim."))
    return claim


@login_required
def claim_detail(request, pk, revealed=None):
    claim = _claim(request, pk)
    programme = claim.programme
    manage = rules.can_review_claim(request.user, claim)
    version = claim.rule_version
    category = version.category(claim.category) or {}
    transitions = [
        (state, ACTION_LABELS[state]) for state in CLAIM_TRANSITIONS.get(claim.state, ()) if state in ACTION_LABELS
    ]
    return render(
        request,
        "tradein/claim_detail.html",
        {
            "programme": programme,
            "tab": "claims",
            "claim": claim,
            "category_name": category.get("name", claim.category),
            "formula": display.formula_text(category.get("formula") or {}),
            "events": claim.events.select_related("actor").order_by("at", "id"),
            "flags": claim.flags.select_related("decided_by").order_by("raised_at", "id"),
            "lines": claim.payment_lines.select_related("batch").order_by("attempt"),
            "refund": getattr(claim, "refund", None),
            "clawback": getattr(claim, "clawback", None),
            "ledger": claim.ledger_entries.select_related("bucket").order_by("at", "id"),
            "manage": manage,
            "can_reveal": rules.can_reveal_identity(request.user, claim),
            "revealed": revealed,
            "overdue": selectors.overdue_stage(claim),
            "transitions": transitions if manage else [],
            "reject_form": RejectForm()
            if manage
            and claim.state in (ClaimState.SUBMITTED, ClaimState.ACCEPTED, ClaimState.REVIEWED, ClaimState.APPROVED)
            else None,
            "refund_form": RefundForm(initial={"amount": claim.invoice_total, "refunded_on": timezone.localdate()})
            if manage and claim.is_live
            else None,
            "flag_form": FlagDecisionForm() if manage else None,
            "note_form": NoteForm(),
            "current_version": rule_version_for(programme=programme, on=claim.purchased_on),
        },
    )


@login_required
@require_POST
def claim_reveal_view(request, pk):
    claim = _claim(request, pk)
    if not rules.can_reveal_identity(request.user, claim):
        raise PermissionDenied(_("Only the claim's own reviewers see the identity in full."))
    revealed = claim_reveal(actor=request.user, claim=claim)
    messages.info(request, _("The full identity is shown once; this viewing was logged."))
    return claim_detail(request, pk, revealed=revealed)


def _managed_claim(request, pk):
    claim = _claim(request, pk)
    if not rules.can_review_claim(request.user, claim):
        require_manage(request, claim.programme)
    return claim


@login_required
@require_POST
def claim_move(request, pk):
    claim = _managed_claim(request, pk)
    to_state = request.POST.get("to", "")
    if to_state not in ACTION_LABELS:
        messages.error(request, _("Unknown step."))
    else:
        form = NoteForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        run_service(
            request,
            claim_transition,
            _("The claim is now %(state)s.") % {"state": ClaimState(to_state).label},
            claim=claim,
            to_state=to_state,
            note=note,
        )
    return redirect("tradein:claim_detail", pk=claim.pk)


@login_required
@require_POST
def claim_reject_view(request, pk):
    claim = _managed_claim(request, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    else:
        run_service(request, claim_reject, _("The claim was rejected."), claim=claim, **form.cleaned_data)
    return redirect("tradein:claim_detail", pk=claim.pk)


@login_required
@require_POST
def claim_refund_view(request, pk):
    claim = _managed_claim(request, pk)
    form = RefundForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    else:
        result = run_service(
            request, claim_refund, _("The refund was recorded; the claim is void."), claim=claim, **form.cleaned_data
        )
        if result is not None and result[1] is not None:
            messages.warning(
                request,
                _("The subsidy had been paid: a clawback of %(amount)s yuan was raised against %(merchant)s.")
                % {"amount": display.yuan(result[1].amount), "merchant": claim.merchant.name},
            )
    return redirect("tradein:claim_detail", pk=claim.pk)


@login_required
@require_POST
def flag_decide_view(request, pk):
    flag = ClaimFlag.objects.filter(pk=pk).select_related("claim").first()
    if flag is None:
        raise Http404(_("No such flag."))
    claim = _managed_claim(request, flag.claim_id)
    form = FlagDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    else:
        upheld = form.cleaned_data["uphold"]
        run_service(
            request,
            flag_decide,
            _("The suspicion was upheld; the claim is rejected.") if upheld else _("The suspicion was cleared."),
            flag=flag,
            upheld=upheld,
            reason=form.cleaned_data["reason"],
        )
    target = request.POST.get("next")
    if target == "queue":
        return redirect("tradein:review_queue", pk=claim.programme_id)
    return redirect("tradein:claim_detail", pk=claim.pk)


@login_required
def review_queue(request, pk):
    programme = programme_or_404(request, pk)
    state = request.GET.get("state") or FlagState.OPEN
    if state not in FlagState.values:
        state = FlagState.OPEN
    flags = (
        ClaimFlag.objects.filter(claim__programme=programme, state=state)
        .select_related("claim__merchant", "decided_by")
        .order_by("raised_at", "id")
    )
    names = _names(programme)
    flags = list(flags[:500])
    for flag in flags:
        flag.category_name = names.get(flag.claim.category, flag.claim.category)
    return render(
        request,
        "tradein/review_queue.html",
        {
            "programme": programme,
            "tab": "queue",
            "flags": flags,
            "state": state,
            "states": FlagState.choices,
            "manage": rules.can_manage_programme(request.user, programme),
            "flag_form": FlagDecisionForm(),
        },
    )


@login_required
def clawback_list(request, pk):
    programme = programme_or_404(request, pk)
    clawbacks = (
        Clawback.objects.filter(claim__programme=programme)
        .select_related("claim", "merchant")
        .order_by("state", "-raised_at", "-id")
    )
    return render(
        request,
        "tradein/clawbacks.html",
        {
            "programme": programme,
            "tab": "clawbacks",
            "clawbacks": clawbacks,
            "manage": rules.can_manage_programme(request.user, programme),
            "note_form": NoteForm(),
            "raised": ClawbackState.RAISED,
        },
    )


@login_required
def clawback_xlsx(request, pk):
    programme = programme_or_404(request, pk)
    rows = [
        [_("Claim number"), _("Merchant"), _("Amount (yuan)"), _("State"), _("Raised at"), _("Repaid at"), _("Note")]
    ]
    for c in Clawback.objects.filter(claim__programme=programme).select_related("claim", "merchant").order_by("pk"):
        rows.append(
            [
                c.claim.number,
                c.merchant.name,
                c.amount,
                c.get_state_display(),
                timezone.localtime(c.raised_at).strftime("%Y-%m-%d"),
                timezone.localtime(c.repaid_at).strftime("%Y-%m-%d") if c.repaid_at else "",
                c.note,
            ]
        )
    return xlsx_response(rows, filename=f"{programme.name}-clawbacks.xlsx", sheet=_("Clawbacks"))


@login_required
@require_POST
def clawback_act(request, pk, action):
    clawback = Clawback.objects.filter(pk=pk).select_related("claim__programme").first()
    if clawback is None:
        raise Http404(_("No such clawback."))
    programme = programme_or_404(request, clawback.claim.programme_id, manage=True)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    if action == "repaid":
        run_service(
            request,
            clawback_repay,
            _("The clawback was marked repaid; the money is back in the budget."),
            clawback=clawback,
            note=note,
        )
    elif action == "write-off":
        run_service(request, clawback_write_off, _("The clawback was written off."), clawback=clawback, note=note)
    else:
        raise Http404(_("Unknown action."))
    return redirect("tradein:clawbacks", pk=programme.pk)


urlpatterns = [
    path("programmes/<int:pk>/claims/", claim_list, name="claim_list"),
    path("programmes/<int:pk>/claims.xlsx", claim_export, name="claim_export"),
    path("programmes/<int:pk>/review/", review_queue, name="review_queue"),
    path("programmes/<int:pk>/clawbacks/", clawback_list, name="clawbacks"),
    path("programmes/<int:pk>/clawbacks.xlsx", clawback_xlsx, name="clawback_xlsx"),
    path("claims/<int:pk>/", claim_detail, name="claim_detail"),
    path("claims/<int:pk>/reveal/", claim_reveal_view, name="claim_reveal"),
    path("claims/<int:pk>/move/", claim_move, name="claim_move"),
    path("claims/<int:pk>/reject/", claim_reject_view, name="claim_reject"),
    path("claims/<int:pk>/refund/", claim_refund_view, name="claim_refund"),
    path("flags/<int:pk>/decide/", flag_decide_view, name="flag_decide"),
    path("clawbacks/<int:pk>/<str:action>/", clawback_act, name="clawback_act"),
]
