"""The full wall state kept between revisions (geo/wall/data.py `WallData.full`) is the state a walk over every
place gives: after random edits through the real store, on both backends, read by another store object (another
server process), packed and not, byte for byte."""

from __future__ import annotations

import os
import shutil

import orjson
import pytest

from geo.display_scope import DisplayScope, scoped_full, scoped_state
from geo.geojson_io import dumps
from geo.store import open_store
from geo.wall import catchup
from geo.wall import state as wall_state
from geo.wall.catchup import Basis, changes_to, clock_of
from geo.wall.codec import unpack_ids
from geo.wall.data import WallData
from tests.random_edits import READERS, RandomEdits, WalkCounter


def fresh(store, campaign, key, now, packed):
    return dumps(WallData(store, campaign).full(key, now, packed=packed))


def kept(wall, key, now, packed):
    body = dumps(wall.full(key, now, packed=packed))
    assert b"".join(wall.full_body(key, now, packed=packed)) == body  # the pieces web/api/reads.py sends
    return body



@pytest.mark.parametrize("backend", READERS)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_state_kept_between_revisions_equals_one_built_from_scratch(store_factory, campaign, clock, backend, seed,
                                                                      monkeypatch):
    monkeypatch.setattr(wall_state, "BLOCK", 3)  # several serialised blocks per layer, each kept until a place changes
    kind, options = READERS[backend]
    writer, reader = store_factory(kind), store_factory(kind, **options)
    edits = RandomEdits(writer, clock, seed)
    wall = WallData(reader, campaign)
    features = reader.features  # uncounted
    walks = WalkCounter(reader)
    rebuilt = done = 0
    for _ in range(70):
        what = edits.step()
        now = clock()
        key = wall.key(now)
        before = walks.walks
        for packed in (True, False):
            assert kept(wall, key, now, packed) == fresh(reader, campaign, key, now, packed), (what, packed)
        walks_for_kept = walks.walks - before - 2 * len(reader.readable_layers())  # the fresh ones walk every layer
        rebuilt += walks_for_kept > 0
        done += 1
        # packed ids align with the packed shapes: the store's order
        body = wall.full(key, now, packed=True)
        for layer_id, layer in body["layers"].items():
            assert unpack_ids(layer["ids"]) == [f["id"] for f in features(layer_id)]
    assert rebuilt < done / 4  # most states were brought up to date, not rebuilt (a new day or cut-off rebuilds)


SCOPES = [  # (layers, street, community): a sub-district's screen, a community's, display links of fewer layers
    (("courtyards", "roads"), "大学路街道", None),
    (("courtyards", "roads"), None, "幸福社区"),
    (("courtyards", "roads"), "大学路街道", "金桥社区"),
    (("roads",), "福华街街道", None),
    (("courtyards",), None, None),
]


@pytest.mark.parametrize("backend", READERS)
@pytest.mark.parametrize("seed", [4, 5])
def test_a_scopes_full_state_from_the_kept_state_is_the_whole_state_cut(store_factory, campaign, clock, backend, seed):
    """`scoped_full` (what a screen of one sub-district, or a narrower display link, is sent) equals the whole
    state's JSON cut by `scoped_state` (what was sent before), byte for byte, through random edits that create,
    move between sub-districts and delete places."""
    kind, options = READERS[backend]
    writer, reader = store_factory(kind), store_factory(kind, **options)
    edits = RandomEdits(writer, clock, seed)
    wall = WallData(reader, campaign)
    compared = 0
    for _ in range(40):
        what = edits.step()
        now = clock()
        key = wall.key(now)
        for layers, street, community in SCOPES:
            scope = DisplayScope(layers=layers, street=street, community=community, all_layers=len(layers) == 2)
            keep = {layer_id: scope.place_ids(reader, layer_id) if scope.has_area else None
                    for layer_id, _ in key.layers if layer_id in layers}
            for packed in (True, False):
                cut = scoped_state(orjson.loads(dumps(wall.full(key, now, packed=packed))), keep, campaign)
                made = scoped_full(wall, key, now, keep, packed=packed)
                assert dumps(made) == dumps(cut), (what, layers, street, community, packed)
                compared += made["total"] > 0
    assert compared > 100  # (scopes that held places, not empty ones only)


