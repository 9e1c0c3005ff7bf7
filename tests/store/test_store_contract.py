"""The contract every store backend keeps.

Run against each backend through the parametrised `store` fixture; a new
backend (e.g. PostGIS) joins by adding its name to `params` and a branch to
the `store_factory` fixture in tests/conftest.py.
"""

from __future__ import annotations

import copy
import time

import pytest

from geo.errors import Conflict, NotFound, StoreBusy, ValidationError
from geo.messages import t
from geo.scope import EVERYWHERE, OutOfScope, Scope
from geo.store import Op
from geo.store.base import iso

LAYER = "courtyards"


@pytest.fixture(params=["geojson", "postgis"])
def store(request, store_factory):
    return store_factory(request.param)


def _backend(store) -> str:
    return "postgis" if type(store).__name__ == "PostGISStore" else "geojson"


def _snapshot(store) -> tuple:
    """Everything a failed write must leave untouched."""
    features = {lid.id: copy.deepcopy(store.features(lid.id)) for lid in store.campaign.layers}
    return features, store.revision(), [s.seq for s in store.changes_since(0)]


# --- create and read -------------------------------------------------------------

def test_create_assigns_ids_versions_and_stamps(store, make_feature, clock):
    first = store.create(LAYER, make_feature(name="兑周村1号院"), user="alice")
    clock.advance(minutes=5)
    second = store.create(LAYER, make_feature(name="兑周村2号院"), user="bob")
    assert first.feature["id"] == "c-0001"
    assert second.feature["id"] == "c-0002"
    props = first.feature["properties"]
    assert props["version"] == 1
    assert props["updated_by"] == "alice"
    assert props["updated_at"] == "2026-11-24T08:00:00.000000Z"
    assert second.feature["properties"]["updated_at"] == iso(clock())
    assert second.feature["properties"]["updated_by"] == "bob"


def test_ids_continue_after_the_highest_existing_one(store, make_feature):
    store.create(LAYER, {**make_feature(), "id": "c-0041"}, user="alice")
    assert store.create(LAYER, make_feature(), user="alice").feature["id"] == "c-0042"


def test_each_layer_uses_its_own_id_prefix(store, make_feature):
    road = make_feature(name="京广路", kind="道路")
    road["geometry"] = {"type": "LineString", "coordinates": [[113.63, 34.72], [113.64, 34.73]]}
    assert store.create("roads", road, user="alice").feature["id"] == "r-0001"


def test_create_of_an_existing_id_is_a_conflict(store, make_feature):
    store.create(LAYER, {**make_feature(), "id": "c-0001"}, user="alice")
    with pytest.raises(Conflict):
        store.create(LAYER, {**make_feature(name="另一个院"), "id": "c-0001"}, user="bob")
    assert store.get(LAYER, "c-0001")["properties"]["name"] == "康复前街11号院"


def test_get_and_features_return_what_was_written(store, make_feature):
    a = store.create(LAYER, make_feature(name="航海小区"), user="alice").feature
    b = store.create(LAYER, make_feature(name="广秀园", kind="小游园", x=113.65), user="alice").feature
    assert store.get(LAYER, "c-0001") == a
    assert store.get(LAYER, "c-0002") == b
    assert sorted(f["id"] for f in store.features(LAYER)) == ["c-0001", "c-0002"]
    assert store.features("roads") == []


def test_get_many_returns_the_places_it_finds_by_id(store, make_feature):
    a = store.create(LAYER, make_feature(name="航海小区"), user="alice").feature
    b = store.create(LAYER, make_feature(name="广秀园", x=113.65), user="alice").feature
    assert store.get_many(LAYER, ["c-0002", "c-0009", "c-0001", "c-0002"]) == {"c-0002": b, "c-0001": a}
    assert store.get_many(LAYER, []) == {} and store.get_many("roads", ["r-0001"]) == {}
    with pytest.raises(NotFound):
        store.get_many("parks", ["c-0001"])


def test_blank_user_is_recorded_as_anonymous(store, make_feature):
    assert store.create(LAYER, make_feature(), user="  ").feature["properties"]["updated_by"] == "anonymous"


# --- update ----------------------------------------------------------------------

