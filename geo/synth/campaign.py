"""The demo campaign generator: Erqi District's places with statuses, deadlines, 四包一 people and ledgers.

`build_demo` takes the geography (geo/synth/geography.py), finds the
community each place lies in (geo/boundaries.py `areas_holding`, as the
service does for a new place), numbers the places community by community and
gives each its properties, its ledger problems their cases (geo/synth/cases.py); `write_demo` writes the layer and boundary files.
A fixed seed makes every run byte-identical.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
from shapely.geometry import shape

from geo.boundaries import areas_holding
from geo.config import CAMPAIGN_FILE, Campaign, load_campaign
from geo.geojson_io import atomic_write, layer_members, write_collection
from geo.messages import t
from geo.synth.cases import demo_cases
from geo.synth.geography import (
    DAILY,
    FRINGE_STREET,
    ROADS,
    STREETS,
    Boundaries,
    Place,
    ProblemSpec,
    boundary_features,
    build_article_places,
    build_boundaries,
    build_courtyards,
    build_roads,
    build_villages,
)
from geo.synth.shapes import Site, stored_geometries, to_metric

DEFAULT_CAMPAIGN = Path(__file__).resolve().parent.parent.parent / "data" / CAMPAIGN_FILE
DEMO_SEED = 20260701
TODAY = date(2026, 11, 24)  # "today" of the demo: late November 2026
CAMPAIGN_START = date(2026, 7, 6)  # the campaign started in July
DEADLINE_FIRST, DEADLINE_LAST = date(2026, 9, 1), date(2027, 1, 31)
FOUND_BY = (DAILY, "义务监督小分队", "社区排查", "群众反映", "临时党支部巡查")
DONE = ("rectified", "accepted")
DEMO_STATUS_WEIGHTS = {"accepted": 0.30, "rectified": 0.20, "in_progress": 0.22,
                       "pending": 0.14, "unsurveyed": 0.07, "relapsed": 0.07}
BUREAUS = ("区政府办", "区教育局", "区城管局", "区住建局", "区卫健委", "区民政局", "区发改委", "区财政局",
           "区人社局", "区市场监管局", "区司法局", "区文广旅局", "区商务局", "区应急管理局", "区审计局",
           "区统计局", "区农业农村局", "区自然资源局", "区交通运输局", "区退役军人事务局")
COMMUNITY_BUREAU = {"金桥社区": "区政府办", "祥和社区": "区教育局"}  # as in the article
SURNAMES = tuple("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛"
                 "叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹常武乔贺")
GIVEN_NAMES = ("建国", "秀英", "桂兰", "志强", "海燕", "丽娟", "红梅", "伟", "敏", "静", "磊", "洋", "勇", "军",
               "杰", "娟", "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "晓东", "春华", "玉珍", "卫东",
               "国庆", "新民", "爱华", "建华", "文静", "雪梅", "晨", "浩然", "一鸣", "思远", "佳怡", "俊杰",
               "婷婷", "丹丹", "亚楠", "振华", "向阳", "利民", "淑芬", "凤英", "素梅", "长安", "宏伟", "丽萍",
               "建伟", "红霞", "书田", "云飞", "国强", "玉兰", "少华", "梦瑶", "志刚", "金凤", "永胜", "慧敏")

# The ledger's wording, with the article's flavour.
DESCRIPTIONS = {
    "环境卫生死角": ("楼院角落卫生死角,杂物堆积多年", "房前屋后卫生死角未清理", "楼道口垃圾堆积,蚊蝇滋生"),
    "乱堆乱放": ("院内废弃家具乱堆乱放", "楼道内杂物乱堆乱放", "沿街门店门前乱堆乱放"),
    "破损垃圾桶": ("垃圾桶破损缺盖,需更换", "分类垃圾桶破损,垃圾外溢"),
    "垃圾分类": ("未设置分类垃圾厢房", "垃圾分类投放点标识缺失,混投严重"),
    "飞线充电": ("单元楼墙面飞线充电,私拉电线十余处", "楼道内私拉电线为电动车充电", "窗口吊线充电,存在火灾隐患"),
    "僵尸车": ("充电车棚内僵尸车占用车位", "院内废弃自行车、电动车长期堆放"),
    "违章建筑": ("院内私搭乱建彩钢房一处", "楼顶违章搭建", "沿街违章搭建雨棚"),
    "门头牌匾": ("门头牌匾破损、样式杂乱", "沿街门头牌匾不规范,需统一整治"),
    "破损路面": ("院内路面坑坑洼洼,雨天积水", "人行道地砖破损松动", "路面坑槽多处,需修复平整"),
    "建筑物外墙": ("建筑物外墙瓷砖脱落", "沿街建筑立面破旧、小广告多"),
    "消防通道": ("消防通道被车辆、杂物占用", "消防通道标识缺失"),
    "建筑垃圾": ("建筑垃圾未日产日清", "建筑垃圾与生活垃圾混合堆放", "施工围挡内建筑垃圾未覆盖"),
    "管线入地": ("架空线缆杂乱,需管线入地", "弱电线缆横七竖八,未规整"),
    "雨污分流": ("雨污合流,下水道返味", "雨水管网堵塞,院内积水"),
    "楼顶防水": ("楼顶防水层老化,顶层住户漏雨",),
    "绿化照明": ("院内路灯损坏,夜间无照明", "绿地黄土裸露,需补植"),
    "安防设施": ("楼院未安装监控,门禁损坏",),
    "非机动车停车棚及充电设施": ("缺少非机动车停车棚及充电设施", "充电桩数量不足,居民飞线充电"),
    "机动车停车位": ("机动车乱停乱放,未施划停车位",),
    "物业管理": ("无物业管理,需引进红色物业", "楼院“三类组织”未建立"),
    "公共楼道修缮": ("公共楼道墙皮脱落、扶手破损", "楼道小广告多,墙面需粉刷"),
    "体育设施": ("缺少健身器材", "健身器材破损"),
    "物业用房": ("缺少物业用房",),
    "停车场": ("周边缺少停车场,停车难",),
    "适老化设施": ("单元出入口无坡道扶手,需适老化改造",),
    "电梯": ("多层住宅无电梯,居民申请加装",),
    "保温层": ("外墙无保温层,冬季室内温度低",),
}
CATEGORIES_BY_KIND = {
    "无主管楼院": ("环境卫生死角", "乱堆乱放", "破损垃圾桶", "垃圾分类", "飞线充电", "僵尸车", "违章建筑", "消防通道",
               "破损路面", "管线入地", "安防设施", "物业管理", "公共楼道修缮", "非机动车停车棚及充电设施"),
    "楼院": ("环境卫生死角", "乱堆乱放", "飞线充电", "僵尸车", "消防通道", "破损垃圾桶", "机动车停车位", "绿化照明",
           "公共楼道修缮"),
    "老旧小区": ("管线入地", "雨污分流", "楼顶防水", "绿化照明", "安防设施", "非机动车停车棚及充电设施", "机动车停车位",
             "物业管理", "建筑垃圾", "适老化设施", "电梯", "保温层", "体育设施", "物业用房", "停车场"),
    "小游园": ("环境卫生死角", "绿化照明", "体育设施", "破损垃圾桶", "乱堆乱放", "适老化设施"),
    "道路": ("违章建筑", "门头牌匾", "破损路面", "建筑物外墙", "乱堆乱放", "环境卫生死角", "建筑垃圾", "绿化照明"),
    "城乡接合部": ("环境卫生死角", "乱堆乱放", "违章建筑", "建筑垃圾", "垃圾分类", "雨污分流", "破损路面", "飞线充电"),
}
NOTES_BY_KIND = {
    "无主管楼院": ("已成立楼院临时党支部", "义务监督小分队每周循环督查", "已引进红色物业", "下沉干部结对帮扶"),
    "楼院": ("已建立楼院“三类组织”", "义务监督小分队每周循环督查"),
    "老旧小区": ("列入2026年老旧小区改造计划", "施工中,建筑垃圾要求日产日清", "业委会、物业、社区三方联动"),
    "小游园": ("“挂图作战”新建小游园", "利用闲置地块建设"),
    "道路": ("“一拆、二宣、三提升”工作法", "“四包一”专班动态台账"),
    "城乡接合部": ("三级管理监控平台:包村领导—包村科室—村三委", "城乡接合部综合整治项目"),
}


# --- the demo: properties -----------------------------------------------------

class People:
    """Fictional names for the 四包一 of every street and community."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def person(self) -> str:
        while True:
            name = str(self.rng.choice(SURNAMES)) + str(self.rng.choice(GIVEN_NAMES))
            if name not in self.used:
                self.used.add(name)
                return name

    def teams(self, b: Boundaries) -> tuple[dict, dict, dict, dict]:
        leaders = {s: self.person() for s in b.streets}
        road_leaders = {r.name: self.person() if i % 3 == 2 else list(leaders.values())[i % len(leaders)]
                        for i, r in enumerate(ROADS)}
        cadres = {s: [self.person() for _ in range(3)] for s in b.streets}
        crews = {c: (self.person(), [self.person() for _ in range(3)]) for c in b.communities}
        return leaders, road_leaders, cadres, crews


