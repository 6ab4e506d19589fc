"""The public convenience map and its API: no login, open sites only, nothing about people, filters,
the nearest sites to a town or an address typed in, and clear answers to bad parameters."""

import datetime
import json
import re

import pytest
from django.core.cache import cache
from django.utils import translation

from liangxin.core.idcodes import uscc_from
from liangxin.core.services import jurisdiction_ensure_path
from liangxin.recycling.enums import Category
from liangxin.recycling.geo import gcj02_to_wgs84
from liangxin.recycling.models import Site
from liangxin.recycling.nearest import haversine_m
from liangxin.recycling.services.sites import route_set, site_create, town_centre_set, town_resolve
from liangxin.registry.services import enterprise_upsert

JIA_CENTRE = (39.2000, 117.1000)  # 甲镇's centre, GCJ-02


OUTSIDE_CHINA = "The point (%(lat)s, %(lng)s) lies outside China; are latitude and longitude swapped?"
NOT_A_DATUM = "“{input}” is not a datum; use wgs84 (GPS) or gcj02 (Chinese maps)."


def zh(message, plural=None, n=None, **params) -> str:
    """A message as the Chinese interface words it (the recycling app's and the portal's catalogs)."""
    with translation.override("zh-hans"):
        text = translation.ngettext(message, plural, n) if plural else translation.gettext(message)
    return text % params if params else text


def nearest_to(label: str, n: int) -> str:
    return zh(
        "The nearest site to “%(label)s”", "The %(counter)s nearest sites to “%(label)s”", n, label=label, counter=n
    )


@pytest.fixture(autouse=True)
def fresh_throttle():
    # The API's throttle counts requests per address in the cache; each test starts from zero.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def network(db):
    """测试公开区 with two towns and five sites: three open, one closed, one planned."""
    district = jurisdiction_ensure_path(path="天津市/测试公开区")
    jia = town_resolve(actor=None, jurisdiction=district, name="甲镇")
    yi = town_resolve(actor=None, jurisdiction=district, name="乙街道")
    town_centre_set(actor=None, town=jia, lat=JIA_CENTRE[0], lng=JIA_CENTRE[1])
    town_centre_set(actor=None, town=yi, lat="39.250000", lng="117.150000")
    operator, _ = enterprise_upsert(
        actor=None,
        uscc=uscc_from("91120113MA05TX7K1"),
        name="测试再生资源回收有限公司",
        jurisdiction=district,
        contact_name="张三",
        contact_phone="13900001111",
    )

    def make(name, *, town, level="point", status="open", categories=("appliances",), lat, lng, **extra):
        return site_create(
            actor=None,
            jurisdiction=district,
            town=town,
            level=level,
            name=name,
            address=extra.pop("address", f"测试公开区{name}路8号"),
            lat=lat,
            lng=lng,
            datum="gcj02",
            categories=list(categories),
            status=status,
            status_since=datetime.date(2025, 3, 1),
            **extra,
        )

    sites = {
        "fridge": make(
            "甲镇家电回收点",
            town=jia,
            categories=["appliances", "paper"],
            lat="39.201000",
            lng="117.100000",
            hours="全天",
            phone="022-26391234",
            operator=operator,
            notes="内部备注：负责人私人电话",
            address="测试公开区甲镇幸福路12号",
        ),
        "sofa": make(
            "乙街道家具中转站", town=yi, level="transfer", categories=["furniture"], lat="39.250000", lng="117.150000"
        ),
        "van": make(
            "甲镇流动回收车", town=jia, level="mobile", categories=["paper", "metal"], lat="39.210000", lng="117.100000"
        ),
        "closed": make("甲镇已关闭回收点", town=jia, status="closed", lat="39.200500", lng="117.100000"),
        "planned": make("甲镇规划回收点", town=jia, status="planned", lat="39.200200", lng="117.100000"),
    }
    route_set(
        actor=None,
        site=sites["van"],
        stops=[{"place": "幸福小区东门", "lat": "39.205", "lng": "117.101", "schedule": "每周二 9:00-11:00"}],
    )
    return {"district": district, "jia": jia, "yi": yi, **sites}


def listed_names(response) -> list[str]:
    return re.findall(r'<h2 class="site-name">([^<]+)</h2>', response.content.decode())


def map_data(response) -> dict:
    match = re.search(r'<script id="map-data" type="application/json">(.*?)</script>', response.content.decode(), re.S)
    return json.loads(match.group(1))


