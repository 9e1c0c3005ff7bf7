"""Vector tiles of a layer (geo/tiles.py): both stores make the same features, in the right place, clipped to the
tile with its buffer, with the place's id and nothing that changes with a status; bad tiles are refused."""

from __future__ import annotations

import json
import math
import subprocess

import mapbox_vector_tile
import pytest

from geo.errors import ValidationError
from geo.tiles import BUFFER, EXTENT, Tile, vector_tile
from geo.viewport import ViewportIndex

LAYER = "courtyards"
Z = 16


def tile_of(lon: float, lat: float, z: int = Z) -> tuple[int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def units(lon: float, lat: float, tile: Tile) -> tuple[float, float]:
    """Where (lon, lat) falls in the tile, in tile units, y up from the tile's bottom (as the decoder gives it)."""
    n = 2**tile.z
    fx = (lon + 180) / 360 * n - tile.x
    fy = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n - tile.y
    return fx * EXTENT, (1 - fy) * EXTENT


def decoded(store, tile: Tile) -> dict[str, dict]:
    revision = store.layer_revision(LAYER)
    data = vector_tile(store, ViewportIndex(store), LAYER, revision, tile)
    layers = mapbox_vector_tile.decode(data)
    assert set(layers) <= {LAYER}
    return {f["properties"]["id"]: f for f in (layers.get(LAYER) or {"features": []})["features"]}


@pytest.fixture(params=["geojson", "postgis"])
def store(request, store_factory):
    return store_factory(request.param)


def test_a_tile_holds_each_place_meeting_it_with_its_id_where_it_lies(store, make_feature):
    x0, y0 = 113.6301, 34.7201
    inside = store.create(LAYER, make_feature(x=x0, y=y0, size=0.0004), user="t").feature
    far = store.create(LAYER, make_feature(x=113.70, y=34.78), user="t").feature
    tile = Tile.of(Z, *tile_of(x0 + 0.0002, y0 + 0.0002))
    found = decoded(store, tile)
    assert set(found) == {inside["id"]} and far["id"] not in found
    feature = found[inside["id"]]
    assert feature["properties"] == {"id": inside["id"]}  # no status, no name: those come from the wall state
    assert feature["geometry"]["type"] == "Polygon"
    ring = feature["geometry"]["coordinates"][0]
    corners = [units(x0, y0, tile), units(x0 + 0.0004, y0 + 0.0004, tile)]
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    assert min(xs) == pytest.approx(corners[0][0], abs=1) and max(xs) == pytest.approx(corners[1][0], abs=1)
    assert min(ys) == pytest.approx(corners[0][1], abs=1) and max(ys) == pytest.approx(corners[1][1], abs=1)


def test_a_place_larger_than_the_tile_is_clipped_to_the_tile_and_its_buffer(store, make_feature):
    big = store.create(LAYER, make_feature(x=113.60, y=34.70, size=0.04), user="t").feature
    tile = Tile.of(Z, *tile_of(113.625, 34.725))
    ring = decoded(store, tile)[big["id"]]["geometry"]["coordinates"][0]
    for x, y in ring:
        assert -BUFFER - 1 <= x <= EXTENT + BUFFER + 1 and -BUFFER - 1 <= y <= EXTENT + BUFFER + 1


def test_both_stores_make_the_same_tile(store_factory, make_feature):
    stores = [store_factory("geojson"), store_factory("postgis")]
    for s in stores:
        for i in range(6):
            s.create(LAYER, make_feature(name=f"院{i}", x=113.6300 + i * 0.0011, y=34.7200 + (i % 2) * 0.0013,
                                         size=0.0009), user="t")
    for z in (13, 15, 17):
        tile = Tile.of(z, *tile_of(113.6330, 34.7210, z))
        geojson, postgis = (decoded(s, tile) for s in stores)
        assert set(geojson) == set(postgis) and geojson
        for fid, feature in geojson.items():
            a = feature["geometry"]["coordinates"][0]
            b = postgis[fid]["geometry"]["coordinates"][0]
            box = lambda ring: [min(p[0] for p in ring), min(p[1] for p in ring),  # noqa: E731
                                max(p[0] for p in ring), max(p[1] for p in ring)]
            assert box(a) == pytest.approx(box(b), abs=1.01)


def test_below_full_detail_a_place_too_small_to_see_is_a_point_at_its_centre(store, make_feature):
    """A 20 m courtyard is half a pixel at zoom 12: a point at the centre of its box; from zoom 17 its outline."""
    x0, y0, size = 113.6301, 34.7201, 0.0002
    place = store.create(LAYER, make_feature(x=x0, y=y0, size=size), user="t").feature
    far = Tile.of(12, *tile_of(x0, y0, 12))
    dot = decoded(store, far)[place["id"]]["geometry"]
    assert dot["type"] == "Point"
    cx, cy = units(x0 + size / 2, y0 + size / 2, far)
    assert dot["coordinates"] == [pytest.approx(cx, abs=1), pytest.approx(cy, abs=1)]
    near = Tile.of(17, *tile_of(x0, y0, 17))
    assert decoded(store, near)[place["id"]]["geometry"]["type"] == "Polygon"


def lon_lat(ux: float, uy: float, tile: Tile) -> tuple[float, float]:
    """The inverse of `units`."""
    n = 2**tile.z
    fx, fy = tile.x + ux / EXTENT, tile.y + (1 - uy / EXTENT)
    return fx / n * 360 - 180, math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * fy / n))))


