from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from liangxin.core.models import Jurisdiction, Unit

from ..enums import FundingChannel, PolicyLevel


class Policy(models.Model):
    """A support policy (“1+N” policy list): an overall plan with its domain plans under it (parent), the
    document's facts, the money channel, who may apply and on what conditions."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="policies"
    )
    level = models.CharField(_("level"), max_length=20, choices=PolicyLevel.choices)
    title = models.CharField(_("title"), max_length=300)
    doc_number = models.CharField(_("document number"), max_length=100, blank=True)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    effective_to = models.DateField(_("effective until"), null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("overall plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("lead unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="policies"
    )
    funding_channel = models.CharField(_("funding channel"), max_length=20, choices=FundingChannel.choices, blank=True)
    # ProjectDomain values the policy covers.
    domains = models.JSONField(_("domains"), default=list, blank=True)
    # Who may apply: enterprise sizes (EnterpriseSize values), industries, flags such as 专精特新, or
    # "individual" for consumers.
    applicant_types = models.JSONField(_("who may apply"), default=list, blank=True)
    conditions = models.JSONField(_("conditions"), default=list, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    public = models.BooleanField(_("public"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["position", "-issued_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_from__isnull=True)
                | Q(effective_to__isnull=True)
                | Q(effective_from__lte=F("effective_to")),
                name="policy_effective_period_ordered",
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="policy_not_its_own_parent"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.effective_from and self.effective_to and self.effective_from > self.effective_to:
            raise ValidationError({"effective_to": _("The policy cannot expire before it takes effect.")})
