"""Viewport shapes of large layers: /api/wall/shapes/<layer>?bbox=w,s,e,n&zoom=z, on both backends."""

from __future__ import annotations

import copy
import math

import numpy as np
import orjson
import pytest
import shapely

from geo.store.transfer import copy_to_postgis
from geo.viewport import (
    BOX_CODE,
    BOX_PIXELS,
    DOT_CODE,
    DOT_PIXELS,
    FULL_DETAIL_ZOOM,
    TILE_PX,
    clipped_viewport,
    parse_viewport,
    tile_x,
    tile_y,
)
from geo.wall.codec import packed_geometry, unpack_ids
from web import create_app

URL = "/api/wall/shapes/courtyards"
NEAR = "113.655,34.715,113.67,34.725"  # around the three seeded courtyards


def _circle(x: float, y: float, r: float, n: int = 240) -> dict:
    ring = [[round(x + r * math.cos(2 * math.pi * i / n), 6), round(y + r * math.sin(2 * math.pi * i / n), 6)]
            for i in range(n)]
    return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}


@pytest.fixture
def viewport_app(public_app_on_both, seeded, campaign, clock, make_feature):
    from geo.store import open_store

    store = open_store(seeded, campaign, clock=clock)
    far = make_feature("远处的院", x=113.58, y=34.64)
    store.create("courtyards", far, user="张三")
    round_one = make_feature("圆形小区")
    round_one["geometry"] = _circle(113.668, 34.722, 0.002)
    store.create("courtyards", round_one, user="张三")
    return public_app_on_both()


def ids_of(doc: dict) -> list[str]:
    """A viewport's ids, packed as a whole layer's are (geo/wall/codec.py `pack_ids`)."""
    return unpack_ids(doc["ids"])


def _points(doc: dict) -> int:
    return len(doc["geometry"]["coords"]) // 2


def test_viewport_sends_only_the_places_in_the_covering_tiles(viewport_app):
    client = viewport_app.test_client()
    doc = client.get(f"{URL}?bbox={NEAR}&zoom=15&format=packed").get_json()
    assert doc["format"] == "packed-1" and doc["zoom"] == 15
    assert sorted(ids_of(doc)) == ["c-0001", "c-0002", "c-0003", "c-0005"]  # not c-0004, far away
    w, s, e, n = doc["bbox"]
    assert w <= 113.655 and s <= 34.715 and e >= 113.67 and n >= 34.725  # widened to whole tiles
    assert doc["name"][ids_of(doc).index("c-0003")] == "<img src=x onerror=alert(1)>"  # data, never markup
    everything = client.get(f"{URL}?bbox=113.5,34.6,113.75,34.8&zoom=12&format=packed").get_json()
    assert sorted(ids_of(everything)) == ["c-0001", "c-0002", "c-0003", "c-0004", "c-0005"]


def test_outlines_are_simplified_below_full_detail_and_exact_from_it(viewport_app):
    client = viewport_app.test_client()
    coarse = client.get(f"{URL}?bbox={NEAR}&zoom=13&format=packed").get_json()
    fine = client.get(f"{URL}?bbox={NEAR}&zoom={FULL_DETAIL_ZOOM}&format=packed").get_json()
    assert _points(coarse) < _points(fine) / 4
    assert coarse["scale"] < fine["scale"] == 10 ** 6
    store = viewport_app.extensions["guatu"].store
    exact = [store.get("courtyards", fid) for fid in ids_of(fine)]
    expected = orjson.loads(packed_geometry(exact, "courtyards", fine["revision"]))["geometry"]
    assert fine["geometry"] == expected  # full detail: the stored outlines, to the last micro-degree