def test_update_merges_properties_and_bumps_version(store, make_feature, clock):
    created = store.create(LAYER, make_feature(name="中原东路5号院", street="大学路街道", unit="区住建局"), user="alice")
    clock.advance(hours=1)
    updated = store.update(LAYER, "c-0001", expected_version=1, user="bob", properties={"status": "in_progress"}).feature
    props = updated["properties"]
    assert props["status"] == "in_progress"
    assert props["version"] == 2
    assert props["updated_by"] == "bob"
    assert props["updated_at"] == "2026-11-24T09:00:00.000000Z"
    assert props["name"] == "中原东路5号院"
    assert props["street"] == "大学路街道"
    assert props["unit"] == "区住建局"
    assert updated["geometry"] == created.feature["geometry"]
    assert store.get(LAYER, "c-0001") == updated


def test_update_of_geometry_keeps_properties(store, make_feature):
    store.create(LAYER, make_feature(name="康复前街11号院"), user="alice")
    moved = make_feature(x=113.64)["geometry"]
    updated = store.update(LAYER, "c-0001", expected_version=1, user="bob", geometry=moved).feature
    assert updated["geometry"]["coordinates"][0][0] == [113.64, 34.72]
    assert updated["properties"]["name"] == "康复前街11号院"
    assert updated["properties"]["version"] == 2


def test_a_place_with_heights_is_kept_as_written_and_found_where_it_lies(store, make_feature):
    """Positions with a height (a GPS survey's or a CAD export's) are GeoJSON's too: kept as written, found by a box
    of its plan (PostgreSQL keeps the plan, x and y, in its geometry column, and refused a height there)."""
    feature = make_feature()
    feature["geometry"]["coordinates"] = [[[*p, 96.5] for p in feature["geometry"]["coordinates"][0]]]
    created = store.create(LAYER, feature, user="alice").feature
    assert store.get(LAYER, created["id"])["geometry"] == feature["geometry"]
    raised = make_feature(x=113.64)["geometry"]
    raised["coordinates"] = [[[*p, 97.0] for p in raised["coordinates"][0]]]
    store.update(LAYER, created["id"], expected_version=1, user="bob", geometry=raised)
    assert store.get(LAYER, created["id"])["geometry"] == raised
    assert store.places_extent(LAYER) == pytest.approx((113.64, 34.72, 113.641, 34.721))


def test_update_cannot_forge_system_properties(store, make_feature):
    store.create(LAYER, make_feature(), user="alice")
    props = store.update(LAYER, "c-0001", expected_version=1, user="bob",
                         properties={"version": 99, "updated_by": "mallory", "updated_at": "1999-01-01"}).feature["properties"]
    assert (props["version"], props["updated_by"]) == (2, "bob")
    assert props["updated_at"].startswith("2026-11-24")


def test_stale_update_is_refused(store, make_feature, clock):
    store.create(LAYER, make_feature(name="兑周村3号院"), user="alice")
    clock.advance(minutes=1)
    store.update(LAYER, "c-0001", expected_version=1, user="bob", properties={"status": "in_progress"})
    current = copy.deepcopy(store.get(LAYER, "c-0001"))
    revision = store.revision()
    with pytest.raises(Conflict) as info:
        store.update(LAYER, "c-0001", expected_version=1, user="carol", properties={"status": "accepted"})
    props = current["properties"]
    assert info.value.message == t("store.changed_meanwhile", id="c-0001", name=props["name"], version=2, user="bob",
                                   at=props["updated_at"], yours=1)
    assert info.value.current == current
    assert info.value.to_dict()["current"]["properties"]["version"] == 2
    assert store.get(LAYER, "c-0001") == current
    assert store.revision() == revision


def test_stale_delete_is_refused(store, make_feature):
    store.create(LAYER, make_feature(), user="alice")
    store.update(LAYER, "c-0001", expected_version=1, user="bob", properties={"status": "in_progress"})
    with pytest.raises(Conflict):
        store.delete(LAYER, "c-0001", expected_version=1, user="carol")
    assert store.get(LAYER, "c-0001")["properties"]["version"] == 2


def test_update_without_a_version_is_refused(store, make_feature):
    store.create(LAYER, make_feature(), user="alice")
    before = _snapshot(store)
    with pytest.raises(ValidationError) as info:
        store.update(LAYER, "c-0001", expected_version=None, user="bob", properties={"status": "accepted"})
    assert info.value.errors[0].field == "version"
    assert info.value.errors[0].feature == "c-0001"
    assert _snapshot(store) == before