def test_far_out_the_points_of_one_pixel_are_one_with_their_count(store_factory, make_feature):
    """Four courtyards a metre apart in the middle of one pixel of a zoom-12 tile, one in the next pixel: two
    points — the first place's id with `count` 4, and the other alone — on both stores alike."""
    probe = Tile.of(12, *tile_of(113.6301, 34.7201, 12))
    made = {}
    for backend in ("geojson", "postgis"):
        store = store_factory(backend)
        ids = []
        for i, (px, py) in enumerate([(100.5, 100.5)] * 4 + [(102.5, 100.5)]):
            lon, lat = lon_lat(px * 16 + i % 4 * 0.5, py * 16, probe)
            ids.append(store.create(LAYER, make_feature(name=f"院{i}", x=lon - 0.000005, y=lat - 0.000005,
                                                        size=0.00001), user="t").feature["id"])
        found = decoded(store, probe)
        made[backend] = {fid: (f["geometry"]["type"], f["properties"].get("count")) for fid, f in found.items()}
        assert made[backend] == {ids[0]: ("Point", 4), ids[4]: ("Point", None)}
    assert made["geojson"] == made["postgis"]


def test_a_status_change_does_not_change_a_tile_and_an_outline_does(store, make_feature):
    place = store.create(LAYER, make_feature(x=113.6301, y=34.7201, size=0.0004), user="t").feature
    tile = Tile.of(Z, *tile_of(113.6303, 34.7203))
    before = decoded(store, tile)
    store.update(LAYER, place["id"], expected_version=1, user="t", properties={"status": "accepted"})
    assert decoded(store, tile) == before
    moved = make_feature(x=113.6302, y=34.7202, size=0.0002)["geometry"]
    store.update(LAYER, place["id"], expected_version=2, user="t", geometry=moved)
    assert decoded(store, tile) != before


def test_a_tile_of_a_screens_scope_holds_only_its_places(store, make_feature):
    ours = store.create(LAYER, make_feature(x=113.6301, y=34.7201, size=0.0003, street="大学路街道",
                                            community="金桥社区"), user="t").feature
    theirs = store.create(LAYER, make_feature(x=113.6306, y=34.7201, size=0.0003, street="福华街街道"),
                          user="t").feature
    tile = Tile.of(Z, *tile_of(113.6303, 34.7202))
    revision = store.layer_revision(LAYER)

    def ids(**scope) -> set[str]:
        layers = mapbox_vector_tile.decode(vector_tile(store, None, LAYER, revision, tile, **scope))
        return {f["properties"]["id"] for f in (layers.get(LAYER) or {"features": []})["features"]}

    assert ids() == {ours["id"], theirs["id"]}
    assert ids(street="大学路街道") == {ours["id"]} == ids(street="大学路街道", community="金桥社区")
    assert ids(community="祥和社区") == set()


def test_an_empty_tile_is_an_empty_answer(store):
    assert vector_tile(store, None, LAYER, store.layer_revision(LAYER), Tile.of(3, 0, 0)) == b""


@pytest.mark.parametrize(("z", "x", "y"), [(-1, 0, 0), (25, 0, 0), (3, 8, 0), (3, 0, -1), (0, 1, 0)])
def test_a_tile_outside_the_grid_is_refused(z, x, y):
    with pytest.raises(ValidationError) as caught:
        Tile.of(z, x, y)
    assert "瓦片" in str(caught.value.errors) or "缩放" in str(caught.value.errors)


