"""Demo data of the lists, realistic for 北辰区 (and 泰山区's “1+N” policy list): enterprises with valid
generated codes, their products, demands, consumer demand, projects at every stage, policies, finance
offers and one matchmaking event. Every enterprise's record says it is demo data. Idempotent."""

import datetime
from decimal import Decimal

from django.db import transaction

from liangxin.core.idcodes import uscc_from
from liangxin.core.models import Jurisdiction, Unit

from . import services
from .categories import load_categories
from .enums import InvitationSide, PolicyLevel, ProjectStage
from .models import (
    EquipmentCategory,
    Policy,
    Project,
)

D = Decimal
DEMO_NOTE = "演示数据"

# (org code serial, name, roles, industry, size, flags, revenue 万元, employees, main business)
ENTERPRISES = [
    (
        1,
        "天津北辰精密数控机床有限公司",
        ["manufacturer", "supplier"],
        "通用设备制造业",
        "medium",
        ["专精特新"],
        38000,
        420,
        "五轴联动加工中心、数控车床",
    ),
    (
        2,
        "天津市辰鑫智能装备有限公司",
        ["manufacturer", "supplier"],
        "专用设备制造业",
        "small",
        ["专精特新", "高新技术企业"],
        12000,
        160,
        "焊接机器人、搬运码垛机器人系统集成",
    ),
    (
        3,
        "天津北辰电梯工程有限公司",
        ["manufacturer", "supplier"],
        "通用设备制造业",
        "medium",
        ["高新技术企业"],
        26000,
        300,
        "曳引式电梯、老旧小区加装电梯",
    ),
    (
        4,
        "天津瑞康医疗器械有限公司",
        ["manufacturer", "supplier"],
        "专用设备制造业",
        "small",
        ["专精特新小巨人"],
        15000,
        210,
        "DR数字化X射线摄影系统、超声诊断设备",
    ),
    (
        5,
        "天津津北农业机械有限公司",
        ["manufacturer", "supplier"],
        "专用设备制造业",
        "small",
        [],
        8000,
        120,
        "谷物烘干机、拖拉机",
    ),
    (
        6,
        "天津北辰绿能锅炉有限公司",
        ["manufacturer", "supplier"],
        "通用设备制造业",
        "medium",
        ["绿色工厂"],
        21000,
        260,
        "低氮燃气锅炉、余热回收",
    ),
    (
        7,
        "天津宏达永磁电机有限公司",
        ["manufacturer", "supplier"],
        "电气机械和器材制造业",
        "medium",
        ["单项冠军", "绿色工厂"],
        45000,
        520,
        "高效永磁同步电机、变频驱动",
    ),
    (
        8,
        "天津辰光变压器有限公司",
        ["manufacturer", "supplier"],
        "电气机械和器材制造业",
        "medium",
        ["专精特新"],
        30000,
        350,
        "一级能效干式变压器",
    ),
    (
        9,
        "天津北辰环保科技有限公司",
        ["manufacturer", "supplier"],
        "专用设备制造业",
        "small",
        ["科技型中小企业"],
        6000,
        80,
        "VOCs治理、除尘设备",
    ),
    (
        10,
        "天津智教科技有限公司",
        ["supplier"],
        "软件和信息技术服务业",
        "small",
        ["科技型中小企业"],
        5000,
        60,
        "智慧黑板、交互平板、实验室设备",
    ),
    (
        11,
        "天津北辰新能源客车有限公司",
        ["manufacturer", "supplier"],
        "汽车制造业",
        "large",
        ["高新技术企业"],
        120000,
        1500,
        "纯电动公交车、新能源物流车",
    ),
    (
        12,
        "天津海创信息设备有限公司",
        ["supplier"],
        "计算机、通信和其他电子设备制造业",
        "small",
        [],
        9000,
        90,
        "服务器、网络安全设备",
    ),
    (13, "天津辰建工程机械有限公司", ["supplier"], "专用设备制造业", "medium", [], 18000, 200, "塔式起重机、挖掘机"),
    (
        14,
        "天津北辰家电销售有限公司",
        ["merchant", "supplier"],
        "批发和零售业",
        "small",
        [],
        7000,
        70,
        "冰箱、洗衣机、空调零售",
    ),
    (
        15,
        "天津绿环再生资源回收有限公司",
        ["recycler"],
        "废弃资源综合利用业",
        "small",
        ["绿色工厂"],
        4000,
        90,
        "废旧家电回收拆解",
    ),
    (16, "天津津燕再生资源有限公司", ["recycler"], "废弃资源综合利用业", "micro", [], 1500, 30, "废钢、废塑料分拣打包"),
    (
        17,
        "天津北辰金属制品有限公司",
        ["project_owner"],
        "金属制品业",
        "medium",
        ["规上企业"],
        32000,
        380,
        "钢结构件、金属冲压件",
    ),
    (
        18,
        "天津辰泰汽车零部件有限公司",
        ["project_owner"],
        "汽车制造业",
        "medium",
        ["专精特新", "规上企业"],
        41000,
        460,
        "汽车底盘零部件",
    ),
    (
        19,
        "天津北辰化工新材料有限公司",
        ["project_owner"],
        "化学原料和化学制品制造业",
        "medium",
        ["规上企业"],
        52000,
        300,
        "水性涂料、胶黏剂",
    ),
    (
        20,
        "天津北辰医药股份有限公司",
        ["project_owner"],
        "医药制造业",
        "large",
        ["高新技术企业", "规上企业"],
        86000,
        900,
        "化学药品制剂",
    ),
    (
        21,
        "天津北辰城市建设投资有限公司",
        ["project_owner"],
        "建筑业",
        "large",
        [],
        150000,
        600,
        "市政基础设施、老旧小区改造",
    ),
    (22, "天津北辰公交集团有限公司", ["project_owner"], "道路运输业", "large", [], 60000, 2200, "城市公共交通"),
    (23, "天津北辰现代农业发展有限公司", ["project_owner"], "农业", "small", [], 6000, 80, "粮食种植、烘干仓储"),
    (24, "天津北辰文旅发展有限公司", ["project_owner"], "文化、体育和娱乐业", "small", [], 5000, 110, "景区运营"),
    (
        25,
        "天津辰元印刷包装有限公司",
        ["project_owner"],
        "印刷和记录媒介复制业",
        "small",
        ["规上企业"],
        9000,
        150,
        "纸质包装印刷",
    ),
    (26, "天津北辰热力有限公司", ["project_owner"], "电力、热力生产和供应业", "medium", [], 40000, 350, "集中供热"),
    (27, "天津津辰融资租赁有限公司", ["leasing"], "租赁和商务服务业", "medium", [], 25000, 60, "设备融资租赁"),
    (28, "天津农商银行北辰支行", ["bank"], "金融业", "large", [], None, 120, "企业贷款、科技再贷款、设备更新贷款"),
    (29, "天津银行北辰支行", ["bank"], "金融业", "large", [], None, 90, "设备更新贷款、贴息贷款"),
    (30, "天津北辰第一中学", ["project_owner"], "教育", "", [], None, 260, "普通高中教育"),
]
REGION = "120113"
AREAS = ("北辰经济技术开发区", "北辰科技园区", "天津医药医疗器械工业园", "大张庄镇")


