"""The lists as .xlsx workbooks: export of a (filtered) list, a blank template, and the import.

Headers are the Chinese ones the offices print: the sheets circulate as government documents.
The import is all-or-nothing: every row is read and saved through the services inside one
transaction; if any row fails, nothing is kept and the report names each failing row, the column
and the reason. Rows already on the list (an enterprise by its code, a project by owner and name …)
are updated rather than duplicated.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from liangxin.core.idcodes import normalise_uscc, uscc_problem
from liangxin.core.services import DomainError, unit_resolve

from . import services
from .enums import (
    DemandKind,
    DemandState,
    EnterpriseRole,
    EnterpriseSize,
    FinanceKind,
    FundingChannel,
    PolicyLevel,
    PrerequisiteKind,
    PrerequisiteState,
    ProjectDomain,
    ProjectStage,
)
from .models import (
    Demand,
    Enterprise,
    EquipmentCategory,
    FinanceOffer,
    Policy,
    Product,
    Project,
    ProjectPrerequisite,
)
from .validators import clean_tags, enum_lookup

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
SEP = "、"
MAX_ROWS = 5000


class SheetError(Exception):
    """The file as a whole cannot be read (not an .xlsx, headers missing)."""


class _Rollback(Exception):
    pass


@dataclass
class Context:
    actor: object
    jurisdiction: object
    restrict_unit: object = None  # a reporter's unit: projects are imported for it only
    cache: dict = field(default_factory=dict)


@dataclass
class Column:
    header: str
    field: str
    export: Callable
    parse: Callable | None = None  # (text, ctx) -> value; raises ValueError with the reason
    required: bool = False
    hint: str = ""


@dataclass
class Sheet:
    key: str
    title: str
    columns: list[Column]
    save_row: Callable | None = None  # (values, ctx) -> (object, created)

    def header_of(self, field_name: str) -> str:
        for column in self.columns:
            if column.field == field_name:
                return column.header
        return ""


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# --- cell parsers --------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def p_text(value, ctx):
    return _text(value)


def p_decimal(value, ctx):
    text = _text(value).replace(",", "").replace("，", "")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("“%(value)s” is not a number.") % {"value": text}) from None
    if number < 0:
        raise ValueError(_("The amount cannot be negative."))
    return number.quantize(Decimal("0.01"))


def p_int(value, ctx):
    number = p_decimal(value, ctx)
    if number is None:
        return None
    if number != number.to_integral():
        raise ValueError(_("“%(value)s” is not a whole number.") % {"value": _text(value)})
    return int(number)


def p_date(value, ctx):
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value).replace("/", "-").replace(".", "-")
    for suffix in ("年", "月"):
        text = text.replace(suffix, "-")
    text = text.replace("日", "")
    try:
        parts = [int(p) for p in text.split("-") if p]
        return datetime.date(*parts) if len(parts) == 3 else datetime.date(parts[0], parts[1], 1)
    except (ValueError, IndexError, TypeError):
        raise ValueError(_("“%(value)s” is not a date (write it like 2025-06-30).") % {"value": _text(value)}) from None


def p_bool(value, ctx):
    text = _text(value)
    if text in ("", "是", "Y", "y", "yes", "True", "TRUE", "1", "√"):
        return text != "" or None
    if text in ("否", "N", "n", "no", "False", "FALSE", "0", "×"):
        return False
    raise ValueError(_("Write 是 or 否."))


def p_enum(enum):
    def parse(value, ctx):
        text = _text(value)
        if not text:
            return ""
        found = enum_lookup(enum).get(text)
        if found is None:
            allowed = SEP.join(str(label) for _v, label in enum.choices)
            raise ValueError(_("“%(value)s” is not one of: %(allowed)s.") % {"value": text, "allowed": allowed})
        return found

    return parse


def p_enum_list(enum):
    single = p_enum(enum)

    def parse(value, ctx):
        return [single(item, ctx) for item in clean_tags(_text(value))]

    return parse


def p_tags(value, ctx):
    from .validators import clean_tags

    return clean_tags(_text(value))


def p_uscc(value, ctx):
    text = _text(value)
    if not text:
        return ""
    problem = uscc_problem(text)
    if problem:
        raise ValueError(problem)
    return normalise_uscc(text)


def p_category(value, ctx):
    text = _text(value)
    if not text:
        return None
    cache = ctx.cache.setdefault("categories", None)
    if cache is None:
        cache = {}
        for node in EquipmentCategory.objects.all():
            cache[node.code] = node
            cache.setdefault(node.name, node)
        ctx.cache["categories"] = cache
    node = cache.get(text) or cache.get(text.split("›")[-1].strip())
    if node is None:
        raise ValueError(_("No equipment category “%(value)s”.") % {"value": text})
    return node


def p_unit(value, ctx):
    text = _text(value)
    if not text:
        return None
    unit = unit_resolve(jurisdiction=ctx.jurisdiction, name=text)
    if unit is None:
        raise ValueError(_("No unit “%(value)s” in %(place)s.") % {"value": text, "place": ctx.jurisdiction.name})
    return unit


# --- cell exports --------------------------------------------------------------------------------


def _label(enum, value) -> str:
    return str(enum(value).label) if value in enum.values else (value or "")


def _labels(enum, values) -> str:
    return SEP.join(_label(enum, v) for v in values or [])


def _join(values) -> str:
    return SEP.join(str(v) for v in values or [])


def _yes(value) -> str:
    return "是" if value else "否"


def _params(value: dict) -> str:
    return "；".join(f"{k}: {v}" for k, v in (value or {}).items())


# --- the lists -----------------------------------------------------------------------------------


def _enterprise_for(values, ctx, *, roles=()):
    """The enterprise named by a row's code (and name): merged through enterprise_upsert, never duplicated."""
    code, name = values.pop("uscc", ""), values.pop("enterprise_name", "")
    if not code:
        return None
    existing = Enterprise.objects.filter(uscc=code).first()
    if existing is not None and not roles:
        return existing
    if existing is None and not name:
        raise ValidationError({"uscc": _("No enterprise with this code yet; give its name too to register it.")})
    enterprise, _created = services.enterprise_upsert(
        actor=ctx.actor, uscc=code, name=name or existing.name, jurisdiction=ctx.jurisdiction, roles=roles
    )
    return enterprise


