"""The lists in the browser, one configuration per list: a table with search and filters, the detail,
create and edit forms, .xlsx export of the filtered list, the template and the all-or-nothing import.

Who may do what is in ..rules; what one sees in ..selectors. A record outside one's view answers 404,
a write one may not make 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liangxin.core.services import DomainError

from .. import rules, selectors, services, sheets
from ..enums import (
    DemandKind,
    DemandState,
    EnterpriseRole,
    EnterpriseSize,
    FinanceKind,
    FundingChannel,
    PolicyLevel,
    ProjectDomain,
    ProjectStage,
)
from ..forms import (
    ConsumerDemandForm,
    CriteriaForm,
    DemandForm,
    EnterpriseForm,
    ImportForm,
    OfferForm,
    PolicyForm,
    ProductForm,
    ProjectForm,
)
from ..models import Enterprise, EquipmentCategory
from .common import json_list_has, list_reader, search, write_jurisdiction, xlsx_response

SEP = "、"


@dataclass
class Filter:
    name: str
    label: str
    choices: Callable[[], list]
    apply: Callable  # (queryset, value) -> queryset


@dataclass
class ListConfig:
    key: str
    title: str
    sheet: str | None
    queryset: Callable
    search_fields: list[str]
    filters: list[Filter]
    headers: list
    cells: Callable
    facts: Callable
    form_class: type
    create: Callable  # (request, form, jurisdiction) -> object
    update: Callable  # (request, form, object) -> object
    can_edit: Callable  # (user, object) -> bool
    projects: bool = False  # reporters register projects too
    detail_template: str = "registry/detail.html"
    order: tuple = ()
    extra_context: Callable = field(default=lambda request, obj: {})

    def can_create(self, user) -> bool:
        return write_jurisdiction(user, projects=self.projects) is not None


def _enum_filter(name, label, enum, lookup=None):
    return Filter(name, label, lambda: enum.choices, lambda qs, v: qs.filter(**{lookup or name: v}))


def _json_filter(name, label, enum_or_choices, field_name):
    choices = (lambda: enum_or_choices.choices) if hasattr(enum_or_choices, "choices") else enum_or_choices
    return Filter(name, label, choices, lambda qs, v: json_list_has(qs, field_name, v))


def _category_filter(lookup="category"):
    def apply(qs, value):
        node = EquipmentCategory.objects.filter(pk=value).first() if str(value).isdigit() else None
        if node is None:
            return qs.none()
        return qs.filter(**{f"{lookup}_id__in": selectors.category_and_descendants(node)})

    return Filter(
        "category",
        gettext_lazy("Category"),
        lambda: [(str(n.pk), f"— {n.name}" if n.parent_id else n.name) for n in selectors.category_choices()],
        apply,
    )


def _bool_filter(name, label, lookup):
    return Filter(name, label, lambda: [("1", _("yes")), ("0", _("no"))], lambda qs, v: qs.filter(**{lookup: v == "1"}))


def _labels(enum, values) -> str:
    return SEP.join(str(enum(v).label) for v in values or [] if v in enum.values)


def _join(values) -> str:
    return SEP.join(str(v) for v in values or [])


def _money(value) -> str:
    return "" if value is None else f"{value:,.2f}"


# --- create / update through the services ------------------------------------------------------


def _enterprise_create(request, form, jurisdiction):
    values = form.service_values()
    enterprise, created = services.enterprise_upsert(actor=request.user, jurisdiction=jurisdiction, **values)
    if not created:
        messages.info(request, _("An enterprise with this code was already listed; the record was merged."))
    return enterprise


def _enterprise_update(request, form, obj):
    values = form.service_values()
    values.pop("uscc", None)
    return services.enterprise_update(actor=request.user, enterprise=obj, **values)


def _simple(create, update, target):
    """Create and update of a list whose records belong to a jurisdiction (demands, consumer demand,
    policies, offers, criteria): the new record goes to the user's jurisdiction."""

    def do_create(request, form, jurisdiction):
        obj = create(actor=request.user, jurisdiction=jurisdiction, **form.service_values())
        return obj[0] if isinstance(obj, tuple) else obj  # consumer_demand_set answers (row, created)

    def do_update(request, form, obj):
        return update(actor=request.user, **{target: obj}, **form.service_values())

    return do_create, do_update


def _product_create(request, form, jurisdiction):
    return services.product_create(actor=request.user, **form.service_values())


def _product_update(request, form, obj):
    return services.product_update(actor=request.user, product=obj, **form.service_values())


