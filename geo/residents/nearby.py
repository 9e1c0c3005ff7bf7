"""The places and open cases near a reported point: the place a report becomes a case on (the one that contains
the pin, else the nearest), and the open cases a report may be merged into (within a radius, nearest first).

Distances are metres on a plane tangent at the pin (longitude scaled by the cosine of the latitude): within a
district the error is far below what a phone's GPS gets wrong. Where the store answers a bbox query at once
(PostgreSQL's GiST index; the embedded store once its layer is indexed for the revision, else measuring every
place costs about as much per pin as indexing them: 0.6–1.9 s against 1.1–1.6 s again after a change at 100,000, 3 s the
first time), only the places around the pin are read, in squares growing from 100 m to 3 km until the nearest is
found inside one (then a square reaching the nearest found, and every place only when no square held one); their
geometries are measured in one vectorised call per layer, a layer read whole once per pin."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely

from geo.cases import OPEN_STAGES, case_of
from geo.features_query import ItemsQuery
from geo.shapes import from_geojson
from geo.store.base import Store

M_PER_DEG = 111_320.0
MERGE_RADIUS_M = 300.0  # how far from the pin an open case may be to be offered for merging
SQUARES_M = (100.0, 500.0, 3_000.0)  # half-sides of the squares the nearest place is looked for in, in turn
EVERY = 2**31 - 1  # a bbox query's limit: every place it meets


@dataclass(frozen=True)
class Near:
    layer: str
    feature: dict
    metres: float


def _distances(features: list[dict], lon: float, lat: float) -> np.ndarray:
    """Metres from (lon, lat) to each feature's geometry (0 inside it; inf for one that cannot be read)."""
    scale = math.cos(math.radians(lat)) * M_PER_DEG
    arr = from_geojson([g if isinstance(g := f.get("geometry"), dict) else None for f in features],
                       on_invalid="ignore")  # many per call: 4.5× parsing each with `shape`
    local = shapely.transform(arr, lambda xy: np.column_stack(((xy[:, 0] - lon) * scale, (xy[:, 1] - lat) * M_PER_DEG)))
    out = shapely.distance(local, shapely.Point(0.0, 0.0))
    return np.where(np.isnan(out.astype(float)), np.inf, out.astype(float))


def _square(store: Store, layer_id: str, lon: float, lat: float, half_side: float) -> list[dict]:
    """The layer's places meeting the square of `half_side` metres around the point (on the plane the distances
    are measured on: every place within `half_side` of it is among them), in the layer's order."""
    dlon, dlat = half_side / (math.cos(math.radians(lat)) * M_PER_DEG), half_side / M_PER_DEG
    query = ItemsQuery(limit=EVERY, bbox=(lon - dlon, lat - dlat, lon + dlon, lat + dlat))
    return store.select_items(layer_id, query).features


def places_near(store: Store, lon: float, lat: float, *, within_m: float | None = None) -> list[Near]:
    """The readable places, nearest first (those containing the point first, at 0 m); only those within
    `within_m` metres when given (then only the places around the point are read, where the store can)."""
    found: list[Near] = []
    for layer in store.readable_layers():
        if within_m is None or not store.bbox_query_ready(layer.id):
            features = store.features(layer.id)
        else:
            features = _square(store, layer.id, lon, lat, within_m)
        if not features:
            continue
        metres = _distances(features, lon, lat)
        for i in np.argsort(metres, kind="stable"):
            m = float(metres[i])
            if not math.isfinite(m) or (within_m is not None and m > within_m):
                break
            found.append(Near(layer.id, features[int(i)], m))
    found.sort(key=lambda n: n.metres)
    return found


def nearest_place(store: Store, lon: float, lat: float) -> Near | None:
    """The place that contains the point, else the nearest one (of two as near, the first layer's, then the
    first in its layer); None when the campaign has no place. A place nearer than a square's half-side is nearer
    than any place outside the square, so the first square holding one answers; past the last of SQUARES_M, a
    square reaching the nearest found so far; every place only when no square held any."""
    layers = [x.id for x in store.readable_layers()]
    whole: dict[str, tuple[list[dict], np.ndarray | None]] = {}  # a layer read whole, measured once

    def nearest_in(half_side: float | None) -> tuple[Near | None, bool]:
        """The nearest place of those meeting the square (every place: None), and whether every place was."""
        best: Near | None = None
        every = True
        for layer_id in layers:
            if half_side is None or not store.bbox_query_ready(layer_id):
                if layer_id not in whole:
                    features = store.features(layer_id)
                    whole[layer_id] = features, _distances(features, lon, lat) if features else None
                features, metres = whole[layer_id]
            else:
                every = False
                features = _square(store, layer_id, lon, lat, half_side)
                metres = _distances(features, lon, lat) if features else None
            if not features or metres is None:
                continue
            i = int(np.argmin(metres))
            if math.isfinite(metres[i]) and (best is None or metres[i] < best.metres):
                best = Near(layer_id, features[i], float(metres[i]))
        return best, every

    found: Near | None = None
    for half_side in SQUARES_M:
        found, every = nearest_in(half_side)
        if every or (found is not None and found.metres <= half_side):
            return found
    if found is not None:  # no place outside a square reaching the nearest found can be nearer than it
        reach = found.metres * (1 + 1e-9) + 1e-6
        nearer, _ = nearest_in(reach)
        if nearer is not None and nearer.metres <= reach:
            return nearer
    return nearest_in(None)[0]


def open_cases_near(store: Store, lon: float, lat: float, *, within_m: float = MERGE_RADIUS_M) -> list[dict]:
    """The open cases (not 结案) on places within `within_m` metres, nearest first: `{layer, fid, pid, place,
    category, description, stage, metres}`."""
    rows = []
    for near in places_near(store, lon, lat, within_m=within_m):
        props = near.feature["properties"]
        for problem in props.get("problems") or []:
            case = case_of(problem, store.campaign)
            if case["stage"] in OPEN_STAGES or case["stage"] == "suspended":
                rows.append({"layer": near.layer, "fid": near.feature["id"], "pid": problem.get("id"),
                             "place": props.get("name") or near.feature["id"], "category": problem.get("category"),
                             "description": problem.get("description") or "", "stage": case["stage"],
                             "metres": round(near.metres)})
    return rows
