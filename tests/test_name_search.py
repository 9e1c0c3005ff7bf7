"""Finding a layer's places by name on the server (geo/name_search.py), as the browser's search box finds them
(web/static/js/lib/search.js): the same order on the embedded store and in PostgreSQL's SQL."""

from __future__ import annotations

import pytest

from geo.errors import NotFound
from geo.name_search import name_key

NAMES = ["北大学路5号院", "大学路4号院", "大学路", "ＸＹ小区", "X-Y 小区二期", "康复前街（东）11号院", "100%满意楼院",
         "École 小区", "二七路1号", "二七路2号", "二七路3号"]


def test_a_names_normal_form_is_the_browsers():
    assert name_key("ＸＹ－１") == "xy1"  # NFKC: full-width letters, digits and dash; lower case; the dash dropped
    assert name_key("康复 前街·11号院（东）") == "康复前街11号院东"
    assert name_key("“南关”_新村【二期】") == "南关新村二期"
    assert name_key(None) == ""


@pytest.fixture(params=["geojson", "postgis"])
def named(request, store_factory, make_feature):
    """A store with the names above (on PostgreSQL the layer is not kept by the process: the search is SQL's)."""
    backend = request.param
    store = store_factory(backend, **({"layer_cache": 0} if backend == "postgis" else {}))
    ids = {}
    for n, name in enumerate(NAMES):
        ids[name] = store.create("courtyards", make_feature(name, x=113.60 + n * 0.002, street="大学路街道"),
                                 user="t").feature["id"]
    return store, ids


def _names(found):
    return [f["name"] for f in found]


def test_a_name_starting_with_the_text_comes_first_then_the_shorter(named):
    store, _ = named
    assert _names(store.find_by_name("courtyards", "大学路", 10)) == ["大学路", "大学路4号院", "北大学路5号院"]
    assert _names(store.find_by_name("courtyards", "大学路", 2)) == ["大学路", "大学路4号院"]


def test_the_text_is_compared_in_its_normal_form(named):
    store, _ = named
    assert _names(store.find_by_name("courtyards", "xy", 10)) == ["ＸＹ小区", "X-Y 小区二期"]
    assert _names(store.find_by_name("courtyards", "Ｘ－Ｙ 小区", 10)) == ["ＸＹ小区", "X-Y 小区二期"]
    assert _names(store.find_by_name("courtyards", "前街(东)", 10)) == ["康复前街（东）11号院"]


def test_names_that_tie_keep_their_order_up_to_the_limit(named):
    store, _ = named
    assert _names(store.find_by_name("courtyards", "二七路", 2)) == ["二七路1号", "二七路2号"]
    assert _names(store.find_by_name("courtyards", "七路", 10)) == ["二七路1号", "二七路2号", "二七路3号"]


def test_a_name_with_a_letter_beyond_a_to_z_is_found_as_written(named):
    store, _ = named  # (lower case folds A–Z only in PostgreSQL: "école" finds it in Python alone)
    assert _names(store.find_by_name("courtyards", "École", 10)) == ["École 小区"]


def test_a_place_is_found_by_its_id_and_sent_with_its_area(named):
    store, ids = named
    found = store.find_by_name("courtyards", ids["大学路"], 10)
    assert found == [{"id": ids["大学路"], "name": "大学路", "street": "大学路街道", "community": None}]


def test_like_wildcards_and_ignored_characters_find_nothing_more(named):
    store, _ = named
    assert _names(store.find_by_name("courtyards", "%", 10)) == ["100%满意楼院"]  # a percent sign is itself
    assert store.find_by_name("courtyards", "_", 10) == []  # nothing left to look for
    assert store.find_by_name("courtyards", "  ", 10) == []


def test_a_new_name_is_found_after_the_change(named):
    store, ids = named
    f = store.get("courtyards", ids["大学路"])
    store.update("courtyards", ids["大学路"], expected_version=f["properties"]["version"], user="t",
                 properties={"name": "文化宫路"})
    assert _names(store.find_by_name("courtyards", "大学路", 10)) == ["大学路4号院", "北大学路5号院"]
    assert _names(store.find_by_name("courtyards", "文化宫", 10)) == ["文化宫路"]


def test_a_scope_finds_only_its_sub_districts_or_communitys_places(named, make_feature):
    """A wall screen of one sub-district or community: the best of its places, not the layer's best cut down."""
    store, _ = named
    for n, (street, community) in enumerate([("淮河路街道", "五里堡社区"), ("淮河路街道", "大学路社区"),
                                             ("大学路街道", "五里堡社区")]):
        store.create("courtyards", make_feature(f"大学路{n}号", x=113.70 + n * 0.002, street=street,
                                                community=community), user="t")
    everywhere = _names(store.find_by_name("courtyards", "大学路", 3))
    assert everywhere == ["大学路", "大学路0号", "大学路1号"]
    assert _names(store.find_by_name("courtyards", "大学路", 3, street="淮河路街道")) == ["大学路0号", "大学路1号"]
    assert _names(store.find_by_name("courtyards", "大学路", 3, community="五里堡社区")) == ["大学路0号", "大学路2号"]
    assert _names(store.find_by_name("courtyards", "大学路", 3, street="大学路街道", community="五里堡社区")) == ["大学路2号"]
    assert store.find_by_name("courtyards", "大学路", 3, street="无此街道") == []


def test_an_unknown_layer_is_not_found(named):
    store, _ = named
    with pytest.raises(NotFound):
        store.find_by_name("nowhere", "大学路", 10)



def test_postgresql_keeps_the_same_normal_form(store_factory):
    """Migration 0009's `guatu_name_key` against geo/name_search.py's (Latin letters beyond A–Z aside: lower case
    folds A–Z only in the database's C locale)."""
    store = store_factory("postgis")
    names = ["ＸＹ－１ 号", "康复 前街·11号院（东）", "“南关”_新村【二期】", "a-b—c–d(e)[f]'g'‘h’\"i\"・j", "\u3000空格\t制表", "", None]
    with store._conn() as conn:
        kept = [conn.execute("SELECT guatu_name_key(%s)", (name,)).fetchone()[0] for name in names]
    assert kept == [name_key(name) for name in names]
