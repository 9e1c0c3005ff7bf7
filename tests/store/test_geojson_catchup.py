"""The embedded store's copy of a layer catches up from the journal when another
process wrote, and reads the whole file again whenever catching up is not safe."""

from __future__ import annotations

import functools
import json
import logging
import multiprocessing
import os
import queue
import shutil
import threading
import time
import traceback
from pathlib import Path

import pytest

import geo.journal
import geo.store.geojson
from geo.config import load_campaign
from geo.geojson_io import collection_bytes, feature_line
from geo.journal import Journal
from geo.store import Op, open_store
from geo.store.geojson import JOURNAL_FILE

LAYER = "courtyards"
LAYER_FILE = Path("layers") / "courtyards.geojson"
SPAWN = multiprocessing.get_context("spawn")
CHILD_TIMEOUT = 120


@pytest.fixture
def store_factory(store_factory):
    """These tests look at the layer file after each write: compaction at every write (the whole-file write
    path, which every compaction takes). tests/store/test_geojson_compaction.py tests the journal-only writes."""
    return functools.partial(store_factory, compact_changes=1)


def _counts(store) -> tuple[int, int]:
    lf = store._files[LAYER]
    return lf.parses, lf.catch_ups


def _on_disk(data_dir: Path) -> list[dict]:
    """The layer's features as a plain JSON parse of the file gives them, in file order."""
    return json.loads((data_dir / LAYER_FILE).read_bytes())["features"]


def _journal_entries(data_dir: Path) -> list[dict]:
    return [json.loads(line) for line in (data_dir / JOURNAL_FILE).read_bytes().splitlines() if line.strip()]


def _seed(store, make_feature, n: int = 4) -> None:
    for i in range(n):
        store.create(LAYER, make_feature(name=f"兑周村{i + 1}号院", x=113.62 + i / 1000), user="alice")


def _assert_same_as_a_fresh_open(store, data_dir: Path) -> None:
    fresh = open_store(data_dir, load_campaign(data_dir), compact_changes=1)
    assert store.features(LAYER) == fresh.features(LAYER) == _on_disk(data_dir)
    assert [f["id"] for f in store.features(LAYER)] == [f["id"] for f in fresh.features(LAYER)]  # same order
    assert store.layer_revision(LAYER) == fresh.layer_revision(LAYER)
    assert store.collection_bytes(LAYER) == (data_dir / LAYER_FILE).read_bytes()


# --- catching up ----------------------------------------------------------------------------

def _create(store, make_feature) -> None:
    store.create(LAYER, make_feature(name="新建的院", x=113.65), user="bob")


def _update_status(store, make_feature) -> None:
    store.update(LAYER, "c-0002", expected_version=1, user="bob", properties={"status": "in_progress"})


def _update_geometry(store, make_feature) -> None:
    store.update(LAYER, "c-0003", expected_version=1, user="bob", geometry=make_feature(x=113.7, size=0.002)["geometry"])


def _delete(store, make_feature) -> None:
    store.delete(LAYER, "c-0001", expected_version=1, user="bob")


def _batch_with_other_layers(store, make_feature) -> None:
    road = make_feature(name="京广路", kind="道路")
    store.create("roads", road, user="bob")  # a change to another layer in between
    store.apply([
        Op("update", LAYER, "c-0004", {"status": "in_progress"}, expected_version=1),
        Op("create", LAYER, properties=make_feature(name="批量新建")["properties"], geometry=road["geometry"]),
        Op("delete", LAYER, "c-0002", expected_version=1),
        Op("create", "roads", properties=road["properties"], geometry=road["geometry"]),
    ], user="bob")
    store.update(LAYER, "c-0004", expected_version=2, user="carol", properties={"notes": "第二次"})


@pytest.mark.parametrize("change", [_create, _update_status, _update_geometry, _delete, _batch_with_other_layers])
def test_a_second_store_catches_up_with_the_firsts_writes_without_parsing(store_factory, data_dir, make_feature, change):
    first = store_factory()
    _seed(first, make_feature)
    second = store_factory()
    assert len(second.features(LAYER)) == 4
    parses, catch_ups = _counts(second)

    change(first, make_feature)

    assert second.features(LAYER) == first.features(LAYER)
    assert _counts(second) == (parses, catch_ups + 1)
    _assert_same_as_a_fresh_open(second, data_dir)
    assert _counts(second)[0] == parses


