"""The recycling API, mounted at /api/recycling/ inside the "api" namespace."""

from django.urls import path

from .api.network import urlpatterns_network
from .api.sites import urlpatterns_sites
from .api.volumes import urlpatterns_volumes

urlpatterns = [
    path(route, view.as_view(), name=name)
    for route, view, name in (*urlpatterns_sites, *urlpatterns_network, *urlpatterns_volumes)
]
