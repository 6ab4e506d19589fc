"""The public portal (no login): /public/. Each app contributes its own public pages here.

Names (namespace "portal"): recycling gives `home` and `map`; registry gives `policies`;
tradein gives `claim_status` and `budgets`.
"""

from django.urls import include, path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("", include("liangxin.recycling.public_urls")),
    path("", include("liangxin.registry.public_urls")),
    path("", include("liangxin.tradein.public_urls")),
]
