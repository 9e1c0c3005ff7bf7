"""The structure of a GeoJSON geometry, checked before shapely sees it.

`geometry_errors` walks a geometry as it came in (parsed JSON, an import's
record) and names every fault by its path — `geometry.type`,
`geometry.coordinates[0][2]` — in Chinese: a known type written as text,
arrays nested as deep as the type needs, positions of two or three finite
numbers, enough positions for a line or a ring, rings that close, not more
vertices than a place may have. Anything it passes can be handed to
`shapely.geometry.shape` without an exception; whether the shape is valid
(self-intersections), in range and in the campaign area is geo/validate.py's.
"""

from __future__ import annotations

import math
from typing import Any

from geo.errors import FieldError
from geo.messages import t

MAX_VERTICES = 200_000
DEPTH = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}
TYPES = (*DEPTH, "GeometryCollection")
MAX_COLLECTION_DEPTH = 4


def geometry_errors(geom: Any, path: str = "geometry", feature: str | None = None, *,
                    types: tuple[str, ...] = TYPES, empty: bool = True) -> list[FieldError]:
    """Every structural fault of `geom`, each with its field path; [] when shapely can read it. `empty=False`:
    a geometry without a single position is a fault too (what is read back must have a shape to draw and a point
    to label; the write boundary says so in its own words)."""
    errors: list[FieldError] = []
    counter = [0]
    _geometry(geom, path, feature, types, errors, counter, 0, empty)
    if not errors and not empty and counter[0] == 0:
        errors.append(FieldError(path, t("feature.geometry_empty"), feature))
    return errors


def _geometry(geom: Any, path: str, feature, types, errors: list[FieldError], counter: list[int], nesting: int,
              empty: bool = True) -> None:
    if not isinstance(geom, dict):
        errors.append(FieldError(path, t("geometry.not_an_object"), feature))
        return
    gtype = geom.get("type")
    if not isinstance(gtype, str) or gtype not in types:
        got = gtype if isinstance(gtype, str) else type(gtype).__name__
        errors.append(FieldError(f"{path}.type", t("geometry.unknown_type", got=got[:40], expected="、".join(types)),
                                 feature))
        return
    if gtype == "GeometryCollection":
        parts = geom.get("geometries")
        if not isinstance(parts, list):
            errors.append(FieldError(f"{path}.geometries", t("geometry.expected_array"), feature))
            return
        if nesting >= MAX_COLLECTION_DEPTH:
            errors.append(FieldError(f"{path}.geometries", t("geometry.too_deep"), feature))
            return
        for i, part in enumerate(parts):
            before, faults = counter[0], len(errors)
            _geometry(part, f"{path}.geometries[{i}]", feature, types, errors, counter, nesting + 1, empty)
            if not empty and counter[0] == before and len(errors) == faults:  # a member with nothing to draw
                errors.append(FieldError(f"{path}.geometries[{i}]", t("feature.geometry_empty"), feature))
        return
    if "coordinates" not in geom:
        errors.append(FieldError(f"{path}.coordinates", t("geometry.missing_coordinates"), feature))
        return
    _coordinates(geom["coordinates"], gtype, DEPTH[gtype], f"{path}.coordinates", feature, errors, counter)


def _coordinates(coords: Any, gtype: str, depth: int, path: str, feature, errors, counter: list[int]) -> bool:
    """Checks one level; stops at the first fault (a broken array says little about its neighbours)."""
    if depth == 0:
        return _position(coords, path, feature, errors, counter)
    if not isinstance(coords, list):
        errors.append(FieldError(path, t("geometry.expected_nesting", type=gtype), feature))
        return False
    for i, item in enumerate(coords):
        if gtype.startswith("Multi") and depth == DEPTH[gtype] and item == []:  # shapely cannot make a multi-part
            errors.append(FieldError(f"{path}[{i}]", t("geometry.empty_part"), feature))  # geometry of an empty part
            return False
        if not _coordinates(item, gtype, depth - 1, f"{path}[{i}]", feature, errors, counter):
            return False
    return _enough(coords, gtype, depth, path, feature, errors)


def _position(coords: Any, path: str, feature, errors, counter: list[int]) -> bool:
    if not isinstance(coords, list) or len(coords) not in (2, 3):
        errors.append(FieldError(path, t("geometry.bad_position"), feature))
        return False
    for i, c in enumerate(coords):
        if isinstance(c, bool) or not isinstance(c, (int, float)):
            errors.append(FieldError(f"{path}[{i}]", t("geometry.not_a_number"), feature))
            return False
        if not math.isfinite(c):
            errors.append(FieldError(f"{path}[{i}]", t("geometry.not_finite"), feature))
            return False
    counter[0] += 1
    if counter[0] > MAX_VERTICES:
        errors.append(FieldError(path, t("geometry.too_many_vertices", limit=MAX_VERTICES), feature))
        return False
    return True


def _enough(coords: list, gtype: str, depth: int, path: str, feature, errors) -> bool:
    """Lines need two positions; rings four, the last the same as the first."""
    line = gtype in ("LineString", "MultiLineString") and depth == 1
    ring = gtype in ("Polygon", "MultiPolygon") and depth == 1
    if line and len(coords) < 2:
        errors.append(FieldError(path, t("geometry.short_line"), feature))
        return False
    if ring:
        if len(coords) < 4:
            errors.append(FieldError(path, t("geometry.short_ring"), feature))
            return False
        if coords[0][:2] != coords[-1][:2]:
            errors.append(FieldError(path, t("geometry.open_ring"), feature))
            return False
    return True
