"""What a print shows: the places that pass the filters, as arrays, in metres.

Each layer is turned once per revision into numpy/shapely arrays (geometry
projected to the campaign's UTM zone, e.g. EPSG:32649 for Zhengzhou, and
attribute columns), kept in a small cache; a print then filters with
vectorised masks instead of looping over features.
"""

from __future__ import annotations

import math
import threading
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import shapely
from pyproj import Geod, Transformer

from geo.boundaries import read_boundaries
from geo.config import Campaign
from geo.errors import NotFound
from geo.printing.layout import PrintOptions
from geo.rules import local_now, place_overdue
from geo.shapes import from_geojson
from geo.store.base import Store

COLUMNS = ("status", "name", "street", "community", "kind")


def metric_crs(campaign: Campaign) -> str:
    """The WGS 84 / UTM zone of the campaign's centre (EPSG:32649 for Zhengzhou)."""
    lat, lon = campaign.map.center
    zone = min(60, max(1, int(math.floor((lon + 180) / 6)) + 1))
    return f"EPSG:{(32600 if lat >= 0 else 32700) + zone}"


_transformers: dict[tuple[str, bool], Transformer] = {}


def transformer(crs: str, inverse: bool = False) -> Transformer:
    key = (crs, inverse)
    if key not in _transformers:
        src, dst = (crs, "EPSG:4326") if inverse else ("EPSG:4326", crs)
        _transformers[key] = Transformer.from_crs(src, dst, always_xy=True)
    return _transformers[key]


def project(geoms: np.ndarray, crs: str) -> np.ndarray:
    """WGS84 geometries to `crs`, all coordinates in one pyproj call."""
    t = transformer(crs)
    return shapely.transform(geoms, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))


@dataclass(frozen=True)
class Projection:
    """The map's projection and how it differs from the ground at the centre."""

    crs: str
    scale_factor: float  # grid metres per ground metre at the centre
    north: tuple[float, float]  # unit vector of true north in grid coordinates

    def to_grid(self, lon, lat):
        return transformer(self.crs).transform(lon, lat)


def projection_at(crs: str, lon: float, lat: float) -> Projection:
    """Point scale factor and grid convergence, measured numerically (no sign conventions to get wrong)."""
    t = transformer(crs)
    d = 0.001
    x0, y0 = t.transform(lon, lat)
    xe, ye = t.transform(lon + d, lat)
    xn, yn = t.transform(lon, lat + d)
    _, _, ground = Geod(ellps="WGS84").inv(lon, lat, lon + d, lat)
    k = math.hypot(xe - x0, ye - y0) / ground
    n = math.hypot(xn - x0, yn - y0)
    return Projection(crs, k, ((xn - x0) / n, (yn - y0) / n))


@dataclass
class LayerArrays:
    """One layer as columns; `geoms` are projected and oriented (exterior rings counter-clockwise)."""

    layer: str
    features: list[dict]
    geoms: np.ndarray
    columns: dict[str, np.ndarray]
    categories: np.ndarray  # object array of frozensets: categories of each place's open problems
    latest: str  # the latest updated_at of the layer ("" if none)


_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_cache_lock = threading.Lock()


def layer_arrays(store: Store, campaign: Campaign, layer_id: str, crs: str) -> LayerArrays:
    """A layer's arrays, rebuilt only when the layer changed."""
    features = store.features(layer_id)
    key = (layer_id, crs, store.layer_revision(layer_id))
    with _cache_lock:
        hit = _cache.setdefault(store, {}).get(key)
    if hit is not None and len(hit.features) == len(features) and all(a is b for a, b in zip(hit.features, features)):
        return hit
    arrays = _build(campaign, layer_id, features, crs)
    with _cache_lock:
        per_store = _cache.setdefault(store, {})
        for old in [k for k in per_store if k[0] == layer_id and k[1] == crs]:
            del per_store[old]
        per_store[key] = arrays
    return arrays


def _build(campaign: Campaign, layer_id: str, features: list[dict], crs: str) -> LayerArrays:
    props = [f["properties"] for f in features]
    geoms = from_geojson([f["geometry"] for f in features])
    geoms = shapely.orient_polygons(project(geoms, crs)) if len(geoms) else geoms
    columns = {c: np.array([p.get(c) or "" for p in props], dtype=object) for c in COLUMNS}
    open_statuses = campaign.open_problem_statuses
    categories = np.empty(len(props), dtype=object)
    categories[:] = [frozenset(q.get("category") for q in p.get("problems") or () if q.get("status") in open_statuses)
                     for p in props]
    latest = max((p.get("updated_at") or "" for p in props), default="")
    return LayerArrays(layer_id, features, np.asarray(geoms, dtype=object), columns, categories, latest)


