"""The embedded store's write path: a save is a journal append, the layer files are snapshots compacted into
later; the persisted journal index; crashes at each step; several processes writing."""

from __future__ import annotations

import logging
import multiprocessing
import os
import traceback
import zlib
from pathlib import Path

import orjson
import pytest

import geo.errors
import geo.geojson_io
import geo.journal
from geo.backup import backup
from geo.config import load_campaign
from geo.journal import Journal
from geo.messages import t
from geo.store import open_store
from geo.store.geojson import JOURNAL_FILE, GeoJSONStore, LazyFeatures
from tests.conftest import make_feature

LAYER = "courtyards"
LAYER_FILE = Path("layers") / "courtyards.geojson"
SPAWN = multiprocessing.get_context("spawn")
CHILD_TIMEOUT = 120


def _file(data_dir: Path) -> dict:
    return orjson.loads((data_dir / LAYER_FILE).read_bytes())


def _seeded(store_factory, n: int = 3, **kwargs) -> GeoJSONStore:
    """A store whose layer file holds `n` places (the first write of a new layer writes its file whole)."""
    store = store_factory(**kwargs)
    for i in range(n):
        store.create(LAYER, make_feature(name=f"兑周村{i + 1}号院", x=113.62 + i / 1000), user="alice")
    store.compact()
    return store


def _fresh(data_dir: Path, **kwargs) -> GeoJSONStore:
    return open_store(data_dir, load_campaign(data_dir), **kwargs)


def test_an_edit_appends_to_the_journal_and_leaves_the_layer_file_as_it_was(store_factory, data_dir):
    store = _seeded(store_factory)
    reader = store_factory()
    reader.features(LAYER)
    before = (data_dir / LAYER_FILE).read_bytes()

    store.update(LAYER, "c-0001", expected_version=1, user="bob", properties={"status": "accepted"})
    created = store.create(LAYER, make_feature(name="新建的院"), user="bob").feature
    store.delete(LAYER, "c-0002", expected_version=1, user="bob")

    assert (data_dir / LAYER_FILE).read_bytes() == before
    assert [e["op"] for e in orjson_lines(data_dir / JOURNAL_FILE)][-3:] == ["update", "create", "delete"]
    for other in (reader, _fresh(data_dir)):  # another worker, and a process started now: file + journal after it
        assert [f["id"] for f in other.features(LAYER)] == ["c-0001", "c-0003", created["id"]]
        assert other.get(LAYER, "c-0001")["properties"]["status"] == "accepted"
        assert other.layer_revision(LAYER) == store.layer_revision(LAYER) == 6
        assert other.check() == []
    assert reader._files[LAYER].parses == 1  # the reader followed the journal, it did not read the file again


def orjson_lines(path: Path) -> list[dict]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


def test_the_layer_file_is_compacted_once_n_changes_wait_in_the_journal(store_factory, data_dir):
    store = _seeded(store_factory, compact_changes=3)
    reader = store_factory()
    reader.features(LAYER)
    for n in range(1, 3):
        store.update(LAYER, "c-0001", expected_version=n, user="bob", properties={"notes": f"第{n}次"})
        assert _file(data_dir)["guatu"]["seq"] == 3
    store.update(LAYER, "c-0001", expected_version=3, user="bob", properties={"notes": "第3次"})
    doc = _file(data_dir)
    assert doc["guatu"]["seq"] == 6 and doc["guatu"]["count"] == 3
    assert doc["features"][0]["properties"]["notes"] == "第3次"
    assert reader.get(LAYER, "c-0001")["properties"]["version"] == 4
    assert reader._files[LAYER].parses == 1  # the compacted file is the reader's own copy: taken without a parse


def test_the_layer_file_is_compacted_once_its_oldest_waiting_change_is_old(store_factory, data_dir, clock):
    store = _seeded(store_factory, compact_seconds=60)
    store.update(LAYER, "c-0001", expected_version=1, user="bob", properties={"notes": "早上"})
    clock.advance(seconds=59)
    store.update(LAYER, "c-0002", expected_version=1, user="bob", properties={"notes": "一分钟内"})
    assert _file(data_dir)["guatu"]["seq"] == 3
    clock.advance(seconds=2)
    store.update(LAYER, "c-0003", expected_version=1, user="bob", properties={"notes": "一分钟后"})
    assert _file(data_dir)["guatu"]["seq"] == 6


