from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from liangxin.core import api as core_api
from liangxin.imports import api as imports_api
from liangxin.plans import api as plans_api

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("token/", core_api.TokenObtainApi.as_view(), name="token"),
    path("jurisdictions/", core_api.JurisdictionListApi.as_view(), name="jurisdiction-list"),
    path(
        "jurisdictions/<int:pk>/",
        core_api.JurisdictionDetailApi.as_view(),
        name="jurisdiction-detail",
    ),
    path("units/", core_api.UnitListApi.as_view(), name="unit-list"),
    path("units/<int:pk>/", plans_api.UnitDetailApi.as_view(), name="unit-detail"),
    path("plans/", plans_api.PlanListApi.as_view(), name="plan-list"),
    path("plans/import/", plans_api.PlanImportApi.as_view(), name="plan-import"),
    path("plans/<int:pk>/", plans_api.PlanDetailApi.as_view(), name="plan-detail"),
    path("plans/<int:pk>/export/", plans_api.PlanExportApi.as_view(), name="plan-export"),
    path("tasks/", plans_api.TaskListApi.as_view(), name="task-list"),
    path("tasks/<int:pk>/", plans_api.TaskDetailApi.as_view(), name="task-detail"),
    path("indicators/", plans_api.IndicatorListApi.as_view(), name="indicator-list"),
    path("indicators/<int:pk>/", plans_api.IndicatorDetailApi.as_view(), name="indicator-detail"),
    path("dispatch/", include("liangxin.dispatch.api.urls")),
    path("reports/", include("liangxin.reports.api_urls")),
    path("registry/", include("liangxin.registry.api_urls")),
    path("tradein/", include("liangxin.tradein.api_urls")),
    path("recycling/", include("liangxin.recycling.api_urls")),
    path("public/", include("liangxin.portal.api_urls")),
    path("imports/", imports_api.DraftListApi.as_view(), name="draft-list"),
    path("imports/<int:pk>/", imports_api.DraftDetailApi.as_view(), name="draft-detail"),
    path("imports/<int:pk>/remove/", imports_api.DraftRemoveApi.as_view(), name="draft-remove"),
    path("imports/<int:pk>/append/", imports_api.DraftAppendApi.as_view(), name="draft-append"),
    path("imports/<int:pk>/split/", imports_api.DraftSplitApi.as_view(), name="draft-split"),
    path("imports/<int:pk>/units/", imports_api.DraftUnitApi.as_view(), name="draft-units"),
    path("imports/<int:pk>/publish/", imports_api.DraftPublishApi.as_view(), name="draft-publish"),
    path("imports/<int:pk>/discard/", imports_api.DraftDiscardApi.as_view(), name="draft-discard"),
]
