"""Owned by the matchmaking work (B2); included from the registry urls."""

urlpatterns = []
