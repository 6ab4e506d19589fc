"""The public convenience map (便民地图): no login, open sites only, works without JavaScript.

GET /public/map/?jurisdiction=&category=&level=&town=&q=&lat=&lng=&datum=&page=
- without a point: the open sites of the district or city, filtered, in town order;
- q (an address typed in) is geocoded offline against the towns' names and the sites' addresses;
  lat/lng (the phone's position, WGS-84 unless datum=gcj02) likewise give a point; with a point the
  list holds the nearest sites and their distances;
- fragment=1 answers only the results block, which map.js swaps in without reloading the page.
"""

import json

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import nearest
from .enums import Category, Datum, SiteLevel
from .geo import in_china

PAGE_SIZE = 50
NEAREST_K = 20


def map_settings() -> dict:
    """The tile server (a URL template; empty: no tiles), the datum its tiles are drawn in and the
    provider's attribution, from settings (LIANGXIN_MAP_TILES, _DATUM, _ATTRIBUTION)."""
    from django.conf import settings

    return {
        "tiles": settings.LIANGXIN_MAP_TILES,
        "datum": settings.LIANGXIN_MAP_DATUM,
        "attribution": settings.LIANGXIN_MAP_ATTRIBUTION,
    }


class MapFilterForm(forms.Form):
    jurisdiction = forms.TypedChoiceField(label=_("District / city"), coerce=int, required=False)
    category = forms.ChoiceField(
        label=_("What to hand in"), choices=[("", _("all categories"))] + Category.choices, required=False
    )
    level = forms.ChoiceField(
        label=_("Kind of site"), choices=[("", _("all kinds"))] + SiteLevel.choices, required=False
    )
    town = forms.TypedChoiceField(label=_("Town / sub-district"), coerce=int, required=False, empty_value=None)
    q = forms.CharField(label=_("Address or town"), max_length=100, required=False, strip=True)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)
    lng = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-180, max_value=180)
    datum = forms.ChoiceField(choices=Datum.choices, required=False, widget=forms.HiddenInput)

    def __init__(self, data, *, jurisdictions, towns):
        super().__init__(data)
        self.fields["jurisdiction"].choices = [(j.pk, j.name) for j in jurisdictions]
        self.fields["town"].choices = [("", _("all towns"))] + [(t.pk, t.name) for t in towns]


def _distance_text(metres: float) -> str:
    if metres < 1000:
        return gettext("%(m)d m") % {"m": round(metres)}
    return gettext("%(km).1f km") % {"km": metres / 1000}


def _row(site, *, now, datum, distance_m=None) -> dict:
    feature = nearest.public_feature(site, now=now, datum=datum, distance_m=distance_m)
    return {
        "site": site,
        "feature": feature,
        "open_now": feature["properties"]["open_now"],
        "distance": _distance_text(distance_m) if distance_m is not None else "",
    }


# What a marker's popup shows; the list below the map carries the rest.
MARKER_PROPERTIES = ("name", "level", "level_label", "address", "phone", "hours", "distance_m", "route")


def _marker(feature: dict) -> dict:
    properties = {k: v for k, v in feature["properties"].items() if k in MARKER_PROPERTIES}
    if "distance_m" in properties:
        properties["distance"] = _distance_text(properties["distance_m"])
    return {**feature, "properties": properties}


_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _json_for_script(value) -> str:
    """JSON safe inside <script> (as json_script writes it) but with Chinese as UTF-8, not \\uXXXX:
    a third of the size for a district's few hundred markers."""
    return mark_safe(json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES))


