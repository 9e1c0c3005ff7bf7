"""kill -9 of the whole server during a burst of writes: nothing acknowledged is lost, nothing is torn."""

from __future__ import annotations

import threading

import pytest
import requests

from tests.faults.server import (
    Server,
    copy_demo,
    disagreements,
    journal_entries,
    layer_docs,
    make_editor_token,
    torn_seqs,
)
from tests.faults.writers import LAYER, Acks, Writer, check_acknowledged
from tests.waiting import wait_until

WRITERS = 6
ACKS_BEFORE_KILL = 40


def _behind(data) -> list[str]:
    """Layers whose file is behind the journal (a write died between the two)."""
    entries = journal_entries(data)
    out = []
    for layer_id, doc in layer_docs(data).items():
        last = max((e["seq"] for e in entries if e["layer"] == layer_id), default=0)
        if doc.get("guatu", {}).get("seq", 0) < last:
            out.append(layer_id)
    return out


@pytest.mark.timeout(150)
def test_kill9_during_writes_loses_no_acknowledged_write(tmp_path):
    data = copy_demo(tmp_path / "data")
    instance = tmp_path / "instance"
    token = make_editor_token(instance)
    acks = Acks()
    stop = threading.Event()
    rounds = []
    for round_no in range(2):  # kill twice: the second start also recovers from the first
        server = Server(data, instance, tmp_path / f"server{round_no}.log", workers=3).start()
        start = acks.total()
        try:
            writers = [Writer(server.url, token, 10 * round_no + w, 10_000, acks, stop) for w in range(WRITERS)]
            for w in writers:
                w.start()
            wait_until(lambda target=start + ACKS_BEFORE_KILL: acks.total() >= target or acks.errors,
                       f"{ACKS_BEFORE_KILL} acknowledged writes", timeout=60, interval=0.005)
        finally:
            server.kill9()  # master and workers, mid-burst: writes are in flight
        for w in writers:
            w.join(30)
        assert not any(w.is_alive() for w in writers)
        assert acks.errors == [], acks.errors[:3]
        assert acks.total() >= start + ACKS_BEFORE_KILL
        rounds.append((acks.total() - start, len(acks.in_flight), _behind(data)))

        # On disk right after the crash: every layer file parses (atomic replace), seqs have no gaps but
        # those of lines an earlier crash cut short (kept aside, never used again).
        layer_docs(data)
        seqs = [e["seq"] for e in journal_entries(data)]
        assert seqs == sorted(set(seqs)) and set(range(1, seqs[-1] + 1)) - set(seqs) <= torn_seqs(data)

    print("acknowledged, in flight, layers behind the journal per round:", rounds)
    with Server(data, instance, tmp_path / "restart.log", workers=2) as server:
        health = requests.get(server.url + "/api/health", timeout=10).json()
        assert health["ok"] and health["broken_layers"] == {}
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        for fid, name in acks.created[::7]:  # acknowledged creates are served again
            resp = session.get(f"{server.url}/api/layers/{LAYER}/features/{fid}", timeout=10)
            assert resp.status_code == 200 and resp.json()["properties"]["name"] == name
    # A kill leaves the layer files behind the journal (a save is a journal append; compaction comes later):
    # the next start reads each file and the journal after it; the stop (SIGTERM) above compacted them.
    assert any(behind for _, _, behind in rounds)
    assert _behind(data) == [], server.log()[-3000:]  # the stop's log says which worker compacted, or why not

    journal = journal_entries(data)
    assert health["revision"] == journal[-1]["seq"]
    features = {f["id"]: f for f in layer_docs(data)[LAYER]["features"]}
    assert check_acknowledged(features, journal, acks) == []
    assert disagreements(data) == []  # journal and layer files tell the same story
    assert not [p for p in (data / "layers").iterdir() if not p.name.startswith(".") and not p.name.endswith(".geojson")]