def test_geojson_form_and_its_simplified_rings_stay_valid(viewport_app):
    from shapely.geometry import shape

    doc = viewport_app.test_client().get(f"{URL}?bbox={NEAR}&zoom=12").get_json()
    assert doc["type"] == "FeatureCollection" and doc["zoom"] == 12
    by_id = {f["id"]: f for f in doc["features"]}
    assert set(by_id["c-0005"]["properties"]) == {"name", "kind", "street", "community"}
    assert all(shape(f["geometry"]).is_valid and not shape(f["geometry"]).is_empty for f in doc["features"])
    assert len(by_id["c-0005"]["geometry"]["coordinates"][0]) < 60


@pytest.mark.parametrize("fmt", ["packed", "geojson", "binary"])
def test_a_large_view_is_compressed_as_it_is_written_and_sent_alike_either_way(viewport_app, fmt, monkeypatch):
    import gzip

    from geo.wall.codec import BINARY_MAGIC
    from web.core import cached, http

    monkeypatch.setattr(cached, "LARGE_BODY", 64)  # every view a large one: written in pieces, compressed as they come
    monkeypatch.setattr(http, "GZIP_FROM", 16)  # (and sent gzipped, small as the seeded views are)
    client = viewport_app.test_client()
    url = f"{URL}?bbox=113.5,34.6,113.75,34.8&zoom=12&format={fmt}"
    zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip" and zipped.data[8] == 4  # (XFL: compressed fast)
    body = client.get(url).get_data()
    assert gzip.decompress(zipped.data) == body
    kept = list(viewport_app.extensions["guatu"].viewports._items.values())
    assert len(kept) == 1 and kept[0].held_bytes() == len(kept[0].gzipped) < len(body)
    if fmt == "binary":
        assert body.startswith(BINARY_MAGIC)
    else:
        doc = orjson.loads(body)
        ids = [f["id"] for f in doc["features"]] if fmt == "geojson" else ids_of(doc)
        assert sorted(ids) == ["c-0001", "c-0002", "c-0003", "c-0004", "c-0005"]


def test_viewport_etag_follows_shapes_not_statuses(viewport_app):
    client = viewport_app.test_client()
    first = client.get(f"{URL}?bbox={NEAR}&zoom=14&format=packed")
    etag = first.headers["ETag"]
    assert client.get(f"{URL}?bbox={NEAR}&zoom=14&format=packed", headers={"If-None-Match": etag}).status_code == 304
    nudged = "113.6551,34.7151,113.6699,34.7249"  # a slightly moved view inside the same tiles: same answer
    assert client.get(f"{URL}?bbox={nudged}&zoom=14.5&format=packed").headers["ETag"] == etag
    store = viewport_app.extensions["guatu"].store
    store.update("courtyards", "c-0001", expected_version=1, user="李四", properties={"status": "accepted"})
    assert client.get(f"{URL}?bbox={NEAR}&zoom=14&format=packed", headers={"If-None-Match": etag}).status_code == 304
    moved = copy.deepcopy(store.get("courtyards", "c-0002")["geometry"])
    moved["coordinates"][0][1][0] += 0.0004
    store.update("courtyards", "c-0002", expected_version=1, user="李四", geometry=moved)
    again = client.get(f"{URL}?bbox={NEAR}&zoom=14&format=packed", headers={"If-None-Match": etag})
    assert again.status_code == 200 and again.headers["ETag"] != etag