def test_closing_the_store_and_a_backup_compact_the_layer_files(store_factory, data_dir, tmp_path):
    store = _seeded(store_factory)
    store.update(LAYER, "c-0001", expected_version=1, user="bob", properties={"status": "accepted"})
    (tmp_path / "backups").mkdir()
    archive, _ = backup(store, tmp_path / "backups")  # the archive holds the layer file as it is now
    assert _file(data_dir)["guatu"]["seq"] == 4
    assert archive.exists()
    store.update(LAYER, "c-0002", expected_version=1, user="bob", properties={"status": "accepted"})
    store.close()
    assert _file(data_dir)["guatu"]["seq"] == 5
    assert [f["properties"]["status"] for f in _file(data_dir)["features"]] == ["accepted", "accepted", "pending"]


def test_a_snapshot_opens_without_parsing_its_places_and_a_hand_edit_is_parsed_and_checked(store_factory, data_dir):
    _seeded(store_factory, n=4)
    opened = _fresh(data_dir)
    state = opened._files[LAYER].load()
    assert isinstance(state.features, LazyFeatures) and state.features._parsed == {}
    assert opened.get(LAYER, "c-0002")["properties"]["name"] == "兑周村2号院"
    assert list(state.features._parsed) == ["c-0002"]  # only the place asked for

    path = data_dir / LAYER_FILE
    path.write_bytes(path.read_bytes().replace("兑周村3号院".encode(), "兑周村三号院".encode()))  # crc no longer holds
    edited = _fresh(data_dir)
    assert not isinstance(edited._files[LAYER].load().features, LazyFeatures)
    assert edited.get(LAYER, "c-0003")["properties"]["name"] == "兑周村三号院"

    lines = path.read_bytes().split(b"\n")
    lines[2] = lines[2][:40]  # a damaged line: parsed, and reported with its line number as before
    path.write_bytes(b"\n".join(lines))
    assert "第 3 行" in _fresh(data_dir).layer_errors()[LAYER]


def test_check_finds_a_journal_change_whose_before_image_differs_from_the_snapshot(store_factory, data_dir):
    store = _seeded(store_factory)
    store.update(LAYER, "c-0001", expected_version=1, user="bob", properties={"status": "accepted"})
    path = data_dir / LAYER_FILE
    data = path.read_bytes()
    path.write_bytes(data.replace(b'"version":1,', b'"version":5,', 1))  # c-0001 edited by hand in the snapshot
    findings = _fresh(data_dir).check()
    assert [(f.code, "c-0001" in f.problem) for f in findings] == [("place_differs", True)]


# --- crashes at each step -------------------------------------------------------------------------

def _die_after_append(self, entries):
    JOURNAL_APPEND(self, entries)
    os._exit(17)


JOURNAL_APPEND = geo.journal.Journal.append


def _crash(data_dir: str, step: str) -> None:
    """Make two saves (the second one compacts: compact_changes=2) and die at `step`."""
    store = open_store(data_dir, load_campaign(data_dir), compact_changes=2)
    store.update(LAYER, "c-0001", expected_version=1, user="crasher", properties={"notes": "第一次"})
    if step == "after the journal append":
        geo.journal.Journal.append = _die_after_append
    elif step == "compaction: before the rename":
        geo.geojson_io.os.replace = lambda *args, **kwargs: os._exit(17)
    elif step == "compaction: before the index":
        geo.journal.Journal.save_index = lambda self, **kwargs: os._exit(17)
    store.update(LAYER, "c-0002", expected_version=1, user="crasher", properties={"notes": "第二次"})
    os._exit(0)


@pytest.mark.parametrize("step", ["after the journal append", "compaction: before the rename",
                                  "compaction: before the index", "no crash"])
def test_a_process_killed_at_each_step_of_a_save_loses_no_appended_change(store_factory, data_dir, step, caplog):
    _seeded(store_factory)
    child = SPAWN.Process(target=_crash, args=(str(data_dir), step))
    child.start()
    child.join(CHILD_TIMEOUT)
    assert child.exitcode == (0 if step == "no crash" else 17)

    with caplog.at_level(logging.WARNING):
        reopened = _fresh(data_dir)
        notes = {f["id"]: f["properties"].get("notes") for f in reopened.features(LAYER)}
    assert notes == {"c-0001": "第一次", "c-0002": "第二次", "c-0003": ""}  # both appends were the commit
    assert reopened.revision() == 5
    assert reopened.check() == []
    assert sorted(p.name for p in (data_dir / "layers").iterdir()) == ["courtyards.geojson"]  # no temp copy left
    reopened.update(LAYER, "c-0003", expected_version=1, user="bob", properties={"notes": "之后"})
    reopened.close()
    assert [f["properties"]["notes"] for f in _file(data_dir)["features"]] == ["第一次", "第二次", "之后"]


