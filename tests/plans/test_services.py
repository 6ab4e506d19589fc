from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from liangxin.core.models import AuditEntry
from liangxin.plans.models import Indicator, Task
from liangxin.plans.services import indicator_update, task_update


def test_task_update_saves_and_records_before_and_after(plan_of, user):
    task = Task.objects.get(plan=plan_of("北辰区"), number="1")
    task_update(actor=user("beichen"), task=task, title="推动工业领域设备更新")
    task.refresh_from_db()
    assert task.title == "推动工业领域设备更新"
    entry = AuditEntry.objects.filter(action="task.update", object_id=str(task.pk)).get()
    assert entry.actor.username == "beichen"
    assert entry.before["title"] == "推动工业领域设备更新和技术改造"
    assert entry.after["title"] == "推动工业领域设备更新"


def test_task_update_with_an_empty_title_is_refused_and_nothing_changes(plan_of, user):
    task = Task.objects.get(plan=plan_of("北辰区"), number="1")
    with pytest.raises(ValidationError):
        task_update(actor=user("beichen"), task=task, title="")
    task.refresh_from_db()
    assert task.title == "推动工业领域设备更新和技术改造"
    assert not AuditEntry.objects.filter(action="task.update").exists()


def test_indicator_update_keeps_decimals_exact(plan_of, user):
    indicator = Indicator.objects.get(plan=plan_of("北辰区"), seq=1)
    indicator_update(actor=user("beichen"), indicator=indicator, baseline_value=Decimal("13.65"))
    indicator.refresh_from_db()
    assert indicator.baseline_value == Decimal("13.65")


def test_an_unchanged_save_writes_no_audit_entry(plan_of, user):
    task = Task.objects.get(plan=plan_of("北辰区"), number="1")
    task_update(actor=user("beichen"), task=task, title=task.title)
    assert not AuditEntry.objects.filter(action="task.update").exists()


def test_cumulative_indicators_are_recognised_from_the_table(plan_of):
    plan = plan_of("北辰区")
    assert Indicator.objects.get(plan=plan, seq=13).cumulative is True
    assert Indicator.objects.get(plan=plan, seq=1).cumulative is False


def test_the_same_number_written_with_other_precision_is_no_change(plan_of, user):
    indicator = Indicator.objects.get(plan=plan_of("北辰区"), seq=1)
    indicator_update(actor=user("beichen"), indicator=indicator, baseline_value=Decimal("13.60"))
    assert not AuditEntry.objects.filter(action="indicator.update").exists()


def test_a_revision_keeps_matched_tasks_and_indicators_and_exports_the_new_document(plan_of, user):
    import copy

    from liangxin.plans.selectors import plan_export
    from liangxin.plans.services import plan_revise

    plan = plan_of("北辰区")
    old = plan_export(plan)
    kept = Task.objects.get(plan=plan, title=old["tasks"][1]["title"])
    dropped = Task.objects.get(plan=plan, title=old["tasks"][0]["title"])
    indicator = Indicator.objects.get(plan=plan, seq=7)
    new = copy.deepcopy(old)
    del new["tasks"][0]
    new["tasks"].append({**copy.deepcopy(new["tasks"][0]), "number": "24", "title": "新增的任务", "targets": []})
    new["tasks"][0]["lead_units"] = ["区商务局"]
    new["indicators"][6]["milestones"][3]["value"] = 36

    plan_revise(plan=plan, data=new, actor=user("beichen"))

    assert plan_export(plan) == new
    assert Task.objects.get(pk=kept.pk).title == kept.title
    assert not Task.objects.filter(pk=dropped.pk).exists()
    assert Indicator.objects.get(pk=indicator.pk).milestones.get(year=2027).value == Decimal("36")
    entry = AuditEntry.objects.get(action="plan.revise", object_id=str(plan.pk))
    assert entry.before == old and entry.after == new


def test_a_bad_revision_changes_nothing(plan_of):
    import copy

    from liangxin.plans.interchange import InterchangeError
    from liangxin.plans.selectors import plan_export
    from liangxin.plans.services import plan_revise

    plan = plan_of("北辰区")
    old = plan_export(plan)
    bad = copy.deepcopy(old)
    bad["tasks"][5]["lead_units"] = ["不在清单的局"]
    with pytest.raises(InterchangeError):
        plan_revise(plan=plan, data=bad)
    assert plan_export(plan) == old
