"""A database layer's viewport found from its kept boxes (geo/viewport.py `_dots_from_boxes`) is the query's answer.

At a district's zoom nearly every place of a large layer is a dot or a box, and the query that finds them reads every
row of the district. PostGIS keeps each layer's boxes and areas per shapes revision instead: a dot or box inside the
view is taken from them, and the database is asked only for the places along the view's edge and for the outlines.
Whatever the way, the answer must be the query's, to the bit, and the embedded store's.
"""

from __future__ import annotations

import logging

import numpy as np
import orjson
import psycopg
import pytest
import shapely

from geo.store import Op
from geo.store import postgis as postgis_store
from geo.viewport import (
    NumberedIds,
    ViewportIndex,
    _dots_from_boxes,
    geojson_viewport,
    packed_viewport,
    parse_viewport,
    tile_lat,
    tile_lon,
    tile_x,
    tile_y,
    viewport_chunks,
    viewport_shapes,
)
from web.core.cached import Cached

LAYER = "courtyards"
# a corner of web-map tiles at zooms 13 and 14, near the demo's district: a view is widened to whole tiles, so a
# view of the tile north-east of it has its west and south edges here
EDGE_X = tile_lon(tile_x(113.60, 12) * 2 + 1, 13)
EDGE_Y = tile_lat(tile_y(34.70, 12) * 2 + 1, 13)
STEP, SIZE = 0.0006, 0.00015  # a grid of squares, each a dot up to zoom 14 (3 px: about 0.0002°), a box at 15
STREETS, COMMUNITIES = ("大学路街道", "建设路街道", ""), ("幸福社区", None, "和平社区", "幸福社区")  # (as written)


