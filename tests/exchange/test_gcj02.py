"""WGS84 ⇄ GCJ-02: the forward offset, the iterative inverse and the geometry helpers."""

from __future__ import annotations

import numpy as np
import shapely
from pyproj import Geod

from geo.exchange.gcj02 import (
    gcj02_to_wgs84,
    geojson_to_gcj02,
    geojson_to_wgs84,
    geometry_to_gcj02,
    geometry_to_wgs84,
    in_china,
    wgs84_to_gcj02,
)

GEOD = Geod(ellps="WGS84")


def test_zhengzhou_is_shifted_by_roughly_570_metres():
    lon, lat = np.array([113.56, 113.63, 113.70]), np.array([34.62, 34.72, 34.77])
    glon, glat = wgs84_to_gcj02(lon, lat)
    _, _, metres = GEOD.inv(lon, lat, glon, glat)
    assert np.all((metres > 500) & (metres < 600))
    assert np.all(glon > lon) and np.all(glat < lat)  # east and a little south, as on AMap


def test_inverse_recovers_wgs84_to_better_than_1e7_degree_across_china():
    rng = np.random.default_rng(7)
    lon, lat = rng.uniform(74, 135, 5000), rng.uniform(18, 53, 5000)
    back_lon, back_lat = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    assert np.abs(back_lon - lon).max() < 1e-7
    assert np.abs(back_lat - lat).max() < 1e-7


def test_points_outside_china_are_not_shifted():
    lon, lat = np.array([2.35, -74.0, 0.0]), np.array([48.85, 40.7, 0.0])
    assert not in_china(lon, lat).any()
    for fn in (wgs84_to_gcj02, gcj02_to_wgs84):
        out_lon, out_lat = fn(lon, lat)
        assert np.array_equal(out_lon, lon) and np.array_equal(out_lat, lat)


def test_arrays_keep_their_shape_and_empty_arrays_pass():
    lon, lat = np.full((2, 3), 113.63), np.full((2, 3), 34.72)
    assert wgs84_to_gcj02(lon, lat)[0].shape == (2, 3)
    assert gcj02_to_wgs84(np.array([]), np.array([]))[0].size == 0


def test_geometry_helpers_shift_every_vertex_like_the_array_functions():
    polygon = shapely.Polygon([(113.63, 34.72), (113.64, 34.72), (113.64, 34.73)], holes=[])
    shifted = geometry_to_gcj02(np.array([polygon, shapely.Point(113.6, 34.7)]))
    xy = shapely.get_coordinates(polygon)
    expected = np.column_stack(wgs84_to_gcj02(xy[:, 0], xy[:, 1]))
    assert np.allclose(shapely.get_coordinates(shifted[0]), expected, atol=0, rtol=0)
    back = geometry_to_wgs84(shifted)
    assert shapely.equals_exact(back[0], polygon, 1e-7)


def test_geojson_helpers_shift_nested_coordinates_and_keep_the_type():
    geometry = {"type": "MultiPolygon", "coordinates": [[[[113.63, 34.72], [113.64, 34.72], [113.64, 34.73], [113.63, 34.72]]]]}
    shifted = geojson_to_gcj02(geometry)
    assert shifted["type"] == "MultiPolygon"
    assert shifted["coordinates"][0][0][0][0] > 113.63
    back = geojson_to_wgs84(shifted)
    assert np.allclose(np.array(back["coordinates"][0][0]), np.array(geometry["coordinates"][0][0]), atol=1e-7)