def test_update_of_an_unknown_feature_is_not_found(store, make_feature):
    store.create(LAYER, make_feature(), user="alice")
    with pytest.raises(NotFound):
        store.update(LAYER, "c-9999", expected_version=1, user="bob", properties={"status": "accepted"})


def test_delete_of_an_unknown_feature_is_not_found(store):
    with pytest.raises(NotFound):
        store.delete(LAYER, "c-9999", expected_version=1, user="bob")


def test_get_of_an_unknown_feature_is_not_found(store):
    with pytest.raises(NotFound):
        store.get(LAYER, "c-0001")


def test_unknown_layer_is_not_found(store, make_feature):
    with pytest.raises(NotFound) as info:
        store.features("parks")
    assert "courtyards" in info.value.message  # says which layers exist
    with pytest.raises(NotFound):
        store.get("parks", "c-0001")
    with pytest.raises(NotFound):
        store.create("parks", make_feature(), user="alice")
    with pytest.raises(NotFound):
        store.history("parks", "c-0001")
    assert store.revision() == 0


# --- delete ----------------------------------------------------------------------

def test_delete_removes_the_feature_and_records_it(store, make_feature):
    created = store.create(LAYER, make_feature(), user="alice").feature
    store.create(LAYER, make_feature(name="留下的院"), user="alice")
    result = store.delete(LAYER, "c-0001", expected_version=1, user="bob")
    assert result.feature is None
    assert [f["id"] for f in store.features(LAYER)] == ["c-0002"]
    with pytest.raises(NotFound):
        store.get(LAYER, "c-0001")
    last = store.history(LAYER, "c-0001")[-1]
    assert last["op"] == "delete" and last["user"] == "bob" and last["version"] == 2
    assert last["before"] == created and last["after"] is None
    assert store.revision() == 3


def test_deleted_id_is_not_reused_while_a_higher_one_exists(store, make_feature):
    for _ in range(2):
        store.create(LAYER, make_feature(), user="alice")
    store.delete(LAYER, "c-0001", expected_version=1, user="alice")
    assert store.create(LAYER, make_feature(), user="alice").feature["id"] == "c-0003"


def test_the_id_of_a_deleted_highest_place_is_never_given_again(store, store_factory, make_feature):
    for _ in range(3):
        store.create(LAYER, make_feature(), user="alice")
    store.delete(LAYER, "c-0003", expected_version=1, user="alice")
    assert store.create(LAYER, make_feature(name="新院"), user="alice").feature["id"] == "c-0004"
    store.delete(LAYER, "c-0004", expected_version=1, user="alice")
    store.delete(LAYER, "c-0002", expected_version=1, user="alice")
    fresh = store_factory(_backend(store))  # as another process or instance: counts again from what is stored
    assert fresh.create(LAYER, make_feature(name="又一个"), user="bob").feature["id"] == "c-0005"
    assert store.create(LAYER, make_feature(name="再一个"), user="bob").feature["id"] == "c-0006"


def test_a_create_naming_the_id_of_a_deleted_place_is_refused(store, make_feature):
    store.create(LAYER, {**make_feature(name="旧院"), "id": "c-0007"}, user="alice")
    store.create(LAYER, {**make_feature(name="自定编号"), "id": "old-courtyard"}, user="alice")
    store.delete(LAYER, "c-0007", expected_version=1, user="alice")
    store.delete(LAYER, "old-courtyard", expected_version=1, user="alice")
    before = _snapshot(store)
    for fid in ("c-0007", "old-courtyard"):
        with pytest.raises(Conflict) as refused:
            store.create(LAYER, {**make_feature(name="冒名的院"), "id": fid}, user="mallory")
        assert fid in refused.value.message and "不会重复使用" in refused.value.message
    assert _snapshot(store) == before
    assert store.retired_ids(LAYER, ["c-0007", "old-courtyard", "c-0008", "c-0001"]) == {"c-0007", "old-courtyard"}
    assert store.create(LAYER, make_feature(name="新院"), user="alice").feature["id"] == "c-0008"


