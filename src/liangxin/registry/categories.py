"""The equipment and product category tree (reference data), loaded by migration 0003 and kept in step
by `registry_categories_sync`: (code, name, keywords, children)."""

CATEGORY_TREE: list[tuple[str, str, list[str], list]] = [
    (
        "cnc",
        "数控机床",
        ["机床", "加工中心", "数控车床", "数控铣床", "CNC"],
        [
            ("cnc-lathe", "数控车床", ["车床", "车削中心"], []),
            ("cnc-machining-centre", "加工中心", ["立式加工中心", "卧式加工中心", "五轴"], []),
            ("cnc-grinder", "数控磨床", ["磨床"], []),
        ],
    ),
    (
        "robot",
        "工业机器人",
        ["机器人", "机械臂", "协作机器人"],
        [
            ("robot-welding", "焊接机器人", ["焊接", "弧焊", "点焊"], []),
            ("robot-handling", "搬运码垛机器人", ["搬运", "码垛", "AGV"], []),
        ],
    ),
    ("elevator", "电梯", ["电梯", "扶梯", "曳引", "加装电梯"], []),
    (
        "medical",
        "医疗装备",
        ["医疗设备", "医疗器械"],
        [
            ("medical-imaging", "医学影像设备", ["CT", "核磁共振", "MRI", "DR", "超声"], []),
            ("medical-lab", "检验检测设备", ["检验", "生化分析仪"], []),
            ("medical-rehab", "康复护理设备", ["康复", "护理床"], []),
        ],
    ),
    (
        "agri",
        "农机装备",
        ["农机", "农业机械"],
        [
            ("agri-tractor", "拖拉机", ["拖拉机"], []),
            ("agri-harvester", "收获机械", ["收割机", "联合收割机", "收获机"], []),
            ("agri-dryer", "粮食烘干设备", ["烘干机", "烘干"], []),
        ],
    ),
    (
        "appliance",
        "家电",
        ["家用电器", "家电"],
        [
            ("appliance-fridge", "冰箱", ["电冰箱", "冷柜"], []),
            ("appliance-washer", "洗衣机", ["洗衣机", "滚筒", "波轮"], []),
            ("appliance-ac", "空调", ["空调器", "空调"], []),
            ("appliance-tv", "电视机", ["电视", "智能电视"], []),
            ("appliance-water-heater", "热水器", ["热水器"], []),
            ("appliance-computer", "电脑", ["计算机", "笔记本电脑"], []),
        ],
    ),
    (
        "nev",
        "新能源汽车",
        ["新能源车", "电动汽车", "纯电动", "插电混动"],
        [
            ("nev-passenger", "新能源乘用车", ["乘用车", "轿车"], []),
            ("nev-bus", "新能源公交车", ["公交车", "客车"], []),
            ("nev-truck", "新能源货车", ["货车", "物流车", "重卡"], []),
        ],
    ),
    (
        "eco",
        "节能环保装备",
        ["节能", "环保设备"],
        [
            ("eco-boiler", "高效锅炉", ["锅炉", "燃气锅炉"], []),
            ("eco-motor", "高效电机", ["电机", "永磁电机", "变频"], []),
            ("eco-transformer", "节能变压器", ["变压器"], []),
            ("eco-pump", "高效泵与风机", ["水泵", "风机", "空压机"], []),
            ("eco-treatment", "污染治理设备", ["污水处理", "除尘", "脱硫", "VOCs"], []),
        ],
    ),
    (
        "it",
        "信息化设备",
        ["信息化", "服务器", "网络设备"],
        [
            ("it-server", "服务器与存储", ["服务器", "存储"], []),
            ("it-network", "网络与安全设备", ["交换机", "路由器", "防火墙"], []),
        ],
    ),
    (
        "education",
        "教学设备",
        ["教学设备", "实验室"],
        [
            ("education-board", "智慧黑板与多媒体", ["智慧黑板", "多媒体", "交互平板"], []),
            ("education-lab", "实验实训设备", ["实验室", "实训"], []),
        ],
    ),
    (
        "construction",
        "建筑施工设备",
        ["工程机械", "塔吊"],
        [
            ("construction-crane", "塔式起重机", ["塔吊", "起重机"], []),
            ("construction-excavator", "挖掘机", ["挖掘机", "挖机"], []),
        ],
    ),
    (
        "recycling",
        "回收处理设备",
        ["回收", "拆解", "再生"],
        [
            ("recycling-dismantling", "废旧家电拆解设备", ["拆解线", "拆解"], []),
            ("recycling-sorting", "分拣打包设备", ["分拣", "打包机"], []),
        ],
    ),
]


def load_categories(category_model) -> int:
    """Create or update every node of the tree with `category_model` (a real or historical model);
    returns how many nodes were created. Idempotent."""
    created = 0

    def walk(nodes, parent):
        nonlocal created
        for position, (code, name, keywords, children) in enumerate(nodes, start=1):
            node, was_created = category_model.objects.update_or_create(
                code=code,
                defaults={"name": name, "parent": parent, "position": position, "keywords": keywords},
            )
            created += was_created
            walk(children, node)

    walk(CATEGORY_TREE, None)
    return created
