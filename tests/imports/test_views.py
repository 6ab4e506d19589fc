"""The import pages and API: who may import, uploads good and bad, review actions end to end."""

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from liangxin.imports.enums import DraftStatus
from liangxin.imports.models import ImportDraft
from liangxin.plans.models import Plan

from .test_review import demo, make_draft

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


def _upload(name, content):
    return SimpleUploadedFile(name, content)


def _text_plan():
    """A small plan written for this test: two numbered tasks with marked assignments."""
    return (
        "测试区推动大规模设备更新和消费品以旧换新工作方案\n\n"
        "为推动设备更新，制定本方案。\n\n"
        "一、总体目标\n到2027年，工业领域设备投资较2023年增长25%以上。\n\n"
        "二、重点任务\n"
        "（一）推动工业设备更新。支持企业更新设备，到2027年建设10家智能工厂。（牵头单位：区工信局；责任单位：区发改委、区财政局）\n"
        "（二）开展家电以旧换新。组织开展家电以旧换新活动。（区商务局牵头，区市场监管局配合）\n"
    )


@pytest.fixture
def office(client_as):
    return client_as("wuqing")


def test_reporters_and_leaders_cannot_open_the_import_page(client_as):
    assert client_as("beichen_shangwu").get(reverse("imports:list")).status_code == 403
    assert client_as("tianjin_leader").get(reverse("imports:list")).status_code == 403


def test_an_office_uploads_a_text_plan_and_gets_a_draft_to_review(office, user):
    place = user("wuqing").jurisdiction
    response = office.post(
        reverse("imports:list"), {"jurisdiction": place.pk, "file": _upload("plan.txt", _text_plan().encode("gb18030"))}
    )
    draft = ImportDraft.objects.get(jurisdiction=place)
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
    assert [t["title"] for t in draft.document["tasks"]] == ["推动工业设备更新", "开展家电以旧换新"]
    assert draft.document["tasks"][0]["lead_units"] == ["区工信局"]
    page = office.get(draft.get_absolute_url()).content.decode()
    assert "推动工业设备更新" in page and 'data-path="tasks/0/title"' in page
    assert "制定本方案" in page  # the source text is shown beside the structure


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("empty.txt", b"", "empty"),
        ("noise.bin", bytes(range(256)) * 40, ""),
        ("broken.docx", b"PK\x03\x04 not really a zip", ""),
        ("news.txt", "本报讯 昨日，某市举行了春季运动会，数千名市民参加了比赛。天气晴好，气氛热烈。".encode(), ""),
    ],
)
def test_a_file_that_is_not_a_plan_gets_a_message_and_nothing_is_saved(office, user, name, content, words):
    from django.utils import translation

    office.cookies["django_language"] = "en"
    with translation.override("en"):
        response = office.post(
            reverse("imports:list"), {"jurisdiction": user("wuqing").jurisdiction_id, "file": _upload(name, content)}
        )
        assert response.status_code == 200
        errors = [str(e) for e in response.context["form"].errors["file"]]
    assert errors and all(len(e) > 15 for e in errors), errors
    assert words.lower() in " ".join(errors).lower()
    assert not ImportDraft.objects.exists()


def test_an_upload_over_the_limit_is_refused_with_the_limit_named(office, user, settings):
    settings.LIANGXIN_MAX_UPLOAD_BYTES = 1024 * 1024
    response = office.post(
        reverse("imports:list"),
        {"jurisdiction": user("wuqing").jurisdiction_id, "file": _upload("big.txt", _text_plan().encode() * 3000)},
    )
    assert response.status_code == 200
    assert "1 MB" in " ".join(response.context["form"].errors["file"])
    assert not ImportDraft.objects.exists()


def test_an_office_cannot_review_another_jurisdictions_draft(client_as, user):
    draft = make_draft(user("beichen").jurisdiction, demo("beichen"))
    assert client_as("wuqing").get(draft.get_absolute_url()).status_code == 404
    assert (
        client_as("wuqing")
        .patch(
            reverse("api:draft-detail", args=[draft.pk]),
            {"path": "title", "value": "x"},
            content_type="application/json",
        )
        .status_code
        == 404
    )
    assert client_as("beichen").get(draft.get_absolute_url()).status_code == 200