def map_page(request):
    jurisdictions = list(nearest.public_jurisdictions())
    chosen_id = request.GET.get("jurisdiction")
    by_id = {str(j.pk): j for j in jurisdictions}
    jurisdiction = by_id.get(chosen_id) or (jurisdictions[0] if jurisdictions else None)
    towns = nearest.public_towns(jurisdiction) if jurisdiction else []
    data = request.GET.copy()
    if jurisdiction is not None:
        data["jurisdiction"] = str(jurisdiction.pk)
    form = MapFilterForm(data, jurisdictions=jurisdictions, towns=towns)
    conf = map_settings()
    messages: list[str] = []
    rows: list[dict] = []
    markers: list[dict] | None = None
    place = None
    page = None
    now = timezone.now()
    if not form.is_valid():
        # A filter the page does not know (a stale link) is dropped with a word, not a 400 page.
        for name in list(form.errors):
            messages.append(
                gettext("“%(value)s” is not a valid choice here; it was ignored.") % {"value": data.get(name)}
            )
            data.pop(name, None)
        form = MapFilterForm(data, jurisdictions=jurisdictions, towns=towns)
        form.is_valid()
    filters = getattr(form, "cleaned_data", {})
    category = filters.get("category") or None
    level = filters.get("level") or None
    town_id = filters.get("town")
    if jurisdiction is not None:
        lat, lng = filters.get("lat"), filters.get("lng")
        if filters.get("q"):
            place = nearest.locate(filters["q"], jurisdiction=jurisdiction)
            if place is None:
                messages.append(
                    gettext("“%(q)s” was not found; try a town name such as %(example)s.")
                    % {"q": filters["q"], "example": "、".join(t.name for t in towns[:3]) or "—"}
                )
        elif lat is not None and lng is not None:
            datum = filters.get("datum") or Datum.WGS84
            wlat, wlng = nearest.to_wgs84(lat, lng, datum)
            if in_china(wlat, wlng):
                place = nearest.Place(wlat, wlng, gettext("your position"), "position")
            else:
                messages.append(gettext("Your position lies outside China; choose a town or type an address instead."))
        if place is not None:
            found = nearest.nearest_open_sites(
                lat=place.lat,
                lng=place.lng,
                datum=Datum.WGS84,
                k=NEAREST_K,
                category=category,
                level=level,
                jurisdiction_id=jurisdiction.pk,
            )
            rows = [_row(site, now=now, datum=conf["datum"], distance_m=metres) for site, metres in found]
        else:
            sites = nearest.open_sites(jurisdiction=jurisdiction, category=category, level=level, town_id=town_id)
            page = Paginator(sites, PAGE_SIZE).get_page(request.GET.get("page"))
            nearest.attach_routes(page.object_list)
            rows = [_row(site, now=now, datum=conf["datum"]) for site in page.object_list]
            # Every matching site is a marker, not only the ones listed on this page.
            if page.paginator.num_pages > 1:
                nearest.attach_routes(sites)
                markers = [nearest.public_marker(s, datum=conf["datum"]) for s in sites]
    features = [_marker(f) for f in (markers if markers is not None else [r["feature"] for r in rows])]
    point = None
    if place is not None:
        plat, plng = (place.lat, place.lng)
        if conf["datum"] == Datum.GCJ02:
            from .geo import wgs84_to_gcj02

            plat, plng = wgs84_to_gcj02(plat, plng)
        point = {"lat": round(plat, 6), "lng": round(plng, 6), "label": place.label, "kind": place.kind}
    payload = {
        "datum": conf["datum"],
        "tiles": conf["tiles"],
        "attribution": conf["attribution"],
        "features": features,
        "towns": [
            {"name": t["name"], "lat": t["lat"], "lng": t["lng"]}
            for t in nearest.town_centres(jurisdiction=jurisdiction, datum=conf["datum"])
        ]
        if jurisdiction
        else [],
        "point": point,
        "levels": {value: str(label) for value, label in SiteLevel.choices},
    }
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("fragment", None)
    context = {
        "form": form,
        "jurisdiction": jurisdiction,
        "jurisdictions": jurisdictions,
        "rows": rows,
        "page": page,
        "place": place,
        "messages_list": messages,
        "payload_json": _json_for_script(payload),
        "category_label": dict(Category.choices).get(category, "") if category else "",
        "query": query.urlencode(),
    }
    template = "recycling/public_map_results.html" if request.GET.get("fragment") else "recycling/public_map.html"
    return render(request, template, context)
