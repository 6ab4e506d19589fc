import copy
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from liangxin.core.models import Unit
from liangxin.core.services import jurisdiction_ensure_path
from liangxin.plans.interchange import InterchangeError
from liangxin.plans.models import Assignment, Plan, Target, Task
from liangxin.plans.selectors import plan_export
from liangxin.plans.services import plan_load

REPO = Path(__file__).resolve().parents[2]
DEMO_DIR = REPO / "src" / "liangxin" / "plans" / "demo"
GOLD_DIR = REPO.parent / "shared" / "gold"
PLAN_FILES = sorted(p for p in DEMO_DIR.glob("*.json") if p.name != "demo.json") + sorted(GOLD_DIR.glob("*.json"))


def _read(path):
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def sandbox(db):
    return jurisdiction_ensure_path(path="测试省/测试市")


@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: p.name)
def test_export_of_a_loaded_plan_equals_the_file(sandbox, path):
    data = _read(path)
    plan = plan_load(data=data, jurisdiction=sandbox)
    assert plan_export(plan) == data


def test_every_gold_file_is_covered_when_shared_is_present():
    if GOLD_DIR.exists():
        assert len([p for p in PLAN_FILES if p.parent == GOLD_DIR]) == 5
    assert len([p for p in PLAN_FILES if p.parent == DEMO_DIR]) == 5


def test_cli_load_prints_the_id_and_export_writes_the_same_json(sandbox, tmp_path, capsys):
    source = DEMO_DIR / "beichen.json"
    call_command("plan", "load", str(source), "--jurisdiction", "测试省/测试市/北辰区")
    out = capsys.readouterr().out
    plan_id = int(out.split("\t")[0])
    plan = Plan.objects.get(pk=plan_id)
    assert plan.jurisdiction.full_name == "测试省/测试市/北辰区"
    assert plan.source_file.read() == source.read_bytes()
    target = tmp_path / "out.json"
    call_command("plan", "export", str(plan_id), "--json", "--out", str(target))
    assert json.loads(target.read_text(encoding="utf-8")) == _read(source)


def test_loading_resolves_aliases_to_one_unit_and_keeps_the_written_form(sandbox):
    from liangxin.core.services import unit_alias_add, unit_ensure

    unit = unit_ensure(jurisdiction=sandbox, name="区工信局")
    unit_alias_add(unit=unit, alias="区工业和信息化局")
    data = _read(DEMO_DIR / "wuqing.json")  # writes 区工业和信息化局
    plan = plan_load(data=data, jurisdiction=sandbox)
    rows = Assignment.objects.filter(plan=plan, written_as="区工业和信息化局")
    assert rows.exists()
    assert set(rows.values_list("unit_id", flat=True)) == {unit.pk}
    assert not Unit.objects.filter(jurisdiction=sandbox, name="区工业和信息化局").exists()
    assert plan_export(plan)["units"][0] == "区工业和信息化局"


def _bad(mutate):
    data = _read(DEMO_DIR / "beichen.json")
    mutate(data)
    return data


@pytest.mark.parametrize(
    ("mutate", "field", "words"),
    [
        (lambda d: d.update(format="liangxin.plan/0"), "format", "liangxin.plan/1"),
        (lambda d: d.pop("title"), "title", "missing"),
        (lambda d: d["tasks"][3].pop("lead_units"), "tasks[3].lead_units", "missing"),
        (lambda d: d["tasks"][2]["lead_units"].append("区不存在局"), "tasks[2].lead_units[2]", "区不存在局"),
        (
            lambda d: d["indicators"][0]["milestones"][1].update(value="很多"),
            "indicators[0].milestones[1].value",
            "number",
        ),
        (lambda d: d.update(issued_on="2024年6月21日"), "issued_on", "YYYY-MM-DD"),
        (lambda d: d["goals"][0].update(comparator="≥"), "goals[0].comparator", ">="),
        (lambda d: d["units"].append("区发改委"), "units[25]", "twice"),
    ],
)
def test_a_malformed_file_names_the_field_and_saves_nothing(sandbox, mutate, field, words):
    before = (Plan.objects.count(), Task.objects.count(), Target.objects.count(), Unit.objects.count())
    with pytest.raises(InterchangeError) as excinfo, translation.override("en"):
        plan_load(data=_bad(mutate), jurisdiction=sandbox)
    assert excinfo.value.field == field
    assert words in str(excinfo.value)
    assert (Plan.objects.count(), Task.objects.count(), Target.objects.count(), Unit.objects.count()) == before


def test_cli_reports_a_bad_file_with_the_field_and_saves_nothing(sandbox, tmp_path):
    bad = tmp_path / "bad.json"
    data = _bad(lambda d: d["tasks"][0]["responsible_units"].append("区不存在局"))
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    count = Plan.objects.count()
    with pytest.raises(CommandError, match=r"tasks\[0\]\.responsible_units\[3\].*区不存在局.*nothing was saved"):
        call_command("plan", "load", str(bad), "--jurisdiction", "测试省/测试市")
    assert Plan.objects.count() == count


def test_cli_rejects_a_file_that_is_not_json(sandbox, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_bytes("不是JSON".encode("gb18030"))
    with pytest.raises(CommandError, match="not UTF-8 JSON"):
        call_command("plan", "load", str(bad), "--jurisdiction", "测试省/测试市")


def test_cli_export_of_an_unknown_plan_says_how_to_find_ids(db):
    with pytest.raises(CommandError, match="plan list"):
        call_command("plan", "export", "999999", "--json")


def test_errors_are_in_chinese_by_default(sandbox):
    with pytest.raises(InterchangeError) as excinfo:
        plan_load(data=_bad(lambda d: d.pop("title")), jurisdiction=sandbox)
    assert str(excinfo.value) == "title: 缺失"


def test_a_failure_late_in_the_file_rolls_back_the_whole_plan(sandbox):
    data = copy.deepcopy(_read(DEMO_DIR / "shuozhou.json"))
    data["policy_list"] = [{"seq": 1, "group": "一", "title": "x", "lead_units": ["市无此局"]}]
    count = Plan.objects.count()
    with pytest.raises(InterchangeError):
        plan_load(data=data, jurisdiction=sandbox)
    assert Plan.objects.count() == count
