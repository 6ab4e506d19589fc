"""The problem list (问题清单): a unit raises, the office assigns a unit to coordinate, that unit
reports progress, the office resolves; who sees and does what, on the web and the API."""

import json
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from liangxin.core.enums import Role
from liangxin.core.models import AuditEntry, Unit, User
from liangxin.dispatch.models import Notification, Problem
from liangxin.dispatch.selectors_supervision import open_problems, problems_for
from liangxin.dispatch.services.problems import problem_assign, problem_progress, problem_raise, problem_resolve
from liangxin.plans.models import Task

pytestmark = pytest.mark.django_db

APPLIANCES = "开展家电产品以旧换新"  # 北辰区 task 7: lead 区商务局, with 区工信局 among others
INDUSTRY = "推动工业领域设备更新和技术改造"  # 北辰区 task 1: lead 区工信局; 区商务局 has no part


def task(title) -> Task:
    return Task.objects.get(plan__jurisdiction__name="北辰区", title=title)


def unit(name, district="北辰区") -> Unit:
    return Unit.objects.get(jurisdiction__name=district, name=name)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def run(fn, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(**kwargs)

    return run


@pytest.fixture
def zhujian(user):
    """A reporter of 区住建委: a colleague of a unit not involved in the problem."""
    beichen = user("beichen").jurisdiction
    return User.objects.create_user(
        "beichen_zhujian", role=Role.REPORTER, jurisdiction=beichen, unit=unit("区住建委"), email="zj@example.cn"
    )


@pytest.fixture
def raised(plan_of, user):
    """区商务局 needs land for a recycling yard under the appliance trade-in task."""
    return problem_raise(
        actor=user("beichen_shangwu"),
        plan=plan_of("北辰区"),
        task=task(APPLIANCES),
        category="land",
        title="回收分拣中心用地未落实",
        description="拟建分拣中心选址需调整用地性质",
    )


@pytest.fixture
def assigned(raised, user):
    return problem_assign(actor=user("beichen"), problem=raised, unit=unit("区工信局"))


# --- the services -----------------------------------------------------------------------------


def test_a_reporter_raises_a_problem_on_its_units_task(raised, user):
    assert (raised.state, raised.raised_by_unit.name, raised.raised_by.username, raised.category) == (
        "open",
        "区商务局",
        "beichen_shangwu",
        "land",
    )
    assert raised.task == task(APPLIANCES) and raised.assigned_unit is None
    entry = AuditEntry.objects.get(action="problem.raise", object_id=str(raised.pk))
    assert entry.actor.username == "beichen_shangwu" and entry.after["state"] == "open"


def test_a_reporter_cannot_raise_a_problem_on_another_units_task(plan_of, user):
    with pytest.raises(ValidationError) as refused:
        problem_raise(
            actor=user("beichen_shangwu"), plan=plan_of("北辰区"), task=task(INDUSTRY), category="funds", title="缺资金"
        )
    assert "task" in refused.value.message_dict
    assert not Problem.objects.exists()


@pytest.mark.parametrize("username", ["beichen", "tianjin_leader", "wuqing"])
def test_only_unit_reporters_of_the_jurisdiction_raise_problems(plan_of, user, username):
    with pytest.raises(PermissionDenied):
        problem_raise(
            actor=user(username), plan=plan_of("北辰区"), task=task(APPLIANCES), category="funds", title="缺资金"
        )


def test_the_office_assigns_a_unit_of_the_jurisdiction_whose_reporters_are_told(raised, user, committed, mailoutbox):
    User.objects.filter(username="beichen_gongxin").update(email="gongxin@beichen.example.cn")

    problem = committed(problem_assign, actor=user("beichen"), problem=raised, unit=unit("区工信局"))

    assert (problem.state, problem.assigned_unit.name) == ("assigned", "区工信局")
    assert problem.assigned_at is not None
    [note] = Notification.objects.filter(user__username="beichen_gongxin")
    assert note.item is None and note.url == reverse("dispatch:problem_detail", args=[raised.pk])
    assert "回收分拣中心用地未落实" in note.text
    assert [m.to for m in mailoutbox] == [["gongxin@beichen.example.cn"]]
    entry = AuditEntry.objects.get(action="problem.assign", object_id=str(raised.pk))
    assert (entry.before["state"], entry.after["state"], entry.after["assigned_unit_id"]) == (
        "open",
        "assigned",
        unit("区工信局").pk,
    )


def test_a_unit_of_another_jurisdiction_cannot_coordinate(raised, user):
    with pytest.raises(ValidationError) as refused:
        problem_assign(actor=user("beichen"), problem=raised, unit=unit("区工业和信息化局", "武清区"))
    assert "unit" in refused.value.message_dict
    raised.refresh_from_db()
    assert (raised.state, raised.assigned_unit) == ("open", None)


@pytest.mark.parametrize("username", ["beichen_shangwu", "tianjin_leader", "wuqing"])
def test_only_the_office_assigns_and_resolves(raised, user, username):
    with pytest.raises(PermissionDenied):
        problem_assign(actor=user(username), problem=raised, unit=unit("区工信局"))
    with pytest.raises(PermissionDenied):
        problem_resolve(actor=user(username), problem=raised, resolution="已解决")
    raised.refresh_from_db()
    assert raised.state == "open"


def test_only_the_coordinating_unit_reports_progress_while_it_coordinates(assigned, raised, user, zhujian):
    for outsider in (user("beichen_shangwu"), zhujian, user("beichen")):
        with pytest.raises(PermissionDenied):
            problem_progress(actor=outsider, problem=assigned, progress="进展")

    problem = problem_progress(actor=user("beichen_gongxin"), problem=assigned, progress="已与规划部门对接")

    assert (problem.state, problem.resolution) == ("assigned", "已与规划部门对接")
    assert AuditEntry.objects.filter(action="problem.progress", object_id=str(raised.pk)).count() == 1
    with pytest.raises(ValidationError):
        problem_progress(actor=user("beichen_gongxin"), problem=assigned, progress="  ")


def test_the_office_resolves_with_a_resolution_and_the_raising_unit_is_told(assigned, user, committed, mailoutbox):
    User.objects.filter(username="beichen_shangwu").update(email="shangwu@beichen.example.cn")
    with pytest.raises(ValidationError):
        problem_resolve(actor=user("beichen"), problem=assigned, resolution="")

    problem = committed(problem_resolve, actor=user("beichen"), problem=assigned, resolution="用地已调整到位")

    assert (problem.state, problem.resolution) == ("resolved", "用地已调整到位")
    assert problem.resolved_at is not None
    assert [m.to for m in mailoutbox] == [["shangwu@beichen.example.cn"]]
    assert Notification.objects.filter(user__username="beichen_shangwu", text__contains="用地未落实").count() == 1
    with pytest.raises(ValidationError):
        problem_resolve(actor=user("beichen"), problem=problem, resolution="again")
    with pytest.raises(ValidationError):
        problem_assign(actor=user("beichen"), problem=problem, unit=unit("区发改委"))
    with pytest.raises(ValidationError):
        problem_progress(actor=user("beichen_gongxin"), problem=problem, progress="more")


def test_who_sees_a_problem(assigned, plan_of, user, zhujian):
    plan = plan_of("北辰区")
    seen = {
        username: list(problems_for(user(username), plan).values_list("pk", flat=True))
        for username in ("beichen", "tianjin_leader", "beichen_shangwu", "beichen_gongxin", "wuqing")
    }
    assert seen == {
        "beichen": [assigned.pk],
        "tianjin_leader": [assigned.pk],
        "beichen_shangwu": [assigned.pk],
        "beichen_gongxin": [assigned.pk],
        "wuqing": [],
    }
    assert list(problems_for(zhujian, plan)) == []


def test_open_problems_leaves_out_resolved_ones(assigned, plan_of, user):
    plan = plan_of("北辰区")
    second = problem_raise(
        actor=user("beichen_gongxin"), plan=plan, task=task(INDUSTRY), category="funds", title="技改资金缺口"
    )
    assert [p.pk for p in open_problems(plan)] == [assigned.pk, second.pk]

    problem_resolve(actor=user("beichen"), problem=assigned, resolution="已解决")

    assert [p.pk for p in open_problems(plan)] == [second.pk]


# --- the web ----------------------------------------------------------------------------------


def listed_ids(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr id="problem-(\d+)"', response.content.decode())]


def test_a_reporter_raises_a_problem_in_the_browser(plan_of, client_as):
    plan = plan_of("北辰区")
    client = client_as("beichen_shangwu")
    form = client.get(reverse("dispatch:problem_create", args=[plan.pk])).content.decode()
    assert APPLIANCES in form and INDUSTRY not in form  # only its unit's tasks are offered

    response = client.post(
        reverse("dispatch:problem_create", args=[plan.pk]),
        {"task": task(APPLIANCES).pk, "category": "approval", "title": "环评审批慢", "description": "等待中"},
    )

    problem = Problem.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("dispatch:problem_detail", args=[problem.pk])
    assert (problem.title, problem.category, problem.state, problem.raised_by_unit.name) == (
        "环评审批慢",
        "approval",
        "open",
        "区商务局",
    )


def test_a_problem_on_another_units_task_is_refused_in_the_browser(plan_of, client_as):
    plan = plan_of("北辰区")
    response = client_as("beichen_shangwu").post(
        reverse("dispatch:problem_create", args=[plan.pk]),
        {"task": task(INDUSTRY).pk, "category": "funds", "title": "缺资金"},
    )
    assert response.status_code == 200 and not Problem.objects.exists()


@pytest.mark.parametrize(("username", "status"), [("beichen", 403), ("tianjin_leader", 403), ("wuqing", 404)])
def test_the_raise_page_is_for_reporters_only(plan_of, client_as, username, status):
    url = reverse("dispatch:problem_create", args=[plan_of("北辰区").pk])
    assert client_as(username).get(url).status_code == status


def test_the_list_page_shows_each_person_what_they_may_see(assigned, plan_of, client_as, zhujian, client):
    plan = plan_of("北辰区")
    url = reverse("dispatch:problem_list", args=[plan.pk])
    for username in ("beichen", "tianjin_leader", "beichen_shangwu", "beichen_gongxin"):
        assert listed_ids(client_as(username).get(url)) == [assigned.pk]
    client.force_login(zhujian)
    assert listed_ids(client.get(url)) == []
    assert client.get(reverse("dispatch:problem_detail", args=[assigned.pk])).status_code == 404
    assert client_as("wuqing").get(url).status_code == 404
    assert client_as("wuqing").get(reverse("dispatch:problem_detail", args=[assigned.pk])).status_code == 404


def test_the_list_filters_by_state_and_unit(assigned, plan_of, user, client_as):
    plan = plan_of("北辰区")
    second = problem_raise(
        actor=user("beichen_gongxin"), plan=plan, task=task(INDUSTRY), category="funds", title="技改资金缺口"
    )
    client = client_as("beichen")
    url = reverse("dispatch:problem_list", args=[plan.pk])

    assert listed_ids(client.get(url)) == [second.pk, assigned.pk]
    assert listed_ids(client.get(url, {"state": "open"})) == [second.pk]
    assert listed_ids(client.get(url, {"state": "assigned"})) == [assigned.pk]
    assert listed_ids(client.get(url, {"unit": unit("区商务局").pk})) == [assigned.pk]
    assert listed_ids(client.get(url, {"unit": unit("区工信局").pk})) == [second.pk, assigned.pk]


def test_the_office_assigns_and_resolves_and_the_coordinator_reports_progress_in_the_browser(raised, client_as):
    office = client_as("beichen")
    detail = office.get(reverse("dispatch:problem_detail", args=[raised.pk])).content.decode()
    assert reverse("dispatch:problem_assign", args=[raised.pk]) in detail

    office.post(reverse("dispatch:problem_assign", args=[raised.pk]), {"unit": unit("区工信局").pk})
    coordinator = client_as("beichen_gongxin")
    page = coordinator.get(reverse("dispatch:problem_detail", args=[raised.pk])).content.decode()
    assert reverse("dispatch:problem_progress", args=[raised.pk]) in page
    assert reverse("dispatch:problem_resolve", args=[raised.pk]) not in page
    coordinator.post(reverse("dispatch:problem_progress", args=[raised.pk]), {"progress": "已协调规划资源局"})
    raised.refresh_from_db()
    assert (raised.state, raised.resolution) == ("assigned", "已协调规划资源局")

    client_as("beichen").post(reverse("dispatch:problem_resolve", args=[raised.pk]), {"resolution": "用地已落实"})
    raised.refresh_from_db()
    assert (raised.state, raised.resolution) == ("resolved", "用地已落实")


def test_in_the_browser_the_raiser_and_a_leader_get_403_for_office_steps(raised, client_as):
    for username in ("beichen_shangwu", "tianjin_leader"):
        client = client_as(username)
        assign = client.post(reverse("dispatch:problem_assign", args=[raised.pk]), {"unit": unit("区工信局").pk})
        resolve = client.post(reverse("dispatch:problem_resolve", args=[raised.pk]), {"resolution": "x"})
        progress = client.post(reverse("dispatch:problem_progress", args=[raised.pk]), {"progress": "x"})
        assert (assign.status_code, resolve.status_code, progress.status_code) == (403, 403, 403)
    raised.refresh_from_db()
    assert (raised.state, raised.resolution) == ("open", "")


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


def test_api_the_whole_flow(plan_of, api):
    plan = plan_of("北辰区")
    response = post(
        api("beichen_shangwu"),
        f"/api/dispatch/plans/{plan.pk}/problems/raise/",
        {"task": task(APPLIANCES).pk, "category": "funds", "title": "以旧换新补贴资金不足"},
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["state"], body["raised_by_unit_name"], body["task_title"], body["assigned_unit"]) == (
        "open",
        "区商务局",
        APPLIANCES,
        None,
    )
    pk = body["id"]

    response = post(api("beichen"), f"/api/dispatch/problems/{pk}/assign/", {"unit": unit("区财政局").pk})
    assert (response.status_code, response.json()["state"], response.json()["assigned_unit_name"]) == (
        200,
        "assigned",
        "区财政局",
    )
    # 区财政局 has no reporter in the demo; the office gives it to 区工信局 instead.
    post(api("beichen"), f"/api/dispatch/problems/{pk}/assign/", {"unit": unit("区工信局").pk})
    response = post(api("beichen_gongxin"), f"/api/dispatch/problems/{pk}/progress/", {"progress": "已申请市级资金"})
    assert (response.status_code, response.json()["resolution"]) == (200, "已申请市级资金")
    response = post(api("beichen"), f"/api/dispatch/problems/{pk}/resolve/", {"resolution": "市级资金已到位"})
    assert (response.status_code, response.json()["state"], response.json()["resolution"]) == (
        200,
        "resolved",
        "市级资金已到位",
    )
    assert list(
        AuditEntry.objects.filter(object_type="dispatch.problem", object_id=str(pk))
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["problem.raise", "problem.assign", "problem.assign", "problem.progress", "problem.resolve"]


def test_api_list_scoping_and_filters(assigned, plan_of, api, zhujian, client):
    plan = plan_of("北辰区")
    url = f"/api/dispatch/plans/{plan.pk}/problems/"
    for username in ("beichen", "tianjin_leader", "beichen_shangwu", "beichen_gongxin"):
        assert [r["id"] for r in api(username).get(url).json()["results"]] == [assigned.pk]
    assert api("beichen").get(url, {"state": "resolved"}).json()["count"] == 0
    assert api("beichen").get(url, {"unit": unit("区住建委").pk}).json()["count"] == 0
    assert api("wuqing").get(url).status_code == 404
    assert api("wuqing").get(f"/api/dispatch/problems/{assigned.pk}/").status_code == 404
    client.force_login(zhujian)
    assert client.get(url).json()["count"] == 0
    assert client.get(f"/api/dispatch/problems/{assigned.pk}/").status_code == 404
    assert (
        api("beichen_shangwu").get(f"/api/dispatch/problems/{assigned.pk}/").json()["title"] == "回收分拣中心用地未落实"
    )


def test_api_writes_are_refused_to_those_who_may_not_make_them(assigned, plan_of, api):
    plan = plan_of("北辰区")
    pk = assigned.pk
    for username in ("beichen_shangwu", "tianjin_leader", "beichen_gongxin"):
        assert post(api(username), f"/api/dispatch/problems/{pk}/assign/", {"unit": 1}).status_code == 403
        assert post(api(username), f"/api/dispatch/problems/{pk}/resolve/", {"resolution": "x"}).status_code == 403
    assert post(api("beichen_shangwu"), f"/api/dispatch/problems/{pk}/progress/", {"progress": "x"}).status_code == 403
    assert post(api("tianjin_leader"), f"/api/dispatch/problems/{pk}/progress/", {"progress": "x"}).status_code == 403
    assert post(api("wuqing"), f"/api/dispatch/problems/{pk}/resolve/", {"resolution": "x"}).status_code == 404
    raise_url = f"/api/dispatch/plans/{plan.pk}/problems/raise/"
    data = {"task": task(APPLIANCES).pk, "category": "funds", "title": "x"}
    assert post(api("beichen"), raise_url, data).status_code == 403
    assert post(api("tianjin_leader"), raise_url, data).status_code == 403
    assert post(api("wuqing"), raise_url, data).status_code == 404
    wrong_task = post(api("beichen_shangwu"), raise_url, {**data, "task": task(INDUSTRY).pk})
    assert wrong_task.status_code == 400
    assert wrong_task.json() == {"task": ["Choose a task of this plan that your unit leads or shares."]}
    other_unit = post(api("beichen"), f"/api/dispatch/problems/{pk}/assign/", {"unit": unit("区商务局", "武清区").pk})
    assert other_unit.status_code == 400 and list(other_unit.json()) == ["unit"]
    assigned.refresh_from_db()
    assert (assigned.state, assigned.assigned_unit.name, assigned.resolution) == ("assigned", "区工信局", "")
