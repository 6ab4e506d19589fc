"""Public pages of this app (no login), mounted under /public/ in the portal's namespace."""

from django.urls import path

from .views import public

urlpatterns = [
    path("policies/", public.policies, name="policies"),
    path("policies/<int:pk>/", public.policy_detail, name="policy_detail"),
]
