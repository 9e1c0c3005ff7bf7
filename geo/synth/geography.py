"""The demo's geography: Erqi District's sub-districts, communities, roads and the places on them.

Illustrative, not survey results: sub-districts (街道) are Voronoi cells of
their seats, communities (社区/村) Voronoi cells of k-means seeds inside them,
roads cut into segments (路段) at named cross streets, then the places the
source article names, the urban–rural fringe villages and generated
courtyards, compounds and pocket parks, each kept clear of the others
(geo/synth/shapes.py). Everything drawn comes from the generator it is given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import numpy as np
import shapely
from shapely.geometry import LineString, Polygon

from geo.geojson_io import PRECISION
from geo.synth.shapes import (
    PLANE_X,
    Site,
    blob,
    kmeans_seeds,
    l_shape,
    metres_of,
    place,
    rect,
    rotate_and_move,
    store_wgs84,
    to_metric,
    to_plane,
    voronoi_cells,
)

DAILY = "每日随机督导"  # who finds a problem on the daily random inspection (also the article's)

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
FORMER_EMPLOYERS = ("区粮食局", "市二建公司", "铁路分局", "纺织机械厂", "区供销社", "市第二人民医院", "市十一中",
                    "区税务局", "邮电局", "地矿局", "市自来水公司", "电业局", "煤建公司", "机务段", "市食品公司",
                    "搪瓷厂", "火柴厂", "第三制药厂", "汽车配件厂", "市印刷厂", "区房管局", "棉麻公司")
ESTATE_STEMS = ("建新", "康乐", "育红", "和平", "工人", "铁路", "友谊", "幸福", "民主", "团结", "光明", "长青",
                "向阳", "红旗", "建设", "丰产", "利民", "兴隆", "永安", "福寿")
PARK_STEMS = ("樱花", "杏林", "晨曦", "邻里", "银杏", "月季", "翠竹", "玉兰", "清风", "朝阳")


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
        return [metres_of(spec.at, c) for c, _ in spec.cuts]
    return [metres_of(c, spec.at) for c, _ in spec.cuts]


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
        return [rect(*rotate_and_move(np.array([[cx * 60, cy * 72]]), angle, x, y)[0],
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
        lines.append(LineString([metres_of(*a), metres_of(*z)]))
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
