"""The public API (no login), mounted at /api/public/; each app contributes its own endpoints."""

from django.urls import include, path

urlpatterns = [
    path("", include("liangxin.recycling.public_api_urls")),
    path("", include("liangxin.registry.public_api_urls")),
    path("", include("liangxin.tradein.public_api_urls")),
]
