from .views import events as events_views
from .views import home as home_views
from .views import lists as list_views
from .views import matching as matching_views
from .views import projects as project_views

app_name = "registry"
# The project routes come before the generic list routes: projects/totals/ is not a project's page.
urlpatterns = home_views.urlpatterns + project_views.urlpatterns + list_views.urlpatterns

urlpatterns += matching_views.urlpatterns + events_views.urlpatterns
