"""The portal home (/public/): what a resident can do here, as big buttons. No login."""

from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from liangxin.recycling import nearest
from liangxin.recycling.enums import Category


def _url(name: str) -> str:
    """The address of another app's public page, or "" while that page does not exist yet."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def home(request):
    map_url = _url("portal:map")
    jurisdictions = list(nearest.public_jurisdictions())
    context = {
        "map_url": map_url,
        "fridge_url": f"{map_url}?category={Category.APPLIANCES.value}" if map_url else "",
        "car_url": f"{map_url}?category={Category.VEHICLE.value}" if map_url else "",
        "jurisdictions": jurisdictions,
    }
    return render(request, "portal/home.html", context)
