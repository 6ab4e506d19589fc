"""A resident opens the convenience map (便民地图) on a phone and on a desk: the open sites of 北辰区
as markers and as a list, the category filter, the nearest sites to a town typed in or to the phone's
position, no horizontal scroll at phone width; and the list without JavaScript."""

import re
from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import expect

from liangxin.core.models import Jurisdiction
from liangxin.recycling.geo import gcj02_to_wgs84
from liangxin.recycling.models import Site, TownCentre

pytestmark = pytest.mark.e2e

LEAFLET = Path(__file__).resolve().parents[2] / "src/liangxin/static/vendor/leaflet/leaflet.js"
PHONE = {"width": 390, "height": 844}
PAGE_SIZE = 50


@pytest.fixture
def beichen(demo_site):
    if not LEAFLET.exists():
        pytest.fail(f"{LEAFLET} is missing: run `make static` (npm ci, then the copy)", pytrace=False)
    place = Jurisdiction.objects.get(name="北辰区")
    open_sites = list(Site.objects.filter(jurisdiction=place, status="open"))
    assert len(open_sites) > PAGE_SIZE, "the demo gives 北辰区 its network"
    return {"place": place, "open": open_sites}


def zh(message, plural=None, n=None, **params) -> str:
    """A message as the Chinese interface words it."""
    with translation.override("zh-hans"):
        text = translation.ngettext(message, plural, n) if plural else translation.gettext(message)
    return text % params if params else text


def nearest_to(label: str, n: int) -> str:
    return zh(
        "The nearest site to “%(label)s”", "The %(counter)s nearest sites to “%(label)s”", n, label=label, counter=n
    )


def _phone(browser, demo_site, **extra):
    context = browser.new_context(
        base_url=demo_site.url,
        locale="zh-CN",
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        **extra,
    )
    context.set_default_timeout(15_000)
    return context


def _no_horizontal_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a {PHONE['width']}px screen"


def _distances_in_metres(page) -> list[float]:
    m, km = zh("%(m)d m", m=7).replace("7", "%s"), zh("%(km).1f km", km=7).replace("7.0", "%s")
    metres = []
    for text in page.locator(".site-card .site-distance").all_inner_texts():
        for template, factor in ((m, 1), (km, 1000)):
            match = re.fullmatch(re.escape(template).replace("%s", r"([\d.]+)"), text.strip())
            if match:
                metres.append(float(match.group(1)) * factor)
                break
        else:
            raise AssertionError(f"{text!r} is not a distance")
    return metres


def test_a_resident_finds_where_to_scrap_a_car_and_the_sites_nearest_to_a_town_on_a_phone(
    browser, demo_site, beichen, results_dir
):
    context = _phone(browser, demo_site)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"/public/map/?jurisdiction={beichen['place'].pk}")

    cards = page.locator(".site-card")
    markers = page.locator("#map .site-marker")
    expect(markers).to_have_count(len(beichen["open"]))
    expect(cards).to_have_count(PAGE_SIZE)
    n = len(beichen["open"])
    expect(page.locator(".map-summary")).to_have_text(
        zh("%(counter)s open site", "%(counter)s open sites", n, counter=n)
    )
    expect(page.locator(".map-legend")).to_be_visible()
    _no_horizontal_scroll(page)
    page.screenshot(path=str(results_dir / "map-phone.png"), full_page=False)

    # "Where can I hand in an old car?": the filter answers without a page load.
    scrappers = [s for s in beichen["open"] if "vehicle" in s.categories]
    page.select_option("#id_category", "vehicle")
    expect(cards).to_have_count(len(scrappers))
    expect(markers).to_have_count(len(scrappers))
    expect(cards.locator(".site-name")).to_have_text([s.name for s in sorted(scrappers, key=lambda s: s.name)])
    expect(page).to_have_url(re.compile(r"category=vehicle"))
    expect(cards.first.locator("a.tel")).to_have_attribute("href", re.compile(r"^tel:\d+$"))

    # Back to every category, then the sites nearest to a town typed in.
    page.select_option("#id_category", "")
    expect(cards).to_have_count(PAGE_SIZE)
    page.locator("#id_q").fill("天穆镇")
    page.locator("#id_q").press("Enter")
    expect(page.locator(".map-summary")).to_contain_text(nearest_to("天穆镇", 20))
    expect(cards).to_have_count(20)
    expect(page.locator("#map .here-marker")).to_have_count(1)
    distances = _distances_in_metres(page)
    assert len(distances) == 20 and distances == sorted(distances)
    assert distances[0] < 2000
    _no_horizontal_scroll(page)
    page.locator("#map-results").scroll_into_view_if_needed()
    page.screenshot(path=str(results_dir / "map-phone-nearest.png"), full_page=False)

    # A town nobody knows: a word, not an empty page.
    page.locator("#id_q").fill("火星基地")
    page.locator("#id_q").press("Enter")
    not_found = zh("“%(q)s” was not found; try a town name such as %(example)s.", q="火星基地", example="\x00")
    expect(page.locator("#map-results .map-message")).to_contain_text(not_found.split("\x00")[0])
    assert errors == []
    context.close()


