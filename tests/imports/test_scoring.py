"""The scorer: matching, role triples, units, indicator cells and target tuples."""

import copy

import pytest

from liangxin.imports.scoring import format_scores, norm, score_plan


def target(year, comparator, value, unit, text="x"):
    return {
        "text": text,
        "metric": None,
        "year": year,
        "comparator": comparator,
        "value": value,
        "unit": unit,
        "basis": None,
    }


def doc(tasks=(), goals=(), indicators=(), units=()):
    return {
        "format": "liangxin.plan/1",
        "title": "某方案",
        "issuer": "",
        "issued_on": None,
        "doc_number": None,
        "parent_policies": [],
        "goals": list(goals),
        "tasks": list(tasks),
        "indicators": list(indicators),
        "task_force": None,
        "division_table": [],
        "policy_list": [],
        "units": list(units),
    }


def task(title, lead=(), resp=(), targets=(), number="1"):
    return {
        "number": number,
        "path": [],
        "title": title,
        "lead_units": list(lead),
        "responsible_units": list(resp),
        "targets": list(targets),
    }


def row(seq, name, baseline, *milestones):
    return {
        "seq": seq,
        "task": None,
        "name": name,
        "baseline": {"year": 2023, "text": None, "value": baseline, "unit": None},
        "milestones": [{"year": 2024 + k, "text": None, "value": v, "unit": None} for k, v in enumerate(milestones)],
        "units": [],
    }


GOLD = doc(
    tasks=[
        task("推进技术改造", lead=["区工信局"], resp=["区财政局", "区统计局"], targets=[target(2026, "=", 30, "个")]),
        task("推广节能设备", resp=["区发改委"]),
        task("加强组织领导", lead=["区发改委"]),
    ],
    goals=[target(2026, ">=", 20, "%"), target(2026, None, None, None)],
    indicators=[row(1, "智能工厂", 6, 9, 12), row(2, "技改投资", 30, 35, None)],
    units=["区工信局", "区财政局", "区统计局", "区发改委"],
)


def test_a_document_scored_against_itself_is_perfect():
    scores = score_plan(copy.deepcopy(GOLD), GOLD)
    assert scores == {
        "tasks": {"precision": 1.0, "recall": 1.0, "f1": 1.0},
        "roles_f1": 1.0,
        "lead_units_exact": 1.0,
        "responsible_units_exact": 1.0,
        "units_f1": 1.0,
        "indicator_cells": 1.0,
        "goals_f1": 1.0,
        "task_targets_f1": 1.0,
        "targets_f1": 1.0,
    }


def test_titles_match_without_whitespace_punctuation_or_width_differences():
    assert norm("推进 技术改造（一）。") == norm("推进技术改造(一)")
    assert norm("２０２７年") == "2027年"
    pred = copy.deepcopy(GOLD)
    pred["tasks"][0]["title"] = "推进技术 改造。"
    assert score_plan(pred, GOLD)["tasks"]["f1"] == 1.0


def test_missing_and_invented_tasks_move_recall_and_precision():
    pred = copy.deepcopy(GOLD)
    pred["tasks"] = pred["tasks"][:2] + [task("另一项任务"), task("再一项任务")]
    scores = score_plan(pred, GOLD)
    assert scores["tasks"]["precision"] == pytest.approx(2 / 4)
    assert scores["tasks"]["recall"] == pytest.approx(2 / 3)
    assert scores["tasks"]["f1"] == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))


def test_repeated_titles_pair_in_order():
    gold = doc(tasks=[task("加强保障", lead=["区财政局"]), task("加强保障", lead=["区发改委"])])
    pred = copy.deepcopy(gold)
    assert score_plan(pred, gold)["roles_f1"] == 1.0
    pred["tasks"].reverse()
    assert score_plan(pred, gold)["roles_f1"] == 0.0


def test_role_triples_count_unit_and_role_of_matched_tasks():
    pred = copy.deepcopy(GOLD)
    # the lead named as responsible: one triple missed, one invented
    pred["tasks"][0]["lead_units"] = []
    pred["tasks"][0]["responsible_units"] = ["区工信局", "区财政局", "区统计局"]
    scores = score_plan(pred, GOLD)
    # gold triples: 5; predicted: 5; common: 4
    assert scores["roles_f1"] == pytest.approx(0.8)
    assert scores["lead_units_exact"] == pytest.approx(2 / 3)
    assert scores["responsible_units_exact"] == pytest.approx(2 / 3)


def test_units_compare_as_written_sets():
    pred = copy.deepcopy(GOLD)
    pred["units"] = ["区工信局", "区财政局", "区统计局", "区工业和信息化局"]
    scores = score_plan(pred, GOLD)
    assert scores["units_f1"] == pytest.approx(0.75)


def test_indicator_cells_are_name_baseline_and_each_milestone():
    pred = copy.deepcopy(GOLD)
    pred["indicators"][1]["milestones"][1]["value"] = 0  # null in gold: wrong
    pred["indicators"][0]["baseline"]["value"] = 6.0  # the same number
    scores = score_plan(pred, GOLD)
    assert scores["indicator_cells"] == pytest.approx(7 / 8)


def test_indicator_rows_match_by_name_then_seq_and_extra_rows_count_against():
    pred = copy.deepcopy(GOLD)
    pred["indicators"][0]["name"] = "智能工厂数量"  # matched by seq; the name cell is wrong
    pred["indicators"].append(row(3, "多出的指标", None, None, None))
    scores = score_plan(pred, GOLD)
    assert scores["indicator_cells"] == pytest.approx(7 / 12)


def test_targets_are_year_comparator_value_unit_tuples_goals_and_tasks_together():
    pred = copy.deepcopy(GOLD)
    pred["goals"][0]["comparator"] = ">"
    pred["tasks"][0]["targets"][0]["unit"] = "個"  # a different unit
    scores = score_plan(pred, GOLD)
    assert scores["goals_f1"] == pytest.approx(0.5)
    assert scores["task_targets_f1"] == 0.0
    assert scores["targets_f1"] == pytest.approx(1 / 3)


def test_units_of_targets_compare_after_width_folding():
    gold = doc(goals=[target(2027, "~", 20, "台（套）")])
    pred = doc(goals=[target(2027, "~", 20.0, "台(套)")])
    assert score_plan(pred, gold)["targets_f1"] == 1.0


def test_empty_on_both_sides_is_perfect_and_empty_against_something_is_zero():
    assert score_plan(doc(), doc())["targets_f1"] == 1.0
    assert score_plan(doc(), doc())["indicator_cells"] == 1.0
    assert score_plan(doc(), GOLD)["tasks"]["f1"] == 0.0
    assert score_plan(doc(), GOLD)["units_f1"] == 0.0


def test_format_scores_prints_every_metric():
    text = format_scores(score_plan(copy.deepcopy(GOLD), GOLD))
    for label in ("tasks", "roles F1", "units F1", "indicator cells", "targets F1", "goals", "task targets"):
        assert label in text
    assert "1.000" in text