def test_a_deleted_place_history_and_versions_stay_its_own(store, make_feature):
    store.create(LAYER, make_feature(name="甲院"), user="alice")
    store.update(LAYER, "c-0001", expected_version=1, user="alice", properties={"status": "accepted"})
    store.delete(LAYER, "c-0001", expected_version=2, user="alice")
    new = store.create(LAYER, make_feature(name="乙院"), user="bob").feature
    assert new["id"] == "c-0002"
    assert [e["after"]["properties"]["name"] for e in store.history(LAYER, "c-0002")] == ["乙院"]
    with pytest.raises(NotFound):  # what a client holding "c-0001-v2" writes to: gone, not another place
        store.update(LAYER, "c-0001", expected_version=2, user="mallory", properties={"status": "pending"})


# --- all or nothing ---------------------------------------------------------------

def test_invalid_create_changes_nothing(store, make_feature):
    store.create(LAYER, make_feature(), user="alice")
    before = _snapshot(store)
    history = store.history(LAYER, "c-0001")
    with pytest.raises(ValidationError) as info:
        store.create(LAYER, make_feature(name="坏院", status="finished"), user="bob")
    assert info.value.errors[0].field == "status"
    assert _snapshot(store) == before
    assert store.history(LAYER, "c-0001") == history
    assert store.history(LAYER, "c-0002") == []


def test_invalid_update_changes_nothing(store, make_feature):
    store.create(LAYER, make_feature(), user="alice")
    before = _snapshot(store)
    history = store.history(LAYER, "c-0001")
    with pytest.raises(ValidationError):
        store.update(LAYER, "c-0001", expected_version=1, user="bob",
                     properties={"status": "accepted", "deadline": "tomorrow"})
    bad_geometry = make_feature(x=116.4, y=39.9)["geometry"]
    with pytest.raises(ValidationError):
        store.update(LAYER, "c-0001", expected_version=1, user="bob", geometry=bad_geometry)
    assert _snapshot(store) == before
    assert store.history(LAYER, "c-0001") == history


def test_batch_with_one_invalid_op_writes_nothing(store, make_feature):
    store.create(LAYER, make_feature(), user="alice")
    before = _snapshot(store)
    ops = [
        Op("create", LAYER, properties=make_feature(name="好院")["properties"], geometry=make_feature()["geometry"]),
        Op("update", LAYER, "c-0001", properties={"status": "accepted"}, expected_version=1),
        Op("create", LAYER, properties=make_feature(name="坏院", status="nope")["properties"], geometry=make_feature()["geometry"]),
    ]
    with pytest.raises(ValidationError) as info:
        store.apply(ops, user="bob")
    assert [e.field for e in info.value.errors] == ["status"]
    assert _snapshot(store) == before


def test_batch_with_one_stale_op_writes_nothing(store, make_feature):
    store.create(LAYER, make_feature(), user="alice")
    store.create(LAYER, make_feature(name="第二院"), user="alice")
    before = _snapshot(store)
    ops = [
        Op("update", LAYER, "c-0001", properties={"status": "accepted"}, expected_version=1),
        Op("update", LAYER, "c-0002", properties={"status": "accepted"}, expected_version=7),
    ]
    with pytest.raises(Conflict):
        store.apply(ops, user="bob")
    assert _snapshot(store) == before


def test_batch_with_one_missing_feature_writes_nothing(store, make_feature):
    store.create(LAYER, make_feature(), user="alice")
    before = _snapshot(store)
    ops = [
        Op("update", LAYER, "c-0001", properties={"status": "accepted"}, expected_version=1),
        Op("delete", LAYER, "c-0404", expected_version=1),
    ]
    with pytest.raises(NotFound):
        store.apply(ops, user="bob")
    assert _snapshot(store) == before


def test_valid_batch_is_applied_in_order_across_layers(store, make_feature):
    road = make_feature(name="航海路", kind="道路")
    ops = [
        Op("create", LAYER, properties=make_feature(name="甲院")["properties"], geometry=make_feature()["geometry"]),
        Op("create", LAYER, properties=make_feature(name="乙院")["properties"], geometry=make_feature()["geometry"]),
        Op("create", "roads", properties=road["properties"], geometry=road["geometry"]),
    ]
    results = store.apply(ops, user="alice")
    assert [r.feature["id"] for r in results] == ["c-0001", "c-0002", "r-0001"]
    assert [r.change["seq"] for r in results] == [1, 2, 3]
    assert store.revision() == 3
    assert store.get(LAYER, "c-0002")["properties"]["name"] == "乙院"


