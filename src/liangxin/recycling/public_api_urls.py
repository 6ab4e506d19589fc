"""Public API endpoints of this app (no login), mounted under /api/public/ (namespace "api")."""

from django.urls import path

from . import api_public

urlpatterns = [
    path("recycling/sites/", api_public.SitesApi.as_view(), name="recycling-public-sites"),
    path("recycling/nearest/", api_public.NearestApi.as_view(), name="recycling-public-nearest"),
    path("recycling/towns/", api_public.TownsApi.as_view(), name="recycling-public-towns"),
]
