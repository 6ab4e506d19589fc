"""A realistic generated registry — suppliers with products across the category tree, demands,
policies and finance offers — deterministic by seed, for the tests and the benchmark.

`generate(seed=…, suppliers=…, demands=…)` returns plain data (`SampleSet`); `load_samples(sample)`
writes it into the database (bulk inserts, no audit entries: it is test and benchmark data, never a
user's record) and returns the created objects by sample key. Besides the random bulk, every set
holds a few planted records with known answers (`PLANTED`): a five-axis CNC maker, a first-grade
energy air-compressor maker in 北辰区 and a third-grade one elsewhere, an unrelated refrigerator maker
that also writes 数控 in its text, and the demands that ask for them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

from liangxin.core.idcodes import uscc_from

# Product vocabulary per leaf of the category tree (liangxin.registry.categories, loaded by migration):
# (top code, leaf code, product words, spec phrases, energy grade applies). Spec phrases are what
# catalogues write; each leaf has its own distinctive terms, and a leaf may share some with its siblings.
LEAVES: list[tuple[str, str, list[str], list[str], bool]] = [
    (
        "cnc",
        "cnc-lathe",
        ["数控车床", "卧式数控车床", "斜床身数控车床"],
        ["最大回转直径500mm", "主轴转速4000r/min", "配广数数控系统", "液压卡盘", "刀塔12工位", "斜床身结构"],
        True,
    ),
    (
        "cnc",
        "cnc-machining-centre",
        ["立式加工中心", "卧式加工中心", "龙门加工中心"],
        ["三轴联动", "工作台尺寸1000×500mm", "主轴转速12000r/min", "刀库24把", "重复定位精度0.008mm", "BT40主轴"],
        True,
    ),
    (
        "cnc",
        "cnc-grinder",
        ["数控平面磨床", "数控外圆磨床", "数控工具磨床"],
        ["磨削精度0.002mm", "砂轮线速度45m/s", "自动修整砂轮", "在线测量", "静压导轨"],
        True,
    ),
    (
        "robot",
        "robot-welding",
        ["弧焊机器人", "点焊机器人", "焊接机器人工作站"],
        ["六轴", "负载10kg", "臂展1450mm", "焊缝跟踪", "双工位变位机", "重复定位精度0.05mm"],
        False,
    ),
    (
        "robot",
        "robot-handling",
        ["码垛机器人", "搬运机器人", "AGV"],
        ["负载165kg", "码垛速度1200次/小时", "激光导航", "四轴码垛", "自动充电"],
        False,
    ),
    (
        "elevator",
        "elevator",
        ["乘客电梯", "无机房乘客电梯", "医用电梯", "自动扶梯"],
        ["额定载重1000kg", "额定速度1.75m/s", "永磁同步曳引机", "能量回馈装置", "无机房", "变频节能运行"],
        True,
    ),
    (
        "medical",
        "medical-imaging",
        ["彩色多普勒超声诊断仪", "64排CT", "数字化X射线摄影系统DR"],
        ["探测器64排", "低剂量扫描", "心脏冠脉成像", "弹性成像", "平板探测器"],
        False,
    ),
    (
        "medical",
        "medical-lab",
        ["全自动生化分析仪", "化学发光免疫分析仪"],
        ["测试速度800测试/小时", "试剂位60个", "自动稀释", "样本条码识别"],
        False,
    ),
    (
        "medical",
        "medical-rehab",
        ["电动护理床", "康复训练机器人"],
        ["五功能护理", "防褥疮气垫", "下肢康复训练", "远程监护"],
        False,
    ),
    (
        "agri",
        "agri-tractor",
        ["轮式拖拉机", "电动拖拉机"],
        ["功率180马力", "动力换挡", "北斗导航自动驾驶", "国四排放"],
        False,
    ),
    (
        "agri",
        "agri-harvester",
        ["谷物联合收割机", "玉米收获机"],
        ["喂入量10kg/s", "割幅2.75m", "籽粒直收", "智能测产"],
        False,
    ),
    (
        "agri",
        "agri-dryer",
        ["循环式粮食烘干机", "生物质热风炉烘干机组"],
        ["批处理量30t", "降水速率1%/h", "热泵烘干", "生物质燃料"],
        True,
    ),
    (
        "appliance",
        "appliance-fridge",
        ["风冷冰箱", "多门冰箱", "对开门冰箱"],
        ["容积500L", "风冷无霜", "变频压缩机", "母婴保鲜"],
        True,
    ),
    (
        "appliance",
        "appliance-ac",
        ["变频空调", "挂壁式空调", "柜式空调"],
        ["制冷量3.5kW", "新风功能", "自清洁", "APF5.3"],
        True,
    ),
    (
        "appliance",
        "appliance-washer",
        ["滚筒洗衣机", "洗烘一体机"],
        ["洗涤容量10kg", "直驱电机", "除菌洗", "热泵烘干"],
        True,
    ),
    (
        "nev",
        "nev-bus",
        ["纯电动城市客车", "氢燃料电池客车"],
        ["车长10.5m", "续驶里程400km", "磷酸铁锂电池", "快充1小时"],
        False,
    ),
    (
        "nev",
        "nev-truck",
        ["纯电动物流车", "换电重卡"],
        ["载重4.5t", "电池容量100kWh", "换电5分钟", "冷链厢体"],
        False,
    ),
    (
        "eco",
        "eco-boiler",
        ["燃气锅炉", "电锅炉", "生物质锅炉"],
        ["额定蒸发量4t/h", "超低氮燃烧", "氮氧化物排放30mg", "冷凝式换热"],
        True,
    ),
    (
        "eco",
        "eco-motor",
        ["高效电机", "永磁电机", "超高效三相异步电动机"],
        ["功率75kW", "IE4能效", "永磁同步", "防护等级IP55", "绝缘等级F"],
        True,
    ),
    (
        "eco",
        "eco-transformer",
        ["干式变压器", "非晶合金变压器", "油浸式变压器"],
        ["容量1250kVA", "非晶合金铁心", "空载损耗低", "电压10kV"],
        True,
    ),
    (
        "eco",
        "eco-pump",
        ["螺杆空压机", "离心式空压机", "高效离心泵", "磁悬浮风机"],
        ["排气量20m³/min", "排气压力0.8MPa", "永磁同步电机", "变频调速", "余热回收", "磁悬浮轴承"],
        True,
    ),
    (
        "eco",
        "eco-treatment",
        ["布袋除尘器", "污水处理一体化设备", "VOCs治理设备"],
        ["处理风量50000m³/h", "排放浓度10mg/m³", "RTO蓄热燃烧", "MBR膜工艺"],
        False,
    ),
    (
        "recycling",
        "recycling-dismantling",
        ["废旧家电拆解线", "废旧冰箱拆解线"],
        ["年拆解能力50万台", "氟利昂回收", "负压除尘", "破碎分选"],
        False,
    ),
    (
        "recycling",
        "recycling-sorting",
        ["废纸打包机", "光电分选机", "废塑料分选线"],
        ["打包压力160t", "近红外识别", "处理量5t/h", "AI视觉识别"],
        False,
    ),
]

# Where suppliers are: (jurisdiction path, first six digits of their 统一社会信用代码, weight).
PLACES = [
    ("天津市/北辰区", "120113", 6),
    ("天津市/武清区", "120114", 5),
    ("天津市/滨海新区", "120116", 4),
    ("天津市/西青区", "120111", 3),
    ("天津市/天津经济技术开发区", "120118", 2),
    ("山东省/泰安市/泰山区", "370902", 4),
    ("山东省/济南市/历城区", "370112", 3),
    ("山西省/朔州市", "140600", 2),
    ("江苏省/苏州市/吴中区", "320506", 3),
    ("广东省/深圳市/宝安区", "440306", 2),
]
_SHORT_PLACE = {
    "天津市/北辰区": "天津北辰",
    "天津市/武清区": "天津武清",
    "天津市/滨海新区": "天津滨海",
    "天津市/西青区": "天津西青",
    "天津市/天津经济技术开发区": "天津泰达",
    "山东省/泰安市/泰山区": "泰安",
    "山东省/济南市/历城区": "济南",
    "山西省/朔州市": "朔州",
    "江苏省/苏州市/吴中区": "苏州",
    "广东省/深圳市/宝安区": "深圳",
}
_BRANDS = (
    "恒信 华兴 瑞达 长城 海川 正泰 鼎盛 宏远 精诚 中科 博远 金石 永新 天宇 聚力 汇通 凯达 联合 宇航 科瑞 "
    "东方 盛世 新华 开元 安泰 华诚 德力 昊天 明阳 众合 卓越 晶科 创新 北方 津港 泰山 齐鲁 汇丰 华远 立信"
).split()
_TRADE = {
    "cnc": "数控机床",
    "robot": "智能装备",
    "eco": "节能科技",
    "elevator": "电梯",
    "medical": "医疗器械",
    "agri": "农业装备",
    "appliance": "电器",
    "nev": "新能源汽车",
    "recycling": "环保装备",
}
_INDUSTRY = {
    "cnc": "通用设备制造业",
    "robot": "专用设备制造业",
    "eco": "电气机械和器材制造业",
    "elevator": "通用设备制造业",
    "medical": "专用设备制造业",
    "agri": "专用设备制造业",
    "appliance": "电气机械和器材制造业",
    "nev": "汽车制造业",
    "recycling": "废弃资源综合利用业",
}
FLAG_CHOICES = ("专精特新", "专精特新小巨人", "单项冠军", "绿色工厂", "高新技术企业")
CERTIFICATIONS = ("CCC", "CE", "ISO9001", "节能产品认证", "绿色产品认证")
STANDARDS = ("GB/T 19001", "GB 19153", "GB 18613", "GB 20052", "GB 7588", "JB/T 8801")

DEMAND_OWNERS = (
    "天津市北辰区人民医院",
    "天津市北辰区第一中学",
    "天津北辰精密铸造有限公司",
    "天津宝钢钢材加工配送有限公司",
    "天津市武清区中医医院",
    "泰安市泰山区城市管理局",
    "天津滨海汽车零部件有限公司",
    "泰安华丰机械有限公司",
)


DOMAINS = ["industry", "agriculture", "construction", "transport", "education", "medical", "recycling"]
CHANNELS = ["central_budget", "special_bonds", "central_subsidy", "loan_interest", "relending", "local_fund"]
APPLICANTS = ["中小企业", "large", "专精特新", "manufacturer", "通用设备制造业", "高新技术企业"]
CONDITIONS = ["专精特新", "绿色工厂", "高新技术企业", "中小企业", "技术改造", "设备投资不低于500万元", "超长期特别国债"]
PROJECT_WORDS = ("智能化改造", "数字化车间建设", "节能降碳改造", "老旧设备更新", "绿色工厂建设")
POLICY_WORDS = (
    "设备更新贷款贴息实施细则",
    "技术改造专项资金管理办法",
    "中小企业数字化转型支持政策",
    "绿色制造奖励办法",
)
LENDERS = ("津融融资租赁有限公司", "北辰农商银行", "齐鲁融资租赁股份有限公司", "工银金融租赁天津分公司")
OFFER_WORDS = {"leasing": ("设备直租", "售后回租"), "loan": ("技改贷", "设备更新贷"), "subsidised_loan": ("贴息贷款",)}


@dataclass
class SampleSupplier:
    key: str
    name: str
    uscc: str
    place: str
    industry: str
    size: str
    flags: list[str]


@dataclass
class SampleProduct:
    key: str
    supplier: str
    category: str
    name: str
    model_number: str
    specs: str
    energy_grade: int | None
    standards: list[str]
    certifications: list[str]
    parameters: dict[str, str] = field(default_factory=dict)


@dataclass
class SampleDemand:
    key: str
    place: str
    category: str
    title: str
    requirements: str
    owner: str
    quantity: Decimal
    budget_wan: Decimal


@dataclass
class SampleProject:
    key: str
    owner: str  # supplier key
    place: str
    name: str
    domain: str
    channels: list[str]
    total_wan: Decimal
    equipment_wan: Decimal
    financing_wan: Decimal | None


@dataclass
class SamplePolicy:
    key: str
    place: str
    level: str
    title: str
    funding_channel: str
    domains: list[str]
    applicant_types: list[str]
    conditions: list[str]


@dataclass
class SampleOffer:
    key: str
    provider: str  # a name; the provider is created with the offer
    place: str | None
    kind: str
    name: str
    domains: list[str]
    min_wan: Decimal | None
    max_wan: Decimal | None
    conditions: list[str]


@dataclass
class SampleSet:
    suppliers: list[SampleSupplier]
    products: list[SampleProduct]
    demands: list[SampleDemand]
    projects: list[SampleProject] = field(default_factory=list)
    policies: list[SamplePolicy] = field(default_factory=list)
    offers: list[SampleOffer] = field(default_factory=list)


# Planted suppliers and demands with known answers (supplier key → what the tests expect).
PLANTED_SUPPLIERS = [
    SampleSupplier(
        "five-axis", "天津精雕五轴数控机床有限公司", "", "天津市/武清区", "通用设备制造业", "medium", ["专精特新"]
    ),
    SampleSupplier(
        "three-axis-local", "天津北辰宏远加工中心有限公司", "", "天津市/北辰区", "通用设备制造业", "small", []
    ),
    SampleSupplier(
        "compressor-local", "天津北辰永磁压缩机有限公司", "", "天津市/北辰区", "通用设备制造业", "small", []
    ),
    SampleSupplier(
        "compressor-far", "苏州汇通空压机有限公司", "", "江苏省/苏州市/吴中区", "通用设备制造业", "small", []
    ),
    SampleSupplier(
        "compressor-grade3-local", "天津北辰金石气动设备有限公司", "", "天津市/北辰区", "通用设备制造业", "small", []
    ),
    SampleSupplier(
        "fridge-cnc-words", "天津北辰冰川电器有限公司", "", "天津市/北辰区", "电气机械和器材制造业", "large", []
    ),
]
PLANTED_PRODUCTS = [
    SampleProduct(
        "five-axis-vmc",
        "five-axis",
        "cnc-machining-centre",
        "五轴联动立式加工中心",
        "JD-5X650",
        "五轴联动数控机床，AC摇篮式转台，海德汉TNC640数控系统，定位精度0.005mm，适用于叶轮、航空结构件加工",
        2,
        ["GB/T 18400"],
        ["CE"],
    ),
    SampleProduct(
        "three-axis-vmc",
        "three-axis-local",
        "cnc-machining-centre",
        "立式加工中心",
        "HY-V850",
        "三轴联动，工作台尺寸1000×500mm，主轴转速12000r/min，刀库24把，BT40主轴",
        2,
        [],
        [],
    ),
    SampleProduct(
        "compressor-local-grade1",
        "compressor-local",
        "eco-pump",
        "永磁变频螺杆空压机",
        "YC-75PM",
        "一级能效，排气量13m³/min，永磁同步电机，变频调速，余热回收",
        1,
        ["GB 19153"],
        ["节能产品认证"],
    ),
    SampleProduct(
        "compressor-far-grade1",
        "compressor-far",
        "eco-pump",
        "永磁变频螺杆空压机",
        "HT-75PM",
        "一级能效，排气量13m³/min，永磁同步电机，变频调速，余热回收",
        1,
        ["GB 19153"],
        ["节能产品认证"],
    ),
    SampleProduct(
        "compressor-local-grade3",
        "compressor-grade3-local",
        "eco-pump",
        "永磁变频螺杆空压机",
        "JS-75",
        "三级能效，排气量13m³/min，永磁同步电机，变频调速，余热回收",
        3,
        ["GB 19153"],
        [],
    ),
    SampleProduct(
        "fridge-cnc",
        "fridge-cnc-words",
        "appliance-fridge",
        "五轴联动数控机床加工外壳的多门冰箱",
        "BC-520",
        "箱体由五轴联动数控机床精密加工，一级能效，风冷无霜，变频压缩机",
        1,
        [],
        ["CCC"],
    ),
]
PLANTED_DEMANDS = [
    SampleDemand(
        "need-five-axis",
        "天津市/北辰区",
        "cnc",
        "五轴联动数控机床",
        "采购五轴联动数控机床2台，用于航空结构件加工，定位精度不低于0.008mm",
        "天津北辰精密铸造有限公司",
        Decimal("2"),
        Decimal("680"),
    ),
    SampleDemand(
        "need-compressor",
        "天津市/北辰区",
        "eco-pump",
        "空压站节能改造",
        "更换永磁变频螺杆空压机3台，一级能效，排气量13m³/min",
        "天津宝钢钢材加工配送有限公司",
        Decimal("3"),
        Decimal("120"),
    ),
]
PLANTED = {
    "need-five-axis": "five-axis",
    "need-compressor": "compressor-local",
}


def _uscc(rng: random.Random, area: str) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "".join(rng.choice(alphabet) for _ in range(8)) + rng.choice("0123456789")
    return uscc_from(f"91{area}{body}")


def generate(
    *, seed: int = 2025, suppliers: int = 300, demands: int = 40, policy_count: int = 40, offer_count: int = 20
) -> SampleSet:
    """A registry of `suppliers` random suppliers (plus the planted ones) with one to four products
    each, projects for about two in five of them, `demands` random demands (plus the planted ones),
    `policy_count` policies and `offer_count` finance offers; the same seed gives the same set."""
    rng = random.Random(seed)
    places = [p for p, _, w in PLACES for _ in range(w)]
    area = {p: a for p, a, _ in PLACES}
    used_codes: set[str] = set()

    def code(place: str) -> str:
        while True:
            value = _uscc(rng, area[place])
            if value not in used_codes:
                used_codes.add(value)
                return value

    sample_suppliers, products = [], []
    for s in PLANTED_SUPPLIERS:
        sample_suppliers.append(SampleSupplier(s.key, s.name, code(s.place), s.place, s.industry, s.size, s.flags))
    products.extend(PLANTED_PRODUCTS)
    names: set[str] = {s.name for s in sample_suppliers}
    for n in range(suppliers):
        leaf = rng.choice(LEAVES)
        top = leaf[0]
        place = rng.choice(places)
        name = ""
        while not name or name in names:
            name = f"{_SHORT_PLACE[place]}{rng.choice(_BRANDS)}{rng.choice(_BRANDS)}{_TRADE[top]}有限公司"
        names.add(name)
        flags = sorted(rng.sample(FLAG_CHOICES, k=rng.choice((0, 0, 0, 1, 1, 2))))
        size = rng.choice(("large", "medium", "medium", "small", "small", "small", "micro"))
        key = f"s{n:04d}"
        sample_suppliers.append(SampleSupplier(key, name, code(place), place, _INDUSTRY[top], size, flags))
        siblings = [other for other in LEAVES if other[0] == top]
        for p in range(rng.choice((1, 1, 2, 2, 3, 4))):
            chosen = leaf if p == 0 or rng.random() < 0.6 else rng.choice(siblings)
            _top, leaf_code, words, specs, graded = chosen
            picked = rng.sample(specs, k=min(len(specs), rng.choice((2, 3, 4))))
            grade = rng.choice((1, 1, 2, 2, 3)) if graded else None
            if grade is not None:
                picked.insert(0, f"{'一二三'[grade - 1]}级能效")
            products.append(
                SampleProduct(
                    f"{key}-p{p}",
                    key,
                    leaf_code,
                    rng.choice(words),
                    f"{rng.choice('ABCDHJKMTXZ')}{rng.choice('ABCDHJKMTXZ')}-{rng.randint(100, 9999)}",
                    "，".join(picked),
                    grade,
                    sorted(rng.sample(STANDARDS, k=rng.choice((0, 1, 2)))),
                    sorted(rng.sample(CERTIFICATIONS, k=rng.choice((0, 1, 1, 2)))),
                )
            )
    sample_demands = list(PLANTED_DEMANDS)
    for n in range(demands):
        _top, leaf_code, words, specs, graded = rng.choice(LEAVES)
        place = rng.choice(places[:12])  # demands are collected in the programme's own districts
        picked = rng.sample(specs, k=min(len(specs), 2))
        if graded and rng.random() < 0.5:
            picked.append(f"{rng.choice('一二')}级能效")
        quantity = Decimal(rng.randint(1, 20))
        sample_demands.append(
            SampleDemand(
                f"d{n:03d}",
                place,
                leaf_code,
                f"{rng.choice(words)}更新",
                f"采购{rng.choice(words)}{quantity}台，" + "，".join(picked),
                rng.choice(DEMAND_OWNERS),
                quantity,
                Decimal(rng.randint(20, 2000)),
            )
        )
    projects = []
    for n, supplier in enumerate(sample_suppliers):
        if rng.random() < 0.4:
            domain = rng.choice(DOMAINS)
            total = Decimal(rng.randint(200, 20000))
            projects.append(
                SampleProject(
                    f"p{n:04d}",
                    supplier.key,
                    supplier.place,
                    f"{supplier.name[:-6]}{rng.choice(PROJECT_WORDS)}项目",
                    domain,
                    sorted(rng.sample(CHANNELS, k=rng.choice((1, 1, 2)))),
                    total,
                    (total * Decimal("0.6")).quantize(Decimal("0.01")),
                    (total * Decimal("0.4")).quantize(Decimal("0.01")) if rng.random() < 0.5 else None,
                )
            )
    policies = []
    policy_places = [("天津市", "city"), ("山东省", "province"), *[(p, "county") for p, _, _ in PLACES[:6]]]
    for n in range(policy_count):
        place, level = rng.choice(policy_places)
        if rng.random() < 0.15:
            place, level = "天津市", "national"
        domains = sorted(rng.sample(DOMAINS, k=rng.choice((0, 1, 1, 2))))
        applicants = sorted(rng.sample(APPLICANTS, k=rng.choice((0, 0, 1, 2))))
        conditions = sorted(rng.sample(CONDITIONS, k=rng.choice((0, 1, 1, 2))))
        policies.append(
            SamplePolicy(
                f"pol{n:03d}",
                place,
                level,
                f"{place.split('/')[-1]}{rng.choice(POLICY_WORDS)}（样例{n + 1}）",
                rng.choice(["", *CHANNELS]),
                domains,
                applicants,
                conditions,
            )
        )
    offers = []
    for n in range(offer_count):
        place = rng.choice([None, "天津市", "天津市/北辰区", "天津市/武清区", "山东省/泰安市/泰山区"])
        kind = rng.choice(("leasing", "loan", "subsidised_loan"))
        low = Decimal(rng.choice((0, 50, 100, 500)))
        offers.append(
            SampleOffer(
                f"o{n:03d}",
                f"{rng.choice(LENDERS)}",
                place,
                kind,
                f"{rng.choice(OFFER_WORDS[kind])}（样例{n + 1}）",
                sorted(rng.sample(DOMAINS, k=rng.choice((0, 1, 2)))),
                low or None,
                low + Decimal(rng.choice((1000, 3000, 10000))),
                sorted(rng.sample(("专精特新", "中小企业", "环评", "设备所有权抵押"), k=rng.choice((0, 0, 1)))),
            )
        )
    return SampleSet(sample_suppliers, products, sample_demands, projects, policies, offers)


@dataclass
class Loaded:
    """What load_samples wrote, by sample key."""

    enterprises: dict
    products: dict
    demands: dict
    projects: dict = field(default_factory=dict)
    policies: dict = field(default_factory=dict)
    offers: dict = field(default_factory=dict)


def load_samples(sample: SampleSet) -> Loaded:
    """Write the sample set into the database (its places, enterprises, products and demands) with
    bulk inserts; the category tree must be loaded (migration 0003). Test and benchmark data only."""
    from liangxin.core.services import jurisdiction_ensure_path

    from .enums import EnterpriseRole
    from .models import Demand, Enterprise, EquipmentCategory, FinanceOffer, Policy, Product, Project

    places = {}
    wanted = {s.place for s in sample.suppliers} | {d.place for d in sample.demands}
    wanted |= {p.place for p in sample.policies} | {o.place for o in sample.offers if o.place}
    for place in sorted(wanted):
        places[place] = jurisdiction_ensure_path(path=place)
    categories = {c.code: c for c in EquipmentCategory.objects.all()}
    roles = [EnterpriseRole.MANUFACTURER, EnterpriseRole.SUPPLIER]
    Enterprise.objects.bulk_create(
        [
            Enterprise(
                uscc=s.uscc,
                name=s.name,
                jurisdiction=places[s.place],
                industry=s.industry,
                size=s.size,
                flags=s.flags,
                roles=roles,
            )
            for s in sample.suppliers
        ],
        batch_size=500,
    )
    by_code = Enterprise.objects.in_bulk([s.uscc for s in sample.suppliers], field_name="uscc")
    enterprises = {s.key: by_code[s.uscc] for s in sample.suppliers}
    rows = [
        Product(
            enterprise=enterprises[p.supplier],
            category=categories[p.category],
            name=p.name,
            model_number=p.model_number,
            specs=p.specs,
            parameters=p.parameters,
            energy_grade=p.energy_grade,
            standards=p.standards,
            certifications=p.certifications,
            local=True,
        )
        for p in sample.products
    ]
    Product.objects.bulk_create(rows, batch_size=500)
    products = dict(zip([p.key for p in sample.products], _refetch(Product, rows), strict=True))
    demand_rows = [
        Demand(
            jurisdiction=places[d.place],
            category=categories[d.category],
            title=d.title,
            requirements=d.requirements,
            quantity=d.quantity,
            quantity_unit="台",
            budget_wan=d.budget_wan,
        )
        for d in sample.demands
    ]
    Demand.objects.bulk_create(demand_rows, batch_size=500)
    demands = dict(zip([d.key for d in sample.demands], _refetch(Demand, demand_rows), strict=True))
    project_rows = [
        Project(
            jurisdiction=places[p.place],
            owner=enterprises[p.owner],
            name=p.name,
            domain=p.domain,
            total_investment_wan=p.total_wan,
            equipment_investment_wan=p.equipment_wan,
            channels=p.channels,
            needs_financing=p.financing_wan is not None,
            financing_amount_wan=p.financing_wan,
            stage="reserve",
        )
        for p in sample.projects
    ]
    Project.objects.bulk_create(project_rows, batch_size=500)
    projects = dict(zip([p.key for p in sample.projects], _refetch(Project, project_rows), strict=True))
    policy_rows = [
        Policy(
            jurisdiction=places[p.place],
            level=p.level,
            title=p.title,
            funding_channel=p.funding_channel,
            domains=p.domains,
            applicant_types=p.applicant_types,
            conditions=p.conditions,
            public=True,
        )
        for p in sample.policies
    ]
    Policy.objects.bulk_create(policy_rows, batch_size=500)
    policies = dict(zip([p.key for p in sample.policies], _refetch(Policy, policy_rows), strict=True))
    lenders = {}
    for o in sample.offers:
        if o.provider not in lenders:
            lenders[o.provider] = Enterprise.objects.filter(name=o.provider).first() or Enterprise.objects.create(
                uscc=uscc_from(f"91120000MA{len(lenders) + 1:02d}LEND0"),
                name=o.provider,
                roles=[EnterpriseRole.LEASING if "租赁" in o.provider else EnterpriseRole.BANK],
            )
    offer_rows = [
        FinanceOffer(
            provider=lenders[o.provider],
            kind=o.kind,
            name=o.name,
            domains=o.domains,
            min_amount_wan=o.min_wan,
            max_amount_wan=o.max_wan,
            conditions=o.conditions,
            jurisdiction=places[o.place] if o.place else None,
        )
        for o in sample.offers
    ]
    FinanceOffer.objects.bulk_create(offer_rows, batch_size=500)
    offers = dict(zip([o.key for o in sample.offers], _refetch(FinanceOffer, offer_rows), strict=True))
    return Loaded(enterprises, products, demands, projects, policies, offers)


def _refetch(model, rows):
    """The saved rows in insertion order (bulk_create sets pks on SQLite ≥ 3.35 and PostgreSQL)."""
    if all(r.pk for r in rows):
        return rows
    last = list(model.objects.order_by("-pk")[: len(rows)])
    return last[::-1]
