"""The place a resident's pin falls on or nearest to, and the places around it (geo/residents/nearby.py): read
from the places around the pin only, the same answers as measuring every place, on both stores."""

from __future__ import annotations

import random

import pytest

from geo.features_query import ItemsQuery
from geo.residents import nearby
from geo.residents.nearby import Near, _distances, nearest_place, places_near


@pytest.fixture(params=["geojson", "geojson-indexed", "postgis", "postgis-unkept"])
def scattered(request, store_factory, make_feature):
    """On the embedded store every place is measured until its layers are indexed (by a bbox query of the OGC
    API, say): "geojson-indexed" has them indexed, and so reads only the places around the pin."""
    backend = request.param
    if backend == "postgis-unkept":
        return scatter(store_factory("postgis", layer_cache=0), make_feature)
    store = scatter(store_factory(backend.split("-")[0]), make_feature)
    if backend == "geojson-indexed":
        for layer in store.readable_layers():
            store.select_items(layer.id, ItemsQuery(limit=1))
            assert store.bbox_query_ready(layer.id)
    return store


def scatter(store, make_feature):
    """Forty courtyards in clusters a few hundred metres to a few kilometres apart, some touching."""
    rng = random.Random(7)
    for n in range(40):
        cx, cy = 113.60 + 0.03 * (n % 4), 34.70 + 0.02 * (n // 10)
        store.create("courtyards", make_feature(f"院{n}", x=cx + rng.uniform(0, 0.006), y=cy + rng.uniform(0, 0.006),
                                                size=rng.choice([0.0004, 0.001, 0.002])), user="t")
    return store


def everything(store, lon, lat):
    """The answer measured over every place (the way before the squares)."""
    out = []
    for layer in store.readable_layers():
        features = store.features(layer.id)
        if features:
            metres = _distances(features, lon, lat)
            out.extend(Near(layer.id, f, float(m)) for f, m in zip(features, metres, strict=True))
    out.sort(key=lambda n: n.metres)
    return out


def test_the_nearest_place_and_those_around_a_pin_are_as_measured_over_every_place(scattered):
    rng = random.Random(11)
    pins = [(113.60 + rng.uniform(-0.02, 0.12), 34.70 + rng.uniform(-0.02, 0.06)) for _ in range(25)]
    pins += [(113.6021, 34.7021), (114.5, 35.5)]  # on a place; 100 km away (every square empty: all are measured)
    for lon, lat in pins:
        all_of_them = everything(scattered, lon, lat)
        best = nearest_place(scattered, lon, lat)
        assert (best.feature["id"], round(best.metres, 6)) == (all_of_them[0].feature["id"], round(all_of_them[0].metres, 6))
        for within in (50.0, 300.0, 1500.0):
            want = [(n.feature["id"], round(n.metres, 6)) for n in all_of_them if n.metres <= within]
            assert [(n.feature["id"], round(n.metres, 6)) for n in places_near(scattered, lon, lat, within_m=within)] == want


def test_a_pin_among_places_reads_only_those_around_it(store_factory, make_feature, monkeypatch):
    """The first square that holds a place nearer than its half-side answers: no layer is read whole from the
    database (a large layer is not kept in the process; the embedded store keeps every layer in memory)."""
    scattered = scatter(store_factory("postgis", layer_cache=0), make_feature)
    whole = []
    real = scattered.features
    monkeypatch.setattr(scattered, "features", lambda layer_id: whole.append(layer_id) or real(layer_id))
    near = nearest_place(scattered, 113.6021, 34.7021)
    assert near is not None and near.metres < nearby.SQUARES_M[0]
    assert places_near(scattered, 113.6021, 34.7021, within_m=300.0)
    assert whole == []


def test_the_embedded_store_measures_every_place_until_its_layer_is_indexed(store_factory, make_feature):
    """Indexing a layer costs more than measuring its places once: a change unindexes it, and the next pin is
    answered by measuring every place rather than by indexing the layer again (which the next bbox query does)."""
    store = scatter(store_factory("geojson"), make_feature)
    assert not store.bbox_query_ready("courtyards")
    assert nearest_place(store, 113.6021, 34.7021) is not None
    assert not store.bbox_query_ready("courtyards")
    store.select_items("courtyards", ItemsQuery(limit=1))
    assert store.bbox_query_ready("courtyards")
    fid = store.features("courtyards")[0]["id"]
    store.update("courtyards", fid, expected_version=1, user="t", properties={"status": "rectified"})
    assert not store.bbox_query_ready("courtyards")


def _square_at(lon, lat, east_m, north_m, side_m=4.0):
    """A small square whose south-west corner lies `east_m`, `north_m` metres from (lon, lat) on the pin's plane."""
    scale = nearby.math.cos(nearby.math.radians(lat)) * nearby.M_PER_DEG
    x, y = lon + east_m / scale, lat + north_m / nearby.M_PER_DEG
    dx, dy = side_m / scale, side_m / nearby.M_PER_DEG
    return {"type": "Polygon", "coordinates": [[[x, y], [x + dx, y], [x + dx, y + dy], [x, y + dy], [x, y]]]}


@pytest.mark.parametrize("backend", ["geojson-indexed", "postgis-unkept"])
def test_a_place_in_the_first_square_but_beyond_its_half_side_loses_to_a_nearer_one_outside_it(
        backend, store_factory, make_feature):
    """At (95 m, 95 m) a place meets the 100 m square though 134 m away; one at (105 m, 0) lies outside it and is
    nearer: the next square finds it. A village 4 km west (another layer; on the embedded store not indexed, so
    measured whole) does not win over them from the pin, nor from 18 km east (no square holds a place: every place
    is measured); from 11 km west it is the nearest."""
    store = store_factory("postgis", layer_cache=0) if backend == "postgis-unkept" else store_factory("geojson")
    lon, lat = 113.65, 34.74
    corner = make_feature("角上", x=0, y=0)
    corner["geometry"] = _square_at(lon, lat, 95, 95)
    east = make_feature("东边", x=0, y=0)
    east["geometry"] = _square_at(lon, lat, 105, 0)
    ids = {f["properties"]["name"]: store.create("courtyards", f, user="t").feature["id"] for f in (corner, east)}
    if backend == "geojson-indexed":
        store.select_items("courtyards", ItemsQuery(limit=1))
    near = nearest_place(store, lon, lat)
    assert (near.layer, near.feature["id"]) == ("courtyards", ids["东边"]) and 104 < near.metres < 106
    village = make_feature("远村", x=0, y=0, kind="城乡接合部")
    village["geometry"] = _square_at(lon, lat, -4000, 0)
    store.create("villages", village, user="t")
    assert nearest_place(store, lon, lat).feature["id"] == ids["东边"]
    far = nearest_place(store, lon + 0.2, lat)  # about 18 km east: the courtyards are nearer than the village
    assert far.feature["id"] == ids["东边"]
    west = nearest_place(store, lon - 0.12, lat)  # the village about 7 km away, the courtyards 11 km
    assert west.layer == "villages"


def test_an_empty_campaign_has_no_nearest_place(store_factory):
    assert nearest_place(store_factory("geojson"), 113.6, 34.7) is None


def test_a_geometry_that_cannot_be_read_is_never_the_nearest():
    ring = [[113.6, 34.7], [113.601, 34.7], [113.601, 34.701], [113.6, 34.701], [113.6, 34.7]]
    features = [{"geometry": {"type": "Polygon", "coordinates": [ring]}}, {"geometry": None}, {},
                {"geometry": {"type": "Polygon", "coordinates": [[1, 2]]}}, {"geometry": {"type": "圆形"}},
                {"geometry": {"type": "Point", "coordinates": [113.6, 34.72]}}]
    metres = _distances(features, 113.6005, 34.7005)
    assert metres[0] == 0 and 2170 < metres[5] < 2173  # (0.0005°, 0.0195°) away
    assert list(metres[1:5]) == [float("inf")] * 4
