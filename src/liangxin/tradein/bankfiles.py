"""The files exchanged with the bank for a payment batch (批量代付): the order out, the result back.

Pure formats: no models, no database. `liangxin.tradein.services.payouts` builds the lines from a
payment batch and applies a parsed result file.

The order (what the office uploads to the bank's corporate online banking as 批量代发/批量转账):

    CSV, GB18030 (what the banks' upload pages expect) or UTF-8 with a byte-order mark, comma
    separated, CRLF line ends, one header row then one row per payee:

    序号, 收款户名, 收款账号, 开户行, 金额, 用途/附言

    - 序号: 1, 2, 3 … the line's number in the batch; the result file names lines by it.
    - 收款户名 / 收款账号 / 开户行: the merchant's bank account as registered (account number without
      spaces).
    - 金额: yuan with two decimals, no thousands separator (3000.00).
    - 用途/附言: "以旧换新补贴 <batch number> " followed by the claim numbers the line pays,
      separated by "、" (the bank cuts long remarks; the full list stays in the batch).

    The .xlsx twin has the same columns on a sheet named 付款明细 and a sheet 汇总 with the batch
    number, the number of lines and the total.

The result (what the bank gives back, 回单/处理结果), CSV (GB18030 or UTF-8) or .xlsx, one header row;
columns found by their header, in any order:

    序号 (required), 收款户名, 收款账号, 金额 (required), 状态 (required: 成功/已支付/success/paid or
    失败/退票/failed), 失败原因 (required for a failed line), 银行流水号 (optional)
"""

import csv
import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

ORDER_COLUMNS = ["序号", "收款户名", "收款账号", "开户行", "金额", "用途/附言"]
RESULT_COLUMNS = ["序号", "收款户名", "收款账号", "金额", "状态", "失败原因", "银行流水号"]
PAID_WORDS = {"成功", "已支付", "支付成功", "交易成功", "success", "paid", "ok"}
FAILED_WORDS = {"失败", "支付失败", "交易失败", "退票", "已退票", "failed", "fail", "returned"}
ENCODINGS = ("gb18030", "utf-8")
CENT = Decimal("0.01")


