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
