"""The jurisdiction, unit and token endpoints."""

import pytest
from rest_framework.authtoken.models import Token

from liangxin.core.models import Jurisdiction, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client_as):
    def login(username):
        client = client_as(username)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return login


def place(name) -> Jurisdiction:
    return Jurisdiction.objects.get(name=name)


def test_office_of_beichen_sees_only_its_own_jurisdiction(api):
    body = api("beichen").get("/api/jurisdictions/").json()

    beichen = place("北辰区")
    assert body["results"] == [
        {
            "id": beichen.pk,
            "name": "北辰区",
            "kind": "county",
            "parent": place("天津市").pk,
            "full_name": "天津市/北辰区",
        }
    ]


def test_leader_of_tianjin_sees_tianjin_and_everything_below_but_nothing_else(api):
    from liangxin.core.models import Jurisdiction

    body = api("tianjin_leader").get("/api/jurisdictions/").json()
    names = {j["full_name"] for j in body["results"]}

    expected = {j.full_name for j in Jurisdiction.objects.get(name="天津市", parent=None).subtree()}
    assert body["count"] == len(expected) and names == expected
    assert {"天津市", "天津市/北辰区", "天津市/武清区", "天津市/天津经济技术开发区"} <= names
    assert all(name.startswith("天津市") for name in names)


def test_jurisdiction_outside_the_callers_scope_is_404(api):
    client = api("beichen")

    assert client.get(f"/api/jurisdictions/{place('武清区').pk}/").status_code == 404
    assert client.get(f"/api/jurisdictions/{place('北辰区').pk}/").json()["name"] == "北辰区"


def test_units_of_beichen_show_the_alias_of_gongxin(api):
    beichen = place("北辰区")

    body = api("beichen").get(f"/api/units/?jurisdiction={beichen.pk}").json()

    gongxin = next(u for u in body["results"] if u["name"] == "区工信局")
    assert gongxin == {
        "id": Unit.objects.get(jurisdiction=beichen, name="区工信局").pk,
        "name": "区工信局",
        "kind": "bureau",
        "jurisdiction": beichen.pk,
        "jurisdiction_name": "天津市/北辰区",
        "aliases": ["区工业和信息化局"],
    }
    assert body["count"] == Unit.objects.filter(jurisdiction=beichen).count()
    assert {u["jurisdiction"] for u in body["results"]} == {beichen.pk}


def test_wuqing_spells_gongxin_the_other_way_round(api):
    wuqing = place("武清区")

    body = api("wuqing").get(f"/api/units/?jurisdiction={wuqing.pk}").json()

    gongxin = next(u for u in body["results"] if u["name"] == "区工业和信息化局")
    assert gongxin["aliases"] == ["区工信局"]


def test_units_of_another_jurisdiction_are_not_listed(api):
    client = api("wuqing")

    filtered = client.get(f"/api/units/?jurisdiction={place('北辰区').pk}").json()
    everything = client.get("/api/units/").json()

    assert filtered["count"] == 0
    assert {u["jurisdiction_name"] for u in everything["results"]} == {"天津市/武清区"}


def test_unit_filter_that_is_not_an_id_is_refused(api):
    response = api("beichen").get("/api/units/?jurisdiction=北辰区")

    assert response.status_code == 400
    assert response.json() == {"jurisdiction": ["A valid integer is required."]}


def test_token_obtained_with_the_password_authenticates_api_calls(client, plan_of, user):
    obtained = client.post("/api/token/", {"username": "beichen", "password": "liangxin-demo"})

    assert obtained.status_code == 200
    token = obtained.json()["token"]
    assert token == Token.objects.get(user=user("beichen")).key
    client.logout()
    body = client.get("/api/plans/", HTTP_AUTHORIZATION=f"Token {token}").json()
    assert [p["id"] for p in body["results"]] == [plan_of("北辰区").pk]


def test_token_is_refused_for_a_wrong_password(client):
    response = client.post("/api/token/", {"username": "beichen", "password": "guess"})

    assert response.status_code == 400
    assert not Token.objects.filter(user__username="beichen").exists()


def test_unknown_token_is_refused(client):
    response = client.get("/api/plans/", HTTP_AUTHORIZATION="Token not-a-real-token", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 403  # 403, not 401: session authentication is listed first
    assert response.json() == {"detail": "Invalid token."}
