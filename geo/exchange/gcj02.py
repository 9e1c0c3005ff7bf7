"""WGS84 ⇄ GCJ-02, the offset coordinates of Chinese web basemaps (AMap/Gaode, Tencent).

GCJ-02 shifts longitude/latitude by a deterministic, position-dependent offset
(about 570 m in Zhengzhou). Guatu stores WGS84; data drawn on an AMap basemap
is shifted with `wgs84_to_gcj02`, and data digitised on such a basemap (or
imported with the "GCJ-02" option) is shifted back with `gcj02_to_wgs84`.

The forward formula is the published one; the inverse has no closed form and
is solved by fixed-point iteration to better than 1e-7 degree (about 1 cm).
Points outside China's bounding box are left unshifted, as GCJ-02 does.
All functions are vectorised over numpy arrays; the geometry helpers use
`shapely.transform`, so whole arrays of geometries are shifted in one call.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

_A = 6378245.0  # semi-major axis of Krasovsky 1940, used by the GCJ-02 formula
_EE = 0.00669342162296594323  # its first eccentricity squared
INVERSE_TOLERANCE = 1e-9  # degrees; the inverse stops when every point moved less than this
_MAX_ITERATIONS = 30


def in_china(lon: ArrayLike, lat: ArrayLike) -> NDArray[np.bool_]:
    """Where GCJ-02 applies: the rough bounding box of China used by the standard formula."""
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    return (lon >= 72.004) & (lon <= 137.8347) & (lat >= 0.8293) & (lat <= 55.8271)


def _delta(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The GCJ-02 offset (dlon, dlat) in degrees at WGS84 positions."""
    x, y = lon - 105.0, lat - 35.0
    pi = np.pi
    wave = (20.0 * np.sin(6.0 * x * pi) + 20.0 * np.sin(2.0 * x * pi)) * 2.0 / 3.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x)) + wave
    dlat += (20.0 * np.sin(y * pi) + 40.0 * np.sin(y / 3.0 * pi)) * 2.0 / 3.0
    dlat += (160.0 * np.sin(y / 12.0 * pi) + 320.0 * np.sin(y * pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x)) + wave
    dlon += (20.0 * np.sin(x * pi) + 40.0 * np.sin(x / 3.0 * pi)) * 2.0 / 3.0
    dlon += (150.0 * np.sin(x / 12.0 * pi) + 300.0 * np.sin(x / 30.0 * pi)) * 2.0 / 3.0
    rad = lat / 180.0 * pi
    magic = 1.0 - _EE * np.sin(rad) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * pi)
    dlon = (dlon * 180.0) / (_A / sqrt_magic * np.cos(rad) * pi)
    inside = in_china(lon, lat)
    return np.where(inside, dlon, 0.0), np.where(inside, dlat, 0.0)


def wgs84_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Shift WGS84 longitudes/latitudes (degrees) to GCJ-02; arrays of any shape."""
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    dlon, dlat = _delta(lon, lat)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon: ArrayLike, lat: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Shift GCJ-02 longitudes/latitudes back to WGS84, accurate to better than 1e-7 degree."""
    g_lon, g_lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    w_lon, w_lat = g_lon.copy(), g_lat.copy()
    for _ in range(_MAX_ITERATIONS):
        f_lon, f_lat = wgs84_to_gcj02(w_lon, w_lat)
        e_lon, e_lat = f_lon - g_lon, f_lat - g_lat
        w_lon, w_lat = w_lon - e_lon, w_lat - e_lat
        if e_lon.size == 0 or max(np.nanmax(np.abs(e_lon)), np.nanmax(np.abs(e_lat))) < INVERSE_TOLERANCE:
            break
    return w_lon, w_lat


def _coords_fn(fn):
    def apply(xy: NDArray[np.float64]) -> NDArray[np.float64]:
        lon, lat = fn(xy[:, 0], xy[:, 1])
        return np.column_stack([lon, lat])

    return apply


def geometry_to_gcj02(geometry: Any) -> Any:
    """A shapely geometry (or array of them) shifted from WGS84 to GCJ-02; Z values are dropped."""
    return shapely.transform(geometry, _coords_fn(wgs84_to_gcj02))


def geometry_to_wgs84(geometry: Any) -> Any:
    """A shapely geometry (or array of them) shifted from GCJ-02 back to WGS84; Z values are dropped."""
    return shapely.transform(geometry, _coords_fn(gcj02_to_wgs84))


def geojson_to_gcj02(geometry: dict) -> dict:
    """A GeoJSON geometry object shifted from WGS84 to GCJ-02 (for AMap display)."""
    return _geojson(geometry, wgs84_to_gcj02)


def geojson_to_wgs84(geometry: dict) -> dict:
    """A GeoJSON geometry object shifted from GCJ-02 back to WGS84 (after an edit on AMap)."""
    return _geojson(geometry, gcj02_to_wgs84)


def _geojson(geometry: dict, fn) -> dict:
    if geometry.get("type") == "GeometryCollection":
        return {"type": "GeometryCollection", "geometries": [_geojson(g, fn) for g in geometry.get("geometries", [])]}
    flat: list[list[float]] = []
    _collect(geometry["coordinates"], flat)
    if not flat:
        return dict(geometry)
    arr = np.asarray([p[:2] for p in flat], dtype=float)
    lon, lat = fn(arr[:, 0], arr[:, 1])
    it = iter(zip(lon.tolist(), lat.tolist()))
    return {**geometry, "coordinates": _rebuild(geometry["coordinates"], it)}


def _collect(coords: Any, out: list) -> None:
    if coords and isinstance(coords[0], (int, float)):
        out.append(coords)
    else:
        for c in coords:
            _collect(c, out)


def _rebuild(coords: Any, it) -> Any:
    if coords and isinstance(coords[0], (int, float)):
        x, y = next(it)
        return [x, y, *coords[2:]]
    return [_rebuild(c, it) for c in coords]
