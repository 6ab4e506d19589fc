from django.db import models
from django.utils.translation import gettext_lazy as _

from .site import Site


class RouteStop(models.Model):
    """A stop of a mobile collection vehicle's (流动回收车) route, GCJ-02 like the maps residents use."""

    site = models.ForeignKey(Site, verbose_name=_("mobile vehicle"), on_delete=models.CASCADE, related_name="stops")
    position = models.PositiveSmallIntegerField(_("order"))
    place = models.CharField(_("place"), max_length=200)
    lat = models.DecimalField(_("latitude (GCJ-02)"), max_digits=9, decimal_places=6)
    lng = models.DecimalField(_("longitude (GCJ-02)"), max_digits=9, decimal_places=6)
    schedule = models.CharField(_("when"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("route stop")
        verbose_name_plural = _("route stops")
        ordering = ["site", "position"]
        constraints = [models.UniqueConstraint(fields=["site", "position"], name="recycling_routestop_unique_position")]

    def __str__(self) -> str:
        return f"{self.position}. {self.place}"
