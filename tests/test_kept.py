"""What a process keeps for every place holds one object for equal values (geo/kept.py): the wall state, the
dashboard and the milestones, each walking a layer too large to keep (PostgreSQL, `layer_cache` 0) and so
parsing every place again, share its id, status and sub-district rather than holding copies of them; a store that
keeps its places parsed (the embedded store, a database layer small enough to keep) holds each text of their
properties once."""

from __future__ import annotations

from collections import namedtuple

import orjson
import pytest

from geo.cases.stats import PlaceCases
from geo.config import load_campaign
from geo.dashboard import DashboardData
from geo.kept import PlaceMap, interned, kept_place, shared
from geo.progress_kept import ProgressData
from geo.store import open_store
from geo.store.transfer import copy_to_postgis
from geo.synth.synthetic import write_synthetic
from geo.wall.data import WallData


def test_equal_strings_parsed_apart_become_one_object_and_other_values_stay_as_they_are():
    a, b = orjson.loads('["建中街街道"]')[0], orjson.loads('["建中街街道"]')[0]
    assert a == b and a is not b
    assert interned(a) is interned(b)
    assert interned(None) is None and interned(3) == 3
    rows = [1.5, ("x",)]
    assert [interned(v) for v in rows] == rows


def test_equal_day_counts_computed_apart_become_one_object_within_the_kept_range():
    late, again = int("-1234"), int("-1234")  # past the interpreter's own -5 to 256: two objects
    assert late is not again
    assert interned(late) is interned(again) and interned(late) == -1234
    far, farther = int("99999"), int("99999")
    assert interned(far) is far and interned(farther) is farther  # outside the range: as they are, nothing kept
    assert interned(True) is True


def test_a_named_tuple_is_never_answered_with_a_plain_tuple_of_the_same_values():
    plain = shared(((0, 0, 0), (), ()))
    named = shared(PlaceCases((0, 0, 0), (), ()))
    assert type(plain) is tuple and type(named) is PlaceCases
    other = namedtuple("Other", "a b c")((0, 0, 0), (), ())
    assert type(shared(other)) is type(other)


def test_what_is_kept_for_every_place_holds_one_object_per_distinct_text(tmp_path, postgis_url, postgis_schema, clock):
    data = tmp_path / "data"
    write_synthetic(data, 300, seed=1)
    campaign = load_campaign(data)
    copy_to_postgis(data, campaign, postgis_url, schema=postgis_schema)
    store = open_store(data, campaign, database_url=postgis_url, schema=postgis_schema, layer_cache=0, clock=clock)
    # a layer too large to keep (here: any): every walk parses the places again
    now = clock()
    revision = store.revision()
    dashboard, progress, wall = DashboardData(store, campaign), ProgressData(store, campaign), WallData(store, campaign)
    wall.catch_up(revision, now)
    parts = dict(dashboard.catch_up(revision, now).parts.items())
    places = dict(progress.catch_up(revision, now).places.items())
    assert len(parts) > 50

    def one_object_each(values: list) -> bool:
        return len({id(v) for v in values}) == len(set(values))

    statuses = [p.head.status for p in parts.values()] + [item[0] for layer in wall.catch_up(revision, now).layers.values()
                                                     for _, item in layer.places()]
    assert len(set(statuses)) > 1 and one_object_each(statuses)
    streets = [p.head.group[1] for p in parts.values()] + [p.street for p in places.values()]
    assert len(set(streets)) > 1 and one_object_each(streets)
    ids = [fid for _, fid in parts] + [fid for _, fid in places] + [fid for layer in wall.catch_up(revision, now).layers.values()
                                                                     for fid, _ in layer.places()]
    assert one_object_each(ids)
    items = [item for layer in wall.catch_up(revision, now).layers.values() for _, item in layer.places()]
    assert len(set(items)) < len(items) and one_object_each(items)  # places in the same state share it
    updated = [u for layer in wall.catch_up(revision, now).layers.values() for u in layer.stamps()]
    assert one_object_each(updated)
    rows = [r for g in dashboard.catch_up(revision, now).groups.values() for kind in g.rows for r in kind.kept]
    assert rows and one_object_each([v for r in rows for v in r if isinstance(v, (str, int))])
    store.close()


