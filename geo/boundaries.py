"""Reference boundaries (district, sub-districts, communities): read-only layers.

They outline the map when there is no basemap, carry the label points the
wall map writes names at, and tell which sub-district and community a
place falls in.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

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
    return shapely.STRtree(geoms), geoms, features


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
        tree, geoms, features = _tree(str(path), path.stat().st_mtime_ns, b.name_field)
        for i in tree.query(point, predicate="intersects"):
            out[level] = features[int(i)]["properties"]["name"]
            break
    return out
