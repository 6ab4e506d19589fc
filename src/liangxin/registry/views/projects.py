"""The project pipeline beyond the list: the project page with its prerequisites and stage history,
stage moves, screening a batch against criteria, and the totals by domain, stage and channel."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from openpyxl.styles import Font

from liangxin.core.services import DomainError

from .. import rules, selectors, services
from ..enums import PrerequisiteKind, ProjectDomain, ProjectStage
from ..forms import MoveForm, PrerequisiteForm
from ..models import Project, ScreeningRun
from .common import list_reader, xlsx_response
from .lists import CONFIGS, filtered


def _project(request, pk) -> Project:
    project = selectors.projects_visible_to(request.user).filter(pk=pk).first()
    if project is None:
        raise Http404(_("Not found, or not yours to see."))
    return project


def project_context(request, project) -> dict:
    editable = rules.can_edit_project(request.user, project)
    prerequisites = {p.kind: p for p in project.prerequisites.all()}
    return {
        "prerequisites": [(kind, label, prerequisites.get(kind)) for kind, label in PrerequisiteKind.choices],
        "history": project.stage_changes.select_related("actor").order_by("at", "id"),
        "move_form": MoveForm(allowed=services.allowed_moves(project)) if editable else None,
        "prereq_form": PrerequisiteForm() if editable else None,
        "channels": [label for value, label in _channel_choices() if value in (project.channels or [])],
    }


def _channel_choices():
    from ..enums import FundingChannel

    return FundingChannel.choices


CONFIGS["projects"].extra_context = project_context


@list_reader
@require_POST
def project_move(request, pk):
    project = _project(request, pk)
    if not rules.can_edit_project(request.user, project):
        raise PermissionDenied(_("You may read this project but not move it."))
    form = MoveForm(request.POST, allowed=services.allowed_moves(project))
    if not form.is_valid():
        messages.error(request, _("Choose a stage the project can move to and say why."))
        return redirect("registry:projects_detail", pk=pk)
    try:
        services.project_move(actor=request.user, project=project, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("The project moved to “%(stage)s”.") % {"stage": ProjectStage(form.cleaned_data["to_stage"]).label},
        )
    return redirect("registry:projects_detail", pk=pk)


@list_reader
@require_POST
def project_prerequisite(request, pk):
    project = _project(request, pk)
    if not rules.can_edit_project(request.user, project):
        raise PermissionDenied(_("You may read this project but not change it."))
    form = PrerequisiteForm(request.POST)
    if form.is_valid():
        try:
            services.project_prerequisite_set(actor=request.user, project=project, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Check the prerequisite's state, number and date."))
    return redirect("registry:projects_detail", pk=pk)


# --- screening ----------------------------------------------------------------------------------


def _criteria(request, pk):
    criteria = selectors.criteria_visible_to(request.user).filter(pk=pk).first()
    if criteria is None:
        raise Http404(_("Not found, or not yours to see."))
    return criteria


@list_reader
def screening(request, pk):
    """The projects of the criteria's jurisdiction (filtered like the project list) screened against it."""
    criteria = _criteria(request, pk)
    if not rules.can_screen_projects(request.user, criteria.jurisdiction):
        raise PermissionDenied(_("Only the office screens projects."))
    projects, state = filtered(CONFIGS["projects"], request)
    projects = projects.filter(jurisdiction=criteria.jurisdiction)
    if request.method == "POST":
        run = services.screening_run(actor=request.user, criteria=criteria, projects=projects)
        messages.success(request, _("The screening was saved."))
        return redirect("registry:screening_run", pk=run.pk)
    results = services.screen(criteria, projects)
    return render(
        request,
        "registry/screening.html",
        {
            "criteria": criteria,
            "results": _labelled(results),
            "filters": state,
            "q": request.GET.get("q", ""),
            "query": request.GET.urlencode(),
            "runs": criteria.runs.select_related("actor")[:10],
        },
    )


def _labelled(results):
    for row in results:
        row["domain_label"] = ProjectDomain(row["domain"]).label
        row["stage_label"] = ProjectStage(row["stage"]).label
    return results


@list_reader
def screening_run(request, pk):
    run = ScreeningRun.objects.select_related("criteria__jurisdiction", "actor").filter(pk=pk).first()
    if run is None or not rules.can_view_lists(request.user, run.criteria.jurisdiction):
        raise Http404(_("Not found, or not yours to see."))
    if request.GET.get("format") == "xlsx":
        return xlsx_response(screening_xlsx(run.criteria, run.results), f"项目筛选-{run.criteria.name}")
    return render(
        request,
        "registry/screening.html",
        {"criteria": run.criteria, "results": _labelled(run.results), "run": run, "filters": [], "runs": []},
    )


@list_reader
def screening_export(request, pk):
    criteria = _criteria(request, pk)
    if not rules.can_screen_projects(request.user, criteria.jurisdiction):
        raise PermissionDenied(_("Only the office screens projects."))
    projects, _state = filtered(CONFIGS["projects"], request)
    results = services.screen(criteria, projects.filter(jurisdiction=criteria.jurisdiction))
    return xlsx_response(screening_xlsx(criteria, results), f"项目筛选-{criteria.name}")


def screening_xlsx(criteria, results) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = "筛选结果"
    ws.append([criteria.name])
    ws.append(["序号", "项目名称", "项目单位", "领域", "阶段", "总投资（万元）", "结论", "原因"])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for number, row in enumerate(results, start=1):
        reasons = "；".join(("✓ " if c["ok"] else "✗ ") + c["text"] for c in row["reasons"])
        ws.append(
            [
                number,
                row["name"],
                row["owner"],
                str(ProjectDomain(row["domain"]).label),
                str(ProjectStage(row["stage"]).label),
                float(row["total_investment_wan"]),
                "符合" if row["passed"] else "不符合",
                reasons,
            ]
        )
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["H"].width = 90
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- totals -------------------------------------------------------------------------------------


@list_reader
def totals(request):
    projects, state = filtered(CONFIGS["projects"], request)
    data = selectors.project_totals(projects)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(totals_xlsx(data), "项目投资汇总")
    return render(
        request,
        "registry/totals.html",
        {"totals": data, "filters": state, "q": request.GET.get("q", ""), "query": request.GET.urlencode()},
    )


def totals_xlsx(data) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = "项目投资汇总"
    for title, key in (("按领域", "domain"), ("按阶段", "stage"), ("按资金渠道", "channel")):
        ws.append([title])
        ws.append(["分类", "项目数", "总投资（万元）", "设备投资（万元）"])
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
        for row in data[key]:
            ws.append([str(row["label"]), row["count"], row["total"], row["equipment"]])
        ws.append([])
    ws.append(["合计", data["all"]["count"], data["all"]["total"], data["all"]["equipment"]])
    ws.column_dimensions["A"].width = 24
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


urlpatterns = [
    path("projects/<int:pk>/move/", project_move, name="project_move"),
    path("projects/<int:pk>/prerequisite/", project_prerequisite, name="project_prerequisite"),
    path("projects/totals/", totals, name="project_totals"),
    path("criteria/<int:pk>/screen/", screening, name="screening"),
    path("criteria/<int:pk>/screen/export.xlsx", screening_export, name="screening_export"),
    path("screenings/<int:pk>/", screening_run, name="screening_run"),
]
