"""Claims by .xlsx upload (merchants, or the office on a merchant's behalf).

The template (`claim_template`) has one sheet 申报明细 with a header row of the columns below and
a sheet 品类 listing the programme's category codes. An upload (`claim_upload`) reads every row:

- a row that cannot be read (a date that is not a date, a price that is not an amount, a required
  cell empty) is answered with its reason and not submitted;
- every other row goes through the same service as the API (services.claims.claim_submit), which
  runs all the checks; a refused row is answered with the reason code and message;
- the good rows are kept. A file with bad rows is therefore *partly accepted*: the good rows
  become claims, the bad rows come back with their reasons, to be corrected and uploaded again.
  Each row's idempotency key is its 幂等键 cell or, when empty, "xlsx:" + the invoice number, so
  uploading the corrected file again never creates a second claim for the rows already accepted
  (they are answered "already submitted").

At most MAX_ROWS rows per file (the API's batch limit); a larger file, or one that is not an
.xlsx workbook with the template's header, is refused whole.
"""

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liangxin.core.services import DomainError

from .formula import money
from .services.checks import ClaimRefused
from .services.claims import MAX_BATCH, claim_submit

MAX_ROWS = MAX_BATCH
SHEET = "申报明细"

# (header, field, kind, required); kind: text, date, money, int, decimal, title
COLUMNS = [
    ("购买人姓名", "buyer_name", "text", True),
    ("身份证号", "buyer_id", "text", True),
    ("手机号", "buyer_phone", "text", False),
    ("品类代码", "category", "text", True),
    ("型号", "product_model", "text", False),
    ("能效等级", "energy_grade", "int", False),
    ("序列号", "serial_number", "text", False),
    ("购买日期", "purchased_on", "date", True),
    ("实付金额（元）", "price_paid", "money", True),
    ("补贴金额（元）", "subsidy", "money", True),
    ("发票金额（元）", "invoice_total", "money", False),
    ("发票号码", "invoice_no", "text", True),
    ("发票抬头", "invoice_title_type", "title", False),
    ("收货地址", "delivery_address", "text", False),
    ("消费券码", "voucher_code", "text", False),
    ("旧机回收单号", "recycler_handover_no", "text", False),
    ("报废机动车回收证明编号", "scrappage_certificate_no", "text", False),
    ("车架号", "vin", "text", False),
    ("初次登记日期", "first_registration_date", "date", False),
    ("排量（升）", "displacement", "decimal", False),
    ("设备号", "device_id", "text", False),
    ("幂等键", "idempotency_key", "text", False),
]
TITLES = {
    "个人": "person",
    "person": "person",
    "": "person",
    "单位": "company",
    "企业": "company",
    "company": "company",
}


class UploadRefused(DomainError):
    """The file as a whole cannot be read."""


@dataclass
class RowResult:
    row: int  # the row of the sheet (the header is row 1)
    ok: bool
    claim_number: str = ""
    claim_id: int | None = None
    created: bool = False
    code: str = ""
    reason: str = ""

    @property
    def status(self) -> str:
        if not self.ok:
            return str(gettext_lazy("refused"))
        return str(gettext_lazy("accepted")) if self.created else str(gettext_lazy("already submitted"))