def test_as_of_follows_the_latest_place_when_it_goes(store_factory, campaign, clock, make_feature):
    store = store_factory()
    wall = WallData(store, campaign)
    for x in (113.60, 113.61, 113.62):
        clock.advance(minutes=5)
        last = store.create("courtyards", make_feature(x=x), user="t").feature
    now = clock()
    assert wall.full(wall.key(now), now)["as_of"] == last["properties"]["updated_at"]
    store.delete("courtyards", last["id"], expected_version=1, user="t")
    key = wall.key(now)
    body = wall.full(key, now)
    second = store.features("courtyards")[-1]["properties"]["updated_at"]
    assert body["as_of"] == second < last["properties"]["updated_at"]
    assert dumps(body) == fresh(store, campaign, key, now, False)


def test_a_place_created_after_a_delete_goes_last_as_in_the_store(store_factory, campaign, clock, make_feature):
    store = store_factory()
    wall = WallData(store, campaign)
    for x in (113.60, 113.61, 113.62):
        store.create("courtyards", make_feature(x=x), user="t")
    now = clock()
    wall.full(wall.key(now), now, packed=True)
    store.delete("courtyards", "c-0001", expected_version=1, user="t")
    store.create("courtyards", make_feature(x=113.63), user="t")  # c-0004: a deleted place's id is not given again
    body = wall.full(wall.key(now), now, packed=True)
    assert unpack_ids(body["layers"]["courtyards"]["ids"]) == ["c-0002", "c-0003", "c-0004"]


def test_a_layer_file_behind_the_journal_is_read_with_the_journals_changes(store_factory, campaign, clock,
                                                                            make_feature, data_dir):
    """A save is a journal append; the layer file follows at a compaction. Until then (or when an older file is
    put back), the state is the file plus the journal after it: no revision is skipped, none waits."""
    store = store_factory()
    wall = WallData(store, campaign)
    for x in (113.60, 113.61):
        store.create("courtyards", make_feature(x=x), user="t")
    now = clock()
    wall.full(wall.key(now), now)
    layer_file = data_dir / "layers" / "courtyards.geojson"
    before = layer_file.read_bytes()
    store.update("courtyards", "c-0001", expected_version=1, user="t", properties={"status": "accepted"})
    store.create("courtyards", make_feature(x=113.62), user="t")
    assert layer_file.read_bytes() == before  # not compacted yet
    key = wall.key(now)
    assert key.revision == 4 and key.head == 4
    done = wall.full(key, now)
    assert done["layers"]["courtyards"]["features"]["c-0001"][0] == "accepted"
    assert list(done["layers"]["courtyards"]["features"]) == ["c-0001", "c-0002", "c-0003"]
    assert dumps(done) == fresh(store, campaign, key, now, False)


def test_what_forces_a_walk_from_scratch(store_factory, campaign, clock, make_feature, monkeypatch):
    store = store_factory()
    for x in (113.60, 113.61, 113.62):
        store.create("courtyards", make_feature(x=x), user="t")
    now = clock()
    old = Basis.of(store, 3, clock_of(campaign, now))
    assert changes_to(store, old, Basis.of(store, 3, clock_of(campaign, now))) == []
    store.update("courtyards", "c-0001", expected_version=1, user="t", properties={"status": "accepted"})
    new = Basis.of(store, 4, clock_of(campaign, now))
    assert [c.seq for c in changes_to(store, old, new)] == [4]
    assert changes_to(store, old, Basis.of(store, 4, clock_of(campaign, clock.advance(hours=16)))) is None  # a new day
    assert changes_to(store, Basis(3, old.clock, old.layers, (3, "another journal", "courtyards", "c-0003")), new) is None
    assert changes_to(store, Basis(5, old.clock, old.layers, None), new) == []  # a request whose key is older
    monkeypatch.setattr(catchup, "MAX_DELTA", 0)
    assert changes_to(store, old, new) is None  # too many changes
    broken = Basis(old.revision, old.clock, (("courtyards", 99), *old.layers[1:]), old.mark)
    assert changes_to(store, broken, new) is None  # a layer file older than before (restored, or saved elsewhere)


def test_a_gzip_made_of_kept_pieces_is_the_body(store_factory, campaign, clock, monkeypatch):
    """web/core/http.py (gzip_pieces) compresses only the pieces a revision changed; the member still decompresses to the body."""
    import gzip

    from web.core.http import gzip_pieces

    monkeypatch.setattr(wall_state, "BLOCK", 2)
    monkeypatch.setattr("web.core.http._LARGE", 8)  # small test bodies: their blocks count as large pieces
    store = store_factory()
    edits = RandomEdits(store, clock, 7)
    wall = WallData(store, campaign)
    kept_streams = {True: {}, False: {}}
    reused = 0
    for _ in range(25):
        edits.step()
        now = clock()
        key = wall.key(now)
        for packed in (True, False):
            before = dict(kept_streams[packed])
            pieces = wall.full_body(key, now, packed=packed)
            assert gzip.decompress(gzip_pieces(pieces, kept_streams[packed])) == b"".join(pieces)
            reused += sum(1 for k in kept_streams[packed] if k in before)
    assert reused > 0