def _day(first: date, last: date, rng: np.random.Generator) -> date:
    return first + timedelta(days=int(rng.integers(0, (last - first).days + 1)))


def _updated_at(day: date, rng: np.random.Generator) -> str:
    # Office hours in Zhengzhou (UTC+8), never later than 09:30 local on the demo's "today".
    minutes = int(rng.integers(10, 90)) if day >= TODAY else int(rng.integers(30, 600))
    return f"{day.isoformat()}T{minutes // 60:02d}:{minutes % 60:02d}:00Z"


def _deadline(status: str, rng: np.random.Generator) -> str | None:
    if status == "unsurveyed" and rng.random() < 0.7:
        return None
    if status in DONE:
        return _day(DEADLINE_FIRST, date(2026, 12, 31), rng).isoformat()
    if rng.random() < 0.2:  # overdue
        return _day(DEADLINE_FIRST, TODAY - timedelta(days=1), rng).isoformat()
    return _day(TODAY + timedelta(days=1), DEADLINE_LAST, rng).isoformat()


def _draw_problems(status: str, kind: str, campaign: Campaign, rng: np.random.Generator) -> list[ProblemSpec]:
    pool = [c for c in CATEGORIES_BY_KIND[kind] if c in campaign.categories] or list(campaign.categories)

    def spec(state: str, found_by: str | None = None, category: str | None = None, relapse: bool = False):
        category = category or str(rng.choice(pool))
        text = str(rng.choice(DESCRIPTIONS.get(category, (f"{category}问题待整改",))))
        # Inspections' findings are mostly fixed on the spot (立行立改); what stays open came from elsewhere.
        weights = (0.3, 0.25, 0.25, 0.15, 0.05) if state == "closed" else (0.04, 0.06, 0.45, 0.3, 0.15)
        found_by = found_by or str(rng.choice(FOUND_BY, p=weights))
        return ProblemSpec(category, text + (",整改后反弹回潮" if relapse else ""), found_by, state, relapse)

    if status == "unsurveyed":
        return [spec("open", "群众反映")] if rng.random() < 0.15 else []
    if status in DONE:
        return [spec("closed") for _ in range(int(rng.choice(4, p=(0.15, 0.35, 0.3, 0.2))))]
    if status == "pending":
        out = [spec("open") for _ in range(int(rng.integers(1, 4)))]
    elif status == "in_progress":
        out = [spec("in_progress")] + [spec(str(rng.choice(["open", "in_progress", "closed"])))
                                       for _ in range(int(rng.integers(0, 3)))]
    else:  # relapsed: an old problem came back
        old = spec("closed")
        out = [old, spec("open", str(rng.choice([DAILY, "义务监督小分队"])), old.category, relapse=True)]
    if len(out) < 4 and rng.random() < 0.3:
        out.append(spec("open", DAILY))  # today's or yesterday's random inspection
    return out