def _owner(request, form, jurisdiction):
    enterprise, _created = services.enterprise_upsert(
        actor=request.user,
        uscc=form.cleaned_data["owner_uscc"],
        name=form.cleaned_data["owner_name"],
        jurisdiction=jurisdiction,
        roles=[EnterpriseRole.PROJECT_OWNER],
    )
    return enterprise


def _project_create(request, form, jurisdiction):
    owner = _owner(request, form, jurisdiction)
    return services.project_create(actor=request.user, jurisdiction=jurisdiction, owner=owner, **form.service_values())


def _project_update(request, form, obj):
    owner = _owner(request, form, obj.jurisdiction)
    return services.project_update(actor=request.user, project=obj, owner=owner, **form.service_values())


# --- the configurations -------------------------------------------------------------------------


def _policy_extra(request, policy):
    children = policy.children.select_related("lead_unit").order_by("position", "id")
    return {"children": children}


def _configs() -> dict[str, ListConfig]:
    demand_create, demand_update = _simple(services.demand_create, services.demand_update, "demand")
    consumer_create, consumer_update = _simple(services.consumer_demand_set, services.consumer_demand_update, "row")
    policy_create, policy_update = _simple(services.policy_create, services.policy_update, "policy")
    offer_create, offer_update = _simple(services.offer_create, services.offer_update, "offer")
    criteria_create, criteria_update = _simple(services.criteria_create, services.criteria_update, "criteria")
    manage = lambda user, obj: rules.can_manage_lists(user, obj.jurisdiction)  # noqa: E731
    configs = [
        ListConfig(
            key="enterprises",
            title=gettext_lazy("Enterprises"),
            sheet="enterprises",
            queryset=selectors.enterprises_visible_to,
            search_fields=["name", "uscc", "industry", "description"],
            filters=[
                _json_filter("role", gettext_lazy("Role"), EnterpriseRole, "roles"),
                _json_filter(
                    "flag",
                    gettext_lazy("Flag"),
                    lambda: [(f, f) for f in ("专精特新", "专精特新小巨人", "单项冠军", "绿色工厂", "高新技术企业")],
                    "flags",
                ),
                _enum_filter("size", gettext_lazy("Size"), EnterpriseSize),
            ],
            headers=[
                gettext_lazy("Name"),
                gettext_lazy("Unified social credit code"),
                gettext_lazy("Industry"),
                gettext_lazy("Size"),
                gettext_lazy("Flags"),
                gettext_lazy("Roles"),
            ],
            cells=lambda o: [
                o.name,
                o.uscc,
                o.industry,
                o.get_size_display(),
                _join(o.flags),
                _labels(EnterpriseRole, o.roles),
            ],
            facts=lambda o: [
                (_("Unified social credit code"), o.uscc),
                (_("Jurisdiction"), o.jurisdiction.full_name if o.jurisdiction_id else ""),
                (_("Address"), o.address),
                (_("Industry"), o.industry),
                (_("Size"), o.get_size_display()),
                (_("Flags"), _join(o.flags)),
                (_("Roles"), _labels(EnterpriseRole, o.roles)),
                (_("Annual revenue (10k yuan)"), _money(o.scale_revenue_wan)),
                (_("Employees"), o.employees or ""),
                (_("Main business"), o.description),
                (_("Contact"), f"{o.contact_name} {o.contact_phone}".strip()),
            ],
            form_class=EnterpriseForm,
            create=_enterprise_create,
            update=_enterprise_update,
            can_edit=rules.can_edit_enterprise,
            extra_context=lambda request, o: {
                "products": o.products.select_related("category"),
                "projects": selectors.projects_visible_to(request.user).filter(owner=o),
            },
        ),
        ListConfig(
            key="products",
            title=gettext_lazy("Supply list: products and equipment"),
            sheet="products",
            queryset=selectors.products_visible_to,
            search_fields=["name", "model_number", "specs", "enterprise__name", "category__name"],
            filters=[
                _category_filter(),
                Filter(
                    "grade",
                    gettext_lazy("Energy grade at least"),
                    lambda: [(str(i), str(i)) for i in range(1, 6)],
                    lambda qs, v: qs.filter(energy_grade__lte=int(v)) if v.isdigit() else qs,
                ),
                _bool_filter("local", gettext_lazy("Local"), "local"),
                _bool_filter("active", gettext_lazy("Active"), "active"),
            ],
            headers=[
                gettext_lazy("Product"),
                gettext_lazy("Model"),
                gettext_lazy("Category"),
                gettext_lazy("Enterprise"),
                gettext_lazy("Energy grade"),
                gettext_lazy("Price (yuan)"),
            ],
            cells=lambda o: [
                o.name,
                o.model_number,
                o.category.full_name,
                o.enterprise.name,
                o.energy_grade or "",
                f"{_money(o.price_min_yuan)} – {_money(o.price_max_yuan)}" if o.price_min_yuan is not None else "",
            ],
            facts=lambda o: [
                (_("Enterprise"), o.enterprise.name),
                (_("Category"), o.category.full_name),
                (_("Model"), o.model_number),
                (_("Specifications"), o.specs),
                (_("Key parameters"), "；".join(f"{k}: {v}" for k, v in o.parameters.items())),
                (_("Energy grade"), o.energy_grade or ""),
                (_("Standards met"), _join(o.standards)),
                (_("Certifications"), _join(o.certifications)),
                (_("Price (yuan)"), f"{_money(o.price_min_yuan)} – {_money(o.price_max_yuan)}"),
                (_("Local product"), _("yes") if o.local else _("no")),
                (_("Active"), _("yes") if o.active else _("no")),
            ],
            form_class=ProductForm,
            create=_product_create,
            update=_product_update,
            can_edit=lambda user, o: rules.can_edit_enterprise(user, o.enterprise),
        ),
        ListConfig(
            key="demands",
            title=gettext_lazy("Demand list: renewal needs"),
            sheet="demands",
            queryset=selectors.demands_visible_to,
            search_fields=["title", "requirements", "owner__name", "unit__name", "category__name"],
            filters=[
                _enum_filter("kind", gettext_lazy("Kind"), DemandKind),
                _enum_filter("state", gettext_lazy("State"), DemandState),
                _category_filter(),
            ],
            headers=[
                gettext_lazy("Demand"),
                gettext_lazy("Who needs it"),
                gettext_lazy("Category"),
                gettext_lazy("Quantity"),
                gettext_lazy("Budget (10k yuan)"),
                gettext_lazy("Needed by"),
                gettext_lazy("State"),
            ],
            cells=lambda o: [
                o.title,
                o.owner_name,
                o.category.full_name,
                f"{o.quantity.normalize():f} {o.quantity_unit}" if o.quantity is not None else "",
                _money(o.budget_wan),
                o.needed_by or "",
                o.get_state_display(),
            ],
            facts=lambda o: [
                (_("Kind"), o.get_kind_display()),
                (_("Who needs it"), o.owner_name),
                (_("Category"), o.category.full_name),
                (_("Quantity"), f"{o.quantity.normalize():f} {o.quantity_unit}" if o.quantity is not None else ""),
                (_("Key requirements"), o.requirements),
                (_("Budget (10k yuan)"), _money(o.budget_wan)),
                (_("Needed by"), o.needed_by or ""),
                (_("State"), o.get_state_display()),
                (_("Contact"), f"{o.contact_name} {o.contact_phone}".strip()),
            ],
            form_class=DemandForm,
            create=demand_create,
            update=demand_update,
            can_edit=manage,
        ),
        ListConfig(
            key="consumer",
            title=gettext_lazy("Consumer demand for trade-in"),
            sheet="consumer",
            queryset=selectors.consumer_demands_visible_to,
            search_fields=["category__name", "note"],
            filters=[
                Filter(
                    "year",
                    gettext_lazy("Year"),
                    lambda: [(str(y), str(y)) for y in range(2024, 2028)],
                    lambda qs, v: qs.filter(year=int(v)) if v.isdigit() else qs,
                ),
            ],
            headers=[
                gettext_lazy("Category"),
                gettext_lazy("Year"),
                gettext_lazy("Expected units"),
                gettext_lazy("Note"),
            ],
            cells=lambda o: [o.category.full_name, o.year, o.expected_units, o.note],
            facts=lambda o: [
                (_("Jurisdiction"), o.jurisdiction.full_name),
                (_("Category"), o.category.full_name),
                (_("Year"), o.year),
                (_("Expected units"), o.expected_units),
                (_("Note"), o.note),
            ],
            form_class=ConsumerDemandForm,
            create=consumer_create,
            update=consumer_update,
            can_edit=manage,
        ),
        ListConfig(
            key="projects",
            title=gettext_lazy("Project pipeline"),
            sheet="projects",
            queryset=selectors.projects_visible_to,
            search_fields=["name", "owner__name", "owner__uscc", "location"],
            filters=[
                _enum_filter("domain", gettext_lazy("Domain"), ProjectDomain),
                _enum_filter("stage", gettext_lazy("Stage"), ProjectStage),
                _json_filter("channel", gettext_lazy("Funding channel"), FundingChannel, "channels"),
                _bool_filter("financing", gettext_lazy("Needs financing"), "needs_financing"),
            ],
            headers=[
                gettext_lazy("Project"),
                gettext_lazy("Owner"),
                gettext_lazy("Domain"),
                gettext_lazy("Responsible unit"),
                gettext_lazy("Total investment (10k yuan)"),
                gettext_lazy("Equipment investment (10k yuan)"),
                gettext_lazy("Stage"),
            ],
            cells=lambda o: [
                o.name,
                o.owner.name,
                o.get_domain_display(),
                o.responsible_unit.name if o.responsible_unit_id else "",
                _money(o.total_investment_wan),
                _money(o.equipment_investment_wan),
                o.get_stage_display(),
            ],
            facts=lambda o: [],
            form_class=ProjectForm,
            create=_project_create,
            update=_project_update,
            can_edit=rules.can_edit_project,
            projects=True,
            detail_template="registry/project_detail.html",
        ),
        ListConfig(
            key="policies",
            title=gettext_lazy("Policy list"),
            sheet="policies",
            queryset=selectors.policies_visible_to,
            search_fields=["title", "doc_number", "issuer", "summary"],
            filters=[
                _enum_filter("level", gettext_lazy("Level"), PolicyLevel),
                _enum_filter("channel", gettext_lazy("Funding channel"), FundingChannel, "funding_channel"),
                _json_filter("domain", gettext_lazy("Domain"), ProjectDomain, "domains"),
            ],
            headers=[
                gettext_lazy("Policy"),
                gettext_lazy("Level"),
                gettext_lazy("Document number"),
                gettext_lazy("Issued on"),
                gettext_lazy("Lead unit"),
                gettext_lazy("Funding channel"),
            ],
            cells=lambda o: [
                ("— " if o.parent_id else "") + o.title,
                o.get_level_display(),
                o.doc_number,
                o.issued_on or "",
                o.lead_unit.name if o.lead_unit_id else "",
                o.get_funding_channel_display(),
            ],
            facts=lambda o: [
                (_("Level"), o.get_level_display()),
                (_("Jurisdiction"), o.jurisdiction.full_name),
                (_("Document number"), o.doc_number),
                (_("Issued by"), o.issuer),
                (_("Issued on"), o.issued_on or ""),
                (_("Effective"), f"{o.effective_from or ''} – {o.effective_to or ''}" if o.effective_from else ""),
                (_("Overall plan"), o.parent.title if o.parent_id else ""),
                (_("Lead unit"), o.lead_unit.name if o.lead_unit_id else ""),
                (_("Funding channel"), o.get_funding_channel_display()),
                (_("Domains"), _labels(ProjectDomain, o.domains)),
                (_("Who may apply"), _join(o.applicant_types)),
                (_("Conditions"), _join(o.conditions)),
                (_("Summary"), o.summary),
                (_("Link"), o.url),
                (_("Public"), _("yes") if o.public else _("no")),
            ],
            form_class=PolicyForm,
            create=policy_create,
            update=policy_update,
            can_edit=manage,
            # “1+N”: each overall plan followed by its domain plans.
            order=(
                "jurisdiction__tree_path",
                Coalesce("parent__position", "position"),
                Coalesce("parent_id", "id"),
                F("parent_id").asc(nulls_first=True),
                "position",
                "id",
            ),
            extra_context=_policy_extra,
        ),
        ListConfig(
            key="offers",
            title=gettext_lazy("Finance offers"),
            sheet="offers",
            queryset=selectors.offers_visible_to,
            search_fields=["name", "provider__name", "rate_note"],
            filters=[
                _enum_filter("kind", gettext_lazy("Kind"), FinanceKind),
                _json_filter("domain", gettext_lazy("Domain"), ProjectDomain, "domains"),
                _bool_filter("active", gettext_lazy("Active"), "active"),
            ],
            headers=[
                gettext_lazy("Offer"),
                gettext_lazy("Provider"),
                gettext_lazy("Kind"),
                gettext_lazy("Amount (10k yuan)"),
                gettext_lazy("Rate"),
                gettext_lazy("Maximum term (months)"),
            ],
            cells=lambda o: [
                o.name,
                o.provider.name,
                o.get_kind_display(),
                f"{_money(o.min_amount_wan)} – {_money(o.max_amount_wan)}",
                o.rate_note,
                o.term_months_max or "",
            ],
            facts=lambda o: [
                (_("Provider"), o.provider.name),
                (_("Kind"), o.get_kind_display()),
                (_("Domains"), _labels(ProjectDomain, o.domains) or _("any")),
                (_("Amount (10k yuan)"), f"{_money(o.min_amount_wan)} – {_money(o.max_amount_wan)}"),
                (_("Rate"), o.rate_note),
                (_("Maximum term (months)"), o.term_months_max or ""),
                (_("Conditions"), _join(o.conditions)),
                (_("Active"), _("yes") if o.active else _("no")),
            ],
            form_class=OfferForm,
            create=offer_create,
            update=offer_update,
            can_edit=lambda user, o: (
                rules.can_manage_lists(user, o.jurisdiction) if o.jurisdiction_id else rules.is_office(user)
            ),
        ),
        ListConfig(
            key="criteria",
            title=gettext_lazy("Screening criteria"),
            sheet=None,
            queryset=selectors.criteria_visible_to,
            search_fields=["name"],
            filters=[_enum_filter("channel", gettext_lazy("Funding channel"), FundingChannel)],
            headers=[
                gettext_lazy("Name"),
                gettext_lazy("Funding channel"),
                gettext_lazy("Domains supported"),
                gettext_lazy("Minimum total investment (10k yuan)"),
                gettext_lazy("Prerequisites required"),
            ],
            cells=lambda o: [
                o.name,
                o.get_channel_display(),
                _labels(ProjectDomain, o.domains) or _("any"),
                _money(o.min_investment_wan),
                SEP.join(str(dict(_prereq_choices())[k]) for k in o.prerequisites_required),
            ],
            facts=lambda o: [
                (_("Funding channel"), o.get_channel_display()),
                (_("Domains supported"), _labels(ProjectDomain, o.domains) or _("any")),
                (_("Minimum total investment (10k yuan)"), _money(o.min_investment_wan)),
                (
                    _("Prerequisites required"),
                    SEP.join(str(dict(_prereq_choices())[k]) for k in o.prerequisites_required),
                ),
                (_("Project must seek this channel"), _("yes") if o.require_channel_sought else _("no")),
                (_("Active"), _("yes") if o.active else _("no")),
            ],
            form_class=CriteriaForm,
            create=criteria_create,
            update=criteria_update,
            can_edit=manage,
            extra_context=lambda request, o: {"screen_url": reverse("registry:screening", args=[o.pk])},
        ),
    ]
    return {c.key: c for c in configs}


