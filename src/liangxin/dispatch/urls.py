from .views import dashboard, problems, supervision, workbench

app_name = "dispatch"
urlpatterns = [*workbench.urlpatterns, *supervision.urlpatterns, *problems.urlpatterns, *dashboard.urlpatterns]
