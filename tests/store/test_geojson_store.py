"""The embedded GeoJSON store: files on disk, several processes, crashes, broken files."""

from __future__ import annotations

import copy
import functools
import json
import logging
import multiprocessing
import os
import re
import time
import traceback
import zlib
from pathlib import Path

import pytest
import shapely
from shapely.geometry import shape

import geo.geojson_io
import geo.journal
import geo.store.geojson
from geo.config import load_campaign
from geo.errors import BrokenLayer, Conflict, DiskFull, NotFound
from geo.messages import localize
from geo.store import open_store
from geo.store.geojson import JOURNAL_FILE
from tests.waiting import retry

LAYER = "courtyards"
LAYER_FILE = Path("layers") / "courtyards.geojson"
SPAWN = multiprocessing.get_context("spawn")
CHILD_TIMEOUT = 120
INTERLEAVE = 0.002  # seconds a writer leaves the lock free between its writes, so the writers interleave


@pytest.fixture
def store_factory(store_factory):
    """These tests look at the layer file after each write: compaction at every write (the whole-file write
    path, which every compaction takes). tests/store/test_geojson_compaction.py tests the journal-only writes."""
    return functools.partial(store_factory, compact_changes=1)


def _strict_json(data: bytes):
    """json.loads that refuses NaN/Infinity, as RFC 7946 (via RFC 8259) does."""

    def refuse(name):
        raise ValueError(f"non-standard JSON constant {name}")

    return json.loads(data, parse_constant=refuse)


def _journal(data_dir: Path) -> list[dict]:
    return [json.loads(line) for line in (data_dir / JOURNAL_FILE).read_bytes().splitlines() if line.strip()]


def _visible_layer_files(data_dir: Path) -> list[str]:
    return sorted(p.name for p in (data_dir / "layers").iterdir() if not p.name.startswith("."))


# --- the file on disk ---------------------------------------------------------------

def test_layer_file_is_one_feature_per_line_in_stable_key_order(store_factory, data_dir, make_feature):
    store = store_factory()
    store.create(LAYER, make_feature(name="兑周村1号院", deadline="2026-12-31",
                                     problems=[{"status": "open", "category": "飞线充电", "found_by": "每日随机督导"}]), user="alice")
    store.create(LAYER, make_feature(name="兑周村2号院", x=113.6312345678, y=34.7212345678), user="alice")
    raw = (data_dir / LAYER_FILE).read_bytes()
    lines = raw.decode("utf-8").split("\n")
    assert raw.endswith(b"]}\n")
    crc = zlib.crc32(raw[len(lines[0]) + 1:])  # of every byte after the first line: a snapshot read without parsing
    assert lines[0] == '{"type":"FeatureCollection","name":"courtyards","guatu":{"seq":2,"count":2,"crc":' \
                       f'{crc}}},"features":['
    assert lines[-2:] == ["]}", ""]
    feature_lines = lines[1:-2]
    assert len(feature_lines) == 2
    assert feature_lines[0].endswith(",") and not feature_lines[1].endswith(",")
    for line, fid in zip(feature_lines, ["c-0001", "c-0002"]):
        feature = json.loads(line.rstrip(","))
        assert list(feature) == ["type", "id", "properties", "geometry"]
        assert feature["id"] == fid
        keys = list(feature["properties"])
        assert keys[:5] == ["name", "kind", "street", "community", "status"]
        assert keys[-3:] == ["version", "updated_at", "updated_by"]
    problem = json.loads(feature_lines[0].rstrip(","))["properties"]["problems"][0]
    assert list(problem)[:2] == ["id", "category"] and list(problem)[-1] == "closed_on"


def test_layer_file_coordinates_have_at_most_six_decimals(store_factory, data_dir, make_feature):
    store = store_factory()
    store.create(LAYER, make_feature(x=113.6312345678, y=34.7212345678, size=0.0011111111), user="alice")
    raw = (data_dir / LAYER_FILE).read_text(encoding="utf-8")
    geometry_text = raw[raw.index('"geometry"'):]
    decimals = [len(d) for d in re.findall(r"\d\.(\d+)", geometry_text)]
    assert decimals and max(decimals) <= 6
    assert "113.631235" in geometry_text