def test_batch_can_update_a_feature_it_created(store, make_feature):
    store.create(LAYER, make_feature(), user="alice")
    ops = [
        Op("update", LAYER, "c-0001", properties={"status": "in_progress"}, expected_version=1),
        Op("update", LAYER, "c-0001", properties={"status": "rectified"}, expected_version=2),
    ]
    store.apply(ops, user="bob")
    props = store.get(LAYER, "c-0001")["properties"]
    assert (props["status"], props["version"]) == ("rectified", 3)


def test_empty_batch_is_a_no_op(store):
    assert store.apply([], user="alice") == []
    assert store.revision() == 0


# --- history and changes -----------------------------------------------------------

def test_history_lists_entries_oldest_first(store, make_feature, clock):
    created = store.create(LAYER, make_feature(), user="alice").feature
    clock.advance(minutes=1)
    updated = store.update(LAYER, "c-0001", expected_version=1, user="bob", properties={"status": "in_progress"}).feature
    clock.advance(minutes=1)
    store.delete(LAYER, "c-0001", expected_version=2, user="carol")
    history = store.history(LAYER, "c-0001")
    assert [(h["user"], h["op"], h["version"]) for h in history] == [
        ("alice", "create", 1), ("bob", "update", 2), ("carol", "delete", 3)]
    assert [h["seq"] for h in history] == [1, 2, 3]
    assert [h["at"] for h in history] == [
        "2026-11-24T08:00:00.000000Z", "2026-11-24T08:01:00.000000Z", "2026-11-24T08:02:00.000000Z"]
    assert history[0]["before"] is None and history[0]["after"] == created
    assert history[1]["before"] == created and history[1]["after"] == updated
    assert history[2]["before"] == updated and history[2]["after"] is None
    assert all(h["layer"] == LAYER and h["id"] == "c-0001" for h in history)


def test_history_is_per_feature(store, make_feature):
    store.create(LAYER, make_feature(), user="alice")
    store.create(LAYER, make_feature(), user="alice")
    store.update(LAYER, "c-0002", expected_version=1, user="bob", properties={"status": "accepted"})
    assert [h["seq"] for h in store.history(LAYER, "c-0001")] == [1]
    assert [h["seq"] for h in store.history(LAYER, "c-0002")] == [2, 3]


def test_revision_grows_by_one_per_change(store, make_feature):
    assert store.revision() == 0
    store.create(LAYER, make_feature(), user="alice")
    assert store.revision() == 1
    store.update(LAYER, "c-0001", expected_version=1, user="alice", properties={"status": "in_progress"})
    assert store.revision() == 2
    store.apply([Op("create", LAYER, properties=make_feature()["properties"], geometry=make_feature()["geometry"]),
                 Op("create", LAYER, properties=make_feature()["properties"], geometry=make_feature()["geometry"])],
                user="alice")
    assert store.revision() == 4
    store.delete(LAYER, "c-0001", expected_version=2, user="alice")
    assert store.revision() == 5


def test_changes_since_returns_only_later_changes_with_flags(store, make_feature):
    store.create(LAYER, make_feature(), user="alice")
    mark = store.revision()
    store.update(LAYER, "c-0001", expected_version=1, user="bob", properties={"status": "in_progress"})
    store.update(LAYER, "c-0001", expected_version=2, user="bob", geometry=make_feature(x=113.64)["geometry"])
    store.delete(LAYER, "c-0001", expected_version=3, user="carol")
    changes = store.changes_since(mark)
    assert [c.seq for c in changes] == [2, 3, 4]
    assert [(c.op, c.user, c.version) for c in changes] == [("update", "bob", 2), ("update", "bob", 3), ("delete", "carol", 4)]
    assert [c.status for c in changes] == ["in_progress", "in_progress", None]
    assert [c.geometry_changed for c in changes] == [False, True, True]
    assert all(c.layer == LAYER and c.id == "c-0001" for c in changes)
    first = store.changes_since(0)[0]
    assert (first.op, first.status, first.geometry_changed) == ("create", "pending", True)
    assert store.changes_since(store.revision()) == []


