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


# --- batches, the bank's result, retries and returns ------------------------------------------------

from liangxin.core.models import User  # noqa: E402
from liangxin.tradein.enums import BatchState, ClaimState, LedgerKind, LineState  # noqa: E402
from liangxin.tradein.models import BudgetEntry, Claim, PaymentLine  # noqa: E402
from liangxin.tradein.selectors import budget_summary  # noqa: E402
from liangxin.tradein.services import payouts  # noqa: E402
from liangxin.tradein.services.budget import budget_check  # noqa: E402
from liangxin.tradein.services.claims import claim_submit, claim_transition  # noqa: E402

from .factories import make_merchant, make_programme, row  # noqa: E402


def _approved(programme, merchant, n, office, **kw):
    data = row(n, **kw)
    key = data.pop("idempotency_key")
    claim = claim_submit(actor=None, merchant=merchant, programme=programme, idempotency_key=key, data=data).claim
    for state in (ClaimState.ACCEPTED, ClaimState.REVIEWED, ClaimState.APPROVED):
        claim = claim_transition(actor=office, claim=claim, to_state=state)
    return claim


@pytest.fixture
def paying(db):
    """A 武清区 programme of 100,000 yuan with three approved fridge claims: two of merchant 1
    (subsidy 999.80 each: 20 % of 4,999 under the 2025 rules) and one of merchant 2 (at 3,000: 600.00)."""
    office = User.objects.get(username="wuqing")
    programme = make_programme(name="拨付测试项目")
    first, second = make_merchant(n=701), make_merchant(n=702)
    claims = [
        _approved(programme, first, 71, office),
        _approved(programme, first, 72, office),
        _approved(programme, second, 73, office, price=Decimal("3000.00")),
    ]
    return {"office": office, "programme": programme, "first": first, "second": second, "claims": claims}


def _result(batch, rows):
    """A result file as the bank writes it: (seq, paid, reason) per row, amounts from the batch."""
    groups = {g.seq: g for g in payouts.batch_groups(batch)}
    return result_csv(
        [
            ResultLine(
                seq,
                groups[seq].merchant.account_name,
                groups[seq].merchant.account_no,
                groups[seq].amount,
                paid,
                reason=reason,
                bank_ref=f"B{seq:04d}" if paid else "",
            )
            for seq, paid, reason in rows
        ]
    )


def test_a_batch_pays_each_merchant_once_with_the_claim_numbers_in_the_remark(paying):
    programme, (c1, c2, c3) = paying["programme"], paying["claims"]
    batch = payouts.batch_create(actor=paying["office"], programme=programme)
    assert batch.number == 1 and batch.state == BatchState.DRAFT
    assert PaymentLine.objects.filter(batch=batch).count() == 3
    label = f"PB{programme.pk}-2025-0001"
    assert payouts.batch_label(batch) == label
    first_claims = "、".join(sorted([c1.number, c2.number]))
    order = payouts.batch_export(actor=paying["office"], batch=batch, file_name=f"{label}.csv")
    assert order_csv(order).decode("gb18030") == (
        "序号,收款户名,收款账号,开户行,金额,用途/附言\r\n"
        f"1,测试电器701号店,6222020000000000701,中国银行武清支行,1999.60,以旧换新补贴 {label} {first_claims}\r\n"
        f"2,测试电器702号店,6222020000000000702,中国银行武清支行,600.00,以旧换新补贴 {label} {c3.number}\r\n"
    )
    batch.refresh_from_db()
    assert batch.state == BatchState.EXPORTED and batch.file_name == f"{label}.csv"
    # The claims are in flight: a second batch finds nothing to pay.
    with pytest.raises(payouts.DomainError, match="没有等待拨付的已审批申报"):
        payouts.batch_create(actor=paying["office"], programme=programme)