def _save_enterprise(values, ctx):
    return services.enterprise_upsert(actor=ctx.actor, jurisdiction=ctx.jurisdiction, **values)


def _save_product(values, ctx):
    enterprise = _enterprise_for(values, ctx, roles=["supplier"])
    if enterprise is None:
        raise ValidationError({"uscc": _("Required.")})
    existing = Product.objects.filter(
        enterprise=enterprise, name=values["name"], model_number=values.get("model_number", "")
    ).first()
    if values.get("active") is None:
        values["active"] = True
    if existing:
        return services.product_update(actor=ctx.actor, product=existing, **values), False
    return services.product_create(actor=ctx.actor, enterprise=enterprise, **values), True


def _save_demand(values, ctx):
    owner = _enterprise_for(values, ctx)
    values["kind"] = values.get("kind") or DemandKind.EQUIPMENT
    values["state"] = values.get("state") or DemandState.OPEN
    existing = Demand.objects.filter(jurisdiction=ctx.jurisdiction, title=values["title"], owner=owner).first()
    if existing:
        return services.demand_update(actor=ctx.actor, demand=existing, owner=owner, **values), False
    return services.demand_create(actor=ctx.actor, jurisdiction=ctx.jurisdiction, owner=owner, **values), True


def _save_consumer(values, ctx):
    return services.consumer_demand_set(actor=ctx.actor, jurisdiction=ctx.jurisdiction, **values)