def test_layer_file_is_valid_rfc7946_geojson(store_factory, data_dir, make_feature):
    store = store_factory()
    store.create(LAYER, make_feature(name="航海小区", x=113.62), user="alice")
    x, y, s = 113.63, 34.72, 0.001
    clockwise = make_feature(name="广秀园", kind="小游园")
    clockwise["geometry"]["coordinates"] = [[[x, y], [x, y + s], [x + s, y + s], [x + s, y], [x, y]]]
    store.create(LAYER, clockwise, user="alice")
    with open(data_dir / LAYER_FILE, encoding="utf-8") as fh:
        doc = json.load(fh)
    _strict_json((data_dir / LAYER_FILE).read_bytes())
    assert doc["type"] == "FeatureCollection"
    assert "crs" not in doc  # RFC 7946 drops crs: WGS84 lon/lat is implied
    assert [f["properties"]["name"] for f in doc["features"]] == ["航海小区", "广秀园"]
    for feature in doc["features"]:
        assert feature["type"] == "Feature" and isinstance(feature["id"], str)
        geom = shape(feature["geometry"])
        assert geom.is_valid
        ring = feature["geometry"]["coordinates"][0]
        assert ring[0] == ring[-1]
        assert shapely.is_ccw(geom.exterior)  # RFC 7946 §3.1.6: exterior rings counter-clockwise


def test_an_update_rewrites_only_its_own_line(store_factory, data_dir, make_feature):
    store = store_factory()
    for i in range(3):
        store.create(LAYER, make_feature(name=f"院{i}"), user="alice")
    before = (data_dir / LAYER_FILE).read_text(encoding="utf-8").split("\n")
    store.update(LAYER, "c-0002", expected_version=1, user="bob", properties={"status": "in_progress"})
    after = (data_dir / LAYER_FILE).read_text(encoding="utf-8").split("\n")
    changed = [i for i, (a, b) in enumerate(zip(before, after)) if a != b]
    assert len(before) == len(after)
    assert changed == [0, 2]  # the header's seq and the feature's own line


def test_empty_layer_has_no_file_until_written(store_factory, data_dir, make_feature):
    store = store_factory()
    assert store.features("villages") == []
    assert not (data_dir / "layers" / "villages.geojson").exists()
    assert json.loads(store.collection_bytes("villages"))["features"] == []


# --- several instances and processes ----------------------------------------------------

def test_second_store_on_the_same_dir_sees_writes_of_the_first(store_factory, make_feature):
    first = store_factory()
    second = store_factory()
    assert second.features(LAYER) == []
    first.create(LAYER, make_feature(name="中原东路5号院"), user="alice")
    assert second.get(LAYER, "c-0001")["properties"]["name"] == "中原东路5号院"
    assert second.revision() == 1
    second.update(LAYER, "c-0001", expected_version=1, user="bob", properties={"status": "rectified"})
    assert first.get(LAYER, "c-0001")["properties"]["status"] == "rectified"
    assert first.revision() == 2
    assert [c.user for c in first.changes_since(0)] == ["alice", "bob"]
    assert first.create(LAYER, make_feature(), user="alice").feature["id"] == "c-0002"


def test_stale_version_from_another_instance_is_refused(store_factory, make_feature):
    first = store_factory()
    second = store_factory()
    first.create(LAYER, make_feature(), user="alice")
    second.update(LAYER, "c-0001", expected_version=1, user="bob", properties={"status": "in_progress"})
    with pytest.raises(Conflict) as info:
        first.update(LAYER, "c-0001", expected_version=1, user="alice", properties={"status": "accepted"})
    assert "bob" in info.value.message and "version 2" in localize(info.value.message, "en")
    assert first.get(LAYER, "c-0001")["properties"]["status"] == "in_progress"


def _child_update(data_dir: str, fid: str, version: int, user: str, results) -> None:
    try:
        store = open_store(data_dir, load_campaign(data_dir), compact_changes=1)
        feature = store.update(LAYER, fid, expected_version=version, user=user, properties={"status": "in_progress"}).feature
        results.put(("ok", feature["properties"]["version"]))
    except BaseException:
        results.put(("error", traceback.format_exc()))


