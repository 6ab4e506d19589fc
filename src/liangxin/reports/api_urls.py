from . import api_ledger, api_monthly, api_sheets

urlpatterns = [*api_monthly.urlpatterns, *api_sheets.urlpatterns, *api_ledger.urlpatterns]