def test_a_place_kept_parsed_holds_each_text_of_its_properties_once_and_equal_to_what_was_read():
    line = orjson.dumps({"type": "Feature", "id": "c-1", "geometry": {"type": "Point", "coordinates": [113.6, 34.7]},
                         "properties": {"status": "pending", "street": "建中街街道", "people": {"cadre": "王五"},
                                        "tags": ["老旧小区", 3],
                                        "problems": [{"status": "open", "found_on": "2026-11-20", "responsible": "王五"},
                                                     {"status": "open", "found_on": "2026-11-20", "photos": []}]}})
    a, b = kept_place(orjson.loads(line)), kept_place(orjson.loads(line))
    assert a == b == orjson.loads(line)
    pa, pb = a["properties"], b["properties"]
    assert pa["status"] is pb["status"] and pa["street"] is pb["street"] and pa["tags"][0] is pb["tags"][0]
    assert pa["people"]["cadre"] is pb["problems"][0]["responsible"]  # (one object, wherever the text stands)
    assert pa["problems"][0]["found_on"] is pa["problems"][1]["found_on"] is pb["problems"][1]["found_on"]
    assert kept_place({"type": "Feature", "properties": None}) == {"type": "Feature", "properties": None}


@pytest.mark.parametrize("backend", ["geojson", "postgis"])
def test_a_stores_kept_places_share_their_texts_as_read_and_as_written(request, tmp_path, clock, backend):
    """The embedded store's layers, and a database layer small enough to keep (PostgreSQL's `layer_cache`): as
    read, after a save through this store, and after one through another process (caught up from the journal)."""
    data = tmp_path / "data"
    write_synthetic(data, 300, seed=1)
    campaign = load_campaign(data)
    where = {}
    if backend == "postgis":
        where = {"database_url": request.getfixturevalue("postgis_url"),
                 "schema": request.getfixturevalue("postgis_schema")}
        copy_to_postgis(data, campaign, where["database_url"], schema=where["schema"])
    store, other = open_store(data, campaign, clock=clock, **where), open_store(data, campaign, clock=clock, **where)

    def shared_texts() -> None:
        places = store.features("courtyards")
        for key in ("status", "street"):
            values = [f["properties"][key] for f in places]
            assert len(set(values)) > 1 and len({id(v) for v in values}) == len(set(values)), key

    shared_texts()
    first, second = store.features("courtyards")[:2]
    store.update("courtyards", first["id"], expected_version=first["properties"]["version"], user="王工",
                 properties={"status": "accepted", "street": second["properties"]["street"]})
    shared_texts()
    other.update("courtyards", second["id"], expected_version=second["properties"]["version"], user="王工",
                 properties={"status": "accepted"})
    store.revision()  # (caught up)
    assert store.get("courtyards", second["id"])["properties"]["version"] == second["properties"]["version"] + 1
    shared_texts()
    store.close()
    other.close()


def test_a_place_map_answers_as_a_dict_by_layer_and_id():
    """Random puts, replacements and pops, some of keys it never had: `PlaceMap` answers what a dict by
    (layer, id) answers, in the same order within a layer."""
    import random

    rng = random.Random(3)
    kept, plain = PlaceMap(), {}
    for step in range(2000):
        key = (rng.choice(("courtyards", "roads", "compounds")), f"p-{rng.randrange(40)}")
        if rng.random() < 0.35:
            assert kept.pop(key, "none") == plain.pop(key, "none"), step
        else:
            kept[key] = plain[key] = step
        assert len(kept) == len(plain) and (key in kept) == (key in plain), step
        assert kept.get(key) == plain.get(key), step
        if key in plain:
            assert kept[key] == plain[key]
    by_layer = sorted(plain.items(), key=lambda kv: ["courtyards", "roads", "compounds"].index(kv[0][0]))
    assert sorted(kept.items()) == sorted(plain.items()) and set(kept) == set(plain)
    for layer in ("courtyards", "roads", "compounds"):  # within a layer, in the order of their first put
        assert [k for k in kept if k[0] == layer] == [k for k, _ in by_layer if k[0] == layer]
    assert sorted(kept.values()) == sorted(plain.values())
    for ask in (lambda key: kept[key], kept.pop):  # as a dict: a key it does not have, asked without a default
        with pytest.raises(KeyError) as never:
            ask(("roads", "never"))
        assert never.value.args == (("roads", "never"),)