def test_a_store_that_caught_up_writes_what_a_fresh_store_would(store_factory, data_dir, make_feature):
    first = store_factory()
    _seed(first, make_feature)
    second = store_factory()
    assert second.create(LAYER, make_feature(name="第二个写"), user="bob").feature["id"] == "c-0005"
    first.create(LAYER, make_feature(name="第一个写"), user="alice")  # c-0006, seen by catching up
    first.update(LAYER, "c-0001", expected_version=1, user="alice", properties={"status": "rectified"})
    parses = _counts(second)[0]

    assert second.create(LAYER, make_feature(name="又一个"), user="bob").feature["id"] == "c-0007"
    second.update(LAYER, "c-0001", expected_version=2, user="bob", properties={"status": "accepted"})
    first.delete(LAYER, "c-0007", expected_version=1, user="alice")
    assert second.create(LAYER, make_feature(name="删后再建"), user="bob").feature["id"] == "c-0008"  # never reused

    assert _counts(second)[0] == parses
    expected = collection_bytes((feature_line(f) for f in _on_disk(data_dir)), name=LAYER,
                                members={"guatu": {"seq": second.revision(), "count": len(_on_disk(data_dir))}},
                                checksum="guatu")
    assert (data_dir / LAYER_FILE).read_bytes() == expected
    _assert_same_as_a_fresh_open(second, data_dir)
    _assert_same_as_a_fresh_open(first, data_dir)


def test_a_change_recovered_by_another_store_is_caught_up(store_factory, data_dir, make_feature, monkeypatch):
    first = store_factory()
    _seed(first, make_feature)
    reader = store_factory()
    reader.features(LAYER)
    parses = _counts(reader)[0]

    def crash(self, *args, **kwargs):
        raise SystemExit("simulated crash after the journal append")

    monkeypatch.setattr(geo.store.geojson._Staged, "install", crash)
    with pytest.raises(SystemExit):
        first.update(LAYER, "c-0002", expected_version=1, user="bob", properties={"status": "accepted"})
    monkeypatch.undo()
    # the journal append is the commit: the change is read at once, though no layer file shows it yet
    assert reader.get(LAYER, "c-0002")["properties"]["version"] == 2
    assert _on_disk(data_dir)[1]["properties"]["version"] == 1

    store_factory().update(LAYER, "c-0003", expected_version=1, user="carol", properties={"status": "rectified"})
    assert reader.get(LAYER, "c-0002")["properties"]["status"] == "accepted"
    assert reader.get(LAYER, "c-0003")["properties"]["status"] == "rectified"
    assert _counts(reader)[0] == parses
    _assert_same_as_a_fresh_open(reader, data_dir)


def _child_writes(data_dir: str, results) -> None:
    try:
        store = open_store(data_dir, load_campaign(data_dir), compact_changes=1)
        created = store.create(LAYER, {"type": "Feature", "properties": {"name": "别的进程建的", "kind": "楼院", "status": "pending"},
                                       "geometry": store.get(LAYER, "c-0001")["geometry"]}, user="child").feature["id"]
        store.update(LAYER, "c-0002", expected_version=1, user="child", properties={"status": "in_progress"})
        store.delete(LAYER, "c-0003", expected_version=1, user="child")
        results.put(("ok", created))
    except BaseException:
        results.put(("error", traceback.format_exc()))


def test_writes_of_another_process_are_caught_up(store_factory, data_dir, make_feature):
    store = store_factory()
    _seed(store, make_feature)
    parses, catch_ups = _counts(store)
    results = SPAWN.Queue()
    child = SPAWN.Process(target=_child_writes, args=(str(data_dir), results))
    child.start()
    outcome = results.get(timeout=CHILD_TIMEOUT)
    child.join(CHILD_TIMEOUT)
    assert outcome == ("ok", "c-0005"), outcome

    assert [f["id"] for f in store.features(LAYER)] == ["c-0001", "c-0002", "c-0004", "c-0005"]
    assert store.get(LAYER, "c-0002")["properties"]["updated_by"] == "child"
    assert _counts(store) == (parses, catch_ups + 1)
    _assert_same_as_a_fresh_open(store, data_dir)