def test_stale_version_from_another_process_is_refused(store_factory, data_dir, make_feature):
    store = store_factory()
    store.create(LAYER, make_feature(name="康复前街11号院"), user="alice")
    seen = store.get(LAYER, "c-0001")["properties"]["version"]
    results = SPAWN.Queue()
    child = SPAWN.Process(target=_child_update, args=(str(data_dir), "c-0001", seen, "其他进程", results))
    child.start()
    outcome = results.get(timeout=CHILD_TIMEOUT)
    child.join(CHILD_TIMEOUT)
    assert outcome == ("ok", 2), outcome
    with pytest.raises(Conflict) as info:
        store.update(LAYER, "c-0001", expected_version=seen, user="alice", properties={"status": "accepted"})
    assert "其他进程" in info.value.message and "version 2" in localize(info.value.message, "en")
    props = store.get(LAYER, "c-0001")["properties"]
    assert (props["status"], props["version"], props["updated_by"]) == ("in_progress", 2, "其他进程")


def _concurrent_writer(data_dir: str, worker: int, creates: int, shared_id: str, template: dict, barrier, results) -> None:
    """Creates `creates` features and, after each, updates the shared one (retrying on Conflict)."""
    try:
        store = open_store(data_dir, load_campaign(data_dir), compact_changes=1)
        created, updates, conflicts = [], [], 0
        barrier.wait(CHILD_TIMEOUT)
        version = 0

        def save(i: int) -> dict:
            nonlocal version, conflicts
            try:
                return store.update(LAYER, shared_id, expected_version=version, user=f"w{worker}",
                                    properties={"notes": f"w{worker}-u{i}"}).feature
            except Conflict as exc:
                conflicts += 1
                version = exc.current["properties"]["version"]
                raise

        for i in range(creates):
            time.sleep(INTERLEAVE)
            # read the shared feature first, so other writers get in between: a real edit session
            version = store.get(LAYER, shared_id)["properties"]["version"]
            feature = copy.deepcopy(template)
            feature["properties"]["name"] = f"w{worker}-{i}"
            created.append((store.create(LAYER, feature, user=f"w{worker}").feature["id"], f"w{worker}-{i}"))
            done = retry(lambda i=i: save(i), f"w{worker}: update {i}", on=Conflict, timeout=CHILD_TIMEOUT)
            updates.append((done["properties"]["version"], f"w{worker}-u{i}"))
        results.put(("ok", worker, created, updates, conflicts))
    except BaseException:
        results.put(("error", worker, traceback.format_exc(), None, None))


def test_concurrent_writers_from_several_processes_lose_nothing(store_factory, data_dir, make_feature):
    workers, creates = 4, 25
    store = store_factory()
    shared = store.create(LAYER, make_feature(name="共享的院"), user="setup").feature["id"]
    template = make_feature(x=113.62, y=34.70)
    barrier = SPAWN.Barrier(workers)
    results = SPAWN.Queue()
    procs = [SPAWN.Process(target=_concurrent_writer, args=(str(data_dir), w, creates, shared, template, barrier, results))
             for w in range(workers)]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=CHILD_TIMEOUT) for _ in procs]
    for p in procs:
        p.join(CHILD_TIMEOUT)
        assert p.exitcode == 0
    errors = [o[2] for o in outcomes if o[0] != "ok"]
    assert not errors, errors[0]

    created = [c for o in outcomes for c in o[2]]
    updates = [u for o in outcomes for u in o[3]]
    assert len(created) == workers * creates
    assert len(updates) == workers * creates

    fresh = open_store(data_dir, load_campaign(data_dir), compact_changes=1)
    features = {f["id"]: f for f in fresh.features(LAYER)}
    # every acknowledged create is present, with the name it was given, once
    assert len({fid for fid, _ in created}) == len(created)
    for fid, name in created:
        assert features[fid]["properties"]["name"] == name
        assert features[fid]["properties"]["version"] == 1
    assert set(features) == {fid for fid, _ in created} | {shared}

    # every acknowledged update of the shared feature got its own version
    versions = sorted(v for v, _ in updates)
    assert versions == list(range(2, 2 + len(updates)))
    final = features[shared]["properties"]
    assert final["version"] == 1 + len(updates)
    assert final["notes"] == dict(updates)[final["version"]]

    # the journal holds exactly the acknowledged writes, seqs 1..N without gaps or duplicates
    journal = _journal(data_dir)
    assert len(journal) == 1 + len(created) + len(updates)
    assert [e["seq"] for e in journal] == list(range(1, len(journal) + 1))
    shared_entries = [e for e in journal if e["id"] == shared]
    assert [e["version"] for e in shared_entries] == list(range(1, final["version"] + 1))
    for entry in shared_entries[1:]:
        assert entry["after"]["properties"]["notes"] == dict(updates)[entry["version"]]
        assert entry["before"]["properties"]["version"] == entry["version"] - 1
    assert fresh.revision() == len(journal)
    assert fresh.layer_revision(LAYER) == len(journal)

    doc = _strict_json((data_dir / LAYER_FILE).read_bytes())
    assert len(doc["features"]) == 1 + workers * creates
    assert _visible_layer_files(data_dir) == ["courtyards.geojson"]