def test_the_portal_home_needs_no_login_and_leads_to_the_map_filtered_for_old_fridges(client, network):
    response = client.get("/public/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "旧冰箱" in body
    assert 'href="/public/map/?category=appliances"' in body
    assert f'href="/public/map/?jurisdiction={network["district"].pk}"' in body


def test_the_map_needs_no_login_and_lists_only_the_open_sites_of_the_district(client, network):
    response = client.get("/public/map/", {"jurisdiction": network["district"].pk})
    assert response.status_code == 200
    assert listed_names(response) == ["乙街道家具中转站", "甲镇家电回收点", "甲镇流动回收车"]
    body = response.content.decode()
    assert "已关闭" not in body and "规划" not in body
    assert [f["id"] for f in map_data(response)["features"]] == [
        network["sofa"].pk,
        network["fridge"].pk,
        network["van"].pk,
    ]


def test_the_map_uses_leaflet_from_the_projects_own_static_files(client, network):
    body = client.get("/public/map/", {"jurisdiction": network["district"].pk}).content.decode()
    assert '<script src="/static/vendor/leaflet/leaflet.js">' in body
    assert '<link rel="stylesheet" href="/static/vendor/leaflet/leaflet.css">' in body
    assert "unpkg" not in body and "cdn" not in body.lower()


def test_the_map_without_a_tile_server_says_so_in_its_data_and_shows_the_towns(client, network):
    data = map_data(client.get("/public/map/", {"jurisdiction": network["district"].pk}))
    assert data["tiles"] == ""
    assert data["datum"] == "gcj02"
    assert [t["name"] for t in data["towns"]] == ["乙街道", "甲镇"]
    fridge = next(f for f in data["features"] if f["id"] == network["fridge"].pk)
    assert fridge["geometry"]["coordinates"] == [117.1, 39.201]


def test_a_tile_server_in_the_settings_reaches_the_page_with_its_datum(client, network, settings):
    settings.LIANGXIN_MAP_TILES = "https://tiles.example.cn/{z}/{x}/{y}.png"
    settings.LIANGXIN_MAP_DATUM = "wgs84"
    settings.LIANGXIN_MAP_ATTRIBUTION = "© 示例地图"
    data = map_data(client.get("/public/map/", {"jurisdiction": network["district"].pk}))
    assert (data["tiles"], data["datum"], data["attribution"]) == (
        "https://tiles.example.cn/{z}/{x}/{y}.png",
        "wgs84",
        "© 示例地图",
    )
    fridge = Site.objects.get(pk=network["fridge"].pk)
    feature = next(f for f in data["features"] if f["id"] == fridge.pk)
    assert feature["geometry"]["coordinates"] == [float(fridge.wgs_lng), float(fridge.wgs_lat)]


def test_a_site_shows_its_hours_open_now_phone_as_a_call_link_address_and_route(client, network):
    body = client.get("/public/map/", {"jurisdiction": network["district"].pk}).content.decode()
    assert 'href="tel:02226391234"' in body
    assert "测试公开区甲镇幸福路12号" in body
    assert zh("open now") in body  # 全天: open at any hour
    assert "幸福小区东门" in body and "每周二 9:00-11:00" in body


def test_the_public_page_and_api_show_nothing_about_people(client, network):
    page = client.get("/public/map/", {"jurisdiction": network["district"].pk}).content.decode()
    api = client.get("/api/public/recycling/sites/", {"jurisdiction": network["district"].pk}).content.decode()
    for body in (page, api):
        assert "张三" not in body
        assert "13900001111" not in body
        assert "内部备注" not in body


def test_the_category_filter_keeps_the_sites_taking_old_appliances(client, network):
    response = client.get("/public/map/", {"jurisdiction": network["district"].pk, "category": "appliances"})
    assert listed_names(response) == ["甲镇家电回收点"]
    with translation.override("zh-hans"):
        label = str(Category.APPLIANCES.label)
    summary = zh("%(counter)s open site", "%(counter)s open sites", 1, counter=1)
    assert f"{summary} · {zh('accepting %(category_label)s', category_label=label)}" in response.content.decode()


def test_the_level_and_town_filters_narrow_the_list(client, network):
    district = network["district"].pk
    assert listed_names(client.get("/public/map/", {"jurisdiction": district, "level": "mobile"})) == ["甲镇流动回收车"]
    assert listed_names(client.get("/public/map/", {"jurisdiction": district, "town": network["yi"].pk})) == [
        "乙街道家具中转站"
    ]


def test_typing_a_town_name_lists_the_nearest_sites_with_their_distances(client, network):
    response = client.get("/public/map/", {"jurisdiction": network["district"].pk, "q": "甲镇"})
    assert listed_names(response) == ["甲镇家电回收点", "甲镇流动回收车", "乙街道家具中转站"]
    body = response.content.decode()
    assert nearest_to("甲镇", 3) in body
    distances = re.findall(r'<span class="site-distance">([^<]+)</span>', body)
    assert distances[:2] == [zh("%(m)d m", m=111), zh("%(km).1f km", km=1.1)] == ["111 米", "1.1 公里"]
    assert map_data(response)["point"]["label"] == "甲镇"


def test_a_town_name_without_its_suffix_is_found_too(client, network):
    response = client.get("/public/map/", {"jurisdiction": network["district"].pk, "q": "乙街"})
    assert listed_names(response)[0] == "乙街道家具中转站"


def test_typing_part_of_a_sites_address_finds_it(client, network):
    response = client.get("/public/map/", {"jurisdiction": network["district"].pk, "q": "幸福路12号"})
    assert listed_names(response)[0] == "甲镇家电回收点"
    assert nearest_to("测试公开区甲镇幸福路12号", 3) in response.content.decode()


def test_an_address_not_found_says_so_and_suggests_a_town_name(client, network):
    response = client.get("/public/map/", {"jurisdiction": network["district"].pk, "q": "火星基地"})
    body = response.content.decode()
    assert (
        zh("“%(q)s” was not found; try a town name such as %(example)s.", q="火星基地", example="乙街道、甲镇") in body
    )
    assert listed_names(response) == ["乙街道家具中转站", "甲镇家电回收点", "甲镇流动回收车"]


def test_the_nearest_sites_to_a_phones_position_with_a_category(client, network):
    response = client.get(
        "/public/map/",
        {"jurisdiction": network["district"].pk, "lat": "39.2", "lng": "117.1", "datum": "gcj02", "category": "paper"},
    )
    assert listed_names(response) == ["甲镇家电回收点", "甲镇流动回收车"]


def test_a_position_outside_china_is_refused_with_a_word(client, network):
    response = client.get("/public/map/", {"jurisdiction": network["district"].pk, "lat": "48.85", "lng": "2.35"})
    assert (
        zh("Your position lies outside China; choose a town or type an address instead.") in response.content.decode()
    )


def test_an_unknown_filter_value_is_ignored_with_a_word(client, network):
    response = client.get("/public/map/", {"jurisdiction": network["district"].pk, "category": "fridge"})
    assert zh("“%(value)s” is not a valid choice here; it was ignored.", value="fridge") in response.content.decode()
    assert len(listed_names(response)) == 3


def test_the_fragment_holds_only_the_results_for_the_script_to_swap_in(client, network):
    response = client.get(
        "/public/map/", {"jurisdiction": network["district"].pk, "category": "furniture", "fragment": "1"}
    )
    body = response.content.decode()
    assert "<html" not in body
    assert listed_names(response) == ["乙街道家具中转站"]
    assert [f["id"] for f in map_data(response)["features"]] == [network["sofa"].pk]


def test_the_district_choice_offers_the_places_with_open_sites(client, network):
    body = client.get("/public/map/", {"jurisdiction": network["district"].pk}).content.decode()
    assert f'<option value="{network["district"].pk}" selected>测试公开区</option>' in body


# --- the public API --------------------------------------------------------------------------------


def test_the_sites_api_answers_geojson_with_its_datum_and_only_open_sites(client, network):
    response = client.get("/api/public/recycling/sites/", {"jurisdiction": network["district"].pk})
    assert response.status_code == 200
    data = response.json()
    assert data["type"] == "FeatureCollection"
    assert data["datum"] == "wgs84"
    assert [f["id"] for f in data["features"]] == [network["sofa"].pk, network["fridge"].pk, network["van"].pk]
    fridge = Site.objects.get(pk=network["fridge"].pk)
    feature = data["features"][1]
    assert feature["geometry"] == {"type": "Point", "coordinates": [float(fridge.wgs_lng), float(fridge.wgs_lat)]}
    assert feature["properties"]["open_now"] is True
    assert feature["properties"]["categories"] == ["appliances", "paper"]
    assert feature["properties"]["operator"] == "测试再生资源回收有限公司"


def test_the_sites_api_answers_in_gcj02_when_asked_and_filters_by_category(client, network):
    data = client.get(
        "/api/public/recycling/sites/", {"jurisdiction": network["district"].pk, "datum": "gcj02", "category": "paper"}
    ).json()
    assert data["datum"] == "gcj02"
    assert [(f["id"], f["geometry"]["coordinates"]) for f in data["features"]] == [
        (network["fridge"].pk, [117.1, 39.201]),
        (network["van"].pk, [117.1, 39.21]),
    ]
    assert data["features"][1]["properties"]["route"] == [
        {"place": "幸福小区东门", "when": "每周二 9:00-11:00", "lat": 39.205, "lng": 117.101}
    ]


def test_the_nearest_api_answers_the_k_nearest_with_distances_in_metres(client, network):
    response = client.get(
        "/api/public/recycling/nearest/",
        {"lat": "39.2", "lng": "117.1", "datum": "gcj02", "k": "2", "jurisdiction": network["district"].pk},
    )
    assert response.status_code == 200
    data = response.json()
    assert [f["id"] for f in data["features"]] == [network["fridge"].pk, network["van"].pk]
    fridge, van = Site.objects.get(pk=network["fridge"].pk), Site.objects.get(pk=network["van"].pk)
    point = gcj02_to_wgs84(39.2, 117.1)
    expected = [round(haversine_m(*point, float(s.wgs_lat), float(s.wgs_lng))) for s in (fridge, van)]
    assert [f["properties"]["distance_m"] for f in data["features"]] == expected == [111, 1111]


def test_the_towns_api_lists_the_towns_with_their_centres_and_open_sites(client, network):
    data = client.get("/api/public/recycling/towns/", {"jurisdiction": network["district"].pk, "datum": "gcj02"}).json()
    assert data["datum"] == "gcj02"
    assert [(t["name"], t["lat"], t["lng"], t["open_sites"]) for t in data["towns"]] == [
        ("乙街道", 39.25, 117.15, 1),
        ("甲镇", 39.2, 117.1, 2),
    ]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"lng": "117.1"}, "lat", "该字段是必填项。"),
        ({"lat": "北京", "lng": "117.1"}, "lat", "请填写合法的数字。"),
        ({"lat": "95", "lng": "117.1"}, "lat", "请确保该值小于或者等于 90。"),
        ({"lat": "48.85", "lng": "2.35"}, "lat", OUTSIDE_CHINA),
        ({"lat": "117.1", "lng": "39.2"}, "lat", "请确保该值小于或者等于 90。"),
        ({"lat": "39.2", "lng": "117.1", "k": "51"}, "k", "请确保该值小于或者等于 50。"),
        ({"lat": "39.2", "lng": "117.1", "k": "0"}, "k", "请确保该值大于或者等于 1。"),
        (
            {"lat": "39.2", "lng": "117.1", "datum": "bd09"},
            "datum",
            NOT_A_DATUM,
        ),
    ],
)
def test_the_nearest_api_refuses_bad_parameters_with_a_clear_400(client, network, params, field, message):
    response = client.get("/api/public/recycling/nearest/", params)
    assert response.status_code == 400
    if message is OUTSIDE_CHINA:
        message = zh(message, lat=48.85, lng=2.35)
    elif message is NOT_A_DATUM:
        message = zh(message).replace("{input}", "bd09")
    assert response.json()[field] == [message]
    assert re.search(r"[\u4e00-\u9fff]", message), "answered in Chinese"