def test_the_phones_position_lists_the_nearest_sites(browser, demo_site, beichen, results_dir):
    centre = TownCentre.objects.get(town__name="天穆镇")
    lat, lng = gcj02_to_wgs84(float(centre.lat), float(centre.lng))  # the phone reports WGS-84
    context = _phone(browser, demo_site, geolocation={"latitude": lat, "longitude": lng}, permissions=["geolocation"])
    page = context.new_page()
    page.goto(f"/public/map/?jurisdiction={beichen['place'].pk}&category=appliances")
    page.locator(".map-locate").click()
    expect(page.locator(".map-summary")).to_contain_text(nearest_to(zh("your position"), 20))
    distances = _distances_in_metres(page)
    assert distances == sorted(distances)
    assert page.locator("#id_datum").input_value() == "wgs84"
    context.close()


def test_the_map_on_a_desk_shows_markers_beside_the_list_and_a_site_on_the_map(page, beichen, results_dir):
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"/public/map/?jurisdiction={beichen['place'].pk}")
    expect(page.locator("#map .site-marker")).to_have_count(len(beichen["open"]))
    map_box = page.locator("#map").bounding_box()
    list_box = page.locator("#map-results").bounding_box()
    assert list_box["x"] > map_box["x"] + map_box["width"] - 1, "the list stands beside the map"
    page.locator("#id_q").fill("双街")
    page.locator("button[type=submit]").click()
    expect(page.locator(".map-summary")).to_contain_text(nearest_to("双街镇", 20))
    page.locator(".site-card .show-on-map").first.click()
    expect(page.locator(".leaflet-popup-content")).to_contain_text(
        page.locator(".site-card .site-name").first.inner_text()
    )
    expect(page.locator("#map .leaflet-zoom-anim")).to_have_count(0)  # the zoom to the site has ended
    page.screenshot(path=str(results_dir / "map-desktop.png"), full_page=False)


def test_the_list_and_its_filters_work_without_javascript(browser, demo_site, beichen, results_dir):
    context = _phone(browser, demo_site, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"/public/map/?jurisdiction={beichen['place'].pk}")
    expect(page.locator("#map")).to_be_hidden()
    expect(page.locator(".map-locate")).to_be_hidden()
    expect(page.locator(".show-on-map").first).to_be_hidden()  # the map's buttons need the script
    page.select_option("#id_category", "vehicle")
    page.locator("#id_q").fill("天穆")
    page.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"category=vehicle.*q=%E5%A4%A9%E7%A9%86|q=.*category=vehicle"))
    scrappers = len([s for s in beichen["open"] if "vehicle" in s.categories])
    expect(page.locator(".map-summary")).to_contain_text(nearest_to("天穆镇", scrappers))
    expect(page.locator(".site-card")).to_have_count(scrappers)
    _no_horizontal_scroll(page)
    page.screenshot(path=str(results_dir / "map-phone-nojs.png"), full_page=True)
    context.close()


def test_the_portal_home_leads_a_resident_to_the_appliance_sites(browser, demo_site, beichen, results_dir):
    context = _phone(browser, demo_site)
    page = context.new_page()
    page.goto("/public/")
    _no_horizontal_scroll(page)
    page.screenshot(path=str(results_dir / "portal-home-phone.png"), full_page=True)
    page.get_by_role("link", name=re.compile("旧冰箱交到哪里")).click()
    expect(page).to_have_url(re.compile(r"/public/map/\?category=appliances"))
    expect(page.locator("#id_category")).to_have_value("appliances")
    context.close()
