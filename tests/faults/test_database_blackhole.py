"""A database gone silent (its packets dropped, not refused) is answered like a stopped one: 503 within the probe's
short wait, then at once while the breaker is open (issue 22, item 9).

The black hole is a listening TCP socket whose accept queue is full: the kernel drops every further SYN, so a
connection attempt to it hangs exactly as one to a host behind a firewall that drops packets, until libpq's
`connect_timeout` (10 s for the app). Nothing in a request waits for that: the pool connects in its own thread,
the first request (a probe) waits `probe_timeout` for a connection, and every request after it is refused by the
open breaker without trying. The times are printed, not asserted; what is asserted is the answer and the waits the
store is configured with.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from geo.messages import t
from web import create_app

ANSWER_WITHIN = 1.0  # seconds: the bound on a request while the database is down


@contextmanager
def black_hole() -> Iterator[int]:
    """A local TCP port whose SYNs are dropped (a listener with backlog 0 and its one queue place taken)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    try:
        for _ in range(3):  # one queues, the rest are dropped: the queue stays full
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(("127.0.0.1", port))
            fillers.append(filler)
        probe = socket.socket()
        probe.settimeout(0.3)
        with pytest.raises(TimeoutError):  # the hole is real: a connection attempt hangs
            probe.connect(("127.0.0.1", port))
        probe.close()
        yield port
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


@pytest.fixture
def silent_app(seeded, clock, tmp_path):
    with black_hole() as port:
        app = create_app({"TESTING": True, "GUATU_DATA": str(seeded), "GUATU_CLOCK": clock,
                          "GUATU_INSTANCE": str(tmp_path / "instance"), "GUATU_PUBLIC_VIEW": True,
                          "GUATU_DATABASE_URL": f"postgresql://guatu@127.0.0.1:{port}/guatu"})
        yield app
        app.extensions["guatu"].store.close()


def _timed(client, url: str, **kwargs):
    started = time.perf_counter()
    resp = client.get(url, **kwargs)
    return resp, time.perf_counter() - started


def test_api_and_pages_are_answered_503_when_the_database_drops_every_packet(silent_app):
    store = silent_app.extensions["guatu"].store
    assert store.probe_timeout < ANSWER_WITHIN  # what bounds the first request's wait (the pool waits 10 s)
    client = silent_app.test_client()
    first, first_s = _timed(client, "/api/layers/courtyards/features/c-0001")
    assert first.status_code == 503, first.data[:300]
    assert first.get_json()["error"] == "store_unavailable"
    assert first.get_json()["message"] == t("db.unavailable", where=store.where,
                                            seconds=int(first.headers["Retry-After"]))
    assert store.breaker.state == "down"  # the probe found it gone: the breaker is open

    later = [_timed(client, url) for url in ("/api/wall/state", "/api/layers/courtyards/features/c-0002")]
    page, page_s = _timed(client, "/wall", headers={"Accept": "text/html"})
    for resp, _ in later:
        assert resp.status_code == 503 and int(resp.headers["Retry-After"]) >= 1
    assert page.status_code == 503 and page.headers["Content-Type"].startswith("text/html")
    assert t("banner.page_unavailable") in page.data.decode()
    assert store.breaker.state == "down"
    print(f"\nblack-holed database: first answer (the probe) {first_s * 1000:.0f} ms, later API answers "
          f"{', '.join(f'{s * 1000:.0f}' for _, s in later)} ms, a page {page_s * 1000:.0f} ms")
