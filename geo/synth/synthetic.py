"""Synthetic campaigns for tests and benchmarks: N rotated rectangles on a grid over the map bounds.

Built with vectorised numpy/shapely; per place, Python only builds the
property dicts. Sub-districts are 3×3 and communities 6×6 boxes over the
bounds, so a place's community follows from its grid cell.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from pathlib import Path

import numpy as np

from geo.config import CAMPAIGN_FILE, Campaign, load_campaign
from geo.geojson_io import atomic_write, round_coords
from geo.messages import t
from geo.synth.campaign import (
    CAMPAIGN_START,
    DEADLINE_FIRST,
    DEADLINE_LAST,
    DEFAULT_CAMPAIGN,
    FOUND_BY,
    TODAY,
    People,
    write_campaign_data,
)

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
    write_campaign_data(out_dir, campaign, layers, boundaries)
    return {layer.id: len(layers.get(layer.id, [])) for layer in campaign.layers}
