from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ..enums import VoucherState
from .programmes import Programme


class VoucherWindow(models.Model):
    """A release of vouchers (资格码/消费券) for one category: a daily quota, first come first served."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="voucher_windows"
    )
    category = models.CharField(_("category"), max_length=50)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    daily_quota = models.PositiveIntegerField(_("daily quota"))
    shard_count = models.PositiveSmallIntegerField(_("quota shards"), default=16)
    valid_days = models.PositiveSmallIntegerField(_("valid for (days)"))
    return_on_expiry = models.BooleanField(_("expired vouchers return to the quota"), default=True)
    return_on_refund = models.BooleanField(_("refunded vouchers return to the quota"), default=False)

    class Meta:
        verbose_name = _("voucher window")
        verbose_name_plural = _("voucher windows")
        ordering = ["programme", "opens_at"]
        constraints = [
            models.CheckConstraint(condition=Q(opens_at__lt=F("closes_at")), name="tradein_window_period"),
            models.CheckConstraint(condition=Q(daily_quota__gte=1), name="tradein_window_quota_positive"),
            models.CheckConstraint(condition=Q(valid_days__gte=1), name="tradein_window_valid_days_positive"),
            models.CheckConstraint(condition=Q(shard_count__gte=1), name="tradein_window_has_shards"),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.category} {self.opens_at:%Y-%m-%d}"


class VoucherQuota(models.Model):
    """One shard of a window's quota for one day; never below zero (the database says so)."""

    window = models.ForeignKey(VoucherWindow, verbose_name=_("window"), on_delete=models.CASCADE, related_name="quotas")
    day = models.DateField(_("day"))
    shard = models.PositiveSmallIntegerField(_("shard"))
    remaining = models.IntegerField(_("remaining"))

    class Meta:
        verbose_name = _("voucher quota shard")
        verbose_name_plural = _("voucher quota shards")
        ordering = ["window", "day", "shard"]
        constraints = [
            models.UniqueConstraint(fields=["window", "day", "shard"], name="tradein_quota_shard_unique"),
            models.CheckConstraint(condition=Q(remaining__gte=0), name="tradein_quota_nonnegative"),
        ]

    def __str__(self) -> str:
        return f"{self.window} {self.day} #{self.shard}: {self.remaining}"


class Voucher(models.Model):
    """A resident's voucher for one category; one live voucher per person per category per programme."""

    window = models.ForeignKey(
        VoucherWindow, verbose_name=_("window"), on_delete=models.PROTECT, related_name="vouchers"
    )
    # Copied from the window so that the database can enforce one live voucher per person.
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="vouchers"
    )
    category = models.CharField(_("category"), max_length=50)
    code = models.CharField(_("code"), max_length=32, unique=True)
    holder_name = models.CharField(_("holder name"), max_length=100)
    person_hash = models.CharField(_("identity hash"), max_length=64, db_index=True)
    person_enc = models.TextField(_("identity number (encrypted)"))
    person_masked = models.CharField(_("identity number"), max_length=32)
    phone_hash = models.CharField(_("phone hash"), max_length=64, db_index=True)
    phone_enc = models.TextField(_("phone (encrypted)"))
    phone_masked = models.CharField(_("phone"), max_length=32)
    state = models.CharField(_("state"), max_length=20, choices=VoucherState.choices, default=VoucherState.LIVE)
    day = models.DateField(_("quota day"))
    shard = models.PositiveSmallIntegerField(_("quota shard"))
    issued_at = models.DateTimeField(_("issued at"))
    expires_at = models.DateTimeField(_("expires at"))
    ended_at = models.DateTimeField(_("used or ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "category", "person_hash"],
                condition=Q(state=VoucherState.LIVE),
                name="tradein_one_live_voucher_per_person",
            ),
            models.CheckConstraint(condition=Q(issued_at__lt=F("expires_at")), name="tradein_voucher_expires_after"),
        ]
        indexes = [models.Index(fields=["state", "expires_at"], name="tradein_voucher_expiry_idx")]

    def __str__(self) -> str:
        return self.code
