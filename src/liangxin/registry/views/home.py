"""The overview of the lists: how many records each holds for the user, with links."""

from django.db.models import Sum
from django.shortcuts import render
from django.urls import path

from .common import list_reader
from .lists import CONFIGS


@list_reader
def home(request):
    cards = []
    for key, config in CONFIGS.items():
        cards.append(
            {
                "key": key,
                "title": config.title,
                "count": config.queryset(request.user).count(),
                "can_create": config.can_create(request.user),
            }
        )
    projects = CONFIGS["projects"].queryset(request.user)
    money = projects.aggregate(total=Sum("total_investment_wan"), equipment=Sum("equipment_investment_wan"))
    return render(request, "registry/home.html", {"cards": cards, "money": money})


urlpatterns = [path("", home, name="home")]