@pytest.mark.parametrize("kind", ["geojson", "postgis"])
def test_the_extent_is_found_again_only_when_an_outline_or_an_area_changes(store_factory, campaign, clock, make_feature,
                                                                           monkeypatch, kind):
    store = store_factory(kind)
    wall = WallData(store, campaign)
    first = store.create("courtyards", make_feature(x=113.60), user="t").feature
    store.create("courtyards", make_feature(x=113.62), user="t")
    layers = ("courtyards", "roads")
    box = wall.extent(layers)
    asked, real = [], store.places_extent
    monkeypatch.setattr(store, "places_extent", lambda *args: asked.append(args[0]) or real(*args))
    store.update("courtyards", first["id"], expected_version=1, user="t", properties={"status": "rectified"})
    assert wall.extent(layers) == box and asked == []  # a status edit moves no outline
    far = store.create("courtyards", make_feature(x=113.70), user="t").feature
    wider = wall.extent(layers)
    assert asked == list(layers) and wider[2] == far["geometry"]["coordinates"][0][1][0] > box[2]


@pytest.mark.parametrize("kind", ["geojson", "postgis", "postgis-unkept"])
def test_a_layers_extent_of_a_scope_is_the_same_from_every_store(store_factory, make_feature, monkeypatch, kind):
    """Every store answers a layer's extent, whole or of a sub-district and community, alike: the embedded store by
    a walk folding its positions a batch at a time (here every 4), PostgreSQL in SQL, whether or not it keeps the
    layer; a place of another kind of geometry, a road's line, a point and a 3D position count as the wall draws
    them."""
    import geo.store.base as store_base

    monkeypatch.setattr(store_base._Bounds, "BATCH", 4)
    store = store_factory("postgis", layer_cache=0) if kind == "postgis-unkept" else store_factory(kind.split("-")[0])
    places = [(113.60, "大学路街道", "金桥社区"), (113.64, "大学路街道", "银河社区"), (113.70, "淮河路街道", "淮河社区")]
    for x, street, community in places:
        store.create("courtyards", make_feature(x=x, street=street, community=community), user="t")
    road = {"type": "LineString", "coordinates": [[113.55, 34.70, 95.5], [113.58, 34.76, 96.0]]}
    store.create("roads", {"type": "Feature", "geometry": road,
                           "properties": {"name": "大学路", "kind": "道路", "status": "pending", "street": "大学路街道"}},
                 user="t")
    assert store.places_extent("courtyards") == pytest.approx((113.60, 34.72, 113.701, 34.721))
    west, south, east, north = store.places_extent("courtyards", "大学路街道")
    assert west == 113.60 and east < 113.70
    assert store.places_extent("courtyards", "大学路街道", "银河社区")[0] == 113.64
    assert store.places_extent("courtyards", None, "淮河社区")[0] == 113.70
    assert store.places_extent("courtyards", "无此街道") is None
    assert store.places_extent("roads") == (113.55, 34.70, 113.58, 34.76)


class ReadCounter:
    """Counts the journal summaries and the places a store hands out (wraps `changes_since`, `get` and
    `get_many` on one store object)."""

    def __init__(self, store) -> None:
        self.summaries = self.places = self.reads = 0
        changes_since, get_many = store.changes_since, store.get_many

        def counted_changes(seq, upto=None):
            found = changes_since(seq, upto)
            self.summaries += len(found)
            return found

        def counted_many(layer_id, fids):
            found = get_many(layer_id, fids)
            self.reads += 1
            self.places += len(found)
            return found

        store.changes_since, store.get_many = counted_changes, counted_many

    def reset(self) -> None:
        self.summaries = self.places = self.reads = 0


