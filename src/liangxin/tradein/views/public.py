"""The public pages (no login, portal namespace): the budgets, a claim's status and the voucher
claim page. Nothing personal is ever shown in full."""

from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from .. import selectors
from ..enums import BudgetState
from ..forms import ClaimStatusForm, VoucherClaimForm
from ..services.programmes import rule_version_for
from ..services.vouchers import VoucherRefused, quota_remaining, voucher_claim
from . import display


def budgets(request):
    today = timezone.localdate()
    rows = selectors.public_budgets()
    for row in rows:
        row["ended"] = row["programme"].ends_on < today
    # Running programmes first; those whose period has ended stay listed (claims may still be paid).
    rows.sort(key=lambda row: row["ended"])
    return render(
        request,
        "tradein/public/budgets.html",
        {"rows": rows, "states": dict(BudgetState.choices), "OPEN": BudgetState.OPEN},
    )


def claim_status(request):
    form = ClaimStatusForm(request.GET or None)
    claim, looked = None, False
    if form.is_bound and form.is_valid():
        looked = True
        claim = selectors.claim_public_status(number=form.cleaned_data["number"], last4=form.cleaned_data["id_last4"])
    return render(request, "tradein/public/claim_status.html", {"form": form, "claim": claim, "looked": looked})


def _windows(now):
    """The open windows with their category names and today's remaining vouchers."""
    today = timezone.localdate(now)
    rows = []
    for window in selectors.open_windows(now).order_by("programme__jurisdiction__tree_path", "opens_at"):
        version = rule_version_for(programme=window.programme, on=today)
        category = (version.category(window.category) if version else None) or {}
        rows.append(
            {
                "window": window,
                "name": category.get("name", window.category),
                "formula": display.formula_text(category.get("formula") or {}),
                "remaining": quota_remaining(window=window, day=today),
            }
        )
    return rows


def voucher_claim_page(request):
    now = timezone.now()
    windows = _windows(now)
    choices = [
        (
            row["window"].pk,
            f"{row['window'].programme.jurisdiction.name} · {row['name']}",
        )
        for row in windows
    ]
    initial = {}
    if request.GET.get("window", "").isdigit():
        initial["window"] = int(request.GET["window"])
    form = VoucherClaimForm(request.POST or None, windows=choices, initial=initial)
    voucher, refusal = None, None
    if request.method == "POST" and form.is_valid():
        window = next(row["window"] for row in windows if row["window"].pk == form.cleaned_data["window"])
        try:
            voucher = voucher_claim(
                window=window,
                name=form.cleaned_data["name"],
                identity=form.cleaned_data["identity"],
                phone=form.cleaned_data["phone"],
                now=now,
            )
        except VoucherRefused as exc:
            refusal = {"code": exc.code, "message": str(exc)}
        else:
            windows = _windows(now)
    return render(
        request,
        "tradein/public/voucher_claim.html",
        {"form": form, "windows": windows, "voucher": voucher, "refusal": refusal},
    )


urlpatterns = [
    path("budgets/", budgets, name="budgets"),
    path("claim-status/", claim_status, name="claim_status"),
    path("vouchers/", voucher_claim_page, name="voucher_claim"),
]
