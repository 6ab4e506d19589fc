"""Demo network (演示数据): 北辰区's three-level recycling network, a few 朔州市 sites, 泰山区's 公物仓.

北辰区: its towns with their centres (GCJ-02, approximately right), about 230 sites scattered around
the town centres — 200 community points open before 2024 (as the plan's baseline says), new points
opened in 2024–2025, two closed, a few planned; 中转站 in the larger towns; two 分拣中心 (the second
opened in mid-2025); an end-of-life vehicle dismantler; a mobile collection van with its route — and
24 months (2024–2025) of returns whose appliance totals follow the plan's baseline (3,792 台 in 2023,
about +7 % a year), with one spike waiting for confirmation. Seeded: the same data every time.
Loaded in bulk (one query per table) so that it takes well under a second; idempotent.
"""

import datetime
import math
import random
import statistics
from decimal import Decimal

from django.db import transaction

from liangxin.core.idcodes import uscc_from
from liangxin.core.models import AuditEntry, Jurisdiction, Unit
from liangxin.core.services import jurisdiction_ensure_path
from liangxin.registry.services import enterprise_upsert

from .enums import Category, ReturnState, SiteLevel, SiteStatus
from .models import RouteStop, Site, SiteStatusChange, TownCentre, VolumeReturn

DEMO_NOTE = "演示数据"
SEED = 20240301

# name, centre (GCJ-02), population, share of the points, streets and communities for addresses
BEICHEN_TOWNS = [
    (
        "果园新村街道",
        (39.1905, 117.1542),
        98000,
        24,
        ["果园南道", "北辰道", "辰昌路"],
        ["果园新村", "风貌里", "龙泉里"],
    ),
    ("集贤里街道", (39.1792, 117.1631), 86000, 20, ["集贤道", "引河里北道", "铁东路"], ["集贤里", "丽苑", "朝阳里"]),
    ("佳荣里街道", (39.1861, 117.1238), 72000, 18, ["佳荣里路", "龙洲道", "辰达路"], ["佳荣里", "佳园里", "富锦华庭"]),
    (
        "普东街道",
        (39.1683, 117.1833),
        65000,
        15,
        ["普济河东道", "延吉道", "京津公路"],
        ["普东新苑", "铁东北里", "秋怡家园"],
    ),
    ("瑞景街道", (39.2018, 117.1712), 90000, 20, ["瑞景大道", "辰昌路", "龙洲道"], ["瑞景花园", "喜逢嘉园", "宜景园"]),
    (
        "宜兴埠镇",
        (39.2119, 117.1968),
        110000,
        24,
        ["宜白路", "京津公路", "津宁高速辅路"],
        ["宜兴埠", "宜盛园", "泰来家园"],
    ),
    ("天穆镇", (39.2081, 117.1435), 70000, 16, ["北仓道", "天穆路", "京津公路"], ["天穆村", "欧式风情小镇", "穆华里"]),
    ("北仓镇", (39.2374, 117.1186), 65000, 16, ["北仓道", "京福公路", "永定河路"], ["北仓村", "银河花园", "北仓家园"]),
    ("双街镇", (39.2720, 117.1263), 48000, 12, ["双街路", "京福公路", "双辰路"], ["双街村", "汀兰苑", "双街新家园"]),
    ("双口镇", (39.2298, 117.0126), 36000, 8, ["双口路", "津永公路", "永定河大堤路"], ["双口一村", "后丁庄", "安光村"]),
    ("青光镇", (39.2124, 117.0619), 42000, 10, ["青光路", "津霸公路", "韩家墅路"], ["青光村", "韩家墅", "青光新苑"]),
    (
        "西堤头镇",
        (39.2467, 117.2684),
        40000,
        8,
        ["津汉公路", "西堤头路", "永定新河大堤路"],
        ["西堤头村", "刘快庄", "赵庄子"],
    ),
    ("大张庄镇", (39.3012, 117.2021), 30000, 2, ["津榆公路", "大张庄路", "喜峰口路"], ["大张庄村", "小诸庄", "南麻疃"]),
    ("小淀镇", (39.2458, 117.2135), 45000, 7, ["小淀路", "津围公路", "铁锅店路"], ["小淀村", "丰产河家园", "刘安庄"]),
]
# 200 points open before 2024: the share column above adds up to 200.

