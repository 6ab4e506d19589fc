from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("liangxin.config.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("imports/", include("liangxin.imports.urls")),
    path("dispatch/", include("liangxin.dispatch.urls")),
    path("reports/", include("liangxin.reports.urls")),
    path("registry/", include("liangxin.registry.urls")),
    path("tradein/", include("liangxin.tradein.urls")),
    path("recycling/", include("liangxin.recycling.urls")),
    path("public/", include("liangxin.portal.urls")),
    path("", include("liangxin.plans.urls")),
]
