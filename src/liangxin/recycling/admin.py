from django.contrib import admin

from liangxin.core.admin import AuditedAdmin, AuditedInline

from .models import RouteStop, Site, SiteStatusChange, TownCentre, VolumeReturn


class RouteStopInline(AuditedInline):
    model = RouteStop
    fields = ["position", "place", "lat", "lng", "schedule"]


class StatusChangeInline(admin.TabularInline):
    # Status changes are made by the site_set_status service (dated, audited); here they are read.
    model = SiteStatusChange
    fields = ["on", "from_status", "to_status", "reason", "actor"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Site)
class SiteAdmin(AuditedAdmin):
    list_display = ["name", "level", "jurisdiction", "town", "status", "status_since", "two_networks"]
    list_filter = ["level", "status", "two_networks", "jurisdiction"]
    search_fields = ["name", "address", "operator__name", "operator__uscc"]
    readonly_fields = ["gcj_lat", "gcj_lng", "wgs_lat", "wgs_lng", "status", "status_since", "created_at", "updated_at"]
    raw_id_fields = ["jurisdiction", "town", "operator", "responsible_unit", "created_by"]
    inlines = [StatusChangeInline, RouteStopInline]

    def has_add_permission(self, request):
        # A site is registered through the app (site_create), which records its first dated status.
        return False


@admin.register(TownCentre)
class TownCentreAdmin(AuditedAdmin):
    list_display = ["town", "lat", "lng", "population"]
    raw_id_fields = ["town"]


@admin.register(VolumeReturn)
class VolumeReturnAdmin(AuditedAdmin):
    list_display = ["site", "month", "category", "quantity", "unit", "state"]
    list_filter = ["state", "category", "month"]
    search_fields = ["site__name"]
    raw_id_fields = ["site", "entered_by", "confirmed_by"]
    readonly_fields = ["state", "flag_reason", "confirm_reason", "confirmed_by", "confirmed_at"]