def _code(serial: int) -> str:
    return uscc_from(f"91{REGION}MA07{serial:05d}")


def load_demo(*, quiet: bool, stdout) -> None:
    load_categories(EquipmentCategory)
    beichen = Jurisdiction.objects.filter(name="北辰区", parent__name="天津市").first()
    if beichen is None:
        return
    with transaction.atomic():
        if not Project.objects.filter(jurisdiction=beichen).exists():
            _beichen(beichen)
        taishan = Jurisdiction.objects.filter(name="泰山区").first()
        if taishan is not None and not Policy.objects.filter(jurisdiction=taishan).exists():
            _taishan_policies(taishan)
    if not quiet:
        stdout.write("Registry demo lists loaded (北辰区; 泰山区 1+N policy list).")


def _cat(code: str) -> EquipmentCategory:
    return EquipmentCategory.objects.get(code=code)


def _unit(jurisdiction, name: str) -> Unit:
    return Unit.objects.get(jurisdiction=jurisdiction, name=name)


def _beichen(beichen) -> None:
    firms = {}
    for serial, name, roles, industry, size, flags, revenue, employees, business in ENTERPRISES:
        firms[serial], _created = services.enterprise_upsert(
            actor=None,
            uscc=_code(serial),
            name=name,
            jurisdiction=beichen,
            flags=flags,
            roles=roles,
            industry=industry,
            size=size,
            scale_revenue_wan=D(revenue) if revenue else None,
            employees=employees,
            description=f"{business}（{DEMO_NOTE}）",
            address=f"天津市北辰区{AREAS[serial % 4]}",
            contact_name="张经理",
            contact_phone=f"022-2669{serial:04d}",
        )
    _products(firms)
    _demands(beichen, firms)
    _consumer_demand(beichen)
    _projects(beichen, firms)
    _policies(beichen)
    _offers(beichen, firms)
    _event(beichen, firms)