@pytest.mark.parametrize("backend", ["geojson", "postgis"])
def test_a_poll_reads_only_the_changes_it_has_not_seen(store_factory, campaign, clock, make_feature, backend):
    """A layer nobody edits keeps an old revision all day. A poll once walked the journal from there to find
    whether a layer lagged, so its cost grew with the day's saves; now each poll reads what is new, and the
    places a delta or a catch-up derives again come in one read per layer."""
    store = store_factory(backend)
    for x in (113.60, 113.61, 113.62):
        store.create("courtyards", make_feature(x=x), user="t")
    wall = WallData(store, campaign)
    counter = ReadCounter(store)
    now = clock()
    versions = {"c-0001": 1, "c-0002": 1}
    for n in range(120):  # a day of saves on one layer; roads and villages stay as they were
        fid = ("c-0001", "c-0002")[n % 2]
        versions[fid] = store.update("courtyards", fid, expected_version=versions[fid], user="t",
                                     properties={"status": ("accepted", "in_progress")[n % 2]}).feature["properties"]["version"]
        if n % 40 == 0:
            wall.full(wall.key(now), now, packed=True)
    since = wall.key(now)
    wall.full(since, now, packed=True)
    assert dict(since.layers)["roads"] < since.head - 100  # the layer's revision is far behind the journal's
    store.update("courtyards", "c-0003", expected_version=1, user="t", properties={"status": "accepted"})
    store.update("courtyards", "c-0001", expected_version=versions["c-0001"], user="t",
                 properties={"status": "rectified"})
    counter.reset()
    key = wall.key(now)
    delta = wall.delta(since.revision, key, now)
    assert key.revision == since.revision + 2
    assert set(delta["layers"]["courtyards"]["features"]) == {"c-0001", "c-0003"}
    assert delta["layers"]["courtyards"]["features"]["c-0001"][0] == "rectified"
    assert dict(key.layers)["courtyards"] == key.head
    # the key's scan, the catch-up's mark and window, the delta's changes: each a few summaries, never the day's
    assert counter.summaries <= 20, counter.summaries  # (the day: 120)
    assert (counter.reads, counter.places) == (2, 4)  # the catch-up's two places, then the delta's, a read each


@pytest.mark.parametrize("backend", ["geojson", "postgis"])
def test_a_request_whose_key_was_read_before_the_last_ones_is_answered_without_a_walk(store_factory, campaign, clock,
                                                                                       make_feature, backend):
    """Threads of one worker take the state's lock in no set order: a poll that read its key (and its layers'
    revisions) before a save may catch up after one that read it later. Its older revisions are no restored
    layer file, and the kept state is not built again for it."""
    store = store_factory(backend)
    for x in (113.60, 113.61, 113.62):
        store.create("courtyards", make_feature(x=x), user="t")
    wall = WallData(store, campaign)
    now = clock()
    wall.full(wall.key(now), now)
    walks = WalkCounter(store)
    early = wall.key(now)
    store.update("courtyards", "c-0001", expected_version=1, user="t", properties={"status": "accepted"})
    late = wall.key(now)
    assert late.revision == early.revision + 1 and dict(late.layers)["courtyards"] > dict(early.layers)["courtyards"]
    assert wall.full(late, now)["layers"]["courtyards"]["features"]["c-0001"][0] == "accepted"
    assert wall.full(early, now)["layers"]["courtyards"]["features"]["c-0001"][0] == "accepted"  # the view, ahead
    assert walks.walks == 0
    assert dumps(wall.full(late, now)) == fresh(store, campaign, late, now, False)


def test_a_journal_put_in_the_place_of_another_as_long_is_scanned_again(store_factory, campaign, clock, make_feature,
                                                                         data_dir, tmp_path):
    """The wall keeps each layer's last change and last shape change from the journal's new changes. A journal
    (and its layers) put back from elsewhere with as many changes is another journal: scanned again."""
    other = tmp_path / "other"
    shutil.copytree(data_dir, other)
    store = store_factory()
    for x in (113.60, 113.61, 113.62):
        store.create("courtyards", make_feature(x=x), user="t")
    wall = WallData(store, campaign)
    assert wall.shape_revisions()["courtyards"] == 3 and wall.shape_revisions()["roads"] == 0
    elsewhere = open_store(other, campaign, clock=clock)  # the same campaign saved elsewhere: a road third
    for x in (113.60, 113.61):
        elsewhere.create("courtyards", make_feature(x=x), user="t")
    road = make_feature(name="航海路", kind="道路")
    road["geometry"] = {"type": "LineString", "coordinates": [[113.63, 34.72], [113.64, 34.73]]}
    elsewhere.create("roads", road, user="t")
    elsewhere.close()
    for name in ("layers/courtyards.geojson", "layers/roads.geojson", "journal.jsonl"):
        os.replace(other / name, data_dir / name)
    assert store.revision() == 3
    assert wall.shape_revisions()["courtyards"] == 2 and wall.shape_revisions()["roads"] == 3
    now = clock()
    key = wall.key(now)
    assert dict(key.layers)["roads"] == 3 and key.revision == 3


