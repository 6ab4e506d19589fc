"""The 督办 list: the scan's rules and grading, the escalation ladder, reminders in the app and by
e-mail (once per person, item and level), and who may see and do what on the web and the API."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from liangxin.core.enums import Role
from liangxin.core.models import AuditEntry, Jurisdiction, Unit, User
from liangxin.dispatch import services
from liangxin.dispatch.enums import PeriodState, SubmissionState
from liangxin.dispatch.models import IndicatorEntry, Notification, Period, Submission, SupervisionItem, TaskEntry
from liangxin.dispatch.selectors import units_owing
from liangxin.dispatch.selectors_supervision import notification_count, units_by_item
from liangxin.dispatch.services.supervision import (
    supervision_escalate,
    supervision_escalate_to_leader,
    supervision_resolve,
    supervision_scan,
)
from liangxin.plans.models import Indicator, Task

pytestmark = pytest.mark.django_db

D = datetime.date
SHANGWU, GONGXIN = "区商务局", "区工信局"
CAR_TASK = "开展汽车以旧换新"  # 北辰区 task 6, led by 区商务局 alone
INVESTMENT = "工业领域设备投资规模"  # 北辰区 indicator 1, answered for by 区工信局 alone


# --- set-up -----------------------------------------------------------------------------------


def unit(name) -> Unit:
    return Unit.objects.get(jurisdiction__name="北辰区", name=name)


def period(plan, label) -> Period:
    return Period.objects.get(plan=plan, label=label)


def send(plan, label, unit_obj, state=SubmissionState.SUBMITTED) -> Submission:
    """A unit's report for a period in the given state (sent ones carry their time)."""
    submitted_at = None if state == SubmissionState.DRAFT else timezone.now()
    submission, _ = Submission.objects.update_or_create(
        period=period(plan, label), unit=unit_obj, defaults={"state": state, "submitted_at": submitted_at}
    )
    return submission


@pytest.fixture
def beichen(plan_of, user):
    """北辰区 on a monthly calendar with February and March 2025 open. Every unit but 区商务局 and
    区工信局 has reported for both; 区工信局 has reported for February."""
    plan = plan_of("北辰区")
    office = user("beichen")
    services.calendar_set(actor=office, plan=plan, cadence="month", deadline_days=5)
    for label in ("2025-02", "2025-03"):
        services.period_set_state(actor=office, period=period(plan, label), state=PeriodState.OPEN)
        for u in units_owing(plan):
            if u.name not in (SHANGWU, GONGXIN):
                send(plan, label, u)
    send(plan, "2025-02", unit(GONGXIN))
    return plan


@pytest.fixture
def emails(user):
    """Who has an e-mail address: 区商务局's reporter, the office and the leader; not 区工信局's."""
    for username, address in (
        ("beichen_shangwu", "shangwu@beichen.example.cn"),
        ("beichen", "office@beichen.example.cn"),
        ("tianjin_leader", "leader@tianjin.example.cn"),
    ):
        User.objects.filter(username=username).update(email=address)
    User.objects.filter(username="beichen_gongxin").update(email="")


