"""Reference boundaries (district, sub-districts, communities): read-only layers.

They outline the map when there is no basemap, carry the label points the
wall map writes names at, and tell which sub-district and community a
place falls in: `locate` (a point), `fill_location` (a new place without
them), `areas_holding` (many shapes at once, as the demo generator places
them). A place lies in the area its representative point
(`shapely.point_on_surface`) lies in, an area's edge included; where areas
overlap, the first listed wins.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import orjson
import shapely
from shapely.geometry import shape

from geo.config import Campaign
from geo.errors import NotFound
from geo.geojson_io import dumps, round_coords
from geo.messages import t


def _boundary(campaign: Campaign, level: str):
    for b in campaign.boundaries:
        if b.level == level:
            return b
    levels = ", ".join(b.level for b in campaign.boundaries) or "-"
    raise NotFound(t("boundaries.unknown_level", level=repr(level), levels=levels))


def read_boundaries(data_dir: Path, campaign: Campaign, level: str) -> list[dict]:
    """Features of one level, each with a `label_point` [lon, lat] inside it."""
    b = _boundary(campaign, level)
    path = Path(data_dir) / b.file
    try:
        stat = path.stat()
    except FileNotFoundError:
        return []
    return _read(str(path), stat.st_mtime_ns, b.name_field)


@lru_cache(maxsize=16)
def _read(path: str, _mtime: int, name_field: str) -> list[dict]:
    doc = orjson.loads(Path(path).read_bytes())
    features = doc.get("features") or []
    geoms = [shape(f["geometry"]) for f in features]
    points = shapely.point_on_surface(geoms) if geoms else []
    out = []
    for f, pt in zip(features, points):
        props = dict(f.get("properties") or {})
        props["name"] = props.get(name_field, props.get("name"))
        props["label_point"] = round_coords([pt.x, pt.y])
        out.append({"type": "Feature", "id": f.get("id"), "properties": props, "geometry": f["geometry"]})
    return out


def boundary_bytes(data_dir: Path, campaign: Campaign, level: str) -> bytes:
    return dumps({"type": "FeatureCollection", "level": level, "features": read_boundaries(data_dir, campaign, level)})


@lru_cache(maxsize=16)
def _tree(path: str, _mtime: int, name_field: str):
    features = _read(path, _mtime, name_field)
    geoms = [shape(f["geometry"]) for f in features]
    return shapely.STRtree(geoms), features


def locate(data_dir: Path, campaign: Campaign, lon: float, lat: float) -> dict:
    """The sub-district and community a point lies in (None where unknown)."""
    point = shapely.Point(lon, lat)
    out: dict = {"street": None, "community": None}
    for level in ("street", "community"):
        try:
            b = _boundary(campaign, level)
        except NotFound:
            continue
        path = Path(data_dir) / b.file
        if not path.exists():
            continue
        tree, features = _tree(str(path), path.stat().st_mtime_ns, b.name_field)
        i = _first_hits(tree, np.array([point]))[0]
        if i >= 0:
            out[level] = features[int(i)]["properties"]["name"]
    return out


def fill_location(feature: dict, data_dir: Path, campaign: Campaign) -> None:
    """A new place without a sub-district or community gets the ones it lies in. A feature whose geometry
    cannot be read is left as it is: validation says what is wrong with it."""
    props = feature.get("properties")
    if not isinstance(props, dict) or (props.get("street") and props.get("community")):
        return
    try:
        point = shapely.point_on_surface(shape(feature.get("geometry")))
    except (AttributeError, TypeError, ValueError, KeyError, shapely.errors.ShapelyError):
        return
    if point.is_empty:
        return
    found = locate(data_dir, campaign, point.x, point.y)
    for key in ("street", "community"):
        if not props.get(key) and found[key]:
            props[key] = found[key]


def areas_holding(shapes: np.ndarray, areas: np.ndarray) -> np.ndarray:
    """Per shape, the index of the area its representative point lies in (the first, where areas overlap),
    -1 where none: one vectorised query, for many shapes at once."""
    return _first_hits(shapely.STRtree(areas), shapely.point_on_surface(shapes))


def _first_hits(tree: shapely.STRtree, points: np.ndarray) -> np.ndarray:
    """Per point, the index of the first geometry of `tree` it lies in or on, -1 where none."""
    hit_point, hit_area = tree.query(points, predicate="intersects")
    out = np.full(len(points), -1)
    out[hit_point[::-1]] = hit_area[::-1]  # the first hit wins
    return out