def _child_burst(data_dir: str, worker: int, n: int, results) -> None:
    try:
        store = open_store(data_dir, load_campaign(data_dir), compact_changes=1)
        geometry = store.get(LAYER, "c-0001")["geometry"]
        for i in range(n):
            properties = {"name": f"w{worker}-{i}", "kind": "楼院", "status": "pending"}
            fid = store.create(LAYER, {"type": "Feature", "properties": properties, "geometry": geometry},
                               user=f"w{worker}").feature["id"]
            if i % 3 == 1:
                store.update(LAYER, fid, expected_version=1, user=f"w{worker}", properties={"status": "in_progress"})
            elif i % 3 == 2:
                store.delete(LAYER, fid, expected_version=1, user=f"w{worker}")
        results.put(("ok", worker))
    except BaseException:
        results.put(("error", traceback.format_exc()))


def test_a_reader_polling_while_processes_write_only_ever_catches_up(store_factory, data_dir, make_feature):
    reader = store_factory()
    _seed(reader, make_feature, 2)
    parses, catch_ups = _counts(reader)
    results = SPAWN.Queue()
    children = [SPAWN.Process(target=_child_burst, args=(str(data_dir), w, 15, results)) for w in range(2)]
    for child in children:
        child.start()
    done, deadline = [], time.monotonic() + CHILD_TIMEOUT
    while len(done) < len(children):
        assert time.monotonic() < deadline, "the writers did not finish"
        reader.layer_revision(LAYER)
        ids = [f["id"] for f in reader.features(LAYER)]
        assert len(ids) == len(set(ids))
        try:
            done.append(results.get(timeout=0.01))
        except queue.Empty:
            pass
    for child in children:
        child.join(CHILD_TIMEOUT)
    assert all(o[0] == "ok" for o in done), done

    assert _counts(reader)[0] == parses
    assert _counts(reader)[1] > catch_ups
    _assert_same_as_a_fresh_open(reader, data_dir)
    assert len(reader.features(LAYER)) == 2 + 2 * 10


# --- reading the whole file when catching up is not safe ------------------------------------------

def _saved_by_another_tool(data_dir: Path, first, second) -> None:
    doc = json.loads((data_dir / LAYER_FILE).read_bytes())
    doc.pop("guatu")
    doc["features"][0]["properties"]["name"] = "兑周村1号院(QGIS)"
    (data_dir / LAYER_FILE).write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")


def _saved_by_another_tool_in_our_layout(data_dir: Path, first, second) -> None:
    path = data_dir / LAYER_FILE
    lines = path.read_bytes().split(b"\n")
    lines[0] = b'{"type":"FeatureCollection","name":"courtyards","features":['  # the header dropped
    lines[1] = lines[1].replace("兑周村1号院".encode(), "兑周村1号院(另存)".encode())
    path.write_bytes(b"\n".join(lines))


def _edited_in_place(data_dir: Path, first, second) -> None:
    path = data_dir / LAYER_FILE
    path.write_bytes(path.read_bytes().replace("兑周村2号院".encode(), "兑周村二号院(手改)".encode()))


def _edited_then_written_by_guatu(data_dir: Path, first, second) -> None:
    _edited_in_place(data_dir, first, second)  # another feature than the one written next: caught by the file's size
    first.update(LAYER, "c-0004", expected_version=1, user="bob", properties={"status": "in_progress"})


def _edited_same_feature_then_written_by_guatu(data_dir: Path, first, second) -> None:
    path = data_dir / LAYER_FILE
    path.write_bytes(path.read_bytes().replace(b'"status":"pending"', b'"status":"rectified"', 1))  # c-0001
    first.update(LAYER, "c-0001", expected_version=1, user="bob", properties={"notes": "改过"})


def _seq_backwards(data_dir: Path, first, second) -> None:
    path = data_dir / LAYER_FILE
    older = path.read_bytes()
    first.update(LAYER, "c-0001", expected_version=1, user="bob", properties={"status": "in_progress"})
    second.features(LAYER)  # caught up to the newer file first
    path.write_bytes(older)  # put back: a restore of the layer file alone


def _seq_beyond_the_journal(data_dir: Path, first, second) -> None:
    path = data_dir / LAYER_FILE
    data = path.read_bytes().replace(b'"guatu":{"seq":4,', b'"guatu":{"seq":9,', 1)
    path.write_bytes(data.replace("兑周村3号院".encode(), "兑周村三号院".encode()))


