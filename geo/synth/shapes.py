"""Geometry toolkit of the demo generator: projections, footprints, sampling, Voronoi cells, a site kept clear.

Demo geometry is built in metres (UTM zone 49N, EPSG:32649) and stored in
WGS84 [lon, lat] rounded to 6 decimals with counter-clockwise exterior rings
(RFC 7946). `Site` keeps every new footprint `GAP_M` metres clear of those
placed before, so no two stored features overlap.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import Polygon, mapping, shape

from geo.geojson_io import round_coords

METRIC_CRS = "EPSG:32649"
PLANE_X = math.cos(math.radians(34.7))
GAP_M = 6.0  # clearance between any two places, metres


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


def metres_of(lon: float, lat: float) -> np.ndarray:
    """One lon/lat position in UTM 49N metres."""
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


def rotate_and_move(local: np.ndarray, angle: float, cx: float, cy: float) -> np.ndarray:
    """Points given around (0, 0), turned by `angle` (radians) and moved to (cx, cy)."""
    c, s = math.cos(angle), math.sin(angle)
    return local @ np.array([[c, s], [-s, c]]) + (cx, cy)


def rect(cx: float, cy: float, length: float, width: float, angle: float) -> Polygon:
    local = np.array([[-0.5, -0.5], [0.5, -0.5], [0.5, 0.5], [-0.5, 0.5]]) * (length, width)
    return Polygon(rotate_and_move(local, angle, cx, cy))


def l_shape(cx: float, cy: float, length: float, width: float, angle: float, cut: float) -> Polygon:
    """An L: a length×width block with a cut×cut share of one corner missing."""
    a, b = width * (1 - cut), length * (1 - cut)
    local = np.array([[0, 0], [length, 0], [length, a], [b, a], [b, width], [0, width]]) - (length / 2, width / 2)
    return Polygon(rotate_and_move(local, angle, cx, cy))


def blob(cx: float, cy: float, radius: float, rng: np.random.Generator) -> Polygon:
    """An irregular star-shaped outline (always a valid polygon)."""
    n = int(rng.integers(9, 15))
    angles = (np.arange(n) + rng.uniform(-0.3, 0.3, n)) * 2 * math.pi / n
    radii = radius * rng.uniform(0.7, 1.0, n)
    stretch = rng.uniform(1.0, 1.4)
    local = np.column_stack([np.cos(angles) * radii * stretch, np.sin(angles) * radii])
    return Polygon(rotate_and_move(local, rng.uniform(0, math.pi), cx, cy))


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