# (enterprise serial, category, name, model, specs, parameters, energy grade, standards, certifications, price range)
PRODUCTS = [
    (
        1,
        "cnc-machining-centre",
        "五轴联动立式加工中心",
        "BC-V5X650",
        "五轴联动，适用于航空航天、汽车模具精密加工",
        {"主轴转速": "12000 r/min", "定位精度": "0.005 mm", "工作台": "650 mm"},
        None,
        ["GB/T 18400"],
        ["CE"],
        (980000, 1650000),
    ),
    (
        1,
        "cnc-lathe",
        "数控卧式车床",
        "BC-CK6150",
        "数控车床，适合轴类、盘类零件批量加工",
        {"最大回转直径": "500 mm"},
        None,
        ["GB/T 25659"],
        [],
        (180000, 260000),
    ),
    (
        2,
        "robot-welding",
        "六轴弧焊机器人工作站",
        "CX-RW1400",
        "六轴焊接机器人，配变位机与焊缝跟踪",
        {"负载": "6 kg", "臂展": "1400 mm", "重复定位精度": "±0.05 mm"},
        None,
        ["GB/T 12642"],
        ["CR"],
        (260000, 420000),
    ),
    (
        2,
        "robot-handling",
        "码垛机器人",
        "CX-PL180",
        "四轴码垛机器人，适用于包装线末端码垛",
        {"负载": "180 kg"},
        None,
        [],
        [],
        (200000, 320000),
    ),
    (
        3,
        "elevator",
        "无机房曳引乘客电梯",
        "BCL-800",
        "适用于老旧小区加装电梯，永磁同步曳引机",
        {"额定载重": "800 kg", "速度": "1.0 m/s"},
        1,
        ["GB/T 7588"],
        ["特种设备制造许可"],
        (260000, 380000),
    ),
    (
        4,
        "medical-imaging",
        "数字化X射线摄影系统",
        "RK-DR600",
        "双板DR，适用于二级医院放射科",
        {"探测器": "17×17 英寸"},
        None,
        ["YY/T 0741"],
        ["医疗器械注册证"],
        (1200000, 1800000),
    ),
    (
        4,
        "medical-imaging",
        "彩色多普勒超声诊断仪",
        "RK-US80",
        "全身应用彩超",
        {"探头": "凸阵/线阵/相控阵"},
        None,
        [],
        ["医疗器械注册证"],
        (450000, 900000),
    ),
    (
        5,
        "agri-dryer",
        "循环式谷物烘干机",
        "JB-5HX-30",
        "批处理量30吨，生物质热源",
        {"批处理量": "30 t"},
        2,
        ["GB/T 21015"],
        ["农机推广鉴定"],
        (280000, 360000),
    ),
    (
        5,
        "agri-tractor",
        "轮式拖拉机",
        "JB-1304",
        "130马力四驱拖拉机，国四排放",
        {"功率": "130 马力"},
        None,
        [],
        ["农机推广鉴定"],
        (150000, 190000),
    ),
    (
        6,
        "eco-boiler",
        "低氮冷凝燃气热水锅炉",
        "LN-7MW",
        "氮氧化物排放低于30 mg/m³，冷凝热回收",
        {"额定功率": "7 MW", "热效率": "103%"},
        1,
        ["TSG 11"],
        ["特种设备制造许可"],
        (900000, 1400000),
    ),
    (
        7,
        "eco-motor",
        "IE4高效永磁同步电机",
        "HD-TYPX-315",
        "IE4能效，替换老旧Y系列异步电机",
        {"功率": "15-315 kW"},
        1,
        ["GB 18613"],
        ["节能产品认证"],
        (8000, 160000),
    ),
    (
        8,
        "eco-transformer",
        "一级能效干式变压器",
        "CG-SCB18",
        "SCB18型一级能效",
        {"容量": "630-2500 kVA"},
        1,
        ["GB 20052"],
        ["节能产品认证"],
        (120000, 380000),
    ),
    (
        9,
        "eco-treatment",
        "沸石转轮+RTO VOCs治理装置",
        "HB-RTO-30",
        "适用于涂装、印刷、化工行业VOCs治理",
        {"处理风量": "30000 m³/h", "去除率": "≥97%"},
        None,
        ["HJ 2027"],
        [],
        (1500000, 2600000),
    ),
    (
        10,
        "education-board",
        "智慧黑板",
        "ZJ-86",
        "86英寸纳米智慧黑板，教学一体机",
        {"尺寸": "86 英寸"},
        None,
        [],
        ["3C"],
        (18000, 26000),
    ),
    (
        10,
        "education-lab",
        "中学理化生实验室成套设备",
        "ZJ-LAB",
        "理化生数字化实验室",
        {},
        None,
        [],
        [],
        (300000, 600000),
    ),
    (
        11,
        "nev-bus",
        "10.5米纯电动城市客车",
        "BC6105EV",
        "磷酸铁锂电池，续航300公里",
        {"车长": "10.5 m", "电池": "350 kWh"},
        None,
        ["GB/T 18384"],
        ["工信部公告"],
        (1100000, 1350000),
    ),
    (
        11,
        "nev-truck",
        "纯电动城市物流车",
        "BC5040XXY",
        "4.5吨纯电动厢式运输车",
        {"总质量": "4.5 t"},
        None,
        [],
        ["工信部公告"],
        (180000, 230000),
    ),
    (
        12,
        "it-server",
        "国产化机架式服务器",
        "HC-R520",
        "双路国产处理器",
        {"内存": "512 GB"},
        None,
        [],
        ["3C"],
        (60000, 120000),
    ),
    (
        13,
        "construction-crane",
        "平头塔式起重机",
        "CJ-T7020",
        "最大起重量12吨",
        {"起重力矩": "200 t·m"},
        None,
        ["GB/T 5031"],
        [],
        (600000, 900000),
    ),
    (
        14,
        "appliance-fridge",
        "一级能效变频冰箱",
        "多品牌",
        "一级能效，零售",
        {},
        1,
        ["GB 12021.2"],
        ["能效标识"],
        (2500, 9000),
    ),
    (
        14,
        "appliance-ac",
        "一级能效变频空调",
        "多品牌",
        "一级能效挂机、柜机",
        {},
        1,
        ["GB 21455"],
        ["能效标识"],
        (2600, 12000),
    ),
    (
        14,
        "appliance-washer",
        "一级能效滚筒洗衣机",
        "多品牌",
        "一级能效",
        {},
        1,
        ["GB 12021.4"],
        ["能效标识"],
        (1800, 6000),
    ),
]