_PREREQ_FIELDS = {kind: (f"prereq_{kind}", f"prereq_{kind}_no") for kind in PrerequisiteKind.values}


def _save_project(values, ctx):
    owner = _enterprise_for(values, ctx, roles=["project_owner"])
    if owner is None:
        raise ValidationError({"uscc": _("Required.")})
    prerequisites = {}
    for kind, (state_field, no_field) in _PREREQ_FIELDS.items():
        state, number = values.pop(state_field, ""), values.pop(no_field, "")
        if state or number:
            prerequisites[kind] = {"state": state or PrerequisiteState.PENDING, "document_no": number}
    stage = values.pop("stage", "") or ProjectStage.PLANNING
    if ctx.restrict_unit is not None:
        if values.get("responsible_unit") not in (None, ctx.restrict_unit):
            raise ValidationError({"responsible_unit": _("A unit registers projects for itself only.")})
        values["responsible_unit"] = ctx.restrict_unit
    values["needs_financing"] = bool(values.get("needs_financing"))
    existing = Project.objects.filter(jurisdiction=ctx.jurisdiction, owner=owner, name=values["name"]).first()
    if existing is not None:
        if ctx.restrict_unit is not None and existing.responsible_unit_id != ctx.restrict_unit.pk:
            raise ValidationError({"name": _("This project belongs to another unit.")})
        project = services.project_update(actor=ctx.actor, project=existing, owner=owner, **values)
        for kind, item in prerequisites.items():
            current = ProjectPrerequisite.objects.filter(project=project, kind=kind).first()
            if current is None or (current.state, current.document_no) != (item["state"], item["document_no"]):
                services.project_prerequisite_set(actor=ctx.actor, project=project, kind=kind, **item)
        return project, False
    for kind, item in prerequisites.items():
        if item["state"] == PrerequisiteState.DONE and not item["document_no"]:
            raise ValidationError(
                {_PREREQ_FIELDS[kind][1]: _("A prerequisite that is done needs its document number.")}
            )
    project = services.project_create(
        actor=ctx.actor,
        jurisdiction=ctx.jurisdiction,
        owner=owner,
        stage=stage,
        prerequisites=prerequisites,
        **values,
    )
    return project, True


def _save_policy(values, ctx):
    parent_title = values.pop("parent_title", "")
    parent = None
    if parent_title:
        parent = Policy.objects.filter(jurisdiction=ctx.jurisdiction, title=parent_title, parent=None).first()
        if parent is None:
            raise ValidationError({"parent_title": _("No top-level policy with this title (list it above).")})
    values["public"] = values.get("public") is not False
    existing = Policy.objects.filter(jurisdiction=ctx.jurisdiction, title=values["title"]).first()
    if existing:
        return services.policy_update(actor=ctx.actor, policy=existing, parent=parent, **values), False
    return services.policy_create(actor=ctx.actor, jurisdiction=ctx.jurisdiction, parent=parent, **values), True


def _save_offer(values, ctx):
    role = "leasing" if values.get("kind") == FinanceKind.LEASING else "bank"
    provider = _enterprise_for(values, ctx, roles=[role])
    if provider is None:
        raise ValidationError({"uscc": _("Required.")})
    values["active"] = values.get("active") is not False
    existing = FinanceOffer.objects.filter(provider=provider, name=values["name"]).first()
    if existing:
        return services.offer_update(actor=ctx.actor, offer=existing, **values), False
    return services.offer_create(actor=ctx.actor, provider=provider, jurisdiction=ctx.jurisdiction, **values), True


def _prereq(project, kind, what):
    item = next((p for p in project.prerequisites.all() if p.kind == kind), None)
    if item is None:
        return ""
    return _label(PrerequisiteState, item.state) if what == "state" else item.document_no


