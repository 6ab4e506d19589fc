"""Public API endpoints of this app (no login), mounted under /api/public/."""

from .api import public as public_api

urlpatterns = list(public_api.urlpatterns)
