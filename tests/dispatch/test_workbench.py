"""The reporting calendar and the unit's report: periods, drafts, submission, review, history."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from liangxin.core.models import AuditEntry
from liangxin.dispatch import services
from liangxin.dispatch.enums import PeriodState, SubmissionState
from liangxin.dispatch.models import Period, Submission
from liangxin.dispatch.periods import period_spans
from liangxin.plans.models import Indicator, Task


def test_ten_day_periods_end_on_the_10th_20th_and_last_day():
    spans = period_spans("ten_days", 2024, 2024)
    assert len(spans) == 36
    february = [s for s in spans if s.start.month == 2]
    assert [(s.start.day, s.end.day) for s in february] == [(1, 10), (11, 20), (21, 29)]
    assert february[2].label == "2024-02下旬"


def test_quarters_and_months():
    assert [s.label for s in period_spans("quarter", 2025, 2025)] == ["2025Q1", "2025Q2", "2025Q3", "2025Q4"]
    months = period_spans("month", 2024, 2027)
    assert len(months) == 48 and months[-1].end == datetime.date(2027, 12, 31)


@pytest.fixture
def beichen(plan_of, user):
    plan = plan_of("北辰区")
    services.calendar_set(actor=user("beichen"), plan=plan, cadence="month", deadline_days=5)
    return plan


def test_a_monthly_calendar_generates_periods_with_their_due_dates(beichen):
    periods = list(Period.objects.filter(plan=beichen).order_by("start"))
    assert len(periods) == 48
    march = next(p for p in periods if p.label == "2025-03")
    assert (march.start, march.end, march.due) == (
        datetime.date(2025, 3, 1),
        datetime.date(2025, 3, 31),
        datetime.date(2025, 4, 5),
    )
    assert all(p.state == PeriodState.PLANNED for p in periods)
    assert AuditEntry.objects.filter(action="dispatch.calendar_set").count() == 1


def test_weights_that_do_not_add_up_are_refused(plan_of, user):
    with pytest.raises(ValidationError):
        services.calendar_set(
            actor=user("beichen"), plan=plan_of("北辰区"), weight_on_time=50, weight_indicators=50, weight_tasks=50
        )
    assert not Period.objects.filter(plan=plan_of("北辰区")).exists()


def test_changing_the_cadence_after_reports_exist_is_refused(beichen, user):
    services.periods_open_until(actor=user("beichen"), plan=beichen, today=datetime.date(2025, 3, 15))
    period = Period.objects.get(plan=beichen, label="2025-03")
    services.submission_open(actor=user("beichen_shangwu"), period=period, unit=user("beichen_shangwu").unit)
    with pytest.raises(services.DispatchError):
        services.calendar_set(actor=user("beichen"), plan=beichen, cadence="quarter")
    assert Period.objects.filter(plan=beichen).count() == 48


def _open(beichen, user, label="2025-03"):
    services.periods_open_until(actor=user("beichen"), plan=beichen, today=datetime.date(2025, 12, 31))
    return Period.objects.get(plan=beichen, label=label)


def _fill(submission):
    indicators = {
        e.indicator_id: {"value": Decimal("3"), "evidence": "台账"} for e in submission.indicator_entries.all()
    }
    tasks = {
        e.task_id: {"progress": "in_progress", "progress_note": "按计划推进"} for e in submission.task_entries.all()
    }
    return indicators, tasks


def test_a_unit_owes_its_indicators_and_the_tasks_it_leads_or_shares(beichen, user):
    unit = user("beichen_shangwu").unit
    submission = services.submission_open(actor=user("beichen_shangwu"), period=_open(beichen, user), unit=unit)
    indicator_names = set(submission.indicator_entries.values_list("indicator__name", flat=True))
    assert indicator_names == set(
        Indicator.objects.filter(plan=beichen, assignments__unit=unit).values_list("name", flat=True)
    )
    task_ids = set(submission.task_entries.values_list("task_id", flat=True))
    assert task_ids == set(Task.objects.filter(plan=beichen, assignments__unit=unit).values_list("pk", flat=True))
    assert "开展家电产品以旧换新" in set(submission.task_entries.values_list("task__title", flat=True))


def test_submit_return_resubmit_approve_keeps_every_version(beichen, user):
    reporter, office = user("beichen_shangwu"), user("beichen")
    period = _open(beichen, user)
    submission = services.submission_open(actor=reporter, period=period, unit=reporter.unit)
    with pytest.raises(services.DispatchError, match="Fill in|填写"):
        services.submission_submit(actor=reporter, submission=submission)  # nothing filled in yet
    indicators, tasks = _fill(submission)
    services.submission_save(actor=reporter, submission=submission, indicators=indicators, tasks=tasks)
    on_time = timezone.make_aware(datetime.datetime(2025, 4, 3, 10))
    services.submission_submit(actor=reporter, submission=submission, now=on_time)
    assert (submission.state, submission.version, submission.late) == (SubmissionState.SUBMITTED, 1, False)
    with pytest.raises(services.DispatchError):
        services.submission_save(actor=reporter, submission=submission, indicators=indicators)
    with pytest.raises(ValidationError):
        services.submission_review(actor=office, submission=submission, approve=False, comment="")
    services.submission_review(actor=office, submission=submission, approve=False, comment="补充证明材料")
    assert submission.state == SubmissionState.RETURNED
    services.submission_save(
        actor=reporter,
        submission=submission,
        indicators={next(iter(indicators)): {"value": Decimal("4"), "evidence": "补充了台账"}},
    )
    late = timezone.make_aware(datetime.datetime(2025, 4, 9, 10))
    services.submission_submit(actor=reporter, submission=submission, now=late)
    assert (submission.version, submission.late) == (2, True)
    services.submission_review(actor=office, submission=submission, approve=True)
    states = list(submission.versions.order_by("at", "id").values_list("version", "state", "comment"))
    assert states == [(1, "submitted", ""), (1, "returned", "补充证明材料"), (2, "submitted", ""), (2, "approved", "")]
    first, third = submission.versions.order_by("at", "id")[0], submission.versions.order_by("at", "id")[2]
    assert first.snapshot["indicators"][0]["value"] == "3.000000"
    assert third.snapshot["indicators"][0]["value"] == "4.000000"


def test_a_closed_period_takes_no_report(beichen, user):
    period = Period.objects.get(plan=beichen, label="2025-03")
    with pytest.raises(services.DispatchError):
        services.submission_open(actor=user("beichen_shangwu"), period=period, unit=user("beichen_shangwu").unit)


def test_a_unit_cannot_report_on_another_units_items(beichen, user):
    reporter = user("beichen_shangwu")
    submission = services.submission_open(actor=reporter, period=_open(beichen, user), unit=reporter.unit)
    other = Indicator.objects.filter(plan=beichen).exclude(assignments__unit=reporter.unit).first()
    with pytest.raises(services.DispatchError):
        services.submission_save(actor=reporter, submission=submission, indicators={other.pk: {"value": 1}})


# --- web and API -------------------------------------------------------------------------------


def test_the_reporter_fills_in_and_submits_through_the_web(beichen, user, client_as):
    period = _open(beichen, user)
    client = client_as("beichen_shangwu")
    page = client.get(reverse("dispatch:report", args=[period.pk]))
    assert page.status_code == 200
    submission = Submission.objects.get(period=period, unit__name="区商务局")
    data = {"action": "submit"}
    for e in submission.indicator_entries.all():
        data[f"ind-{e.indicator_id}-value"] = "12.5"
        data[f"ind-{e.indicator_id}-evidence"] = "数据来自商务部门统计"
    for e in submission.task_entries.all():
        data[f"task-{e.task_id}-progress"] = "in_progress"
        data[f"task-{e.task_id}-progress_note"] = "已召开推进会"
    response = client.post(reverse("dispatch:report", args=[period.pk]), data)
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == "submitted"
    assert set(submission.indicator_entries.values_list("value", flat=True)) == {Decimal("12.5")}


def test_a_bad_number_is_refused_and_nothing_is_saved(beichen, user, client_as):
    period = _open(beichen, user)
    client = client_as("beichen_shangwu")
    client.get(reverse("dispatch:report", args=[period.pk]))
    submission = Submission.objects.get(period=period, unit__name="区商务局")
    entry = submission.indicator_entries.first()
    response = client.post(
        reverse("dispatch:report", args=[period.pk]), {"action": "save", f"ind-{entry.indicator_id}-value": "很多"}
    )
    assert response.status_code == 200 and response.context["form"].errors
    entry.refresh_from_db()
    assert entry.value is None


def test_only_the_office_reviews_and_a_leader_only_reads(beichen, user, client_as):
    reporter = user("beichen_shangwu")
    submission = services.submission_open(actor=reporter, period=_open(beichen, user), unit=reporter.unit)
    indicators, tasks = _fill(submission)
    services.submission_save(actor=reporter, submission=submission, indicators=indicators, tasks=tasks)
    services.submission_submit(actor=reporter, submission=submission)
    url = reverse("dispatch:submission", args=[submission.pk])
    for username in ("beichen_shangwu", "tianjin_leader"):
        assert client_as(username).post(url, {"action": "approve"}).status_code == 403
    assert client_as("wuqing").get(url).status_code == 404
    assert client_as("beichen_gongxin").get(url).status_code == 403
    api = reverse("api:dispatch-submission-review", args=[submission.pk])
    assert client_as("tianjin_leader").post(api, {"approve": True}, content_type="application/json").status_code == 403
    ok = client_as("beichen").post(api, {"approve": True}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["state"] == "approved"


def test_the_api_report_of_a_unit(beichen, user, client_as):
    period = _open(beichen, user)
    url = reverse("api:dispatch-my-submission", args=[period.pk])
    client = client_as("beichen_shangwu")
    body = client.get(url).json()
    assert body["state"] == "draft" and body["unit"] == "区商务局"
    payload = {
        "indicators": [{"indicator": i["indicator"], "value": "7", "evidence": "统计"} for i in body["indicators"]],
        "tasks": [{"task": t["task"], "progress": "done", "progress_note": "完成"} for t in body["tasks"]],
        "submit": True,
    }
    sent = client.put(url, payload, content_type="application/json")
    assert sent.status_code == 200 and sent.json()["state"] == "submitted"
    assert client_as("beichen").get(url).status_code == 403  # the office does not report for a unit
    other = Indicator.objects.filter(plan=beichen).exclude(assignments__unit__name="区商务局").first()
    bad = client_as("beichen_shangwu").put(
        url, {"indicators": [{"indicator": other.pk, "value": "1"}]}, content_type="application/json"
    )
    assert bad.status_code == 400


def test_the_office_sets_the_calendar_over_the_api_and_a_reporter_cannot(plan_of, client_as):
    plan = plan_of("武清区")
    url = reverse("api:dispatch-calendar", args=[plan.pk])
    body = {
        "cadence": "ten_days",
        "deadline_days": 3,
        "first_year": 2024,
        "last_year": 2024,
        "normal_pct": "95",
        "warning_pct": "80",
        "approx_tolerance_pct": "5",
        "weight_on_time": 30,
        "weight_indicators": 50,
        "weight_tasks": 20,
    }
    assert client_as("wuqing_shangwu").put(url, body, content_type="application/json").status_code == 403
    response = client_as("wuqing").put(url, body, content_type="application/json")
    assert response.status_code == 200
    assert Period.objects.filter(plan=plan).count() == 36
    assert client_as("beichen").get(url).status_code == 404


SEASONAL = ["0.02", "0.04", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1"]


def test_a_unit_gives_its_own_indicator_a_seasonal_curve_but_not_another_units(beichen, client_as):
    own = Indicator.objects.get(plan=beichen, assignments__unit__name="区商务局", name__startswith="再生资源回收点")
    other = Indicator.objects.filter(plan=beichen).exclude(assignments__unit__name="区商务局").first()
    client = client_as("beichen_shangwu")
    url = reverse("api:dispatch-indicator-trajectory", args=[own.pk])
    created = client.post(
        url,
        {"curve": "custom", "monthly_shares": SEASONAL, "reason": "回收旺季在下半年"},
        content_type="application/json",
    )
    assert created.status_code == 201
    assert (created.json()["version"], created.json()["curve"], created.json()["created_by"]) == (
        2,
        "custom",
        "beichen_shangwu",
    )
    assert [v["version"] for v in client.get(url).json()] == [2, 1]
    refused = client.post(
        reverse("api:dispatch-indicator-trajectory", args=[other.pk]),
        {"curve": "stepwise", "reason": "x"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    bad = client.post(
        url, {"curve": "custom", "monthly_shares": SEASONAL[::-1], "reason": "倒序"}, content_type="application/json"
    )
    assert bad.status_code == 400 and own.trajectories.count() == 2
    web = client.post(
        reverse("dispatch:profiles", args=[beichen.pk]),
        {
            "indicator": own.pk,
            "action": "trajectory",
            f"t{own.pk}-curve": "stepwise",
            f"t{own.pk}-reason": "年底集中验收",
        },
    )
    assert web.status_code == 302 and own.trajectories.order_by("-version").first().curve == "stepwise"
    profile = client.post(
        reverse("dispatch:profiles", args=[beichen.pk]),
        {"indicator": own.pk, "action": "profile", f"p{own.pk}-kind": "flow"},
    )
    assert profile.status_code == 403


def test_only_the_office_changes_how_an_indicator_is_measured(beichen, client_as):
    indicator = Indicator.objects.get(plan=beichen, seq=1)
    url = reverse("api:dispatch-indicator-profile", args=[indicator.pk])
    assert client_as("tianjin_leader").patch(url, {"kind": "flow"}, content_type="application/json").status_code == 403
    assert client_as("beichen_gongxin").patch(url, {"kind": "flow"}, content_type="application/json").status_code == 403
    ok = client_as("beichen").patch(url, {"kind": "flow"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["kind"] == "flow"
    assert client_as("wuqing").get(url).status_code == 404
