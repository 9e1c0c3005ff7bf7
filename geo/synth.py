"""Demo and synthetic campaign data: what Guatu ships with and benchmarks on.

This module owns generating campaign *data* (layers, boundaries, a made-up
journal), never the campaign configuration, which it only reads:

* `write_demo` writes the demo campaign for Erqi District (二七区), Zhengzhou:
  the district outline, sub-districts (街道) and communities (社区/村) as
  Voronoi cells, road segments (路段) as road-surface polygons, courtyards and
  compounds (楼院/老旧小区/小游园) including the places named in the source
  article, and urban–rural fringe villages (城乡接合部), each with a status,
  a deadline, its 四包一 people and a problem ledger (台账). Positions are
  illustrative, not survey results. A fixed seed makes every run
  byte-identical.
* `write_history` gives a campaign folder without a journal a made-up past,
  written through the store with a fake clock: the places are created again
  on day 0 (待排查), then surveyed, started, done on the day their ledger's
  last problem was closed, accepted, some relapsed when a problem came back,
  ending exactly as they are now. Illustrative, like the positions.
  `make_demo_copy` is what `./guatu serve` runs on its first start: a copy
  of data/ with that history, in instance/demo/.
* `write_synthetic` writes a large regular campaign (N rotated rectangles on a
  grid over the map bounds) for tests and benchmarks, built with vectorised
  numpy/shapely.

Demo geometry is built in metres (UTM zone 49N, EPSG:32649) and stored in
WGS84 [lon, lat] rounded to 6 decimals with counter-clockwise exterior rings
(RFC 7946), through `geo.geojson_io.write_collection`. Every place keeps a few
metres clear of every other, so no two stored features overlap.

    python -m geo.synth demo --out data
    python -m geo.synth history DIR [--days N]
    python -m geo.synth demo-copy data instance/demo
    python -m geo.synth synthetic --count 100000 --out /tmp/s100k [--seed 1]
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from time import perf_counter

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, Polygon, mapping, shape

from geo.config import CAMPAIGN_FILE, Campaign, load_campaign
from geo.geojson_io import PRECISION, atomic_write, layer_members, round_coords, write_collection
from geo.messages import t
from geo.store import Op, open_store
from geo.store.geojson import JOURNAL_FILE
from geo.validate import SYSTEM_PROPERTIES

DEFAULT_CAMPAIGN = Path(__file__).resolve().parent.parent / "data" / CAMPAIGN_FILE
DEMO_SEED = 20260701
TODAY = date(2026, 11, 24)  # "today" of the demo: late November 2026
CAMPAIGN_START = date(2026, 7, 6)  # the campaign started in July
DEADLINE_FIRST, DEADLINE_LAST = date(2026, 9, 1), date(2027, 1, 31)
METRIC_CRS = "EPSG:32649"
PLANE_X = math.cos(math.radians(34.7))
GAP_M = 6.0  # clearance between any two places, metres
DAILY = "每日随机督导"
FOUND_BY = (DAILY, "义务监督小分队", "社区排查", "群众反映", "临时党支部巡查")
DONE = ("rectified", "accepted")
DEMO_STATUS_WEIGHTS = {"accepted": 0.30, "rectified": 0.20, "in_progress": 0.22,
                       "pending": 0.14, "unsurveyed": 0.07, "relapsed": 0.07}

# --- the demo's geography (illustrative, WGS84 lon/lat) ----------------------

DISTRICT = "二七区"
DISTRICT_OUTLINE = (
    (113.606, 34.757), (113.622, 34.766), (113.645, 34.768), (113.664, 34.765),
    (113.679, 34.760), (113.690, 34.746), (113.689, 34.728), (113.686, 34.710),
    (113.680, 34.693), (113.671, 34.676), (113.660, 34.655), (113.646, 34.632),
    (113.622, 34.622), (113.596, 34.626), (113.572, 34.640), (113.563, 34.662),
    (113.574, 34.686), (113.592, 34.708), (113.601, 34.732),
)


@dataclass(frozen=True)
class StreetSpec:
    name: str
    lon: float
    lat: float
    communities: tuple[str, ...]
    courtyards: int  # generated courtyards, besides the article's named places


STREETS = (
    StreetSpec("大学路街道", 113.664, 34.727, ("金桥社区", "祥和社区", "大学路社区", "陇海社区", "杏园社区"), 42),
    StreetSpec("福华街街道", 113.652, 34.744, ("福华街社区", "保全街社区", "铁路苗圃社区", "广秀社区", "一马路社区"), 40),
    StreetSpec("长江路街道", 113.655, 34.705, ("长江路社区", "齐礼阎社区", "庆丰社区", "淮南街社区", "贾庄社区"), 44),
    StreetSpec("金水源街道", 113.630, 34.660, ("冯庄村", "刘庄村", "杨寨村", "水磨村", "小李庄村", "范庄村"), 14),
    StreetSpec("京广路街道", 113.642, 34.730, ("京广路社区", "兴华社区", "航海社区", "幸福路社区"), 36),
    StreetSpec("建中街街道", 113.633, 34.752, ("建中街社区", "大同路社区", "三官庙社区", "陇西社区"), 32),
    StreetSpec("德化街街道", 113.667, 34.752, ("德化街社区", "二七广场社区", "正兴街社区", "钱塘路社区"), 34),
    StreetSpec("淮河路街道", 113.625, 34.735, ("淮河路社区", "嵩山路社区", "政通路社区", "汝河路社区", "华山路社区"), 36),
)
FRINGE_STREET = "金水源街道"


@dataclass(frozen=True)
class RoadSpec:
    """A road of the campaign, cut into segments at named cross streets."""

    name: str
    axis: str  # "ns": runs north–south at longitude `at`; "ew": east–west at latitude `at`
    at: float
    half_width: float  # metres
    cuts: tuple[tuple[float, str], ...]  # (latitude or longitude, cross street), along the road
    note: str = ""


# In priority order: where two roads cross, the crossing belongs to the first.
ROADS = (
    RoadSpec("京广路", "ns", 113.646, 20, ((34.748, "中原东路"), (34.742, "保全东街"), (34.733, "陇海路"),
             (34.7255, "淮河路"), (34.718, "航海路"), (34.705, "长江路"), (34.693, "南三环")), "“党建+共建”精品街"),
    RoadSpec("陇海路", "ew", 34.733, 20, ((113.615, "华山路"), (113.630, "嵩山路"), (113.646, "京广路"),
             (113.653, "福华街"), (113.663, "大学路"), (113.675, "紫荆山路"))),
    RoadSpec("航海路", "ew", 34.718, 20, ((113.615, "华山路"), (113.630, "嵩山路"), (113.646, "京广路"),
             (113.6545, "兴华街"), (113.663, "大学路"), (113.675, "紫荆山路"))),
    RoadSpec("大学路", "ns", 113.663, 16, ((34.7525, "解放路"), (34.743, "大同路"), (34.733, "陇海路"),
             (34.7255, "淮河路"), (34.718, "航海路"), (34.705, "长江路"), (34.693, "南三环"))),
    RoadSpec("长江路", "ew", 34.705, 16, ((113.630, "嵩山路"), (113.646, "京广路"), (113.6545, "兴华街"),
             (113.663, "大学路"), (113.675, "紫荆山路"))),
    RoadSpec("中原东路", "ew", 34.748, 14, ((113.615, "华山路"), (113.630, "嵩山路"), (113.646, "京广路"),
             (113.653, "福华街"))),
    RoadSpec("嵩山路", "ns", 113.630, 16, ((34.748, "中原东路"), (34.7405, "政通路"), (34.733, "陇海路"),
             (34.7255, "淮河路"), (34.718, "航海路"), (34.705, "长江路"))),
    RoadSpec("福华街", "ns", 113.653, 10, ((34.748, "中原东路"), (34.742, "保全东街"), (34.733, "陇海路"))),
    RoadSpec("保全东街", "ew", 34.742, 10, ((113.646, "京广路"), (113.653, "福华街")), "“党建+自治”精品街"),
)

# Streets that are not campaign roads but give courtyards their addresses.
ADDRESS_STREETS = (
    ("解放路", (113.640, 34.7525), (113.675, 34.7525)), ("正兴街", (113.655, 34.757), (113.675, 34.757)),
    ("大同路", (113.655, 34.743), (113.680, 34.743)), ("政通路", (113.606, 34.7405), (113.640, 34.7405)),
    ("建中街", (113.637, 34.742), (113.637, 34.762)), ("淮河路", (113.603, 34.7255), (113.685, 34.7255)),
    ("华山路", (113.615, 34.700), (113.615, 34.758)), ("兴华街", (113.6545, 34.693), (113.6545, 34.733)),
    ("紫荆山路", (113.675, 34.693), (113.675, 34.760)), ("幸福路", (113.632, 34.711), (113.662, 34.711)),
    ("齐礼阎路", (113.632, 34.699), (113.675, 34.699)), ("南三环", (113.585, 34.693), (113.680, 34.693)),
    ("铭功路", (113.658, 34.750), (113.658, 34.764)), ("秦岭路", (113.603, 34.700), (113.603, 34.740)),
    ("芦庄路", (113.590, 34.686), (113.672, 34.686)), ("连云路", (113.650, 34.672), (113.650, 34.700)),
    ("汝河路", (113.603, 34.7215), (113.640, 34.7215)), ("马寨路", (113.585, 34.695), (113.585, 34.730)),
)
BUREAUS = ("区政府办", "区教育局", "区城管局", "区住建局", "区卫健委", "区民政局", "区发改委", "区财政局",
           "区人社局", "区市场监管局", "区司法局", "区文广旅局", "区商务局", "区应急管理局", "区审计局",
           "区统计局", "区农业农村局", "区自然资源局", "区交通运输局", "区退役军人事务局")
COMMUNITY_BUREAU = {"金桥社区": "区政府办", "祥和社区": "区教育局"}  # as in the article
FORMER_EMPLOYERS = ("区粮食局", "市二建公司", "铁路分局", "纺织机械厂", "区供销社", "市第二人民医院", "市十一中",
                    "区税务局", "邮电局", "地矿局", "市自来水公司", "电业局", "煤建公司", "机务段", "市食品公司",
                    "搪瓷厂", "火柴厂", "第三制药厂", "汽车配件厂", "市印刷厂", "区房管局", "棉麻公司")
ESTATE_STEMS = ("建新", "康乐", "育红", "和平", "工人", "铁路", "友谊", "幸福", "民主", "团结", "光明", "长青",
                "向阳", "红旗", "建设", "丰产", "利民", "兴隆", "永安", "福寿")
PARK_STEMS = ("樱花", "杏林", "晨曦", "邻里", "银杏", "月季", "翠竹", "玉兰", "清风", "朝阳")
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


@dataclass(frozen=True)
class ProblemSpec:
    category: str
    description: str
    found_by: str
    state: str  # open / in_progress / closed
    relapse: bool = False  # the previous entry, closed, came back


@dataclass
class Place:
    """A place being built, in metres, before it gets its stored properties."""

    layer: str
    name: str
    kind: str
    geom: shapely.Geometry
    community: str | None = None  # the community it was placed in
    road: str | None = None
    status: str | None = None  # fixed by the article, else drawn
    unit: str | None = None
    notes: str | None = None
    problems: tuple[ProblemSpec, ...] = ()


# --- projection and geometry helpers ----------------------------------------

@cache
def _transformer(src: str, dst: str) -> Transformer:
    return Transformer.from_crs(src, dst, always_xy=True)


def _reproject(geoms, src: str, dst: str):
    t = _transformer(src, dst)
    return shapely.transform(geoms, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))


def to_metric(geoms):
    """WGS84 lon/lat → UTM 49N metres (vectorised over arrays)."""
    return _reproject(geoms, "EPSG:4326", METRIC_CRS)


def to_wgs84(geoms):
    """UTM 49N metres → WGS84 lon/lat (vectorised over arrays)."""
    return _reproject(geoms, METRIC_CRS, "EPSG:4326")


def _xy(lon: float, lat: float) -> np.ndarray:
    return np.array(_transformer("EPSG:4326", METRIC_CRS).transform(lon, lat))


def to_plane(geoms, inverse: bool = False):
    """lon/lat ↔ a plane affine to it (longitude scaled by cos 34.7°), true in shape near Zhengzhou.

    An affine map keeps straight lines straight, so cells cut in this plane
    share their edges exactly once back in lon/lat.
    """
    k = 1 / PLANE_X if inverse else PLANE_X
    return shapely.transform(geoms, lambda xy: xy * (k, 1.0))


def stored_geometries(geoms_m) -> tuple[list[dict], np.ndarray]:
    """GeoJSON geometries as stored (WGS84, 6 decimals, CCW) and their shapes, from metres."""
    return store_wgs84(to_wgs84(np.asarray(geoms_m, dtype=object)))


def store_wgs84(geoms) -> tuple[list[dict], np.ndarray]:
    """GeoJSON geometries as stored (6 decimals, CCW) and their shapes, from lon/lat."""
    wgs = shapely.orient_polygons(np.asarray(geoms, dtype=object), exterior_cw=False)
    dicts = [{"type": m["type"], "coordinates": round_coords(m["coordinates"])} for m in map(mapping, wgs)]
    shapes = np.array([shape(d) for d in dicts], dtype=object)
    bad = ~shapely.is_valid(shapes)
    if bad.any():
        raise ValueError(f"{int(bad.sum())} geometries became invalid when rounded")
    return dicts, shapes


def _transform_local(local: np.ndarray, angle: float, cx: float, cy: float) -> np.ndarray:
    c, s = math.cos(angle), math.sin(angle)
    return local @ np.array([[c, s], [-s, c]]) + (cx, cy)


def rect(cx: float, cy: float, length: float, width: float, angle: float) -> Polygon:
    local = np.array([[-0.5, -0.5], [0.5, -0.5], [0.5, 0.5], [-0.5, 0.5]]) * (length, width)
    return Polygon(_transform_local(local, angle, cx, cy))


def l_shape(cx: float, cy: float, length: float, width: float, angle: float, cut: float) -> Polygon:
    """An L: a length×width block with a cut×cut share of one corner missing."""
    a, b = width * (1 - cut), length * (1 - cut)
    local = np.array([[0, 0], [length, 0], [length, a], [b, a], [b, width], [0, width]]) - (length / 2, width / 2)
    return Polygon(_transform_local(local, angle, cx, cy))


def blob(cx: float, cy: float, radius: float, rng: np.random.Generator) -> Polygon:
    """An irregular star-shaped outline (always a valid polygon)."""
    n = int(rng.integers(9, 15))
    angles = (np.arange(n) + rng.uniform(-0.3, 0.3, n)) * 2 * math.pi / n
    radii = radius * rng.uniform(0.7, 1.0, n)
    stretch = rng.uniform(1.0, 1.4)
    local = np.column_stack([np.cos(angles) * radii * stretch, np.sin(angles) * radii])
    return Polygon(_transform_local(local, rng.uniform(0, math.pi), cx, cy))


def sample_points(region, n: int, rng: np.random.Generator) -> np.ndarray:
    """`n` points uniformly inside `region` (metres), shape (n, 2)."""
    x0, y0, x1, y1 = region.bounds
    out: list[np.ndarray] = []
    got = 0
    while got < n:
        xy = rng.uniform((x0, y0), (x1, y1), size=(max(64, 2 * n), 2))
        xy = xy[shapely.contains_xy(region, xy[:, 0], xy[:, 1])]
        out.append(xy)
        got += len(xy)
    return np.concatenate(out)[:n]


def voronoi_cells(seeds: np.ndarray, region) -> list:
    """Voronoi cells of `seeds` clipped to `region`, in the order of the seeds."""
    cells = shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=region, ordered=True)
    clipped = shapely.intersection(shapely.get_parts(cells), region)
    return [_largest(c) for c in clipped]


def _largest(geom):
    parts = shapely.get_parts(geom)
    return parts[int(np.argmax(shapely.area(parts)))] if len(parts) > 1 else parts[0]


def kmeans_seeds(region, k: int, rng: np.random.Generator, iterations: int = 25) -> np.ndarray:
    """Well-spread seed points (Lloyd's algorithm on a sample), north to south."""
    pts = sample_points(region, 1200, rng)
    centres = pts[rng.choice(len(pts), k, replace=False)]
    for _ in range(iterations):
        label = ((pts[:, None, :] - centres[None]) ** 2).sum(-1).argmin(1)
        centres = np.array([pts[label == j].mean(0) if (label == j).any() else centres[j] for j in range(k)])
    return centres[np.lexsort((centres[:, 0], -centres[:, 1]))]


class Site:
    """Footprints placed so far; keeps new ones `gap` metres clear of them."""

    def __init__(self, gap: float = GAP_M) -> None:
        self.gap = gap
        self.geoms: list = []
        self._tree: shapely.STRtree | None = None

    def clear(self, geoms) -> bool:
        if not self.geoms:
            return True
        if self._tree is None:
            self._tree = shapely.STRtree(self.geoms)
        return self._tree.query(geoms, predicate="dwithin", distance=self.gap).size == 0

    def add(self, geoms) -> None:
        self.geoms.extend(geoms)
        self._tree = None


def place(make: Callable[[float, float], list], region, site: Site, rng: np.random.Generator,
          attempts: int = 200) -> list | None:
    """Try random centres in `region` until `make(x, y)` fits inside it and clear of `site`."""
    for x, y in sample_points(region, attempts, rng):
        geoms = make(float(x), float(y))
        if shapely.contains(region, geoms).all() and site.clear(geoms):
            site.add(geoms)
            return geoms
    return None


# --- the demo: boundaries ----------------------------------------------------

@dataclass
class Boundaries:
    """District, streets and communities in lon/lat; they tile the district exactly."""

    district: Polygon
    streets: dict[str, Polygon]  # name → cell
    communities: dict[str, tuple[str, Polygon]]  # name → (street, cell)
    _inner: dict[str, Polygon] = field(default_factory=dict)

    def inner(self, community: str, margin: float = 8.0) -> Polygon:
        """The community in metres, shrunk by `margin` so places keep off its edges."""
        if community not in self._inner:
            self._inner[community] = to_metric(self.communities[community][1]).buffer(-margin)
        return self._inner[community]


def build_boundaries(rng: np.random.Generator) -> Boundaries:
    """Streets: Voronoi cells of their seats; communities: Voronoi cells of k-means seeds inside each street."""
    district = to_plane(Polygon(DISTRICT_OUTLINE))
    seeds = np.array([(s.lon * PLANE_X, s.lat) for s in STREETS])
    streets = dict(zip((s.name for s in STREETS), voronoi_cells(seeds, district)))
    owners, cells = [], []
    for spec in STREETS:
        cell = streets[spec.name]
        owners.extend((spec.name, name) for name in spec.communities)
        cells.extend(voronoi_cells(kmeans_seeds(cell, len(spec.communities), rng), cell))
    cells = snap_coverage(to_plane(np.asarray(cells, dtype=object), inverse=True))
    communities = {name: (street, cell) for (street, name), cell in zip(owners, cells)}
    by_street = {spec.name: shapely.union_all([c for (st, _), c in zip(owners, cells) if st == spec.name])
                 for spec in STREETS}
    return Boundaries(shapely.union_all(cells), by_street, communities)


def snap_coverage(cells: np.ndarray, grid: float = 10 ** -PRECISION) -> np.ndarray:
    """Cells rounded to the stored precision whose shared edges match vertex for vertex.

    Rounding moves a vertex that one cell has on its neighbour's edge a few
    centimetres off that edge; snapping every cell to all cells' vertices
    puts the vertex into the neighbour too, so the cells tile without slivers.
    """
    cells = shapely.set_precision(cells, grid)
    vertices = shapely.multipoints(shapely.get_coordinates(cells))
    return shapely.snap(cells, vertices, 2 * grid)


def boundary_features(b: Boundaries) -> dict[str, list[dict]]:
    """The district, street and community files' features, by level."""
    geoms = [b.district, *b.streets.values(), *(cell for _, cell in b.communities.values())]
    dicts, _ = store_wgs84(geoms)
    n_streets = len(b.streets)
    district = [{"type": "Feature", "id": "d-01", "properties": {"name": DISTRICT}, "geometry": dicts[0]}]
    streets = [{"type": "Feature", "id": f"s-{i:02d}", "properties": {"name": name}, "geometry": g}
               for i, (name, g) in enumerate(zip(b.streets, dicts[1:1 + n_streets]), 1)]
    communities = [{"type": "Feature", "id": f"m-{i:02d}", "properties": {"name": name, "street": street},
                    "geometry": g}
                   for i, ((name, (street, _)), g) in enumerate(zip(b.communities.items(), dicts[1 + n_streets:]), 1)]
    return {"district": district, "street": streets, "community": communities}


# --- the demo: roads -----------------------------------------------------------

def _road_points(spec: RoadSpec) -> list[np.ndarray]:
    if spec.axis == "ns":
        return [_xy(spec.at, c) for c, _ in spec.cuts]
    return [_xy(c, spec.at) for c, _ in spec.cuts]


def build_roads(district: Polygon, site: Site) -> list[Place]:
    """Road-surface polygons cut into named segments; crossings go to the senior road."""
    inner = district.buffer(-20)
    taken = None  # union of the senior roads' surfaces, grown 0.5 m so no two surfaces meet
    places: list[Place] = []
    for spec in ROADS:
        pts = _road_points(spec)
        line = LineString([pts[0], pts[-1]])
        surface = shapely.intersection(line.buffer(spec.half_width, cap_style="flat"), inner)
        direction = (pts[-1] - pts[0]) / line.length
        normal = np.array([-direction[1], direction[0]]) * (spec.half_width + 5)
        for (a, (_, name_a)), (b, (_, name_b)) in zip(zip(pts, spec.cuts), zip(pts[1:], spec.cuts[1:])):
            p, q = a + direction * 0.25, b - direction * 0.25
            piece = shapely.intersection(surface, Polygon([p - normal, q - normal, q + normal, p + normal]))
            if taken is not None:
                piece = shapely.difference(piece, taken)
            piece = _drop_slivers(piece)
            places.append(Place("roads", f"{spec.name}({name_a}—{name_b}段)", "道路", piece,
                                road=spec.name, notes=spec.note or None))
        grown = surface.buffer(0.5, cap_style="flat", join_style="mitre")
        taken = grown if taken is None else shapely.union(taken, grown)
    site.add([p.geom for p in places])
    return places


def _drop_slivers(geom, min_area: float = 20.0):
    parts = [p for p in shapely.get_parts(geom) if p.area >= min_area]
    return parts[0] if len(parts) == 1 else shapely.multipolygons(parts)


# --- the demo: the article's places, villages, courtyards -----------------------

ARTICLE_PLACES = {
    "兑周村": dict(kind="无主管楼院", unit="区政府办", notes="兑周村1—11号院打包整治,金桥社区党委与区政府办下沉干部携手"),
    "中原东路5号院": dict(kind="无主管楼院", size=(72, 46), community="金桥社区", unit="区政府办", status="accepted",
                     notes="无主管楼院整治提升,新建分类垃圾厢房和教育健康专栏",
                     problems=(ProblemSpec("乱堆乱放", "楼院废弃物品、垃圾乱堆乱放", "社区排查", "closed"),
                               ProblemSpec("破损垃圾桶", "垃圾桶破损,需更换为分类垃圾厢房", "社区排查", "closed"),
                               ProblemSpec("破损路面", "院内路面坑坑洼洼,需修复平整", "群众反映", "closed"))),
    "康复前街11号院": dict(kind="无主管楼院", size=(64, 42), community="祥和社区", unit="区教育局", status="accepted",
                      notes="区教育局联建支部与祥和社区党委开展“剪飞线”行动:清理插座20多个,剪除充电线30余根",
                      problems=(ProblemSpec("飞线充电", "单元楼墙面飞线充电,私拉电线十余处", "义务监督小分队", "closed"),
                                ProblemSpec("僵尸车", "充电车棚内僵尸车占用车位", "义务监督小分队", "closed"))),
    "航海小区": dict(kind="老旧小区", size=(360, 270), street="福华街街道", unit="区住建局", status="accepted",
                 notes="几十栋楼全部加装保温层,增设楼院电梯、休闲座椅、垃圾回收站",
                 problems=(ProblemSpec("保温层", "外墙无保温层,冬季室内温度低", "社区排查", "closed"),
                           ProblemSpec("电梯", "多层住宅无电梯,居民申请加装", "群众反映", "closed"),
                           ProblemSpec("建筑垃圾", "建筑垃圾未日产日清", DAILY, "closed"))),
    "铁路苗圃健身公园": dict(kind="小游园", size=(150, 55), street="福华街街道", unit="区城管局", status="accepted",
                     notes="“挂图作战”新建小游园"),
    "广秀园": dict(kind="小游园", size=(75, 50), street="福华街街道", unit="区城管局", status="rectified", notes="“挂图作战”新建小游园"),
}


def _communities_of(b: Boundaries, street: str) -> list[str]:
    return [name for name, (s, _) in b.communities.items() if s == street]


def _place_in(b: Boundaries, communities: list[str], make, site: Site, rng, what: str,
              attempts: int = 300) -> tuple[str, list]:
    for name in communities:
        geoms = place(make, b.inner(name), site, rng, attempts)
        if geoms is not None:
            return name, geoms
    raise RuntimeError(f"could not fit {what} into {', '.join(communities)}")


def build_article_places(b: Boundaries, site: Site, rng: np.random.Generator) -> list[Place]:
    """The places the article names, where it says they are."""
    places: list[Place] = []

    def cluster(x: float, y: float) -> list:  # 兑周村1—11号院, a tight block of small courtyards
        angle = rng.normal(0, 0.1)
        cells = [(i % 4 - 1.5, i // 4 - 1) for i in range(11)]
        return [rect(*_transform_local(np.array([[cx * 60, cy * 72]]), angle, x, y)[0],
                     rng.uniform(40, 48), rng.uniform(48, 58), angle) for cx, cy in cells]

    spec = ARTICLE_PLACES["兑周村"]
    community, geoms = _place_in(b, ["金桥社区"], cluster, site, rng, "兑周村1—11号院", 2000)
    for i, g in enumerate(geoms, 1):
        status = "in_progress" if i in (4, 9) else ("rectified" if i in (2, 7, 11) else "accepted")
        problems = (ProblemSpec("乱堆乱放", "楼院废弃物品、垃圾乱堆乱放", "社区排查", "closed"),)
        if status == "in_progress":
            problems += (ProblemSpec("破损路面", "院内路面坑坑洼洼,雨天积水", "义务监督小分队", "in_progress"),)
        places.append(Place("courtyards", f"兑周村{i}号院", spec["kind"], g, community, status=status,
                            unit=spec["unit"], notes=spec["notes"], problems=problems))

    for name, spec in ARTICLE_PLACES.items():
        if "size" not in spec:
            continue
        length, width = spec["size"]
        options = [spec["community"]] if "community" in spec else _communities_of(b, spec["street"])
        order = [options[i] for i in rng.permutation(len(options))]

        def make(x: float, y: float, length=length, width=width, name=name) -> list:
            angle = rng.normal(0, 0.1)
            if name == "航海小区":
                return [l_shape(x, y, length, width, angle, 0.35)]
            return [rect(x, y, length, width, angle)]

        community, geoms = _place_in(b, order, make, site, rng, name, 1000)
        places.append(Place("courtyards", name, spec["kind"], geoms[0], community, status=spec.get("status"),
                            unit=spec["unit"], notes=spec["notes"], problems=spec.get("problems", ())))
    return places


def build_villages(b: Boundaries, site: Site, rng: np.random.Generator) -> list[Place]:
    """Urban–rural fringe villages: one per village, a second hamlet for the first four."""
    places: list[Place] = []
    villages = _communities_of(b, FRINGE_STREET)
    wanted = [(v, v) for v in villages] + [(v, f"{v}{part}") for v, part in zip(villages, ("东片", "南片", "北片", "西片"))]
    for community, name in wanted:
        radius = rng.uniform(160, 380)
        geoms = place(lambda x, y, r=radius: [blob(x, y, r, rng)], b.inner(community), site, rng, 500)
        if geoms is None:
            raise RuntimeError(f"could not fit village {name} into {community}")
        places.append(Place("villages", name, "城乡接合部", geoms[0], community))
    return places


@cache
def _address_lines() -> tuple[tuple[str, ...], np.ndarray]:
    names, lines = [], []
    for spec in ROADS:
        pts = _road_points(spec)
        names.append(spec.name)
        lines.append(LineString([pts[0], pts[-1]]))
    for name, a, z in ADDRESS_STREETS:
        names.append(name)
        lines.append(LineString([_xy(*a), _xy(*z)]))
    return tuple(names), np.array(lines, dtype=object)


def _nearest_street(geom) -> str:
    names, lines = _address_lines()
    return names[int(np.argmin(shapely.distance(lines, geom.centroid)))]


def _stem(street: str) -> str:
    return street[:-1] if street[-1] in "路街村" else street


class Namer:
    """Unique, plausible names for generated courtyards."""

    def __init__(self, rng: np.random.Generator, taken: set[str]) -> None:
        self.rng = rng
        self.taken = taken

    def _first_free(self, candidates) -> str:
        for name in candidates:
            if name not in self.taken:
                self.taken.add(name)
                return name
        raise RuntimeError("ran out of names")

    def __call__(self, kind: str, geom, community: str, street: str) -> str:
        rng = self.rng
        if street == FRINGE_STREET:
            address = community
            tails = {"小游园": ["游园", "文化广场", "口袋公园"], "老旧小区": ["安置小区", "新村"]}
            if kind in tails:
                return self._first_free([address + t for t in tails[kind]] + [f"{address}安置区{n}号院" for n in range(1, 99)])
            return self._first_free(f"{address}安置区{n}号院" for n in rng.permutation(np.arange(1, 40)))
        address = _nearest_street(geom)
        if kind == "老旧小区":
            stems = [str(s) for s in rng.permutation(ESTATE_STEMS)]
            stems.insert(0 if rng.random() < 0.4 else 3, _stem(address))
            return self._first_free(s + t for s in stems for t in ("小区", "新村", "花园"))
        if kind == "小游园":
            stems = [str(s) for s in rng.permutation(PARK_STEMS)]
            stems.insert(0 if rng.random() < 0.5 else 2, _stem(address))
            return self._first_free(s + t for s in stems for t in ("游园", "口袋公园"))
        if rng.random() < 0.22:
            employers = [str(e) for e in rng.permutation(FORMER_EMPLOYERS)]
            return self._first_free([e + "家属院" for e in employers] + [f"{address}{n}号院" for n in range(1, 300)])
        return self._first_free(f"{address}{n}号院" for n in rng.permutation(np.arange(1, 260)))


def _footprint(kind: str, x: float, y: float, rng: np.random.Generator) -> Polygon:
    angle = rng.normal(0, 0.12) if rng.random() < 0.8 else rng.uniform(-0.7, 0.7)
    if kind == "老旧小区":
        length = rng.uniform(200, 320)
        width = length * rng.uniform(0.55, 0.85)
        return l_shape(x, y, length, width, angle, rng.uniform(0.25, 0.45)) if rng.random() < 0.35 \
            else rect(x, y, length, width, angle)
    if kind == "小游园":
        length = rng.uniform(40, 130)
        return rect(x, y, length, max(30, length * rng.uniform(0.4, 0.8)), angle)
    length = rng.uniform(40, 140)
    width = max(30, length * rng.uniform(0.45, 0.9))
    if length > 70 and rng.random() < 0.25:
        return l_shape(x, y, length, width, angle, rng.uniform(0.3, 0.5))
    return rect(x, y, length, width, angle)


def build_courtyards(b: Boundaries, site: Site, rng: np.random.Generator, taken: set[str]) -> list[Place]:
    """Generated courtyards, compounds and pocket parks, community by community."""
    namer = Namer(rng, taken)
    kinds = ("无主管楼院", "楼院", "老旧小区", "小游园")
    places: list[Place] = []
    for spec in STREETS:
        n_comm = len(spec.communities)
        counts = [spec.courtyards // n_comm + (i < spec.courtyards % n_comm) for i in range(n_comm)]
        weights = (0.5, 0.35, 0.0, 0.15) if spec.name == FRINGE_STREET else (0.38, 0.30, 0.20, 0.12)
        for community, count in zip(spec.communities, counts):
            region = b.inner(community)
            drawn = sorted(rng.choice(len(kinds), count, p=weights).tolist(), key=lambda k: (k != 2, k))
            for k in drawn:
                kind = kinds[k]
                geoms = place(lambda x, y, kind=kind: [_footprint(kind, x, y, rng)], region, site, rng)
                if geoms is None:
                    continue  # the community is full; fewer places is fine
                name = namer(kind, geoms[0], community, spec.name)
                places.append(Place("courtyards", name, kind, geoms[0], community))
    return places


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

def locate(shapes: np.ndarray, areas: np.ndarray) -> np.ndarray:
    """Index of the area whose interior holds each shape's representative point."""
    points = shapely.point_on_surface(shapes)
    hit_point, hit_area = shapely.STRtree(areas).query(points, predicate="within")
    out = np.full(len(shapes), -1)
    out[hit_point[::-1]] = hit_area[::-1]  # the first hit wins
    if (out < 0).any():
        raise ValueError(f"{int((out < 0).sum())} places lie outside every area")
    return out


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
        where = locate(shapes, community_shapes)
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
    return layers, boundaries


def _write_campaign_data(out_dir: Path, campaign: Campaign, layers: dict[str, list[dict]],
                         boundaries: dict[str, list[dict]]) -> None:
    for layer in campaign.layers:
        places = layers.get(layer.id, [])
        write_collection(out_dir / layer.file, places, name=layer.id, members=layer_members(0, len(places)))
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
    _write_campaign_data(out_dir, campaign, layers, boundaries)
    return {layer_id: len(features) for layer_id, features in layers.items()}


# --- the demo's history: a made-up past, written through the store ---------------

HISTORY_SLOTS = (time(8, 40), time(9, 20), time(10, 30), time(11, 15), time(14, 45), time(15, 30),
                 time(16, 20), time(17, 10))  # local office hours a day's edits are saved at
TODAY_SLOTS = 2  # on "today" only the morning's first two: the demo's today has barely begun
STORY = ("unsurveyed", "pending", "in_progress", "rectified", "accepted", "relapsed")  # the statuses it moves through
HISTORY_USERS = {"create": "演示数据", "pending": "排查组", "in_progress": "整治专班", "rectified": "整治专班",
                 "accepted": "督导组", "relapsed": "督导组"}  # who saves each step
SURVEY_DAYS = 45  # places are surveyed (待排查 → 待整改) within this many days of the start


def _parse_day(value) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def history_start(features: list[dict], today: date = TODAY) -> date:
    """Day 0 of a made-up history: the day the ledger's first problem was found (where the wall dashboard's
    progress chart begins), or five weeks before `today` for a campaign without a ledger."""
    found = [d for f in features for p in f["properties"].get("problems") or ()
             if (d := _parse_day(p.get("found_on"))) is not None and d <= today]
    return min(found, default=today - timedelta(days=35))


def _status_steps(final: str, problems: list[dict], first: date, today: date, open_keys: frozenset[str],
                  rng: np.random.Generator) -> list[tuple[date, str]]:
    """The days a place entered each status, from 待排查 on day 0 to `final` today, consistent with its ledger:
    surveyed by the day its first problem was found, done the day its last problem was closed, relapsed the day
    a problem was found again after that."""
    def clamp(day: date) -> date:
        return min(max(day, first), today)

    def later(day: date, lo: int, hi: int) -> date:
        return day + timedelta(days=int(rng.integers(lo, hi)))

    found = sorted(d for p in problems if (d := _parse_day(p.get("found_on"))))
    closed = sorted(d for p in problems if p.get("status") not in open_keys and (d := _parse_day(p.get("closed_on"))))
    steps = [(first, "unsurveyed")]
    if final == "unsurveyed":
        return steps
    survey = clamp(min([later(first, 1, SURVEY_DAYS + 1), *found[:1]]))
    if final not in STORY:  # a status the story does not know: reached on the survey day
        return [*steps, (survey, final)]
    steps.append((survey, "pending"))
    if final == "pending":
        return steps
    if final == "in_progress":
        return [*steps, (clamp(later(survey, 2, 40)), "in_progress")]
    fixed = clamp(max(closed[-1] if closed else later(survey, 10, 90), survey))  # done, or done before relapsing
    started = survey + timedelta(days=round((fixed - survey).days * rng.uniform(0.2, 0.7)))
    steps += [(started, "in_progress"), (fixed, "rectified")]
    waited = (today - fixed).days  # accepted one to three weeks after, by today
    accepted = later(fixed, 1, min(21, waited) + 1) if waited > 0 else today
    if final == "accepted":
        return [*steps, (accepted, "accepted")]
    if final == "rectified":
        return steps
    again = [d for p in problems if p.get("status") in open_keys and (d := _parse_day(p.get("found_on"))) and d > fixed]
    relapse = clamp(min(again) if again else later(fixed, 5, 40))
    if accepted < relapse and rng.random() < 0.5:
        steps.append((accepted, "accepted"))
    return [*steps, (relapse, "relapsed")]


def _problem_steps(problem: dict, work_started: date | None, first: date, today: date, first_open: str,
                   open_keys: frozenset[str], rng: np.random.Generator) -> list[tuple[date, dict]]:
    """A ledger entry's versions by day: found (open), maybe taken in hand, closed on its `closed_on`."""
    found = min(max(_parse_day(problem.get("found_on")) or first, first), today)
    state = problem.get("status")
    if state == first_open:
        return [(found, problem)]
    opened = {**problem, "status": first_open, "closed_on": None}
    if state in open_keys:  # e.g. 整改中: taken in hand a few days after it was found, or when the work began
        handled = max(found + timedelta(days=int(rng.integers(0, 4))), work_started or found)
        return [(found, opened), (min(handled, today), problem)]
    closed = min(max(_parse_day(problem.get("closed_on")) or found, found), today)
    return [(found, opened), (closed, problem)]


def _as_of(steps: list[tuple[date, object]], day: date):
    """The value of the last step on or before `day` (None before the first)."""
    out = None
    for when, value in steps:
        if when > day:
            break
        out = value
    return out


def _place_writes(props: dict, first: date, today: date, campaign: Campaign,
                  rng: np.random.Generator) -> list[tuple[date, dict, str]]:
    """(day, status and ledger at the end of it, user) for day 0 and every day either changed, ending at the
    place's present status and ledger exactly."""
    open_keys = campaign.open_problem_statuses
    first_open = next(p.key for p in campaign.problem_statuses if p.open)
    problems = list(props.get("problems") or ())
    status = _status_steps(props["status"], problems, first, today, open_keys, rng)
    started = next((day for day, s in status if s == "in_progress"), None)
    ledger = [_problem_steps(p, started, first, today, first_open, open_keys, rng) for p in problems]
    days = sorted({first, *(d for d, _ in status), *(d for steps in ledger for d, _ in steps)})
    writes: list[tuple[date, dict, str]] = []
    before: dict = {}
    for day in days:
        now = {"status": _as_of(status, day), "problems": [v for steps in ledger if (v := _as_of(steps, day))]}
        if day == first:
            user = HISTORY_USERS["create"]
        elif now == before:
            continue
        elif now["status"] != before["status"]:
            user = HISTORY_USERS.get(now["status"], "整治专班")
        else:
            ids = {p["id"] for p in before["problems"]}
            new = [p for p in now["problems"] if p["id"] not in ids]
            user = ("督导组" if any(p.get("found_by") in campaign.inspection_sources for p in new)
                    else "排查组" if new else "整治专班")
        writes.append((day, now, user))
        before = now
    return writes


def write_history(data_dir: Path, *, days: int | None = None, today: date = TODAY,
                  seed: int = DEMO_SEED) -> dict:
    """Give the campaign in `data_dir` a made-up history, written through the store day by day.

    Day 0 is `days` before `today`, by default the day the ledger's first problem was found (where the
    wall dashboard's progress chart begins). The places are taken out of their layer files and created
    again on day 0 (待排查, ledger as of then), then moved on by a fake clock in office hours: surveyed,
    started, done when their last problem was closed, accepted, some relapsed when a problem came back,
    their ledger entries found and closed on their own dates. Every write is journaled with its version
    and time, and the last leaves each place exactly as it is now (status, ledger and everything else). The
    same seed and data give the same journal. Refuses a campaign that already has a journal.

    Returns the first and last day, the places and the writes.
    """
    data_dir = Path(data_dir)
    campaign = load_campaign(data_dir)
    missing = [s for s in STORY if s not in campaign.status_keys]
    if missing:
        raise ValueError(t("synth.history_statuses", statuses=", ".join(STORY), missing=missing))
    store = open_store(data_dir, campaign)
    try:
        if store.revision():
            raise ValueError(t("synth.journal_exists", folder=data_dir))
        if store.layer_errors():
            raise ValueError(t("synth.layers_unreadable", folder=data_dir, errors=store.layer_errors()))
        layers = {layer.id: store.features(layer.id) for layer in campaign.layers}
    finally:
        store.close()
    first = today - timedelta(days=days) if days is not None else history_start(
        [f for features in layers.values() for f in features], today)
    if first > today:
        raise ValueError(t("synth.starts_after_today", first=first, today=today))

    rng = np.random.default_rng([seed, 4])
    batches: dict[tuple[date, int], list[tuple[str, Op]]] = {}  # (day, slot) → (user, op)
    writes = 0
    for layer_id, features in layers.items():
        for f in features:
            props = {k: v for k, v in f["properties"].items() if k not in SYSTEM_PROPERTIES}
            for n, (day, state, user) in enumerate(_place_writes(props, first, today, campaign, rng)):
                if n == 0:
                    op = Op("create", layer_id, f["id"], properties={**props, **state}, geometry=f["geometry"])
                    slot = 0
                else:
                    op = Op("update", layer_id, f["id"], properties=state, expected_version=n)
                    slot = int(rng.integers(0, TODAY_SLOTS if day == today else len(HISTORY_SLOTS)))
                batches.setdefault((day, slot), []).append((user, op))
                writes += 1

    originals = {data_dir / layer.file: (data_dir / layer.file).read_bytes() for layer in campaign.layers}
    for layer in campaign.layers:  # the places come back, one by one, through the store
        write_collection(data_dir / layer.file, [], name=layer.id, members=layer_members(0, 0))
    at = [datetime.combine(first, HISTORY_SLOTS[0], tzinfo=campaign.timezone)]
    store = open_store(data_dir, campaign, clock=lambda: at[0])
    try:
        for (day, slot), ops in sorted(batches.items(), key=lambda item: item[0]):
            by_user: dict[str, list[Op]] = {}
            for user, op in ops:
                by_user.setdefault(user, []).append(op)
            for n, (user, group) in enumerate(by_user.items()):  # one save per user, a second apart
                at[0] = datetime.combine(day, HISTORY_SLOTS[slot], tzinfo=campaign.timezone) + timedelta(seconds=n)
                store.apply(group, user=user)
    except BaseException:  # leave the campaign as it was: its layer files back, no journal
        store.close()
        (data_dir / JOURNAL_FILE).unlink(missing_ok=True)
        for path, data in originals.items():
            atomic_write(path, data)
        raise
    store.close()
    return {"from": first.isoformat(), "to": today.isoformat(),
            "places": sum(len(f) for f in layers.values()), "writes": writes}


def make_demo_copy(source: Path, target: Path, *, seed: int = DEMO_SEED) -> bool:
    """A working copy of the demo campaign in `target`, with a made-up history (`write_history`), for
    `./guatu serve`; `source` is only read. Made once: an existing `target` is kept as it is (returns False).
    The copy is made beside `target` and renamed into place, so an interrupted start leaves none."""
    source, target = Path(source), Path(target)
    if target.exists():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    work = target.with_name(f".{target.name}.making-{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    try:
        shutil.copytree(source, work, ignore=shutil.ignore_patterns("journal.jsonl", "*.lock", "__pycache__"))
        write_history(work, seed=seed)
        work.rename(target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return True


# --- synthetic campaigns for tests and benchmarks --------------------------------

SYNTH_STREETS = ("建中街", "德化街", "福华街", "淮河路", "京广路", "大学路", "嵩山路", "长江路", "金水源")
SYNTH_STATUS_WEIGHTS = {"unsurveyed": 0.08, "pending": 0.16, "in_progress": 0.24, "rectified": 0.2,
                        "accepted": 0.24, "relapsed": 0.08}
SYNTH_KINDS = {"无主管楼院": 0.4, "楼院": 0.3, "老旧小区": 0.2, "小游园": 0.1}
SYNTH_SUFFIX = {"无主管楼院": "号院", "楼院": "号楼院", "老旧小区": "号小区", "小游园": "号游园"}
CN_DIGITS = "一二三四"
M_PER_DEG_LAT = 110_574.0
M_PER_DEG_LON_EQUATOR = 111_320.0


@dataclass(frozen=True)
class Grid:
    """`count` cells over the bounds, `cols`×`rows`, both multiples of 6 so cells nest in communities."""

    west: float
    south: float
    east: float
    north: float
    cols: int
    rows: int
    m_per_lon: float

    @classmethod
    def over(cls, bounds: tuple[float, float, float, float], count: int) -> Grid:
        west, south, east, north = bounds
        m_per_lon = M_PER_DEG_LON_EQUATOR * math.cos(math.radians((south + north) / 2))
        width, height = (east - west) * m_per_lon, (north - south) * M_PER_DEG_LAT
        side = math.sqrt(width * height / count)
        cols, rows = (max(6, 6 * math.ceil(v / side / 6)) for v in (width, height))
        return cls(west, south, east, north, cols, rows, m_per_lon)

    @property
    def dx(self) -> float:
        return (self.east - self.west) / self.cols

    @property
    def dy(self) -> float:
        return (self.north - self.south) / self.rows

    @property
    def cell_m(self) -> float:
        return min(self.dx * self.m_per_lon, self.dy * M_PER_DEG_LAT)


def synthetic_rings(grid: Grid, cells: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Closed CCW rings (n, 5, 2) of rotated rectangles, one inside each cell, 6 decimals."""
    n = len(cells)
    col, row = cells % grid.cols, cells // grid.cols
    s = grid.cell_m
    longest = min(148.0, 0.7 * s)  # 148 and 31: keeps 30–150 m true after projection
    length = rng.uniform(min(31.0, longest), longest, n)
    width = length * rng.uniform(0.45, 0.85, n)
    slack = np.maximum(0.0, 0.5 * s - 0.5 * np.hypot(length, width) - 1.0)
    offset = rng.uniform(-1, 1, (n, 2)) * slack[:, None]
    theta = rng.uniform(-0.6, 0.6, n)
    unit = np.array([[-0.5, -0.5], [0.5, -0.5], [0.5, 0.5], [-0.5, 0.5], [-0.5, -0.5]])
    local = unit[None] * np.stack([length, width], -1)[:, None, :]
    c, si = np.cos(theta)[:, None], np.sin(theta)[:, None]
    x = local[..., 0] * c - local[..., 1] * si + offset[:, :1]
    y = local[..., 0] * si + local[..., 1] * c + offset[:, 1:]
    lon = grid.west + (col[:, None] + 0.5) * grid.dx + x / grid.m_per_lon
    lat = grid.south + (row[:, None] + 0.5) * grid.dy + y / M_PER_DEG_LAT
    return np.round(np.stack([lon, lat], -1), 6)


def _box(w: float, s: float, e: float, n: float) -> dict:
    ring = [[w, s], [e, s], [e, n], [w, n], [w, s]]
    return {"type": "Polygon", "coordinates": [round_coords(ring)]}


def synthetic_boundaries(grid: Grid) -> dict[str, list[dict]]:
    """District = the bounds; 3×3 streets; 6×6 communities (2×2 per street)."""
    xs = [grid.west + i * (grid.east - grid.west) / 6 for i in range(7)]
    ys = [grid.south + i * (grid.north - grid.south) / 6 for i in range(7)]
    streets = [{"type": "Feature", "id": f"s-{k + 1:02d}", "properties": {"name": f"{SYNTH_STREETS[k]}街道"},
                "geometry": _box(xs[2 * (k % 3)], ys[2 * (k // 3)], xs[2 * (k % 3) + 2], ys[2 * (k // 3) + 2])}
               for k in range(9)]
    communities = []
    for j in range(36):
        c, r = j % 6, j // 6
        k = (r // 2) * 3 + c // 2
        name = f"{SYNTH_STREETS[k]}{CN_DIGITS[(r % 2) * 2 + c % 2]}社区"
        communities.append({"type": "Feature", "id": f"m-{j + 1:02d}",
                            "properties": {"name": name, "street": f"{SYNTH_STREETS[k]}街道"},
                            "geometry": _box(xs[c], ys[r], xs[c + 1], ys[r + 1])})
    district = [{"type": "Feature", "id": "d-01", "properties": {"name": "合成区"},
                 "geometry": _box(grid.west, grid.south, grid.east, grid.north)}]
    return {"district": district, "street": streets, "community": communities}


def _weights(keys, table: dict[str, float]) -> np.ndarray:
    w = np.array([table.get(k, 0.1) for k in keys], dtype=float)
    return w / w.sum()


def synthetic_features(campaign: Campaign, grid: Grid, count: int, rng: np.random.Generator,
                       communities: list[dict]) -> list[dict]:
    """`count` courtyard features; per-feature Python only builds the property dicts."""
    cells = np.sort(rng.choice(grid.cols * grid.rows, size=count, replace=False))
    rings = synthetic_rings(grid, cells, rng).tolist()
    col, row = cells % grid.cols, cells // grid.cols
    community = ((row * 6 // grid.rows) * 6 + col * 6 // grid.cols).tolist()
    layer = campaign.layer("courtyards")
    kinds, keys = list(layer.kinds), list(campaign.status_keys)
    kind = rng.choice(len(kinds), count, p=_weights(kinds, SYNTH_KINDS))
    status = rng.choice(len(keys), count, p=_weights(keys, SYNTH_STATUS_WEIGHTS))
    unsurveyed = np.array([k == "unsurveyed" for k in keys])[status]
    done = np.array([s.done for s in campaign.statuses])[status]
    base, span = (DEADLINE_FIRST - CAMPAIGN_START).days, (DEADLINE_LAST - DEADLINE_FIRST).days + 1
    deadline = np.where(rng.random(count) < np.where(unsurveyed, 0.5, 0.03), -1, base + rng.integers(0, span, count))
    prefix, width = layer.id_prefix, max(6, len(str(count)))
    fids = [f"{prefix}-{i + 1:0{width}d}" for i in range(count)]
    ledgers, last = synthetic_ledgers(campaign, fids, done, unsurveyed, rng)
    today = (TODAY - CAMPAIGN_START).days
    updated = np.maximum(rng.integers(0, today + 1, count), last)
    minutes = np.where(updated == today, rng.integers(10, 90, count), rng.integers(30, 600, count))
    days = _day_strings(base + span)
    pools = _synthetic_people(communities, np.random.default_rng([int(rng.integers(1 << 30)), 7]))
    pick = rng.integers(0, 3, (count, 2)).tolist()

    features = []
    per_community = [0] * len(communities)
    for i in range(count):
        c = community[i]
        cprops, (leader, cadres, head, grid_workers) = communities[c]["properties"], pools[c]
        per_community[c] += 1
        k = kinds[kind[i]]
        features.append({"type": "Feature", "id": fids[i], "properties": {
            "name": f"{cprops['name']}{per_community[c]}{SYNTH_SUFFIX.get(k, '号院')}",
            "kind": k, "street": cprops["street"], "community": cprops["name"], "status": keys[status[i]],
            "deadline": days[deadline[i]] if deadline[i] >= 0 else None,
            "unit": f"{cprops['street']}办事处",
            "people": {"leader": leader, "cadre": cadres[pick[i][0]], "community_head": head,
                       "grid_worker": grid_workers[pick[i][1]]},
            "notes": "", "problems": ledgers[i], "version": 1,
            "updated_at": f"{days[updated[i]]}T{minutes[i] // 60:02d}:{minutes[i] % 60:02d}:00Z",
            "updated_by": "合成数据"},
            "geometry": {"type": "Polygon", "coordinates": [rings[i]]}})
    return features


@cache
def _day_strings(n: int) -> list[str]:
    """ISO dates of the campaign's days, from its start."""
    return [(CAMPAIGN_START + timedelta(days=d)).isoformat() for d in range(n)]


def synthetic_ledgers(campaign: Campaign, fids: list[str], done: np.ndarray, unsurveyed: np.ndarray,
                      rng: np.random.Generator) -> tuple[list[list[dict]], np.ndarray]:
    """0–4 problems per place (none where unsurveyed, all closed where done) and each place's last ledger day."""
    count = len(fids)
    n = np.where(unsurveyed, 0, rng.integers(0, 5, count))
    owner = np.repeat(np.arange(count), n)
    today = (TODAY - CAMPAIGN_START).days
    found = rng.integers(0, today + 1, len(owner))
    deadline = found + rng.integers(0, 30, len(owner))
    open_keys = [p.key for p in campaign.problem_statuses if p.open]
    closed_key = next(p.key for p in campaign.problem_statuses if not p.open)
    state = rng.integers(0, len(open_keys) + 1, len(owner))
    closed = done[owner] | (state == len(open_keys))
    closed_on = np.minimum((found + deadline) // 2, today)
    last = np.zeros(count, dtype=int)
    np.maximum.at(last, owner, np.where(closed, closed_on, found))
    categories, sources, days = list(campaign.categories), list(FOUND_BY), _day_strings(today + 30)
    category = rng.integers(0, len(categories), len(owner)).tolist()
    source = rng.integers(0, len(sources), len(owner)).tolist()
    ledgers: list[list[dict]] = [[] for _ in range(count)]
    for j, i in enumerate(owner.tolist()):
        entries = ledgers[i]
        cat = categories[category[j]]
        entries.append({"id": f"{fids[i]}-p{len(entries) + 1}", "category": cat, "description": f"{cat}问题待整改",
                        "found_on": days[found[j]], "found_by": sources[source[j]], "deadline": days[deadline[j]],
                        "responsible": "社区网格员", "status": closed_key if closed[j] else open_keys[state[j]],
                        "closed_on": days[closed_on[j]] if closed[j] else None})
    return ledgers, last


def _synthetic_people(communities: list[dict], rng: np.random.Generator) -> list[tuple]:
    names = People(rng)
    by_street: dict[str, tuple[str, list[str]]] = {}
    out = []
    for c in communities:
        street = c["properties"]["street"]
        if street not in by_street:
            by_street[street] = (names.person(), [names.person() for _ in range(3)])
        leader, cadres = by_street[street]
        out.append((leader, cadres, names.person(), [names.person() for _ in range(3)]))
    return out


def write_synthetic(out_dir: Path, count: int, seed: int = 1) -> dict[str, int]:
    """Write a synthetic campaign of `count` courtyards into `out_dir` (campaign.json included)."""
    if count < 1:
        raise ValueError(t("synth.count"))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    atomic_write(out_dir / CAMPAIGN_FILE, DEFAULT_CAMPAIGN.read_bytes())
    campaign = load_campaign(out_dir)
    grid = Grid.over(campaign.map.bounds, count)
    boundaries = synthetic_boundaries(grid)
    rng = np.random.default_rng(seed)
    layers = {"courtyards": synthetic_features(campaign, grid, count, rng, boundaries["community"])}
    _write_campaign_data(out_dir, campaign, layers, boundaries)
    return {layer.id: len(layers.get(layer.id, [])) for layer in campaign.layers}


# --- command line ------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geo.synth", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="write the Erqi demo campaign's layers and boundaries")
    demo.add_argument("--out", type=Path, default=DEFAULT_CAMPAIGN.parent, help="data directory")
    synth = sub.add_parser("synthetic", help="write a large synthetic campaign")
    synth.add_argument("--count", type=int, required=True, help="number of courtyards")
    synth.add_argument("--out", type=Path, required=True, help="data directory to create")
    synth.add_argument("--seed", type=int, default=1)
    history = sub.add_parser("history", help="give a campaign without a journal a made-up history")
    history.add_argument("dir", type=Path, help="data directory")
    history.add_argument("--days", type=int, default=None,
                         help="start N days before the demo's today (default: the day the ledger's first problem "
                              "was found, where the dashboard's progress chart begins)")
    history.add_argument("--seed", type=int, default=DEMO_SEED)
    copy = sub.add_parser("demo-copy", help="copy a demo campaign and give the copy a history, unless it exists")
    copy.add_argument("source", type=Path, help="the demo's data directory (only read)")
    copy.add_argument("target", type=Path, help="the working copy to make")
    args = parser.parse_args(argv)
    started = perf_counter()
    try:
        if args.command == "history":
            done = write_history(args.dir, days=args.days, seed=args.seed)
            print(f"history: {done['writes']} changes to {done['places']} places, {done['from']} to {done['to']} "
                  f"→ {args.dir} ({perf_counter() - started:.1f} s)")
            return 0
        if args.command == "demo-copy":
            made = make_demo_copy(args.source, args.target)
            print(f"demo-copy: {args.source} → {args.target}, with a made-up history "
                  f"({perf_counter() - started:.1f} s)" if made else f"demo-copy: {args.target} exists, kept as it is")
            return 0
    except ValueError as exc:
        parser.exit(1, f"{args.command}: {exc}\n")
    if args.command == "demo":
        counts = write_demo(args.out)
    else:
        counts = write_synthetic(args.out, args.count, args.seed)
    summary = ", ".join(f"{layer} {n}" for layer, n in counts.items())
    print(f"{args.command}: {summary} → {args.out} ({perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