def _prereq_choices():
    from ..enums import PrerequisiteKind

    return PrerequisiteKind.choices


CONFIGS = _configs()


# --- the views ----------------------------------------------------------------------------------


def filtered(config: ListConfig, request):
    """The list the user may see, searched and filtered by the query string; with the filter state."""
    queryset = config.queryset(request.user)
    if config.order:
        queryset = queryset.order_by(*config.order)
    queryset = search(queryset, request.GET.get("q", ""), config.search_fields)
    state = []
    for item in config.filters:
        value = request.GET.get(item.name, "")
        if value:
            queryset = item.apply(queryset, value)
        state.append({"name": item.name, "label": item.label, "choices": item.choices(), "value": value})
    return queryset, state


def _config(key) -> ListConfig:
    return CONFIGS[key]


def _object(config: ListConfig, request, pk):
    obj = config.queryset(request.user).filter(pk=pk).first()
    if obj is None:
        raise Http404(_("Not found, or not yours to see."))
    return obj


def _form_kwargs(config, request, jurisdiction, instance=None):
    kwargs = {"jurisdiction": jurisdiction, "enterprises": None}
    if config.key in ("products",):
        kwargs["enterprises"] = (
            selectors.enterprises_visible_to(request.user).filter(jurisdiction=jurisdiction)
            if jurisdiction
            else Enterprise.objects.none()
        )
    if config.key == "demands":
        kwargs["enterprises"] = selectors.enterprises_visible_to(request.user)
    if config.key == "offers":
        kwargs["enterprises"] = Enterprise.objects.filter(
            pk__in=[e.pk for e in selectors.enterprises_visible_to(request.user) if {"leasing", "bank"} & set(e.roles)]
        )
    if config.key == "projects" and not rules.can_manage_lists(request.user, jurisdiction) if jurisdiction else False:
        kwargs["reporter_unit"] = request.user.unit
    if instance is not None:
        kwargs["instance"] = type(instance).objects.get(pk=instance.pk)
    return kwargs