def _journal_gap(data_dir: Path, first, second) -> None:
    first.update(LAYER, "c-0001", expected_version=1, user="bob", properties={"status": "in_progress"})
    first.update(LAYER, "c-0002", expected_version=1, user="bob", properties={"status": "in_progress"})
    journal = data_dir / JOURNAL_FILE
    lines = journal.read_bytes().splitlines(keepends=True)
    with open(journal, "r+b") as fh:  # in place, as a careless edit would: same file, one change gone
        fh.write(b"".join(lines[:4] + lines[5:]))
        fh.truncate()


def _journal_replaced(data_dir: Path, first, second) -> None:
    first.update(LAYER, "c-0001", expected_version=1, user="bob", properties={"status": "in_progress"})
    journal = data_dir / JOURNAL_FILE
    shutil.copy(journal, journal.with_name("journal.copy"))
    os.replace(journal.with_name("journal.copy"), journal)


FALLBACKS = {
    "saved by another tool": (_saved_by_another_tool, "not Guatu's"),
    "saved by another tool in our layout": (_saved_by_another_tool_in_our_layout, "not Guatu's"),
    "edited in place": (_edited_in_place, "not ahead"),
    "edited, then written by Guatu": (_edited_then_written_by_guatu, "size differs"),
    "same feature edited, then written by Guatu": (_edited_same_feature_then_written_by_guatu, "before-image"),
    "seq went backwards": (_seq_backwards, "not ahead"),
    "seq beyond the journal": (_seq_beyond_the_journal, "does not hold every change"),
    "gap in the journal": (_journal_gap, "does not hold every change"),
    "journal replaced": (_journal_replaced, "journal was replaced"),
}


@pytest.mark.parametrize("case", FALLBACKS, ids=list(FALLBACKS))
def test_the_whole_file_is_read_when_catching_up_is_not_safe(store_factory, data_dir, make_feature, caplog, case):
    disturb, reason = FALLBACKS[case]
    first = store_factory()
    _seed(first, make_feature)
    second = store_factory()
    second.features(LAYER)

    with caplog.at_level(logging.DEBUG, logger="geo.store.geojson"):
        disturb(data_dir, first, second)
        parses, catch_ups = _counts(second)
        got = second.features(LAYER)

    # the file as a parse gives it, plus the journal's changes after its seq (a layer file put back alone is
    # a snapshot: the journal is the record), as a fresh open reads it
    assert got == open_store(data_dir, load_campaign(data_dir)).features(LAYER)
    if case != "seq went backwards":
        assert got == _on_disk(data_dir)
    assert _counts(second) == (parses + 1, catch_ups)
    messages = [r.getMessage() for r in caplog.records if "reading it whole" in r.getMessage()]
    assert messages and reason in messages[-1], messages


def test_after_a_fallback_the_next_write_is_caught_up_again(store_factory, data_dir, make_feature):
    first = store_factory()
    _seed(first, make_feature)
    second = store_factory()
    second.features(LAYER)
    _saved_by_another_tool(data_dir, first, second)
    assert second.get(LAYER, "c-0001")["properties"]["name"] == "兑周村1号院(QGIS)"
    first.update(LAYER, "c-0002", expected_version=1, user="bob", properties={"status": "in_progress"})
    parses, catch_ups = _counts(second)  # the copy of the QGIS file is not Guatu's: read whole once more
    assert second.get(LAYER, "c-0002")["properties"]["version"] == 2
    assert _counts(second) == (parses + 1, catch_ups)
    first.update(LAYER, "c-0002", expected_version=2, user="bob", properties={"status": "rectified"})
    assert second.get(LAYER, "c-0002")["properties"]["status"] == "rectified"
    assert _counts(second) == (parses + 1, catch_ups + 1)
    assert second.get(LAYER, "c-0001")["properties"]["name"] == "兑周村1号院(QGIS)"
    _assert_same_as_a_fresh_open(second, data_dir)


# --- the journal --------------------------------------------------------------------------------

