from . import views_ledger, views_monthly, views_sheets

app_name = "reports"
urlpatterns = [*views_monthly.urlpatterns, *views_sheets.urlpatterns, *views_ledger.urlpatterns]