def test_a_wall_screens_views_holding_the_whole_layer_are_one_view_and_one_past_its_edge_keeps_its_places(viewport_app):
    """A wall screen's view (its dots and boxes, no names) is cut to the tiles that hold the layer's places: two views
    that each hold the whole layer at a zoom are answered once, with one ETag (a wall zoomed back out to its
    district asks for the view its page opened on), and a view reaching past the layer's edge holds the places it
    met, in fewer tiles. A view with the names (a GIS client's, the editor's) is answered for the tiles asked."""
    client = viewport_app.test_client()
    store = viewport_app.extensions["guatu"].store
    geoms = {f["id"]: shapely.from_geojson(orjson.dumps(f["geometry"])) for f in store.features("courtyards")}
    west, south, east, north = shapely.total_bounds(list(geoms.values()))
    layer_tiles = [tile_x(west, 12), tile_y(north, 12), tile_x(east, 12), tile_y(south, 12)]
    wall = "format=binary&part=geometry&boxes=1"  # what a wall screen asks
    answers = [client.get(f"{URL}?bbox={box}&zoom=12&{wall}") for box in ("113.3,34.4,113.9,34.9", "113.45,34.55,114.3,35.2")]
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].headers["ETag"] == answers[1].headers["ETag"] and answers[0].data == answers[1].data
    head, _ = _binary(answers[0].data)
    assert head["tiles"] == layer_tiles and sorted(unpack_ids(head["ids"])) == sorted(geoms)
    wider = client.get(f"{URL}?bbox=113.2,34.3,114.0,35.0&zoom=12&{wall}", headers={"If-None-Match": answers[0].headers["ETag"]})
    assert wider.status_code == 304  # a third view of the whole layer: the screen's copy is still good
    named = client.get(f"{URL}?bbox=113.3,34.4,113.9,34.9&zoom=12&format=packed").get_json()
    assert named["tiles"] == list(parse_viewport("113.3,34.4,113.9,34.9", "12").tiles) != layer_tiles
    assert sorted(ids_of(named)) == sorted(geoms)
    # past the layer's east edge, at a zoom of small tiles: the places the asked tiles met, the tiles cut at the edge
    box = f"113.655,34.715,{east + 0.2:.3f},34.725"
    asked = parse_viewport(box, "15", "1")
    head, _ = _binary(client.get(f"{URL}?bbox={box}&zoom=15&{wall}").data)
    met = sorted(fid for fid, g in geoms.items() if g.intersects(shapely.box(*asked.bbox)))
    assert sorted(unpack_ids(head["ids"])) == met and len(met) >= 3
    assert head["tiles"][2] == tile_x(east, 15) < asked.tiles[2] and head["tiles"][:2] == list(asked.tiles[:2])


def test_a_view_is_cut_only_to_tiles_it_shares_with_the_layer():
    view = parse_viewport("113.6,34.7,113.7,34.8", "14")
    assert clipped_viewport(view, None) is view
    assert clipped_viewport(view, (100.0, 20.0, 101.0, 21.0)) is view  # no tile in common: as asked (nothing there)
    assert clipped_viewport(view, (113.0, 34.0, 114.0, 35.0)) is view  # the layer holds the view
    inner = clipped_viewport(view, (113.65, 34.75, 113.66, 34.76))
    assert inner.tiles == (tile_x(113.65, 14), tile_y(34.76, 14), tile_x(113.66, 14), tile_y(34.75, 14))
    assert inner.zoom == view.zoom and inner.boxes == view.boxes and inner.scale == view.scale


def test_bad_viewports_are_refused_with_the_field(viewport_app):
    client = viewport_app.test_client()
    # a query parameter is a 400 whoever refuses it: the request checks (unreadable) or the viewport's own
    # rules (a box turned inside out, a box too large for the zoom) — docs/http-errors.md
    for query, field in (("bbox=1,2,3&zoom=12", "bbox"), ("bbox=113.7,34.6,113.5,34.8&zoom=12", "bbox"),
                         (f"bbox={NEAR}&zoom=abc", "zoom"), (f"bbox={NEAR}&zoom=inf", "zoom"),
                         ("bbox=-180,-85,180,85&zoom=18", "bbox")):
        resp = client.get(f"{URL}?{query}")
        assert resp.status_code == 400, query
        assert resp.get_json()["fields"][0]["field"] == field
    assert client.get(f"/api/wall/shapes/parks?bbox={NEAR}&zoom=12").status_code == 404


def test_whole_layer_shapes_are_unchanged_without_a_bbox(viewport_app):
    doc = viewport_app.test_client().get(f"{URL}?format=packed").get_json()
    assert doc["count"] == 5 and "tiles" not in doc