@pytest.fixture
def scan(django_capture_on_commit_callbacks):
    """The scan as cron runs it: committed, so the e-mails go out."""

    def run(plan, today):
        with django_capture_on_commit_callbacks(execute=True):
            return supervision_scan(plan=plan, today=today)

    return run


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def run(fn, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(**kwargs)

    return run


def rows(plan, **filters):
    """The plan's items as (rule, period, units, level, open?) — what the office reads."""
    items = list(SupervisionItem.objects.filter(plan=plan, **filters).select_related("period"))
    units = units_by_item(plan, items)
    return sorted(
        (
            i.rule,
            i.period.label if i.period else None,
            tuple(u.name for u in units[i.pk]),
            i.level,
            i.resolved_at is None,
        )
        for i in items
    )


def notes(**filters):
    return sorted(
        (n.user.username, n.item.period.label if n.item and n.item.period else None, n.level)
        for n in Notification.objects.filter(**filters).select_related("user", "item__period")
    )


def item_of(plan, unit_name, label) -> SupervisionItem:
    return SupervisionItem.objects.get(
        plan=plan, rule="submission_due", subject_type="unit", subject_id=unit(unit_name).pk, period__label=label
    )


# --- the scan: reports due and overdue --------------------------------------------------------


def test_missing_reports_are_yellow_within_three_days_of_the_due_date_and_red_after(beichen, scan, emails):
    open_items = scan(beichen, D(2025, 4, 3))  # March is due on 5 April; February was due on 5 March

    assert rows(beichen) == [
        ("submission_due", "2025-02", (SHANGWU,), "overdue", True),
        ("submission_due", "2025-03", (SHANGWU,), "due_soon", True),
        ("submission_due", "2025-03", (GONGXIN,), "due_soon", True),
    ]
    assert sorted(i.pk for i in open_items) == sorted(
        SupervisionItem.objects.filter(plan=beichen).values_list("pk", flat=True)
    )
    item = item_of(beichen, SHANGWU, "2025-02")
    assert item.unit == unit(SHANGWU) and item.resolved_at is None
    assert AuditEntry.objects.filter(action="supervision.open", object_id=str(item.pk)).count() == 1


def test_nothing_is_yellow_more_than_three_days_before_the_due_date(beichen, scan):
    scan(beichen, D(2025, 4, 1))  # four days before 5 April

    assert rows(beichen) == [("submission_due", "2025-02", (SHANGWU,), "overdue", True)]


def test_periods_the_office_has_not_opened_are_not_chased(beichen, scan):
    scan(beichen, D(2025, 5, 3))  # April (due 5 May) is still planned

    assert not SupervisionItem.objects.filter(plan=beichen, period__label="2025-04").exists()


def test_drafts_and_returned_reports_are_still_owed(beichen, scan):
    send(beichen, "2025-03", unit(SHANGWU), state=SubmissionState.DRAFT)
    send(beichen, "2025-03", unit(GONGXIN), state=SubmissionState.RETURNED)
    send(beichen, "2025-03", unit("区住建委"), state=SubmissionState.APPROVED)

    scan(beichen, D(2025, 4, 3))

    assert [r[:4] for r in rows(beichen, period__label="2025-03")] == [
        ("submission_due", "2025-03", (SHANGWU,), "due_soon"),
        ("submission_due", "2025-03", (GONGXIN,), "due_soon"),
    ]


def test_reminders_go_once_per_person_item_and_level_and_mail_only_those_with_an_address(
    beichen, scan, emails, mailoutbox
):
    scan(beichen, D(2025, 4, 3))

    assert notes() == [
        ("beichen_gongxin", "2025-03", "due_soon"),
        ("beichen_shangwu", "2025-02", "overdue"),
        ("beichen_shangwu", "2025-03", "due_soon"),
    ]
    assert sorted((m.to, m.subject) for m in mailoutbox) == sorted(
        [
            (["shangwu@beichen.example.cn"], f"{gettext('[Liangxin]')} {n.text}")
            for n in Notification.objects.filter(user__username="beichen_shangwu")
        ]
    )
    assert len(mailoutbox) == 2
    assert all(reverse("dispatch:supervision_list", args=[beichen.pk]) in m.body for m in mailoutbox)
    assert set(Notification.objects.filter(emailed=True).values_list("user__username", flat=True)) == {
        "beichen_shangwu"
    }


def test_a_second_scan_creates_no_duplicate_items_notifications_or_emails(beichen, scan, emails, mailoutbox):
    scan(beichen, D(2025, 4, 3))
    before = (rows(beichen), notes(), AuditEntry.objects.count())

    again = scan(beichen, D(2025, 4, 3))

    assert (rows(beichen), notes(), AuditEntry.objects.count()) == before
    assert len(again) == 3
    assert SupervisionItem.objects.filter(plan=beichen).count() == 3
    assert Notification.objects.count() == 3
    assert len(mailoutbox) == 2


def test_a_yellow_item_turns_red_when_the_due_date_passes_and_reminds_again(beichen, scan, emails, mailoutbox):
    scan(beichen, D(2025, 4, 3))
    yellow = item_of(beichen, SHANGWU, "2025-03")

    scan(beichen, D(2025, 4, 6))

    yellow.refresh_from_db()
    assert yellow.level == "overdue"
    assert rows(beichen) == [
        ("submission_due", "2025-02", (SHANGWU,), "overdue", True),
        ("submission_due", "2025-03", (SHANGWU,), "overdue", True),
        ("submission_due", "2025-03", (GONGXIN,), "overdue", True),
    ]
    assert notes(level="overdue") == [
        ("beichen_gongxin", "2025-03", "overdue"),
        ("beichen_shangwu", "2025-02", "overdue"),
        ("beichen_shangwu", "2025-03", "overdue"),
    ]
    assert len(mailoutbox) == 3  # the third: 区商务局's March report, now red
    assert AuditEntry.objects.filter(action="supervision.raise", object_id=str(yellow.pk)).count() == 1


def test_a_report_sent_resolves_its_item(beichen, scan):
    scan(beichen, D(2025, 4, 3))
    send(beichen, "2025-03", unit(GONGXIN))

    open_items = scan(beichen, D(2025, 4, 4))

    assert rows(beichen) == [
        ("submission_due", "2025-02", (SHANGWU,), "overdue", True),
        ("submission_due", "2025-03", (SHANGWU,), "due_soon", True),
        ("submission_due", "2025-03", (GONGXIN,), "due_soon", False),
    ]
    assert len(open_items) == 2
    resolved = item_of(beichen, GONGXIN, "2025-03")
    assert resolved.note.endswith(
        gettext("Resolved by the scan of %(date)s: the cause went away.") % {"date": "2025-04-04"}
    )
    assert AuditEntry.objects.filter(action="supervision.resolve_auto", object_id=str(resolved.pk)).count() == 1


# --- the scan: tasks past their deadline ------------------------------------------------------


def car_task(plan) -> Task:
    return Task.objects.get(plan=plan, title=CAR_TASK)


def task_entry(plan, label, unit_name, task, progress, state=SubmissionState.SUBMITTED):
    submission = send(plan, label, unit(unit_name), state=state)
    TaskEntry.objects.update_or_create(submission=submission, task=task, defaults={"progress": progress})


def test_a_task_past_its_deadline_without_a_done_report_is_red_for_its_lead_unit(beichen, user, scan, emails):
    task = car_task(beichen)
    services.task_due_set(actor=user("beichen"), task=task, due_on=D(2025, 3, 10))
    task_entry(beichen, "2025-02", SHANGWU, task, "in_progress")

    scan(beichen, D(2025, 4, 1))

    assert rows(beichen, rule="task_overdue") == [("task_overdue", "2025-03", (SHANGWU,), "overdue", True)]
    item = SupervisionItem.objects.get(plan=beichen, rule="task_overdue")
    assert (item.subject_type, item.subject_id, item.unit) == ("task", task.pk, unit(SHANGWU))
    assert notes(item=item) == [("beichen_shangwu", "2025-03", "overdue")]


def test_a_task_marked_done_only_in_a_draft_is_still_overdue_and_a_sent_done_report_resolves_it(beichen, user, scan):
    task = car_task(beichen)
    services.task_due_set(actor=user("beichen"), task=task, due_on=D(2025, 3, 10))
    task_entry(beichen, "2025-03", SHANGWU, task, "done", state=SubmissionState.DRAFT)
    scan(beichen, D(2025, 4, 1))
    assert rows(beichen, rule="task_overdue") == [("task_overdue", "2025-03", (SHANGWU,), "overdue", True)]

    task_entry(beichen, "2025-03", SHANGWU, task, "done", state=SubmissionState.SUBMITTED)
    scan(beichen, D(2025, 4, 2))

    assert rows(beichen, rule="task_overdue") == [("task_overdue", "2025-03", (SHANGWU,), "overdue", False)]


def test_a_task_not_yet_due_is_not_chased(beichen, user, scan):
    services.task_due_set(actor=user("beichen"), task=car_task(beichen), due_on=D(2025, 4, 10))

    scan(beichen, D(2025, 4, 3))

    assert rows(beichen, rule="task_overdue") == []


def test_a_task_without_a_lead_unit_concerns_every_responsible_unit(beichen, user, scan):
    task = Task.objects.get(plan=beichen, title="提升供给、需求、回收三端对接服务能力水平")  # no lead unit
    services.task_due_set(actor=user("beichen"), task=task, due_on=D(2025, 3, 10))

    scan(beichen, D(2025, 4, 1))

    [row] = rows(beichen, rule="task_overdue")
    assert set(row[2]) == {
        "区发改委",
        "区工信局",
        "区商务局",
        "区住建委",
        "区运管局",
        "区农业农村委",
        "区教育局",
        "区科技局",
        "区卫健委",
        "区文旅局",
    }
    item = SupervisionItem.objects.get(plan=beichen, rule="task_overdue")
    assert item.unit is None
    # Both demo reporters' units are among them, so both are reminded.
    assert notes(item=item) == [("beichen_gongxin", "2025-03", "overdue"), ("beichen_shangwu", "2025-03", "overdue")]


# --- the scan: indicators lagging two periods running -----------------------------------------


def report_value(plan, label, unit_name, indicator, value):
    submission = send(plan, label, unit(unit_name))
    IndicatorEntry.objects.update_or_create(submission=submission, indicator=indicator, defaults={"value": value})


def test_an_indicator_lagging_two_periods_running_is_red_for_its_unit_and_resolves_when_it_recovers(
    beichen, user, scan
):
    pytest.importorskip("liangxin.dispatch.assess", reason="the assessment engine is not there yet")
    indicator = Indicator.objects.get(plan=beichen, name=INVESTMENT)
    office = user("beichen")
    services.period_set_state(actor=office, period=period(beichen, "2025-01"), state=PeriodState.OPEN)
    for label in ("2025-01", "2025-02", "2025-03"):
        for u in units_owing(beichen):
            send(beichen, label, u)
    report_value(beichen, "2025-01", GONGXIN, indicator, Decimal("15"))
    report_value(beichen, "2025-02", GONGXIN, indicator, Decimal("0.5"))

    scan(beichen, D(2025, 3, 20))  # only January and February are judged: one lagging period
    assert rows(beichen, rule="indicator_lagging") == []

    report_value(beichen, "2025-03", GONGXIN, indicator, Decimal("0.5"))
    scan(beichen, D(2025, 4, 10))

    assert rows(beichen, rule="indicator_lagging") == [("indicator_lagging", "2025-03", (GONGXIN,), "overdue", True)]
    item = SupervisionItem.objects.get(plan=beichen, rule="indicator_lagging")
    assert "2025-02" in item.title and notes(item=item) == [("beichen_gongxin", "2025-03", "overdue")]

    # It stays one item while the run goes on, and resolves when the indicator is back on track.
    services.period_set_state(actor=office, period=period(beichen, "2025-04"), state=PeriodState.OPEN)
    for u in units_owing(beichen):
        send(beichen, "2025-04", u)
    report_value(beichen, "2025-04", GONGXIN, indicator, Decimal("0.5"))
    scan(beichen, D(2025, 5, 10))
    assert rows(beichen, rule="indicator_lagging") == [("indicator_lagging", "2025-03", (GONGXIN,), "overdue", True)]

    report_value(beichen, "2025-04", GONGXIN, indicator, Decimal("16"))
    scan(beichen, D(2025, 5, 11))
    assert rows(beichen, rule="indicator_lagging") == [("indicator_lagging", "2025-03", (GONGXIN,), "overdue", False)]


# --- the escalation ladder --------------------------------------------------------------------


@pytest.fixture
def red(beichen, scan, emails):
    """区商务局's February report, overdue (red)."""
    scan(beichen, D(2025, 4, 3))
    return item_of(beichen, SHANGWU, "2025-02")


def test_the_office_escalates_one_step_at_a_time_up_to_formal_supervision(red, user, committed, mailoutbox):
    office = user("beichen")
    sent_before = len(mailoutbox)
    for level in ("urged", "named", "supervised"):
        committed(supervision_escalate, actor=office, item=red, level=level, note=f"{level} note")
        red.refresh_from_db()
        assert red.level == level

    steps = AuditEntry.objects.filter(action="supervision.escalate", object_id=str(red.pk)).order_by("id")
    assert [(a.before["level"], a.after["level"], a.actor.username) for a in steps] == [
        ("overdue", "urged", "beichen"),
        ("urged", "named", "beichen"),
        ("named", "supervised", "beichen"),
    ]
    assert "urged note" in red.note and "supervised note" in red.note
    # The unit's reporter at each level; at 督办 the plan's office too.
    assert notes(item=red) == [
        ("beichen", "2025-02", "supervised"),
        ("beichen_shangwu", "2025-02", "named"),
        ("beichen_shangwu", "2025-02", "overdue"),
        ("beichen_shangwu", "2025-02", "supervised"),
        ("beichen_shangwu", "2025-02", "urged"),
    ]
    assert sorted(m.to[0] for m in mailoutbox[sent_before:]) == [
        "office@beichen.example.cn",
        "shangwu@beichen.example.cn",
        "shangwu@beichen.example.cn",
        "shangwu@beichen.example.cn",
    ]


def test_escalation_out_of_order_is_refused(red, beichen, user):
    office = user("beichen")
    with pytest.raises(ValidationError) as skipped:
        supervision_escalate(actor=office, item=red, level="named", note="")
    assert "level" in skipped.value.message_dict

    yellow = item_of(beichen, SHANGWU, "2025-03")
    with pytest.raises(ValidationError):
        supervision_escalate(actor=office, item=yellow, level="urged", note="")
    with pytest.raises(ValidationError):
        supervision_escalate(actor=office, item=red, level="overdue", note="")

    red.refresh_from_db()
    yellow.refresh_from_db()
    assert (red.level, yellow.level) == ("overdue", "due_soon")
    assert not AuditEntry.objects.filter(action="supervision.escalate").exists()


def test_the_scan_never_lowers_an_escalated_level(red, beichen, user, scan):
    supervision_escalate(actor=user("beichen"), item=red, level="urged", note="电话催办")

    scan(beichen, D(2025, 4, 10))

    red.refresh_from_db()
    assert red.level == "urged" and red.resolved_at is None


@pytest.mark.parametrize("username", ["beichen_shangwu", "tianjin_leader", "wuqing"])
def test_only_the_plans_office_escalates_or_resolves(red, user, username):
    with pytest.raises(PermissionDenied):
        supervision_escalate(actor=user(username), item=red, level="urged", note="")
    with pytest.raises(PermissionDenied):
        supervision_resolve(actor=user(username), item=red, note="好了")
    red.refresh_from_db()
    assert (red.level, red.resolved_at) == ("overdue", None)


def test_the_office_resolves_with_a_note_and_the_scan_leaves_it_resolved(red, beichen, user, scan):
    with pytest.raises(ValidationError):
        supervision_resolve(actor=user("beichen"), item=red, note="  ")

    supervision_resolve(actor=user("beichen"), item=red, note="已说明情况，免报")
    scan(beichen, D(2025, 4, 10))

    red.refresh_from_db()
    assert red.resolved_at is not None and "已说明情况，免报" in red.note
    assert SupervisionItem.objects.filter(plan=beichen, period__label="2025-02").count() == 1
    with pytest.raises(ValidationError):
        supervision_escalate(actor=user("beichen"), item=red, level="urged", note="")
    assert AuditEntry.objects.filter(action="supervision.resolve", object_id=str(red.pk)).count() == 1


def test_an_item_put_before_a_leader_over_the_plan_reminds_that_leader_once(red, user, committed, mailoutbox):
    sent_before = len(mailoutbox)
    leader = user("tianjin_leader")

    committed(supervision_escalate_to_leader, actor=user("beichen"), item=red, leader=leader, note="请领导协调")
    committed(supervision_escalate_to_leader, actor=user("beichen"), item=red, leader=leader, note="再次")

    red.refresh_from_db()
    assert red.escalated_to == leader
    assert notes(user=leader) == [("tianjin_leader", "2025-02", "overdue")]
    assert [m.to for m in mailoutbox[sent_before:]] == [["leader@tianjin.example.cn"]]
    assert AuditEntry.objects.filter(action="supervision.escalate_to_leader", object_id=str(red.pk)).count() == 2


def test_only_a_leader_whose_jurisdiction_covers_the_plan_can_be_given_an_item(red, user):
    shanxi = Jurisdiction.objects.get(name="山西省", parent=None)
    elsewhere = User.objects.create_user("shanxi_leader", role=Role.LEADER, jurisdiction=shanxi)
    for not_allowed in (elsewhere, user("beichen_shangwu"), user("wuqing")):
        with pytest.raises(ValidationError) as refused:
            supervision_escalate_to_leader(actor=user("beichen"), item=red, leader=not_allowed)
        assert "leader" in refused.value.message_dict
    red.refresh_from_db()
    assert red.escalated_to is None


# --- the remind command -----------------------------------------------------------------------


def test_the_remind_command_scans_and_a_second_run_adds_nothing(
    beichen, emails, mailoutbox, capsys, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind", plan=beichen.pk, today=D(2025, 4, 3))
    first = capsys.readouterr().out
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind", "--plan", str(beichen.pk), "--today", "2025-04-03")
    second = capsys.readouterr().out

    assert "2025-04-03: 3 open items, 3 new, 0 raised, 0 resolved, 3 reminders" in first
    assert "2025-04-03: 3 open items, 0 new, 0 raised, 0 resolved, 0 reminders" in second
    assert SupervisionItem.objects.filter(plan=beichen).count() == 3
    assert len(mailoutbox) == 2


def test_the_remind_command_refuses_a_bad_date_and_an_unknown_plan(beichen):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("remind", "--today", "3 April")
    with pytest.raises(CommandError, match="no plan"):
        call_command("remind", "--plan", "999999")


# --- the web: the 督办 list -------------------------------------------------------------------


@pytest.fixture
def listed(beichen, scan, emails, user):
    """Three items (one red, two yellow) and the red one escalated to 催办."""
    scan(beichen, D(2025, 4, 3))
    supervision_escalate(actor=user("beichen"), item=item_of(beichen, SHANGWU, "2025-02"), level="urged", note="")
    return beichen


def page_items(response) -> list[tuple[int, str]]:
    """(item id, level) of each row of the list, in page order."""
    html = response.content.decode()
    return [
        (int(pk), level)
        for pk, level in re.findall(r'<tr id="item-(\d+)" class="sv-row[^"]*" data-level="(\w+)"', html)
    ]


def test_the_office_sees_every_item_grouped_most_serious_first_with_its_actions(listed, client_as):
    response = client_as("beichen").get(reverse("dispatch:supervision_list", args=[listed.pk]))

    assert response.status_code == 200
    assert page_items(response) == [
        (item_of(listed, SHANGWU, "2025-02").pk, "urged"),
        (item_of(listed, SHANGWU, "2025-03").pk, "due_soon"),
        (item_of(listed, GONGXIN, "2025-03").pk, "due_soon"),
    ]
    html = response.content.decode()
    red = item_of(listed, SHANGWU, "2025-02")
    assert reverse("dispatch:supervision_escalate", args=[red.pk]) in html
    assert 'name="level" value="named"' in html
    assert reverse("dispatch:supervision_escalate_to_leader", args=[red.pk]) in html
    assert f'<option value="{User.objects.get(username="tianjin_leader").pk}"' in html
    assert html.count('action="/dispatch/supervision/') == 1 + 3 + 3  # escalate (the red one only), leader, resolve


def test_a_reporter_sees_only_its_units_items_and_no_actions(listed, client_as):
    response = client_as("beichen_gongxin").get(reverse("dispatch:supervision_list", args=[listed.pk]))

    assert page_items(response) == [(item_of(listed, GONGXIN, "2025-03").pk, "due_soon")]
    html = response.content.decode()
    assert "/escalate/" not in html
    assert f'href="{reverse("dispatch:report", args=[period(listed, "2025-03").pk])}"' in html  # straight to its report


def test_a_leader_sees_every_item_but_no_actions(listed, client_as):
    response = client_as("tianjin_leader").get(reverse("dispatch:supervision_list", args=[listed.pk]))

    assert len(page_items(response)) == 3
    assert "/resolve/" not in response.content.decode()


def test_the_list_filters_by_state_and_level(listed, client_as, user):
    client = client_as("beichen")
    url = reverse("dispatch:supervision_list", args=[listed.pk])
    supervision_resolve(actor=user("beichen"), item=item_of(listed, GONGXIN, "2025-03"), note="已报")

    assert page_items(client.get(url, {"level": "due_soon"})) == [(item_of(listed, SHANGWU, "2025-03").pk, "due_soon")]
    assert page_items(client.get(url, {"state": "resolved"})) == [(item_of(listed, GONGXIN, "2025-03").pk, "due_soon")]
    assert len(page_items(client.get(url, {"state": "all"}))) == 3


def test_another_jurisdiction_gets_404_for_the_list_and_the_actions(listed, client_as):
    client = client_as("wuqing")
    red = item_of(listed, SHANGWU, "2025-02")

    assert client.get(reverse("dispatch:supervision_list", args=[listed.pk])).status_code == 404
    assert client.post(reverse("dispatch:supervision_escalate", args=[red.pk]), {"level": "named"}).status_code == 404
    assert client.post(reverse("dispatch:supervision_resolve", args=[red.pk]), {"note": "x"}).status_code == 404
    red.refresh_from_db()
    assert (red.level, red.resolved_at) == ("urged", None)


def test_on_the_web_the_office_escalates_resolves_and_puts_before_a_leader(listed, client_as, user):
    client = client_as("beichen")
    red = item_of(listed, SHANGWU, "2025-02")
    yellow = item_of(listed, GONGXIN, "2025-03")

    response = client.post(reverse("dispatch:supervision_escalate", args=[red.pk]), {"level": "named", "note": "通报"})
    assert response.status_code == 302 and response["Location"].endswith(f"#item-{red.pk}")
    client.post(
        reverse("dispatch:supervision_escalate_to_leader", args=[red.pk]),
        {"leader": user("tianjin_leader").pk, "note": "请协调"},
    )
    client.post(reverse("dispatch:supervision_resolve", args=[yellow.pk]), {"note": "已补报"})

    red.refresh_from_db()
    yellow.refresh_from_db()
    assert (red.level, red.escalated_to.username) == ("named", "tianjin_leader")
    assert yellow.resolved_at is not None and "已补报" in yellow.note


def test_on_the_web_a_skipped_step_is_refused_with_a_message(listed, client_as):
    client = client_as("beichen")
    red = item_of(listed, SHANGWU, "2025-02")

    response = client.post(
        reverse("dispatch:supervision_escalate", args=[red.pk]), {"level": "supervised"}, follow=True
    )

    red.refresh_from_db()
    assert red.level == "urged"
    assert 'class="error"' in response.content.decode()


def test_on_the_web_the_units_reporter_and_a_leader_get_403_a_colleague_of_another_unit_404(listed, client_as):
    red = item_of(listed, SHANGWU, "2025-02")
    url = reverse("dispatch:supervision_escalate", args=[red.pk])

    assert client_as("beichen_shangwu").post(url, {"level": "named"}).status_code == 403
    assert client_as("tianjin_leader").post(url, {"level": "named"}).status_code == 403
    assert client_as("beichen_gongxin").post(url, {"level": "named"}).status_code == 404
    red.refresh_from_db()
    assert red.level == "urged"


def test_the_office_runs_the_scan_from_the_page_and_others_may_not(beichen, client_as):
    url = reverse("dispatch:supervision_scan", args=[beichen.pk])

    assert client_as("beichen_shangwu").post(url).status_code == 403
    assert client_as("wuqing").post(url).status_code == 404
    assert client_as("beichen").post(url).status_code == 302


# --- the web: notifications -------------------------------------------------------------------


def test_a_person_sees_and_marks_read_only_their_own_notifications(listed, client_as):
    client = client_as("beichen_shangwu")
    mine = list(Notification.objects.filter(user__username="beichen_shangwu").order_by("pk"))
    theirs = Notification.objects.get(user__username="beichen_gongxin")

    html = client.get(reverse("dispatch:notification_list")).content.decode()
    assert [f'id="notification-{n.pk}"' in html for n in mine] == [True] * len(mine) == [True] * 3
    assert f'id="notification-{theirs.pk}"' not in html

    response = client.post(reverse("dispatch:notification_read", args=[mine[0].pk]), {"next": mine[0].url})
    assert response.status_code == 302 and response["Location"] == mine[0].url
    assert client.post(reverse("dispatch:notification_read", args=[theirs.pk])).status_code == 404
    mine[0].refresh_from_db()
    theirs.refresh_from_db()
    assert mine[0].read_at is not None and theirs.read_at is None

    client.post(reverse("dispatch:notifications_read_all"))
    assert Notification.objects.filter(user__username="beichen_shangwu", read_at__isnull=True).count() == 0
    assert Notification.objects.filter(user__username="beichen_gongxin", read_at__isnull=True).count() == 1


def test_the_context_processor_counts_unread_notifications(listed, user):
    request = RequestFactory().get("/")
    request.user = user("beichen_shangwu")
    assert notification_count(request) == {"unread_notifications": 3}
    Notification.objects.filter(user=request.user).update(read_at=timezone.now())
    assert notification_count(request) == {"unread_notifications": 0}
    request.user = user("wuqing")
    assert notification_count(request) == {"unread_notifications": 0}


# --- the API ----------------------------------------------------------------------------------


@pytest.fixture
def api(client_as):
    def login(username):
        client = client_as(username)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return login


def post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def api_rows(body):
    return sorted((r["period_label"], tuple(u["name"] for u in r["units"]), r["level"]) for r in body["results"])


def test_api_list_is_scoped_to_the_person(listed, api):
    url = f"/api/dispatch/plans/{listed.pk}/supervision/"
    everything = [
        ("2025-02", (SHANGWU,), "urged"),
        ("2025-03", (SHANGWU,), "due_soon"),
        ("2025-03", (GONGXIN,), "due_soon"),
    ]

    office = api("beichen").get(url).json()
    assert office["count"] == 3 and api_rows(office) == everything
    red = next(r for r in office["results"] if r["level"] == "urged")
    assert (red["rule"], red["next_level"], red["subject_type"]) == ("submission_due", "named", "unit")
    assert api_rows(api("tianjin_leader").get(url).json()) == everything
    assert api_rows(api("beichen_gongxin").get(url).json()) == [("2025-03", (GONGXIN,), "due_soon")]
    assert api_rows(api("beichen_shangwu").get(url, {"level": "urged"}).json()) == [("2025-02", (SHANGWU,), "urged")]
    assert api("wuqing").get(url).status_code == 404


def test_api_escalate_resolve_and_leader_for_the_office(listed, api, user):
    client = api("beichen")
    red = item_of(listed, SHANGWU, "2025-02")
    yellow = item_of(listed, SHANGWU, "2025-03")

    response = post(client, f"/api/dispatch/supervision/{red.pk}/escalate/", {"level": "named", "note": "通报"})
    assert response.status_code == 200
    assert (response.json()["level"], response.json()["next_level"]) == ("named", "supervised")

    skipped = post(client, f"/api/dispatch/supervision/{yellow.pk}/escalate/", {"level": "urged"})
    assert skipped.status_code == 400
    assert skipped.json() == {
        "level": ["An item at “due within 3 days (yellow)” cannot be escalated; only overdue items can."]
    }

    leader = user("tianjin_leader")
    response = post(client, f"/api/dispatch/supervision/{red.pk}/escalate-to-leader/", {"leader": leader.pk})
    assert response.status_code == 200 and response.json()["escalated_to"] == leader.pk
    assert (
        post(
            client, f"/api/dispatch/supervision/{red.pk}/escalate-to-leader/", {"leader": user("wuqing").pk}
        ).status_code
        == 400
    )

    response = post(client, f"/api/dispatch/supervision/{yellow.pk}/resolve/", {"note": "已补报"})
    assert response.status_code == 200 and response.json()["resolved_at"] is not None
    assert post(client, f"/api/dispatch/supervision/{yellow.pk}/resolve/", {"note": "again"}).status_code == 400


def test_api_writes_are_403_for_the_unit_and_a_leader_404_for_others(listed, api):
    red = item_of(listed, SHANGWU, "2025-02")
    for path, data in (
        (f"/api/dispatch/supervision/{red.pk}/escalate/", {"level": "named"}),
        (f"/api/dispatch/supervision/{red.pk}/resolve/", {"note": "x"}),
        (f"/api/dispatch/supervision/{red.pk}/escalate-to-leader/", {"leader": 1}),
    ):
        assert post(api("beichen_shangwu"), path, data).status_code == 403
        assert post(api("tianjin_leader"), path, data).status_code == 403
        assert post(api("beichen_gongxin"), path, data).status_code == 404
        assert post(api("wuqing"), path, data).status_code == 404
    assert post(api("beichen_shangwu"), f"/api/dispatch/plans/{listed.pk}/supervision/scan/").status_code == 403
    red.refresh_from_db()
    assert (red.level, red.resolved_at, red.escalated_to) == ("urged", None, None)


def test_api_scan_is_idempotent(beichen, api, emails, mailoutbox, django_capture_on_commit_callbacks):
    url = f"/api/dispatch/plans/{beichen.pk}/supervision/scan/"
    with django_capture_on_commit_callbacks(execute=True):
        first = post(api("beichen"), url, {"today": "2025-04-03"}).json()
    with django_capture_on_commit_callbacks(execute=True):
        second = post(api("beichen"), url, {"today": "2025-04-03"}).json()

    assert {k: first[k] for k in ("created", "raised", "resolved", "notifications", "open_items")} == {
        "created": 3,
        "raised": 0,
        "resolved": 0,
        "notifications": 3,
        "open_items": 3,
    }
    assert {k: second[k] for k in ("created", "notifications", "open_items")} == {
        "created": 0,
        "notifications": 0,
        "open_items": 3,
    }
    assert len(mailoutbox) == 2


def test_api_notifications_are_ones_own(listed, api):
    client = api("beichen_shangwu")
    body = client.get("/api/dispatch/notifications/", {"unread": "true"}).json()
    assert body["count"] == 3
    assert {(r["level"], r["plan"]) for r in body["results"]} == {
        ("overdue", listed.pk),
        ("due_soon", listed.pk),
        ("urged", listed.pk),
    }
    theirs = Notification.objects.get(user__username="beichen_gongxin")
    assert post(client, f"/api/dispatch/notifications/{theirs.pk}/read/").status_code == 404

    first = body["results"][0]["id"]
    assert post(client, f"/api/dispatch/notifications/{first}/read/").json()["read_at"] is not None
    assert client.get("/api/dispatch/notifications/", {"unread": "true"}).json()["count"] == 2
    assert post(client, "/api/dispatch/notifications/read-all/").json() == {"marked": 2}
    assert client.get("/api/dispatch/notifications/", {"unread": "true"}).json()["count"] == 0
