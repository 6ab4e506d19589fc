"""Public API endpoints of this app (no login), mounted under /api/public/."""

from django.urls import path

from .api import public

urlpatterns = [
    path("budgets/", public.PublicBudgetListApi.as_view(), name="tradein-public-budgets"),
    path("claims/status/", public.PublicClaimStatusApi.as_view(), name="tradein-public-claim-status"),
    path("vouchers/windows/", public.PublicVoucherWindowListApi.as_view(), name="tradein-public-voucher-windows"),
    path("vouchers/claim/", public.PublicVoucherClaimApi.as_view(), name="tradein-public-voucher-claim"),
    path("vouchers/status/", public.PublicVoucherStatusApi.as_view(), name="tradein-public-voucher-status"),
]