def _products(firms) -> None:
    for serial, cat, name, model, specs, params, grade, standards, certs, (low, high) in PRODUCTS:
        services.product_create(
            actor=None,
            enterprise=firms[serial],
            category=_cat(cat),
            name=name,
            model_number=model,
            specs=specs,
            parameters=params,
            energy_grade=grade,
            standards=standards,
            certifications=certs,
            price_min_yuan=D(low),
            price_max_yuan=D(high),
        )


# (owner serial or unit name, category, title, quantity, unit, requirements, budget 万元, needed by)
DEMANDS = [
    (
        17,
        "robot-welding",
        "钢结构焊接工序机器人替代人工",
        6,
        "台",
        "六轴弧焊机器人，负载不小于6公斤，带焊缝跟踪",
        240,
        "2025-06-30",
    ),
    (
        18,
        "cnc-machining-centre",
        "底盘零部件五轴加工中心更新",
        4,
        "台",
        "五轴联动，定位精度0.008毫米以内",
        560,
        "2025-09-30",
    ),
    (
        19,
        "eco-treatment",
        "涂料车间VOCs治理设施升级",
        1,
        "套",
        "风量30000立方米每小时，去除率97%以上",
        260,
        "2025-08-31",
    ),
    (20, "eco-motor", "制剂车间老旧电机节能改造", 120, "台", "IE4及以上能效永磁电机", 380, "2025-12-31"),
    (26, "eco-boiler", "供热站燃煤锅炉替代", 3, "台", "低氮冷凝燃气锅炉，7兆瓦", 420, "2025-10-15"),
    (22, "nev-bus", "公交车辆新能源替换", 40, "辆", "10米级纯电动城市客车，续航不低于250公里", 4800, "2025-12-31"),
    (23, "agri-dryer", "粮食烘干能力提升", 4, "台", "批处理量30吨循环式烘干机，清洁热源", 130, "2025-07-31"),
    ("区卫健委", "medical-imaging", "区属医院DR设备更新", 2, "台", "双板DR", 360, "2025-11-30"),
    ("区教育局", "education-board", "中小学智慧黑板更新", 300, "块", "86英寸智慧黑板", 690, "2025-08-20"),
    (21, "elevator", "老旧小区加装电梯", 25, "部", "无机房电梯，800公斤载重", 850, "2026-06-30"),
    (25, "eco-transformer", "厂区变压器能效提升", 2, "台", "一级能效干式变压器1250千伏安", 60, "2025-09-30"),
    (24, "it-server", "景区智慧票务系统服务器", 6, "台", "国产化服务器", 60, "2025-10-31"),
]