def test_gcj02_viewport_is_shifted_both_ways(viewport_app):
    client = viewport_app.test_client()
    box = "113.65,34.71,113.69,34.73"
    plain = client.get(f"{URL}?bbox={box}&zoom=15&format=packed").get_json()
    shifted = client.get(f"{URL}?bbox={box}&zoom=15&format=packed&crs=gcj02").get_json()
    assert set(ids_of(shifted)) == set(ids_of(plain)) == {"c-0001", "c-0002", "c-0003", "c-0005"}
    assert shifted["geometry"]["coords"][0] != plain["geometry"]["coords"][0]


def test_tiles_and_tolerance_follow_the_zoom():
    low, high = parse_viewport("113.56,34.62,113.70,34.77", "11"), parse_viewport("113.6,34.7,113.61,34.71", "17")
    assert low.tolerance > 0 and high.tolerance == 0
    assert low.scale <= 10 ** 5 and high.scale == 10 ** 6
    x0, y0, x1, y1 = low.tiles
    assert (x1 - x0 + 1) * (y1 - y0 + 1) <= 4


def test_views_a_pan_apart_north_or_south_are_simplified_alike_and_never_by_more_than_a_pixel():
    views = [parse_viewport(f"113.56,{s:.2f},113.70,{s + 0.15:.2f}", "15") for s in (34.55, 34.62, 34.70, 34.85)]
    assert len({v.tolerance for v in views}) == 1 and len({v.scale for v in views}) == 1
    for v in views:
        pixel = 360.0 / (TILE_PX * 2 ** 15) * math.cos(math.radians((v.bbox[1] + v.bbox[3]) / 2))
        assert 2 ** -0.25 * pixel < v.tolerance <= pixel
    far = parse_viewport("113.56,45.00,113.70,45.15", "15")  # another band of latitudes: another step
    assert far.tolerance < views[0].tolerance


def test_places_too_small_to_see_come_as_dots_at_their_centres(viewport_app):
    client = viewport_app.test_client()
    store = viewport_app.extensions["guatu"].store
    low = client.get(f"{URL}?bbox={NEAR}&zoom=11&format=packed").get_json()
    types = dict(zip(ids_of(low), low["geometry"]["types"]))
    squares = {"c-0001", "c-0002", "c-0003"}  # 0.001° across: under 3 pixels at zoom 11
    assert {types[fid] for fid in squares} == {DOT_CODE}
    assert types["c-0005"] == 0  # the round courtyard, 0.004° across, keeps an outline
    coords, parts, scale = low["geometry"]["coords"], low["geometry"]["parts"], low["scale"]
    x = y = ci = pi = 0
    for fid, t in zip(ids_of(low), low["geometry"]["types"]):  # walk the packed layout to each dot's position
        if t == DOT_CODE:
            x, y = x + coords[ci], y + coords[ci + 1]
            ci += 2
            outline = shapely.from_geojson(orjson.dumps(store.get("courtyards", fid)["geometry"]))
            west, south, east, north = outline.bounds
            assert abs(x / scale - (west + east) / 2) <= 1 / scale and abs(y / scale - (south + north) / 2) <= 1 / scale, fid
            assert shapely.intersects(outline, shapely.Point(x / scale, y / scale)), fid
            continue
        rings = parts[pi]
        n = sum(parts[pi + 1:pi + 1 + rings])
        pi += 1 + rings
        for _ in range(n):
            x, y = x + coords[ci], y + coords[ci + 1]
            ci += 2
    near = client.get(f"{URL}?bbox={NEAR}&zoom=15&format=packed").get_json()
    assert DOT_CODE not in near["geometry"]["types"]


