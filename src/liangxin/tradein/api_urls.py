"""The trade-in API, mounted at /api/tradein/ inside the "api" namespace."""

from django.urls import path

from .api import claims, merchants, programmes

urlpatterns = [
    path("programmes/", programmes.ProgrammeListApi.as_view(), name="tradein-programme-list"),
    path("programmes/<int:pk>/", programmes.ProgrammeDetailApi.as_view(), name="tradein-programme-detail"),
    path("programmes/<int:pk>/rules/", programmes.ProgrammeRulesApi.as_view(), name="tradein-programme-rules"),
    path("programmes/<int:pk>/versions/", programmes.RuleVersionListApi.as_view(), name="tradein-programme-versions"),
    path("programmes/<int:pk>/budget/", programmes.BudgetApi.as_view(), name="tradein-budget"),
    path("programmes/<int:pk>/budget/release/", programmes.BudgetReleaseApi.as_view(), name="tradein-budget-release"),
    path("programmes/<int:pk>/budget/state/", programmes.BudgetStateApi.as_view(), name="tradein-budget-state"),
    path("programmes/<int:pk>/budget/ledger/", programmes.BudgetLedgerApi.as_view(), name="tradein-budget-ledger"),
    path("programmes/<int:pk>/windows/", programmes.VoucherWindowListApi.as_view(), name="tradein-window-list"),
    path("claims/", claims.ClaimListApi.as_view(), name="tradein-claim-list"),
    path("claims/batch/", claims.ClaimBatchApi.as_view(), name="tradein-claim-batch"),
    path("claims/<int:pk>/", claims.ClaimDetailApi.as_view(), name="tradein-claim-detail"),
    path("claims/<int:pk>/transition/", claims.ClaimTransitionApi.as_view(), name="tradein-claim-transition"),
    path("claims/<int:pk>/reject/", claims.ClaimRejectApi.as_view(), name="tradein-claim-reject"),
    path("claims/<int:pk>/reveal/", claims.ClaimRevealApi.as_view(), name="tradein-claim-reveal"),
    path("claims/<int:pk>/refund/", claims.ClaimRefundApi.as_view(), name="tradein-claim-refund"),
    path("flags/", claims.FlagListApi.as_view(), name="tradein-flag-list"),
    path("flags/<int:pk>/decide/", claims.FlagDecideApi.as_view(), name="tradein-flag-decide"),
    path("merchants/", merchants.MerchantListApi.as_view(), name="tradein-merchant-list"),
    path("merchants/<int:pk>/active/", merchants.MerchantActiveApi.as_view(), name="tradein-merchant-active"),
    path("merchants/<int:pk>/accounts/", merchants.MerchantAccountApi.as_view(), name="tradein-merchant-accounts"),
    path("clawbacks/", claims.ClawbackListApi.as_view(), name="tradein-clawback-list"),
    path("clawbacks/<int:pk>/repay/", claims.ClawbackRepayApi.as_view(), name="tradein-clawback-repay"),
    path("clawbacks/<int:pk>/write-off/", claims.ClawbackWriteOffApi.as_view(), name="tradein-clawback-write-off"),
]
