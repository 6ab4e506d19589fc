"""Public pages of this app (no login), mounted under /public/ in the portal's namespace."""

from django.urls import path  # noqa: F401

urlpatterns = []
