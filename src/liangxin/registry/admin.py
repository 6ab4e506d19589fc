from django.contrib import admin

from liangxin.core.admin import AuditedAdmin, AuditedInline

from .models import (
    ConsumerDemand,
    Demand,
    Enterprise,
    EquipmentCategory,
    FinanceOffer,
    MatchEvent,
    MatchInvitation,
    MatchOutcome,
    Policy,
    Product,
    Project,
    ProjectPrerequisite,
    ProjectStageChange,
    ScreeningCriteria,
)


@admin.register(Enterprise)
class EnterpriseAdmin(AuditedAdmin):
    list_display = ["name", "uscc", "jurisdiction", "industry", "size"]
    list_filter = ["size", "jurisdiction"]
    search_fields = ["name", "uscc"]


@admin.register(EquipmentCategory)
class EquipmentCategoryAdmin(AuditedAdmin):
    list_display = ["code", "name", "parent", "position"]
    search_fields = ["code", "name"]


@admin.register(Product)
class ProductAdmin(AuditedAdmin):
    list_display = ["name", "model_number", "enterprise", "category", "energy_grade", "active"]
    list_filter = ["category", "active", "local"]
    search_fields = ["name", "model_number", "enterprise__name"]
    autocomplete_fields = ["enterprise"]


@admin.register(Demand)
class DemandAdmin(AuditedAdmin):
    list_display = ["title", "kind", "jurisdiction", "category", "state", "budget_wan"]
    list_filter = ["kind", "state", "jurisdiction"]
    search_fields = ["title"]


@admin.register(ConsumerDemand)
class ConsumerDemandAdmin(AuditedAdmin):
    list_display = ["jurisdiction", "category", "year", "expected_units"]
    list_filter = ["year", "jurisdiction"]


class PrerequisiteInline(AuditedInline):
    model = ProjectPrerequisite
    fields = ["kind", "state", "document_no", "done_on", "note"]
    extra = 0


class StageChangeInline(admin.TabularInline):
    model = ProjectStageChange
    fields = ["at", "from_stage", "to_stage", "actor", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Project)
class ProjectAdmin(AuditedAdmin):
    """Stages move through the pages and the API (with their history); the admin shows them read-only."""

    list_display = ["name", "owner", "jurisdiction", "domain", "stage", "total_investment_wan"]
    list_filter = ["domain", "stage", "jurisdiction"]
    search_fields = ["name", "owner__name", "owner__uscc"]
    readonly_fields = ["stage"]
    autocomplete_fields = ["owner"]
    inlines = [PrerequisiteInline, StageChangeInline]


@admin.register(ScreeningCriteria)
class ScreeningCriteriaAdmin(AuditedAdmin):
    list_display = ["name", "jurisdiction", "channel", "min_investment_wan", "active"]
    list_filter = ["channel", "jurisdiction"]


@admin.register(Policy)
class PolicyAdmin(AuditedAdmin):
    list_display = ["title", "level", "jurisdiction", "doc_number", "parent", "lead_unit", "public"]
    list_filter = ["level", "public", "jurisdiction"]
    search_fields = ["title", "doc_number", "issuer"]


@admin.register(FinanceOffer)
class FinanceOfferAdmin(AuditedAdmin):
    list_display = ["name", "provider", "kind", "min_amount_wan", "max_amount_wan", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "provider__name"]


class InvitationInline(AuditedInline):
    model = MatchInvitation
    fields = ["enterprise", "side", "attended"]
    autocomplete_fields = ["enterprise"]
    extra = 0


@admin.register(MatchEvent)
class MatchEventAdmin(AuditedAdmin):
    list_display = ["title", "jurisdiction", "held_on", "organiser"]
    list_filter = ["jurisdiction"]
    inlines = [InvitationInline]


@admin.register(MatchOutcome)
class MatchOutcomeAdmin(AuditedAdmin):
    list_display = ["supplier", "demand", "project", "state", "amount_wan", "at"]
    list_filter = ["state"]
