from django.urls import path  # noqa: F401

from .api import matching as matching_api

urlpatterns = []

urlpatterns += matching_api.urlpatterns