class BankFileError(Exception):
    """A bank file could not be read; `problems` lists what is wrong, one message per line."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class OrderLine:
    seq: int
    account_name: str
    account_no: str
    bank_name: str
    amount: Decimal
    memo: str


@dataclass(frozen=True)
class ResultLine:
    seq: int
    account_name: str
    account_no: str
    amount: Decimal
    paid: bool
    reason: str = ""
    bank_ref: str = ""
    row: int = 0  # the row of the file, for messages


@dataclass
class Order:
    batch_number: str
    created: datetime.date
    lines: list[OrderLine] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))


def memo_for(batch_number: str, claim_numbers: list[str]) -> str:
    return f"以旧换新补贴 {batch_number} " + "、".join(claim_numbers)


def _amount_text(amount: Decimal) -> str:
    return f"{amount.quantize(CENT):.2f}"


def _order_rows(order: Order) -> list[list[str]]:
    return [
        [
            str(line.seq),
            line.account_name,
            line.account_no.replace(" ", ""),
            line.bank_name,
            _amount_text(line.amount),
            line.memo,
        ]
        for line in order.lines
    ]


def order_csv(order: Order, *, encoding: str = "gb18030") -> bytes:
    """The order as CSV bytes: GB18030 by default, or UTF-8 with a byte-order mark."""
    if encoding not in ENCODINGS:
        raise ValueError(f"unknown encoding {encoding}")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(ORDER_COLUMNS)
    writer.writerows(_order_rows(order))
    text = buffer.getvalue()
    return text.encode("gb18030") if encoding == "gb18030" else text.encode("utf-8-sig")


def order_xlsx(order: Order) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "付款明细"
    sheet.append(ORDER_COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for line in order.lines:
        sheet.append(
            [line.seq, line.account_name, line.account_no.replace(" ", ""), line.bank_name, line.amount, line.memo]
        )
        sheet.cell(row=sheet.max_row, column=3).number_format = "@"
        sheet.cell(row=sheet.max_row, column=5).number_format = "0.00"
    for column, width in zip("ABCDEF", (6, 36, 26, 30, 12, 60), strict=True):
        sheet.column_dimensions[column].width = width
    summary = book.create_sheet("汇总")
    summary.append(["批次号", order.batch_number])
    summary.append(["制单日期", order.created.isoformat()])
    summary.append(["笔数", len(order.lines)])
    summary.append(["总金额", order.total])
    summary.column_dimensions["A"].width = 12
    summary.column_dimensions["B"].width = 24
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise BankFileError([_("The file is neither UTF-8 nor GB18030 text: %(error)s") % {"error": exc}]) from exc


def _rows_from(raw: bytes, filename: str) -> list[list[str]]:
    if filename.lower().endswith(".xlsx") or raw[:2] == b"PK":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise BankFileError([_("The file is not a readable .xlsx workbook.")]) from exc
        sheet = book.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append(["" if value is None else _cell_text(value) for value in values])
        book.close()
        return rows
    return list(csv.reader(io.StringIO(_decode(raw))))


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return repr(value)
    return str(value)


def parse_amount(text: str) -> Decimal | None:
    cleaned = (text or "").strip().replace(",", "").replace("¥", "").replace("￥", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not value.is_finite() or value != value.quantize(CENT):
        return None
    return value.quantize(CENT)


def parse_result(raw: bytes, *, filename: str = "") -> list[ResultLine]:
    """The bank's result file as lines; BankFileError listing every bad row when any row is bad."""
    rows = [row for row in _rows_from(raw, filename) if any((cell or "").strip() for cell in row)]
    if not rows:
        raise BankFileError([_("The result file is empty.")])
    header = [(cell or "").strip() for cell in rows[0]]
    index = {name: header.index(name) for name in RESULT_COLUMNS if name in header}
    missing = [name for name in ("序号", "金额", "状态") if name not in index]
    if missing:
        raise BankFileError([_("The header row lacks the column(s) %(columns)s.") % {"columns": "、".join(missing)}])

    def cell(row, name):
        position = index.get(name)
        if position is None or position >= len(row):
            return ""
        return (row[position] or "").strip()

    lines, problems, seen = [], [], set()
    for number, row in enumerate(rows[1:], start=2):
        row_problems = []
        seq_text = cell(row, "序号")
        try:
            seq = int(seq_text)
        except ValueError:
            seq = None
            row_problems.append(_("序号 %(value)r is not a whole number") % {"value": seq_text})
        else:
            if seq in seen:
                row_problems.append(_("序号 %(seq)s appears twice") % {"seq": seq})
            seen.add(seq)
        amount = parse_amount(cell(row, "金额"))
        if amount is None:
            row_problems.append(_("金额 %(value)r is not an amount in yuan") % {"value": cell(row, "金额")})
        status = cell(row, "状态").lower()
        paid = status in PAID_WORDS
        if not paid and status not in FAILED_WORDS:
            row_problems.append(_("状态 %(value)r is neither 成功 nor 失败") % {"value": cell(row, "状态")})
        reason = cell(row, "失败原因")
        if status in FAILED_WORDS and not reason:
            row_problems.append(_("a failed line needs its 失败原因"))
        if row_problems:
            problems.append(_("Row %(row)s: %(problems)s.") % {"row": number, "problems": "; ".join(row_problems)})
            continue
        lines.append(
            ResultLine(
                seq=seq,
                account_name=cell(row, "收款户名"),
                account_no=cell(row, "收款账号").replace(" ", ""),
                amount=amount,
                paid=paid,
                reason="" if paid else reason,
                bank_ref=cell(row, "银行流水号"),
                row=number,
            )
        )
    if problems:
        raise BankFileError(problems)
    return lines


def result_csv(lines: list[ResultLine], *, encoding: str = "gb18030") -> bytes:
    """A result file as a bank writes it (for tests, the demo and the benchmark)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(RESULT_COLUMNS)
    for line in lines:
        writer.writerow(
            [
                line.seq,
                line.account_name,
                line.account_no,
                _amount_text(line.amount),
                "成功" if line.paid else "失败",
                line.reason,
                line.bank_ref,
            ]
        )
    text = buffer.getvalue()
    return text.encode("gb18030") if encoding == "gb18030" else text.encode("utf-8-sig")