def test_the_review_api_corrects_splits_decides_and_publishes(client_as, user):
    place = user("beichen").jurisdiction
    document = demo("beichen")
    document["title"] = "北辰区推动设备更新工作方案（修订稿）"
    draft = make_draft(place, document)
    client = client_as("beichen")
    url = reverse("api:draft-detail", args=[draft.pk])

    response = client.patch(url, {"path": "tasks/0/number", "value": "一"}, content_type="application/json")
    assert response.json() == {"path": "tasks/0/number", "value": "一"}
    bad = client.patch(url, {"path": "indicators/0/baseline/value", "value": "多"}, content_type="application/json")
    assert bad.status_code == 400 and "indicators/0/baseline/value" in bad.json()["detail"]

    index = next(k for k, i in enumerate(document["indicators"]) if "、" in i["name"])
    split = client.post(reverse("api:draft-split", args=[draft.pk]), {"index": index}, content_type="application/json")
    assert split.status_code == 200 and len(split.json()["document"]["indicators"]) == len(document["indicators"]) + 1

    body = client.get(url).json()
    undecided = [u for u in body["units"] if u["needs_decision"]]
    assert [u["name"] for u in undecided] == []  # 北辰区 already knows every unit of its own plan
    published = client.post(reverse("api:draft-publish", args=[draft.pk]))
    assert published.status_code == 201
    plan = Plan.objects.get(pk=published.json()["plan"])
    assert plan.title == "北辰区推动设备更新工作方案（修订稿）" and plan.tasks.get(position=0).number == "一"
    again = client.post(reverse("api:draft-publish", args=[draft.pk]))
    assert again.status_code == 400


def test_unit_decisions_are_made_on_the_review_page(client_as, user):
    place = user("wuqing").jurisdiction
    document = demo("beichen")
    draft = make_draft(place, document)
    client = client_as("wuqing")
    response = client.post(
        reverse("imports:unit", args=[draft.pk]), {"name": "区应急局", "action": "alias", "target": "name:区应急管理局"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.unit_decisions["区应急局"] == {"action": "alias", "alias_of": "区应急管理局"}
    client.post(reverse("imports:accept_proposals", args=[draft.pk]))
    draft.refresh_from_db()
    rows_open = [n for n in document["units"] if n not in draft.unit_decisions]
    known = {
        "区工信局",
        "区发改委",
        "区住建委",
        "区商务局",
        "区应急管理局",
        "区文旅局",
        "区卫健委",
        "区市场监管局",
        "区生态环境局",
        "区农业农村委",
        "区教育局",
        "区水务局",
        "区财政局",
        "区机关事务管理局",
        "区税务局",
        "区政务服务办",
        "区委宣传部",
        "区科技局",
    }
    assert set(rows_open) <= known  # only the names 武清区 already knows stay without a decision
    response = client.post(reverse("imports:publish", args=[draft.pk]))
    plan = Plan.objects.get(jurisdiction=place, title=document["title"])
    assert response["Location"] == plan.get_absolute_url()
    draft.refresh_from_db()
    assert draft.status == DraftStatus.PUBLISHED


def test_the_api_upload_creates_a_draft_and_refuses_a_stranger(client_as, user):
    client = client_as("wuqing")
    ok = client.post(
        reverse("api:draft-list"),
        {"jurisdiction": user("wuqing").jurisdiction_id, "file": _upload("plan.txt", _text_plan().encode())},
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["document"]["tasks"][1]["lead_units"] == ["区商务局"]
    assert ok.json()["document"]["tasks"][1]["responsible_units"] == ["区市场监管局"]
    refused = client.post(
        reverse("api:draft-list"),
        {"jurisdiction": user("beichen").jurisdiction_id, "file": _upload("plan.txt", _text_plan().encode())},
    )
    assert refused.status_code == 403
    empty = client.post(
        reverse("api:draft-list"), {"jurisdiction": user("wuqing").jurisdiction_id, "file": _upload("plan.txt", b"")}
    )
    assert empty.status_code == 400 and empty.json()["file"]
    assert ImportDraft.objects.count() == 1


@pytest.mark.skipif(not SEEDS.exists(), reason="the seed plans live in ../shared, absent here")
def test_a_seed_plan_uploads_and_publishes_as_a_revision_showing_no_change(client_as, user, plan_of):
    plan = plan_of("北辰区")
    client = client_as("beichen")
    seed = (SEEDS / "000_dd059c86bfd25e57.txt").read_bytes()
    client.post(
        reverse("imports:list"),
        {"jurisdiction": plan.jurisdiction_id, "revises": plan.pk, "file": _upload("beichen.txt", seed)},
    )
    draft = ImportDraft.objects.get(revises=plan)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "工业领域设备投资规模" in page
    assert json.dumps(draft.document, ensure_ascii=False).count("区工信局") > 5