def test_journal_reads_only_the_bytes_appended_since_it_last_looked(store_factory, data_dir, make_feature, monkeypatch):
    store = store_factory()
    _seed(store, make_feature, 6)
    reader = Journal(data_dir / JOURNAL_FILE)
    assert reader.last_seq() == 6
    size = (data_dir / JOURNAL_FILE).stat().st_size
    reads = []
    real_open = open

    class Spy:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def seek(self, pos):
            reads.append(("seek", pos))
            return self.fh.seek(pos)

        def read(self, n=-1):
            data = self.fh.read(n)
            reads.append(("read", len(data)))
            return data

    monkeypatch.setattr(geo.journal, "open", lambda *a, **k: Spy(real_open(*a, **k)), raising=False)
    store.update(LAYER, "c-0003", expected_version=1, user="bob", properties={"status": "in_progress"})
    appended = (data_dir / JOURNAL_FILE).stat().st_size - size
    reads.clear()
    assert reader.last_seq() == 7
    assert reader.layer_last_seq(LAYER) == 7
    assert [s.seq for s in reader.summaries_since(5)] == [6, 7]
    assert reads == [("seek", size), ("read", appended)]
    reads.clear()
    assert [e["seq"] for e in reader.history(LAYER, "c-0003")] == [3, 7]
    lines = (data_dir / JOURNAL_FILE).read_bytes().splitlines()
    assert [r for r in reads if r[0] == "read"] == [("read", len(lines[2])), ("read", len(lines[6]))]


def test_journal_history_matches_a_scan(store_factory, data_dir, make_feature):
    store = store_factory()
    _seed(store, make_feature, 3)
    for version in (1, 2):
        store.update(LAYER, "c-0002", expected_version=version, user="bob", properties={"notes": f"n{version}"})
    store.delete(LAYER, "c-0001", expected_version=1, user="bob")
    entries = [json.loads(line) for line in (data_dir / JOURNAL_FILE).read_bytes().splitlines()]
    for fid in ("c-0001", "c-0002", "c-0003", "c-0009"):
        assert Journal(data_dir / JOURNAL_FILE).history(LAYER, fid) == [e for e in entries if e["id"] == fid]


def test_journal_epoch_counts_replacements(store_factory, data_dir, make_feature):
    store = store_factory()
    journal = Journal(data_dir / JOURNAL_FILE)
    assert journal.last_seq() == 0 and journal.epoch == 0
    _seed(store, make_feature, 2)
    assert journal.last_seq() == 2 and journal.epoch == 0  # the file appearing is not a replacement
    _journal_replaced(data_dir, store, None)
    assert journal.last_seq() == 3 and journal.epoch == 1
    (data_dir / JOURNAL_FILE).unlink()
    assert journal.last_seq() == 0 and journal.epoch == 2


