from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .audit import audit_record, snapshot
from .models import AuditEntry, Jurisdiction, Unit, UnitAlias, User

admin.site.site_header = _("Liangxin administration")
admin.site.site_title = _("Liangxin")
admin.site.index_title = _("Administration")


class AuditedAdmin(admin.ModelAdmin):
    """Admin changes go into the audit log like any other write."""

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else None
        super().save_model(request, obj, form, change)
        action = f"{obj._meta.model_name}.{'update' if change else 'create'}"
        audit_record(actor=request.user, action=f"admin:{action}", instance=obj, before=before, after=snapshot(obj))

    def delete_model(self, request, obj):
        before, label, pk = snapshot(obj), str(obj), obj.pk
        super().delete_model(request, obj)
        audit_record(
            actor=request.user,
            action=f"admin:{obj._meta.model_name}.delete",
            object_type=obj._meta.label_lower,
            object_id=str(pk),
            object_repr=label,
            before=before,
        )

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        # Inline rows are audited as writes of their own; a row of a plan item belongs to its plan.
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            audit_record(
                actor=request.user,
                action=f"admin:{obj._meta.model_name}.delete",
                instance=obj,
                before=snapshot(obj),
            )
            obj.delete()
        for obj in instances:
            if hasattr(obj, "plan_id") and obj.plan_id is None:
                obj.plan_id = getattr(form.instance, "plan_id", None)
            created = obj.pk is None
            obj.save()
            audit_record(
                actor=request.user,
                action=f"admin:{obj._meta.model_name}.{'create' if created else 'update'}",
                instance=obj,
                after=snapshot(obj),
            )
        formset.save_m2m()


class AuditedInline(admin.TabularInline):
    extra = 0


@admin.register(Jurisdiction)
class JurisdictionAdmin(AuditedAdmin):
    list_display = ["full_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


class UnitAliasInline(AuditedInline):
    model = UnitAlias
    fields = ["name"]


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ["name", "jurisdiction", "kind"]
    list_filter = ["kind", "jurisdiction"]
    search_fields = ["name", "aliases__name"]
    inlines = [UnitAliasInline]


@admin.register(User)
class UserAdmin(BaseUserAdmin, AuditedAdmin):
    list_display = ["username", "role", "jurisdiction", "unit", "is_active"]
    list_filter = ["role", "is_active", "jurisdiction"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Role and scope"), {"fields": ["role", "jurisdiction", "unit"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("Role and scope"), {"fields": ["role", "jurisdiction", "unit"]}),
    ]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_label", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "actor_label"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