def _ledger(fid: str, specs, people: dict, place: Place, street: str, rng: np.random.Generator) -> list[dict]:
    entries = []
    closed = None
    for spec in specs:
        recent = spec.found_by == DAILY and spec.state != "closed" and rng.random() < 0.8
        if recent:
            found = TODAY - timedelta(days=int(rng.integers(0, 2)))
        elif spec.state == "closed":
            found = _day(CAMPAIGN_START, TODAY - timedelta(days=5), rng)
        else:
            found = _day(date(2026, 10, 28), TODAY, rng)
        if spec.relapse and closed is not None:  # found again after it was closed
            found = min(max(found, closed + timedelta(days=int(rng.integers(1, 20)))), TODAY)
        days = int(rng.integers(0, 2)) if spec.found_by == DAILY else int(rng.integers(10, 50))
        deadline = found + timedelta(days=days)
        closed = None
        if spec.state == "closed":
            closed = found if spec.found_by == DAILY else min(found + timedelta(days=int(rng.integers(1, days + 8))),
                                                               TODAY - timedelta(days=1))
        who = rng.choice([f"{place.community} {people['community_head']}", f"{place.community} {people['grid_worker']}",
                          f"{street} {people['cadre']}"])
        entries.append({"category": spec.category, "description": spec.description,
                        "found_on": found.isoformat(), "found_by": spec.found_by, "deadline": deadline.isoformat(),
                        "responsible": str(who), "status": spec.state,
                        "closed_on": closed.isoformat() if closed else None})
    entries.sort(key=lambda e: e["found_on"])
    return [{"id": f"{fid}-p{i}", **e} for i, e in enumerate(entries, 1)]


