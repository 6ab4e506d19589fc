"""The network's spreadsheets (.xlsx): sites and monthly returns, written for export and read for import.

The headers and values are the office's own words (回收点, 运营, 家电、废旧金属); imports also accept
the codes. Reading never writes: it returns rows of values for the import services, with the
problems of each row (a value that is not a level, a date that is not a date …) named by row number.
"""

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from liangxin.core.idcodes import uscc_problem

from .enums import (
    CATEGORY_SHEET_ALIASES,
    CATEGORY_SHEET_NAMES,
    CATEGORY_UNIT,
    DATUM_SHEET_NAMES,
    LEVEL_SHEET_ALIASES,
    LEVEL_SHEET_NAMES,
    STATUS_SHEET_ALIASES,
    STATUS_SHEET_NAMES,
    Datum,
    SiteStatus,
)
from .hours import hours_problem
from .validators import coordinates_problem

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

SITE_COLUMNS = [
    ("id", "编号", 8),
    ("town", "镇街", 14),
    ("level", "层级", 12),
    ("name", "名称", 30),
    ("operator_name", "运营企业", 28),
    ("operator_uscc", "统一社会信用代码", 22),
    ("address", "地址", 36),
    ("lat", "纬度", 12),
    ("lng", "经度", 12),
    ("datum", "坐标系", 9),
    ("hours", "营业时间", 30),
    ("phone", "电话", 15),
    ("categories", "回收品类", 30),
    ("two_networks", "两网融合", 9),
    ("status", "状态", 8),
    ("status_since", "状态日期", 12),
    ("responsible_unit", "责任单位", 14),
    ("notes", "备注", 30),
]
RETURN_COLUMNS = [
    ("site_id", "站点编号", 9),
    ("site_name", "站点名称", 30),
    ("month", "月份", 10),
    ("category", "品类", 12),
    ("quantity", "数量", 12),
    ("unit", "单位", 7),
    ("state", "状态", 10),
    ("flag_reason", "提示", 40),
]
RETURN_STATE_SHEET_NAMES = {"entered": "已填报", "flagged": "待确认", "confirmed": "已确认"}
YES, NO = "是", "否"


class SheetError(Exception):
    """The file as a whole cannot be read (not a workbook, headers missing); the message is for the user."""


@dataclass
class SheetRow:
    number: int  # the row number in the sheet, as the office sees it
    values: dict
    problems: list[str] = field(default_factory=list)


def _lookup(names: dict, aliases: dict) -> dict[str, str]:
    table = {str(v): str(k) for k, v in names.items()}
    table.update({str(k): str(v) for k, v in aliases.items()})
    table.update({str(k): str(k) for k in names})
    return table


_LEVELS = _lookup(LEVEL_SHEET_NAMES, LEVEL_SHEET_ALIASES)
_STATUSES = _lookup(STATUS_SHEET_NAMES, STATUS_SHEET_ALIASES)
_CATEGORIES = _lookup(CATEGORY_SHEET_NAMES, CATEGORY_SHEET_ALIASES)
_DATUMS = {"GCJ-02": Datum.GCJ02, "GCJ02": Datum.GCJ02, "WGS-84": Datum.WGS84, "WGS84": Datum.WGS84}


def category_sheet_name(code: str) -> str:
    return CATEGORY_SHEET_NAMES.get(code, code)