def test_layer_revision_changes_only_for_the_written_layer(store, make_feature):
    assert store.layer_revision(LAYER) == 0
    assert store.layer_revision("roads") == 0
    store.create(LAYER, make_feature(), user="alice")
    assert store.layer_revision(LAYER) == 1
    assert store.layer_revision("roads") == 0
    road = make_feature(name="大学路", kind="道路")
    store.create("roads", road, user="alice")
    assert store.layer_revision("roads") == 2
    assert store.layer_revision(LAYER) == 1
    assert store.layer_revision("villages") == 0
    assert store.revision() == 2
    # all at once, as a wall's poll asks (PostGIS: one query)
    assert store.layer_revisions() == (2, {LAYER: 1, "roads": 2, "villages": 0})
    head, layers = store.readable_revisions()
    assert (head, dict(layers)) == (2, {LAYER: 1, "roads": 2, "villages": 0})


def test_collection_bytes_is_a_feature_collection_of_the_layer(store, make_feature):
    import json

    store.create(LAYER, make_feature(name="航海小区"), user="alice")
    doc = json.loads(store.collection_bytes(LAYER))
    assert doc["type"] == "FeatureCollection"
    assert [f["properties"]["name"] for f in doc["features"]] == ["航海小区"]


def test_writes_repaired_geometry_only_on_request(store, make_feature):
    x, y, s = 113.63, 34.72, 0.001
    bow_tie = make_feature()
    bow_tie["geometry"]["coordinates"] = [[[x, y], [x + s, y + s], [x + s, y], [x, y + s], [x, y]]]
    with pytest.raises(ValidationError):
        store.create(LAYER, bow_tie, user="alice")
    assert store.revision() == 0
    result = store.create(LAYER, bow_tie, user="alice", repair=True)
    assert result.notes and "make_valid" in result.notes[0]
    assert store.get(LAYER, result.feature["id"])["geometry"]["type"] == "MultiPolygon"


def test_records_are_kept_whole_by_kind_and_key(store, store_factory):
    assert store.record("inspections", "2026-11-24") is None and store.record_keys("inspections") == []
    listing = {"date": "2026-11-24", "seed": 7, "places": [{"id": "c-0001", "name": "<b>兑周村</b>", "result": None}]}
    with store.records_locked("inspections"):
        store.put_record("inspections", "2026-11-24", listing)
        store.put_record("inspections", "2026-11-23", {"date": "2026-11-23", "places": []})
    store.put_record("notes", "2026-11-24", {"other": "kind"})
    assert store.record("inspections", "2026-11-24") == listing
    assert store.record_keys("inspections") == ["2026-11-23", "2026-11-24"]
    with store.records_locked("inspections"):
        store.put_record("inspections", "2026-11-24", {**listing, "seed": 8})  # replaced whole
    assert store.record("inspections", "2026-11-24")["seed"] == 8
    assert store.record_keys("notes") == ["2026-11-24"]


def test_the_records_lock_is_one_for_every_process_and_instance(store, store_factory):
    """While one instance holds a kind's lock, another waits and gets StoreBusy at its lock timeout;
    another kind is free."""
    backend = "postgis" if type(store).__name__ == "PostGISStore" else "geojson"
    other = store_factory(backend, lock_timeout=0.3)
    with store.records_locked("inspections"):
        started = time.monotonic()
        with pytest.raises(StoreBusy):
            with other.records_locked("inspections"):
                pass
        assert time.monotonic() - started >= 0.25
        with other.records_locked("notes"):
            pass
    with other.records_locked("inspections"):  # free again
        other.put_record("inspections", "k", {"by": "other"})
    assert store.record("inspections", "k") == {"by": "other"}


def test_a_record_deleted_is_gone_and_deleting_none_is_nothing(store):
    with store.records_locked("notes"):
        store.put_record("notes", "a", {"n": 1})
        store.put_record("notes", "b", {"n": 2})
        store.delete_record("notes", "a")
        store.delete_record("notes", "never")
    assert store.record("notes", "a") is None and store.record_keys("notes") == ["b"]


def test_one_leader_among_instances_and_the_lock_passes_on_when_released(store, store_factory):
    """Two instances on one campaign ask for the sender's lock: one has it until it lets go, then the other
    gets it; another name is another lock."""
    other = store_factory(_backend(store))
    mine, theirs = store.leader_lock("notify"), other.leader_lock("notify")
    assert mine.try_acquire() is True
    assert theirs.try_acquire() is False
    assert mine.try_acquire() is True  # still held, checked again
    assert other.leader_lock("reports").try_acquire() is True
    mine.release()
    assert theirs.try_acquire() is True and mine.try_acquire() is False
    theirs.release()