def _demands(beichen, firms) -> None:
    for owner, cat, title, qty, qty_unit, req, budget, by in DEMANDS:
        extra = {"unit": _unit(beichen, owner)} if isinstance(owner, str) else {"owner": firms[owner]}
        services.demand_create(
            actor=None,
            jurisdiction=beichen,
            category=_cat(cat),
            title=title,
            quantity=D(qty),
            quantity_unit=qty_unit,
            requirements=req,
            budget_wan=D(budget),
            needed_by=datetime.date.fromisoformat(by),
            **extra,
        )


CONSUMER = [
    ("appliance-fridge", 9000),
    ("appliance-washer", 8000),
    ("appliance-ac", 12000),
    ("appliance-tv", 6000),
    ("appliance-water-heater", 4000),
    ("nev-passenger", 3500),
]


def _consumer_demand(beichen) -> None:
    for code, units in CONSUMER:
        services.consumer_demand_set(
            actor=None,
            jurisdiction=beichen,
            category=_cat(code),
            year=2025,
            expected_units=units,
            note="按2024年以旧换新申领量估算",
        )


# (owner, name, domain, unit, total, equipment, start, end, channels, stage, prerequisites done, financing)
PROJECTS = [
    (
        17,
        "钢结构智能焊接生产线技术改造项目",
        "industry",
        "区工信局",
        3200,
        2400,
        "2024-10-01",
        "2025-09-30",
        ["special_bonds", "loan_interest"],
        "started",
        ["approval", "land", "energy", "environment"],
        1500,
    ),
    (
        18,
        "汽车底盘零部件数字化车间建设项目",
        "industry",
        "区工信局",
        8600,
        6100,
        "2024-08-01",
        "2025-12-31",
        ["special_bonds"],
        "started",
        ["approval", "land", "energy", "environment"],
        None,
    ),
    (
        19,
        "水性涂料车间VOCs深度治理及设备更新项目",
        "industry",
        "区工信局",
        1800,
        1300,
        "2025-03-01",
        "2025-12-31",
        ["central_budget", "loan_interest"],
        "selected",
        ["approval", "energy", "environment"],
        800,
    ),
    (
        20,
        "制剂车间高效节能设备更新项目",
        "industry",
        "区工信局",
        5200,
        3900,
        "2023-11-01",
        "2024-10-31",
        ["special_bonds"],
        "completed",
        ["approval", "land", "energy", "environment"],
        None,
    ),
    (
        25,
        "印刷包装绿色化改造项目",
        "industry",
        "区工信局",
        900,
        650,
        "2025-05-01",
        "2025-11-30",
        ["loan_interest", "relending"],
        "review",
        ["approval", "environment"],
        500,
    ),
    (
        1,
        "精密数控机床智能工厂扩建项目",
        "industry",
        "区工信局",
        12000,
        7800,
        "2025-06-01",
        "2026-12-31",
        ["special_bonds", "central_budget"],
        "applying",
        ["approval", "land"],
        5000,
    ),
    (
        26,
        "供热站燃煤锅炉清洁能源替代项目",
        "construction",
        "区城管委",
        2600,
        2100,
        "2025-04-01",
        "2025-10-31",
        ["special_bonds"],
        "selected",
        ["approval", "land", "energy", "environment"],
        None,
    ),
    (
        21,
        "老旧小区加装电梯项目（一期）",
        "construction",
        "区住建委",
        1500,
        1250,
        "2025-03-01",
        "2026-06-30",
        ["central_subsidy", "local_fund"],
        "started",
        ["approval", "land"],
        None,
    ),
    (
        22,
        "新能源公交车辆更新项目",
        "transport",
        "区运管局",
        5600,
        5200,
        "2025-01-01",
        "2025-12-31",
        ["special_bonds", "central_subsidy"],
        "review",
        ["approval"],
        3000,
    ),
    (
        23,
        "粮食产地烘干能力建设项目",
        "agriculture",
        "区农业农村委",
        480,
        420,
        "2025-05-01",
        "2025-09-30",
        ["central_subsidy"],
        "reserve",
        ["approval", "land"],
        None,
    ),
    (
        30,
        "智慧教室及理化生实验室改造项目",
        "education",
        "区教育局",
        760,
        690,
        "2025-07-01",
        "2025-08-31",
        ["special_bonds"],
        "applying",
        ["approval"],
        None,
    ),
    (
        20,
        "医药园区危废处置设施更新项目",
        "industry",
        "区工信局",
        650,
        400,
        None,
        None,
        ["central_budget"],
        "planning",
        [],
        None,
    ),
    (
        24,
        "景区智慧化设备更新项目",
        "culture_tourism",
        "区文旅局",
        350,
        260,
        "2025-09-01",
        "2026-03-31",
        ["local_fund"],
        "reserve",
        ["approval"],
        None,
    ),
    (
        15,
        "废旧家电回收拆解线升级项目",
        "recycling",
        "区商务局",
        1200,
        980,
        "2025-04-01",
        "2025-12-31",
        ["central_budget", "special_bonds"],
        "selected",
        ["approval", "land", "energy", "environment"],
        600,
    ),
    (
        16,
        "再生资源分拣中心建设项目",
        "recycling",
        "区商务局",
        800,
        520,
        "2025-06-01",
        "2026-05-31",
        ["local_fund"],
        "withdrawn",
        ["approval"],
        None,
    ),
]

