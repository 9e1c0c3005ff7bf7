"""Damage to a real embedded store (a copy of the demo): layer files cut short or deleted, journal lines
garbled. A damaged layer is withheld (never served in part), its file never rewritten; a damaged journal
refuses writes but the layers are still served."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from geo.config import load_campaign
from geo.errors import BrokenLayer, JournalDamaged
from geo.store import open_store
from geo.store.geojson import JOURNAL_FILE, GeoJSONStore
from tests.faults.server import copy_demo

ROADS = "layers/roads.geojson"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return copy_demo(tmp_path / "data")


def _open(folder: Path) -> GeoJSONStore:
    return open_store(folder, load_campaign(folder), compact_changes=1)  # the edits reach the files: damaged after


def _edit_roads(store: GeoJSONStore, n: int) -> list[str]:
    """Change the status of the first n roads; returns their ids."""
    ids = [f["id"] for f in store.features("roads")[:n]]
    for fid in ids:
        store.update("roads", fid, expected_version=store.get("roads", fid)["properties"]["version"], user="王工",
                     properties={"status": "accepted"})
    return ids


def _cut_at_line_boundary(path: Path, keep: float = 0.5, close: bool = False) -> bytes:
    lines = path.read_bytes().split(b"\n")
    features = [x for x in lines[1:] if x not in (b"]}", b"")]
    kept = features[: int(len(features) * keep)]
    body = b"\n".join([lines[0], *kept]) + b"\n"
    if close:
        body = b"\n".join([lines[0], *kept[:-1], kept[-1].rstrip(b",")]) + b"\n]}\n"
    path.write_bytes(body)
    return body


def _assert_withheld(store: GeoJSONStore, folder: Path, rel: str, damaged: bytes | None, *words: str) -> str:
    """The layer is withheld with a Chinese reason, writes are refused, the file left as it is; the rest served."""
    layer = rel.split("/")[1].split(".")[0]
    reason = store.layer_errors()[layer]
    for word in words:
        assert word in reason
    with pytest.raises(BrokenLayer) as read:
        store.features(layer)
    assert reason in read.value.message and "暂停提供" in read.value.message
    some = store.features("villages")[0]
    with pytest.raises(BrokenLayer) as write:
        store.create(layer, {"type": "Feature", "properties": {"name": "新路", "kind": "道路", "status": "pending"},
                             "geometry": {"type": "LineString", "coordinates": [[113.6, 34.7], [113.61, 34.71]]}},
                     user="王工")
    assert "修复前不能编辑" in write.value.message
    assert store.update("villages", some["id"], expected_version=some["properties"]["version"], user="王工",
                        properties={"status": "in_progress"}).feature
    if damaged is None:
        assert not (folder / rel).exists()
    else:
        assert (folder / rel).read_bytes() == damaged
    problem = next(p for p in store.problems() if p.where == rel)
    assert problem.code == "broken_layer" and "store repair" in problem.remedy and problem.problem == reason
    return reason


def test_a_layer_file_cut_at_a_line_boundary_is_withheld_and_never_overwritten(demo):
    damaged = _cut_at_line_boundary(demo / ROADS)
    store = _open(demo)
    _assert_withheld(store, demo, ROADS, damaged, ROADS, "截断", "]}")
    assert len(store.features("courtyards")) > 100
    assert (demo / ROADS).read_bytes() == damaged  # and again after the store's writes to other layers


@pytest.mark.parametrize("line", [b"null", b"1", b"[]"])
def test_a_hand_edited_line_that_is_not_a_place_withholds_the_layer_naming_its_line(demo, line):
    """A file edited by hand (its checksum no longer matches) is read line by line: a line of JSON that is no
    place at all is named, not taken for one."""
    path = demo / ROADS
    head, first, *rest = path.read_bytes().split(b"\n")
    damaged = b"\n".join([head, line + b",", first, *rest])
    path.write_bytes(damaged)
    _assert_withheld(_open(demo), demo, ROADS, damaged, ROADS, "第 2 行", "不是 GeoJSON 要素")


def test_a_cut_file_that_was_closed_again_is_caught_by_the_place_count_in_its_first_line(demo):
    store = _open(demo)
    _edit_roads(store, 1)  # Guatu writes the file: its first line now records 37 places
    assert b'"count":37' in (demo / ROADS).read_bytes().split(b"\n")[0]
    damaged = _cut_at_line_boundary(demo / ROADS, close=True)
    _assert_withheld(_open(demo), demo, ROADS, damaged, "首行记录有 37 个地点", "只有 18 个")


def test_a_cut_file_without_a_count_is_caught_against_the_journal(demo):
    store = _open(demo)
    ids = _edit_roads(store, 30)
    path = demo / ROADS
    head, *rest = path.read_bytes().split(b"\n")
    old_head = head.replace(b',"count":37', b"")  # as Guatu wrote it before it recorded the count
    assert old_head != head
    kept = [x for x in rest if not x.startswith(f'{{"type":"Feature","id":"{ids[-1]}"'.encode())]
    assert len(kept) == len(rest) - 1
    damaged = b"\n".join([old_head, *kept])
    path.write_bytes(damaged)
    _assert_withheld(_open(demo), demo, ROADS, damaged, "缺少变更日志中仍然存在的 1 个地点", ids[-1])


def test_an_old_layer_file_without_a_count_still_loads(demo):
    path = demo / ROADS
    body = path.read_bytes()
    head = body.split(b"\n")[0]
    older = re.sub(rb',"count":\d+', b"", head, count=1)  # the header a file from before the count has
    assert b"count" not in older and older != head
    path.write_bytes(older + body[len(head):])
    store = _open(demo)
    assert len(store.features("roads")) == 37 and store.problems() == []


def test_a_deleted_layer_file_with_changes_in_the_journal_is_not_rebuilt_from_them(demo):
    _edit_roads(_open(demo), 10)
    (demo / ROADS).unlink()
    store = _open(demo)
    _assert_withheld(store, demo, ROADS, None, ROADS, "不见了")
    assert not (demo / ROADS).exists()
    assert _open(demo).features("villages")  # reopening (which recovers) rebuilds nothing either
    assert not (demo / ROADS).exists()


def test_a_layer_file_deleted_under_a_running_store_is_withheld(demo):
    store = _open(demo)
    assert len(store.features("roads")) == 37
    (demo / ROADS).unlink()
    _assert_withheld(store, demo, ROADS, None, "不见了")


def test_a_layer_that_never_had_a_file_nor_a_change_is_a_new_empty_layer(demo):
    (demo / ROADS).unlink()
    store = _open(demo)
    assert store.features("roads") == [] and store.problems() == []


def test_a_garbled_journal_line_refuses_writes_but_the_layers_are_served(demo):
    _edit_roads(_open(demo), 3)
    journal = demo / JOURNAL_FILE
    lines = journal.read_bytes().split(b"\n")
    lines[1] = b'{"seq":2,"at":"2026-11-24T08:\x00garbage'
    damaged = b"\n".join(lines)
    journal.write_bytes(damaged)

    store = _open(demo)  # no traceback: the store opens
    assert len(store.features("roads")) == 37
    assert [c.seq for c in store.changes_since(0)] == [1, 3]
    (problem,) = store.problems()
    assert problem.code == "journal_damaged" and problem.where == JOURNAL_FILE
    assert "第 2 行" in problem.problem and "store repair" in problem.remedy
    road = store.features("roads")[5]
    with pytest.raises(JournalDamaged) as refused:
        store.update("roads", road["id"], expected_version=road["properties"]["version"], user="王工",
                     properties={"status": "accepted"})
    assert refused.value.http_status == 503 and "第 2 行" in refused.value.message
    assert journal.read_bytes() == damaged
    assert json.loads((demo / ROADS).read_bytes())["guatu"]["seq"] == 3