def test_journal_index_is_built_once_when_threads_refresh_together(store_factory, data_dir, make_feature):
    store = store_factory()
    _seed(store, make_feature, 30)
    journal = Journal(data_dir / JOURNAL_FILE)
    barrier = threading.Barrier(8)

    def look():
        barrier.wait()
        journal.refresh()

    threads = [threading.Thread(target=look) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [s.seq for s in journal.summaries_since(0)] == list(range(1, 31))


def test_many_changes_are_read_from_the_file_not_replayed(store_factory, data_dir, make_feature, monkeypatch, caplog):
    monkeypatch.setattr(geo.store.geojson, "_CATCH_UP_MIN", 2)
    first = store_factory()
    _seed(first, make_feature, 8)
    second = store_factory()
    second.features(LAYER)
    for fid in ("c-0001", "c-0002", "c-0003"):  # more than max(2, 8 // 4)
        first.update(LAYER, fid, expected_version=1, user="bob", properties={"status": "in_progress"})
    parses, catch_ups = _counts(second)
    with caplog.at_level(logging.DEBUG, logger="geo.store.geojson"):
        assert second.features(LAYER) == _on_disk(data_dir)
    assert _counts(second) == (parses + 1, catch_ups)
    assert any("reading the file is quicker" in r.getMessage() for r in caplog.records)


def test_an_unreadable_journal_does_not_keep_the_layer_from_being_read(store_factory, data_dir, make_feature, caplog):
    first = store_factory()
    _seed(first, make_feature)
    second = store_factory()
    second.features(LAYER)
    first.update(LAYER, "c-0001", expected_version=1, user="bob", properties={"status": "in_progress"})
    journal = data_dir / JOURNAL_FILE
    data = journal.read_bytes()
    last = data.rstrip(b"\n").rfind(b"\n") + 1
    journal.write_bytes(data[:last] + b"x" * (len(data) - last - 1) + b"\n")  # the newest change garbled in place
    parses, catch_ups = _counts(second)
    with caplog.at_level(logging.WARNING, logger="geo.store.geojson"):
        assert second.get(LAYER, "c-0001")["properties"]["status"] == "in_progress"
    assert _counts(second) == (parses + 1, catch_ups)
    assert any("line 5 (byte" in r.getMessage() and "cannot be read" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(("steps", "recounted"), [
    ([("delete", "c-0002")], False),  # the count is carried on
    ([("delete", "c-0005")], False),  # the highest too: its number is never given again
    ([("create", "c-00009"), ("delete", "c-00009")], False),  # the only wide id comes and goes: still counted
    ([("create", "c-00007"), ("delete", "c-0003")], False),
    ([("create", "c-x12"), ("create", "c-0120"), ("delete", "c-0003")], False),
], ids=["delete-one", "delete-highest", "wide-id-gone", "wide-id-stays", "unnumbered"])
def test_new_ids_are_numbered_as_a_fresh_store_numbers_them(store_factory, data_dir, make_feature, monkeypatch,
                                                           steps, recounted):
    writer = store_factory()
    _seed(writer, make_feature)
    other = store_factory()
    other.create(LAYER, make_feature(name="先建一个"), user="bob")  # c-0005; counts the ids, then carries the count
    for op, fid in steps:
        if op == "create":
            writer.create(LAYER, {**make_feature(name=fid), "id": fid}, user="alice")
        else:
            writer.delete(LAYER, fid, expected_version=1, user="alice")
    counted = []
    real_count = geo.store.geojson.Numbering.count.__func__
    monkeypatch.setattr(geo.store.geojson.Numbering, "count",
                        classmethod(lambda cls, *a: counted.append(1) or real_count(cls, *a)))
    for store in (writer, other):
        counted.clear()
        created = store.create(LAYER, make_feature(name="新的"), user="carol").feature["id"]
        assert created == _next_id_by_scanning(data_dir, created)
        assert bool(counted) == recounted


def _next_id_by_scanning(data_dir: Path, created: str) -> str:
    """What a fresh count gives: the highest number ever given (on file or in the journal), plus one."""
    ever = {f["id"] for f in _on_disk(data_dir)} | {e["id"] for e in _journal_entries(data_dir) if e["layer"] == LAYER}
    suffixes = [fid[2:] for fid in ever if fid.startswith("c-") and fid != created]
    numbers = [s for s in suffixes if s.isdigit()]
    return f"c-{max(map(int, numbers), default=0) + 1:0{max([4] + [len(s) for s in numbers])}d}"


def test_a_snapshot_older_than_the_copy_is_taken_without_reading_the_file(data_dir, campaign, make_feature):
    """Another process compacts at its seq while this one has already followed the journal further: the file
    (whole, its CRC holding) plus the journal is the copy, so the copy is kept and the file is not parsed."""
    writer = open_store(data_dir, campaign, compact_changes=10**6)
    reader = open_store(data_dir, campaign, compact_changes=10**6)
    try:
        _seed(writer, make_feature, 2)
        older = writer.collection_bytes(LAYER)  # the layer at seq 2, as a compaction then would write it
        _create(writer, make_feature)
        assert len(reader.features(LAYER)) == 3  # the reader's copy is at seq 3, from the journal
        parses, _ = _counts(reader)
        tmp = data_dir / "layers" / ".late-compaction.tmp"
        tmp.write_bytes(older)
        os.replace(tmp, data_dir / LAYER_FILE)  # the late compaction lands
        assert [f["id"] for f in reader.features(LAYER)] == ["c-0001", "c-0002", "c-0003"]
        assert _counts(reader)[0] == parses
        assert reader.features(LAYER) == open_store(data_dir, campaign).features(LAYER)

        damaged = older.replace("兑周村1号院".encode(), "兑周村9号院".encode())  # same size, the CRC no longer holds
        tmp.write_bytes(damaged)
        os.replace(tmp, data_dir / LAYER_FILE)
        reader.features(LAYER)
        assert _counts(reader)[0] == parses + 1  # not taken on trust: read whole and checked
    finally:
        writer.close()
        reader.close()
