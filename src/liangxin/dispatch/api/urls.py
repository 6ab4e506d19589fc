from . import dashboard, problems, supervision, workbench

urlpatterns = [*workbench.urlpatterns, *supervision.urlpatterns, *problems.urlpatterns, *dashboard.urlpatterns]
