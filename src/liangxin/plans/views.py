import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from . import rules, selectors, services
from .forms import IndicatorForm, PlanImportForm, TaskForm
from .interchange import InterchangeError
from .models import Indicator, Task


@login_required
def home(request):
    plans = selectors.plans_visible_to(request.user).order_by("jurisdiction__tree_path", "id")
    can_import = selectors.jurisdictions_managed_by(request.user).exists()
    return render(request, "plans/home.html", {"plans": plans, "can_import": can_import})


@login_required
def plan_import(request):
    jurisdictions = selectors.jurisdictions_managed_by(request.user)
    if not jurisdictions.exists():
        raise PermissionDenied(_("Only the task force office loads plans."))
    form = PlanImportForm(request.POST or None, request.FILES or None, jurisdictions=jurisdictions)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_load(
                data=form.data_json,
                jurisdiction=form.cleaned_data["jurisdiction"],
                actor=request.user,
                source_name=form.cleaned_data["file"].name,
                source_bytes=form.raw,
            )
        except InterchangeError as exc:
            form.add_error(
                "file",
                _("Field %(field)s: %(message)s. Nothing was saved.") % {"field": exc.field, "message": exc.message},
            )
        else:
            messages.success(request, _("Loaded “%(title)s”.") % {"title": plan.title})
            return redirect(plan)
    return render(request, "plans/plan_import.html", {"form": form})


def _visible_plan(request, pk):
    return get_object_or_404(selectors.plans_visible_to(request.user), pk=pk)


@login_required
def plan_detail(request, pk):
    plan = _visible_plan(request, pk)
    page = selectors.plan_page(plan)
    for task in page["tasks"]:
        task.editable = rules.can_edit_task(request.user, task)
    for indicator in page["indicators"]:
        indicator.editable = rules.can_edit_indicator(request.user, indicator)
    can_manage = rules.can_manage_plan(request.user, plan)
    return render(request, "plans/plan_detail.html", {"plan": plan, "can_manage": can_manage, **page})


@login_required
def plan_export(request, pk):
    plan = _visible_plan(request, pk)
    body = json.dumps(selectors.plan_export(plan), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="plan-{plan.pk}.json"'
    return response


@login_required
def plan_source(request, pk):
    """The original file the plan was loaded from, for those who may see the plan."""
    plan = _visible_plan(request, pk)
    if not plan.source_file:
        raise Http404(_("This plan has no original file."))
    name = plan.source_file.name.rsplit("/", 1)[-1]
    return FileResponse(plan.source_file.open("rb"), as_attachment=True, filename=name)


@login_required
def unit_detail(request, pk):
    unit = get_object_or_404(selectors.units_visible_to(request.user), pk=pk)
    return render(request, "plans/unit_detail.html", {"unit": unit, **selectors.unit_page(unit, request.user)})


@login_required
def jurisdiction_units(request, pk):
    jurisdiction = get_object_or_404(selectors.jurisdictions_visible_to(request.user), pk=pk)
    units = jurisdiction.units.prefetch_related("aliases").order_by("name")
    return render(request, "plans/jurisdiction_units.html", {"jurisdiction": jurisdiction, "units": units})


def _edit(request, *, instance, form_class, allowed, service, template, anchor):
    if not allowed:
        raise PermissionDenied(_("Your unit does not own this item; ask the task force office to change it."))
    form = form_class(request.POST or None, instance=instance.__class__.objects.get(pk=instance.pk))
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, **{instance._meta.model_name: instance}, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(f"{instance.plan.get_absolute_url()}#{anchor}")
    return render(request, template, {"form": form, "object": instance, "plan": instance.plan})


@login_required
def task_edit(request, pk):
    task = get_object_or_404(Task.objects.filter(plan__in=selectors.plans_visible_to(request.user)), pk=pk)
    return _edit(
        request,
        instance=task,
        form_class=TaskForm,
        allowed=rules.can_edit_task(request.user, task),
        service=services.task_update,
        template="plans/item_edit.html",
        anchor=f"task-{task.pk}",
    )


@login_required
def indicator_edit(request, pk):
    indicator = get_object_or_404(Indicator.objects.filter(plan__in=selectors.plans_visible_to(request.user)), pk=pk)
    return _edit(
        request,
        instance=indicator,
        form_class=IndicatorForm,
        allowed=rules.can_edit_indicator(request.user, indicator),
        service=services.indicator_update,
        template="plans/item_edit.html",
        anchor="indicators",
    )