def test_a_torn_journal_tail_at_open_is_kept_aside_and_the_complete_changes_are_served(store_factory, data_dir):
    store = _seeded(store_factory)
    store.update(LAYER, "c-0001", expected_version=1, user="bob", properties={"status": "accepted"})
    with open(data_dir / JOURNAL_FILE, "ab") as fh:
        fh.write(b'{"seq":5,"at":"2026-11-')  # a crash cut this append short: never acknowledged
    reopened = _fresh(data_dir)
    assert reopened.get(LAYER, "c-0001")["properties"]["status"] == "accepted"
    assert reopened.revision() == 4
    assert [p.name for p in data_dir.glob(f"{JOURNAL_FILE}.torn-*")]
    assert reopened.create(LAYER, make_feature(name="之后"), user="bob").change["seq"] == 6  # the torn seq: never again


# --- the persisted journal index ------------------------------------------------------------------

def _journal_with_index(store_factory, data_dir) -> Path:
    store = _seeded(store_factory, compact_changes=2)
    for n in range(1, 5):
        store.update(LAYER, "c-0001", expected_version=n, user="bob", properties={"notes": f"第{n}次"})
    store.compact()  # persists the index (a compaction after a save does once 1 MB of journal came since)
    index = data_dir / f".{JOURNAL_FILE}.index"
    assert index.exists()
    return index


def _same_as_every_line(data_dir: Path, journal: Journal) -> None:
    scan = Journal(data_dir / JOURNAL_FILE, use_index=False)
    assert journal.summaries_since(0) == scan.summaries_since(0)
    assert journal.history(LAYER, "c-0001") == scan.history(LAYER, "c-0001")
    assert journal.expected_ids(LAYER, journal.last_seq()) == scan.expected_ids(LAYER, scan.last_seq())


def test_the_journal_index_is_used_when_it_matches_the_journal(store_factory, data_dir, monkeypatch):
    _journal_with_index(store_factory, data_dir)
    parsed = []
    monkeypatch.setattr(geo.journal, "change_summary", lambda *a: parsed.append(a) or CHANGE_SUMMARY(*a))
    journal = Journal(data_dir / JOURNAL_FILE)
    assert journal.last_seq() == 7
    assert journal.index_note is None
    assert parsed == []  # no line read: the index covers the whole journal
    _same_as_every_line(data_dir, journal)


CHANGE_SUMMARY = geo.journal.change_summary


@pytest.mark.parametrize("case", ["missing", "damaged", "damaged: a row changed", "damaged: a column cut short",
                                  "of another format: version 2", "stale: journal cut",
                                  "stale: a line changed in place"])
def test_a_journal_index_missing_stale_or_damaged_is_rebuilt_and_said(store_factory, data_dir, case, caplog):
    index = _journal_with_index(store_factory, data_dir)
    path = data_dir / JOURNAL_FILE
    if case == "missing":
        index.unlink()
    elif case == "damaged":
        index.write_bytes(index.read_bytes()[:50])
    elif case == "damaged: a row changed":
        index.write_bytes(index.read_bytes().replace(b'"bob"', b'"eve"', 1))  # still JSON: its crc says
    elif case == "damaged: a column cut short":  # its crc holds: the columns' lengths say
        head, columns = index.read_bytes().split(b"\n", 1)
        columns = orjson.loads(columns)
        columns[0].pop()
        body = orjson.dumps(columns)
        index.write_bytes(orjson.dumps({**orjson.loads(head), "columns_crc": zlib.crc32(body)}) + b"\n" + body)
    elif case == "of another format: version 2":  # one row per change, as Guatu wrote it before
        head, columns = index.read_bytes().split(b"\n", 1)
        body = orjson.dumps([list(row) for row in zip(*orjson.loads(columns))])
        index.write_bytes(orjson.dumps({**orjson.loads(head), "v": 2, "rows_crc": zlib.crc32(body)}) + b"\n" + body)
    elif case == "stale: journal cut":
        data = path.read_bytes()
        path.write_bytes(data[: data.rindex(b"\n", 0, len(data) - 1) + 1])  # the last change gone (a restore)
    else:
        data = path.read_bytes()
        path.write_bytes(data.replace(b'"notes":"\xe7\xac\xac1\xe6\xac\xa1"', b'"notes":"\xe7\xac\xac9\xe6\xac\xa1"', 1))
    with caplog.at_level(logging.INFO, logger="geo.journal"):
        journal = Journal(path)
        journal.last_seq()
    assert journal.index_note is not None and journal.index_note.startswith(case.split(":")[0])
    assert any(journal.index_note in r.getMessage() or "no index" in r.getMessage() for r in caplog.records)
    _same_as_every_line(data_dir, journal)


