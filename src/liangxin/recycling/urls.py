from django.urls import path

from .views import coverage, network, towns, volumes

app_name = "recycling"
urlpatterns = [
    path("", network.home, name="home"),
    path("sites/", network.site_list, name="site_list"),
    path("sites/export.xlsx", network.site_export, name="site_export"),
    path("sites/import/", network.site_import, name="site_import"),
    path("sites/new/", network.site_create, name="site_create"),
    path("sites/<int:pk>/", network.site_detail, name="site_detail"),
    path("sites/<int:pk>/edit/", network.site_edit, name="site_edit"),
    path("sites/<int:pk>/status/", network.site_status, name="site_status"),
    path("sites/<int:pk>/route/", towns.site_route, name="site_route"),
    path("coverage/", coverage.coverage, name="coverage"),
    path("towns/", towns.towns, name="towns"),
    path("returns/", volumes.return_list, name="return_list"),
    path("returns/export.xlsx", volumes.return_export, name="return_export"),
    path("returns/new/", volumes.return_enter, name="return_enter"),
    path("returns/import/", volumes.return_import, name="return_import"),
    path("returns/<int:pk>/confirm/", volumes.return_confirm, name="return_confirm"),
    path("totals/", volumes.totals, name="totals"),
    path("totals/export.xlsx", volumes.totals_export, name="totals_export"),
]