_PATH = [
    ProjectStage.PLANNING,
    ProjectStage.RESERVE,
    ProjectStage.APPLYING,
    ProjectStage.REVIEW,
    ProjectStage.SELECTED,
    ProjectStage.STARTED,
    ProjectStage.COMPLETED,
]


def _projects(beichen, firms) -> None:
    for owner, name, domain, unit, total, equip, start, end, channels, stage, done, financing in PROJECTS:
        prerequisites = {
            kind: {
                "state": "done",
                "document_no": f"津北{['审批', '规资', '节能', '环评'][i]}〔2024〕{10 + owner}号",
                "done_on": datetime.date(2024, 6, 1 + i),
            }
            for i, kind in enumerate(["approval", "land", "energy", "environment"])
            if kind in done
        }
        project = services.project_create(
            actor=None,
            jurisdiction=beichen,
            owner=firms[owner],
            name=name,
            domain=domain,
            responsible_unit=_unit(beichen, unit),
            total_investment_wan=D(total),
            equipment_investment_wan=D(equip),
            planned_start=datetime.date.fromisoformat(start) if start else None,
            planned_end=datetime.date.fromisoformat(end) if end else None,
            channels=channels,
            needs_financing=financing is not None,
            financing_amount_wan=D(financing) if financing else None,
            location=firms[owner].address,
            prerequisites=prerequisites,
        )
        target = _PATH.index(stage) if stage in _PATH else 2
        for step in _PATH[1 : target + 1]:
            project = services.project_move(actor=None, project=project, to_stage=step, reason="按进度推进")
        if stage == ProjectStage.WITHDRAWN:
            services.project_move(actor=None, project=project, to_stage=stage, reason="企业调整投资计划，暂缓实施")
    services.criteria_create(
        actor=None,
        jurisdiction=beichen,
        channel="special_bonds",
        name="超长期特别国债设备更新项目筛选条件",
        domains=["industry", "construction", "transport", "education", "medical", "recycling", "culture_tourism"],
        min_investment_wan=D(1000),
        prerequisites_required=["approval", "energy", "environment"],
    )
    services.criteria_create(
        actor=None,
        jurisdiction=beichen,
        channel="central_budget",
        name="中央预算内投资（节能降碳、循环经济）筛选条件",
        domains=["industry", "recycling"],
        min_investment_wan=D(500),
        prerequisites_required=["approval", "land", "environment"],
    )


