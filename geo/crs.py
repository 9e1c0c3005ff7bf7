"""The coordinate reference systems OGC API – Features Part 2 serves: their URIs, axis order and transforms.

No Flask here. Places are stored in CRS84 (WGS84 longitude, latitude). A
response may be asked for in any of `SUPPORTED` (`crs`), a bbox given in one
(`bbox-crs`) and a filter's geometries written in one (`filter-crs`).

Axis order is handled in one place, deliberately: every pyproj transformer
here is built with `always_xy=True` (x = longitude or easting, y = latitude or
northing) and a CRS whose authority puts latitude first (EPSG:4326, and
EPSG:4490 — CGCS2000, China's official geographic CRS) has its two axes
swapped at the edge, as OGC API – Features Part 2 asks (coordinates in the
CRS's own axis order, unlike GeoJSON's CRS84).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import orjson
import pyproj
import shapely

from geo.errors import BadParameter
from geo.messages import t
from geo.shapes import from_geojson

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
CRS84H = "http://www.opengis.net/def/crs/OGC/0/CRS84h"
EPSG4326 = "http://www.opengis.net/def/crs/EPSG/0/4326"
EPSG4490 = "http://www.opengis.net/def/crs/EPSG/0/4490"
EPSG3857 = "http://www.opengis.net/def/crs/EPSG/0/3857"


@dataclass(frozen=True)
class Crs:
    uri: str
    code: str  # as pyproj reads it
    lat_first: bool  # the authority's axis order is latitude, longitude
    geographic: bool


SUPPORTED: dict[str, Crs] = {c.uri: c for c in (
    Crs(CRS84, "OGC:CRS84", False, True),
    Crs(EPSG4326, "EPSG:4326", True, True),
    Crs(EPSG4490, "EPSG:4490", True, True),
    Crs(EPSG3857, "EPSG:3857", False, False),
)}
# Other spellings clients send for the same CRSs (CRS84h: heights are dropped, as the places have none).
ALIASES = {CRS84H: CRS84, "urn:ogc:def:crs:OGC:1.3:CRS84": CRS84, "EPSG:4326": EPSG4326, "EPSG:4490": EPSG4490,
           "EPSG:3857": EPSG3857, "urn:ogc:def:crs:EPSG::4326": EPSG4326, "urn:ogc:def:crs:EPSG::4490": EPSG4490,
           "urn:ogc:def:crs:EPSG::3857": EPSG3857}


def lookup(text: str) -> Crs | None:
    """The supported CRS a URI (or one of its other spellings) names; None if it is not one of them."""
    key = text.strip()
    return SUPPORTED.get(ALIASES.get(key, key))


@cache
def _transformer(source: str, target: str) -> pyproj.Transformer:
    return pyproj.Transformer.from_crs(source, target, always_xy=True)


def _xy(coords: np.ndarray, crs: Crs) -> np.ndarray:
    """Coordinates in the CRS's axis order ↔ x/y order (the same swap both ways)."""
    return coords[:, ::-1] if crs.lat_first else coords


def _mover(source: Crs, target: Crs):
    transformer = _transformer(source.code, target.code)

    def move(coords: np.ndarray) -> np.ndarray:
        xy = _xy(coords, source)
        x, y = transformer.transform(xy[:, 0], xy[:, 1])
        return _xy(np.column_stack([x, y]), target)
    return move


def to_crs84(geometries: np.ndarray, source: Crs) -> np.ndarray:
    """Shapely geometries written in `source` (in its axis order), in CRS84."""
    if source.uri == CRS84:
        return geometries
    return shapely.transform(geometries, _mover(source, SUPPORTED[CRS84]))


def from_crs84(geometries: np.ndarray, target: Crs) -> np.ndarray:
    """CRS84 shapely geometries in `target`, in its axis order."""
    if target.uri == CRS84:
        return geometries
    return shapely.transform(geometries, _mover(SUPPORTED[CRS84], target))


def bbox_to_crs84(box: Sequence[float], source: Crs) -> tuple[float, float, float, float]:
    """A bbox as `bbox` gives it in `source` (its axis order: lat-first CRSs give south,west,north,east),
    as west, south, east, north in CRS84."""
    a, b, c, d = box
    if source.lat_first:
        a, b, c, d = b, a, d, c
    if source.uri == CRS84 or source.geographic:
        return a, b, c, d  # the geographic CRSs here share CRS84's datum to well under a centimetre
    west, south, east, north = _transformer(source.code, "OGC:CRS84").transform_bounds(a, b, c, d)
    return west, south, east, north


def parse_bbox(text: str, crs: Crs | None = None, parameter: str = "bbox") -> tuple[float, float, float, float]:
    """`bbox`'s 4 numbers (or 6 with heights) in `crs` (its own axis order: EPSG:4326 and EPSG:4490 give
    latitude first), as west, south, east, north in CRS84; a refusal names `parameter`."""
    parts = text.split(",")
    if len(parts) not in (4, 6):
        raise BadParameter(parameter, t("ogc.bbox_count"))
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        raise BadParameter(parameter, t("ogc.bbox_numbers", got=repr(text))) from None
    if not all(math.isfinite(n) for n in numbers):
        raise BadParameter(parameter, t("ogc.bbox_not_finite"))
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    crs = crs or SUPPORTED[CRS84]
    if crs.geographic:
        lat = (numbers[0], numbers[2]) if crs.lat_first else (numbers[1], numbers[3])
        lon = (numbers[1], numbers[3]) if crs.lat_first else (numbers[0], numbers[2])
        if not (-90 <= lat[0] <= lat[1] <= 90):
            raise BadParameter(parameter, t("ogc.bbox_latitudes"))
        if not all(-180 <= v <= 180 for v in lon):
            raise BadParameter(parameter, t("ogc.bbox_longitudes"))
    elif not (numbers[0] <= numbers[2] and numbers[1] <= numbers[3]):
        raise BadParameter(parameter, t("ogc.bbox_projected"))
    west, south, east, north = bbox_to_crs84(numbers, crs)
    if not (-90 <= south <= north <= 90 and -180 <= west <= 180 and -180 <= east <= 180):
        raise BadParameter(parameter, t("ogc.bbox_longitudes"))
    return west, south, east, north


def features_in(features: Sequence[dict], target: Crs) -> list[dict]:
    """CRS84 GeoJSON features with their geometries in `target` (coordinates in its axis order)."""
    if target.uri == CRS84 or not features:
        return list(features)
    present = [i for i, f in enumerate(features) if f.get("geometry")]
    geoms = from_geojson([features[i]["geometry"] for i in present])
    moved = shapely.to_geojson(from_crs84(np.asarray(geoms, dtype=object), target))
    out = list(features)
    for i, text in zip(present, moved, strict=True):
        out[i] = {**features[i], "geometry": orjson.loads(text)}
    return out
