"""`liangxin plan parse` and `liangxin plan score` at the command line, good input and bad."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from .test_views import _text_plan

LIANGXIN = Path(sys.executable).with_name("liangxin")


@pytest.fixture
def plan_txt(tmp_path):
    path = tmp_path / "测试区方案.txt"
    path.write_bytes(_text_plan().encode("gb18030"))
    return path


def test_parse_prints_a_readable_summary(plan_txt, capsys):
    call_command("plan", "parse", str(plan_txt))
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "测试区推动大规模设备更新和消费品以旧换新工作方案"
    assert "推动工业设备更新  [lead: 区工信局; with: 区发改委、区财政局]" in out
    assert "tasks: 2" in out


def test_parse_json_prints_the_interchange_document(plan_txt, capsys):
    call_command("plan", "parse", str(plan_txt), "--json")
    document = json.loads(capsys.readouterr().out)
    assert document["format"] == "liangxin.plan/1"
    assert [t["lead_units"] for t in document["tasks"]] == [["区工信局"], ["区商务局"]]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.txt", b""),
        ("noise.bin", bytes(range(256)) * 8),
        ("broken.docx", b"PK\x03\x04broken"),
        ("news.txt", "本报讯 昨日，某市举行春季运动会，市民踊跃参加，赛场气氛热烈。".encode()),
    ],
)
def test_parse_refuses_what_is_not_a_plan(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError, match=name):
        call_command("plan", "parse", str(path))


def test_the_console_command_exits_non_zero_with_a_message_on_bad_input(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    env = {**os.environ, "LIANGXIN_DEBUG": "1", "LIANGXIN_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    result = subprocess.run([str(LIANGXIN), "plan", "parse", str(path)], env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "empty.txt" in result.stderr and result.stdout == ""


def test_score_prints_the_scores_of_a_prediction_against_gold(plan_txt, tmp_path, capsys):
    call_command("plan", "parse", str(plan_txt), "--json")
    predicted = json.loads(capsys.readouterr().out)
    gold = json.loads(json.dumps(predicted))
    gold["tasks"][1]["responsible_units"] = ["区市场监管局", "区财政局"]
    (tmp_path / "pred.json").write_text(json.dumps(predicted, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    call_command("plan", "score", str(tmp_path / "pred.json"), str(tmp_path / "gold.json"))
    out = capsys.readouterr().out
    assert "F1 1.000" in out.splitlines()[0]
    roles = next(line for line in out.splitlines() if line.startswith("roles"))
    assert "0.909" in roles  # 5 of 5 predicted triples right, 5 of 6 gold triples found


def test_score_refuses_a_file_that_is_not_json(tmp_path):
    (tmp_path / "a.json").write_text("{", encoding="utf-8")
    with pytest.raises(CommandError, match="a.json"):
        call_command("plan", "score", str(tmp_path / "a.json"), str(tmp_path / "a.json"))
