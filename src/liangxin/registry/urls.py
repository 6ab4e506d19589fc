from django.urls import path  # noqa: F401

from .views import events as events_views
from .views import matching as matching_views

app_name = "registry"
urlpatterns = []

urlpatterns += matching_views.urlpatterns + events_views.urlpatterns