def claim_template(*, categories: list[tuple[str, str]]) -> bytes:
    """The empty workbook to fill in, with one example row and the programme's category codes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([header + ("*" if required else "") for header, _field, _kind, required in COLUMNS])
    fill = PatternFill("solid", fgColor="FDE7E7")
    for cell, (_h, _f, _k, required) in zip(sheet[1], COLUMNS, strict=True):
        cell.font = Font(bold=True)
        if required:
            cell.fill = fill
    for index, (header, *_rest) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(12, len(header) * 2 + 2)
    sheet.freeze_panes = "A2"
    for column in ("B", "C", "L", "P", "Q", "V"):
        for row in range(2, MAX_ROWS + 2):
            sheet[f"{column}{row}"].number_format = "@"  # identity and phone numbers stay text
    codes = book.create_sheet("品类")
    codes.append(["品类代码", "品类名称"])
    for code, name in categories:
        codes.append([code, name])
    codes.column_dimensions["A"].width = 24
    codes.column_dimensions["B"].width = 36
    notes = book.create_sheet("说明")
    for line in (
        "带 * 的列必填；日期写成 2026-03-01；金额以元为单位，最多两位小数。",
        "发票金额 = 实付金额 + 补贴金额（可不填，系统按两者之和核对）。",
        "发票抬头填 个人 或 单位（开给单位的发票不予补贴）。",
        f"每个文件最多 {MAX_ROWS} 行。有问题的行会逐行说明原因，其余各行照常受理；",
        "改正后可重新上传整份文件，已受理的行不会重复申报。",
        "幂等键可不填：不填时以发票号码为准。",
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value, kind):
    """The cell's value in the type the claim service takes; ValueError with the reason."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if kind == "text":
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()
    if kind == "title":
        text = str(value).strip()
        if text not in TITLES:
            raise ValueError(_("发票抬头 must be 个人 or 单位, not %(value)r") % {"value": text})
        return TITLES[text]
    if kind == "date":
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip().replace("/", "-").replace(".", "-")
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise ValueError(_("%(value)r is not a date (write 2026-03-01)") % {"value": str(value)}) from None
    if kind in ("money", "decimal"):
        try:
            number = Decimal(str(value).strip().replace(",", ""))
        except InvalidOperation:
            raise ValueError(_("%(value)r is not a number") % {"value": str(value)}) from None
        if not number.is_finite():
            raise ValueError(_("%(value)r is not a number") % {"value": str(value)})
        if kind == "money":
            if number != number.quantize(Decimal("0.01")):
                raise ValueError(_("%(value)r has more than two decimals") % {"value": str(value)})
            return money(number)
        return number
    if kind == "int":
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(_("%(value)r is not a whole number") % {"value": str(value)}) from None
        if number != number.to_integral_value():
            raise ValueError(_("%(value)r is not a whole number") % {"value": str(value)})
        return int(number)
    raise AssertionError(kind)


def read_rows(raw: bytes) -> list[tuple[int, dict | None, str]]:
    """(sheet row, claim data or None, reason) for every non-empty row; UploadRefused for a file
    that is not the template."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise UploadRefused(_("The file is not a readable .xlsx workbook.")) from exc
    sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    names = [str(h or "").strip().rstrip("*").strip() for h in (header or [])]
    positions = {}
    for column_header, field, kind, required in COLUMNS:
        if column_header in names:
            positions[field] = (names.index(column_header), kind, required, column_header)
        elif required:
            book.close()
            raise UploadRefused(
                _("The header row has no column %(column)s: use the template.") % {"column": column_header}
            )
    out = []
    for number, values in enumerate(rows, start=2):
        values = list(values or [])
        if not any(v is not None and str(v).strip() for v in values):
            continue
        if len(out) >= MAX_ROWS:
            book.close()
            raise UploadRefused(_("A file holds at most %(n)s claims; split it into several files.") % {"n": MAX_ROWS})
        data, problems = {}, []
        for field, (position, kind, required, column_header) in positions.items():
            value = values[position] if position < len(values) else None
            try:
                parsed = _cell(value, kind)
            except ValueError as exc:
                problems.append(f"{column_header}: {exc}")
                continue
            if parsed is None and required:
                problems.append(_("%(column)s is empty") % {"column": column_header})
            if parsed is not None:
                data[field] = parsed
        out.append((number, None if problems else data, "；".join(problems)))
    book.close()
    return out


def results_workbook(results: list[RowResult]) -> bytes:
    """The answer of an upload as a workbook: one row per row of the file, to fix the bad ones."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "处理结果"
    sheet.append(["行号", "结果", "申报编号", "原因代码", "原因"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r in results:
        sheet.append([r.row, r.status, r.claim_number, r.code, r.reason])
    for column, width in zip("ABCDE", (8, 12, 24, 18, 80), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def claim_upload(*, actor, merchant, programme, raw: bytes) -> list[RowResult]:
    """Submit every readable row; answer each row. Good rows are kept whatever the others do."""
    results = []
    for number, data, problem in read_rows(raw):
        if data is None:
            results.append(RowResult(row=number, ok=False, code="unreadable", reason=problem))
            continue
        key = data.pop("idempotency_key", "") or f"xlsx:{data.get('invoice_no', '')}"
        try:
            outcome = claim_submit(actor=actor, merchant=merchant, programme=programme, idempotency_key=key, data=data)
        except ClaimRefused as exc:
            results.append(RowResult(row=number, ok=False, code=str(exc.code), reason=exc.message))
        else:
            results.append(
                RowResult(
                    row=number,
                    ok=True,
                    claim_number=outcome.claim.number,
                    claim_id=outcome.claim.pk,
                    created=outcome.created,
                )
            )
    return results
