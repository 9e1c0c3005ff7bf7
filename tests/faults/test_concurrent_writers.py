"""Several gunicorn worker processes writing the same campaign at once lose nothing and apply nothing stale."""

from __future__ import annotations

import pytest

from tests.faults.server import Server, copy_demo, disagreements, journal_entries, layer_docs, make_editor_token
from tests.faults.writers import LAYER, SHARED, Acks, Writer, check_acknowledged

WRITERS, WRITES = 8, 25


@pytest.mark.timeout(120)
def test_concurrent_writers_on_three_workers_lose_nothing(tmp_path):
    data = copy_demo(tmp_path / "data")
    token = make_editor_token(tmp_path / "instance")
    before = {f["id"] for f in layer_docs(data)[LAYER]["features"]}
    acks = Acks()
    with Server(data, tmp_path / "instance", tmp_path / "server.log", workers=3) as server:
        writers = [Writer(server.url, token, w, WRITES, acks) for w in range(WRITERS)]
        for w in writers:
            w.start()
        for w in writers:
            w.join(90)
        assert not any(w.is_alive() for w in writers), "a writer hung"
        assert acks.errors == [] and acks.in_flight == [], (acks.errors + acks.in_flight)[:3]
        health = __import__("requests").get(server.url + "/api/health", timeout=10).json()
    log = server.log()
    assert "Traceback" not in log, log[-3000:]

    assert acks.total() == WRITERS * WRITES
    assert acks.conflicts > 0, "the writers never raced; the test proves nothing"
    journal = journal_entries(data)
    assert [e["seq"] for e in journal] == list(range(1, WRITERS * WRITES + 1))
    assert health == {"ok": True, "revision": WRITERS * WRITES, "broken_layers": {}, "problems": []}

    features = {f["id"]: f for f in layer_docs(data)[LAYER]["features"]}  # parses strictly
    assert check_acknowledged(features, journal, acks) == []
    assert set(features) == before | {fid for fid, _ in acks.created}
    assert len({fid for fid, _ in acks.created}) == len(acks.created)
    for fid in SHARED:
        mine = sorted((new, note) for f, _, new, note in acks.updated if f == fid)
        assert [v for v, _ in mine] == list(range(2, 2 + len(mine)))  # every acknowledged update has its own version
        assert features[fid]["properties"]["notes"] == mine[-1][1]  # and the last one won
    assert disagreements(data) == []