def test_an_unknown_category_is_refused_with_the_allowed_codes(client, network):
    response = client.get("/api/public/recycling/nearest/", {"lat": "39.2", "lng": "117.1", "category": "fridge"})
    assert response.status_code == 400
    codes = "appliances, furniture, metal, paper, plastic, battery, textile, glass, ewaste, vehicle, office_equipment"
    assert response.json()["category"] == [
        zh(
            "“%(value)s” is not a known %(what)s; use one of: %(codes)s.",
            value="fridge",
            what=zh("category"),
            codes=codes,
        )
    ]


def test_the_public_api_is_read_only(client, network):
    response = client.post("/api/public/recycling/sites/", {})
    assert response.status_code == 405


def test_the_public_api_needs_no_login_even_when_the_rest_of_the_api_does(client, network):
    assert client.get("/api/plans/").status_code in (401, 403)
    assert client.get("/api/public/recycling/towns/").status_code == 200


def test_the_public_api_slows_down_a_client_asking_too_often(client, network):
    url = "/api/public/recycling/towns/"
    answers = [client.get(url, {"jurisdiction": network["district"].pk}).status_code for _ in range(121)]
    assert answers[:120] == [200] * 120
    assert answers[120] == 429
    # Another address is not held back by the first one's requests.
    assert client.get(url, REMOTE_ADDR="10.1.2.3").status_code == 200