# --- scopes (三级管理): every write is checked against the writer's scope, inside the transaction ---------------

def _scoped_places(store, make_feature) -> tuple[str, str]:
    """Two courtyards: one of 大学路街道 / 金桥社区 / 区住建局, one of 长江路街道 / 庆丰社区 / 区商务局."""
    mine = store.create(LAYER, make_feature(name="金桥1号院", street="大学路街道", community="金桥社区", unit="区住建局"),
                        user="alice").feature["id"]
    other = store.create(LAYER, make_feature(name="庆丰2号院", x=113.65, street="长江路街道", community="庆丰社区",
                                             unit="区商务局"), user="alice").feature["id"]
    return mine, other


@pytest.mark.parametrize("scope", [Scope(streets=("大学路街道",)), Scope(communities=("金桥社区",)), Scope(units=("区住建局",))],
                         ids=["street", "community", "unit"])
def test_a_scoped_write_inside_the_scope_is_applied(store, make_feature, scope):
    mine, _ = _scoped_places(store, make_feature)
    result = store.update(LAYER, mine, expected_version=1, user="bob", properties={"status": "in_progress"}, scope=scope)
    assert result.feature["properties"]["status"] == "in_progress"
    created = store.create(LAYER, make_feature(name="金桥3号院", x=113.67, street="大学路街道", community="金桥社区",
                                               unit="区住建局"), user="bob", scope=scope)
    assert created.feature["properties"]["version"] == 1
    store.delete(LAYER, created.feature["id"], expected_version=1, user="bob", scope=scope)
    assert [c.user for c in store.changes_since(2)] == ["bob", "bob", "bob"]


@pytest.mark.parametrize("scope", [Scope(streets=("大学路街道",)), Scope(communities=("金桥社区",)), Scope(units=("区住建局",))],
                         ids=["street", "community", "unit"])
def test_every_write_outside_the_scope_is_refused_and_changes_nothing(store, make_feature, scope):
    mine, other = _scoped_places(store, make_feature)
    before = _snapshot(store)
    attempts = {
        "update": lambda: store.update(LAYER, other, expected_version=1, user="bob", properties={"status": "in_progress"},
                                       scope=scope),
        "delete": lambda: store.delete(LAYER, other, expected_version=1, user="bob", scope=scope),
        "create": lambda: store.create(LAYER, make_feature(name="庆丰9号院", x=113.67, street="长江路街道",
                                                           community="庆丰社区", unit="区商务局"), user="bob", scope=scope),
        "move out": lambda: store.update(LAYER, mine, expected_version=1, user="bob", scope=scope,
                                         properties={"street": "长江路街道", "community": "庆丰社区", "unit": "区商务局"}),
        "take in": lambda: store.update(LAYER, other, expected_version=1, user="bob", scope=scope,
                                        properties={"street": "大学路街道", "community": "金桥社区", "unit": "区住建局"}),
        "photos": lambda: store.update(LAYER, other, expected_version=1, user="bob", photos=[], scope=scope),
        "batch": lambda: store.apply([Op("update", LAYER, mine, {"status": "in_progress"}, expected_version=1),
                                      Op("update", LAYER, other, {"status": "in_progress"}, expected_version=1)],
                                     user="bob", scope=scope),
    }
    for what, attempt in attempts.items():
        with pytest.raises(OutOfScope) as refused:
            attempt()
        assert scope.describe() in refused.value.message, what
        assert refused.value.to_dict()["scope"] == scope.to_dict()
        assert _snapshot(store) == before, what


def test_the_scope_is_checked_before_the_version(store, make_feature):
    _, other = _scoped_places(store, make_feature)
    with pytest.raises(OutOfScope):  # a stale version outside the scope says nothing of the place's version
        store.update(LAYER, other, expected_version=7, user="bob", properties={"status": "in_progress"},
                     scope=Scope(streets=("大学路街道",)))


def test_the_whole_district_and_no_scope_write_anywhere(store, make_feature):
    _, other = _scoped_places(store, make_feature)
    store.update(LAYER, other, expected_version=1, user="bob", properties={"status": "in_progress"}, scope=EVERYWHERE)
    store.update(LAYER, other, expected_version=2, user="bob", properties={"status": "pending"})
    assert store.get(LAYER, other)["properties"]["version"] == 3
