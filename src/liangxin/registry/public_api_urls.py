"""Public API endpoints of this app (no login), mounted under /api/public/."""

from django.urls import path  # noqa: F401

urlpatterns = []
