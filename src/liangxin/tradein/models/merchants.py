from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from liangxin.core.models import Jurisdiction
from liangxin.registry.models import Enterprise

from ..enums import MerchantKind


class Merchant(models.Model):
    """A store or sales platform taking part in a jurisdiction's programmes, and where its subsidy goes."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="tradein_merchants"
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="tradein_merchants"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=MerchantKind.choices, default=MerchantKind.STORE)
    active = models.BooleanField(_("active"), default=True)
    account_name = models.CharField(_("account name"), max_length=200)
    account_no = models.CharField(_("account number"), max_length=40)
    bank_name = models.CharField(_("bank"), max_length=200)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("merchant")
        verbose_name_plural = _("merchants")
        ordering = ["jurisdiction__tree_path", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "enterprise"], name="tradein_merchant_once_per_jurisdiction"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MerchantAccount(models.Model):
    """The API user of a merchant (role merchant, token auth)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="merchant_account"
    )
    merchant = models.ForeignKey(
        Merchant, verbose_name=_("merchant"), on_delete=models.CASCADE, related_name="accounts"
    )

    class Meta:
        verbose_name = _("merchant account")
        verbose_name_plural = _("merchant accounts")

    def __str__(self) -> str:
        return f"{self.user} → {self.merchant}"
