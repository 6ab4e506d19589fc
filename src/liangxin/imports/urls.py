from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.draft_list, name="list"),
    path("<int:pk>/", views.draft_review, name="review"),
    path("<int:pk>/units/", views.draft_unit, name="unit"),
    path("<int:pk>/units/accept/", views.draft_accept_proposals, name="accept_proposals"),
    path("<int:pk>/publish/", views.draft_publish, name="publish"),
    path("<int:pk>/discard/", views.draft_discard, name="discard"),
    path("<int:pk>/original/", views.draft_original, name="original"),
]
