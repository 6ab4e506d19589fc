"""Reviewing an import draft: corrections in place, unit proposals, splitting rows, publishing.

The drafts here are built from the shipped demo plans, so these tests exercise the review
workflow on its own, whatever the reader and the parser make of a document.
"""

import copy
import json
from importlib import resources

import pytest
from django.core.files.base import ContentFile

from liangxin.core.models import AuditEntry, Unit
from liangxin.core.services import jurisdiction_ensure_path, unit_ensure
from liangxin.imports import services
from liangxin.imports.enums import DraftStatus
from liangxin.imports.errors import ImportProblem
from liangxin.imports.models import ImportDraft
from liangxin.imports.selectors import draft_diff, draft_unit_rows, utf16_spans
from liangxin.plans.models import Plan, Task
from liangxin.plans.selectors import plan_export


def demo(name):
    return json.loads((resources.files("liangxin.plans") / "demo" / f"{name}.json").read_text(encoding="utf-8"))


def make_draft(jurisdiction, document, *, spans=None, revises=None, text="原文"):
    draft = ImportDraft(
        jurisdiction=jurisdiction,
        original_name="plan.txt",
        source_text=text,
        document=document,
        spans=spans or {},
        revises=revises,
    )
    draft.original_file.save("plan.txt", ContentFile(text.encode()), save=False)
    draft.save()
    return draft


@pytest.fixture
def place(db):
    return jurisdiction_ensure_path(path="测试省/测试市/测试区")


@pytest.fixture
def draft(place):
    return make_draft(place, demo("beichen"))


def test_a_corrected_title_is_saved_and_audited(draft, user):
    services.draft_set(actor=user("admin"), draft=draft, path="tasks/0/title", value="推动工业设备更新")
    draft.refresh_from_db()
    assert draft.document["tasks"][0]["title"] == "推动工业设备更新"
    entry = AuditEntry.objects.get(action="import.draft_set")
    assert entry.after == {
        "path": "tasks/0/title",
        "before": "推动工业领域设备更新和技术改造",
        "after": "推动工业设备更新",
    }


def test_form_text_is_coerced_to_numbers_lists_and_nulls(draft, user):
    admin = user("admin")
    assert services.draft_set(actor=admin, draft=draft, path="indicators/0/baseline/value", value="13.65") == 13.65
    assert services.draft_set(actor=admin, draft=draft, path="goals/0/year", value="2026") == 2026
    assert services.draft_set(actor=admin, draft=draft, path="doc_number", value=" ") is None
    assert services.draft_set(actor=admin, draft=draft, path="tasks/0/lead_units", value="区工信局，区新设局") == [
        "区工信局",
        "区新设局",
    ]
    draft.refresh_from_db()
    assert draft.document["units"][-1] == "区新设局"


@pytest.mark.parametrize(
    ("path", "value", "words"),
    [
        ("indicators/0/baseline/value", "十三点六", "number"),
        ("tasks/0/title", "", "empty"),
        ("goals/0/comparator", "≥", "one of"),
        ("goals/0/year", "1999", "year"),
        ("issued_on", "2024年6月21日", "date"),
        ("tasks/99/title", "x", "does not exist"),
        ("tasks/0/path", "x", "cannot be edited"),
        ("format", "x", "cannot be edited"),
    ],
)
def test_a_bad_correction_says_why_and_changes_nothing(draft, user, path, value, words):
    from django.utils import translation

    before = copy.deepcopy(draft.document)
    with pytest.raises(ImportProblem, match=words), translation.override("en"):
        services.draft_set(actor=user("admin"), draft=draft, path=path, value=value)
    draft.refresh_from_db()
    assert draft.document == before


def test_removing_a_task_renumbers_the_source_positions_of_the_ones_after(place, user):
    draft = make_draft(
        place,
        demo("beichen"),
        spans={"tasks/0": [0, 5], "tasks/1": [6, 9], "tasks/1/title": [6, 8], "tasks/10": [20, 30], "goals/0": [1, 2]},
    )
    services.draft_remove(actor=user("admin"), draft=draft, path="tasks/0")
    draft.refresh_from_db()
    assert len(draft.document["tasks"]) == 22
    assert draft.spans == {"tasks/0": [6, 9], "tasks/0/title": [6, 8], "tasks/9": [20, 30], "goals/0": [1, 2]}


def test_an_added_task_is_blank_and_editable(draft, user):
    index = services.draft_append(actor=user("admin"), draft=draft, list_path="tasks")
    services.draft_set(actor=user("admin"), draft=draft, path=f"tasks/{index}/title", value="补充的任务")
    draft.refresh_from_db()
    assert draft.document["tasks"][index]["title"] == "补充的任务"
    assert draft.document["tasks"][index]["lead_units"] == []


def _row(draft, name):
    return next(i for i in draft.document["indicators"] if i["name"] == name)


def test_a_row_naming_two_metrics_splits_into_two_indicators_with_their_own_figures(draft, user):
    index = next(k for k, i in enumerate(draft.document["indicators"]) if i["name"] == "二手车交易量、废旧家电回收量")
    count = len(draft.document["indicators"])
    services.draft_split_indicator(actor=user("admin"), draft=draft, index=index)
    draft.refresh_from_db()
    assert len(draft.document["indicators"]) == count + 1
    cars, appliances = _row(draft, "二手车交易量"), _row(draft, "废旧家电回收量")
    assert (cars["baseline"]["value"], cars["baseline"]["unit"]) == (30510, "台")
    assert (appliances["baseline"]["value"], appliances["baseline"]["unit"]) == (3792, "台")
    assert [m["value"] for m in cars["milestones"]] == [10, 10, 10, 45]
    assert [m["value"] for m in appliances["milestones"]] == [7, 7, 7, 30]
    assert cars["units"] == appliances["units"] == ["区商务局"]