def _grid(make_feature) -> list[dict]:
    """20 × 12 small squares around the corner, the middle ones across its edges; two large ones (outlines at
    every zoom); and a small triangle whose box holds the corner while the triangle lies south-west of it."""
    out = [make_feature(name=f"院{i:03d}", x=EDGE_X + (i % 20 - 10) * STEP - SIZE / 3,
                        y=EDGE_Y + (i // 20 - 6) * STEP - SIZE / 3, size=SIZE, street=STREETS[i % 3],
                        community=COMMUNITIES[i % 4]) for i in range(240)]
    out += [make_feature(name="大院一", x=EDGE_X + 0.001, y=EDGE_Y + 0.001, size=0.002),
            make_feature(name="大院二", x=EDGE_X - 0.004, y=EDGE_Y - 0.003, size=0.0025)]
    corner = make_feature(name="三角院")
    x, y, d = EDGE_X - 0.0002, EDGE_Y - 0.0002, 0.0003
    corner["geometry"] = {"type": "Polygon", "coordinates": [[[x, y], [x + d, y], [x, y + d], [x, y]]]}
    out.append(corner)
    return out


@pytest.fixture
def stores(store_factory, make_feature):
    embedded, postgis = store_factory("geojson"), store_factory("postgis")
    ops = [Op("create", LAYER, properties=f["properties"], geometry=f["geometry"]) for f in _grid(make_feature)]
    for store in (embedded, postgis):
        store.apply(ops, user="alice")
    return embedded, postgis


def _near(zoom: int, dx: float, dy: float) -> tuple[int, tuple]:
    """A view at `zoom` of the tile beside the corner, on the side of (dx, dy)."""
    x, y = EDGE_X + dx, EDGE_Y + dy
    return zoom, (x - 1e-6, y - 1e-6, x + 1e-6, y + 1e-6)


VIEWS = [_near(13, 0.001, 0.001), _near(13, -0.001, -0.001), _near(14, 0.001, 0.001), _near(14, -0.001, 0.001),
         _near(15, 0.001, 0.001), _near(15, -0.001, -0.001), (12, (EDGE_X - 0.01, EDGE_Y - 0.01, EDGE_X + 0.01, EDGE_Y + 0.01))]


def _answer(store, index, view):
    ids, props, geoms, dots = viewport_shapes(store, index, LAYER, 1, view, attributes=False, dots=True)
    return (ids, props, [None if g is None else shapely.to_wkb(g, hex=True) for g in geoms], dots.mask.tolist(), dots.xy,
            dots.half)


def _same(one, other) -> bool:
    return one[:4] == other[:4] and np.array_equal(one[4], other[4], equal_nan=True) and np.array_equal(one[5], other[5])


@pytest.mark.parametrize("zoom, box", VIEWS)
def test_the_kept_boxes_answer_as_the_query_and_as_the_embedded_store(stores, zoom, box):
    embedded, postgis = stores
    view = parse_viewport(",".join(map(str, box)), str(zoom), "1")
    index = ViewportIndex(postgis)
    kept = _answer(postgis, index, view)
    assert _dots_from_boxes(postgis, index.boxes(LAYER, 1), LAYER, view) is not None  # the boxes' way was taken
    assert any(kept[3]) and (zoom == 12 or len(kept[0]) < 243)  # dots, and a view beside the corner leaves places out
    boxed = {fid for fid, half in zip(kept[0], kept[5]) if half.any()}
    squares = {f"c-{n:04d}" for n in range(1, 241)}
    assert bool(boxed & squares) == (zoom == 15)  # the squares are boxes at zoom 15, dots further out
    assert _same(kept, _answer(postgis, None, view))  # the query's answer, to the bit
    local = _answer(embedded, ViewportIndex(embedded), view)
    assert local[0] == kept[0] and local[3] == kept[3] and np.array_equal(local[4], kept[4], equal_nan=True)
    assert local[5] == pytest.approx(kept[5], rel=1e-9)  # (GEOS's area and PostGIS's may differ in the last bits)
    plain = parse_viewport(",".join(map(str, box)), str(zoom))  # a page that draws no boxes: none, the three ways
    for answer in (_answer(postgis, index, plain), _answer(postgis, None, plain), _answer(embedded, None, plain)):
        assert not answer[5].any() and [fid for fid, dot in zip(answer[0], answer[3]) if dot] == [
            fid for fid, dot, half in zip(kept[0], kept[3], kept[5]) if dot and not half.any()]


def test_the_views_cut_the_grid_and_the_triangles_box(stores):
    """Not vacuous: some view's edge crosses squares (found by the exact test), and one holds the triangle's box but
    not the triangle, which both ways leave out."""
    _, postgis = stores
    index = ViewportIndex(postgis)
    boxes = index.boxes(LAYER, 1)
    triangle = int(np.flatnonzero(boxes.ids == "c-0243")[0])
    crossed = held = 0
    for zoom, box in VIEWS:
        view = parse_viewport(",".join(map(str, box)), str(zoom), "1")
        w, s, e, n = view.bbox
        b = boxes.boxes.T  # a row per place: west, south, east, north, dimension
        crossed += int((((b[:, 0] < w) & (b[:, 2] > w)) | ((b[:, 1] < s) & (b[:, 3] > s))
                        | ((b[:, 0] < e) & (b[:, 2] > e)) | ((b[:, 1] < n) & (b[:, 3] > n))).sum())
        t = b[triangle]
        if t[0] <= e and t[2] >= w and t[1] <= n and t[3] >= s and not shapely.intersects(
                shapely.box(w, s, e, n), shapely.from_wkb(postgis_wkb(postgis, "c-0243"))):
            held += 1
            assert "c-0243" not in _answer(postgis, index, view)[0]
    assert crossed > 0 and held > 0


def postgis_wkb(store, fid: str) -> bytes:
    return shapely.to_wkb(shapely.geometry.shape(store.get(LAYER, fid)["geometry"]))


def test_the_boxes_are_read_once_per_shapes_revision_and_follow_a_moved_place(stores):
    _, postgis = stores
    index = ViewportIndex(postgis)
    zoom, box = VIEWS[-1]
    view = parse_viewport(",".join(map(str, box)), str(zoom), "1")
    first = index.boxes(LAYER, 1)
    _answer(postgis, index, view)
    assert index.boxes(LAYER, 1) is first  # kept: the views of one shapes revision read no box again
    place = postgis.get(LAYER, "c-0005")
    x, y = EDGE_X + 0.0031, EDGE_Y + 0.0021
    moved = {"type": "Polygon", "coordinates": [[[x, y], [x + SIZE, y], [x + SIZE, y + SIZE], [x, y + SIZE], [x, y]]]}
    postgis.apply([Op("update", LAYER, "c-0005", geometry=moved, expected_version=place["properties"]["version"])],
                  user="bob")
    ids, _, _, dots = viewport_shapes(postgis, index, LAYER, 2, view, attributes=False, dots=True)
    assert index.boxes(LAYER, 2) is not first
    assert dots.xy[ids.index("c-0005")].tolist() == pytest.approx([x + SIZE / 2, y + SIZE / 2])


def test_a_view_of_the_kept_boxes_packs_its_ids_from_their_numbers_as_from_their_digits(stores):
    """The kept boxes read their ids' numbers once per revision: a view found from them packs its ids from those, to
    the same bytes as from the ids themselves."""
    _, postgis = stores
    index = ViewportIndex(postgis)
    zoom, box = VIEWS[-1]
    view = parse_viewport(",".join(map(str, box)), str(zoom), "1")
    ids, _, geoms, dots = viewport_shapes(postgis, index, LAYER, 1, view, attributes=False, dots=True)
    assert isinstance(ids, NumberedIds) and len(ids) > 100
    assert ids.numbers.tolist() == [int(fid[2:]) for fid in ids] and (ids.prefix, ids.width) == ("c-", 4)
    packed = packed_viewport(LAYER, 1, view, ids, None, geoms, binary=True, dots=dots)
    assert packed == packed_viewport(LAYER, 1, view, list(ids), None, geoms, binary=True, dots=dots)


def test_a_view_mostly_of_outlines_is_left_to_the_query(stores):
    """Close in, the places are outlines, which only the database holds: the kept boxes decide nothing and the
    answer is the query's."""
    _, postgis = stores
    index = ViewportIndex(postgis)
    zoom, box = _near(16, 0.001, 0.001)
    view = parse_viewport(",".join(map(str, box)), str(zoom), "1")
    assert _dots_from_boxes(postgis, index.boxes(LAYER, 1), LAYER, view) is None
    kept = _answer(postgis, index, view)
    assert kept[0] and not any(kept[3]) and _same(kept, _answer(postgis, None, view))


@pytest.mark.parametrize("chunk", [65536, 7], ids=["one-row", "rows-of-7"])
def test_the_layers_boxes_are_each_places_id_and_box_in_the_layers_order(stores, chunk, monkeypatch):
    """Read a row of places at a time (each row's places in order, the rows in order): the same ids and boxes
    however many rows they take."""
    _, postgis = stores
    monkeypatch.setattr("geo.store.postgis.BOXES_CHUNK", chunk)
    ids, boxes = postgis.layer_boxes(LAYER)
    features = [f for f in postgis.features(LAYER) if f.get("geometry")]
    assert len(features) > 7 * 30
    assert ids == [f["id"] for f in features] and boxes.shape == (5, len(features))
    for i, feature in enumerate(features):
        assert boxes[:4, i].tolist() == pytest.approx(list(shapely.geometry.shape(feature["geometry"]).bounds))
        assert boxes[4, i] == pytest.approx(shapely.geometry.shape(feature["geometry"]).area, rel=1e-9)
    assert (boxes[4] > 0).all()  # every place a polygon with an area (a line or a point: -1, below)


def test_an_id_written_around_the_store_with_a_line_break_is_a_broken_layer_not_boxes_shifted(stores):
    """The ids come as one text, a line each: an id with a line break (written in the database by another
    program; Guatu refuses one) would shift every later box onto the wrong place. It is said instead."""
    from geo.errors import BrokenLayer

    _, postgis = stores
    with postgis.connection() as conn:
        conn.execute("UPDATE features SET id = 'c-0003' || chr(10) || 'x' WHERE layer = %s AND id = 'c-0003'", (LAYER,))
    with pytest.raises(BrokenLayer) as caught:
        postgis.layer_boxes(LAYER)
    assert LAYER in caught.value.message


def test_a_place_that_is_not_a_polygon_has_no_area_in_the_boxes(store_factory):
    """A road is never a dot or a box: its area is -1 (geo/viewport.py `small_places` leaves such a place out)."""
    postgis = store_factory("postgis")
    road = {"type": "LineString", "coordinates": [[113.6, 34.7], [113.6001, 34.7001]]}
    postgis.apply([Op("create", "roads", properties={"name": "短路", "kind": "道路", "status": "pending"}, geometry=road)], user="alice")
    ids, boxes = postgis.layer_boxes("roads")
    assert len(ids) == 1 and boxes[:, 0].tolist() == pytest.approx([113.6, 34.7, 113.6001, 34.7001, -1.0])


@pytest.mark.parametrize("chunked", [True, False], ids=["chunks", "rows"])
def test_a_view_read_a_few_rows_at_a_time_is_the_view_with_its_attributes(stores, monkeypatch, chunked):
    """The database's rows come a chunk at a time (`SHAPES_CHUNK`; a district's million at once held a gigabyte),
    or a row at a time with a libpq before 17: read so, a view's places, attributes, outlines, dots and boxes are
    the embedded store's, and the values repeated down a column are kept once."""
    embedded, postgis = stores
    monkeypatch.setattr(postgis_store, "SHAPES_CHUNK", 7)
    if not chunked:
        monkeypatch.setattr(psycopg.capabilities, "has_stream_chunked", lambda check=False: False)
    drawn = scoped_in = 0
    for zoom, box in VIEWS:
        view = parse_viewport(",".join(map(str, box)), str(zoom), "1")
        ids, props, geoms, dots = viewport_shapes(postgis, None, LAYER, 1, view, attributes=True, dots=True)
        local = viewport_shapes(embedded, ViewportIndex(embedded), LAYER, 1, view, attributes=True, dots=True)
        assert len(ids) > 7 and ids == local[0] and props.rows() == local[1].rows()
        assert dots.mask.tolist() == local[3].mask.tolist() and np.array_equal(dots.xy, local[3].xy, equal_nan=True)
        outlines = ~dots.mask  # (the database sends no outline of a dot or a box)
        assert shapely.equals_exact(geoms[outlines], local[2][outlines], tolerance=0).all()
        drawn += int(outlines.sum())
        assert props.tables[0] == ["楼院"] and not props.codes[:, 0].any()  # the kind, kept once for every place
        for street, community in (("大学路街道", None), (None, "幸福社区"), ("建设路街道", "和平社区")):  # a screen's scope
            scoped = viewport_shapes(postgis, None, LAYER, 1, view, street=street, community=community, dots=True)
            theirs = viewport_shapes(embedded, ViewportIndex(embedded), LAYER, 1, view, street=street,
                                     community=community, dots=True)
            assert scoped[0] == theirs[0] and scoped[1].rows() == theirs[1].rows()
            scoped_in += len(scoped[0])
            # a wall screen's view of its scope (no attributes: the database keeps to the scope in its query)
            shown = viewport_shapes(postgis, None, LAYER, 1, view, street=street, community=community,
                                    attributes=False, dots=True)
            theirs = viewport_shapes(embedded, ViewportIndex(embedded), LAYER, 1, view, street=street,
                                     community=community, attributes=False, dots=True)
            assert shown[0] == scoped[0] == theirs[0] and shown[1] is None is theirs[1]
            assert shown[3].mask.tolist() == theirs[3].mask.tolist()
            assert np.array_equal(shown[3].xy, theirs[3].xy, equal_nan=True)
            outlines = ~shown[3].mask
            assert shapely.equals_exact(shown[2][outlines], theirs[2][outlines], tolerance=0).all()
    assert drawn > 0 and scoped_in > 0  # some views hold outlines, and places of each scope


def test_a_geojson_view_written_as_the_rows_come_is_the_embedded_stores(stores, monkeypatch):
    """A GeoJSON view of a database's layer is written a chunk of rows at a time (`viewport_chunks`: a district's
    outlines are never held at once): whole or cut to a screen's scope, it is the embedded store's, byte for byte."""
    embedded, postgis = stores
    monkeypatch.setattr(postgis_store, "SHAPES_CHUNK", 7)
    for zoom, box in VIEWS:
        view = parse_viewport(",".join(map(str, box)), str(zoom), None)
        for street, community in ((None, None), ("大学路街道", None), ("建设路街道", "和平社区")):
            chunks = list(viewport_chunks(postgis, None, LAYER, 1, view, street=street, community=community))
            theirs = viewport_chunks(embedded, ViewportIndex(embedded), LAYER, 1, view, street=street, community=community)
            written = b"".join(geojson_viewport(LAYER, 1, view, chunks))
            assert written == b"".join(geojson_viewport(LAYER, 1, view, theirs)), (zoom, street, community)
            if street is None:
                assert len(chunks) > 1 and len(orjson.loads(written)["features"]) > 7


class Refused(Exception):
    pass


def test_a_geojson_view_that_fails_half_way_gives_its_connection_back(stores, monkeypatch, caplog):
    """A GeoJSON view is written while the database's rows come: a failure half-way (here the second chunk's
    features refused) closes the rows' stream, and its connection is back in the pool, idle, for the next view."""
    _, postgis = stores
    monkeypatch.setattr(postgis_store, "SHAPES_CHUNK", 7)
    zoom, box = VIEWS[-1]
    view = parse_viewport(",".join(map(str, box)), str(zoom), None)
    whole = b"".join(geojson_viewport(LAYER, 1, view, viewport_chunks(postgis, None, LAYER, 1, view)))
    to_geojson, written = shapely.to_geojson, []

    def refuse_the_second(geoms, *args, **kwargs):
        written.append(len(geoms))
        if len(written) == 2:
            raise Refused
        return to_geojson(geoms, *args, **kwargs)

    monkeypatch.setattr(shapely, "to_geojson", refuse_the_second)
    with caplog.at_level(logging.WARNING, logger="psycopg"), pytest.raises(Refused):
        Cached.of_pieces(geojson_viewport(LAYER, 1, view, viewport_chunks(postgis, None, LAYER, 1, view)), "v")
    stats = postgis.pool.get_stats()
    assert written == [7, 7] and stats["pool_available"] == stats["pool_size"]  # none still lent out
    assert not [r for r in caplog.records if r.name.startswith("psycopg")]
    monkeypatch.setattr(shapely, "to_geojson", to_geojson)
    assert b"".join(geojson_viewport(LAYER, 1, view, viewport_chunks(postgis, None, LAYER, 1, view))) == whole


def test_a_view_that_fails_half_way_leaves_its_connection_fit_for_the_next(stores, monkeypatch, caplog):
    """A failure while a view's rows come (here the second chunk's attributes refused) closes the stream, which
    cancels the query: the connection goes back to the pool ready for the next request (the pool does not have to
    close it as still busy), and the next view answers in full."""
    _, postgis = stores
    monkeypatch.setattr(postgis_store, "SHAPES_CHUNK", 7)
    zoom, box = VIEWS[-1]
    view = parse_viewport(",".join(map(str, box)), str(zoom), "1")
    whole = viewport_shapes(postgis, None, LAYER, 1, view, dots=True)
    add = postgis_store.AttributeColumns.add
    chunks = []

    def refuse_the_second(self, *columns):
        chunks.append(len(columns[0]))
        if len(chunks) == 2:
            raise Refused
        return add(self, *columns)

    monkeypatch.setattr(postgis_store.AttributeColumns, "add", refuse_the_second)
    with caplog.at_level(logging.WARNING, logger="psycopg"), pytest.raises(Refused):
        viewport_shapes(postgis, None, LAYER, 1, view, dots=True)
    assert chunks == [7, 7] and not [r for r in caplog.records if r.name.startswith("psycopg")]
    monkeypatch.setattr(postgis_store.AttributeColumns, "add", add)
    again = viewport_shapes(postgis, None, LAYER, 1, view, dots=True)
    assert len(whole[0]) > 14 and again[0] == whole[0] and again[1].rows() == whole[1].rows()