OPERATORS = [
    (1, "天津北辰绿源再生资源回收有限公司"),
    (2, "天津市辰环再生资源利用有限公司"),
    (3, "天津宜兴埠物资回收有限公司"),
    (4, "天津北辰城市矿产再生资源有限公司"),
    (5, "天津津北报废汽车回收拆解有限公司"),
    (6, "天津易回收环保科技有限公司"),
]

POINT_HOURS = [
    "周一至周日 8:00-18:00",
    "周一至周五 8:30-17:30; 周六 9:00-12:00",
    "08:00-20:00",
    "周二、周四、周六 9:00-16:00",
]
POINT_CATEGORIES = [
    ["appliances", "paper", "metal", "plastic", "textile"],
    ["paper", "plastic", "metal", "glass"],
    ["appliances", "ewaste", "battery", "paper"],
    ["appliances", "furniture", "metal", "paper", "plastic"],
]


def _code(serial: int, region: str = "120113") -> str:
    return uscc_from(f"91{region}MA0R{serial:05d}")


def _scatter(rng: random.Random, centre, radius_km: float):
    angle = rng.uniform(0, 2 * math.pi)
    distance = radius_km * math.sqrt(rng.random())
    dlat = distance / 111.0 * math.cos(angle)
    dlng = distance / (111.0 * math.cos(math.radians(centre[0]))) * math.sin(angle)
    return Decimal(f"{centre[0] + dlat:.6f}"), Decimal(f"{centre[1] + dlng:.6f}")


def _date_between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randrange((last - first).days + 1))


def _phone(rng: random.Random) -> str:
    return f"022-{rng.randrange(2630, 2699)}{rng.randrange(1000, 9999)}"


class _Batch:
    """Sites with their status changes, created in bulk."""

    def __init__(self):
        self.sites: list[Site] = []
        self.changes: list[list[tuple]] = []

    def add(self, site: Site, changes: list[tuple]) -> Site:
        site.notes = site.notes or DEMO_NOTE
        site.status, site.status_since = changes[-1][1], changes[-1][0]
        site.compute_coordinates()
        self.sites.append(site)
        self.changes.append(changes)
        return site

    def save(self) -> list[Site]:
        Site.objects.bulk_create(self.sites)
        rows = []
        for site, changes in zip(self.sites, self.changes, strict=True):
            previous = ""
            for on, status, reason in changes:
                rows.append(SiteStatusChange(site=site, from_status=previous, to_status=status, on=on, reason=reason))
                previous = status
        SiteStatusChange.objects.bulk_create(rows)
        AuditEntry.objects.bulk_create(
            AuditEntry(
                actor_label="demo",
                action="recycling.site_create",
                object_type="recycling.site",
                object_id=str(s.pk),
                object_repr=s.name[:300],
                after={"name": s.name, "level": s.level, "status": s.status, "note": DEMO_NOTE},
            )
            for s in self.sites
        )
        return self.sites


