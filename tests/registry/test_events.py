"""Matchmaking events: the office records a 供需对接会, invites both sides (by hand or from a demand's
matches), marks attendance, follows outcomes to contracts with their amount, and reads the summary;
every write audited; the web pages and the API with their permissions."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from liangxin.core.models import AuditEntry, Jurisdiction
from liangxin.core.services import DomainError
from liangxin.registry.models import MatchEvent, MatchInvitation, MatchOutcome
from liangxin.registry.samples import generate, load_samples
from liangxin.registry.services import events as services


@pytest.fixture
def registry(db):
    return load_samples(generate(seed=11, suppliers=60, demands=4))


@pytest.fixture
def event(db, user):
    beichen = Jurisdiction.objects.get(name="北辰区")
    return services.event_create(
        actor=user("beichen"),
        jurisdiction=beichen,
        title="北辰区装备制造供需对接会",
        held_on=datetime.date(2025, 5, 20),
        place="北辰区政务服务中心",
    )


def test_invitations_from_a_demands_matches_cover_both_sides(registry, event, user):
    demand = registry.demands["need-five-axis"]
    owner = registry.enterprises["three-axis-local"]
    demand.owner = owner
    demand.save(update_fields=["owner"])
    from liangxin.registry.matching import demand_matches

    suppliers = [r.enterprise for r in demand_matches(demand, limit=3)]
    added = services.invitations_from_matches(actor=user("beichen"), event=event, demand=demand, suppliers=suppliers)
    sides = [(i.enterprise, i.side) for i in added]
    assert sides[0] == (owner, "demand")
    assert [e for e, side in sides if side == "supply"] == [s for s in suppliers if s != owner]
    again = services.invitations_from_matches(actor=user("beichen"), event=event, demand=demand, suppliers=suppliers)
    assert again == []
    with pytest.raises(DomainError):
        services.invitation_add(actor=user("beichen"), event=event, enterprise=owner, side="supply")


def test_outcomes_move_to_a_contract_and_the_summary_counts_it(registry, event, user):
    office = user("beichen")
    demand = registry.demands["need-compressor"]
    product = registry.products["compressor-local-grade1"]
    supplier = product.enterprise
    invitation = services.invitation_add(actor=office, event=event, enterprise=supplier, side="supply")
    services.invitation_set_attended(actor=office, invitation=invitation, attended=True)
    outcome = services.outcome_record(actor=office, supplier=supplier, product=product, demand=demand, event=event)
    assert outcome.state == "contacted"
    same = services.outcome_record(
        actor=office, supplier=supplier, product=product, demand=demand, event=event, state="negotiating"
    )
    assert same.pk == outcome.pk and same.state == "negotiating"
    with pytest.raises(ValidationError):
        services.outcome_set_state(actor=office, outcome=same, state="contracted")
    services.outcome_set_state(actor=office, outcome=same, state="contracted", amount_wan=Decimal("96.50"))
    with pytest.raises(DomainError):
        services.outcome_set_state(actor=office, outcome=same, state="dropped")
    summary = services.event_summary(event)
    assert summary == {
        "invited": 1,
        "attended": 1,
        "outcomes": 1,
        "by_state": {"contacted": 0, "negotiating": 0, "contracted": 1, "dropped": 0},
        "contracts": 1,
        "contract_amount_wan": Decimal("96.50"),
    }
    actions = list(
        AuditEntry.objects.filter(object_type="registry.matchoutcome", object_id=str(outcome.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["match_outcome.record", "match_outcome.set_state", "match_outcome.set_state"]


def test_an_outcome_outside_the_events_jurisdiction_is_refused(registry, user):
    wuqing = Jurisdiction.objects.get(name="武清区")
    event = services.event_create(
        actor=user("wuqing"), jurisdiction=wuqing, title="武清对接会", held_on=datetime.date(2025, 6, 1)
    )
    product = registry.products["five-axis-vmc"]
    with pytest.raises(DomainError):
        services.outcome_record(
            actor=user("wuqing"),
            supplier=product.enterprise,
            product=product,
            demand=registry.demands["need-five-axis"],
            event=event,
        )
    assert not MatchOutcome.objects.filter(event=event).exists()


def test_an_event_with_outcomes_cannot_be_deleted(registry, event, user):
    product = registry.products["five-axis-vmc"]
    services.outcome_record(
        actor=user("beichen"),
        supplier=product.enterprise,
        product=product,
        demand=registry.demands["need-five-axis"],
        event=event,
    )
    with pytest.raises(DomainError):
        services.event_delete(actor=user("beichen"), event=event)


def test_office_creates_an_event_invites_and_marks_attendance_on_the_web(registry, client_as):
    client = client_as("beichen")
    response = client.post(
        "/registry/events/new/", {"title": "北辰区医疗装备对接会", "held_on": "2025-07-01", "place": "区卫健委"}
    )
    event = MatchEvent.objects.get(title="北辰区医疗装备对接会")
    assert response.status_code == 302 and event.jurisdiction.name == "北辰区"
    supplier = registry.enterprises["five-axis"]
    client.post(f"/registry/events/{event.pk}/invite/", {"enterprise": supplier.uscc, "side": "supply"})
    invitation = MatchInvitation.objects.get(event=event)
    assert invitation.enterprise == supplier and not invitation.attended
    client.post(f"/registry/invitations/{invitation.pk}/attendance/", {"attended": "1"})
    invitation.refresh_from_db()
    assert invitation.attended
    html = client.get(f"/registry/events/{event.pk}/").content.decode()
    assert "天津精雕五轴数控机床有限公司" in html and 'id="attendance">1 / 1<' in html


def test_events_permissions_on_the_web(event, client_as):
    url = f"/registry/events/{event.pk}/"
    assert client_as("tianjin_leader").get(url).status_code == 200
    assert client_as("beichen_shangwu").get(url).status_code == 200
    assert client_as("wuqing").get(url).status_code == 404
    assert client_as("tianjin_leader").post(f"/registry/events/{event.pk}/edit/", {"title": "x"}).status_code == 403
    assert client_as("beichen_shangwu").get("/registry/events/new/").status_code == 403


def test_events_api_crud_invitations_and_outcomes(registry, client_as):
    client = client_as("beichen")
    created = client.post(
        "/api/registry/events/",
        {"title": "北辰区节能装备对接会", "held_on": "2025-08-08"},
        content_type="application/json",
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    updated = client.post(
        f"/api/registry/events/{pk}/update/", {"place": "北辰科技园"}, content_type="application/json"
    )
    assert updated.json()["place"] == "北辰科技园"
    demand = registry.demands["need-compressor"]
    invited = client.post(
        f"/api/registry/events/{pk}/invitations/", {"demand": demand.pk, "top": 2}, content_type="application/json"
    )
    assert invited.status_code == 201
    assert [row["side"] for row in invited.json()] == ["supply", "supply"]
    product = registry.products["compressor-local-grade1"]
    outcome = client.post(
        "/api/registry/outcomes/",
        {"event": pk, "demand": demand.pk, "product": product.pk, "state": "negotiating"},
        content_type="application/json",
    )
    assert outcome.status_code == 201 and outcome.json()["supplier"] == product.enterprise_id
    refused = client.post(
        f"/api/registry/outcomes/{outcome.json()['id']}/state/",
        {"state": "contracted"},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "amount_wan" in refused.json()
    done = client.post(
        f"/api/registry/outcomes/{outcome.json()['id']}/state/",
        {"state": "contracted", "amount_wan": "120.00"},
        content_type="application/json",
    )
    assert done.json()["state"] == "contracted"
    summary = client.get(f"/api/registry/events/{pk}/").json()["summary"]
    assert (summary["contracts"], summary["contract_amount_wan"], summary["invited"]) == (1, "120.00", 2)
    assert client.post(f"/api/registry/events/{pk}/delete/").status_code == 400
    leader = client_as("tianjin_leader")
    assert leader.get(f"/api/registry/events/{pk}/").status_code == 200
    assert (
        leader.post(f"/api/registry/events/{pk}/update/", {"place": "x"}, content_type="application/json").status_code
        == 403
    )
    assert client_as("wuqing").get(f"/api/registry/events/{pk}/").status_code == 404
    assert client_as("wuqing").get(f"/api/registry/outcomes/?event={pk}").json() == []


def test_office_invites_a_demands_best_suppliers_from_the_match_page(registry, event, client_as):
    demand = registry.demands["need-compressor"]
    client = client_as("beichen")
    page = client.get(f"/registry/demands/{demand.pk}/matches/").content.decode()
    assert f'<option value="{event.pk}">北辰区装备制造供需对接会</option>' in page
    response = client.post("/registry/events/invite-matches/", {"event": event.pk, "demand": demand.pk, "top": "2"})
    assert response.status_code == 302 and response["Location"] == f"/registry/events/{event.pk}/"
    invited = list(event.invitations.order_by("pk").values_list("enterprise__name", "side"))
    assert invited == [("天津北辰永磁压缩机有限公司", "supply"), (invited[1][0], "supply")] and len(invited) == 2
    wuqing = client_as("wuqing").post("/registry/events/invite-matches/", {"event": event.pk, "demand": demand.pk})
    assert wuqing.status_code == 404


def test_the_event_list_exports_each_event_with_its_results(registry, event, user, client_as):
    from io import BytesIO

    from openpyxl import load_workbook

    product = registry.products["compressor-local-grade1"]
    services.outcome_record(
        actor=user("beichen"),
        supplier=product.enterprise,
        product=product,
        demand=registry.demands["need-compressor"],
        event=event,
        state="contracted",
        amount_wan=Decimal("88"),
    )
    response = client_as("beichen").get("/registry/events/?format=xlsx")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    mine = rows["北辰区装备制造供需对接会"]
    assert mine[0].date() == datetime.date(2025, 5, 20)
    assert mine[2:] == ("天津市/北辰区", "北辰区政务服务中心", 0, 0, 1, 88)
    assert all(row[2].startswith("天津市/北辰区") for row in rows.values())


def test_the_contracts_feed_sums_contract_amounts_per_period_for_the_jurisdiction_and_below(registry, event, user):
    office = user("beichen")
    product = registry.products["compressor-local-grade1"]
    demand = registry.demands["need-compressor"]
    services.outcome_record(
        actor=office,
        supplier=product.enterprise,
        product=product,
        demand=demand,
        event=event,
        state="contracted",
        amount_wan=Decimal("120.50"),
    )
    today = timezone.localdate()
    periods = [(today.replace(day=1), today), (datetime.date(2020, 1, 1), datetime.date(2020, 12, 31))]
    beichen = Jurisdiction.objects.get(name="北辰区")
    assert services.matchmaking_contracts_wan(beichen, periods) == [Decimal("120.50"), Decimal("0.00")]
    assert services.matchmaking_contracts_wan(beichen.parent, periods)[0] == Decimal("120.50")
    assert services.matchmaking_contracts_wan(Jurisdiction.objects.get(name="武清区"), periods)[0] == Decimal("0.00")