def test_the_result_pays_the_paid_rows_and_keeps_the_failed_ones_reserved_then_a_retry_pays_them(paying):
    office, programme, (c1, c2, c3) = paying["office"], paying["programme"], paying["claims"]
    batch = payouts.batch_create(actor=office, programme=programme)
    payouts.batch_export(actor=office, batch=batch, file_name="x.csv")

    summary = payouts.batch_reconcile(
        actor=office, batch=batch, raw=_result(batch, [(1, True, ""), (2, False, "户名与账号不符")]), file_name="r.csv"
    )
    assert (summary.paid_claims, summary.failed_claims) == (2, 1)
    assert (summary.paid_amount, summary.failed_amount) == (Decimal("1999.60"), Decimal("600.00"))
    states = dict(Claim.objects.filter(pk__in=[c1.pk, c2.pk, c3.pk]).values_list("number", "state"))
    assert states == {c1.number: ClaimState.PAID, c2.number: ClaimState.PAID, c3.number: ClaimState.APPROVED}
    assert list(PaymentLine.objects.filter(claim=c3).values_list("state", "failure_reason")) == [
        (LineState.FAILED, "户名与账号不符")
    ]
    assert set(PaymentLine.objects.filter(claim__in=[c1, c2]).values_list("state", "bank_reference")) == {
        (LineState.PAID, "B0001")
    }
    batch.refresh_from_db()
    assert batch.state == BatchState.RECONCILED
    budget = programme.budget
    figures = budget_summary(budget)
    assert (figures["released"], figures["paid"], figures["reserved"], figures["available"]) == (
        Decimal("100000.00"),
        Decimal("1999.60"),
        Decimal("600.00"),
        Decimal("97400.40"),
    )
    assert budget_check(budgets=[budget]) == []
    assert [line.claim_id for line in payouts.failed_lines(programme=programme)] == [c3.pk]

    retry = payouts.batch_retry_failed(actor=office, batch=batch)
    assert retry.number == 2
    assert list(retry.lines.values_list("claim_id", "attempt", "amount")) == [(c3.pk, 2, Decimal("600.00"))]
    payouts.batch_export(actor=office, batch=retry, file_name="y.csv")
    payouts.batch_reconcile(actor=office, batch=retry, raw=_result(retry, [(1, True, "")]), file_name="r2.csv")
    c3.refresh_from_db()
    assert c3.state == ClaimState.PAID
    figures = budget_summary(budget)
    assert (figures["paid"], figures["reserved"], figures["available"]) == (
        Decimal("2599.60"),
        Decimal("0.00"),
        Decimal("97400.40"),
    )
    assert budget_check(budgets=[budget]) == []
    assert payouts.failed_lines(programme=programme) == []


def test_a_failed_payment_returned_releases_its_reservation_and_sends_the_claim_back_to_review(paying):
    office, programme, (_c1, _c2, c3) = paying["office"], paying["programme"], paying["claims"]
    batch = payouts.batch_create(actor=office, programme=programme)
    payouts.batch_export(actor=office, batch=batch, file_name="x.csv")
    payouts.batch_reconcile(
        actor=office, batch=batch, raw=_result(batch, [(1, True, ""), (2, False, "账户已销户")]), file_name="r.csv"
    )
    line = PaymentLine.objects.get(claim=c3)
    claim = payouts.payment_return(actor=office, line=line, reason="商户更换收款账户")
    assert claim.state == ClaimState.REVIEWED and claim.approved_at is None
    line.refresh_from_db()
    assert (line.state, line.failure_reason) == (LineState.RETURNED, "账户已销户 / 商户更换收款账户")
    kinds = list(BudgetEntry.objects.filter(claim=c3).order_by("id").values_list("kind", "amount"))
    assert kinds == [(LedgerKind.RESERVE, Decimal("600.00")), (LedgerKind.RELEASE_BACK, Decimal("600.00"))]
    figures = budget_summary(programme.budget)
    assert (figures["reserved"], figures["available"]) == (Decimal("0.00"), Decimal("98000.40"))
    assert budget_check(budgets=[programme.budget]) == []
    # Approved again later, it is payable in a new batch (its second attempt).
    claim_transition(actor=office, claim=claim, to_state=ClaimState.APPROVED)
    again = payouts.batch_create(actor=office, programme=programme)
    assert list(again.lines.values_list("claim_id", "attempt")) == [(c3.pk, 2)]
    with pytest.raises(payouts.DomainError, match="只有失败的支付才能退回"):
        payouts.payment_return(actor=office, line=line, reason="再退一次")


