"""The sender in a real gunicorn server: every worker runs it on the server's own clock, one sends (the data directory's leader lock), each
event reaches the robot once; killed with -9 and started again, the server sends what came meanwhile and nothing
it sent before."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from geo.config import load_campaign
from geo.notify import outbox
from geo.notify.events import Event, emit
from geo.notify.subscriptions import save_channel
from geo.store import open_store
from tests.faults.server import Server, copy_demo
from tests.notify.receivers import Receiver
from tests.waiting import wait_until


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def _event(key: str) -> Event:
    return Event(kind="report_arrived", key=f"test-{key}", at="2026-11-24T08:00:00Z", title=f"随手拍:{key}",
                 text="群众反映")


def _delivered(store) -> int:
    """The deliveries of this test's events (the demo's own news, told by the sources, goes elsewhere)."""
    mine = {_event(k).id for k in "abcd"}
    return sum(1 for key in store.record_keys(outbox.DELIVERED) if any(eid in key for eid in mine))


def test_three_workers_one_sender_each_event_once_and_a_kill_9_sends_nothing_twice(tmp_path, receiver):
    data = copy_demo(tmp_path / "data")
    store = open_store(data, load_campaign(data))
    save_channel(store, {"kinds": ["report_arrived"], "type": "wecom", "name": "指挥部群", "url": receiver.url + "/wecom?key=k"},
                 now=datetime(2026, 11, 24, 8, tzinfo=UTC))
    server = Server(data, tmp_path / "instance", tmp_path / "gunicorn.log", workers=3,
                    env={"GUATU_NOTIFY_INTERVAL": "1"})
    with server:
        for key in ("a", "b", "c"):
            emit(store, _event(key))
        wait_until(lambda: _delivered(store) == 3, "three deliveries", timeout=60,
                   interval=0.05)
        server.kill9()
    emit(store, _event("d"))  # while the server is down
    with server:
        try:
            wait_until(lambda: _delivered(store) == 4, "the fourth delivery", timeout=60,
                       interval=0.05)
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{server.log()[-3000:]}") from None
    titles = [p.json["markdown"]["content"].splitlines()[0] for p in receiver.to("/wecom")]
    expected = [f"### 随手拍:{k}" for k in "abcd"]
    assert sorted(t for t in titles if t in expected) == expected  # each once: no repeat after the kill
    store.close()
