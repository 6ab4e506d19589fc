from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liangxin.core.files import upload_limit_text, upload_too_large
from liangxin.core.models import Unit
from liangxin.core.selectors import jurisdictions_managed_by
from liangxin.plans.enums import Basis, Comparator
from liangxin.plans.models import Plan

from . import services
from .enums import DraftStatus, UnitAction
from .errors import ImportProblem
from .forms import UploadForm
from .selectors import draft_diff, draft_unit_rows, drafts_managed_by, utf16_spans


def _managed(request):
    jurisdictions = jurisdictions_managed_by(request.user)
    if not jurisdictions.exists():
        raise PermissionDenied(_("Only the task force office imports plans."))
    return jurisdictions


@login_required
def draft_list(request):
    jurisdictions = _managed(request)
    plans = Plan.objects.filter(jurisdiction__in=jurisdictions).order_by("jurisdiction__tree_path", "id")
    initial = {"revises": request.GET.get("revises")} if request.GET.get("revises") else None
    form = UploadForm(
        request.POST or None, request.FILES or None, jurisdictions=jurisdictions, plans=plans, initial=initial
    )
    if request.method == "POST":
        if upload_too_large(request):
            form.add_error(
                "file",
                _(
                    "The file is larger than the %(limit)s limit. A plan document is far smaller; "
                    "remove scanned images or upload the text."
                )
                % {"limit": upload_limit_text()},
            )
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                draft = services.draft_create(
                    actor=request.user,
                    jurisdiction=form.cleaned_data["jurisdiction"],
                    filename=upload.name,
                    data=upload.read(),
                    revises=form.cleaned_data["revises"],
                )
            except ImportProblem as exc:
                form.add_error("file", str(exc))
            else:
                messages.success(request, _("The document was read. Check what was understood, then publish."))
                return redirect(draft)
    drafts = drafts_managed_by(request.user)[:100]
    return render(request, "imports/draft_list.html", {"form": form, "drafts": drafts})


def _draft(request, pk):
    _managed(request)
    return get_object_or_404(drafts_managed_by(request.user), pk=pk)


def _years(document):
    return sorted({m["year"] for i in document["indicators"] for m in i["milestones"] if m["year"]})


@login_required
def draft_review(request, pk):
    draft = _draft(request, pk)
    document = draft.document
    years = _years(document)
    indicators = []
    for index, row in enumerate(document["indicators"]):
        by_year = {m["year"]: (k, m) for k, m in enumerate(row["milestones"])}
        indicators.append({"index": index, "row": row, "cells": [by_year.get(y) for y in years]})
    return render(
        request,
        "imports/draft_review.html",
        {
            "draft": draft,
            "doc": document,
            "years": years,
            "indicators": indicators,
            "spans": utf16_spans(draft),
            "unit_rows": draft_unit_rows(draft),
            "units_of_jurisdiction": Unit.objects.filter(jurisdiction=draft.jurisdiction).order_by("name"),
            "changes": draft_diff(draft),
            "open": draft.status == DraftStatus.DRAFT,
            "comparators": Comparator.choices,
            "bases": Basis.choices,
        },
    )


def _act(request, draft, service, **kwargs):
    try:
        return service(actor=request.user, draft=draft, **kwargs)
    except ImportProblem as exc:
        messages.error(request, str(exc))
        return None


@login_required
@require_POST
def draft_unit(request, pk):
    draft = _draft(request, pk)
    action, target = request.POST.get("action", ""), request.POST.get("target", "")
    unit, alias_of = None, None
    if action == UnitAction.ALIAS and target.startswith("unit:"):
        unit = get_object_or_404(Unit, pk=target.removeprefix("unit:"), jurisdiction=draft.jurisdiction)
    elif action == UnitAction.ALIAS and target.startswith("name:"):
        alias_of = target.removeprefix("name:")
    _act(
        request,
        draft,
        services.draft_decide_unit,
        name=request.POST.get("name", ""),
        action=action,
        unit=unit,
        alias_of=alias_of,
    )
    return redirect(f"{draft.get_absolute_url()}#units")


@login_required
@require_POST
def draft_accept_proposals(request, pk):
    """Confirm every unit proposal that is still open, in one go."""
    draft = _draft(request, pk)
    for row in draft_unit_rows(draft):
        if row["needs_decision"] and not row["decision"]:
            proposal = row["proposal"]
            unit = Unit.objects.get(pk=proposal["unit"]) if proposal.get("unit") else None
            if (
                _act(
                    request,
                    draft,
                    services.draft_decide_unit,
                    name=row["name"],
                    action=proposal["action"],
                    unit=unit,
                    alias_of=proposal.get("alias_of"),
                )
                is None
            ):
                break
    return redirect(f"{draft.get_absolute_url()}#units")


@login_required
@require_POST
def draft_publish(request, pk):
    draft = _draft(request, pk)
    plan = _act(request, draft, services.draft_publish)
    if plan is None:
        return redirect(draft)
    messages.success(request, _("Published “%(title)s”.") % {"title": plan.title})
    return redirect(plan)


@login_required
@require_POST
def draft_discard(request, pk):
    draft = _draft(request, pk)
    if _act(request, draft, services.draft_discard) is not None:
        messages.success(request, _("The draft was discarded."))
    return redirect("imports:list")


@login_required
def draft_original(request, pk):
    draft = _draft(request, pk)
    return FileResponse(draft.original_file.open("rb"), as_attachment=True, filename=draft.original_name)
