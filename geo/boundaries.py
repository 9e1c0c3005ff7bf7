"""Reference boundaries (district, sub-districts, communities): read-only layers.

They outline the map when there is no basemap, carry the label points the
wall map writes names at, and tell which sub-district and community a
place falls in: `locate` (a point), `fill_location` (a new place without
them), `areas_holding` (many shapes at once, as the demo generator places
them). A place lies in the area its representative point
(`shapely.point_on_surface`) lies in, an area's edge included; where areas
overlap, the first listed wins.

A boundary file comes from outside (the district's GIS office) and may be replaced by hand at any time: it is
checked when read (JSON, a FeatureCollection, each outline a polygon or line shapely can read and not empty, its
name text; a line is drawn, a place is located in polygons only). A damaged
file is never served in part: `read_boundaries` raises BrokenBoundary (503, the file and the feature at fault),
so printing says why it cannot print; the wall, the editor, the dashboard and the places' sub-district and
community go on without that level (`usable_boundaries`, `locate`), and `boundary_problems` puts the fault in
/api/health's problems, the banner on every screen.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

import numpy as np
import orjson
import shapely
from shapely.geometry import shape

from geo.config import Campaign
from geo.errors import BrokenBoundary, NotFound
from geo.geojson_check import geometry_errors
from geo.geojson_io import dumps, round_coords
from geo.messages import Text, compose, t
from geo.store.base import Finding

log = logging.getLogger(__name__)
AREAS = ("Polygon", "MultiPolygon")
OUTLINES = (*AREAS, "LineString", "MultiLineString")  # lines are drawn, never located in


def _boundary(campaign: Campaign, level: str):
    for b in campaign.boundaries:
        if b.level == level:
            return b
    levels = ", ".join(b.level for b in campaign.boundaries) or "-"
    raise NotFound(t("boundaries.unknown_level", level=repr(level), levels=levels))


def read_boundaries(data_dir: Path, campaign: Campaign, level: str) -> list[dict]:
    """Features of one level, each with a `label_point` [lon, lat] inside it; [] when the file is absent.
    Raises NotFound for a level the campaign has no boundaries of, BrokenBoundary for a damaged file."""
    b = _boundary(campaign, level)
    path = Path(data_dir) / b.file
    try:
        stamp = _stamp(path)
    except FileNotFoundError:
        return []
    features, reason = _read(str(path), stamp, b.name_field)
    if reason is not None:
        raise BrokenBoundary(t("boundaries.broken", file=b.file, reason=reason))
    return features


def boundary_version(data_dir: Path, campaign: Campaign, level: str) -> tuple:
    """What changes whenever the level's file does (a cache of its outlines is keyed by it); () without one."""
    try:
        return _stamp(Path(data_dir) / _boundary(campaign, level).file)
    except FileNotFoundError:
        return ()


def _stamp(path: Path) -> tuple:
    """The file's inode, times and size: a file saved again, replaced or given other permissions reads afresh."""
    st = path.stat()
    return (st.st_ino, st.st_mtime_ns, st.st_ctime_ns, st.st_size)


def usable_boundaries(data_dir: Path, campaign: Campaign, level: str) -> list[dict]:
    """`read_boundaries`, or none for a level the campaign lacks or whose file is damaged (what stays up without
    outlines: the damage is on every screen's banner, `boundary_problems`)."""
    try:
        return read_boundaries(data_dir, campaign, level)
    except (NotFound, BrokenBoundary):
        return []


def boundary_problems(data_dir: Path, campaign: Campaign) -> list[Finding]:
    """Each damaged boundary file, as /api/health lists problems (read once per file version)."""
    found = []
    for b in campaign.boundaries:
        try:
            read_boundaries(data_dir, campaign, b.level)
        except BrokenBoundary as exc:
            found.append(Finding(where=b.file, problem=exc.message, remedy=t("boundaries.remedy"), repairable=False,
                                 code="broken_boundary"))
    return found


@lru_cache(maxsize=16)
def _read(path: str, _stamp: tuple, name_field: str) -> tuple[list[dict], Text | None]:
    """The outlines of one file version and None, or [] and why the file cannot be used (kept as well: a
    damaged file is not parsed again on every request)."""
    try:
        doc = orjson.loads(Path(path).read_bytes())
    except orjson.JSONDecodeError as exc:
        return _broken(path, t("file.not_json", detail=str(exc)))
    except OSError as exc:  # unreadable, or gone since its stat
        return _broken(path, t("boundaries.unreadable", detail=exc.strerror or type(exc).__name__))
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        return _broken(path, t("boundaries.not_collection"))
    features = doc["features"]
    for i, f in enumerate(features):
        fault = _outline_fault(f, name_field)
        if fault is not None:
            return _broken(path, t("boundaries.feature", number=i + 1, detail=fault))
    geoms = [shape(f["geometry"]) for f in features]
    points = shapely.point_on_surface(geoms) if geoms else []
    out = []
    for f, pt in zip(features, points):
        props = dict(f.get("properties") or {})
        props["name"] = props.get(name_field, props.get("name"))
        props["label_point"] = round_coords([pt.x, pt.y])
        out.append({"type": "Feature", "id": f.get("id"), "properties": props, "geometry": f["geometry"]})
    return out, None


def _outline_fault(feature, name_field: str) -> Text | None:
    """Why one outline cannot be used, or None: a Feature, a polygon or line shapely can read, its name text."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return t("boundaries.not_feature")
    faults = geometry_errors(feature.get("geometry"), types=OUTLINES, empty=False)
    if faults:
        return faults[0].text()
    props = feature.get("properties")
    if props is not None and not isinstance(props, dict):
        return t("feature.not_an_object_value")
    for key in {name_field, "name"}:
        value = (props or {}).get(key)
        if value is not None and not isinstance(value, str):
            return compose("properties.{key}: {message}", key=key,
                           message=t("feature.not_text", got=type(value).__name__))
    return None


def _broken(path: str, reason: Text) -> tuple[list[dict], Text]:
    log.error("boundary file %s cannot be used: %s", path, reason.in_lang("en"))
    return [], reason


def boundary_bytes(data_dir: Path, campaign: Campaign, level: str) -> bytes:
    return dumps({"type": "FeatureCollection", "level": level, "features": read_boundaries(data_dir, campaign, level)})


@lru_cache(maxsize=16)
def _tree(path: str, stamp: tuple, name_field: str):
    features, reason = _read(path, stamp, name_field)
    if reason is not None:
        raise BrokenBoundary(reason)
    areas = [f for f in features if f["geometry"]["type"] in AREAS]  # a line outlines; a place lies in an area
    return shapely.STRtree([shape(f["geometry"]) for f in areas]), areas


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
        try:
            tree, features = _tree(str(path), _stamp(path), b.name_field)
        except (FileNotFoundError, BrokenBoundary):  # no file, or a damaged one (the banner says so): unknown
            continue
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
