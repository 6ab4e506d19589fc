"""Choices of the recycling network: site levels, statuses, accepted categories and their units."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SiteLevel(models.TextChoices):
    POINT = "point", _("collection point")
    TRANSFER = "transfer", _("transfer station")
    SORTING = "sorting", _("sorting centre")
    VEHICLE_DISMANTLER = "vehicle_dismantler", _("end-of-life vehicle dismantler")
    PUBLIC_DEPOT = "public_depot", _("public property depot")
    MOBILE = "mobile", _("mobile collection vehicle")


class SiteStatus(models.TextChoices):
    # A context of their own: the project's catalog reads a bare "open" as a verb (打开).
    PLANNED = "planned", pgettext_lazy("site status", "planned")
    OPEN = "open", pgettext_lazy("site status", "open")
    CLOSED = "closed", pgettext_lazy("site status", "closed")


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
    ENTERED = "entered", pgettext_lazy("return state", "entered")
    FLAGGED = "flagged", pgettext_lazy("return state", "flagged for confirmation")
    CONFIRMED = "confirmed", pgettext_lazy("return state", "confirmed")


# The names the spreadsheets use (an office's own words); imports also accept the codes.
LEVEL_SHEET_NAMES = {
    SiteLevel.POINT: "回收点",
    SiteLevel.TRANSFER: "中转站",
    SiteLevel.SORTING: "分拣中心",
    SiteLevel.VEHICLE_DISMANTLER: "报废机动车回收拆解企业",
    SiteLevel.PUBLIC_DEPOT: "公物仓",
    SiteLevel.MOBILE: "流动回收车",
}
LEVEL_SHEET_ALIASES = {"交投点": SiteLevel.POINT, "回收网点": SiteLevel.POINT, "社区回收点": SiteLevel.POINT}
STATUS_SHEET_NAMES = {SiteStatus.PLANNED: "规划", SiteStatus.OPEN: "运营", SiteStatus.CLOSED: "关闭"}
STATUS_SHEET_ALIASES = {"规划中": SiteStatus.PLANNED, "运营中": SiteStatus.OPEN, "已关闭": SiteStatus.CLOSED}
CATEGORY_SHEET_NAMES = {
    Category.APPLIANCES: "家电",
    Category.FURNITURE: "家具",
    Category.METAL: "废旧金属",
    Category.PAPER: "废纸",
    Category.PLASTIC: "废塑料",
    Category.BATTERY: "电池",
    Category.TEXTILE: "废旧纺织品",
    Category.GLASS: "玻璃",
    Category.EWASTE: "电子废弃物",
    Category.VEHICLE: "报废汽车",
    Category.OFFICE_EQUIPMENT: "办公设备",
}
CATEGORY_SHEET_ALIASES = {"废旧家电": Category.APPLIANCES, "报废机动车": Category.VEHICLE, "废电池": Category.BATTERY}
DATUM_SHEET_NAMES = {Datum.GCJ02: "GCJ-02", Datum.WGS84: "WGS-84"}
