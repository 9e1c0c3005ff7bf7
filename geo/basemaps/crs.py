"""Data drawn on a GCJ-02 basemap (AMap): shifted for display, never stored shifted.

Stored data is WGS84. The wall map asks for `?crs=gcj02` while an AMap
basemap is shown; the server shifts a whole FeatureCollection in one
vectorised call (`shapely.transform` with geo.exchange.gcj02's converter),
rounds to the stored precision, and caches the result per revision beside the
WGS84 one. Label points carried in properties are shifted with it.
"""

from __future__ import annotations

import numpy as np
import orjson
import shapely

from geo.basemaps.base import BadRequest
from geo.config import DISPLAY_CRS
from geo.exchange.gcj02 import gcj02_to_wgs84, geometry_to_gcj02, wgs84_to_gcj02
from geo.geojson_io import PRECISION, dumps
from geo.messages import t
from geo.shapes import from_geojson

POINT_PROPERTIES = ("label_point",)  # [lon, lat] pairs in properties that move with the geometry
GCJ02_MARGIN = 0.0002  # degrees added around a GCJ-02 box turned back into WGS84


def display_crs(value: str | None) -> str:
    """The `crs` query parameter: wgs84 (default) or gcj02."""
    crs = (value or "wgs84").lower()
    if crs not in DISPLAY_CRS:
        raise BadRequest(t("basemap.crs", expected=", ".join(DISPLAY_CRS), got=repr(value)))
    return crs


def collection_in(body: bytes, crs: str) -> bytes:
    """A serialised GeoJSON FeatureCollection (WGS84) in the display CRS `crs`."""
    if crs == "wgs84":
        return body
    doc = orjson.loads(body)
    shift_features(doc.get("features") or [])
    return dumps(doc)


def shift_features(features: list[dict]) -> None:
    """Shift the features' geometries and label points from WGS84 to GCJ-02, in place."""
    drawn = [f for f in features if f.get("geometry")]
    if drawn:
        geoms = from_geojson([f["geometry"] for f in drawn])
        shifted = shapely.transform(geometry_to_gcj02(geoms), lambda xy: np.round(xy, PRECISION))
        for f, text in zip(drawn, shapely.to_geojson(shifted)):
            f["geometry"] = orjson.loads(text)
    points = [(f["properties"], k) for f in features for k in POINT_PROPERTIES
              if isinstance(f.get("properties"), dict) and _is_point(f["properties"].get(k))]
    if points:
        xy = np.array([props[k][:2] for props, k in points], dtype=float)
        lon, lat = wgs84_to_gcj02(xy[:, 0], xy[:, 1])
        for (props, k), x, y in zip(points, np.round(lon, PRECISION).tolist(), np.round(lat, PRECISION).tolist()):
            props[k] = [x, y]


def _is_point(value) -> bool:
    return isinstance(value, list) and len(value) >= 2 and all(isinstance(v, (int, float)) for v in value[:2])


def wgs84_bbox(text: str | None, crs: str) -> str | None:
    """A `bbox` query parameter ("w,s,e,n") given in the display CRS `crs`, as a WGS84 box a little larger
    (`GCJ02_MARGIN`), so the places at its edges are still found. Text that is not four numbers is returned
    as it is, for the parser of the parameter to say what is wrong."""
    if crs != "gcj02" or not text:
        return text
    try:
        w, s, e, n = (float(v) for v in text.split(","))
    except ValueError:
        return text
    lon, lat = gcj02_to_wgs84(np.array([w, e]), np.array([s, n]))
    m = GCJ02_MARGIN
    return f"{lon[0] - m},{lat[0] - m},{lon[1] + m},{lat[1] + m}"
