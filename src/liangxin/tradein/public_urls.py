"""Public pages of this app (no login), mounted under /public/ in the portal's namespace:
budgets, claim_status, voucher_claim."""

from .views import public

urlpatterns = public.urlpatterns
