from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ..enums import BudgetState, LedgerKind
from .programmes import MONEY, Programme


class Budget(models.Model):
    """A programme's money, split over buckets so that concurrent reservations don't queue on one row."""

    programme = models.OneToOneField(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="budget"
    )
    state = models.CharField(_("state"), max_length=20, choices=BudgetState.choices, default=BudgetState.OPEN)
    bucket_count = models.PositiveSmallIntegerField(_("buckets"), default=16)
    throttle_per_minute = models.PositiveIntegerField(_("claims per minute when throttled"), default=60)
    grace_days = models.PositiveSmallIntegerField(_("grace days for documents when paused"), default=7)
    # Automatic switching: throttle below this share of the released money, pause at or below this amount.
    auto_switch = models.BooleanField(_("switch state automatically"), default=True)
    throttle_below_percent = models.DecimalField(
        _("throttle below (% of released)"), max_digits=5, decimal_places=2, default=10
    )
    pause_at_or_below = models.DecimalField(_("pause at or below (yuan)"), **MONEY, default=0)
    # The sum of the tranches released (kept here so that the automatic thresholds need no ledger sum).
    released = models.DecimalField(_("released"), **MONEY, default=0)
    state_changed_at = models.DateTimeField(_("state changed at"), null=True, blank=True)
    announcement = models.TextField(_("public announcement"), blank=True)

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        constraints = [
            models.CheckConstraint(condition=Q(bucket_count__gte=1), name="tradein_budget_has_buckets"),
            models.CheckConstraint(
                condition=Q(throttle_below_percent__gte=0) & Q(throttle_below_percent__lte=100),
                name="tradein_budget_throttle_percent",
            ),
            models.CheckConstraint(condition=Q(pause_at_or_below__gte=0), name="tradein_budget_pause_nonnegative"),
        ]

    def __str__(self) -> str:
        return str(self.programme)


class BudgetBucket(models.Model):
    """One shard of a budget's available money; never below zero (the database says so)."""

    budget = models.ForeignKey(Budget, verbose_name=_("budget"), on_delete=models.CASCADE, related_name="buckets")
    index = models.PositiveSmallIntegerField(_("index"))
    balance = models.DecimalField(_("available balance"), **MONEY, default=0)

    class Meta:
        verbose_name = _("budget bucket")
        verbose_name_plural = _("budget buckets")
        ordering = ["budget", "index"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "index"], name="tradein_bucket_index_unique"),
            models.CheckConstraint(condition=Q(balance__gte=0), name="tradein_bucket_balance_nonnegative"),
        ]

    def __str__(self) -> str:
        return f"{self.budget} #{self.index}"


class BudgetEntry(models.Model):
    """An append-only ledger line. amount is the magnitude (> 0); delta is its signed effect on the
    bucket's available balance, fixed by the kind: the sum of deltas of a bucket is its balance."""

    budget = models.ForeignKey(Budget, verbose_name=_("budget"), on_delete=models.CASCADE, related_name="entries")
    bucket = models.ForeignKey(BudgetBucket, verbose_name=_("bucket"), on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("kind"), max_length=20, choices=LedgerKind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    delta = models.DecimalField(_("change of available balance"), **MONEY)
    claim = models.ForeignKey(
        "tradein.Claim",
        verbose_name=_("claim"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_entries",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.SET_NULL
    )
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("budget ledger entry")
        verbose_name_plural = _("budget ledger")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="tradein_entry_amount_positive"),
            models.CheckConstraint(
                condition=(
                    (Q(kind__in=[LedgerKind.RELEASE, LedgerKind.RELEASE_BACK, LedgerKind.REPAY]) & Q(delta=F("amount")))
                    | (Q(kind=LedgerKind.RESERVE) & Q(delta=-F("amount")))
                    | (Q(kind__in=[LedgerKind.PAY, LedgerKind.CLAWBACK]) & Q(delta=0))
                ),
                name="tradein_entry_delta_follows_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"