def _policies(beichen) -> None:
    fgw = _unit(beichen, "区发改委")
    services.policy_create(
        actor=None,
        jurisdiction=beichen,
        level=PolicyLevel.NATIONAL,
        title="推动大规模设备更新和消费品以旧换新行动方案",
        doc_number="国发〔2024〕7号",
        issuer="国务院",
        issued_on=datetime.date(2024, 3, 7),
        domains=[
            "industry",
            "agriculture",
            "construction",
            "transport",
            "education",
            "culture_tourism",
            "medical",
            "recycling",
        ],
        summary="实施设备更新、消费品以旧换新、回收循环利用、标准提升四大行动。",
        url="https://www.gov.cn/",
        position=1,
    )
    services.policy_create(
        actor=None,
        jurisdiction=beichen,
        level=PolicyLevel.NATIONAL,
        title="关于加力支持大规模设备更新和消费品以旧换新的若干措施",
        doc_number="发改环资〔2024〕1104号",
        issuer="国家发展改革委、财政部",
        issued_on=datetime.date(2024, 7, 24),
        funding_channel="special_bonds",
        domains=["industry", "transport", "construction", "recycling"],
        applicant_types=["企业", "个人"],
        conditions=["超长期特别国债", "设备更新贷款贴息"],
        position=2,
        summary="统筹安排超长期特别国债资金，加力支持设备更新和消费品以旧换新。",
    )
    overall = services.policy_create(
        actor=None,
        jurisdiction=beichen,
        level=PolicyLevel.COUNTY,
        title="北辰区推动大规模设备更新和消费品以旧换新工作方案（演示）",
        issuer="北辰区人民政府",
        lead_unit=fgw,
        domains=["industry", "construction", "transport", "education", "medical", "recycling"],
        position=3,
        summary="演示数据：区级“1+N”政策体系的总体方案。",
    )
    children = [
        (
            "工业领域设备更新实施方案（演示）",
            "区工信局",
            ["industry"],
            "loan_interest",
            ["medium", "small", "专精特新"],
            ["技术改造", "设备投资不低于500万元"],
        ),
        (
            "建筑和市政领域设备更新实施方案（演示）",
            "区住建委",
            ["construction"],
            "special_bonds",
            [],
            ["老旧小区", "加装电梯"],
        ),
        ("交通运输领域设备更新实施方案（演示）", "区运管局", ["transport"], "central_subsidy", [], ["新能源公交"]),
        ("教育领域设备更新实施方案（演示）", "区教育局", ["education"], "special_bonds", [], []),
        ("消费品以旧换新实施方案（演示）", "区商务局", [], "central_subsidy", ["个人"], ["以旧换新", "一级能效"]),
    ]
    for i, (title, unit, domains, channel, applicants, conditions) in enumerate(children, start=1):
        services.policy_create(
            actor=None,
            jurisdiction=beichen,
            level=PolicyLevel.COUNTY,
            title=title,
            parent=overall,
            issuer="北辰区人民政府",
            lead_unit=_unit(beichen, unit),
            domains=domains,
            funding_channel=channel,
            applicant_types=applicants,
            conditions=conditions,
            position=i,
            summary="演示数据。",
        )


