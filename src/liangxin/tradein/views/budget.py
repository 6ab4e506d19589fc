"""The budget panel: balance, reserved, paid, clawed back; the ledger; tranches; the state switch;
the buckets; and the voucher windows with today's issued and remaining vouchers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import rules, selectors
from ..enums import VoucherState
from ..forms import BudgetStateForm, TrancheForm, VoucherWindowForm
from ..models import BudgetBucket, BudgetEntry, Voucher, VoucherQuota
from ..services.budget import budget_check, budget_create, budget_release, budget_set_state
from ..services.programmes import rule_version_for
from ..services.vouchers import voucher_window_create
from . import display
from .common import programme_or_404, run_service, xlsx_response


def _budget(programme):
    return getattr(programme, "budget", None)


@login_required
def budget_panel(request, pk):
    programme = programme_or_404(request, pk)
    budget = _budget(programme)
    manage = rules.can_manage_programme(request.user, programme)
    context = {"programme": programme, "tab": "budget", "manage": manage, "budget": budget}
    if budget is not None:
        entries = BudgetEntry.objects.filter(budget=budget).select_related("claim", "actor", "bucket")
        page = Paginator(entries.order_by("-at", "-id"), 50).get_page(request.GET.get("page"))
        buckets = list(
            BudgetBucket.objects.filter(budget=budget)
            .annotate(entries_count=Count("entries"), ledger=Sum("entries__delta"))
            .order_by("index")
        )
        context.update(
            summary=selectors.budget_summary(budget),
            page=page,
            buckets=buckets,
            mismatches=budget_check(budgets=[budget]),
            tranche_form=TrancheForm(),
            state_form=BudgetStateForm(
                initial={"state": budget.state, "announcement": budget.announcement, "auto_switch": budget.auto_switch}
            ),
        )
    return render(request, "tradein/budget.html", context)


@login_required
@require_POST
def budget_open(request, pk):
    programme = programme_or_404(request, pk, manage=True)
    if _budget(programme) is None:
        run_service(request, budget_create, _("The budget was set up; release a first tranche."), programme=programme)
    return redirect("tradein:budget", pk=programme.pk)


@login_required
@require_POST
def budget_tranche(request, pk):
    programme = programme_or_404(request, pk, manage=True)
    form = TrancheForm(request.POST)
    budget = _budget(programme)
    if budget is None:
        messages.error(request, _("The programme has no budget yet."))
    elif not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    else:
        run_service(
            request,
            budget_release,
            _("%(amount)s yuan were released.") % {"amount": display.yuan(form.cleaned_data["amount"])},
            budget=budget,
            amount=form.cleaned_data["amount"],
            note=form.cleaned_data["note"],
        )
    return redirect("tradein:budget", pk=programme.pk)


@login_required
@require_POST
def budget_state(request, pk):
    programme = programme_or_404(request, pk, manage=True)
    form = BudgetStateForm(request.POST)
    budget = _budget(programme)
    if budget is None:
        messages.error(request, _("The programme has no budget yet."))
    elif not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    else:
        run_service(
            request,
            budget_set_state,
            _("The budget's state was saved and announced."),
            budget=budget,
            state=form.cleaned_data["state"],
            announcement=form.cleaned_data["announcement"],
            auto_switch=form.cleaned_data["auto_switch"],
        )
    return redirect("tradein:budget", pk=programme.pk)


@login_required
def ledger_xlsx(request, pk):
    programme = programme_or_404(request, pk)
    budget = _budget(programme)
    rows = [
        [
            _("Time"),
            _("Kind"),
            _("Amount (yuan)"),
            _("Change of available (yuan)"),
            _("Bucket"),
            _("Claim"),
            _("Note"),
            _("By"),
        ]
    ]
    if budget is not None:
        for entry in (
            BudgetEntry.objects.filter(budget=budget).select_related("claim", "actor", "bucket").order_by("at", "id")
        ):
            rows.append(
                [
                    timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
                    entry.get_kind_display(),
                    entry.amount,
                    entry.delta,
                    entry.bucket.index,
                    entry.claim.number if entry.claim_id else "",
                    entry.note,
                    entry.actor.get_username() if entry.actor_id else "",
                ]
            )
    return xlsx_response(
        rows, filename=f"{programme.name}-ledger.xlsx", sheet=_("Budget ledger"), widths=[20, 14, 14, 16, 8, 22, 30, 14]
    )


@login_required
def voucher_windows(request, pk):
    programme = programme_or_404(request, pk)
    today = timezone.localdate()
    manage = rules.can_manage_programme(request.user, programme)
    version = rule_version_for(programme=programme, on=today) or programme.rule_versions.order_by("-version").first()
    names = display.category_names(version.rules) if version else {}
    windows = list(programme.voucher_windows.order_by("-opens_at"))
    quota_today = dict(
        VoucherQuota.objects.filter(window__in=windows, day=today)
        .values("window_id")
        .annotate(s=Sum("remaining"))
        .values_list("window_id", "s")
    )
    issued = {
        row["window_id"]: row
        for row in Voucher.objects.filter(window__in=windows)
        .values("window_id")
        .annotate(
            today=Count("id", filter=Q(day=today)),
            live=Count("id", filter=Q(state=VoucherState.LIVE)),
            used=Count("id", filter=Q(state=VoucherState.USED)),
            total=Count("id"),
        )
    }
    now = timezone.now()
    rows = []
    for window in windows:
        counts = issued.get(window.pk, {})
        rows.append(
            {
                "window": window,
                "category_name": names.get(window.category, window.category),
                "open": window.opens_at <= now < window.closes_at,
                "issued_today": counts.get("today", 0),
                "remaining_today": quota_today.get(window.pk, window.daily_quota),
                "live": counts.get("live", 0),
                "used": counts.get("used", 0),
                "total": counts.get("total", 0),
            }
        )
    form = None
    if manage:
        form = VoucherWindowForm(
            request.POST or None, categories=[(code, f"{name}（{code}）") for code, name in names.items()]
        )
        if request.method == "POST" and form.is_valid():
            window = run_service(
                request,
                voucher_window_create,
                _("The voucher window was created."),
                programme=programme,
                **form.cleaned_data,
            )
            if window is not None:
                return redirect("tradein:vouchers", pk=programme.pk)
    elif request.method == "POST":
        programme_or_404(request, pk, manage=True)
    return render(
        request,
        "tradein/vouchers.html",
        {"programme": programme, "tab": "vouchers", "rows": rows, "form": form, "manage": manage, "today": today},
    )


urlpatterns = [
    path("programmes/<int:pk>/budget/", budget_panel, name="budget"),
    path("programmes/<int:pk>/budget/open/", budget_open, name="budget_open"),
    path("programmes/<int:pk>/budget/tranche/", budget_tranche, name="budget_tranche"),
    path("programmes/<int:pk>/budget/state/", budget_state, name="budget_state"),
    path("programmes/<int:pk>/budget/ledger.xlsx", ledger_xlsx, name="ledger_xlsx"),
    path("programmes/<int:pk>/vouchers/", voucher_windows, name="vouchers"),
]