READ_IN_NODE = """
import { readFileSync } from "node:fs";
import { readTile } from "%s";
const tile = readTile(readFileSync(process.argv[1]), process.argv[2]);
console.log(JSON.stringify({ extent: tile.extent, features: tile.features.map((f) => (
  { id: f.id, type: f.type, count: f.count, rings: f.rings.map((r) => Array.from(r)), box: f.box })) }));
"""


def read_in_node(data: bytes, tmp_path) -> dict:
    """The tile as the wall's page reads it (web/static/js/wall/mvt.js), in node."""
    from pathlib import Path

    module = Path(__file__).resolve().parents[1] / "web" / "static" / "js" / "wall" / "mvt.js"
    (tmp_path / "t.mvt").write_bytes(data)
    run = subprocess.run(["node", "--input-type=module", "-e", READ_IN_NODE % module.as_uri(), str(tmp_path / "t.mvt"),
                          LAYER], capture_output=True, text=True, check=True, timeout=60)
    return json.loads(run.stdout)


def test_the_walls_reader_reads_each_place_of_a_tile_as_mapbox_vector_tile_does(store, make_feature, tmp_path):
    """web/static/js/wall/mvt.js against mapbox-vector-tile's decoder, on a tile of outlines, a hole, a road, a
    place cut at the tile's edge and points of several places (their `count`), made by either store."""
    x0, y0 = 113.6301, 34.7201
    made = [store.create(LAYER, make_feature(name=f"院{i}", x=x0 + i * 0.0007, y=y0, size=0.0005), user="t").feature
            for i in range(3)]
    ring = [[x0, y0 + 0.001], [x0 + 0.001, y0 + 0.001], [x0 + 0.001, y0 + 0.002], [x0, y0 + 0.002], [x0, y0 + 0.001]]
    hole = [[x0 + 0.0003, y0 + 0.0013], [x0 + 0.0003, y0 + 0.0017], [x0 + 0.0007, y0 + 0.0017], [x0 + 0.0007, y0 + 0.0013],
            [x0 + 0.0003, y0 + 0.0013]]
    holed = store.create(LAYER, {"properties": {"name": "回字院", "kind": "楼院", "status": "pending"},
                                 "geometry": {"type": "Polygon", "coordinates": [ring, hole]}}, user="t").feature
    edge = store.create(LAYER, make_feature(name="跨界院", x=x0 - 0.01, y=y0 - 0.01, size=0.03), user="t").feature
    for z in (16, 12):
        tile = Tile.of(z, *tile_of(x0, y0, z))
        data = vector_tile(store, ViewportIndex(store), LAYER, store.layer_revision(LAYER), tile)
        theirs = mapbox_vector_tile.decode(data, default_options={"y_coord_down": True})[LAYER]
        ours = read_in_node(data, tmp_path)
        assert ours["extent"] == theirs["extent"] == EXTENT
        assert [f["id"] for f in ours["features"]] == [f["properties"]["id"] for f in theirs["features"]]
        for mine, want in zip(ours["features"], theirs["features"], strict=True):
            geometry = want["geometry"]
            kind = {"Point": 1, "MultiPoint": 1, "LineString": 2, "MultiLineString": 2, "Polygon": 3, "MultiPolygon": 3}
            assert mine["type"] == kind[geometry["type"]] and mine["count"] == want["properties"].get("count", 1)
            rings = {"Point": lambda c: [[c]], "Polygon": lambda c: c, "MultiPolygon": lambda c: [r for p in c for r in p],
                     "LineString": lambda c: [c]}[geometry["type"]](geometry["coordinates"])
            # mapbox-vector-tile repeats a ring's first position at its end; the wall's reader closes rings itself
            flat = [[v for xy in (r[:-1] if geometry["type"] in ("Polygon", "MultiPolygon") else r) for v in xy]
                    for r in rings]
            assert mine["rings"] == flat, mine["id"]
            xs, ys = [v for r in flat for v in r[0::2]], [v for r in flat for v in r[1::2]]
            assert mine["box"] == [min(xs), min(ys), max(xs), max(ys)]
        if z == 16:
            ids = {f["id"]: f for f in ours["features"]}
            assert {p["id"] for p in made} | {holed["id"], edge["id"]} <= set(ids)
            assert len(ids[holed["id"]]["rings"]) == 2
            assert min(ids[edge["id"]]["box"][:2]) < 0 < EXTENT < max(ids[edge["id"]]["box"][2:])  # cut in the buffer
