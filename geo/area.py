"""The campaign area: where a place may lie — the district boundary and a small buffer around it.

Every write's geometry is checked against it (`geo.validate`, so the store's
writes, OGC API transactions, the editor, imports and inspections alike). The
district comes from the campaign's `district` boundary file, read once when the
campaign is loaded, projected to an azimuthal equidistant projection centred on
the district (metres, true to a few centimetres across a district) and prepared
(shapely 2), so a check transforms the place's positions in one vectorised call
and tests them against the prepared polygon: microseconds per place.

A place is in the area when every one of its positions lies within
`area_buffer_m` metres (campaign.json, default 300) of the district; otherwise
`outside_m` says how far its farthest position lies outside the district, which
the refusal names ("位于区界外 2.3 公里"). Campaigns without a district boundary
fall back to `map.bounds` widened by the same buffer (`BoundsArea`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import orjson
import pyproj
import shapely
from shapely.geometry import shape

from geo.messages import t

DEFAULT_BUFFER_M = 300.0
_M_PER_DEG_LAT = 111_320.0


@dataclass(frozen=True, eq=False)
class DistrictArea:
    """The district boundary (projected to metres around its centre, prepared) and the buffer."""

    district: shapely.Geometry  # in the local projection's metres
    buffer_m: float
    to_local: pyproj.Transformer = field(repr=False)
    lonlat: shapely.Geometry = field(repr=False)  # the district as read: a place inside it needs no projecting

    @classmethod
    def of(cls, geometry: shapely.Geometry, buffer_m: float = DEFAULT_BUFFER_M) -> DistrictArea:
        """From the district in longitude/latitude (WGS84)."""
        centre = geometry.centroid
        local = pyproj.CRS.from_proj4(f"+proj=aeqd +lat_0={centre.y} +lon_0={centre.x} +datum=WGS84 +units=m +no_defs")
        to_local = pyproj.Transformer.from_crs("EPSG:4326", local, always_xy=True)
        district = shapely.transform(geometry, lambda xy: np.column_stack(to_local.transform(xy[:, 0], xy[:, 1])))
        district = shapely.make_valid(district)
        lonlat = shapely.make_valid(geometry)
        shapely.prepare(district)
        shapely.prepare(lonlat)
        return cls(district, float(buffer_m), to_local, lonlat)

    def outside_m(self, lon: np.ndarray, lat: np.ndarray) -> float:
        """How far the farthest of these positions lies outside the district, in metres (0 when inside)."""
        lon, lat = np.atleast_1d(np.asarray(lon, dtype=float)), np.atleast_1d(np.asarray(lat, dtype=float))
        inside = shapely.contains_xy(self.lonlat, lon, lat)  # most places: no projecting at all
        if inside.all():
            return 0.0
        x, y = self.to_local.transform(lon[~inside], lat[~inside])
        return float(shapely.distance(self.district, shapely.points(np.atleast_1d(x), np.atleast_1d(y))).max())

    def refusal(self, lon: np.ndarray, lat: np.ndarray) -> str | None:
        """Why these positions are outside the area (None when they are in it)."""
        outside = self.outside_m(lon, lat)
        if outside <= self.buffer_m:
            return None
        return t("area.outside_district", distance=distance_text(outside), buffer=f"{self.buffer_m:.0f}")


@dataclass(frozen=True)
class BoundsArea:
    """A campaign without a district boundary: its map bounds widened by the buffer."""

    bounds: tuple[float, float, float, float]  # west, south, east, north
    buffer_m: float = DEFAULT_BUFFER_M

    def refusal(self, lon: np.ndarray, lat: np.ndarray) -> str | None:
        w, s, e, n = self.bounds
        dy = self.buffer_m / _M_PER_DEG_LAT
        dx = dy / max(math.cos(math.radians(max(abs(s), abs(n)))), 1e-6)
        if lon.min() >= w - dx and lon.max() <= e + dx and lat.min() >= s - dy and lat.max() <= n + dy:
            return None
        return t("area.outside_bounds", west=w, east=e, south=s, north=n, buffer=f"{self.buffer_m:.0f}")


def distance_text(metres: float) -> str:
    """A distance as people say it: 450 米, 2.3 公里."""
    if metres < 1000:
        return t("area.metres", m=f"{metres:.0f}")
    return t("area.kilometres", km=f"{metres / 1000:.1f}")


def read_district(path: Path) -> shapely.Geometry:
    """The union of a district boundary file's features (WGS84); ValueError when it holds none or cannot be read."""
    try:
        doc = orjson.loads(Path(path).read_bytes())
        geoms = [shape(f["geometry"]) for f in doc["features"] if f.get("geometry")]
    except (orjson.JSONDecodeError, KeyError, TypeError, AttributeError, ValueError,
            shapely.errors.GEOSException) as exc:
        raise ValueError(t("area.not_polygons", detail=str(exc))) from None
    polygons = [g for g in geoms if g.geom_type in ("Polygon", "MultiPolygon") and not g.is_empty]
    if not polygons:
        raise ValueError(t("area.no_polygon"))
    return shapely.union_all(shapely.make_valid(np.array(polygons, dtype=object)))