def _small_ones(doc: dict) -> dict[str, tuple]:
    """Each dot's and box's (type, centre, half sides) in degrees, walking the packed layout to them."""
    coords, parts, scale = doc["geometry"]["coords"], doc["geometry"]["parts"], doc["scale"]
    out, x, y, ci, pi = {}, 0, 0, 0, 0
    for fid, t in zip(ids_of(doc), doc["geometry"]["types"]):
        if t in (DOT_CODE, BOX_CODE):
            x, y = x + coords[ci], y + coords[ci + 1]
            ci += 2
            half = (0.0, 0.0)
            if t == BOX_CODE:
                half = (coords[ci] / scale, coords[ci + 1] / scale)
                x, y = x + coords[ci], y + coords[ci + 1]
                ci += 2
            out[fid] = (t, (x / scale - half[0], y / scale - half[1]), half)
            continue
        n = 1 if t == 4 else sum(parts[pi + 1:pi + 1 + parts[pi]]) if t == 0 else None
        assert n is not None, t  # (this layer holds polygons and points only)
        pi += 1 + parts[pi] if t == 0 else 0
        for _ in range(n):
            x, y = x + coords[ci], y + coords[ci + 1]
            ci += 2
    return out


@pytest.fixture
def boxes_app(public_app_on_both, seeded, campaign, clock, make_feature):
    """Beside the seeded squares (0.001° across), a diamond of the same size: half its bounding box's area."""
    from geo.store import open_store

    store = open_store(seeded, campaign, clock=clock)
    diamond = make_feature("菱形院")
    x, y, d = 113.664, 34.718, 0.0005
    diamond["geometry"] = {"type": "Polygon", "coordinates": [[[x, y - d], [x + d, y], [x, y + d], [x - d, y], [x, y - d]]]}
    store.create("courtyards", diamond, user="张三")
    return public_app_on_both()


def test_places_a_few_pixels_across_come_as_boxes_of_their_area(boxes_app):
    """At zoom 13 the squares and the diamond are some 6 by 7 pixels (between DOT_PIXELS and BOX_PIXELS): asked
    for with boxes, each comes as a box about its bounding box's centre, of the box's proportions and the place's
    own area (the square its own box, the diamond's sides shrunk by √½); at zoom 11 (under 2 px) they are dots, at
    14 (12 px) outlines again, and a page that does not ask for boxes (one loaded before they were sent) gets the
    outlines it can read."""
    client = boxes_app.test_client()
    store = boxes_app.extensions["guatu"].store
    across, up = parse_viewport(NEAR, "13", "1").pixel
    assert DOT_PIXELS < 0.001 / across < 0.001 / up < BOX_PIXELS  # (the test's premise, in screen pixels)
    doc = client.get(f"{URL}?bbox={NEAR}&zoom=13&format=packed&boxes=1").get_json()
    small = _small_ones(doc)
    (diamond,) = [f["id"] for f in store.features("courtyards") if f["properties"]["name"] == "菱形院"]
    assert set(small) == {"c-0001", "c-0002", "c-0003", diamond}  # not the round courtyard (0.004°: an outline)
    for fid, (code, centre, half) in small.items():
        outline = shapely.from_geojson(orjson.dumps(store.get("courtyards", fid)["geometry"]))
        west, south, east, north = outline.bounds
        k = math.sqrt(outline.area / ((east - west) * (north - south)))
        assert code == BOX_CODE, fid
        assert centre == pytest.approx(((west + east) / 2, (south + north) / 2), abs=2 / doc["scale"]), fid
        assert half == pytest.approx((k * (east - west) / 2, k * (north - south) / 2), abs=2 / doc["scale"]), fid
    assert small[diamond][2][0] == pytest.approx(0.0005 * math.sqrt(0.5), abs=2 / doc["scale"])
    binary = client.get(f"{URL}?bbox={NEAR}&zoom=13&format=binary&part=geometry&boxes=1")  # the wall's form
    assert binary.status_code == 200
    out = client.get(f"{URL}?bbox={NEAR}&zoom=11&format=packed&boxes=1").get_json()
    assert {code for code, _, _ in _small_ones(out).values()} == {DOT_CODE}
    near = client.get(f"{URL}?bbox={NEAR}&zoom=14&format=packed&boxes=1").get_json()
    assert not set(near["geometry"]["types"]) & {DOT_CODE, BOX_CODE}
    plain = client.get(f"{URL}?bbox={NEAR}&zoom=13&format=packed").get_json()
    assert not set(plain["geometry"]["types"]) & {DOT_CODE, BOX_CODE} and sorted(ids_of(plain)) == sorted(ids_of(doc))
    assert plain["geometry"]["types"].count(0) == len(ids_of(plain))  # every place an outline (a Polygon)