@pytest.mark.parametrize(("seed", "colliding"), [(1, False), (2, False), (3, True)])
def test_a_layers_kept_places_follow_random_sets_and_removals_as_a_dict_in_store_order(monkeypatch, seed, colliding):
    """`LayerState` keeps its places by position with gaps where places were taken out, found by their ids'
    hashes (sorted now and then, here every four new places; equal hashes in one run): runs of sets and removals,
    with the columns and blocks asked for now and then, answer what a dict in insertion order answers — the
    places, their last changes, the latest, the legend's counts, the packed columns and the serialised blocks."""
    import random

    monkeypatch.setattr(wall_state, "BLOCK", 4)
    monkeypatch.setattr(wall_state, "MERGE_AT", 4)
    if colliding:  # every id's hash one of three: places found among others of the same hash
        monkeypatch.setattr(wall_state, "id_hash", lambda fid: len(fid) % 3)
    rng = random.Random(seed)
    statuses = {"pending": 0, "in_progress": 1, "done": 300}  # (an index past a byte's range)
    layer, plain = wall_state.LayerState(statuses), {}
    for step in range(400):
        fid = f"c-{rng.randrange(30 if step < 200 else 90)}"
        if rng.random() < 0.3:
            layer.remove(fid)
            plain.pop(fid, None)
        else:
            cats, escalated = tuple(sorted(rng.sample(range(5), rng.randint(0, 2)))), rng.choice((0, 0, 1, 2))
            item = (rng.choice((*statuses, "unknown")), rng.randint(0, 1), rng.randint(0, 1), rng.randint(0, 3),
                    rng.randint(0, 2), *((cats,) if cats or escalated else ()), *((escalated,) if escalated else ()))
            updated = f"2026-12-0{rng.randint(1, 9)}T08:00:00+08:00"
            layer.set(fid, item, updated)
            plain[fid] = (item, updated)  # (a place set again keeps its position)
        assert (fid in layer) == (fid in plain)
        assert list(layer.places()) == [(f, v[0]) for f, v in plain.items()], step
        assert list(layer.stamps()) == [v[1] for v in plain.values()], step
        assert layer.latest() == max((v[1] for v in plain.values()), default=""), step
        items = [v[0] for v in plain.values()]
        assert layer.counts == {s: n for s in (*statuses, "unknown") if (n := sum(i[0] == s for i in items))}, step
        assert (layer.overdue_places, layer.overnight, layer.overdue_problems, layer.escalated) == (
            sum(i[1] for i in items), sum(i[2] for i in items), sum(i[4] for i in items),
            sum(len(i) > 6 for i in items)), step
        if rng.random() < 0.3:
            columns = {"status": [statuses.get(i[0], -1) for i in items],
                       "flags": [i[1] | i[2] << 1 | (i[6] if len(i) > 6 else 0) << 2 for i in items],
                       "open": [i[3] for i in items], "overdue_problems": [i[4] for i in items],
                       "categories": [i[5] if len(i) > 5 and i[5] else 0 for i in items]}
            packed = layer.packed()
            assert unpack_ids(packed["ids"]) == list(plain), step
            assert {name: packed[name] for name in columns} == columns, step
            assert b"".join(layer.blocks("features")) == dumps(dict(zip(plain, items)))[1:-1], step
            for name, values in columns.items():
                assert b"".join(layer.blocks(name)) == dumps(values)[1:-1], (step, name)
            # a scope's places (some of its ids not, or no longer, in the layer): the same, with only them
            keep = frozenset(rng.sample([f"c-{n}" for n in range(90)], rng.randint(0, 40)))
            rows = [i for i, f in enumerate(plain) if f in keep]
            scoped = wall_state.kept_places(layer.snapshot(packed=True), keep, packed=True)
            assert unpack_ids(scoped["ids"]) == [f for f in plain if f in keep], step
            assert {name: scoped[name] for name in columns} == {n: [v[i] for i in rows] for n, v in columns.items()}
        if rng.random() < 0.3:  # (with the gaps of places taken out, if any)
            keep = frozenset(rng.sample([f"c-{n}" for n in range(90)], rng.randint(0, 40)))
            assert wall_state.kept_places(layer.snapshot(packed=False), keep, packed=False) == {
                "features": {f: v[0] for f, v in plain.items() if f in keep}}, step
    layer.set("c-new", ("done", 1, 1, 0, 0, (), 2), "2026-12-10T08:00:00+08:00")  # overdue, overnight, at the district
    packed = layer.packed()
    assert (packed["status"][-1], packed["flags"][-1], layer.latest()) == (300, 1 + 2 + 8, "2026-12-10T08:00:00+08:00")
