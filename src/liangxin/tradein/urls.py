from .views import budget, claims, payouts, programmes, uploads

app_name = "tradein"
urlpatterns = [
    *programmes.urlpatterns,
    *budget.urlpatterns,
    *claims.urlpatterns,
    *payouts.urlpatterns,
    *uploads.urlpatterns,
]