def _styled(ws, columns):
    ws.append([header for _key, header, _w in columns])
    for i, (_key, _header, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
        cell = ws.cell(row=1, column=i)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE7F0")
    ws.freeze_panes = "A2"


def _save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def sites_workbook(sites) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "回收网点"
    _styled(ws, SITE_COLUMNS)
    for s in sites:
        ws.append(
            [
                s.pk,
                s.town.name if s.town_id else "",
                LEVEL_SHEET_NAMES.get(s.level, s.level),
                s.name,
                s.operator.name if s.operator_id else "",
                s.operator.uscc if s.operator_id else "",
                s.address,
                float(s.lat),
                float(s.lng),
                DATUM_SHEET_NAMES.get(s.datum, s.datum),
                s.hours,
                s.phone,
                "、".join(category_sheet_name(c) for c in s.categories),
                YES if s.two_networks else NO,
                STATUS_SHEET_NAMES.get(s.status, s.status),
                s.status_since,
                s.responsible_unit.name if s.responsible_unit_id else "",
                s.notes,
            ]
        )
        ws.cell(row=ws.max_row, column=16).number_format = "yyyy-mm-dd"
    return _save(wb)


def returns_workbook(returns) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "月度回收量"
    _styled(ws, RETURN_COLUMNS)
    for r in returns:
        ws.append(
            [
                r.site_id,
                r.site.name,
                f"{r.month:%Y-%m}",
                category_sheet_name(r.category),
                r.quantity,
                r.unit,
                RETURN_STATE_SHEET_NAMES.get(r.state, r.state),
                r.flag_reason,
            ]
        )
    return _save(wb)


def totals_workbook(table) -> bytes:
    """The monthly totals: one row per month, one column per category (in its unit)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "月度回收总量"
    header = ["月份"] + [f"{category_sheet_name(c)}（{CATEGORY_UNIT[c]}）" for c in table.categories]
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.column_dimensions["A"].width = 10
    for i in range(2, len(header) + 1):
        ws.column_dimensions[get_column_letter(i)].width = 16
    for month, values in table.rows:
        ws.append([f"{month:%Y-%m}", *[values.get(c) for c in table.categories]])
    return _save(wb)


# --- reading ---------------------------------------------------------------------------------


def _rows(file, columns) -> list[tuple[int, dict]]:
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (zip, xml, key errors) for a bad file
        raise SheetError(_("The file is not an Excel workbook (.xlsx): %s") % exc) from exc
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    if not header:
        raise SheetError(_("The sheet is empty."))
    by_header = {}
    for key, title, _w in columns:
        by_header[title] = key
        by_header[key] = key
    index = {}
    for i, title in enumerate(header):
        key = by_header.get(str(title).strip()) if title is not None else None
        if key:
            index[key] = i
    required = [title for key, title, _w in columns if key not in index and key in _REQUIRED[id(columns)]]
    if required:
        raise SheetError(_("The sheet has no column %s.") % "、".join(required))
    out = []
    for number, row in enumerate(rows, start=2):
        if row is None or all(v is None or str(v).strip() == "" for v in row):
            continue
        out.append((number, {key: (row[i] if i < len(row) else None) for key, i in index.items()}))
    wb.close()
    return out


_REQUIRED = {
    id(SITE_COLUMNS): {"level", "name", "address", "lat", "lng"},
    id(RETURN_COLUMNS): {"site_id", "month", "category", "quantity"},
}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value, problems, label) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value).replace("/", "-").replace(".", "-")
    for fmt in ("%Y-%m-%d", "%Y-%m"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    problems.append(_("%(column)s: “%(value)s” is not a date (write 2025-03-01).") % {"column": label, "value": text})
    return None


def _choice(value, table, problems, label):
    text = _text(value)
    if not text:
        return None
    code = table.get(text) or table.get(text.lower())
    if code is None:
        problems.append(
            _("%(column)s: “%(value)s” is not one of %(allowed)s.")
            % {"column": label, "value": text, "allowed": "、".join(sorted({k for k in table if not k.isascii()}))}
        )
    return code


def _categories(value, problems) -> list[str]:
    text = _text(value)
    if not text:
        return []
    codes = []
    for part in text.replace("，", "、").replace(",", "、").replace(";", "、").split("、"):
        part = part.strip()
        if not part:
            continue
        code = _CATEGORIES.get(part) or _CATEGORIES.get(part.lower())
        if code is None:
            problems.append(
                _("回收品类: “%(value)s” is not a category (allowed: %(allowed)s).")
                % {"value": part, "allowed": "、".join(CATEGORY_SHEET_NAMES.values())}
            )
        elif code not in codes:
            codes.append(code)
    return codes


def _field_problems(v: dict) -> list[str]:
    """The checks of the fields themselves, so that a row names all its problems at once."""
    problems = []
    if not v["name"]:
        problems.append(_("名称 is missing."))
    if not v["address"]:
        problems.append(_("地址 is missing."))
    if v["lat"] and v["lng"]:
        problem = coordinates_problem(v["lat"], v["lng"])
        if problem:
            problems.append(f"纬度/经度: {problem}")
    else:
        problems.append(_("纬度/经度 are missing."))
    problem = hours_problem(v["hours"])
    if problem:
        problems.append(f"营业时间: {problem}")
    if v["operator_uscc"]:
        problem = uscc_problem(v["operator_uscc"])
        if problem:
            problems.append(f"统一社会信用代码: {problem}")
    return problems


def read_sites(file) -> list[SheetRow]:
    """The rows of a sites sheet as keyword values for site_create/site_update, with their problems."""
    out = []
    for number, raw in _rows(file, SITE_COLUMNS):
        problems: list[str] = []
        v = {}
        site_id = _text(raw.get("id"))
        if site_id and not site_id.isdigit():
            problems.append(_("编号: “%s” is not a site number.") % site_id)
        v["id"] = int(site_id) if site_id.isdigit() else None
        v["town"] = _text(raw.get("town"))
        v["level"] = _choice(raw.get("level"), _LEVELS, problems, "层级")
        if v["level"] is None and not problems:
            problems.append(_("层级 is missing."))
        v["name"] = _text(raw.get("name"))
        v["operator_name"] = _text(raw.get("operator_name"))
        v["operator_uscc"] = _text(raw.get("operator_uscc")).upper()
        v["address"] = _text(raw.get("address"))
        v["lat"] = _text(raw.get("lat"))
        v["lng"] = _text(raw.get("lng"))
        v["datum"] = _DATUMS.get(_text(raw.get("datum")).upper(), None) if _text(raw.get("datum")) else Datum.GCJ02
        if v["datum"] is None:
            problems.append(_("坐标系: write GCJ-02 or WGS-84."))
        v["hours"] = _text(raw.get("hours"))
        v["phone"] = _text(raw.get("phone"))
        v["categories"] = _categories(raw.get("categories"), problems)
        flag = _text(raw.get("two_networks"))
        v["two_networks"] = flag in (YES, "Y", "y", "1", "true", "True", "TRUE")
        v["status"] = _choice(raw.get("status"), _STATUSES, problems, "状态") or SiteStatus.PLANNED
        v["status_since"] = _date(raw.get("status_since"), problems, "状态日期")
        v["responsible_unit"] = _text(raw.get("responsible_unit"))
        v["notes"] = _text(raw.get("notes"))
        problems.extend(_field_problems(v))
        out.append(SheetRow(number=number, values=v, problems=problems))
    return out


def read_returns(file) -> list[SheetRow]:
    out = []
    for number, raw in _rows(file, RETURN_COLUMNS):
        problems: list[str] = []
        site_id = _text(raw.get("site_id"))
        if not site_id.isdigit():
            problems.append(_("站点编号: “%s” is not a site number.") % site_id)
        month = _date(raw.get("month"), problems, "月份")
        category = _choice(raw.get("category"), _CATEGORIES, problems, "品类")
        quantity = raw.get("quantity")
        if quantity is None or _text(quantity) == "":
            problems.append(_("数量 is missing."))
        elif isinstance(quantity, float):
            quantity = Decimal(repr(quantity))
        out.append(
            SheetRow(
                number=number,
                values={
                    "site_id": int(site_id) if site_id.isdigit() else None,
                    "month": month,
                    "category": category,
                    "quantity": quantity,
                    "unit": _text(raw.get("unit")),
                },
                problems=problems,
            )
        )
    return out