def test_each_places_changes_are_indexed_when_first_asked_and_kept_up_to_date(store_factory, data_dir):
    _journal_with_index(store_factory, data_dir)
    journal = Journal(data_dir / JOURNAL_FILE)
    assert journal.last_seq() == 7
    assert journal._by_feature is None  # a start needs only the summaries, each layer's last change and who is alive
    writer = _fresh(data_dir)
    writer.update(LAYER, "c-0001", expected_version=5, user="bob", properties={"notes": "第5次"})  # before it is built
    assert [e["version"] for e in journal.history(LAYER, "c-0001")] == [1, 2, 3, 4, 5, 6]
    created = writer.create(LAYER, make_feature(name="新院"), user="bob")  # after it is built
    assert journal.has(LAYER, created.feature["id"])
    assert created.feature["id"] in journal.ids(LAYER)
    _same_as_every_line(data_dir, journal)


def test_a_damaged_journal_line_inside_the_indexed_part_is_still_found(store_factory, data_dir):
    _journal_with_index(store_factory, data_dir)
    path = data_dir / JOURNAL_FILE
    lines = path.read_bytes().split(b"\n")
    lines[1] = b"x" * len(lines[1])  # same length, not JSON
    path.write_bytes(b"\n".join(lines))
    store = _fresh(data_dir)
    assert [b.number for b in store.journal.bad_lines()] == [2]
    assert store.journal.index_note.startswith("stale")
    assert [f.code for f in store.check()][:1] == ["journal_damaged"]


# --- several processes -----------------------------------------------------------------------------

def _child_saves(data_dir: str, worker: int, count: int, results) -> None:
    try:
        store = open_store(data_dir, load_campaign(data_dir), compact_changes=5)
        made = []
        for i in range(count):
            made.append(store.create(LAYER, make_feature(name=f"进程{worker}的第{i}个院", x=113.6 + i / 1e4),
                                     user=f"w{worker}").feature["id"])
            fid = "c-0001"
            for _ in range(50):  # another process may have saved it meanwhile: read its version again
                try:
                    version = store.get(LAYER, fid)["properties"]["version"]
                    store.update(LAYER, fid, expected_version=version, user=f"w{worker}",
                                 properties={"notes": f"w{worker}-{i}"})
                    break
                except geo.errors.Conflict:
                    continue
        results.put(("ok", made))
    except BaseException:
        results.put(("error", traceback.format_exc()))


def test_two_processes_saving_at_once_lose_nothing(store_factory, data_dir):
    _seeded(store_factory)
    results = SPAWN.Queue()
    children = [SPAWN.Process(target=_child_saves, args=(str(data_dir), w, 12, results)) for w in range(2)]
    for c in children:
        c.start()
    got = [results.get(timeout=CHILD_TIMEOUT) for _ in children]
    for c in children:
        c.join(CHILD_TIMEOUT)
    assert all(kind == "ok" for kind, _ in got), got
    made = [fid for _, ids in got for fid in ids]
    store = _fresh(data_dir)
    ids = [f["id"] for f in store.features(LAYER)]
    assert sorted(ids) == sorted(["c-0001", "c-0002", "c-0003", *made]) and len(set(made)) == 24
    assert store.get(LAYER, "c-0001")["properties"]["version"] == 25  # 24 updates, none lost
    assert store.check() == []
    store.close()
    assert sorted(f["id"] for f in _file(data_dir)["features"]) == sorted(ids)




def test_store_compact_writes_the_waiting_changes_into_the_layer_files(store_factory, data_dir, tmp_path):
    from web import create_app

    store = _seeded(store_factory)
    store.update(LAYER, "c-0001", expected_version=1, user="bob", properties={"status": "accepted"})
    app = create_app({"TESTING": True, "GUATU_DATA": str(data_dir), "GUATU_INSTANCE": str(tmp_path / "instance")})
    runner = app.test_cli_runner()
    done = runner.invoke(args=["store", "compact"])
    assert done.exit_code == 0, done.output
    assert done.output.strip() == t("store.compacted", files="layers/courtyards.geojson")
    assert _file(data_dir)["features"][0]["properties"]["status"] == "accepted"
    again = runner.invoke(args=["store", "compact"])
    assert again.output.strip() == t("store.compact_current")