# --- crashes -----------------------------------------------------------------------------

def test_a_compaction_whose_rename_fails_leaves_the_file_and_the_change_in_the_journal(store_factory, data_dir,
                                                                                      make_feature, monkeypatch):
    store = store_factory()
    store.create(LAYER, make_feature(name="旧的院"), user="alice")
    old = (data_dir / LAYER_FILE).read_bytes()

    def failing_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(geo.geojson_io.os, "replace", failing_replace)
    created = store.create(LAYER, make_feature(name="新的院"), user="alice").feature  # the journal append is the commit
    monkeypatch.undo()
    assert [e["op"] for e in _journal(data_dir)] == ["create", "create"]
    assert (data_dir / LAYER_FILE).read_bytes() == old
    assert sorted(p.name for p in (data_dir / "layers").iterdir()) == ["courtyards.geojson"]  # temp file removed
    assert [f["properties"]["name"] for f in store_factory().features(LAYER)] == ["旧的院", "新的院"]

    store.update(LAYER, created["id"], expected_version=1, user="bob", properties={"status": "accepted"})
    assert [f["properties"]["name"] for f in _strict_json((data_dir / LAYER_FILE).read_bytes())["features"]] == \
        ["旧的院", "新的院"]  # compacted at the next write


def _crash_before_rename(data_dir: str, feature: dict) -> None:
    store = open_store(data_dir, load_campaign(data_dir), compact_changes=1)
    geo.geojson_io.os.replace = lambda *args, **kwargs: os._exit(17)  # the process dies mid-write
    store.create(LAYER, feature, user="crasher")
    os._exit(0)  # not reached


def test_crash_mid_write_leaves_the_previous_file_intact_and_is_recovered(store_factory, data_dir, make_feature, caplog):
    store = store_factory()
    store.create(LAYER, make_feature(name="旧的院"), user="alice")
    old = (data_dir / LAYER_FILE).read_bytes()

    child = SPAWN.Process(target=_crash_before_rename, args=(str(data_dir), make_feature(name="崩溃时写的院")))
    child.start()
    child.join(CHILD_TIMEOUT)
    assert child.exitcode == 17

    assert (data_dir / LAYER_FILE).read_bytes() == old
    _strict_json(old)
    assert _visible_layer_files(data_dir) == ["courtyards.geojson"]  # the dead writer's temp file is hidden

    with caplog.at_level(logging.WARNING, logger="geo.store.geojson"):
        reopened = open_store(data_dir, load_campaign(data_dir), compact_changes=1)
        reopened.revision()  # the first read after a start removes what the crash left
    assert any("left by a write that was killed" in r.getMessage() for r in caplog.records)
    names = {f["properties"]["name"] for f in reopened.features(LAYER)}  # the file and the journal after it
    assert names == {"旧的院", "崩溃时写的院"}
    assert _visible_layer_files(data_dir) == ["courtyards.geojson"]
    assert reopened.compact() == ["layers/courtyards.geojson"]
    assert {f["id"] for f in _strict_json((data_dir / LAYER_FILE).read_bytes())["features"]} == {"c-0001", "c-0002"}


