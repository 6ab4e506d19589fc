from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.home, name="home"),
    path("plans/import/", views.plan_import, name="plan_import"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/export.json", views.plan_export, name="plan_export"),
    path("plans/<int:pk>/source/", views.plan_source, name="plan_source"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("jurisdictions/<int:pk>/units/", views.jurisdiction_units, name="jurisdiction_units"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
]