def _prereq_columns() -> list[Column]:
    columns = []
    for kind in PrerequisiteKind.values:
        with translation.override("zh-hans"):
            name = str(PrerequisiteKind(kind).label)
        columns.append(
            Column(name, _PREREQ_FIELDS[kind][0], lambda o, k=kind: _prereq(o, k, "state"), p_enum(PrerequisiteState))
        )
        columns.append(Column(f"{name}文号", _PREREQ_FIELDS[kind][1], lambda o, k=kind: _prereq(o, k, "no"), p_text))
    return columns


def _sheets() -> dict[str, Sheet]:
    enterprise_cols = [
        Column("统一社会信用代码", "uscc", lambda o: o.uscc, p_uscc, True),
        Column("企业名称", "name", lambda o: o.name, p_text, True),
        Column("地址", "address", lambda o: o.address, p_text),
        Column("行业", "industry", lambda o: o.industry, p_text),
        Column("规模", "size", lambda o: _label(EnterpriseSize, o.size), p_enum(EnterpriseSize)),
        Column("企业标识", "flags", lambda o: _join(o.flags), p_tags, hint="专精特新、单项冠军、绿色工厂…"),
        Column("企业角色", "roles", lambda o: _labels(EnterpriseRole, o.roles), p_enum_list(EnterpriseRole)),
        Column("营业收入（万元）", "scale_revenue_wan", lambda o: o.scale_revenue_wan, p_decimal),
        Column("从业人数", "employees", lambda o: o.employees, p_int),
        Column("主营业务", "description", lambda o: o.description, p_text),
        Column("联系人", "contact_name", lambda o: o.contact_name, p_text),
        Column("联系电话", "contact_phone", lambda o: o.contact_phone, p_text),
    ]
    product_cols = [
        Column("企业统一社会信用代码", "uscc", lambda o: o.enterprise.uscc, p_uscc, True),
        Column("企业名称", "enterprise_name", lambda o: o.enterprise.name, p_text),
        Column("产品类别", "category", lambda o: o.category.name, p_category, True, "类别名称或代码"),
        Column("产品名称", "name", lambda o: o.name, p_text, True),
        Column("型号", "model_number", lambda o: o.model_number, p_text),
        Column("规格说明", "specs", lambda o: o.specs, p_text),
        Column("关键参数", "parameters", lambda o: _params(o.parameters), p_text, hint="名称: 数值；名称: 数值"),
        Column("能效等级", "energy_grade", lambda o: o.energy_grade, p_int, hint="1-5"),
        Column("执行标准", "standards", lambda o: _join(o.standards), p_tags),
        Column("认证", "certifications", lambda o: _join(o.certifications), p_tags),
        Column("最低价（元）", "price_min_yuan", lambda o: o.price_min_yuan, p_decimal),
        Column("最高价（元）", "price_max_yuan", lambda o: o.price_max_yuan, p_decimal),
        Column("本地产品", "local", lambda o: _yes(o.local)),
        Column("在售", "active", lambda o: _yes(o.active), p_bool),
    ]
    demand_cols = [
        Column("需求类型", "kind", lambda o: _label(DemandKind, o.kind), p_enum(DemandKind)),
        Column("需求企业统一社会信用代码", "uscc", lambda o: o.owner.uscc if o.owner_id else "", p_uscc),
        Column("需求企业名称", "enterprise_name", lambda o: o.owner.name if o.owner_id else "", p_text),
        Column("需求单位（部门）", "unit", lambda o: o.unit.name if o.unit_id else "", p_unit),
        Column("设备类别", "category", lambda o: o.category.name, p_category, True),
        Column("需求名称", "title", lambda o: o.title, p_text, True),
        Column("数量", "quantity", lambda o: o.quantity, p_decimal),
        Column("计量单位", "quantity_unit", lambda o: o.quantity_unit, p_text),
        Column("主要技术要求", "requirements", lambda o: o.requirements, p_text),
        Column("预算（万元）", "budget_wan", lambda o: o.budget_wan, p_decimal),
        Column("需求时间", "needed_by", lambda o: o.needed_by, p_date),
        Column("状态", "state", lambda o: _label(DemandState, o.state), p_enum(DemandState)),
        Column("联系人", "contact_name", lambda o: o.contact_name, p_text),
        Column("联系电话", "contact_phone", lambda o: o.contact_phone, p_text),
    ]
    consumer_cols = [
        Column("年度", "year", lambda o: o.year, p_int, True),
        Column("品类", "category", lambda o: o.category.name, p_category, True),
        Column("预计数量", "expected_units", lambda o: o.expected_units, p_int, True),
        Column("说明", "note", lambda o: o.note, p_text),
    ]
    project_cols = [
        Column("项目名称", "name", lambda o: o.name, p_text, True),
        Column("项目单位统一社会信用代码", "uscc", lambda o: o.owner.uscc, p_uscc, True),
        Column("项目单位名称", "enterprise_name", lambda o: o.owner.name, p_text),
        Column("领域", "domain", lambda o: _label(ProjectDomain, o.domain), p_enum(ProjectDomain), True),
        Column(
            "责任单位", "responsible_unit", lambda o: o.responsible_unit.name if o.responsible_unit_id else "", p_unit
        ),
        Column("建设地点", "location", lambda o: o.location, p_text),
        Column("建设内容", "description", lambda o: o.description, p_text),
        Column("总投资（万元）", "total_investment_wan", lambda o: o.total_investment_wan, p_decimal, True),
        Column("设备投资（万元）", "equipment_investment_wan", lambda o: o.equipment_investment_wan, p_decimal, True),
        Column("计划开工", "planned_start", lambda o: o.planned_start, p_date),
        Column("计划竣工", "planned_end", lambda o: o.planned_end, p_date),
        Column("申请资金渠道", "channels", lambda o: _labels(FundingChannel, o.channels), p_enum_list(FundingChannel)),
        Column(
            "阶段",
            "stage",
            lambda o: _label(ProjectStage, o.stage),
            p_enum(ProjectStage),
            hint="仅新登记项目按此阶段入库",
        ),
        *_prereq_columns(),
        Column("需要融资", "needs_financing", lambda o: _yes(o.needs_financing), p_bool),
        Column("融资需求（万元）", "financing_amount_wan", lambda o: o.financing_amount_wan, p_decimal),
        Column("联系人", "contact_name", lambda o: o.contact_name, p_text),
        Column("联系电话", "contact_phone", lambda o: o.contact_phone, p_text),
    ]
    policy_cols = [
        Column("层级", "level", lambda o: _label(PolicyLevel, o.level), p_enum(PolicyLevel), True),
        Column("政策名称", "title", lambda o: o.title, p_text, True),
        Column("文号", "doc_number", lambda o: o.doc_number, p_text),
        Column("发文机关", "issuer", lambda o: o.issuer, p_text),
        Column("发布日期", "issued_on", lambda o: o.issued_on, p_date),
        Column("生效日期", "effective_from", lambda o: o.effective_from, p_date),
        Column("失效日期", "effective_to", lambda o: o.effective_to, p_date),
        Column(
            "所属总体方案",
            "parent_title",
            lambda o: o.parent.title if o.parent_id else "",
            p_text,
            hint="“1+N”中N项方案填写总体方案名称",
        ),
        Column("牵头单位", "lead_unit", lambda o: o.lead_unit.name if o.lead_unit_id else "", p_unit),
        Column(
            "资金渠道", "funding_channel", lambda o: _label(FundingChannel, o.funding_channel), p_enum(FundingChannel)
        ),
        Column("支持领域", "domains", lambda o: _labels(ProjectDomain, o.domains), p_enum_list(ProjectDomain)),
        Column("申报对象", "applicant_types", lambda o: _join(o.applicant_types), p_tags),
        Column("申报条件", "conditions", lambda o: _join(o.conditions), p_tags),
        Column("政策摘要", "summary", lambda o: o.summary, p_text),
        Column("链接", "url", lambda o: o.url, p_text),
        Column("公开", "public", lambda o: _yes(o.public), p_bool),
    ]
    offer_cols = [
        Column("机构统一社会信用代码", "uscc", lambda o: o.provider.uscc, p_uscc, True),
        Column("机构名称", "enterprise_name", lambda o: o.provider.name, p_text),
        Column("产品类型", "kind", lambda o: _label(FinanceKind, o.kind), p_enum(FinanceKind), True),
        Column("产品名称", "name", lambda o: o.name, p_text, True),
        Column("支持领域", "domains", lambda o: _labels(ProjectDomain, o.domains), p_enum_list(ProjectDomain)),
        Column("最低金额（万元）", "min_amount_wan", lambda o: o.min_amount_wan, p_decimal),
        Column("最高金额（万元）", "max_amount_wan", lambda o: o.max_amount_wan, p_decimal),
        Column("利率", "rate_note", lambda o: o.rate_note, p_text),
        Column("最长期限（月）", "term_months_max", lambda o: o.term_months_max, p_int),
        Column("条件", "conditions", lambda o: _join(o.conditions), p_tags),
        Column("有效", "active", lambda o: _yes(o.active), p_bool),
    ]
    return {
        "enterprises": Sheet("enterprises", "企业名录", enterprise_cols, _save_enterprise),
        "products": Sheet("products", "先进产品设备供给清单", product_cols, _save_product),
        "demands": Sheet("demands", "设备更新需求清单", demand_cols, _save_demand),
        "consumer": Sheet("consumer", "消费品以旧换新需求测算", consumer_cols, _save_consumer),
        "projects": Sheet("projects", "设备更新项目清单", project_cols, _save_project),
        "policies": Sheet("policies", "政策清单", policy_cols, _save_policy),
        "offers": Sheet("offers", "金融产品清单", offer_cols, _save_offer),
    }


