"""The structure of a GeoJSON geometry, checked before shapely (geo/geojson_check.py): every fault by its path."""

from __future__ import annotations

import pytest
from shapely.geometry import shape

from geo.geojson_check import geometry_errors

SQUARE = [[113.66, 34.72], [113.67, 34.72], [113.67, 34.73], [113.66, 34.73], [113.66, 34.72]]


@pytest.mark.parametrize(("geometry", "field"), [
    ([], "geometry"),
    ({"type": {}}, "geometry.type"),
    ({"type": "Circle", "coordinates": [1, 2]}, "geometry.type"),
    ({"type": "Point"}, "geometry.coordinates"),
    ({"type": "Point", "coordinates": [1]}, "geometry.coordinates"),
    ({"type": "Point", "coordinates": [1, float("nan")]}, "geometry.coordinates[1]"),
    ({"type": "MultiPolygon", "coordinates": [""]}, "geometry.coordinates[0]"),
    ({"type": "LineString", "coordinates": [[1, 2]]}, "geometry.coordinates"),
    ({"type": "Polygon", "coordinates": [SQUARE[:-1]]}, "geometry.coordinates[0]"),
    ({"type": "Polygon", "coordinates": [SQUARE[:2] + [SQUARE[0]]]}, "geometry.coordinates[0]"),
    ({"type": "GeometryCollection", "geometries": [{"type": "Point", "coordinates": ["x", 1]}]},
     "geometry.geometries[0].coordinates[0]"),
])
def test_a_broken_geometry_is_named_by_the_path_of_its_fault(geometry, field):
    errors = geometry_errors(geometry)
    assert [e.field for e in errors] == [field]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in e.message) for e in errors)


@pytest.mark.parametrize("geometry", [
    {"type": "Point", "coordinates": [113.66, 34.72]},
    {"type": "LineString", "coordinates": SQUARE[:2]},
    {"type": "Polygon", "coordinates": [SQUARE]},
    {"type": "MultiPolygon", "coordinates": [[SQUARE]]},
    {"type": "MultiPolygon", "coordinates": []},
    {"type": "GeometryCollection", "geometries": [{"type": "Point", "coordinates": [1, 2, 3]}]},
])
def test_what_passes_can_be_read_by_shapely(geometry):
    assert geometry_errors(geometry) == []
    shape(geometry)


def test_more_vertices_than_a_place_may_have_are_refused():
    line = {"type": "LineString", "coordinates": [[113.6 + i * 1e-7, 34.7] for i in range(200_001)]}
    assert [e.field for e in geometry_errors(line)] == ["geometry.coordinates[200000]"]