def _unit(place: Place, street: str, rng: np.random.Generator) -> str:
    if place.unit:
        return place.unit
    office = f"{street}办事处"
    if place.layer == "roads":
        return str(rng.choice(["区城管局", "区住建局", "区交通运输局", office]))
    if place.layer == "villages" or street == FRINGE_STREET:
        return office
    by_kind = {"无主管楼院": _bureau(place.community), "老旧小区": "区住建局", "小游园": "区城管局"}
    return by_kind.get(place.kind, office)


def _bureau(community: str) -> str:
    if community in COMMUNITY_BUREAU:
        return COMMUNITY_BUREAU[community]
    names = [c for s in STREETS for c in s.communities if c not in COMMUNITY_BUREAU]
    return BUREAUS[2 + names.index(community) % (len(BUREAUS) - 2)]


def demo_properties(place: Place, fid: str, street: str, campaign: Campaign, teams, rng: np.random.Generator) -> dict:
    leaders, road_leaders, cadres, crews = teams
    head, grid_workers = crews[place.community]
    people = {"leader": road_leaders[place.road] if place.road else leaders[street],
              "cadre": str(rng.choice(cadres[street])), "community_head": head,
              "grid_worker": str(rng.choice(grid_workers))}
    status = place.status or str(rng.choice(list(DEMO_STATUS_WEIGHTS), p=list(DEMO_STATUS_WEIGHTS.values())))
    specs = list(place.problems) or _draw_problems(status, place.kind, campaign, rng)
    problems = _ledger(fid, specs, people, place, street, rng)
    if place.notes is not None:
        notes = place.notes
    else:
        notes = str(rng.choice(NOTES_BY_KIND[place.kind])) if rng.random() < 0.3 else ""
    events = [date.fromisoformat(d) for p in problems for d in (p["found_on"], p["closed_on"]) if d]
    last = max(events) if events else (_day(date(2026, 7, 15), date(2026, 8, 31), rng) if status == "unsurveyed"
                                       else _day(date(2026, 9, 1), TODAY - timedelta(days=1), rng))
    return {"name": place.name, "kind": place.kind, "street": street, "community": place.community,
            "status": status, "deadline": _deadline(status, rng), "unit": _unit(place, street, rng),
            "people": people, "notes": notes, "problems": problems, "version": 1,
            "updated_at": _updated_at(last, rng), "updated_by": "演示数据"}


# --- the demo: putting it together ----------------------------------------------

