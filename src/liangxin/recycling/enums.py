"""Choices of the recycling network: site levels, statuses, accepted categories and their units."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SiteLevel(models.TextChoices):
    POINT = "point", _("collection point")
    TRANSFER = "transfer", _("transfer station")
    SORTING = "sorting", _("sorting centre")
    VEHICLE_DISMANTLER = "vehicle_dismantler", _("end-of-life vehicle dismantler")
    PUBLIC_DEPOT = "public_depot", _("public property depot")
    MOBILE = "mobile", _("mobile collection vehicle")


class SiteStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class Datum(models.TextChoices):
    GCJ02 = "gcj02", _("GCJ-02 (Chinese maps)")
    WGS84 = "wgs84", _("WGS-84 (GPS)")


class Category(models.TextChoices):
    APPLIANCES = "appliances", _("household appliances")
    FURNITURE = "furniture", _("furniture")
    METAL = "metal", _("scrap metal")
    PAPER = "paper", _("waste paper")
    PLASTIC = "plastic", _("waste plastic")
    BATTERY = "battery", _("batteries")
    TEXTILE = "textile", _("used textiles")
    GLASS = "glass", _("glass")
    EWASTE = "ewaste", _("electronic waste")
    VEHICLE = "vehicle", _("end-of-life vehicles")
    OFFICE_EQUIPMENT = "office_equipment", _("office equipment")


class QuantityUnit(models.TextChoices):
    PIECE = "件", _("pieces (件)")
    SET = "台", _("sets (台)")
    TONNE = "吨", _("tonnes (吨)")
    VEHICLE = "辆", _("vehicles (辆)")


# The unit of each category's monthly returns is fixed, so totals add up.
CATEGORY_UNIT: dict[str, str] = {
    Category.APPLIANCES: QuantityUnit.SET,
    Category.FURNITURE: QuantityUnit.PIECE,
    Category.METAL: QuantityUnit.TONNE,
    Category.PAPER: QuantityUnit.TONNE,
    Category.PLASTIC: QuantityUnit.TONNE,
    Category.BATTERY: QuantityUnit.TONNE,
    Category.TEXTILE: QuantityUnit.TONNE,
    Category.GLASS: QuantityUnit.TONNE,
    Category.EWASTE: QuantityUnit.SET,
    Category.VEHICLE: QuantityUnit.VEHICLE,
    Category.OFFICE_EQUIPMENT: QuantityUnit.PIECE,
}


class ReturnState(models.TextChoices):
    ENTERED = "entered", _("entered")
    FLAGGED = "flagged", _("flagged for confirmation")
    CONFIRMED = "confirmed", _("confirmed")
