from django.db import models
from django.utils.translation import gettext_lazy as _


class BudgetState(models.TextChoices):
    OPEN = "open", _("open")
    THROTTLED = "throttled", _("throttled")
    PAUSED = "paused", _("paused")
    CLOSED = "closed", _("closed")


class LedgerKind(models.TextChoices):
    """What a budget ledger entry did. The sign of its effect on the available balance follows
    from the kind (see BudgetEntry.delta): release +, reserve −, release back +, pay 0 (the money
    was already reserved), claw back 0 (owed by the merchant, not yet back), repay +."""

    RELEASE = "release", _("tranche released")
    RESERVE = "reserve", _("reserved for a claim")
    RELEASE_BACK = "release_back", _("reservation released")
    PAY = "pay", _("paid")
    CLAWBACK = "clawback", _("clawback raised")
    REPAY = "repay", _("clawback repaid")


# The sign each kind applies to the available balance of its bucket.
LEDGER_SIGN = {
    LedgerKind.RELEASE: 1,
    LedgerKind.RESERVE: -1,
    LedgerKind.RELEASE_BACK: 1,
    LedgerKind.PAY: 0,
    LedgerKind.CLAWBACK: 0,
    LedgerKind.REPAY: 1,
}


class VoucherState(models.TextChoices):
    LIVE = "live", _("live")
    USED = "used", _("used")
    EXPIRED = "expired", _("expired")
    RETURNED = "returned", _("returned")
    VOID = "void", _("void")


class MerchantKind(models.TextChoices):
    STORE = "store", _("store")
    PLATFORM = "platform", _("sales platform")


class InvoiceTitleType(models.TextChoices):
    PERSON = "person", _("individual")
    COMPANY = "company", _("company")


class ClaimState(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    ACCEPTED = "accepted", _("accepted")
    REVIEWED = "reviewed", _("reviewed")
    APPROVED = "approved", _("approved")
    PAID = "paid", _("paid")
    REJECTED = "rejected", _("rejected")
    VOID = "void", _("void")


# States in which a claim no longer holds its person slot, serial number, invoice or voucher.
CLAIM_DEAD_STATES = (ClaimState.REJECTED, ClaimState.VOID)

# The allowed moves of the state machine (rejection and voiding are separate services).
CLAIM_TRANSITIONS = {
    ClaimState.SUBMITTED: (ClaimState.ACCEPTED,),
    ClaimState.ACCEPTED: (ClaimState.REVIEWED,),
    ClaimState.REVIEWED: (ClaimState.APPROVED,),
    ClaimState.APPROVED: (ClaimState.PAID,),
}


class RejectCode(models.TextChoices):
    BAD_ID = "bad_id", _("invalid identity number")
    BAD_MERCHANT = "bad_merchant", _("merchant not eligible")
    PERSON_LIMIT = "person_limit", _("person already subsidised in this category")
    DUPLICATE_SERIAL = "duplicate_serial", _("serial number already claimed")
    DUPLICATE_INVOICE = "duplicate_invoice", _("invoice already claimed")
    COMPANY_INVOICE = "company_invoice", _("invoice made out to a company")
    FORMULA_MISMATCH = "formula_mismatch", _("subsidy does not match the rules")
    UNKNOWN_CATEGORY = "unknown_category", _("category not in the programme")
    PRICE_OUT_OF_RANGE = "price_out_of_range", _("price outside the allowed range")
    NOT_ELIGIBLE = "not_eligible", _("product not eligible")
    OUTSIDE_JURISDICTION = "outside_jurisdiction", _("delivery address outside the jurisdiction")
    MISSING_PROOF = "missing_proof", _("required proof missing")
    VOUCHER_INVALID = "voucher_invalid", _("voucher missing or not valid")
    OUT_OF_PERIOD = "out_of_period", _("purchase outside the programme period")
    BUDGET_EXHAUSTED = "budget_exhausted", _("budget exhausted")
    FLAG_UPHELD = "flag_upheld", _("suspicion upheld on review")
    DOCUMENTS = "documents", _("documents incomplete or inconsistent")
    OTHER = "other", _("other reason")


class FlagKind(models.TextChoices):
    PRICE_HIKE = "price_hike", _("possible price hike")
    BULK_BUYING = "bulk_buying", _("possible bulk buying")
    ZERO_MILEAGE = "zero_mileage", _("possible zero-mileage car")


class FlagState(models.TextChoices):
    OPEN = "open", _("open")
    CLEARED = "cleared", _("cleared")
    UPHELD = "upheld", _("upheld")


class CarRoute(models.TextChoices):
    SCRAPPAGE = "scrappage", _("scrappage renewal (报废更新)")
    REPLACEMENT = "replacement", _("replacement renewal (置换更新)")


class Powertrain(models.TextChoices):
    NEV = "nev", _("new-energy vehicle")
    FUEL = "fuel", _("fuel vehicle")


class ClawbackState(models.TextChoices):
    RAISED = "raised", _("raised")
    REPAID = "repaid", _("repaid")
    WRITTEN_OFF = "written_off", _("written off")


class BatchState(models.TextChoices):
    DRAFT = "draft", _("draft")
    EXPORTED = "exported", _("exported")
    RECONCILED = "reconciled", _("reconciled")


class LineState(models.TextChoices):
    PENDING = "pending", _("pending")
    PAID = "paid", _("paid")
    FAILED = "failed", _("failed")
    RETURNED = "returned", _("returned")


class Proof(models.TextChoices):
    RECYCLER_HANDOVER = "recycler_handover", _("old item handed to a registered recycler")
    SCRAPPAGE_CERTIFICATE = "scrappage_certificate", _("scrapped vehicle recovery certificate")
    INVOICE = "invoice", _("invoice")
    SERIAL_NUMBER = "serial_number", _("product serial number")
