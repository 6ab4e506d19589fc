"""Supply–demand matching on a generated registry (liangxin.registry.samples): the obvious supplier
ranks first, unrelated categories never appear, energy grade and locality move the ranking; the web
page and the API for the office, the demand's unit, leaders and outsiders."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liangxin.registry.matching import (
    MatchIndex,
    Need,
    Offer,
    demand_matches,
    energy_grade_in,
    supply_index,
    tokenize,
)
from liangxin.registry.models import Demand, EquipmentCategory
from liangxin.registry.samples import PLANTED, generate, load_samples


@pytest.fixture
def registry(db):
    return load_samples(generate(seed=7, suppliers=200, demands=10))


def test_jieba_keeps_equipment_terms_whole_and_drops_noise():
    words = tokenize("采购五轴联动数控机床，一级能效，定位精度0.005mm")
    assert "五轴联动" in words and "数控机床" in words and "定位精度" in words
    assert "采购" not in words and "一级能效" not in words and "0" not in words


def test_energy_grade_is_read_from_the_requirements():
    assert energy_grade_in("更换空压机3台，一级能效") == 1
    assert energy_grade_in("能效等级2级以上") == 2
    assert energy_grade_in("无特殊要求") is None


def test_the_five_axis_maker_ranks_first_for_a_five_axis_demand(registry):
    demand = registry.demands["need-five-axis"]
    rows = demand_matches(demand, limit=10)
    assert rows[0].enterprise == registry.enterprises[PLANTED["need-five-axis"]]
    assert rows[0].product == registry.products["five-axis-vmc"]
    reasons = {r.code: r for r in rows[0].match.reasons}
    assert reasons["category"].level == "exact"
    assert {"五轴联动", "数控机床"} <= set(reasons["keywords"].detail)
    assert reasons["locality"].level == "city"  # 武清区 for a 北辰区 demand


def test_an_unrelated_category_never_appears_even_when_its_text_names_the_demand(registry):
    demand = registry.demands["need-five-axis"]
    rows = demand_matches(demand, limit=None)
    cnc = EquipmentCategory.objects.get(code="cnc")
    allowed = {cnc.pk, *EquipmentCategory.objects.filter(parent=cnc).values_list("pk", flat=True)}
    assert rows and all(r.product.category_id in allowed for r in rows)
    fridge_maker = registry.enterprises["fridge-cnc-words"]
    assert fridge_maker not in [r.enterprise for r in rows]


def test_energy_grade_and_locality_move_the_ranking(registry):
    demand = registry.demands["need-compressor"]
    rows = demand_matches(demand, limit=None)
    order = [r.enterprise for r in rows]
    local_1 = registry.enterprises["compressor-local"]
    far_1 = registry.enterprises["compressor-far"]
    local_3 = registry.enterprises["compressor-grade3-local"]
    assert order[0] == local_1
    # Same product text and grade: only the place differs, and the local maker is ahead.
    assert order.index(local_1) < order.index(far_1)
    # Same place and text: the third-grade compressor misses the required first grade and falls behind.
    assert order.index(far_1) < order.index(local_3)
    by_supplier = {r.enterprise: {x.code: x for x in r.match.reasons} for r in rows}
    assert by_supplier[local_1]["energy"].level == "meets" and by_supplier[local_1]["locality"].level == "district"
    assert by_supplier[local_3]["energy"].level == "misses" and by_supplier[local_3]["energy"].points == -20.0
    assert by_supplier[far_1]["energy"].points == 10.0 and "locality" not in by_supplier[far_1]


def test_a_contract_signed_before_adds_to_the_track_record(registry, user):
    from liangxin.registry.services.events import outcome_record

    demand = registry.demands["need-compressor"]
    far = registry.enterprises["compressor-far"]
    before = {r.enterprise: r.match.score for r in demand_matches(demand, limit=None)}
    other = Demand.objects.create(
        jurisdiction=demand.jurisdiction, category=demand.category, title="旧需求", requirements="空压机"
    )
    outcome_record(actor=user("beichen"), supplier=far, demand=other, state="contracted", amount_wan=50)
    after = {r.enterprise: r for r in demand_matches(demand, limit=None)}
    assert after[far].match.score == before[far] + 3
    track = next(x for x in after[far].match.reasons if x.code == "track_record")
    assert "contracts:1" in track.detail


def test_the_index_ranks_plain_offers_without_a_database():
    offers = [
        Offer(1, 1, "甲", "五轴联动加工中心", "五轴联动 海德汉数控系统", 3, "/1/3/", 2, "/1/2/"),
        Offer(2, 2, "乙", "立式加工中心", "三轴联动数控机床 刀库24把", 3, "/1/3/", 2, "/1/2/"),
        Offer(3, 3, "丙", "多门冰箱", "五轴联动 数控机床 加工外壳", 9, "/8/9/", 1, "/1/2/"),
    ]
    index = MatchIndex(offers)
    ranked = index.rank(Need(1, "五轴联动数控机床", 3, "/1/", None, "/1/2/"))
    assert [m.offer.key for m in ranked] == [1, 2]
    assert ranked[0].score > ranked[1].score


def test_every_sample_demand_gets_matches_only_from_its_category_family(registry):
    index = supply_index()
    for demand in registry.demands.values():
        for row in demand_matches(demand, limit=None, index=index):
            assert row.product.category.parent_id in (demand.category.parent_id, demand.category_id, None)


def test_office_sees_the_match_page_with_badges(registry, client_as):
    demand = registry.demands["need-five-axis"]
    response = client_as("beichen").get(f"/registry/demands/{demand.pk}/matches/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "天津精雕五轴数控机床有限公司" in html
    assert "同一类别" in html and "同一城市" in html
    first_row = html.index('<tr id="match-')
    assert html[first_row:].startswith(f'<tr id="match-{registry.enterprises["five-axis"].pk}"')


def test_match_page_exports_xlsx(registry, client_as):
    from io import BytesIO

    from openpyxl import load_workbook

    demand = registry.demands["need-five-axis"]
    response = client_as("beichen").get(f"/registry/demands/{demand.pk}/matches/?format=xlsx")
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet["A2"].value == 1
    assert sheet["B2"].value == "天津精雕五轴数控机床有限公司"


def test_leader_reads_other_office_and_outsiders_get_404(registry, client_as, client):
    demand = registry.demands["need-five-axis"]
    url = f"/registry/demands/{demand.pk}/matches/"
    assert client_as("tianjin_leader").get(url).status_code == 200
    assert client_as("wuqing").get(url).status_code == 404
    assert client_as("beichen_gongxin").get(url).status_code == 404  # not its unit's demand
    client.logout()
    assert client.get(url).status_code == 302


def test_the_demands_unit_reads_its_matches(registry, client_as, user):
    demand = registry.demands["need-five-axis"]
    demand.unit = user("beichen_gongxin").unit
    demand.save(update_fields=["unit"])
    assert client_as("beichen_gongxin").get(f"/registry/demands/{demand.pk}/matches/").status_code == 200
    assert client_as("beichen_shangwu").get(f"/registry/demands/{demand.pk}/matches/").status_code == 404


def test_api_gives_ranked_suppliers_with_score_components(registry, client_as):
    demand = registry.demands["need-compressor"]
    response = client_as("beichen").get(f"/api/registry/demands/{demand.pk}/matches/?limit=3")
    assert response.status_code == 200
    data = response.json()
    assert len(data) == 3
    first = data[0]
    assert first["rank"] == 1 and first["enterprise_name"] == "天津北辰永磁压缩机有限公司"
    codes = [r["code"] for r in first["reasons"]]
    assert codes[:4] == ["category", "keywords", "energy", "locality"]
    assert first["score"] == round(sum(r["points"] for r in first["reasons"]), 1)
    assert client_as("wuqing").get(f"/api/registry/demands/{demand.pk}/matches/").status_code == 404


def test_office_records_an_outcome_from_the_match_page(registry, client_as):
    from liangxin.core.models import AuditEntry
    from liangxin.registry.models import MatchOutcome

    demand = registry.demands["need-five-axis"]
    product = registry.products["five-axis-vmc"]
    client = client_as("beichen")
    response = client.post(
        f"/registry/demands/{demand.pk}/matches/outcome/",
        {"product": product.pk, "state": "contracted", "amount_wan": "640.00", "note": "对接会签约"},
    )
    assert response.status_code == 302
    outcome = MatchOutcome.objects.get(demand=demand)
    assert (outcome.supplier, outcome.product, outcome.state, str(outcome.amount_wan)) == (
        product.enterprise,
        product,
        "contracted",
        "640.00",
    )
    assert AuditEntry.objects.filter(action="match_outcome.record", object_id=str(outcome.pk)).exists()
    leader = client_as("tianjin_leader").post(
        f"/registry/demands/{demand.pk}/matches/outcome/", {"product": product.pk, "state": "contacted"}
    )
    assert leader.status_code == 403


def test_a_contract_without_amount_is_refused_and_nothing_is_saved(registry, client_as):
    from liangxin.registry.models import MatchOutcome

    demand = registry.demands["need-five-axis"]
    product = registry.products["five-axis-vmc"]
    response = client_as("beichen").post(
        f"/registry/demands/{demand.pk}/matches/outcome/", {"product": product.pk, "state": "contracted"}, follow=True
    )
    assert "签约须填写大于零的金额" in response.content.decode()
    assert not MatchOutcome.objects.filter(demand=demand).exists()


def _plain(sample):
    """Offers and needs from a generated set, with category and place paths made up here."""
    from liangxin.registry.samples import LEAVES

    tops = sorted({top for top, *_ in LEAVES})
    top_id = {top: n + 1 for n, top in enumerate(tops)}
    leaf_id = {leaf: 100 + n for n, (_top, leaf, *_rest) in enumerate(LEAVES)}
    parent = {leaf: top for top, leaf, *_ in LEAVES}

    def category_path(code):
        if code in top_id:
            return f"/{top_id[code]}/"
        if parent[code] == code:  # a top-level category without children (电梯)
            return f"/{top_id[code]}/"
        return f"/{top_id[parent[code]]}/{leaf_id[code]}/"

    place_ids: dict[str, int] = {}

    def place_path(place):
        parts = place.split("/")
        return "/" + "".join(
            f"{place_ids.setdefault('/'.join(parts[: i + 1]), len(place_ids) + 1)}/" for i in range(len(parts))
        )

    suppliers = {s.key: (n, s) for n, s in enumerate(sample.suppliers)}
    offers = [
        Offer(
            n,
            suppliers[p.supplier][0],
            suppliers[p.supplier][1].name,
            p.name,
            p.specs,
            None,
            category_path(p.category),
            p.energy_grade,
            place_path(suppliers[p.supplier][1].place),
            tuple(suppliers[p.supplier][1].flags),
            tuple(p.certifications),
        )
        for n, p in enumerate(sample.products)
    ]
    needs = [
        Need(
            n,
            f"{d.title} {d.requirements}",
            None,
            category_path(d.category),
            energy_grade_in(d.requirements),
            place_path(d.place),
        )
        for n, d in enumerate(sample.demands)
    ]
    return offers, needs


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(min_value=0, max_value=10_000))
def test_for_any_generated_registry_matches_stay_in_the_family_and_scores_add_up(seed):
    from liangxin.registry.matching import THRESHOLD

    offers, needs = _plain(generate(seed=seed, suppliers=60, demands=8))
    index = MatchIndex(offers)
    for need in needs:
        family = "/" + need.category_path.strip("/").split("/")[0] + "/"
        ranked = index.rank(need)
        assert [m.score for m in ranked] == sorted((m.score for m in ranked), reverse=True)
        for match in ranked:
            assert match.offer.category_path.startswith(family)
            assert match.score == round(sum(r.points for r in match.reasons), 1)
            assert match.score >= THRESHOLD
            assert match.reasons[0].code == "category"