def test_a_result_file_that_does_not_match_the_batch_is_refused_whole_and_nothing_is_applied(paying):
    office, programme = paying["office"], paying["programme"]
    batch = payouts.batch_create(actor=office, programme=programme)
    payouts.batch_export(actor=office, batch=batch, file_name="x.csv")
    raw = (
        "序号,收款户名,收款账号,金额,状态,失败原因\r\n"
        "1,测试电器701号店,6222020000000000701,1999.60,成功,\r\n"
        "3,某公司,6222,10.00,成功,\r\n"
    ).encode("gb18030")
    with pytest.raises(payouts.ReconcileRefused) as caught:
        payouts.batch_reconcile(actor=office, batch=batch, raw=raw, file_name="bad.csv")
    assert caught.value.problems == [
        "第 3 行：批次中没有序号 3。",
        "文件中缺少序号 2 的结果。",
        "文件合计 2009.60 元，批次合计 2599.60 元。",
    ]
    raw = (
        "序号,收款户名,收款账号,金额,状态,失败原因\r\n"
        "1,测试电器701号店,6222020000000000799,1999.60,成功,\r\n"
        "2,测试电器702号店,6222020000000000702,405.00,成功,\r\n"
    ).encode("gb18030")
    with pytest.raises(payouts.ReconcileRefused) as caught:
        payouts.batch_reconcile(actor=office, batch=batch, raw=raw, file_name="bad.csv")
    assert caught.value.problems == [
        "第 2 行：序号 1 付至账号 6222020000000000799，批次中为 6222020000000000701。",
        "第 3 行：序号 2 在文件中为 405.00 元，批次中为 600.00 元。",
        "文件合计 2404.60 元，批次合计 2599.60 元。",
    ]
    batch.refresh_from_db()
    assert batch.state == BatchState.EXPORTED
    assert set(Claim.objects.filter(programme=programme).values_list("state", flat=True)) == {ClaimState.APPROVED}
    assert not BudgetEntry.objects.filter(budget=programme.budget, kind=LedgerKind.PAY).exists()
    assert set(PaymentLine.objects.filter(batch=batch).values_list("state", flat=True)) == {LineState.PENDING}


def test_a_draft_batch_is_not_reconciled_and_a_reconciled_one_not_twice(paying):
    office, programme = paying["office"], paying["programme"]
    batch = payouts.batch_create(actor=office, programme=programme)
    good = _result(batch, [(1, True, ""), (2, True, "")])
    with pytest.raises(payouts.DomainError, match="请先下载银行文件"):
        payouts.batch_reconcile(actor=office, batch=batch, raw=good)
    payouts.batch_export(actor=office, batch=batch, file_name="x.csv")
    payouts.batch_reconcile(actor=office, batch=batch, raw=good)
    with pytest.raises(payouts.DomainError, match="该批次已对账"):
        payouts.batch_reconcile(actor=office, batch=batch, raw=good)
    with pytest.raises(payouts.DomainError, match="只有草稿批次可以作废"):
        payouts.batch_discard(actor=office, batch=batch)


def test_a_draft_batch_discarded_frees_its_claims_for_the_next_batch(paying):
    office, programme = paying["office"], paying["programme"]
    batch = payouts.batch_create(actor=office, programme=programme, merchant_ids=[paying["second"].pk])
    assert batch.lines.count() == 1
    payouts.batch_discard(actor=office, batch=batch)
    assert payouts.batch_create(actor=office, programme=programme).lines.count() == 3
