"""A journal deleted or moved while the layer files name changes: reported and refused, never silently
started afresh (its history would vanish); `store repair` starts an empty one only when the operator asks."""

from __future__ import annotations

import pytest

from geo.errors import JournalDamaged
from geo.messages import t
from geo.store import open_store
from geo.store.geojson import JOURNAL_FILE


def test_a_deleted_journal_is_reported_writes_are_refused_and_repair_starts_a_new_one_saying_what_is_lost(
        data_dir, campaign, clock, make_feature):
    store = open_store(data_dir, campaign, clock=clock)
    first = store.create("courtyards", make_feature("兑周村1号院"), user="张三").feature
    store.create("courtyards", make_feature("中原东路5号院", x=113.64), user="张三")
    store.close()
    (data_dir / JOURNAL_FILE).rename(data_dir / "elsewhere.jsonl")  # moved away by hand

    store = open_store(data_dir, campaign, clock=clock)
    problems = store.problems()
    assert [p.code for p in problems] == ["journal_damaged"]
    assert problems[0].problem == t("store.journal_missing", file=JOURNAL_FILE, seq=2)
    assert "store repair" in problems[0].remedy
    assert [f.code for f in store.check()].count("journal_damaged") == 1
    layer = (data_dir / "layers" / "courtyards.geojson").read_bytes()
    with pytest.raises(JournalDamaged):
        store.update("courtyards", first["id"], expected_version=1, user="李四", properties={"status": "accepted"})
    assert (data_dir / "layers" / "courtyards.geojson").read_bytes() == layer
    assert not (data_dir / JOURNAL_FILE).exists()

    report = store.repair()
    assert t("store.repair_journal_new", file=JOURNAL_FILE, seq=2, next=3) in report.unrecovered
    assert store.problems() == []
    done = store.update("courtyards", first["id"], expected_version=1, user="李四", properties={"status": "accepted"})
    assert done.change["seq"] == 3  # numbered above what the layer files name: no seq is used twice
    assert (data_dir / "elsewhere.jsonl").exists()  # nothing the operator moved is touched
