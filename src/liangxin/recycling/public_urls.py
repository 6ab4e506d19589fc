"""Public pages of this app (no login), mounted under /public/ in the portal's namespace."""

from django.urls import path

from . import views_public

urlpatterns = [
    path("map/", views_public.map_page, name="map"),
]