def test_a_crash_between_journal_and_layer_file_loses_nothing_at_the_next_read(store_factory, data_dir, make_feature,
                                                                                 monkeypatch, caplog):
    store = store_factory()
    store.create(LAYER, make_feature(name="兑周村5号院"), user="alice")
    old = (data_dir / LAYER_FILE).read_bytes()

    def crash(self, *args, **kwargs):
        raise SystemExit("simulated crash after the journal append")

    monkeypatch.setattr(geo.store.geojson._Staged, "install", crash)
    with pytest.raises(SystemExit):
        store.update(LAYER, "c-0001", expected_version=1, user="bob", properties={"status": "accepted"})
    monkeypatch.undo()
    assert (data_dir / LAYER_FILE).read_bytes() == old
    assert [e["op"] for e in _journal(data_dir)] == ["create", "update"]

    with caplog.at_level(logging.WARNING, logger="geo.store.geojson"):
        reopened = store_factory()
        reopened.revision()
    props = reopened.get(LAYER, "c-0001")["properties"]
    assert (props["status"], props["version"], props["updated_by"]) == ("accepted", 2, "bob")
    assert reopened.layer_revision(LAYER) == 2
    assert _strict_json((data_dir / LAYER_FILE).read_bytes())["guatu"]["seq"] == 1  # the journal holds seq 2…
    reopened.compact()
    assert _strict_json((data_dir / LAYER_FILE).read_bytes())["guatu"]["seq"] == 2  # …until a compaction


def test_a_torn_last_journal_line_is_kept_aside_and_its_seq_never_reused(store_factory, data_dir, make_feature, caplog):
    store = store_factory()
    store.create(LAYER, make_feature(name="第一个院"), user="alice")
    good = (data_dir / JOURNAL_FILE).read_bytes()
    torn = b'{"seq":2,"at":"2026-11-24T08:00:00.000000Z","user":"ghost","op":"create","layer":"courty'
    with open(data_dir / JOURNAL_FILE, "ab") as fh:
        fh.write(torn)

    reader = store_factory()  # opening the store sets the torn line aside (it holds the write lock)
    assert reader.revision() == 1
    assert [c.seq for c in reader.changes_since(0)] == [1]
    assert reader.history(LAYER, "c-0001")[0]["op"] == "create"
    assert [f["properties"]["name"] for f in reader.features(LAYER)] == ["第一个院"]
    aside = data_dir / f"{JOURNAL_FILE}.torn-{len(good)}"
    assert aside.read_bytes() == torn
    assert (data_dir / JOURNAL_FILE).read_bytes() == good
    assert any(f"byte {len(good)}" in r.getMessage() and aside.name in r.getMessage() for r in caplog.records)
    assert reader.problems() == []

    reader.create(LAYER, make_feature(name="第二个院"), user="bob")
    entries = _journal(data_dir)
    assert [(e["seq"], e["user"]) for e in entries] == [(1, "alice"), (3, "bob")]  # 2 was the torn one's
    assert store.revision() == 3
    assert [c.user for c in store.changes_since(1)] == ["bob"]
    assert [f["properties"]["name"] for f in store.features(LAYER)] == ["第一个院", "第二个院"]
    assert aside.read_bytes() == torn


def test_a_torn_line_left_while_a_store_is_open_is_kept_aside_by_the_next_write(store_factory, data_dir, make_feature):
    store = store_factory()
    store.create(LAYER, make_feature(name="第一个院"), user="alice")
    size = (data_dir / JOURNAL_FILE).stat().st_size
    with open(data_dir / JOURNAL_FILE, "ab") as fh:
        fh.write(b'{"seq":7,"at":"2026-11-24T08:00')
    assert store.create(LAYER, make_feature(name="第二个院"), user="bob").change["seq"] == 8
    assert (data_dir / f"{JOURNAL_FILE}.torn-{size}").read_bytes() == b'{"seq":7,"at":"2026-11-24T08:00'
    assert [e["seq"] for e in _journal(data_dir)] == [1, 8]


