from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liangxin.core.models import Jurisdiction, Unit
from liangxin.registry.models import Enterprise

from ..enums import Datum, SiteLevel, SiteStatus
from ..geo import both_datums
from ..validators import coordinates_problem, validate_categories, validate_hours

_LAT = [MinValueValidator(-90), MaxValueValidator(90)]
_LNG = [MinValueValidator(-180), MaxValueValidator(180)]


def coordinate_field(label, validators=()):
    return models.DecimalField(label, max_digits=9, decimal_places=6, validators=list(validators))


class Site(models.Model):
    """A place of the recycling network: a collection point up to a sorting centre, a depot or a mobile van.

    lat/lng are kept as entered together with their datum; gcj_* and wgs_* are both derived on save so
    that a map in either datum can use them without converting.
    """

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("district / city"), on_delete=models.PROTECT, related_name="recycling_sites"
    )
    town = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("town / sub-district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recycling_sites_in_town",
    )
    level = models.CharField(_("level"), max_length=20, choices=SiteLevel.choices)
    name = models.CharField(_("name"), max_length=200)
    operator = models.ForeignKey(
        Enterprise,
        verbose_name=_("operator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recycling_sites",
    )
    address = models.CharField(_("address"), max_length=300)
    lat = coordinate_field(_("latitude"), _LAT)
    lng = coordinate_field(_("longitude"), _LNG)
    datum = models.CharField(_("datum"), max_length=10, choices=Datum.choices, default=Datum.GCJ02)
    gcj_lat = coordinate_field(_("latitude (GCJ-02)"))
    gcj_lng = coordinate_field(_("longitude (GCJ-02)"))
    wgs_lat = coordinate_field(_("latitude (WGS-84)"))
    wgs_lng = coordinate_field(_("longitude (WGS-84)"))
    hours = models.CharField(_("opening hours"), max_length=200, blank=True, validators=[validate_hours])
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    categories = models.JSONField(_("accepted categories"), default=list, blank=True, validators=[validate_categories])
    two_networks = models.BooleanField(_("two networks integrated (两网融合)"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=SiteStatus.choices, default=SiteStatus.PLANNED)
    status_since = models.DateField(_("status since"))
    responsible_unit = models.ForeignKey(
        Unit,
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recycling_sites",
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("recycling site")
        verbose_name_plural = _("recycling sites")
        ordering = ["jurisdiction__tree_path", "level", "name", "id"]
        indexes = [
            models.Index(fields=["jurisdiction", "status", "level"], name="recycling_site_scope_idx"),
            models.Index(fields=["status", "gcj_lat", "gcj_lng"], name="recycling_site_gcj_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(lat__gte=-90, lat__lte=90), name="recycling_site_lat_range"),
            models.CheckConstraint(condition=Q(lng__gte=-180, lng__lte=180), name="recycling_site_lng_range"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.compute_coordinates()
        super().save(*args, **kwargs)

    def compute_coordinates(self) -> None:
        """Derive gcj_*/wgs_* from lat/lng in their datum (called by save; bulk_create callers call it too)."""
        if self.lat is None or self.lng is None:
            return
        (self.gcj_lat, self.gcj_lng), (self.wgs_lat, self.wgs_lng) = both_datums(self.lat, self.lng, self.datum)

    def clean(self):
        errors = {}
        if self.lat is not None and self.lng is not None:
            problem = coordinates_problem(self.lat, self.lng)
            if problem:
                errors["lat"] = problem
        if self.town_id and self.jurisdiction_id:
            town, district = self.town, self.jurisdiction
            if not town.tree_path.startswith(district.tree_path) or town.pk == district.pk:
                errors["town"] = gettext("%(town)s is not a town of %(district)s.") % {
                    "town": town.name,
                    "district": district.name,
                }
        if self.responsible_unit_id and self.jurisdiction_id:
            if not self.jurisdiction.tree_path.startswith(self.responsible_unit.jurisdiction.tree_path):
                errors["responsible_unit"] = gettext("The responsible unit must belong to the site's jurisdiction.")
        if errors:
            raise ValidationError(errors)

    def full_clean(self, exclude=None, validate_unique=True, validate_constraints=True):
        self.compute_coordinates()
        return super().full_clean(exclude, validate_unique, validate_constraints)

    @property
    def is_open(self) -> bool:
        return self.status == SiteStatus.OPEN

    def category_labels(self) -> list[str]:
        from ..enums import Category

        labels = dict(Category.choices)
        return [str(labels.get(c, c)) for c in self.categories]