def sheet(key: str) -> Sheet:
    with translation.override("zh-hans"):
        return _sheets()[key]


# --- writing -------------------------------------------------------------------------------------


def _workbook(spec: Sheet, rows, *, title: str) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = spec.title[:31]
    ws.append([c.header + ("*" if c.required and title == "template" else "") for c in spec.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    with translation.override("zh-hans"):
        for obj in rows:
            ws.append([_cell(c.export(obj)) for c in spec.columns])
    for index, column in enumerate(spec.columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = max(10, min(40, len(column.header) * 2 + 4))
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, Decimal):
                cell.number_format = "0.00"
    ws.freeze_panes = "A2"
    if title == "template":
        notes = book.create_sheet("填写说明")
        notes.append(["列", "必填", "说明"])
        for column in spec.columns:
            if column.parse is not None:
                notes.append([column.header, "是" if column.required else "", column.hint or _hint(column)])
        notes.column_dimensions["A"].width = 24
        notes.column_dimensions["C"].width = 80
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _hint(column: Column) -> str:
    names = {
        "domain": ProjectDomain,
        "domains": ProjectDomain,
        "channels": FundingChannel,
        "funding_channel": FundingChannel,
        "stage": ProjectStage,
        "kind": None,
        "level": PolicyLevel,
        "size": EnterpriseSize,
        "roles": EnterpriseRole,
        "state": None,
    }
    enum = names.get(column.field)
    if enum is not None:
        with translation.override("zh-hans"):
            return "可选：" + SEP.join(str(label) for _v, label in enum.choices)
    if column.field.startswith("prereq_") and not column.field.endswith("_no"):
        with translation.override("zh-hans"):
            return "可选：" + SEP.join(str(label) for _v, label in PrerequisiteState.choices)
    if column.parse is p_date:
        return "日期，如 2025-06-30"
    if column.parse is p_bool:
        return "是 / 否"
    if column.parse in (p_tags,) or column.field in ("roles",):
        return "多项用、分隔"
    return ""


def _cell(value):
    if isinstance(value, Decimal):
        return value
    return value if value is not None else ""


def export_xlsx(key: str, rows) -> bytes:
    return _workbook(sheet(key), rows, title="export")


def template_xlsx(key: str) -> bytes:
    return _workbook(sheet(key), [], title="template")


def error_report_xlsx(result: ImportResult) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = "导入错误"
    ws.append(["行号", "列", "原因"])
    for error in result.errors:
        ws.append([error["row"], error["column"], error["message"]])
    ws.column_dimensions["B"].width = 24
    ws.column_dimensions["C"].width = 80
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- reading -------------------------------------------------------------------------------------


def _read(spec: Sheet, data: bytes) -> tuple[dict[str, int], list[tuple[int, list]]]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (zip, XML, key errors) for a file that is not .xlsx
        raise SheetError(_("This file is not an .xlsx workbook; download the template and fill it in.")) from exc
    ws = book.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None) or ()
    positions = {}
    for index, value in enumerate(header):
        name = _text(value).rstrip("*＊").strip()
        if name:
            positions[name] = index
    missing = [c.header for c in spec.columns if c.required and c.header not in positions]
    if missing:
        raise SheetError(
            _("The first row must hold the template's headers; missing: %(columns)s.") % {"columns": SEP.join(missing)}
        )
    body = []
    for number, row in enumerate(rows, start=2):
        if row is None or all(_text(v) == "" for v in row):
            continue
        body.append((number, list(row)))
        if len(body) > MAX_ROWS:
            raise SheetError(_("At most %(n)d rows per import.") % {"n": MAX_ROWS})
    book.close()
    return positions, body


def import_xlsx(key: str, data: bytes, *, actor, jurisdiction, restrict_unit=None) -> ImportResult:
    """Read the workbook and save every row, all or nothing. Raises SheetError when the file as a whole
    is unusable; otherwise returns the counts, or the row-level errors (and then nothing was saved)."""
    spec = sheet(key)
    positions, body = _read(spec, data)
    ctx = Context(actor=actor, jurisdiction=jurisdiction, restrict_unit=restrict_unit)
    result = ImportResult()
    try:
        with transaction.atomic():
            for number, row in body:
                _import_row(spec, ctx, positions, number, row, result)
            if result.errors:
                raise _Rollback
    except _Rollback:
        result.created = result.updated = 0
    return result


def _import_row(spec: Sheet, ctx: Context, positions, number: int, row: list, result: ImportResult) -> None:
    values, failed = {}, False
    with translation.override("zh-hans"):
        for column in spec.columns:
            if column.parse is None or column.header not in positions:
                continue
            index = positions[column.header]
            raw = row[index] if index < len(row) else None
            try:
                value = column.parse(raw, ctx)
            except ValueError as exc:
                result.errors.append({"row": number, "column": column.header, "message": str(exc)})
                failed = True
                continue
            if column.required and value in (None, ""):
                result.errors.append({"row": number, "column": column.header, "message": _("Required.")})
                failed = True
                continue
            if value is not None:
                values[column.field] = value
    if failed:
        return
    try:
        with transaction.atomic():
            _obj, created = spec.save_row(values, ctx)
    except ValidationError as exc:
        for field_name, messages in _error_dict(exc).items():
            for message in messages:
                result.errors.append({"row": number, "column": spec.header_of(field_name), "message": message})
        return
    except DomainError as exc:
        result.errors.append({"row": number, "column": "", "message": str(exc)})
        return
    if created:
        result.created += 1
    else:
        result.updated += 1


def _error_dict(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {key: [str(m) for e in errors for m in e.messages] for key, errors in exc.error_dict.items()}
    return {"": [str(m) for m in exc.messages]}