def build_demo(campaign: Campaign, seed: int = DEMO_SEED) -> tuple[dict[str, list[dict]], dict[str, list[dict]]]:
    """The demo's layer features (by layer id) and boundary features (by level)."""
    for layer, kinds in (("courtyards", ("无主管楼院", "老旧小区", "楼院", "小游园")), ("roads", ("道路",)),
                         ("villages", ("城乡接合部",))):
        missing = [k for k in kinds if k not in campaign.layer(layer).kinds]
        if missing:
            raise ValueError(t("synth.kinds_missing", layer=repr(layer), kinds=missing))
    if not set(DEMO_STATUS_WEIGHTS) <= set(campaign.status_keys):
        raise ValueError(t("synth.statuses_needed", statuses=", ".join(DEMO_STATUS_WEIGHTS)))

    rng_geo = np.random.default_rng([seed, 1])
    bounds = build_boundaries(rng_geo)
    site = Site()
    roads = build_roads(to_metric(bounds.district), site)
    article = build_article_places(bounds, site, rng_geo)
    villages = build_villages(bounds, site, rng_geo)
    courtyards = build_courtyards(bounds, site, rng_geo, {p.name for p in article})
    boundaries = boundary_features(bounds)

    community_names = list(bounds.communities)
    community_shapes = np.array([shape(f["geometry"]) for f in boundaries["community"]], dtype=object)
    teams = People(np.random.default_rng([seed, 2])).teams(bounds)
    rng_props = np.random.default_rng([seed, 3])
    layers: dict[str, list[dict]] = {}
    for layer_id, places in (("courtyards", article + courtyards), ("roads", roads), ("villages", villages)):
        dicts, shapes = stored_geometries([p.geom for p in places])
        where = areas_holding(shapes, community_shapes)
        if (where < 0).any():
            raise ValueError(f"{int((where < 0).sum())} places of {layer_id} lie outside every community")
        for p, i in zip(places, where):
            if p.community is not None and community_names[i] != p.community:
                raise ValueError(f"{p.name} was placed in {p.community} but lies in {community_names[i]}")
            p.community = community_names[i]
        order = list(range(len(places)))  # roads: road by road, along each road
        if layer_id != "roads":  # community by community, north to south
            order.sort(key=lambda i: (where[i], -shapes[i].centroid.y))
        prefix = campaign.layer(layer_id).id_prefix
        features = []
        for n, i in enumerate(order, 1):
            fid = f"{prefix}-{n:04d}"
            street = bounds.communities[places[i].community][0]
            props = demo_properties(places[i], fid, street, campaign, teams, rng_props)
            features.append({"type": "Feature", "id": fid, "properties": props, "geometry": dicts[i]})
        layers[layer_id] = features
    demo_cases(layers, campaign, TODAY, seed)  # every problem a case, in every stage (geo/synth/cases.py)
    return layers, boundaries


def write_campaign_data(out_dir: Path, campaign: Campaign, layers: dict[str, list[dict]],
                         boundaries: dict[str, list[dict]]) -> None:
    for layer in campaign.layers:
        places = layers.get(layer.id, [])
        write_collection(out_dir / layer.file, places, name=layer.id, members=layer_members(0, len(places)),
                         checksum="guatu")  # as the store writes its files: opened without parsing each place
    for b in campaign.boundaries:
        write_collection(out_dir / b.file, boundaries.get(b.level, []), name=b.level)


def _campaign_for(out_dir: Path) -> Campaign:
    """The campaign in `out_dir`, copying the default one there if it has none."""
    if not (out_dir / CAMPAIGN_FILE).exists():
        atomic_write(out_dir / CAMPAIGN_FILE, DEFAULT_CAMPAIGN.read_bytes())
    return load_campaign(out_dir)


def write_demo(out_dir: Path, seed: int = DEMO_SEED) -> dict[str, int]:
    """Write the demo campaign's layers and boundaries into `out_dir`.

    An existing campaign.json there is kept (the default one is copied in if
    there is none). Returns the number of features per layer.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    campaign = _campaign_for(out_dir)
    layers, boundaries = build_demo(campaign, seed)
    write_campaign_data(out_dir, campaign, layers, boundaries)
    return {layer_id: len(features) for layer_id, features in layers.items()}