def test_a_cumulative_pipeline_row_splits_into_gas_and_heating_with_running_totals(draft, user):
    index = next(k for k, i in enumerate(draft.document["indicators"]) if i["name"].startswith("改造燃气老旧管网"))
    services.draft_split_indicator(actor=user("admin"), draft=draft, index=index)
    draft.refresh_from_db()
    gas, heat = draft.document["indicators"][index], draft.document["indicators"][index + 1]
    assert (gas["name"], heat["name"]) == ("改造燃气老旧管网", "供热老旧管网")
    assert gas["baseline"]["value"] == 26.219 and heat["baseline"]["value"] == 10
    assert [m["value"] for m in gas["milestones"]] == [3, 6, 10, 13]
    assert [m["value"] for m in heat["milestones"]] == [10, 15, 20, 30]


def test_unit_names_are_proposed_as_aliases_of_known_units_or_of_each_other(place, draft):
    unit_ensure(jurisdiction=place, name="区工业和信息化局")
    rows = {r["name"]: r for r in draft_unit_rows(draft)}
    assert rows["区工信局"]["proposal"]["action"] == "alias"
    assert rows["区工信局"]["proposal"]["label"] == "区工业和信息化局"
    assert rows["区应急局"]["proposal"] == {"action": "alias", "alias_of": "区应急管理局", "label": "区应急管理局"}
    assert rows["区应急管理局"]["proposal"]["action"] == "create"
    assert rows["区商务局"]["proposal"]["action"] == "create"


def test_publishing_waits_for_every_unit_to_be_confirmed(draft, user):
    with pytest.raises(ImportProblem, match="区发改委"):
        services.draft_publish(actor=user("admin"), draft=draft)
    draft.refresh_from_db()
    assert (
        draft.status == DraftStatus.DRAFT
        and not Plan.objects.filter(title=draft.document["title"], jurisdiction=draft.jurisdiction).exists()
    )


def _accept_all(draft, actor):
    for row in draft_unit_rows(draft):
        if row["needs_decision"]:
            proposal = row["proposal"]
            unit = Unit.objects.get(pk=proposal["unit"]) if proposal.get("unit") else None
            services.draft_decide_unit(
                actor=actor,
                draft=draft,
                name=row["name"],
                action=proposal["action"],
                unit=unit,
                alias_of=proposal.get("alias_of"),
            )


def test_publishing_creates_the_plan_the_units_and_the_aliases_in_one_go(place, draft, user):
    known = unit_ensure(jurisdiction=place, name="区工业和信息化局")
    admin = user("admin")
    _accept_all(draft, admin)
    plan = services.draft_publish(actor=admin, draft=draft)
    assert plan_export(plan) == draft.document
    assert plan.source_file.read() == "原文".encode()
    draft.refresh_from_db()
    assert (draft.status, draft.published_plan) == (DraftStatus.PUBLISHED, plan)
    assert Task.objects.filter(plan=plan, assignments__unit=known, assignments__written_as="区工信局").exists()
    emergency = Unit.objects.get(jurisdiction=place, name="区应急管理局")
    assert emergency.aliases.filter(name="区应急局").exists()
    assert not Unit.objects.filter(jurisdiction=place, name="区应急局").exists()
    with pytest.raises(ImportProblem):
        services.draft_set(actor=admin, draft=draft, path="title", value="再改")


def test_a_failing_publish_leaves_no_plan_and_no_new_unit(place, draft, user):
    admin = user("admin")
    _accept_all(draft, admin)
    draft.document = {**draft.document, "tasks": [{**draft.document["tasks"][0], "lead_units": ["区外来局"]}]}
    draft.save()
    units = Unit.objects.filter(jurisdiction=place).count()
    with pytest.raises(ImportProblem, match="tasks"):
        services.draft_publish(actor=admin, draft=draft)
    assert Unit.objects.filter(jurisdiction=place).count() == units
    assert not Plan.objects.filter(jurisdiction=place).exists()


def test_a_revision_shows_what_changes_before_it_is_applied(plan_of, user):
    plan = plan_of("北辰区")
    revised = plan_export(plan)
    removed_title = revised["tasks"][2]["title"]
    del revised["tasks"][2]
    revised["tasks"].append({**copy.deepcopy(revised["tasks"][0]), "number": "99", "title": "新增任务", "targets": []})
    revised["tasks"][0]["lead_units"] = ["区发改委"]
    revised["tasks"][1]["targets"][0]["value"] = 6
    draft = make_draft(plan.jurisdiction, revised, revises=plan)
    changes = draft_diff(draft)
    assert changes["tasks_added"] == ["新增任务"]
    assert changes["tasks_removed"] == [removed_title]
    assert [r["title"] for r in changes["tasks_reassigned"]] == ["推动工业领域设备更新和技术改造"]
    assert changes["tasks_reassigned"][0]["after"] == (("区发改委",), ("区发改委", "区生态环境局", "区应急局"))
    assert [r["title"] for r in changes["targets_changed"]] == [revised["tasks"][1]["title"]]
    assert not changes["unchanged"]
    assert plan_export(plan) != revised  # nothing applied yet

    kept = Task.objects.get(plan=plan, title=revised["tasks"][1]["title"]).pk
    services.draft_publish(actor=user("beichen"), draft=draft)
    assert plan_export(plan) == revised
    assert Task.objects.filter(pk=kept, plan=plan).exists()


def test_source_positions_are_given_to_the_browser_in_utf16_units(place):
    text = "𠀀甲乙丙"  # one character outside the basic plane counts twice in UTF-16
    draft = make_draft(place, demo("beichen"), spans={"title": [1, 3]}, text=text)
    assert utf16_spans(draft) == {"title": [2, 4]}
