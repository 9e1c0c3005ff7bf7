"""The files tests/js/ decodes with the front end's modules, made by geo's own codec (geo/wall/codec.py).

`python -m tests.js.codec_fixtures` writes them into tests/js/fixtures/; `test_codec_fixtures.py` checks that
the committed files are still exactly what the codec makes, so the JavaScript decoders are tested against
today's format, not a copy of it.

The places cover every geometry type, a polygon with a hole, a multipolygon, coordinates on both sides of 0
(negative deltas cross every byte plane of the binary form) and numbered ids (packed as steps).
`expected.json` holds the same places as the decoders should rebuild them: per place its id, its type code
and its rings (open, lng/lat pairs flattened), worked out here from the input, not from the codec.
"""

from __future__ import annotations

import json
from pathlib import Path

from geo.wall.codec import GEOMETRY_CODES, packed_attributes, packed_geometry

FIXTURES = Path(__file__).resolve().parent / "fixtures"

SQUARE = [[113.6, 34.7], [113.601, 34.7], [113.601, 34.701], [113.6, 34.701], [113.6, 34.7]]
HOLE = [[113.6002, 34.7002], [113.6004, 34.7002], [113.6004, 34.7004], [113.6002, 34.7002]]
FEATURES = [
    {"id": "c-000001", "geometry": {"type": "Polygon", "coordinates": [SQUARE, HOLE]},
     "properties": {"name": "一号院", "kind": "小区", "street": "大学路街道", "community": "幸福社区"}},
    {"id": "c-000003", "geometry": {"type": "MultiPolygon", "coordinates": [
        [[[-70.5, -33.4], [-70.49, -33.4], [-70.49, -33.39], [-70.5, -33.4]]],
        [[[113.61, 34.71], [113.62, 34.71], [113.62, 34.72], [113.61, 34.71]]]]},
     "properties": {"name": "二号院", "kind": "单位院落", "street": "大学路街道", "community": None}},
    {"id": "c-000010", "geometry": {"type": "LineString", "coordinates": [[113.6, 34.7], [113.7, 34.8], [113.65, 34.75]]},
     "properties": {"name": "文化路", "kind": "道路", "street": "建设路街道", "community": "幸福社区"}},
    {"id": "c-000011", "geometry": {"type": "MultiLineString", "coordinates": [[[1.5, 2.5], [-1.5, -2.5]],
                                                                             [[179.999999, 89.0], [-179.999999, -89.0]]]},
     "properties": {"name": "", "kind": None, "street": None, "community": None}},
    {"id": "c-000012", "geometry": {"type": "Point", "coordinates": [113.654321, 34.765432]},
     "properties": {"name": "公厕", "kind": "设施", "street": "建设路街道", "community": "和平社区"}},
    {"id": "c-000100", "geometry": {"type": "MultiPoint", "coordinates": [[113.0, 34.0], [114.0, 35.0]]},
     "properties": {"name": "垃圾点", "kind": "设施", "street": "建设路街道", "community": "和平社区"}},
]


def _open(ring: list) -> list:
    return ring[:-1] if len(ring) > 3 and ring[0] == ring[-1] else ring


def _flat(points: list) -> list[float]:
    return [round(v, 6) for p in points for v in p[:2]]


def expected() -> list[dict]:
    """Each place as the decoders should give it back: id, type code, rings (and rings per polygon)."""
    out = []
    for f in FEATURES:
        g = f["geometry"]
        kind, c = g["type"], g["coordinates"]
        polys = None
        if kind == "Polygon":
            rings = [_flat(_open(r)) for r in c]
        elif kind == "MultiPolygon":
            rings = [_flat(_open(r)) for poly in c for r in poly]
            polys = [len(poly) for poly in c]
        elif kind in ("LineString", "MultiPoint"):
            rings = [_flat(c)]
        elif kind == "MultiLineString":
            rings = [_flat(line) for line in c]
        else:
            rings = [_flat([c])]
        out.append({"id": f["id"], "type": GEOMETRY_CODES[kind], "rings": rings, "polys": polys,
                    "properties": f["properties"]})
    return out


def files() -> dict[str, bytes]:
    """Every fixture file by name, as the codec makes it today."""
    return {
        "shapes.bin": packed_geometry(FEATURES, "courtyards", 7, binary=True),
        "shapes.json": packed_geometry(FEATURES, "courtyards", 7),
        "attributes.json": packed_attributes(FEATURES, "courtyards", 7),
        "expected.json": json.dumps(expected(), ensure_ascii=False, indent=1).encode() + b"\n",
    }


def main() -> None:
    FIXTURES.mkdir(exist_ok=True)
    for name, data in files().items():
        (FIXTURES / name).write_bytes(data)


if __name__ == "__main__":
    main()