def test_boxes_is_asked_for_with_0_or_1_only(boxes_app):
    resp = boxes_app.test_client().get(f"{URL}?bbox={NEAR}&zoom=13&format=packed&boxes=yes")
    assert resp.status_code == 400
    (field,) = resp.get_json()["fields"]
    assert field["field"] == "boxes" and "0" in field["message"] and "1" in field["message"]


def test_a_viewport_asked_for_around_the_documents_check_still_refuses_another_boxes():
    """(The API's document refuses it first, above; the viewport's own parsing, which other callers use, too.)"""
    from geo.errors import BadParameters

    with pytest.raises(BadParameters) as refused:
        parse_viewport(NEAR, "13", "yes")
    assert refused.value.errors[0].field == "boxes" and "应为 0 或 1" in refused.value.errors[0].message


def test_binary_geometry_only_viewport_carries_the_same_coordinates(viewport_app):
    client = viewport_app.test_client()
    packed = client.get(f"{URL}?bbox={NEAR}&zoom=14&format=packed").get_json()
    resp = client.get(f"{URL}?bbox={NEAR}&zoom=14&format=binary&part=geometry")
    assert resp.status_code == 200 and resp.mimetype == "application/octet-stream"
    body = resp.data
    assert body[:4] == b"GTU1"
    size = int.from_bytes(body[4:8], "little")
    head = orjson.loads(body[8:8 + size])
    n = head["geometry"]["n"]
    planes = np.frombuffer(body[8 + size:], dtype=np.uint8).reshape(4, n).T.copy()
    coords = planes.view("<i4").reshape(-1)
    assert coords.tolist() == packed["geometry"]["coords"]
    assert head["ids"] == packed["ids"] and head["geometry"]["types"] == packed["geometry"]["types"]
    assert "name" not in head and "name" in packed
    assert resp.headers["ETag"] != client.get(f"{URL}?bbox={NEAR}&zoom=14&format=packed").headers["ETag"]
    assert client.get(f"{URL}?bbox={NEAR}&zoom=14&part=geometry").status_code == 400  # GeoJSON always has properties
    assert client.get(f"{URL}?bbox={NEAR}&zoom=14&format=svg").status_code == 400


def test_viewport_keeps_to_a_wall_screens_sub_district(viewport_app):
    client = viewport_app.test_client()
    store = viewport_app.extensions["guatu"].store
    store.update("courtyards", "c-0002", expected_version=1, user="李四", properties={"street": "大学路街道"})
    everything = client.get(f"{URL}?bbox={NEAR}&zoom=14&format=packed").get_json()
    scoped = client.get(f"{URL}?bbox={NEAR}&zoom=14&format=packed&street=大学路街道")
    assert ids_of(scoped.get_json()) == ["c-0002"] and len(ids_of(everything)) > 1
    assert scoped.headers["ETag"] != client.get(f"{URL}?bbox={NEAR}&zoom=14&format=packed").headers["ETag"]


