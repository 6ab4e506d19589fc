"""Demo data of the trade-in engine (labelled as demo): 北辰区's 2025 programme with the national
rules, a budget, a voucher window for phones, two merchants with API accounts and a few dozen
claims in every state, two of them flagged. Idempotent: a second run finds the programme and stops.
"""

import datetime
import json
from decimal import Decimal
from importlib import resources

from django.db import transaction
from django.utils import timezone

from liangxin.core.idcodes import resident_id_from, uscc_from
from liangxin.core.models import Jurisdiction, User

from .enums import ClaimState, RejectCode
from .formula import category_of, subsidy_for
from .models import Programme
from .services.claims import claim_mark_paid, claim_reject, claim_submit, claim_transition
from .services.merchants import merchant_account_create, merchant_register
from .services.programmes import programme_load_national
from .services.vouchers import voucher_window_create

DEMO_TAG = "（演示数据）"

MERCHANTS = [
    {
        "username": "merchant_suning_bc",
        "uscc": uscc_from("91120113MA05NG001"),
        "name": "苏宁易购北辰店" + DEMO_TAG,
        "kind": "store",
        "account_name": "天津苏宁易购北辰店（演示）",
        "account_no": "6222020000000000011",
        "bank_name": "中国工商银行天津北辰支行",
    },
    {
        "username": "merchant_jd_bc",
        "uscc": uscc_from("91120113MA05JD001"),
        "name": "京东家电北辰专卖店" + DEMO_TAG,
        "kind": "platform",
        "account_name": "京东家电北辰专卖店（演示）",
        "account_no": "6217000000000000022",
        "bank_name": "中国建设银行天津北辰支行",
    },
]

# (category, model, grade, price before subsidy)
PRODUCTS = [
    ("fridge", "海尔BCD-470WGHTD", 1, Decimal("4999.00")),
    ("washer", "小天鹅TG100V88", 1, Decimal("3299.00")),
    ("tv", "海信65E5N", 1, Decimal("5999.00")),
    ("air_conditioner", "格力云佳1.5匹", 1, Decimal("2899.00")),
    ("water_heater", "美的F6032-JE5", 2, Decimal("1899.00")),
    ("computer", "联想小新Pro16", 1, Decimal("6499.00")),
    ("range_hood", "方太EMD20T", 2, Decimal("3599.00")),
    ("dishwasher", "西门子SJ43HS00KC", 1, Decimal("12000.00")),
]
STREETS = ["果园新村街", "集贤里街", "佳荣里街", "青源街", "瑞景街", "天穆镇", "北仓镇", "西堤头镇"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"


def _password() -> str:
    spec = json.loads((resources.files("liangxin.plans") / "demo" / "demo.json").read_text(encoding="utf-8"))
    return spec["password"]


def _identity(n: int) -> str:
    birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=397 * n)
    return resident_id_from(f"120113{birth:%Y%m%d}{100 + n:03d}")


