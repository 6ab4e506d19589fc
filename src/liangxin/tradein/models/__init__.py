from .budget import Budget, BudgetBucket, BudgetEntry
from .claims import Claim, ClaimEvent, ClaimFlag
from .merchants import Merchant, MerchantAccount
from .payouts import PaymentBatch, PaymentLine
from .programmes import MONEY, Programme, RuleVersion
from .refunds import Clawback, Refund
from .vouchers import Voucher, VoucherQuota, VoucherWindow

__all__ = [
    "MONEY",
    "Budget",
    "BudgetBucket",
    "BudgetEntry",
    "Claim",
    "ClaimEvent",
    "ClaimFlag",
    "Clawback",
    "Merchant",
    "MerchantAccount",
    "PaymentBatch",
    "PaymentLine",
    "Programme",
    "Refund",
    "RuleVersion",
    "Voucher",
    "VoucherQuota",
    "VoucherWindow",
]
