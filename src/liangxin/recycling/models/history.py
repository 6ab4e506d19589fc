from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..enums import SiteStatus
from .site import Site


class SiteStatusChange(models.Model):
    """One change of a site's status with the date it took effect: the counts over time are read from these.

    The first change of a site has from_status "" (the site entered the registry in to_status).
    """

    site = models.ForeignKey(Site, verbose_name=_("site"), on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=10, choices=SiteStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=SiteStatus.choices)
    on = models.DateField(_("effective date"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("site status change")
        verbose_name_plural = _("site status changes")
        ordering = ["site", "on", "id"]
        indexes = [models.Index(fields=["on", "to_status"], name="recycling_statuschange_on_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(from_status=models.F("to_status")), name="recycling_status_changes"),
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.from_status or '—'} → {self.to_status} {self.on}"
