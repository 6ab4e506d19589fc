"""The network registry: who registers and edits sites, the validation of every field, the dated
status changes and the audit trail (web and API)."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from liangxin.core.idcodes import uscc_from
from liangxin.core.models import AuditEntry, Unit
from liangxin.recycling.models import Site, SiteStatusChange
from liangxin.recycling.services import (
    RecyclingError,
    route_set,
    site_create,
    site_set_status,
    site_update,
)

from .conftest import site_values

pytestmark = pytest.mark.django_db

GOOD_USCC = uscc_from("91120113MA0T00001")


def wrong_check_char(code: str) -> str:
    return code[:-1] + ("1" if code[-1] != "1" else "2")


def test_the_office_registers_a_site_with_both_datums_stored_and_its_first_status_dated(beichen, user):
    site = site_create(
        actor=user("beichen"),
        jurisdiction=beichen,
        status="open",
        status_since=datetime.date(2024, 5, 6),
        **site_values(lat="39.908722", lng="116.397499", datum="wgs84"),
    )
    site.refresh_from_db()
    assert (str(site.wgs_lat), str(site.wgs_lng)) == ("39.908722", "116.397499")
    assert (str(site.gcj_lat), str(site.gcj_lng)) == ("39.910126", "116.403743")
    assert [(c.from_status, c.to_status, c.on) for c in site.status_changes.all()] == [
        ("", "open", datetime.date(2024, 5, 6))
    ]
    entry = AuditEntry.objects.get(action="recycling.site_create", object_id=str(site.pk))
    assert entry.actor.username == "beichen" and entry.after["datum"] == "wgs84"


def test_the_commerce_bureau_reporter_registers_sites_and_answers_for_them(beichen, user):
    site = site_create(actor=user("beichen_shangwu"), jurisdiction=beichen, **site_values())
    assert site.responsible_unit == Unit.objects.get(jurisdiction=beichen, name="区商务局")
    assert site.status == "planned"


@pytest.mark.parametrize("persona", ["beichen_gongxin", "wuqing", "tianjin_leader", "taishan"])
def test_another_unit_another_office_and_a_leader_may_not_register_sites(beichen, user, persona):
    with pytest.raises(PermissionDenied):
        site_create(actor=user(persona), jurisdiction=beichen, **site_values())
    assert not Site.objects.filter(name="测试回收点").exists()


def test_a_unit_named_responsible_for_a_site_may_then_edit_the_network(beichen, user):
    gongxin = Unit.objects.get(jurisdiction=beichen, name="区工信局")
    site = site_create(actor=user("beichen"), jurisdiction=beichen, responsible_unit=gongxin, **site_values())
    site_update(actor=user("beichen_gongxin"), site=site, phone="022-26391111")
    assert Site.objects.get(pk=site.pk).phone == "022-26391111"


def messages_of(exc) -> dict:
    return {k: " ".join(v) for k, v in exc.message_dict.items()}


def test_coordinates_outside_china_are_refused_with_a_hint_about_swapped_latitude_and_longitude(beichen, user):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        site_create(actor=user("beichen"), jurisdiction=beichen, **site_values(lat="117.15", lng="39.19"))
    assert (
        "outside China" in messages_of(caught.value)["lat"] or "between -90 and 90" in messages_of(caught.value)["lat"]
    )
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        site_create(actor=user("beichen"), jurisdiction=beichen, **site_values(lat="51.5", lng="-0.12"))
    assert "outside China" in messages_of(caught.value)["lat"]


def test_hours_that_do_not_parse_and_an_unknown_category_are_refused_by_field(beichen, user):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        site_create(
            actor=user("beichen"),
            jurisdiction=beichen,
            **site_values(hours="周八 9:00", categories=["fridge", "paper"]),
        )
    errors = messages_of(caught.value)
    assert "周八" in errors["hours"]
    assert "Unknown category fridge" in errors["categories"]


def test_an_operator_code_with_a_wrong_check_character_is_refused_and_nothing_is_saved(beichen, user):
    before = Site.objects.count()
    with pytest.raises(ValidationError) as caught:
        from liangxin.recycling.services import operator_resolve

        operator_resolve(actor=user("beichen"), jurisdiction=beichen, uscc=wrong_check_char(GOOD_USCC), name="某公司")
    assert "operator_uscc" in caught.value.message_dict
    assert Site.objects.count() == before


def test_the_status_changes_on_a_date_that_cannot_go_back_before_the_last_change_nor_into_the_future(beichen, user):
    office = user("beichen")
    site = site_create(
        actor=office, jurisdiction=beichen, status="planned", status_since=datetime.date(2024, 1, 10), **site_values()
    )
    site_set_status(actor=office, site=site, status="open", on=datetime.date(2024, 3, 1), reason="建成")
    with pytest.raises(ValidationError):
        site_set_status(actor=office, site=site, status="closed", on=datetime.date(2024, 2, 1))
    with pytest.raises(ValidationError):
        site_set_status(actor=office, site=site, status="closed", on=datetime.date.today() + datetime.timedelta(days=2))
    with pytest.raises(RecyclingError):
        site_set_status(actor=office, site=site, status="open", on=datetime.date(2024, 4, 1))
    site_set_status(actor=office, site=site, status="closed", on=datetime.date(2024, 6, 30), reason="拆迁")
    site.refresh_from_db()
    assert (site.status, site.status_since) == ("closed", datetime.date(2024, 6, 30))
    assert list(SiteStatusChange.objects.filter(site=site).values_list("from_status", "to_status", "on")) == [
        ("", "planned", datetime.date(2024, 1, 10)),
        ("planned", "open", datetime.date(2024, 3, 1)),
        ("open", "closed", datetime.date(2024, 6, 30)),
    ]
    assert AuditEntry.objects.filter(object_id=str(site.pk), action="recycling.site_status").count() == 2


def test_only_a_mobile_vehicle_has_a_route_and_its_stops_are_kept_in_order(beichen, user):
    office = user("beichen")
    point = site_create(actor=office, jurisdiction=beichen, **site_values())
    with pytest.raises(RecyclingError):
        route_set(actor=office, site=point, stops=[{"place": "x", "lat": "39.2", "lng": "117.1"}])
    van = site_create(actor=office, jurisdiction=beichen, **site_values(level="mobile", name="流动回收车2号"))
    route_set(
        actor=office,
        site=van,
        stops=[
            {"place": "A小区", "lat": "39.19", "lng": "117.15", "schedule": "周二 9:00-10:00"},
            {"place": "B市场", "lat": "39.20", "lng": "117.16", "schedule": "周二 14:00-15:00"},
        ],
    )
    assert [(s.position, s.place) for s in van.stops.all()] == [(1, "A小区"), (2, "B市场")]


def test_the_site_page_shows_the_history_of_every_change_with_who_made_it(beichen, user, client_as):
    office = user("beichen")
    site = site_create(actor=office, jurisdiction=beichen, **site_values(phone="022-1"))
    site_update(actor=user("beichen_shangwu"), site=site, phone="022-26390000")
    html = client_as("beichen").get(reverse("recycling:site_detail", args=[site.pk])).content.decode()
    assert "phone: 022-1 → 022-26390000" in html
    assert "beichen_shangwu" in html and "recycling.site_update" in html


def test_the_office_registers_a_site_in_the_browser_and_bad_fields_come_back_in_chinese(beichen, client_as):
    client = client_as("beichen")
    form = {
        "level": "point",
        "name": "网页登记回收点",
        "address": "天津市北辰区北辰道1号",
        "lat": "39.19",
        "lng": "117.15",
        "datum": "gcj02",
        "hours": "周八 9:00-12:00",
        "operator_name": "某公司",
        "operator_uscc": wrong_check_char(GOOD_USCC),
        "categories": ["appliances"],
        "status": "open",
        "status_since": "2025-01-01",
    }
    bad = client.post(reverse("recycling:site_create"), form)
    assert bad.status_code == 200
    errors = bad.context["form"].errors
    assert sorted(errors) == ["hours", "operator_uscc"]
    assert "周八" in errors["hours"][0]
    assert not Site.objects.filter(name="网页登记回收点").exists()
    form.update(hours="周一至周五 8:30-17:30", operator_uscc=GOOD_USCC)
    ok = client.post(reverse("recycling:site_create"), form)
    site = Site.objects.get(name="网页登记回收点")
    assert ok.status_code == 302 and ok["Location"] == reverse("recycling:site_detail", args=[site.pk])
    assert site.operator.uscc == GOOD_USCC and site.status == "open"


def test_who_sees_and_edits_a_site_in_the_browser(beichen, client_as, client):
    site = Site.objects.filter(jurisdiction=beichen).first()
    detail = reverse("recycling:site_detail", args=[site.pk])
    edit = reverse("recycling:site_edit", args=[site.pk])
    assert client.get(detail).status_code == 302  # anonymous: to the login page
    assert client_as("wuqing").get(detail).status_code == 404
    assert client_as("tianjin_leader").get(detail).status_code == 200
    assert client_as("tianjin_leader").get(edit).status_code == 403
    assert client_as("beichen_gongxin").get(edit).status_code == 403
    assert client_as("beichen_shangwu").get(edit).status_code == 200
    status = client_as("beichen_gongxin").post(
        reverse("recycling:site_status", args=[site.pk]), {"status": "closed", "on": "2025-01-01"}
    )
    assert status.status_code == 403


def test_the_api_creates_a_site_and_names_each_bad_field(beichen, client_as):
    client = client_as("beichen")
    url = reverse("api:recycling-site-create")
    bad = client.post(
        url,
        json.dumps(
            site_values(
                lat="51.5",
                lng="-0.12",
                hours="9点到5点",
                categories=["fridge"],
                operator_uscc=wrong_check_char(GOOD_USCC),
            )
        ),
        content_type="application/json",
    )
    assert bad.status_code == 400
    body = bad.json()
    assert "hours" in body  # the serializer checks the hours first
    bad = client.post(url, json.dumps(site_values(lat="51.5", lng="-0.12")), content_type="application/json")
    assert bad.status_code == 400 and "lat" in bad.json()
    bad = client.post(url, json.dumps(site_values(categories=["fridge"])), content_type="application/json")
    assert bad.status_code == 400 and "fridge" in json.dumps(bad.json(), ensure_ascii=False)
    bad = client.post(
        url, json.dumps(site_values(operator_uscc=wrong_check_char(GOOD_USCC))), content_type="application/json"
    )
    assert bad.status_code == 400 and "operator_uscc" in bad.json()
    ok = client.post(
        url,
        json.dumps(
            site_values(
                name="API回收点",
                town="果园新村街道",
                operator_uscc=GOOD_USCC,
                operator_name="API公司",
                status="open",
                status_since="2025-02-03",
            )
        ),
        content_type="application/json",
    )
    assert ok.status_code == 201, ok.content
    data = ok.json()
    assert (data["town_name"], data["operator_uscc"], data["status"], data["status_since"]) == (
        "果园新村街道",
        GOOD_USCC,
        "open",
        "2025-02-03",
    )
    status = client.post(
        reverse("api:recycling-site-status", args=[data["id"]]),
        {"status": "closed", "on": "2025-06-01", "reason": "搬迁"},
        content_type="application/json",
    )
    assert status.status_code == 201 and status.json()["from_status"] == "open"
    patched = client.patch(
        reverse("api:recycling-site-update", args=[data["id"]]), {"phone": "022-1234"}, content_type="application/json"
    )
    assert patched.status_code == 200 and patched.json()["phone"] == "022-1234"
    assert patched.json()["name"] == "API回收点"


def test_the_api_refuses_writes_to_other_units_and_hides_other_jurisdictions(beichen, client_as, client):
    site = Site.objects.filter(jurisdiction=beichen).first()
    create = reverse("api:recycling-site-create")
    assert client.get(reverse("api:recycling-site-list")).status_code in (401, 403)
    assert client_as("beichen_gongxin").post(create, site_values(), content_type="application/json").status_code == 403
    assert client_as("wuqing").get(reverse("api:recycling-site-detail", args=[site.pk])).status_code == 404
    assert (
        client_as("tianjin_leader")
        .patch(reverse("api:recycling-site-update", args=[site.pk]), {"phone": "1"}, content_type="application/json")
        .status_code
        == 403
    )


def test_the_api_lists_sites_filtered_by_level_status_category_and_town(beichen, client_as):
    client = client_as("beichen")
    url = reverse("api:recycling-site-list")
    sorting = client.get(url, {"level": "sorting", "status": "open"}).json()
    assert sorted(s["name"] for s in sorting["results"]) == [
        "北辰区再生资源分拣中心（双街）",
        "北辰区第二再生资源分拣中心（大张庄）",
    ]
    vehicles = client.get(url, {"category": "vehicle"}).json()
    assert [s["level"] for s in vehicles["results"]] == ["vehicle_dismantler"]
    town = Site.objects.get(name="北辰区再生资源分拣中心（双街）").town
    in_town = client.get(url, {"town": town.pk, "level": "sorting"}).json()
    assert [s["name"] for s in in_town["results"]] == ["北辰区再生资源分拣中心（双街）"]
    van = client.get(url, {"level": "mobile"}).json()["results"][0]
    assert len(van["stops"]) == 6 and van["stops"][0]["place"] == "佳荣里社区南门"


def test_sites_are_filtered_by_the_two_networks_flag_in_the_table_and_the_api(client_as):
    client = client_as("shuozhou")
    page = client.get(reverse("recycling:site_list"), {"two_networks": "true"})
    assert sorted(s.level for s in page.context["sites"]) == ["point", "point", "point", "sorting", "transfer"]
    api = client.get(reverse("api:recycling-site-list"), {"two_networks": "false"}).json()
    assert [s["level"] for s in api["results"]] == ["vehicle_dismantler"]
    assert client.get(reverse("api:recycling-site-list")).json()["count"] == 6
