"""Building blocks of the trade-in tests: a programme with merchants in 天津市/武清区 (so that the
北辰区 demo data stays untouched), valid identity numbers and claim rows that pass every check."""

import datetime
import itertools
from decimal import Decimal

from liangxin.core.idcodes import resident_id_from, uscc_from
from liangxin.core.models import Jurisdiction, User
from liangxin.tradein.formula import category_of, subsidy_for
from liangxin.tradein.services.budget import budget_create, budget_release
from liangxin.tradein.services.merchants import merchant_account_create, merchant_register
from liangxin.tradein.services.programmes import programme_create, ruleset_load

_serial = itertools.count(1)


def identity(n: int) -> str:
    # Distinct for every n below 20,000 (211 and 20,000 share no factor); births 1950–2004.
    birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=211 * n % 20000)
    return resident_id_from(f"120114{birth:%Y%m%d}{n % 1000:03d}")


def wuqing() -> Jurisdiction:
    return Jurisdiction.objects.get(name="武清区", parent__name="天津市")


def make_programme(
    *, year=2025, name=None, budget=Decimal("100000"), buckets=16, uses_vouchers=False, jurisdiction=None, **budget_kw
):
    office = User.objects.get(username="wuqing")
    place = jurisdiction or wuqing()
    programme = programme_create(
        actor=office,
        jurisdiction=place,
        name=name or f"测试项目{next(_serial)}",
        year=year,
        starts_on=datetime.date(year, 1, 1),
        ends_on=datetime.date(year, 12, 31),
        rules=ruleset_load(year),
        uses_vouchers=uses_vouchers,
    )
    if budget is not None:
        b = budget_create(actor=office, programme=programme, bucket_count=buckets, **budget_kw)
        if budget > 0:
            budget_release(actor=office, budget=b, amount=budget)
    return programme


def make_merchant(*, n=1, jurisdiction=None, username=None):
    office = User.objects.get(username="wuqing")
    place = jurisdiction or wuqing()
    merchant, _ = merchant_register(
        actor=office,
        jurisdiction=place,
        uscc=uscc_from(f"91120114MA0{n:06d}"),
        name=f"测试电器{n}号店",
        account_name=f"测试电器{n}号店",
        account_no=f"62220200000000{n:05d}",
        bank_name="中国银行武清支行",
    )
    if username:
        merchant_account_create(actor=office, merchant=merchant, username=username, password="liangxin-demo")
    return merchant


def row(n: int, *, category="fridge", grade=1, price=Decimal("4999.00"), year=2025, **overrides) -> dict:
    """A claim row that passes every check (buyer n, a fresh serial and invoice number)."""
    rules = ruleset_load(year)
    subsidy = subsidy_for(category_of(rules, category) or category_of(rules, "fridge"), price=price, grade=grade)
    data = {
        "idempotency_key": f"key-{n}",
        "buyer_name": "测试买家",
        "buyer_id": identity(n),
        "buyer_phone": f"137{n:08d}",
        "category": category,
        "product_model": f"MODEL-{category}",
        "energy_grade": grade,
        "serial_number": f"SN-{category}-{n}-{next(_serial)}",
        "purchased_on": datetime.date(year, 6, 1),
        "price_paid": price - subsidy,
        "subsidy": subsidy,
        "invoice_no": f"INV{n:06d}-{next(_serial)}",
        "invoice_title_type": "person",
        "delivery_address": f"天津市武清区杨村街{n}号",
        "device_id": f"dev-{n}",
        "recycler_handover_no": f"HS{n:06d}",
    }
    data.update(overrides)
    return data


def api_row(n: int, **kw) -> dict:
    """The same row as JSON for the API (dates and amounts as strings)."""
    data = row(n, **kw)
    return {k: (str(v) if isinstance(v, (Decimal, datetime.date)) else v) for k, v in data.items()}