@transaction.atomic
def load_demo(*, quiet: bool, stdout) -> None:
    beichen = Jurisdiction.objects.filter(name="北辰区", parent__name="天津市").first()
    if beichen is None:
        return
    rules_title = "2025年全国消费品以旧换新（示例规则）"
    if Programme.objects.filter(jurisdiction=beichen, name=rules_title).exists():
        return
    office = User.objects.filter(username="beichen").first()
    programme, _created = programme_load_national(
        actor=office, jurisdiction=beichen, year=2025, budget=Decimal("3000000"), uses_vouchers=True
    )
    now = timezone.now()
    opens = timezone.localtime(now).replace(hour=10, minute=0, second=0, microsecond=0)
    voucher_window_create(
        actor=office,
        programme=programme,
        category="phone",
        opens_at=opens - datetime.timedelta(days=1),
        closes_at=opens + datetime.timedelta(days=30),
        daily_quota=500,
        valid_days=7,
        return_on_expiry=True,
        return_on_refund=False,
    )
    password = _password()
    merchants = []
    for spec in MERCHANTS:
        merchant, _ = merchant_register(
            actor=office,
            jurisdiction=beichen,
            uscc=spec["uscc"],
            name=spec["name"],
            kind=spec["kind"],
            account_name=spec["account_name"],
            account_no=spec["account_no"],
            bank_name=spec["bank_name"],
        )
        if not User.objects.filter(username=spec["username"]).exists():
            merchant_account_create(actor=office, merchant=merchant, username=spec["username"], password=password)
        merchants.append(merchant)

    rules = programme.rule_versions.get(version=1).rules
    # 30 claims: the older ones are further along, some of them past their deadlines.
    plan = (
        [ClaimState.PAID] * 5
        + [ClaimState.APPROVED] * 5
        + [ClaimState.REVIEWED] * 4
        + [ClaimState.ACCEPTED] * 5
        + [ClaimState.SUBMITTED] * 8
        + [ClaimState.REJECTED] * 2
    )
    claims = []
    for n, target in enumerate(plan):
        category, model, grade, price = PRODUCTS[n % len(PRODUCTS)]
        subsidy = subsidy_for(category_of(rules, category), price=price, grade=grade)
        submitted = now - datetime.timedelta(days=40 - n, hours=n % 5)
        purchased = datetime.date(2025, 10, 1) + datetime.timedelta(days=n * 2)
        merchant = merchants[n % 2]
        data = {
            "buyer_name": SURNAMES[n % len(SURNAMES)] + "某某",
            "buyer_id": _identity(n),
            "buyer_phone": f"138{n:04d}{(n * 37) % 10000:04d}",
            "category": category,
            "product_model": model,
            "energy_grade": grade,
            "serial_number": f"DEMO-{category.upper()}-{n:05d}",
            "purchased_on": purchased,
            "price_paid": price - subsidy,
            "subsidy": subsidy,
            "invoice_no": f"2512000{n:05d}",
            "invoice_title_type": "person",
            "delivery_address": f"天津市北辰区{STREETS[n % len(STREETS)]}{n + 1}号楼{(n % 6) + 1}门",
            "device_id": f"demo-device-{n:03d}",
            "recycler_handover_no": f"HS2025{n:06d}",
        }
        result = claim_submit(
            actor=None, merchant=merchant, programme=programme, idempotency_key=f"demo-{n}", data=data, now=submitted
        )
        claim = result.claim
        steps = {
            ClaimState.ACCEPTED: [ClaimState.ACCEPTED],
            ClaimState.REVIEWED: [ClaimState.ACCEPTED, ClaimState.REVIEWED],
            ClaimState.APPROVED: [ClaimState.ACCEPTED, ClaimState.REVIEWED, ClaimState.APPROVED],
            ClaimState.PAID: [ClaimState.ACCEPTED, ClaimState.REVIEWED, ClaimState.APPROVED],
        }.get(target, [])
        for day, step in enumerate(steps, start=1):
            claim = claim_transition(
                actor=office, claim=claim, to_state=step, now=submitted + datetime.timedelta(days=day)
            )
        if target == ClaimState.PAID:
            claim_mark_paid(claim=claim, actor=office, paid_at=submitted + datetime.timedelta(days=8))
        elif target == ClaimState.REJECTED:
            claim_reject(
                actor=office,
                claim=claim,
                code=RejectCode.DOCUMENTS,
                reason="回收凭证与旧机型号不符（演示）",
                now=submitted + datetime.timedelta(days=2),
            )
        claims.append(claim)

    # Two suspicious claims: the same fridge dearer than last week, and a fourth buyer at one address.
    category, model, grade, _price = PRODUCTS[0]
    hike_price = Decimal("5999.00")
    subsidy = subsidy_for(category_of(rules, category), price=hike_price, grade=grade)
    shared_address = "天津市北辰区果园新村街1号楼1门"
    for n in range(30, 33):
        _submit_simple(programme, merchants[1], rules, n, now, address=shared_address, phone="13900001111")
    claim_submit(
        actor=None,
        merchant=merchants[0],
        programme=programme,
        idempotency_key="demo-hike",
        data={
            "buyer_name": "钱某某",
            "buyer_id": _identity(40),
            "buyer_phone": "13700002222",
            "category": category,
            "product_model": model,
            "energy_grade": grade,
            "serial_number": "DEMO-FRIDGE-HIKE",
            "purchased_on": datetime.date(2025, 11, 20),
            "price_paid": hike_price - subsidy,
            "subsidy": subsidy,
            "invoice_no": "25120009999",
            "delivery_address": "天津市北辰区瑞景街8号楼2门",
            "recycler_handover_no": "HS2025999999",
        },
        now=now - datetime.timedelta(hours=3),
    )
    if not quiet:
        stdout.write(f"Trade-in demo: {programme.name} for 北辰区 with {len(claims) + 4} claims (demo data).")


def _submit_simple(programme, merchant, rules, n, now, *, address, phone):
    category, model, grade, price = PRODUCTS[1]
    subsidy = subsidy_for(category_of(rules, category), price=price, grade=grade)
    return claim_submit(
        actor=None,
        merchant=merchant,
        programme=programme,
        idempotency_key=f"demo-{n}",
        data={
            "buyer_name": SURNAMES[n % len(SURNAMES)] + "某",
            "buyer_id": _identity(n),
            "buyer_phone": phone,
            "category": category,
            "product_model": model,
            "energy_grade": grade,
            "serial_number": f"DEMO-WASHER-{n:05d}",
            "purchased_on": datetime.date(2025, 11, 25),
            "price_paid": price - subsidy,
            "subsidy": subsidy,
            "invoice_no": f"2512000{n:05d}",
            "delivery_address": address,
            "recycler_handover_no": f"HS2025{n:06d}",
        },
        now=now - datetime.timedelta(hours=2),
    )