def list_view(request, key):
    config = _config(key)
    queryset, state = filtered(config, request)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registry/list.html",
        {
            "config": config,
            "page": page,
            "rows": [(obj, config.cells(obj)) for obj in page.object_list],
            "filters": state,
            "q": request.GET.get("q", ""),
            "count": page.paginator.count,
            "query": query.urlencode(),
            "can_create": config.can_create(request.user),
        },
    )


def detail_view(request, key, pk):
    config = _config(key)
    obj = _object(config, request, pk)
    context = {
        "config": config,
        "obj": obj,
        "facts": config.facts(obj),
        "can_edit": config.can_edit(request.user, obj),
    }
    context.update(config.extra_context(request, obj))
    return render(request, config.detail_template, context)


def form_view(request, key, pk=None):
    config = _config(key)
    if pk is None:
        jurisdiction = write_jurisdiction(request.user, projects=config.projects)
        if jurisdiction is None:
            raise PermissionDenied(_("Only the office (or, for projects, a unit) of a jurisdiction adds to its lists."))
        obj = None
    else:
        obj = _object(config, request, pk)
        if not config.can_edit(request.user, obj):
            raise PermissionDenied(_("You may read this record but not change it."))
        jurisdiction = getattr(obj, "jurisdiction", None) or write_jurisdiction(request.user)
    form = config.form_class(request.POST or None, **_form_kwargs(config, request, jurisdiction, obj))
    if request.method == "POST" and form.is_valid():
        try:
            saved = config.create(request, form, jurisdiction) if obj is None else config.update(request, form, obj)
        except ValidationError as exc:
            _add_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect(f"registry:{key}_detail", pk=saved.pk)
    return render(request, "registry/form.html", {"config": config, "form": form, "obj": obj})


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def export_view(request, key):
    config = _config(key)
    queryset, _state = filtered(config, request)
    if key == "projects":
        queryset = queryset.prefetch_related("prerequisites")
    return xlsx_response(sheets.export_xlsx(config.sheet, queryset), sheets.sheet(config.sheet).title)