def test_place_card_says_where_the_place_is(viewport_app):
    client = viewport_app.test_client()
    card = client.get("/api/wall/place/courtyards/c-0001").get_json()
    geometry = viewport_app.extensions["guatu"].store.get("courtyards", "c-0001")["geometry"]
    assert card["bbox"] == pytest.approx(list(shapely.bounds(shapely.from_geojson(orjson.dumps(geometry)))))
    shifted = client.get("/api/wall/place/courtyards/c-0001?crs=gcj02").get_json()["bbox"]
    assert 0.001 < shifted[0] - card["bbox"][0] < 0.01  # GCJ-02 lies a few hundred metres east of WGS84 here


@pytest.fixture
def both_stores(seeded, campaign, clock, instance_dir, make_feature, postgis_url, postgis_schema, tmp_path):
    """The same campaign served from the embedded store and from PostGIS."""
    from geo.store import open_store

    store = open_store(seeded, campaign, clock=clock)
    store.create("courtyards", make_feature("远处的院", x=113.58, y=34.64), user="张三")
    round_one = make_feature("圆形小区")
    round_one["geometry"] = _circle(113.668, 34.722, 0.0004)  # a dot at zooms 11 and 12
    store.create("courtyards", round_one, user="张三")
    store.update("courtyards", "c-0002", expected_version=1, user="李四", properties={"street": "大学路街道"})
    copy_to_postgis(seeded, campaign, postgis_url, schema=postgis_schema)
    config = {"TESTING": True, "GUATU_DATA": str(seeded), "GUATU_CLOCK": clock, "GUATU_PUBLIC_VIEW": True}
    apps = [create_app({**config, "GUATU_INSTANCE": str(instance_dir)}),
            create_app({**config, "GUATU_INSTANCE": str(tmp_path / "pg-instance"), "GUATU_DATABASE_URL": postgis_url,
                        "GUATU_DATABASE_SCHEMA": postgis_schema})]
    yield [app.test_client() for app in apps]
    for app in apps:
        app.extensions["guatu"].store.close()


WIDE = "113.5,34.6,113.75,34.8"
ALL = {"c-0001", "c-0002", "c-0003", "c-0004", "c-0005"}


def _binary(body: bytes) -> tuple[dict, list[int]]:
    size = int.from_bytes(body[4:8], "little")
    head = orjson.loads(body[8:8 + size])
    planes = np.frombuffer(body[8 + size:], dtype=np.uint8).reshape(4, head["geometry"]["n"]).T.copy()
    return head, planes.view("<i4").reshape(-1).tolist()


def test_both_stores_send_the_same_viewport_at_every_zoom_with_or_without_names(both_stores):
    """PostGIS simplifies in SQL only what the embedded store simplifies with shapely: not a place sent as a dot
    (its dot is then the centre of its whole outline's box), nor a ring of four corners; a geometry-only answer
    asks the database for no names unless a sub-district's screen needs them to keep to its places. (Zooms at
    which a curved outline is simplified are left out: the two stores' GEOS libraries may differ by a vertex.)"""
    embedded, postgis = both_stores
    for zoom, bbox, ids in ((11, WIDE, ALL), (12, WIDE, ALL), (FULL_DETAIL_ZOOM, NEAR, ALL - {"c-0004"})):
        for query in ("format=packed", "format=binary&part=geometry", "format=binary&part=geometry&boxes=1",
                      "format=binary&part=geometry&street=大学路街道"):
            a, b = (c.get(f"{URL}?bbox={bbox}&zoom={zoom}&{query}") for c in (embedded, postgis))
            assert a.status_code == b.status_code == 200, (zoom, query)
            if query.startswith("format=packed"):
                one, other = a.get_json(), b.get_json()
            else:
                (one, coords), (other, more) = _binary(a.data), _binary(b.data)
                assert coords == more, (zoom, query)
            for doc in (one, other):
                doc.pop("revision")  # each store's own count of changes
            assert one == other, (zoom, query)
            assert set(ids_of(one)) == ({"c-0002"} if "street" in query else ids), (zoom, query)
