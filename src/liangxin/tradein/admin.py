"""Read-mostly admin for support staff: the office works in the app's own pages and API, where the
services keep the ledger and the audit log. Money, states and personal data are read-only here."""

from django.contrib import admin

from .models import (
    Budget,
    BudgetBucket,
    BudgetEntry,
    Claim,
    ClaimFlag,
    Clawback,
    Merchant,
    MerchantAccount,
    PaymentBatch,
    PaymentLine,
    Programme,
    Refund,
    RuleVersion,
    Voucher,
    VoucherWindow,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RuleVersionInline(admin.TabularInline):
    model = RuleVersion
    extra = 0
    fields = ["version", "effective_from", "reason", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "jurisdiction", "year", "starts_on", "ends_on", "uses_vouchers"]
    list_filter = ["year", "uses_vouchers"]
    search_fields = ["name"]
    fields = ["name", "description", "jurisdiction", "year", "starts_on", "ends_on", "uses_vouchers"]
    readonly_fields = ["jurisdiction", "year", "starts_on", "ends_on", "uses_vouchers"]
    inlines = [RuleVersionInline]

    def has_add_permission(self, request):
        return False


@admin.register(Budget)
class BudgetAdmin(ReadOnlyAdmin):
    list_display = ["programme", "state", "released", "bucket_count", "state_changed_at"]
    list_filter = ["state"]


@admin.register(BudgetBucket)
class BudgetBucketAdmin(ReadOnlyAdmin):
    list_display = ["budget", "index", "balance"]


@admin.register(BudgetEntry)
class BudgetEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "budget", "bucket", "kind", "amount", "delta", "claim", "note"]
    list_filter = ["kind"]


@admin.register(Merchant)
class MerchantAdmin(admin.ModelAdmin):
    list_display = ["name", "jurisdiction", "kind", "active", "bank_name"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "enterprise__uscc"]
    readonly_fields = ["enterprise", "jurisdiction"]

    def has_add_permission(self, request):
        return False


@admin.register(MerchantAccount)
class MerchantAccountAdmin(ReadOnlyAdmin):
    list_display = ["user", "merchant"]


@admin.register(VoucherWindow)
class VoucherWindowAdmin(ReadOnlyAdmin):
    list_display = ["programme", "category", "opens_at", "closes_at", "daily_quota", "valid_days"]


@admin.register(Voucher)
class VoucherAdmin(ReadOnlyAdmin):
    list_display = ["code", "category", "holder_name", "person_masked", "state", "issued_at", "expires_at"]
    list_filter = ["state", "category"]
    search_fields = ["code"]
    exclude = ["person_enc", "phone_enc", "person_hash", "phone_hash"]


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin):
    list_display = ["number", "programme", "merchant", "category", "subsidy", "state", "submitted_at"]
    list_filter = ["state", "category"]
    search_fields = ["number", "invoice_no", "serial_number"]
    exclude = ["buyer_id_enc", "buyer_phone_enc", "buyer_id_hash", "buyer_phone_hash"]


@admin.register(ClaimFlag)
class ClaimFlagAdmin(ReadOnlyAdmin):
    list_display = ["claim", "kind", "state", "raised_at", "decided_at"]
    list_filter = ["kind", "state"]


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ["claim", "amount", "refunded_on"]


@admin.register(Clawback)
class ClawbackAdmin(ReadOnlyAdmin):
    list_display = ["claim", "merchant", "amount", "state", "raised_at", "repaid_at"]
    list_filter = ["state"]


@admin.register(PaymentBatch)
class PaymentBatchAdmin(ReadOnlyAdmin):
    list_display = ["programme", "number", "state", "created_at", "exported_at"]


@admin.register(PaymentLine)
class PaymentLineAdmin(ReadOnlyAdmin):
    list_display = ["batch", "claim", "merchant", "amount", "state", "attempt"]
