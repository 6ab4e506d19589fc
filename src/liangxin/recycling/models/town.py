from django.db import models
from django.utils.translation import gettext_lazy as _

from liangxin.core.models import Jurisdiction


class TownCentre(models.Model):
    """The centre of a town or sub-district (GCJ-02), from which coverage gaps are measured."""

    town = models.OneToOneField(
        Jurisdiction, verbose_name=_("town / sub-district"), on_delete=models.CASCADE, related_name="recycling_centre"
    )
    lat = models.DecimalField(_("latitude (GCJ-02)"), max_digits=9, decimal_places=6)
    lng = models.DecimalField(_("longitude (GCJ-02)"), max_digits=9, decimal_places=6)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    class Meta:
        verbose_name = _("town centre")
        verbose_name_plural = _("town centres")
        ordering = ["town__tree_path"]

    def __str__(self) -> str:
        return self.town.name
