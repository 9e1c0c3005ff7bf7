"""The ids of a layer's places in a wall screen's sub-district and community (`Store.ids_in_area`): what a display
link's wall state is cut to. PostgreSQL answers in SQL, so a large layer is never read whole for it."""

from __future__ import annotations

import pytest

from geo.display_scope import DisplayScope
from geo.errors import NotFound

PLACES = [("大学路1号院", "大学路街道", "金桥社区"), ("大学路2号院", "大学路街道", "银河社区"),
          ("淮河路3号院", "淮河路街道", "淮河社区"), ("无街道4号院", None, None)]


@pytest.fixture(params=["geojson", "postgis", "postgis-unkept"])
def placed(request, store_factory, make_feature):
    backend = request.param
    store = store_factory("postgis", layer_cache=0) if backend == "postgis-unkept" else store_factory(backend)
    ids = {}
    for n, (name, street, community) in enumerate(PLACES):
        props = {k: v for k, v in (("street", street), ("community", community)) if v}
        ids[name] = store.create("courtyards", make_feature(name, x=113.66 + n * 0.002, **props), user="t").feature["id"]
    return store, ids


def test_the_places_of_a_sub_district_or_community(placed):
    store, ids = placed
    assert store.ids_in_area("courtyards", "大学路街道", None) == {ids["大学路1号院"], ids["大学路2号院"]}
    assert store.ids_in_area("courtyards", "大学路街道", "银河社区") == {ids["大学路2号院"]}
    assert store.ids_in_area("courtyards", None, "淮河社区") == {ids["淮河路3号院"]}
    assert store.ids_in_area("courtyards", None, None) == set(ids.values())
    assert store.ids_in_area("courtyards", "无此街道", None) == frozenset()
    with pytest.raises(NotFound):
        store.ids_in_area("nowhere", "大学路街道", None)


def test_a_place_moved_to_another_sub_district_is_found_there(placed):
    store, ids = placed
    fid = ids["大学路1号院"]
    store.update("courtyards", fid, expected_version=1, user="t", properties={"street": "淮河路街道"})
    assert store.ids_in_area("courtyards", "淮河路街道", None) == {fid, ids["淮河路3号院"]}
    assert fid not in store.ids_in_area("courtyards", "大学路街道", None)


def test_a_display_links_places_are_found_without_reading_the_layer_when_it_is_not_kept(store_factory, make_feature,
                                                                                        monkeypatch):
    store = store_factory("postgis", layer_cache=0)
    for n, (name, street, community) in enumerate(PLACES[:3]):
        store.create("courtyards", make_feature(name, x=113.66 + n * 0.002, street=street, community=community),
                     user="t")
    reads = []
    for method in ("features", "each_feature"):
        real = getattr(store, method)
        monkeypatch.setattr(store, method, lambda layer_id, real=real, method=method: reads.append(method) or real(layer_id))
    scope = DisplayScope(layers=("courtyards",), street="大学路街道", all_layers=False)
    assert len(scope.place_ids(store, "courtyards")) == 2
    assert reads == []