# 泰山区's attachment: “1+N” 政策清单 (泰山政发〔2024〕1号, 2024-07-26); the facts as printed.
TAISHAN_PLANS = [
    ("工业领域设备更新工作方案", ["区工业和信息化局"], ["industry"]),
    ("建筑和市政领域设备更新工作方案", ["区住房和城乡建设局", "区综合行政执法局"], ["construction"]),
    ("农业农村领域设备更新工作方案", ["区农业农村局"], ["agriculture"]),
    ("交通运输领域设备更新工作方案", ["区交通运输局"], ["transport"]),
    ("教育领域设备更新工作方案", ["区教育和体育局"], ["education"]),
    ("文旅领域设备更新工作方案", ["区文化和旅游局"], ["culture_tourism"]),
    ("医疗领域设备更新工作方案", ["区卫生健康局"], ["medical"]),
    ("消费品以旧换新工作方案", ["区商务局"], []),
]


def _taishan_policies(taishan) -> None:
    overall = services.policy_create(
        actor=None,
        jurisdiction=taishan,
        level=PolicyLevel.COUNTY,
        title="大规模设备更新和消费品以旧换新工作方案",
        doc_number="泰山政发〔2024〕1号",
        issuer="泰安市泰山区人民政府",
        issued_on=datetime.date(2024, 7, 26),
        lead_unit=Unit.objects.filter(jurisdiction=taishan, name="区发展和改革局").first(),
        position=1,
        summary="泰山区推动大规模设备更新和消费品以旧换新工作方案（“1+N”政策清单之总体工作方案）。",
    )
    for i, (title, units, domains) in enumerate(TAISHAN_PLANS, start=1):
        services.policy_create(
            actor=None,
            jurisdiction=taishan,
            level=PolicyLevel.COUNTY,
            title=title,
            parent=overall,
            lead_unit=Unit.objects.filter(jurisdiction=taishan, name=units[0]).first(),
            domains=domains,
            position=i,
            summary="牵头部门：" + "、".join(units),
        )


def _offers(beichen, firms) -> None:
    offers = [
        (
            27,
            "leasing",
            "设备更新直租",
            ["industry", "medical", "transport"],
            100,
            5000,
            "年化4.2%起",
            60,
            ["设备所有权抵押"],
        ),
        (27, "leasing", "售后回租（技改专项）", ["industry"], 200, 3000, "年化4.5%起", 48, ["规上企业"]),
        (
            28,
            "subsidised_loan",
            "设备更新贴息贷款",
            ["industry", "agriculture", "recycling"],
            50,
            8000,
            "LPR减50个基点，财政贴息1个百分点",
            60,
            ["纳入设备更新项目清单"],
        ),
        (29, "loan", "技术改造中长期贷款", [], 500, 20000, "LPR", 96, ["规上企业", "项目已备案"]),
    ]
    for provider, kind, name, domains, low, high, rate, term, conditions in offers:
        services.offer_create(
            actor=None,
            provider=firms[provider],
            kind=kind,
            name=name,
            domains=domains,
            min_amount_wan=D(low),
            max_amount_wan=D(high),
            rate_note=rate,
            term_months_max=term,
            conditions=conditions,
            jurisdiction=beichen,
        )


def _event(beichen, firms) -> None:
    from .services import events as event_services

    event = event_services.event_create(
        actor=None,
        jurisdiction=beichen,
        title="北辰区设备更新供需对接会（演示）",
        held_on=datetime.date(2025, 5, 20),
        place="北辰区政务服务中心三楼会议室",
        organiser=_unit(beichen, "区工信局"),
        notes="演示数据：工业领域设备更新供需及融资对接。",
    )
    for serial, side in [
        (1, InvitationSide.SUPPLY),
        (2, InvitationSide.SUPPLY),
        (7, InvitationSide.SUPPLY),
        (17, InvitationSide.DEMAND),
        (18, InvitationSide.DEMAND),
        (20, InvitationSide.DEMAND),
        (27, InvitationSide.FINANCE),
        (28, InvitationSide.FINANCE),
    ]:
        invitation = event_services.invitation_add(actor=None, event=event, enterprise=firms[serial], side=side)
        if serial != 20:
            event_services.invitation_set_attended(actor=None, invitation=invitation, attended=True)
