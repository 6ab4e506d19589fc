"""Payouts: the bank files of a payment batch (the order's exact bytes, the result file's parsing),
batches from approved claims, the result's reconciliation, retries and returns."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from liangxin.tradein.bankfiles import (
    BankFileError,
    Order,
    OrderLine,
    ResultLine,
    memo_for,
    order_csv,
    order_xlsx,
    parse_result,
    result_csv,
)


def _order():
    return Order(
        batch_number="PB-2026-0007",
        created=datetime.date(2026, 3, 2),
        lines=[
            OrderLine(
                1,
                "天津市北辰区华顺电器有限公司",
                "1202 0211 0900 1234 567",
                "中国工商银行天津北辰支行",
                Decimal("4500.00"),
                memo_for("PB-2026-0007", ["TI-0001", "TI-0002"]),
            ),
            OrderLine(
                2,
                "天津宜家家电销售有限公司",
                "6222000011112222",
                "中国建设银行天津分行",
                Decimal("1500"),
                memo_for("PB-2026-0007", ["TI-0003"]),
            ),
        ],
    )


def test_the_order_csv_is_gb18030_with_the_documented_columns_and_crlf_lines():
    raw = order_csv(_order())
    assert raw.decode("gb18030") == (
        "序号,收款户名,收款账号,开户行,金额,用途/附言\r\n"
        "1,天津市北辰区华顺电器有限公司,1202021109001234567,中国工商银行天津北辰支行,4500.00,"
        "以旧换新补贴 PB-2026-0007 TI-0001、TI-0002\r\n"
        "2,天津宜家家电销售有限公司,6222000011112222,中国建设银行天津分行,1500.00,以旧换新补贴 PB-2026-0007 TI-0003\r\n"
    )


def test_the_order_csv_in_utf8_starts_with_a_byte_order_mark():
    raw = order_csv(_order(), encoding="utf-8")
    assert raw.startswith(b"\xef\xbb\xbf\xe5\xba\x8f\xe5\x8f\xb7,")
    assert raw.decode("utf-8-sig").splitlines()[2].startswith("2,天津宜家家电销售有限公司,6222000011112222,")


def test_the_order_xlsx_has_the_same_lines_and_a_summary_sheet():
    book = load_workbook(io.BytesIO(order_xlsx(_order())))
    assert book.sheetnames == ["付款明细", "汇总"]
    rows = list(book["付款明细"].iter_rows(values_only=True))
    assert rows[0] == ("序号", "收款户名", "收款账号", "开户行", "金额", "用途/附言")
    assert rows[1][:5] == (1, "天津市北辰区华顺电器有限公司", "1202021109001234567", "中国工商银行天津北辰支行", 4500)
    assert list(book["汇总"].iter_rows(values_only=True)) == [
        ("批次号", "PB-2026-0007"),
        ("制单日期", "2026-03-02"),
        ("笔数", 2),
        ("总金额", 6000),
    ]


def test_a_result_file_written_by_the_bank_reads_back_in_either_encoding():
    lines = [
        ResultLine(1, "甲", "111", Decimal("4500.00"), True, bank_ref="B0001"),
        ResultLine(2, "乙", "222", Decimal("1500.00"), False, reason="户名与账号不符"),
    ]
    for encoding in ("gb18030", "utf-8"):
        parsed = parse_result(result_csv(lines, encoding=encoding))
        assert [(x.seq, x.amount, x.paid, x.reason, x.bank_ref, x.row) for x in parsed] == [
            (1, Decimal("4500.00"), True, "", "B0001", 2),
            (2, Decimal("1500.00"), False, "户名与账号不符", "", 3),
        ]


def test_result_columns_are_found_by_their_header_and_bank_words_are_understood():
    raw = '状态,金额,序号,失败原因\r\n交易成功,"1,200.50",3,\r\n退票,¥80.00,4,账户已销户\r\n'.encode("gb18030")
    parsed = parse_result(raw)
    assert [(x.seq, x.amount, x.paid, x.reason) for x in parsed] == [
        (3, Decimal("1200.50"), True, ""),
        (4, Decimal("80.00"), False, "账户已销户"),
    ]


def test_every_bad_row_of_a_result_file_is_named_and_nothing_is_returned():
    raw = (
        "序号,收款户名,收款账号,金额,状态,失败原因\r\n"
        "1,甲,111,100.00,成功,\r\n"
        "x,乙,222,100.00,成功,\r\n"
        "3,丙,333,12.345,成功,\r\n"
        "4,丁,444,5.00,处理中,\r\n"
        "5,戊,555,5.00,失败,\r\n"
        "1,甲,111,100.00,成功,\r\n"
    ).encode()
    with pytest.raises(BankFileError) as caught:
        parse_result(raw)
    assert caught.value.problems == [
        "第 3 行：序号 'x' 不是整数。",
        "第 4 行：金额 '12.345' 不是以元为单位的金额。",
        "第 5 行：状态 '处理中' 既不是成功也不是失败。",
        "第 6 行：失败的行须写明失败原因。",
        "第 7 行：序号 1 出现了两次。",
    ]


def test_a_result_file_without_the_required_columns_is_refused():
    with pytest.raises(BankFileError) as caught:
        parse_result("序号,户名\r\n1,甲\r\n".encode())
    assert caught.value.problems == ["表头缺少以下列：金额、状态。"]
    with pytest.raises(BankFileError) as caught:
        parse_result(b"")
    assert caught.value.problems == ["结果文件是空的。"]
