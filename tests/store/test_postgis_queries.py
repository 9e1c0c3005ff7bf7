"""Items queries answered in SQL by the PostGIS store give what the embedded store's in-memory index gives.

Both stores are built from the same writes (same ids, same clock); each query runs on both and the ids of
the page, the places themselves and `matched` must be equal. CQL2 filters (parsed with pygeofilter, as the
OGC views parse `filter=`) are checked against a plain Python reading of the same condition over the
places, and must never put a client's text into the SQL.
"""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
import pytest
from psycopg import sql
from pygeofilter.parsers.cql2_json import parse as parse_json
from pygeofilter.parsers.cql2_text import parse as parse_text

from geo.errors import BadParameter
from geo.features_query import Interval, ItemsQuery
from geo.store import Op
from geo.store.postgis import items_where

LAYER = "courtyards"
STATUSES = ("pending", "in_progress", "rectified", "accepted", "relapsed", "unsurveyed")
STREETS = ("大学路街道", "建中街街道", "一马路街道")
KINDS = ("无主管楼院", "老旧小区", "楼院", "小游园")


def _places(make_feature) -> list[dict]:
    """36 courtyards over the demo's district: statuses, streets, communities, kinds and sizes in turn."""
    out = []
    for i in range(36):
        props = {"street": STREETS[i % 3], "community": f"社区{i % 4}", "households": i * 3}
        if i % 9 == 4:
            props["community"] = None
        feature = make_feature(name=f"楼院{i:02d}", status=STATUSES[i % 6], x=113.56 + (i % 6) * 0.03,
                               y=34.62 + (i // 6) * 0.03, size=0.004 + 0.002 * (i % 3), **props)
        feature["properties"]["kind"] = KINDS[i % 4]
        out.append(feature)
    return out


@pytest.fixture
def stores(store_factory, make_feature, clock):
    """An embedded store and a PostGIS store holding the same places, written the same way: 36 creates an
    hour apart, then updates (which keep a place where it is in the layer's order) and a delete."""
    embedded, postgis = store_factory("geojson"), store_factory("postgis")
    for feature in _places(make_feature):
        for store in (embedded, postgis):
            store.create(LAYER, feature, user="alice")
        clock.advance(hours=1)
    for fid, status in (("c-0003", "accepted"), ("c-0010", "pending"), ("c-0001", "relapsed")):
        clock.advance(minutes=7)
        for store in (embedded, postgis):
            store.update(LAYER, fid, expected_version=1, user="bob", properties={"status": status})
    for store in (embedded, postgis):
        store.apply([Op("delete", LAYER, "c-0020", expected_version=1)], user="bob")
    road = make_feature(name="京广路", kind="道路")
    road["geometry"] = {"type": "LineString", "coordinates": [[113.60, 34.70], [113.65, 34.74]]}
    for store in (embedded, postgis):
        store.create("roads", road, user="alice")
    return embedded, postgis


def _ids(selection) -> list[str]:
    return [f["id"] for f in selection.features]


QUERIES = {
    "first page": ItemsQuery(limit=7),
    "a middle page": ItemsQuery(limit=7, offset=14),
    "the last, short page": ItemsQuery(limit=7, offset=28),
    "past the end": ItemsQuery(limit=7, offset=70),
    "everything": ItemsQuery(limit=1000),
    "bbox": ItemsQuery(bbox=(113.585, 34.645, 113.655, 34.705)),
    "bbox touching one edge": ItemsQuery(bbox=(113.594, 34.60, 113.60, 34.80)),
    "bbox across the antimeridian": ItemsQuery(bbox=(170.0, 30.0, 113.57, 35.0)),
    "bbox with nothing": ItemsQuery(bbox=(0.0, 0.0, 1.0, 1.0)),
    "status any of": ItemsQuery(filters={"status": frozenset({"pending", "relapsed"})}),
    "street and kind": ItemsQuery(filters={"street": frozenset({"大学路街道"}), "kind": frozenset({"楼院", "小游园"})}),
    "community": ItemsQuery(filters={"community": frozenset({"社区1"})}),
    "status page 2": ItemsQuery(limit=3, offset=3, filters={"status": frozenset({"pending", "accepted"})}),
    "an hour": ItemsQuery(interval=Interval(datetime(2026, 11, 24, 10, tzinfo=UTC),
                                            datetime(2026, 11, 24, 12, 59, 59, 999999, tzinfo=UTC))),
    "since": ItemsQuery(interval=Interval(datetime(2026, 11, 25, 19, 0, tzinfo=UTC), None)),
    "until": ItemsQuery(interval=Interval(None, datetime(2026, 11, 24, 9, 0, tzinfo=UTC))),
    "all together": ItemsQuery(limit=2, offset=1, bbox=(113.5, 34.6, 113.7, 34.8),
                               filters={"street": frozenset({"建中街街道", "一马路街道"})},
                               interval=Interval(datetime(2026, 11, 24, 9, tzinfo=UTC), None)),
    "after a place": ItemsQuery(limit=7, offset=7, after="c-0007"),
    "after a place, the offset wrong": ItemsQuery(limit=7, offset=30, after="c-0007"),
    "after an updated place": ItemsQuery(limit=5, offset=1, after="c-0001"),
    "after the last place": ItemsQuery(limit=7, offset=35, after="c-0036"),
    "after a deleted place: by offset": ItemsQuery(limit=7, offset=14, after="c-0020"),
    "after a place no layer has: by offset": ItemsQuery(limit=7, offset=3, after="x-9999"),
    "after a place, filtered": ItemsQuery(limit=2, after="c-0005", filters={"status": frozenset({"pending"})}),
    "after a place the filter leaves out": ItemsQuery(limit=2, after="c-0002",
                                                      filters={"status": frozenset({"pending"})}),
    "after a place, bbox": ItemsQuery(limit=3, offset=3, after="c-0010", bbox=(113.5, 34.6, 113.7, 34.8)),
    "a CQL2 filter, by offset": ItemsQuery(limit=4, offset=4, filter=parse_text("status <> 'pending'")),
    "a CQL2 filter, after a place": ItemsQuery(limit=4, offset=4, after="c-0006",
                                               filter=parse_text("status <> 'pending'")),
    "a CQL2 filter, after its last place": ItemsQuery(limit=4, offset=28, after="c-0036",
                                                      filter=parse_text("status <> 'pending'")),
}


@pytest.mark.parametrize("name", list(QUERIES))
def test_items_queries_answer_as_the_embedded_store(stores, name):
    embedded, postgis = stores
    query = QUERIES[name]
    want, got = embedded.select_items(LAYER, query), postgis.select_items(LAYER, query)
    assert _ids(got) == _ids(want)
    assert got.features == want.features
    assert got.matched == want.matched
    assert got.more == want.more


def test_the_queries_select_something_and_page_in_the_layers_order(stores):
    """The cases above are not vacuous: the filters keep some places and not all, and pages follow the
    layer's order — an updated place keeps its position."""
    _, postgis = stores
    everything = _ids(postgis.select_items(LAYER, QUERIES["everything"]))
    assert everything[:4] == ["c-0001", "c-0002", "c-0003", "c-0004"] and "c-0020" not in everything
    assert len(everything) == 35
    for name in ("bbox", "status any of", "street and kind", "an hour", "since", "all together"):
        matched = postgis.select_items(LAYER, QUERIES[name]).matched
        assert 0 < matched < 35, name
    assert postgis.select_items(LAYER, QUERIES["bbox across the antimeridian"]).matched == 6


def test_a_page_after_a_place_starts_after_it_whatever_the_offset(stores):
    """`after-id` finds the page by the place, `offset` only numbers it: the same page with any offset; a place
    the layer no longer has is no cursor, and the page is then found by its offset."""
    _, postgis = stores
    everything = _ids(postgis.select_items(LAYER, QUERIES["everything"]))
    at = everything.index("c-0007")
    for name in ("after a place", "after a place, the offset wrong"):
        got = postgis.select_items(LAYER, QUERIES[name])
        assert _ids(got) == everything[at + 1:at + 8] and got.matched == 35, name
    assert _ids(postgis.select_items(LAYER, QUERIES["after the last place"])) == []
    assert _ids(postgis.select_items(LAYER, QUERIES["after a deleted place: by offset"])) == everything[14:21]
    pending = _ids(postgis.select_items(LAYER, ItemsQuery(filters={"status": frozenset({"pending"})})))
    assert "c-0002" not in pending and len(pending) > 3
    got = postgis.select_items(LAYER, QUERIES["after a place the filter leaves out"])
    assert _ids(got) == [f for f in pending if everything.index(f) > everything.index("c-0002")][:2]
    assert got.matched == len(pending)


def test_the_next_page_after_a_place_misses_nothing_when_an_earlier_place_goes(stores):
    """Between two pages a place of the first is deleted: the second page asked for after the first's last place
    starts where the first ended; asked for by offset alone it would skip a place."""
    for store in stores:
        first = _ids(store.select_items(LAYER, ItemsQuery(limit=7)))
        store.apply([Op("delete", LAYER, first[3], expected_version=1)], user="bob")
        after = _ids(store.select_items(LAYER, ItemsQuery(limit=7, offset=7, after=first[-1])))
        by_offset = _ids(store.select_items(LAYER, ItemsQuery(limit=7, offset=7)))
        assert after[0] == "c-0008" and by_offset[0] == "c-0009"
        assert after[1:] == by_offset[:-1]


def test_a_walk_after_places_knows_its_last_page_by_what_follows_not_by_its_offset(stores):
    """Two places of the first page go while a client walks the layer: its offsets, counted from what it read, are
    then two too high for the count; whether a page has a next one comes from the places after it, so the walk
    still reads every place that is left, and stops at the end."""
    for store in stores:
        first = store.select_items(LAYER, ItemsQuery(limit=7))
        assert first.more and first.matched == 35
        store.apply([Op("delete", LAYER, fid, expected_version=1) for fid in _ids(first)[3:5]], user="bob")
        read, offset, page = [], 7, first
        while page.more:
            page = store.select_items(LAYER, ItemsQuery(limit=7, offset=offset, after=page.features[-1]["id"]))
            read += _ids(page)
            offset += len(page.features)
        everything = _ids(store.select_items(LAYER, ItemsQuery(limit=1000)))
        assert read == everything[5:] and page.matched == 33 < offset
        last = store.select_items(LAYER, ItemsQuery(limit=5, offset=28))
        assert _ids(last) == everything[28:] and not last.more and last.matched == 33


def test_a_filter_with_no_parameter_counts_its_places_past_its_end(stores):
    """A CQL2 filter that binds no value, asked for past its last place: the count is the filter's, not the layer's."""
    embedded, postgis = stores
    for query in (ItemsQuery(limit=5, offset=40, filter=parse_text("community IS NULL")),
                  ItemsQuery(limit=5, after="c-0036", filter=parse_text("community IS NULL"))):
        want = embedded.select_items(LAYER, query)
        got = postgis.select_items(LAYER, query)
        assert got.features == want.features == [] and got.matched == want.matched == 4


def test_an_unknown_property_filter_is_refused_by_both(stores):
    for store in stores:
        with pytest.raises(BadParameter) as caught:
            store.select_items(LAYER, ItemsQuery(filters={"notes": frozenset({"x"})}))
        assert caught.value.parameter == "notes"


@pytest.mark.parametrize("layer", ["courtyards", "roads", "villages"])
def test_layer_summary_is_the_embedded_stores(stores, layer):
    embedded, postgis = stores
    want, got = embedded.layer_summary(layer), postgis.layer_summary(layer)
    assert got == want


def test_layer_summary_follows_writes_from_another_instance(stores, store_factory, make_feature):
    _, postgis = stores
    before = postgis.layer_summary(LAYER)
    other = store_factory("postgis")  # another app instance on the same schema
    other.create(LAYER, make_feature(name="新院", street="新街道", x=113.70, y=34.79), user="carol")
    after = postgis.layer_summary(LAYER)
    assert after.count == before.count + 1
    assert "新街道" in after.values["street"] and "新街道" not in before.values["street"]
    assert after.extent["spatial"]["bbox"][0][3] == 34.791 > before.extent["spatial"]["bbox"][0][3]


# --- CQL2 filters -----------------------------------------------------------------------

def _p(feature: dict) -> dict:
    return feature["properties"]


def _inside(feature: dict, west: float, south: float, east: float, north: float) -> bool:
    ring = feature["geometry"]["coordinates"][0]
    xs, ys = [c[0] for c in ring], [c[1] for c in ring]
    return min(xs) <= east and max(xs) >= west and min(ys) <= north and max(ys) >= south


# (CQL2 text, the same condition read in Python over a place)
FILTERS = [
    ("status = 'pending'", lambda f: _p(f)["status"] == "pending"),
    ("status <> 'pending'", lambda f: _p(f)["status"] != "pending"),
    ("NOT (status = 'pending')", lambda f: _p(f)["status"] != "pending"),
    ("status IN ('accepted', 'rectified') AND street = '大学路街道'",
     lambda f: _p(f)["status"] in ("accepted", "rectified") and _p(f)["street"] == "大学路街道"),
    ("status NOT IN ('accepted', 'rectified')", lambda f: _p(f)["status"] not in ("accepted", "rectified")),
    ("street = '一马路街道' OR kind = '小游园'", lambda f: _p(f)["street"] == "一马路街道" or _p(f)["kind"] == "小游园"),
    ("households > 60", lambda f: _p(f)["households"] > 60),
    ("households BETWEEN 30 AND 45", lambda f: 30 <= _p(f)["households"] <= 45),
    ("households NOT BETWEEN 30 AND 90", lambda f: not 30 <= _p(f)["households"] <= 90),
    ("households <= 9 OR households >= 99", lambda f: _p(f)["households"] <= 9 or _p(f)["households"] >= 99),
    ("name LIKE '楼院1%'", lambda f: _p(f)["name"].startswith("楼院1")),
    ("name LIKE '楼院_5'", lambda f: False),  # `_` is a plain character for pygeofilter (its single one is `.`)
    ("name LIKE '楼院.5'", lambda f: len(_p(f)["name"]) == 4 and _p(f)["name"].endswith("5")),
    ("name NOT LIKE '%0'", lambda f: not _p(f)["name"].endswith("0")),
    ("community IS NULL", lambda f: _p(f)["community"] is None),
    ("community IS NOT NULL", lambda f: _p(f)["community"] is not None),
    ("NOT (community = '社区1')", lambda f: _p(f)["community"] is not None and _p(f)["community"] != "社区1"),
    ("id = 'c-0007' OR id IN ('c-0008', 'c-0020', 'c-0030')", lambda f: f["id"] in ("c-0007", "c-0008", "c-0030")),
    ("updated_at > TIMESTAMP('2026-11-25T12:00:00Z')", lambda f: _p(f)["updated_at"] > "2026-11-25T12:00:00.000000Z"),
    ("updated_at >= TIMESTAMP('2026-11-24T10:00:00Z') AND updated_at < TIMESTAMP('2026-11-24T13:00:00Z')",
     lambda f: "2026-11-24T10" <= _p(f)["updated_at"][:13] < "2026-11-24T13"),
    ("updated_at = DATE('2026-11-25')", lambda f: _p(f)["updated_at"].startswith("2026-11-25")),
    ("S_INTERSECTS(geometry, POLYGON((113.585 34.645, 113.655 34.645, 113.655 34.705, 113.585 34.705, 113.585 34.645)))",
     lambda f: _inside(f, 113.585, 34.645, 113.655, 34.705)),
    ("S_INTERSECTS(geometry, BBOX(113.585, 34.645, 113.655, 34.705)) AND status = 'pending'",
     lambda f: _inside(f, 113.585, 34.645, 113.655, 34.705) and _p(f)["status"] == "pending"),
    ("S_DISJOINT(geometry, BBOX(113.585, 34.645, 113.655, 34.705))",
     lambda f: not _inside(f, 113.585, 34.645, 113.655, 34.705)),
    ("S_WITHIN(geometry, BBOX(113.5, 34.6, 113.6, 34.7))",
     lambda f: all(113.5 <= c[0] <= 113.6 and 34.6 <= c[1] <= 34.7 for c in f["geometry"]["coordinates"][0])),
    ("S_CONTAINS(geometry, POINT(113.562 34.622))", lambda f: f["id"] == "c-0001"),
    ("name = 'x; DROP TABLE features; --'", lambda f: False),
]


@pytest.fixture
def courtyards(stores) -> list[dict]:
    return stores[0].features(LAYER)


@pytest.mark.parametrize("text", [f[0] for f in FILTERS])
def test_cql2_text_filters_select_what_they_say(stores, courtyards, text):
    _, postgis = stores
    expected = [f["id"] for f in courtyards if dict(FILTERS)[text](f)]
    got = postgis.select_where(LAYER, ItemsQuery(limit=1000), parse_text(text))
    assert _ids(got) == expected
    assert got.matched == len(expected)
    assert postgis.layer_summary(LAYER).count == 35  # and the table is still there (the last case)


def test_the_filters_are_not_vacuous(courtyards):
    for text, keep in FILTERS:
        n = sum(1 for f in courtyards if keep(f))
        assert n < len(courtyards), text
    assert sum(1 for text, keep in FILTERS if any(keep(f) for f in courtyards)) >= len(FILTERS) - 2


def test_cql2_json_filters_translate_as_the_text_ones(stores, courtyards):
    _, postgis = stores
    doc = {"op": "and", "args": [
        {"op": "in", "args": [{"property": "status"}, ["pending", "relapsed"]]},
        {"op": "s_intersects", "args": [{"property": "geometry"},
                                        {"type": "Polygon", "coordinates": [[[113.5, 34.6], [113.65, 34.6],
                                                                             [113.65, 34.8], [113.5, 34.8],
                                                                             [113.5, 34.6]]]}]},
        {"op": "t_after", "args": [{"property": "updated_at"}, {"timestamp": "2026-11-24T12:00:00Z"}]},
        {"op": "like", "args": [{"property": "street"}, "%路%"]}]}
    text = ("status IN ('pending', 'relapsed') AND S_INTERSECTS(geometry, POLYGON((113.5 34.6, 113.65 34.6, "
            "113.65 34.8, 113.5 34.8, 113.5 34.6))) AND updated_at > TIMESTAMP('2026-11-24T12:00:00Z') "
            "AND street LIKE '%路%'")
    by_json = postgis.select_where(LAYER, ItemsQuery(limit=1000), parse_json(doc))
    by_text = postgis.select_where(LAYER, ItemsQuery(limit=1000), parse_text(text))
    assert _ids(by_json) == _ids(by_text)
    assert 0 < by_json.matched < 10


def test_a_filter_pages_and_counts_with_the_other_parameters(stores, courtyards):
    _, postgis = stores
    cql = parse_text("households >= 30")
    query = ItemsQuery(limit=4, offset=4, filters={"street": frozenset({"大学路街道"})})
    every = [f["id"] for f in courtyards if _p(f)["households"] >= 30 and _p(f)["street"] == "大学路街道"]
    got = postgis.select_where(LAYER, query, cql)
    assert _ids(got) == every[4:8]
    assert got.matched == len(every) == 8


@pytest.mark.parametrize("text", ["households + 1 > 3", "households * 2 = 4"])
def test_what_the_database_cannot_evaluate_is_refused_naming_the_filter(stores, text):
    _, postgis = stores
    with pytest.raises(BadParameter) as caught:
        postgis.select_where(LAYER, ItemsQuery(), parse_text(text))
    assert caught.value.parameter == "filter"


def test_a_mixed_in_list_is_refused(stores):
    _, postgis = stores
    with pytest.raises(BadParameter):
        postgis.select_where(LAYER, ItemsQuery(), parse_text("households IN (1, 'x')"))


def test_client_values_travel_as_parameters(stores):
    _, postgis = stores
    cql = parse_json({"op": "or", "args": [{"op": "=", "args": [{"property": "name"}, "x'; DROP TABLE features; --"]},
                                           {"op": "like", "args": [{"property": "street"}, "%';--"]}]})
    where, params = items_where(LAYER, ItemsQuery(), cql)
    text = where.as_string(None)
    assert "DROP" not in text and "';--" not in text
    assert "x'; DROP TABLE features; --" in params
    assert postgis.select_where(LAYER, ItemsQuery(), cql).matched == 0
    assert postgis.layer_summary(LAYER).count == 35


def test_items_queries_can_use_the_indexes(stores, postgis_url):
    """With sequential scans off, the plans of the filters and boxes name the indexes of migration 0008 and the
    GiST index: the expressions the store writes are the ones indexed."""
    _, postgis = stores
    cases = {
        "features_status": ItemsQuery(filters={"status": frozenset({"pending"})}),
        "features_street": ItemsQuery(filters={"street": frozenset({"大学路街道"})}),
        "features_updated": ItemsQuery(interval=Interval(datetime(2026, 11, 25, tzinfo=UTC), None)),
        "features_geom": ItemsQuery(bbox=(113.5, 34.6, 113.6, 34.7)),
    }
    with psycopg.connect(postgis_url, autocommit=True) as conn:
        conn.execute(sql.SQL("SET search_path TO {}, public").format(sql.Identifier(postgis.schema)))
        conn.execute("ANALYZE features")
        conn.execute("SET enable_seqscan = off")
        for index, query in cases.items():
            where, params = items_where(LAYER, query, None)
            plan = "\n".join(r[0] for r in conn.execute(
                sql.SQL("EXPLAIN SELECT count(*) FROM features WHERE {}").format(where), params))
            assert index in plan, (index, plan)


# --- bounded memory -----------------------------------------------------------------------

def test_a_layer_larger_than_the_cache_is_not_kept_and_reads_stay_right(stores, store_factory, make_feature):
    embedded, _ = stores
    small = store_factory("postgis", layer_cache=10)  # the same schema, another process's view
    assert [f["id"] for f in small.features(LAYER)] == [f["id"] for f in embedded.features(LAYER)]
    assert [f["id"] for f in small.features("roads")] == ["r-0001"]
    assert LAYER not in small._layers and "roads" in small._layers
    other = store_factory("postgis")
    other.update(LAYER, "c-0002", expected_version=1, user="carol", properties={"status": "accepted"})
    assert small.get(LAYER, "c-0002")["properties"]["status"] == "accepted"
    assert {f["id"]: f for f in small.features(LAYER)}["c-0002"]["properties"]["status"] == "accepted"
    many = small.get_many(LAYER, ["c-0002", "c-0999", "c-0001"])  # one query by id, the layer still not kept
    assert many == {fid: other.get(LAYER, fid) for fid in ("c-0002", "c-0001")}
    assert small.collection_bytes(LAYER) == other.collection_bytes(LAYER)
    assert LAYER not in small._layers


def test_a_layer_larger_than_the_cache_is_walked_through_a_cursor_and_a_walk_left_halfway_frees_its_connection(
        stores, store_factory):
    small = store_factory("postgis", layer_cache=10, pool_size=1)
    assert list(small.each_feature(LAYER)) == small.features(LAYER)  # the same places in the layer's order
    assert len(list(small.each_feature(LAYER))) == 35 and LAYER not in small._layers  # streamed, not kept
    assert list(small.each_feature("roads")) == small.features("roads") and "roads" in small._layers  # its copy
    walk = small.each_feature(LAYER)
    assert next(walk)["id"] == "c-0001"
    walk.close()  # a view whose build failed halfway: the one pooled connection is free again
    assert small.get(LAYER, "c-0002")["id"] == "c-0002"


def test_place_counts_are_counted_in_sql_and_follow_other_instances(stores, store_factory, make_feature):
    embedded, _ = stores
    small = store_factory("postgis", layer_cache=10)
    assert small.place_count(LAYER) == embedded.place_count(LAYER) == 35
    assert small.place_count("roads") == embedded.place_count("roads") == 1
    store_factory("postgis").create(LAYER, make_feature(name="新院"), user="carol")
    assert small.place_count(LAYER) == 36
    assert LAYER not in small._layers


def test_a_kept_layer_that_grows_past_the_cache_is_let_go(store_factory, make_feature):
    store = store_factory("postgis", layer_cache=3)
    for i in range(3):
        store.create(LAYER, make_feature(name=f"院{i}"), user="alice")
    assert len(store.features(LAYER)) == 3 and LAYER in store._layers
    store.create(LAYER, make_feature(name="院3"), user="alice")
    assert len(store.features(LAYER)) == 4
    assert LAYER not in store._layers
