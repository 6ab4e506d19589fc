from django.db import models
from django.utils.translation import gettext_lazy as _


class JurisdictionKind(models.TextChoices):
    PROVINCE = "province", _("province-level")
    CITY = "city", _("city")
    COUNTY = "county", _("district / county / development zone")
    TOWN = "town", _("town / sub-district")


class UnitKind(models.TextChoices):
    BUREAU = "bureau", _("government department")
    SUBDIVISION = "subdivision", _("lower-level government")
    COMPANY = "company", _("company or institution")
    OTHER = "other", _("other body")


class Role(models.TextChoices):
    ADMIN = "admin", _("system administrator")
    OFFICE = "office", _("task force office staff")
    REPORTER = "reporter", _("unit reporter")
    LEADER = "leader", _("leader (read-only)")
    MERCHANT = "merchant", _("merchant or sales platform (API)")
