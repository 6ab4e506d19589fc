from .api import lists as lists_api
from .api import matching as matching_api

urlpatterns = list(lists_api.urlpatterns)

urlpatterns += matching_api.urlpatterns