@dataclass
class Selection:
    """The places a print draws, in drawing order (layers as configured, roads above courtyards)."""

    geoms: np.ndarray
    layer: np.ndarray
    status: np.ndarray
    name: np.ndarray
    street: np.ndarray
    community: np.ndarray
    overdue: np.ndarray
    as_of: datetime | None  # latest change of any place of the campaign
    fid: np.ndarray | None = None  # the places' ids (with `layer`, what finds a place's feature again)

    def __len__(self) -> int:
        return len(self.geoms)

    def take(self, mask: np.ndarray) -> Selection:
        return Selection(self.geoms[mask], self.layer[mask], self.status[mask], self.name[mask], self.street[mask],
                         self.community[mask], self.overdue[mask], self.as_of,
                         None if self.fid is None else self.fid[mask])


def select(store: Store, campaign: Campaign, options: PrintOptions, crs: str, now: datetime) -> Selection:
    """The places that pass the options' filters, projected to `crs`."""
    wanted = options.layers or tuple(x.id for x in campaign.layers)
    today = local_now(campaign, now).date()
    parts: list[tuple] = []
    latest = ""
    for layer in campaign.layers:
        arrays = layer_arrays(store, campaign, layer.id, crs)
        latest = max(latest, arrays.latest)
        if layer.id not in wanted or not len(arrays.geoms):
            continue
        mask = np.ones(len(arrays.geoms), dtype=bool)
        for name, values in options.filters.items():
            mask &= np.isin(arrays.columns[name], list(values))
        if options.category:
            mask &= np.fromiter((not c.isdisjoint(options.category) for c in arrays.categories), bool, len(mask))
        mask &= ~shapely.is_empty(arrays.geoms) & ~shapely.is_missing(arrays.geoms)
        idx = np.flatnonzero(mask)
        overdue = np.fromiter((place_overdue(arrays.features[i]["properties"], campaign, today) for i in idx), bool, len(idx))
        cols = arrays.columns
        parts.append((arrays.geoms[idx], np.full(len(idx), layer.id, dtype=object), cols["status"][idx], cols["name"][idx],
                      cols["street"][idx], cols["community"][idx], overdue,
                      np.array([arrays.features[i]["id"] for i in idx], dtype=object)))
    as_of = _parse_time(latest)
    if not parts:
        empty = np.array([], dtype=object)
        return Selection(empty, empty, empty, empty, empty, empty, np.array([], dtype=bool), as_of, empty)
    *columns, fids = (np.concatenate(col) for col in zip(*parts))
    return Selection(*columns, as_of=as_of, fid=fids)


def _parse_time(value: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@dataclass
class Outlines:
    """Reference boundaries of one level, projected: geometries, names and label points."""

    level: str
    geoms: np.ndarray
    names: list[str]
    label_points: np.ndarray  # (n, 2) grid metres


def outlines(data_dir: Path, campaign: Campaign, level: str, crs: str) -> Outlines:
    try:
        features = read_boundaries(data_dir, campaign, level)
    except NotFound:
        features = []
    if not features:
        return Outlines(level, np.array([], dtype=object), [], np.zeros((0, 2)))
    geoms = project(from_geojson([f["geometry"] for f in features]), crs)
    lon, lat = np.array([f["properties"]["label_point"] for f in features], dtype=float).T
    x, y = transformer(crs).transform(lon, lat)
    names = [str(f["properties"].get("name") or "") for f in features]
    return Outlines(level, geoms, names, np.column_stack([x, y]))


def bbox_extent(bbox: tuple[float, float, float, float], crs: str) -> tuple[float, float, float, float]:
    """A WGS84 box's bounds in grid metres (edges densified: they curve in the projection)."""
    west, south, east, north = bbox
    box = shapely.segmentize(shapely.box(west, south, east, north), max(east - west, north - south) / 16)
    return tuple(shapely.bounds(project(np.array([box], dtype=object), crs))[0])
