"""GeoJSON geometries read as shapely geometries many at a time (geo/shapes.py): the same geometries as shapely
reads them in one call, in order across the chunks, a missing geometry left missing, a broken one refused or
left out as asked."""

from __future__ import annotations

import orjson
import pytest
import shapely
from shapely.errors import GEOSException

from geo import shapes

KINDS = [
    {"type": "Point", "coordinates": [113.6, 34.7]},
    {"type": "LineString", "coordinates": [[113.6, 34.7], [113.61, 34.71]]},
    {"type": "Polygon", "coordinates": [[[113.6, 34.7], [113.61, 34.7], [113.61, 34.71], [113.6, 34.7]],
                                        [[113.602, 34.702], [113.604, 34.702], [113.604, 34.704], [113.602, 34.702]]]},
    {"type": "MultiPolygon", "coordinates": [[[[113.7, 34.7], [113.71, 34.7], [113.71, 34.71], [113.7, 34.7]]]]},
]


def test_many_geometries_read_in_chunks_are_those_shapely_reads_in_one_call_in_order():
    geometries = []
    for i in range(2 * shapes.CHUNK + 37):  # across two chunk boundaries
        g = KINDS[i % len(KINDS)]
        geometries.append({**g, "coordinates": _shifted(g["coordinates"], i * 1e-4)})  # each its own place
    geometries[5] = None
    read = shapes.from_geojson(geometries)
    whole = shapely.from_geojson([orjson.dumps(g) if g else None for g in geometries])
    assert read.dtype == object and len(read) == len(geometries)
    assert [g is None for g in read] == [g is None for g in geometries]  # (every chunk read, the last one too)
    assert all(shapely.equals_exact(a, b, 0) for a, b in zip(read, whole, strict=True) if a is not None)
    assert [g.geom_type for g in read[:4] if g is not None] == ["Point", "LineString", "Polygon", "MultiPolygon"]
    assert shapes.from_geojson([orjson.dumps(KINDS[0]).decode()])[0].equals(shapely.Point(113.6, 34.7))  # JSON text
    assert len(shapes.from_geojson([])) == 0


def test_a_broken_geometry_is_refused_or_left_out_as_asked():
    broken = {"type": "Polygon", "coordinates": "nowhere"}
    with pytest.raises(GEOSException):
        shapes.from_geojson([KINDS[0], broken])
    kept = shapes.from_geojson([KINDS[0], broken], on_invalid="ignore")
    assert kept[0].equals(shapely.Point(113.6, 34.7)) and kept[1] is None
    lists = shapes.from_geojson([[1, 2], [3, 4]], on_invalid="ignore")  # not geometries: none read, not a 2-D array
    assert lists.shape == (2,) and list(lists) == [None, None]


def _shifted(coords, d):
    if isinstance(coords[0], (int, float)):
        return [coords[0] + d, coords[1]]
    return [_shifted(c, d) for c in coords]
