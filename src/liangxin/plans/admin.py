from django.contrib import admin

from liangxin.core.admin import AuditedAdmin, AuditedInline

from .models import (
    Assignment,
    DivisionRow,
    Indicator,
    Plan,
    PlanUnit,
    PolicyItem,
    Section,
    Target,
    Task,
    TaskForce,
)


class TaskAssignmentInline(AuditedInline):
    model = Assignment
    fk_name = "task"
    fields = ["unit", "written_as", "role", "position"]
    autocomplete_fields = ["unit"]


class TaskTargetInline(AuditedInline):
    model = Target
    fk_name = "task"
    fields = ["kind", "position", "text", "metric", "year", "comparator", "value", "unit", "basis"]


class MilestoneInline(AuditedInline):
    model = Target
    fk_name = "indicator"
    fields = ["kind", "position", "year", "text", "value", "unit"]


class IndicatorAssignmentInline(AuditedInline):
    model = Assignment
    fk_name = "indicator"
    fields = ["unit", "written_as", "role", "position"]
    autocomplete_fields = ["unit"]


@admin.register(Plan)
class PlanAdmin(AuditedAdmin):
    list_display = ["title", "jurisdiction", "issuer", "issued_on", "doc_number"]
    list_filter = ["jurisdiction"]
    search_fields = ["title", "doc_number", "issuer"]


@admin.register(Section)
class SectionAdmin(AuditedAdmin):
    list_display = ["heading", "plan", "parent", "position"]
    list_filter = ["plan"]


@admin.register(Task)
class TaskAdmin(AuditedAdmin):
    list_display = ["number", "title", "plan", "section"]
    list_filter = ["plan"]
    search_fields = ["title"]
    inlines = [TaskAssignmentInline, TaskTargetInline]


@admin.register(Indicator)
class IndicatorAdmin(AuditedAdmin):
    list_display = ["seq", "name", "plan", "baseline_value", "baseline_unit", "cumulative"]
    list_filter = ["plan", "cumulative"]
    search_fields = ["name"]
    inlines = [IndicatorAssignmentInline, MilestoneInline]


@admin.register(Target)
class TargetAdmin(AuditedAdmin):
    list_display = ["text", "kind", "year", "comparator", "value", "unit", "basis", "plan"]
    list_filter = ["kind", "plan", "basis"]
    search_fields = ["text", "metric"]


@admin.register(TaskForce)
class TaskForceAdmin(AuditedAdmin):
    list_display = ["name", "plan"]


@admin.register(DivisionRow)
class DivisionRowAdmin(AuditedAdmin):
    list_display = ["seq", "task_text", "plan"]
    list_filter = ["plan"]


@admin.register(PolicyItem)
class PolicyItemAdmin(AuditedAdmin):
    list_display = ["group", "seq", "title", "plan"]
    list_filter = ["plan"]


@admin.register(PlanUnit)
class PlanUnitAdmin(AuditedAdmin):
    list_display = ["written_as", "unit", "plan", "position"]
    list_filter = ["plan"]


@admin.register(Assignment)
class AssignmentAdmin(AuditedAdmin):
    list_display = ["written_as", "unit", "role", "plan"]
    list_filter = ["role", "plan"]
    autocomplete_fields = ["unit"]