def _beichen(district: Jurisdiction, rng: random.Random) -> None:
    towns = {}
    for name, centre, population, _share, _streets, _communities in BEICHEN_TOWNS:
        town = jurisdiction_ensure_path(path=f"{district.full_name}/{name}")
        towns[name] = town
        TownCentre.objects.update_or_create(
            town=town,
            defaults={"lat": Decimal(str(centre[0])), "lng": Decimal(str(centre[1])), "population": population},
        )
    shangwu = Unit.objects.filter(jurisdiction=district, name="区商务局").first()
    ops = {}
    for serial, name in OPERATORS:
        ops[serial], _created = enterprise_upsert(
            actor=None, uscc=_code(serial), name=name, jurisdiction=district, industry="再生资源回收"
        )
    batch = _Batch()

    def site(level, town_name, name, address, lat_lng, changes, **extra):
        return batch.add(
            Site(
                jurisdiction=district,
                town=towns[town_name],
                level=level,
                name=name,
                address=address,
                lat=lat_lng[0],
                lng=lat_lng[1],
                datum="gcj02",
                responsible_unit=shangwu,
                **extra,
            ),
            changes,
        )

    for name, centre, _population, share, streets, communities in BEICHEN_TOWNS:
        short = name.removesuffix("街道").removesuffix("镇")
        # 大张庄镇's two points are in villages far from the centre: a gap at 3 km.
        radius = 1.6 if name.endswith("街道") else 3.0
        for i in range(share):
            community = communities[i % len(communities)]
            street = streets[rng.randrange(len(streets))]
            lat_lng = (
                _scatter(rng, centre, radius)
                if name != "大张庄镇"
                else _scatter(rng, (centre[0] + 0.04, centre[1] + 0.02), 0.5)
            )
            since = _date_between(rng, datetime.date(2018, 3, 1), datetime.date(2023, 12, 20))
            operator = ops[rng.choice([1, 1, 3, 4])] if rng.random() < 0.55 else None
            site(
                SiteLevel.POINT,
                name,
                f"{short}{community}再生资源回收点{i // len(communities) + 1}号",
                f"天津市北辰区{street}{rng.randrange(1, 300)}号（{community}{rng.randrange(1, 30)}号楼旁）",
                lat_lng,
                [(since, SiteStatus.OPEN, "投入运营")],
                operator=operator,
                hours=rng.choice(POINT_HOURS),
                phone=_phone(rng),
                categories=rng.choice(POINT_CATEGORIES),
                two_networks=rng.random() < 0.3,
            )
    points = list(batch.sites)
    # Two points closed in 2024 (a demolished block, an operator giving up).
    closed = [points[7], points[61]]
    for s, on, reason in (
        (closed[0], datetime.date(2024, 5, 20), "所在片区拆迁"),
        (closed[1], datetime.date(2024, 9, 2), "经营者退出"),
    ):
        index = batch.sites.index(s)
        batch.changes[index].append((on, SiteStatus.CLOSED, reason))
        s.status, s.status_since = SiteStatus.CLOSED, on
    # New points: planned, then opened in 2024 and 2025; a few still planned.
    new_towns = ["瑞景街道", "宜兴埠镇", "双街镇", "北仓镇", "小淀镇", "青光镇", "果园新村街道", "双口镇"]
    for i in range(28):
        town_name = new_towns[i % len(new_towns)]
        spec = next(t for t in BEICHEN_TOWNS if t[0] == town_name)
        short = town_name.removesuffix("街道").removesuffix("镇")
        planned_on = _date_between(rng, datetime.date(2023, 10, 1), datetime.date(2025, 3, 31))
        changes = [(planned_on, SiteStatus.PLANNED, "纳入年度建设计划")]
        if i < 22:
            open_on = min(planned_on + datetime.timedelta(days=rng.randrange(60, 240)), datetime.date(2025, 10, 31))
            changes.append((open_on, SiteStatus.OPEN, "建成投用"))
        site(
            SiteLevel.POINT,
            town_name,
            f"{short}新建再生资源回收点{i + 1}号",
            f"天津市北辰区{spec[4][i % 3]}{rng.randrange(1, 400)}号",
            _scatter(rng, spec[1], 2.5),
            changes,
            operator=ops[rng.choice([1, 4, 6])],
            hours=rng.choice(POINT_HOURS),
            phone=_phone(rng),
            categories=rng.choice(POINT_CATEGORIES),
            two_networks=True,
        )
    transfers = []
    for i, town_name in enumerate(["果园新村街道", "宜兴埠镇", "北仓镇", "双街镇", "青光镇", "西堤头镇"]):
        spec = next(t for t in BEICHEN_TOWNS if t[0] == town_name)
        short = town_name.removesuffix("街道").removesuffix("镇")
        transfers.append(
            site(
                SiteLevel.TRANSFER,
                town_name,
                f"{short}再生资源中转站",
                f"天津市北辰区{spec[4][0]}{rng.randrange(300, 900)}号",
                _scatter(rng, spec[1], 1.0),
                [(datetime.date(2019 + i % 3, 4 + i, 1), SiteStatus.OPEN, "投入运营")],
                operator=ops[3 if i % 2 else 1],
                hours="周一至周六 7:30-17:00",
                phone=_phone(rng),
                categories=["appliances", "furniture", "metal", "paper", "plastic", "textile"],
                two_networks=True,
            )
        )
    sorting_1 = site(
        SiteLevel.SORTING,
        "双街镇",
        "北辰区再生资源分拣中心（双街）",
        "天津市北辰区双街镇京福公路东侧双街工业园",
        (Decimal("39.265844"), Decimal("117.141276")),
        [(datetime.date(2019, 6, 18), SiteStatus.OPEN, "投入运营")],
        operator=ops[2],
        hours="周一至周六 8:00-17:00",
        phone="022-26391234",
        categories=["appliances", "metal", "paper", "plastic", "textile", "glass", "ewaste"],
        two_networks=True,
    )
    sorting_2 = site(
        SiteLevel.SORTING,
        "大张庄镇",
        "北辰区第二再生资源分拣中心（大张庄）",
        "天津市北辰区大张庄镇津榆公路与喜峰口路交口东北侧",
        (Decimal("39.292310"), Decimal("117.215540")),
        [
            (datetime.date(2024, 9, 10), SiteStatus.PLANNED, "列入2025年建设计划"),
            (datetime.date(2025, 6, 30), SiteStatus.OPEN, "建成投用"),
        ],
        operator=ops[4],
        hours="周一至周六 8:00-17:00",
        phone="022-26398866",
        categories=["appliances", "metal", "paper", "plastic", "battery"],
        two_networks=True,
    )
    site(
        SiteLevel.SORTING,
        "西堤头镇",
        "北辰区第三再生资源分拣中心（西堤头，规划）",
        "天津市北辰区西堤头镇津汉公路北侧",
        (Decimal("39.251120"), Decimal("117.281630")),
        [(datetime.date(2025, 8, 1), SiteStatus.PLANNED, "列入2026—2027年建设计划")],
        operator=None,
        categories=["appliances", "metal", "paper", "plastic"],
    )
    dismantler = site(
        SiteLevel.VEHICLE_DISMANTLER,
        "小淀镇",
        "天津津北报废汽车回收拆解有限公司",
        "天津市北辰区小淀镇津围公路与铁锅店路交口",
        (Decimal("39.252860"), Decimal("117.226610")),
        [(datetime.date(2016, 11, 1), SiteStatus.OPEN, "取得报废机动车回收拆解资质")],
        operator=ops[5],
        hours="周一至周六 8:30-17:00",
        phone="022-26712345",
        categories=["vehicle"],
    )
    van = site(
        SiteLevel.MOBILE,
        "佳荣里街道",
        "“以车代库”流动回收车（北辰1号）",
        "天津市北辰区佳荣里街道龙洲道（停车点）",
        (Decimal("39.186900"), Decimal("117.126300")),
        [(datetime.date(2024, 3, 15), SiteStatus.OPEN, "开始巡回收运")],
        operator=ops[6],
        hours="周二、周四、周六 9:00-16:00",
        phone="400-820-6688",
        categories=["appliances", "furniture", "paper", "metal", "textile"],
        two_networks=True,
    )
    batch.save()
    RouteStop.objects.bulk_create(
        [
            RouteStop(
                site=van,
                position=1,
                place="佳荣里社区南门",
                lat=Decimal("39.184300"),
                lng=Decimal("117.124100"),
                schedule="周二 9:00-10:30",
            ),
            RouteStop(
                site=van,
                position=2,
                place="果园新村农贸市场",
                lat=Decimal("39.191900"),
                lng=Decimal("117.151200"),
                schedule="周二 14:00-16:00",
            ),
            RouteStop(
                site=van,
                position=3,
                place="瑞景花园东门",
                lat=Decimal("39.203100"),
                lng=Decimal("117.173400"),
                schedule="周四 9:00-11:00",
            ),
            RouteStop(
                site=van,
                position=4,
                place="天穆镇政府广场",
                lat=Decimal("39.208800"),
                lng=Decimal("117.143900"),
                schedule="周四 14:00-16:00",
            ),
            RouteStop(
                site=van,
                position=5,
                place="双口镇文化广场",
                lat=Decimal("39.230400"),
                lng=Decimal("117.014100"),
                schedule="周六 9:00-11:30",
            ),
            RouteStop(
                site=van,
                position=6,
                place="青光镇韩家墅市场",
                lat=Decimal("39.214200"),
                lng=Decimal("117.064800"),
                schedule="周六 13:30-16:00",
            ),
        ]
    )
    _beichen_returns(rng, points, transfers, sorting_1, sorting_2, dismantler, van)


