"""`check` and `repair` of the embedded store on real damaged copies of the demo: check reads only and says
what is wrong in Chinese; repair rebuilds from the journal or a backup plus the journal, moves every damaged
file aside (never deletes it) and says what it could not recover."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from geo.backup import backup
from geo.config import load_campaign
from geo.messages import t
from geo.store import open_store
from geo.store.geojson import JOURNAL_FILE, GeoJSONStore
from tests.faults.server import copy_demo, disagreements

ROADS = "layers/roads.geojson"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return copy_demo(tmp_path / "data")


def _open(folder: Path) -> GeoJSONStore:
    return open_store(folder, load_campaign(folder), compact_changes=1)  # the edits reach the files: damaged after


def _edit(store: GeoJSONStore, layer: str, n: int, status: str = "accepted") -> list[str]:
    ids = [f["id"] for f in store.features(layer)[:n]]
    for fid in ids:
        store.update(layer, fid, expected_version=store.get(layer, fid)["properties"]["version"], user="王工",
                     properties={"status": status})
    return ids


def _tree(folder: Path) -> dict[str, str]:
    """Every file under the folder with its SHA-256: what check must leave as it is."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _cut(path: Path) -> bytes:
    lines = path.read_bytes().split(b"\n")
    damaged = b"\n".join(lines[: len(lines) // 2]) + b"\n"
    path.write_bytes(damaged)
    return damaged


def test_check_of_a_sound_store_finds_nothing(demo):
    _edit(_open(demo), "roads", 3)
    assert _open(demo).check() == []


def test_check_reads_only_and_names_every_kind_of_damage(demo):
    store = _open(demo)
    _edit(store, "roads", 4)
    _cut(demo / ROADS)
    (demo / "layers" / "villages.geojson").unlink()
    journal = demo / JOURNAL_FILE
    lines = journal.read_bytes().split(b"\n")
    lines[1] = b"not json at all"
    journal.write_bytes(b"\n".join(lines) + b'{"seq":5,"at":"2026')
    (demo / "inspections").mkdir()
    (demo / "inspections" / "2026-11-24.json").write_bytes(b'{"date": "2026-11-24", "items": [')
    before = _tree(demo)

    findings = _open(demo).check()

    assert _tree(demo) == before  # nothing written, nothing recovered, not even a lock file
    text = "\n".join(f"{f.where} {f.problem}" for f in findings)
    assert f"{ROADS}" in text and "截断" in text
    assert "变更日志 journal.jsonl 第 2 行已损坏" in text
    assert "最后一行不完整" in text
    assert "inspections/2026-11-24.json" in text
    codes = {f.code for f in findings}
    assert {"broken_layer", "journal_damaged", "journal_torn", "record_damaged"} <= codes


def test_check_sees_a_place_whose_version_differs_from_the_journal(demo):
    store = _open(demo)
    (fid,) = _edit(store, "roads", 1)
    path = demo / ROADS
    path.write_bytes(path.read_bytes().replace(b'"version":2,', b'"version":7,', 1))
    findings = _open(demo).check()
    assert [(f.code, fid in f.problem, "版本是 7" in f.problem) for f in findings] == [("place_differs", True, True)]


def test_repair_rebuilds_a_layer_from_the_journal_when_it_holds_the_layer_from_its_first_change(data_dir, make_feature):
    store = _open(data_dir)  # an empty campaign: every place was created through Guatu
    for i in range(6):
        store.create("courtyards", make_feature(name=f"兑周村{i}号院", x=113.62 + i / 1000), user="王工")
    store.update("courtyards", "c-0002", expected_version=1, user="王工", properties={"status": "accepted"})
    store.delete("courtyards", "c-0005", expected_version=1, user="王工")
    good = store.features("courtyards")
    path = data_dir / "layers" / "courtyards.geojson"
    damaged = _cut(path)

    report = _open(data_dir).repair()

    assert report.unrecovered == []
    assert any("从变更日志重建 layers/courtyards.geojson:5 个地点" in line for line in report.rebuilt)
    (aside,) = path.parent.glob("courtyards.geojson.damaged-*")
    assert aside.read_bytes() == damaged
    fresh = _open(data_dir)
    assert fresh.features("courtyards") == good and fresh.check() == []
    assert disagreements(data_dir) == []


def test_a_layer_made_only_through_guatu_is_rebuilt_from_the_journal_when_the_operator_vouches_for_it(data_dir, make_feature):
    store = _open(data_dir)
    for i in range(3):
        store.create("courtyards", make_feature(name=f"兑周村{i}号院", x=113.62 + i / 1000), user="王工")
    good = store.features("courtyards")
    (data_dir / "layers" / "courtyards.geojson").unlink()
    assert "courtyards" in _open(data_dir).layer_errors()
    refused = _open(data_dir).repair()  # nothing left shows the layer began empty
    assert any("--from-journal courtyards" in line for line in refused.unrecovered)
    report = _open(data_dir).repair(from_journal=("courtyards",))  # the operator knows it did
    assert report.unrecovered == [] and _open(data_dir).features("courtyards") == good


def test_a_layer_that_began_as_a_file_of_places_is_never_rebuilt_from_the_journal_alone(demo, make_feature):
    store = _open(demo)
    store.create("courtyards", make_feature(name="新建的院"), user="王工")  # the only courtyard change in the journal
    (demo / "layers" / "courtyards.geojson").unlink()
    report = _open(demo).repair()
    assert any("无法恢复" in line for line in report.unrecovered)
    assert not (demo / "layers" / "courtyards.geojson").exists()
    assert "courtyards" in _open(demo).layer_errors()


def test_repair_rebuilds_a_deleted_layer_from_the_latest_backup_and_the_journal_after_it(demo, tmp_path):
    store = _open(demo)
    _edit(store, "roads", 4, "in_progress")
    backups = tmp_path / "backups"
    backups.mkdir()
    backup(store, backups)
    _edit(store, "roads", 10)  # after the backup: only in the journal
    good = store.features("roads")
    (demo / ROADS).unlink()

    without = _open(demo).repair()  # the journal alone cannot: it does not hold the 37 roads' creation
    assert any("无法恢复" in line and ROADS in line for line in without.unrecovered)
    assert not (demo / ROADS).exists() and "roads" in _open(demo).layer_errors()

    report = _open(demo).repair(backups=backups)
    assert report.unrecovered == []
    assert any("从备份" in line and "37 个地点" in line for line in report.rebuilt)
    fresh = _open(demo)
    assert fresh.features("roads") == good and fresh.check() == [] and fresh.problems() == []
    fresh.update("roads", good[0]["id"], expected_version=good[0]["properties"]["version"], user="王工",
                 properties={"status": "rectified"})


def test_repair_of_a_damaged_journal_keeps_it_aside_and_writes_resume_above_every_seq(demo):
    _edit(_open(demo), "roads", 3)
    journal = demo / JOURNAL_FILE
    lines = journal.read_bytes().split(b"\n")
    lines[1] = b'{"seq":2,"at":"2026-11-24T08:\x00'
    damaged = b"\n".join(lines)
    journal.write_bytes(damaged)

    report = _open(demo).repair()

    (aside,) = demo.glob(f"{JOURNAL_FILE}.damaged-*")
    assert aside.read_bytes() == damaged
    assert any("保留 2 条可读变更" in line for line in report.rebuilt)
    assert any("第 2 行,序号 2" in line for line in report.unrecovered)
    store = _open(demo)
    assert store.problems() == [] and store.check() == []
    road = store.features("roads")[8]
    change = store.update("roads", road["id"], expected_version=road["properties"]["version"], user="王工",
                          properties={"status": "accepted"}).change
    assert change["seq"] == 4


def test_repair_names_the_line_of_a_garbage_journal_line_whose_seq_cannot_be_read(demo):
    """Garbage with no readable seq (bytes an editor or a disk fault left) is named by its line number in the
    copy kept aside, so the operator can find it, not by a bare "?"."""
    _edit(_open(demo), "roads", 3)
    journal = demo / JOURNAL_FILE
    lines = journal.read_bytes().split(b"\n")
    lines[1] = b"\x00\x00garbage {{{ not json"
    journal.write_bytes(b"\n".join(lines))

    report = _open(demo).repair()

    (aside,) = demo.glob(f"{JOURNAL_FILE}.damaged-*")
    assert report.unrecovered == [t("store.repair_lost_changes", count=1, aside=aside.name,
                                    lines=t("store.repair_lost_line_noseq", line=2))]
    assert aside.read_bytes().split(b"\n")[1] == lines[1]  # line 2 of the copy is the garbage


def test_repair_keeps_a_torn_tail_and_an_unreadable_record_aside(demo):
    _edit(_open(demo), "roads", 1)
    journal = demo / JOURNAL_FILE
    size = journal.stat().st_size
    with open(journal, "ab") as fh:
        fh.write(b'{"seq":2,"at":')
    (demo / "inspections").mkdir()
    record = demo / "inspections" / "2026-11-24.json"
    record.write_bytes(b"[1, 2")

    report = GeoJSONStore(demo, load_campaign(demo)).repair()

    assert (demo / f"{JOURNAL_FILE}.torn-{size}").read_bytes() == b'{"seq":2,"at":'
    assert not record.exists()
    (kept,) = record.parent.glob("2026-11-24.json.damaged-*")
    assert kept.read_bytes() == b"[1, 2"
    assert any("2026-11-24.json" in line for line in report.unrecovered)
    assert _open(demo).check() == []