def template_view(request, key):
    config = _config(key)
    return xlsx_response(sheets.template_xlsx(config.sheet), sheets.sheet(config.sheet).title + "-模板")


def import_view(request, key):
    config = _config(key)
    jurisdiction = write_jurisdiction(request.user, projects=config.projects)
    if jurisdiction is None:
        raise PermissionDenied(
            _("Only the office (or, for projects, a unit) of a jurisdiction imports into its lists.")
        )
    restrict_unit = None
    if not rules.can_manage_lists(request.user, jurisdiction):
        restrict_unit = request.user.unit
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = sheets.import_xlsx(
                config.sheet,
                form.cleaned_data["file"].read(),
                actor=request.user,
                jurisdiction=jurisdiction,
                restrict_unit=restrict_unit,
            )
        except sheets.SheetError as exc:
            form.add_error("file", str(exc))
        else:
            if result.ok:
                messages.success(
                    request,
                    _("Imported: %(created)d new, %(updated)d updated.")
                    % {"created": result.created, "updated": result.updated},
                )
                return redirect(f"registry:{key}_list")
    return render(
        request,
        "registry/import.html",
        {"config": config, "form": form, "result": result, "jurisdiction": jurisdiction},
    )


def _urls():
    patterns = []
    for key, config in CONFIGS.items():
        kw = {"key": key}
        patterns += [
            path(f"{key}/", list_reader(list_view), kw, name=f"{key}_list"),
            path(f"{key}/new/", list_reader(form_view), kw, name=f"{key}_create"),
            path(f"{key}/<int:pk>/", list_reader(detail_view), kw, name=f"{key}_detail"),
            path(f"{key}/<int:pk>/edit/", list_reader(form_view), kw, name=f"{key}_edit"),
        ]
        if config.sheet:
            patterns += [
                path(f"{key}/export.xlsx", list_reader(export_view), kw, name=f"{key}_export"),
                path(f"{key}/template.xlsx", list_reader(template_view), kw, name=f"{key}_template"),
                path(f"{key}/import/", list_reader(import_view), kw, name=f"{key}_import"),
            ]
    return patterns


urlpatterns = _urls()