MONTHS = [datetime.date(2024 + i // 12, i % 12 + 1, 1) for i in range(24)]
# Old appliances move with the season: few around the Spring Festival, more in the trade-in campaigns.
SEASON = [0.85, 0.7, 1.0, 1.1, 1.15, 1.0, 0.95, 0.95, 1.05, 1.1, 1.15, 1.0]


def _q(value: float, places: str = "1") -> Decimal:
    return Decimal(str(max(value, 0))).quantize(Decimal(places))


def _beichen_returns(rng, points, transfers, sorting_1, sorting_2, dismantler, van) -> None:
    rows = []
    reporting_points = [p for p in points if p.operator_id and "appliances" in p.categories and p.status == "open"][:30]

    def add(site, month, category, value, unit, places="1"):
        rows.append(
            VolumeReturn(
                site=site,
                month=month,
                category=category,
                quantity=_q(value, places),
                unit=unit,
                state=ReturnState.ENTERED,
            )
        )

    for m, month in enumerate(MONTHS):
        growth = 1.07 ** (m / 12 + 1)  # ~+7 % a year on 2023 (3,792 台, 316 a month)
        season = SEASON[month.month - 1]
        for p in reporting_points:
            add(p, month, Category.APPLIANCES, 3.4 * growth * season * rng.uniform(0.6, 1.4), "台", "1")
        for t in transfers:
            add(t, month, Category.APPLIANCES, 17 * growth * season * rng.uniform(0.8, 1.2), "台", "1")
            add(t, month, Category.PAPER, 38 * season * rng.uniform(0.8, 1.2), "吨", "0.001")
            add(t, month, Category.METAL, 22 * season * rng.uniform(0.8, 1.2), "吨", "0.001")
        add(sorting_1, month, Category.APPLIANCES, 95 * growth * season * rng.uniform(0.9, 1.1), "台", "1")
        add(sorting_1, month, Category.METAL, 410 * season * rng.uniform(0.9, 1.1), "吨", "0.001")
        add(sorting_1, month, Category.PAPER, 620 * season * rng.uniform(0.9, 1.1), "吨", "0.001")
        add(sorting_1, month, Category.PLASTIC, 180 * season * rng.uniform(0.9, 1.1), "吨", "0.001")
        if month >= datetime.date(2025, 7, 1):
            add(sorting_2, month, Category.APPLIANCES, 30 * season * rng.uniform(0.9, 1.1), "台", "1")
            add(sorting_2, month, Category.METAL, 160 * season * rng.uniform(0.9, 1.1), "吨", "0.001")
        add(dismantler, month, Category.VEHICLE, 260 * (1.15 ** (m / 12)) * season * rng.uniform(0.9, 1.1), "辆", "1")
        if month >= datetime.date(2024, 4, 1):
            add(van, month, Category.APPLIANCES, 9 * season * rng.uniform(0.8, 1.2), "台", "1")
    # One spike waiting for confirmation: 果园新村's 中转站 after a trade-in campaign.
    spike = next(
        r for r in rows if r.site is transfers[0] and r.month == MONTHS[-2] and r.category == Category.APPLIANCES
    )
    earlier = [
        r.quantity
        for r in rows
        if r.site is transfers[0] and r.category == Category.APPLIANCES and MONTHS[-14] <= r.month < MONTHS[-2]
    ]
    spike.quantity = Decimal("96")
    spike.state = ReturnState.FLAGGED
    spike.flag_reason = (
        f"96台 超过该网点前 12 个月中位数（{format(statistics.median(earlier).normalize(), 'f')}台）的 3 倍。"
    )
    VolumeReturn.objects.bulk_create(rows)


def _shuozhou(city: Jurisdiction, rng: random.Random) -> None:
    shangwu = Unit.objects.filter(jurisdiction=city, name="市商务局").first()
    op, _created = enterprise_upsert(
        actor=None,
        uscc=_code(11, "140600"),
        name="朔州市供销再生资源有限公司",
        jurisdiction=city,
        industry="再生资源回收",
    )
    dis, _created = enterprise_upsert(
        actor=None, uscc=_code(12, "140600"), name="朔州市金盛报废机动车回收拆解有限公司", jurisdiction=city
    )
    batch = _Batch()
    specs = [
        (SiteLevel.POINT, "开发南路社区交投点", "朔州市朔城区开发南路68号", (39.3236, 112.4368), True),
        (SiteLevel.POINT, "民福东街社区交投点", "朔州市朔城区民福东街12号", (39.3362, 112.4427), True),
        (SiteLevel.POINT, "张辽北路供销社交投点", "朔州市朔城区张辽北路155号", (39.3401, 112.4290), True),
        (SiteLevel.TRANSFER, "朔城区再生资源中转站", "朔州市朔城区北旺庄街道文远路东", (39.3528, 112.4521), True),
        (SiteLevel.SORTING, "朔州市再生资源分拣中心", "朔州市朔城区神头镇工业园区", (39.3710, 112.4010), True),
        (
            SiteLevel.VEHICLE_DISMANTLER,
            "朔州市金盛报废机动车回收拆解有限公司",
            "朔州市朔城区南榆林乡208国道西侧",
            (39.2885, 112.4655),
            False,
        ),
    ]
    for level, name, address, (lat, lng), two in specs:
        batch.add(
            Site(
                jurisdiction=city,
                town=None,
                level=level,
                name=name,
                address=address,
                lat=Decimal(str(lat)),
                lng=Decimal(str(lng)),
                datum="gcj02",
                operator=dis if level == SiteLevel.VEHICLE_DISMANTLER else op,
                hours="周一至周六 8:00-18:00",
                phone=f"0349-{rng.randrange(2000000, 8999999)}",
                categories=["vehicle"]
                if level == SiteLevel.VEHICLE_DISMANTLER
                else ["appliances", "paper", "metal", "plastic"],
                two_networks=two,
                responsible_unit=shangwu,
            ),
            [(datetime.date(2022, 5, 1), SiteStatus.OPEN, "投入运营")],
        )
    batch.save()


def _taishan(district: Jurisdiction) -> None:
    unit = Unit.objects.filter(jurisdiction=district, name="区机关事务服务中心").first()
    batch = _Batch()
    batch.add(
        Site(
            jurisdiction=district,
            level=SiteLevel.PUBLIC_DEPOT,
            name="泰山区公物仓",
            address="山东省泰安市泰山区东岳大街行政中心院内北侧",
            lat=Decimal("36.194110"),
            lng=Decimal("117.135460"),
            datum="gcj02",
            hours="周一至周五 9:00-11:30 14:00-17:00",
            phone="0538-6212345",
            categories=["office_equipment", "furniture", "ewaste", "appliances"],
            responsible_unit=unit,
            notes=f"{DEMO_NOTE}：行政事业单位闲置、报废办公设备统一入仓调剂、处置",
        ),
        [(datetime.date(2024, 6, 1), SiteStatus.OPEN, "公物仓启用")],
    )
    batch.save()


def load_demo(*, quiet: bool, stdout) -> None:
    rng = random.Random(SEED)
    loaded = []
    with transaction.atomic():
        beichen = Jurisdiction.objects.filter(name="北辰区", parent__name="天津市").first()
        if beichen is not None and not Site.objects.filter(jurisdiction=beichen).exists():
            _beichen(beichen, rng)
            loaded.append("北辰区")
        shuozhou = Jurisdiction.objects.filter(name="朔州市").first()
        if shuozhou is not None and not Site.objects.filter(jurisdiction=shuozhou).exists():
            _shuozhou(shuozhou, rng)
            loaded.append("朔州市")
        taishan = Jurisdiction.objects.filter(name="泰山区").first()
        if taishan is not None and not Site.objects.filter(jurisdiction=taishan).exists():
            _taishan(taishan)
            loaded.append("泰山区")
    if not quiet and loaded:
        stdout.write(f"Recycling demo network loaded ({'、'.join(loaded)}).")