def test_a_new_change_is_numbered_above_a_layer_file_that_is_ahead_of_the_journal(store_factory, data_dir, make_feature):
    store = store_factory()
    store.create(LAYER, make_feature(name="第一个院"), user="alice")
    store.create(LAYER, make_feature(name="第二个院"), user="alice")
    journal = data_dir / JOURNAL_FILE
    journal.write_bytes(journal.read_bytes().splitlines(keepends=True)[0])  # the journal lost its last change
    result = store_factory().create(LAYER, make_feature(name="第三个院"), user="bob")
    assert result.change["seq"] == 3


def test_failed_journal_append_writes_nothing(store_factory, data_dir, make_feature, monkeypatch):
    store = store_factory()
    store.create(LAYER, make_feature(), user="alice")
    journal_before = (data_dir / JOURNAL_FILE).read_bytes()
    layer_before = (data_dir / LAYER_FILE).read_bytes()

    def failing_fsync(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(geo.journal.os, "fsync", failing_fsync)
    with pytest.raises(OSError):
        store.create(LAYER, make_feature(name="写不进去"), user="bob")
    monkeypatch.undo()
    assert (data_dir / JOURNAL_FILE).read_bytes() == journal_before
    assert (data_dir / LAYER_FILE).read_bytes() == layer_before
    assert store.revision() == 1
    assert store.create(LAYER, make_feature(), user="bob").feature["id"] == "c-0002"


# --- files edited by hand or by other tools ---------------------------------------------------

def _break_line(path: Path, number: int) -> bytes:
    lines = path.read_bytes().split(b"\n")
    lines[number - 1] = lines[number - 1][: len(lines[number - 1]) // 2]  # cut a feature in half
    data = b"\n".join(lines)
    path.write_bytes(data)
    return data


def test_broken_layer_file_is_reported_with_file_and_line(store_factory, data_dir, make_feature, caplog):
    store = store_factory()
    for i in range(3):
        store.create(LAYER, make_feature(name=f"院{i}"), user="alice")
    road = make_feature(name="京广路", kind="道路")
    store.create("roads", road, user="alice")
    broken = _break_line(data_dir / LAYER_FILE, 3)
    journal = (data_dir / JOURNAL_FILE).read_bytes()

    for reader in (store, store_factory()):
        with pytest.raises(BrokenLayer) as info:
            reader.features(LAYER)
        assert "layers/courtyards.geojson 第 3 行" in info.value.message
        with pytest.raises(BrokenLayer):
            reader.get(LAYER, "c-0001")
        assert "第 3 行" in reader.layer_errors()[LAYER]
        assert [f["properties"]["name"] for f in reader.features("roads")] == ["京广路"]
        assert reader.get("roads", "r-0001")["properties"]["name"] == "京广路"
    assert any("line 3" in r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)
    assert (data_dir / LAYER_FILE).read_bytes() == broken  # reading never rewrites the file
    assert (data_dir / JOURNAL_FILE).read_bytes() == journal


# a geometry that parses as JSON but not as a geometry: each names what is wrong, as the write boundary does
UNREADABLE_GEOMETRIES = {
    "ring not closed": ({"type": "Polygon", "coordinates": [[[113.6, 34.7], [113.61, 34.7], [113.61, 34.71],
                                                          [113.6, 34.71]]]},
                        "多边形的环未闭合"),
    "numbers as text": ({"type": "Polygon", "coordinates": [[["113.6", "34.7"], [113.61, 34.7], [113.61, 34.71],
                                                            ["113.6", "34.7"]]]}, "坐标应为数字"),
    "no coordinates": ({"type": "Polygon"}, "缺少坐标"),
    "unknown type": ({"type": "Polygn", "coordinates": []}, "Polygn"),
    "nothing": (None, "没有几何"),
    "no position at all": ({"type": "MultiPolygon", "coordinates": []}, "几何为空"),
    "an empty part": ({"type": "MultiPolygon", "coordinates": [[], [[[113.6, 34.7], [113.61, 34.7], [113.61, 34.71],
                                                                   [113.6, 34.7]]]]}, "多部件几何中有空的部件"),
}


@pytest.mark.parametrize("layout", ["lines", "another tool's collection"])
@pytest.mark.parametrize("case", list(UNREADABLE_GEOMETRIES))
def test_a_place_whose_geometry_cannot_be_read_withholds_its_layer_with_the_reason(
        store_factory, data_dir, make_feature, case, layout):
    """A hand edit that leaves valid JSON but a geometry shapely cannot read (every reader hands the layer's
    geometries to shapely: the OGC API's index, printing, a pin's distances) is damage like a line cut short."""
    store = store_factory()
    for i in range(3):
        store.create(LAYER, make_feature(name=f"院{i}"), user="alice")
    store.create("roads", make_feature(name="京广路", kind="道路"), user="alice")
    geometry, words = UNREADABLE_GEOMETRIES[case]
    path = data_dir / LAYER_FILE
    sound = path.read_bytes()
    if layout == "lines":
        lines = path.read_text(encoding="utf-8").split("\n")
        feature = json.loads(lines[2].rstrip(","))
        feature["geometry"] = geometry
        lines[2] = json.dumps(feature, ensure_ascii=False) + ","
        path.write_text("\n".join(lines), encoding="utf-8")
        where = "layers/courtyards.geojson 第 3 行"
    else:
        doc = {"type": "FeatureCollection", "features": store.features(LAYER)}
        doc["features"][1]["geometry"] = geometry
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
        where = "layers/courtyards.geojson 第 2 个要素"
    edited = path.read_bytes()
    journal = (data_dir / JOURNAL_FILE).read_bytes()

    reader = store_factory()
    reason = reader.layer_errors()[LAYER]
    assert reason.startswith(f"{where}:要素 'c-0002' ") and words in reason
    with pytest.raises(BrokenLayer):
        reader.features(LAYER)
    with pytest.raises(BrokenLayer):
        reader.update(LAYER, "c-0001", expected_version=1, user="bob", properties={"status": "accepted"})
    assert [f["properties"]["name"] for f in reader.features("roads")] == ["京广路"]  # the rest is served
    assert any(where in f.problem for f in reader.check())  # `store check` names it too
    [problem] = reader.problems()  # the banner: correct that place, or repair
    assert problem.remedy.startswith("在该文件中改正所指的地点") and "store repair" in problem.remedy
    assert path.read_bytes() == edited and (data_dir / JOURNAL_FILE).read_bytes() == journal

    path.write_bytes(sound)  # put right and saved: the same process serves the layer again, no restart
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    assert [f["id"] for f in reader.features(LAYER)] == ["c-0001", "c-0002", "c-0003"] and reader.problems() == []


def test_writes_to_a_broken_layer_are_refused_and_leave_it_untouched(store_factory, data_dir, make_feature):
    store = store_factory()
    for i in range(3):
        store.create(LAYER, make_feature(name=f"院{i}"), user="alice")
    broken = _break_line(data_dir / LAYER_FILE, 3)
    journal = (data_dir / JOURNAL_FILE).read_bytes()

    with pytest.raises(BrokenLayer) as info:
        store.create(LAYER, make_feature(), user="bob")
    assert "layers/courtyards.geojson 第 3 行" in info.value.message
    with pytest.raises(BrokenLayer):
        store.update(LAYER, "c-0001", expected_version=1, user="bob", properties={"status": "accepted"})
    with pytest.raises(BrokenLayer):
        store.delete(LAYER, "c-0001", expected_version=1, user="bob")
    assert (data_dir / LAYER_FILE).read_bytes() == broken
    assert (data_dir / JOURNAL_FILE).read_bytes() == journal
    assert store.revision() == 3

    road = store.create("roads", make_feature(name="大学路", kind="道路"), user="bob").feature
    assert road["id"] == "r-0001"  # other layers stay writable
    assert (data_dir / LAYER_FILE).read_bytes() == broken


def test_pretty_printed_collection_from_another_tool_is_read(store_factory, data_dir, make_feature):
    features = []
    for i, name in enumerate(["铁路苗圃健身公园", "广秀园"], start=1):
        feature = make_feature(name=name, kind="小游园", x=113.62 + i / 100, version=3, updated_by="qgis")
        feature["id"] = f"c-{i:04d}"
        features.append(feature)
    doc = {"type": "FeatureCollection", "name": "courtyards", "features": features}
    path = data_dir / LAYER_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")

    store = store_factory()
    read = store.features(LAYER)
    assert [f["id"] for f in read] == ["c-0001", "c-0002"]
    assert read[1]["properties"]["name"] == "广秀园"
    assert read[1]["geometry"] == features[1]["geometry"]
    assert store.get(LAYER, "c-0001")["properties"]["version"] == 3

    store.update(LAYER, "c-0002", expected_version=3, user="alice", properties={"status": "accepted"})
    lines = path.read_text(encoding="utf-8").split("\n")
    assert len(lines) == 5  # rewritten in Guatu's own one-feature-per-line layout
    reread = store_factory()
    assert reread.get(LAYER, "c-0001")["properties"]["name"] == "铁路苗圃健身公园"
    assert reread.get(LAYER, "c-0002")["properties"]["version"] == 4


def test_unknown_feature_in_a_fresh_store_is_not_found(store_factory):
    with pytest.raises(NotFound):
        store_factory().get(LAYER, "c-0001")


def test_a_file_saved_by_another_program_is_kept_not_overwritten_by_the_journal(store_factory, data_dir, make_feature):
    """QGIS drops Guatu's header when it saves; its edits must survive the next open."""
    store = store_factory()
    store.create(LAYER, make_feature(name="兑周村1号院"), user="alice")
    store.create(LAYER, make_feature(name="兑周村2号院", x=113.64), user="alice")
    path = data_dir / LAYER_FILE
    doc = json.loads(path.read_bytes())
    doc.pop("guatu")
    doc["features"][0]["properties"]["name"] = "兑周村1号院(QGIS)"
    del doc["features"][1]
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")

    reopened = store_factory()
    assert [f["properties"]["name"] for f in reopened.features(LAYER)] == ["兑周村1号院(QGIS)"]
    first = reopened.features(LAYER)[0]
    reopened.update(LAYER, first["id"], properties={"status": "accepted"}, expected_version=1, user="bob")
    assert [f["properties"]["name"] for f in store_factory().features(LAYER)] == ["兑周村1号院(QGIS)"]


def test_a_write_that_fails_leaves_the_file_and_no_temp_copy(store_factory, data_dir, make_feature, monkeypatch):
    store = store_factory()
    store.create(LAYER, make_feature(name="兑周村5号院"), user="alice")
    old = (data_dir / LAYER_FILE).read_bytes()

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(geo.geojson_io.os, "fsync", disk_full)
    with pytest.raises(DiskFull):
        geo.geojson_io.atomic_write(data_dir / LAYER_FILE, old + b"\n")
    monkeypatch.undo()
    assert (data_dir / LAYER_FILE).read_bytes() == old
    assert not list((data_dir / LAYER_FILE).parent.glob("*.tmp"))


def test_temp_copies_left_by_a_killed_write_are_removed_at_the_first_read(store_factory, data_dir, make_feature, caplog):
    store_factory().create(LAYER, make_feature(name="兑周村5号院"), user="alice")
    layers = (data_dir / LAYER_FILE).parent
    stale = layers / f".{LAYER_FILE.name}.4242.tmp"
    stale.write_bytes(b'{"type":"FeatureCollection","features":[{"half')  # killed mid-write
    others = [layers / "notes.tmp", layers / f".{LAYER_FILE.name}.backup.tmp"]  # not ours: kept
    for path in others:
        path.write_bytes(b"x")
    with caplog.at_level(logging.WARNING, logger="geo.store.geojson"):
        store = store_factory()
        store.revision()  # the first read after a start finishes what the crash left
    assert not stale.exists()
    assert all(path.exists() for path in others)
    assert any(stale.name in r.getMessage() for r in caplog.records)
    assert [f["properties"]["name"] for f in store.features(LAYER)] == ["兑周村5号院"]
