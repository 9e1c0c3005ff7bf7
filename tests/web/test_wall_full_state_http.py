"""The full wall state over HTTP: built once per revision however many screens ask at once, and sent gzip'd
as the very bytes it is without gzip (web/api/reads.py compresses only the pieces a revision changed)."""

from __future__ import annotations

import gzip
import threading

from geo.store import open_store
from geo.wall import state as wall_state
from geo.wall.data import WallData


def test_a_gzipped_full_state_is_the_plain_one_revision_after_revision(client, seeded, campaign, clock, monkeypatch):
    monkeypatch.setattr(wall_state, "BLOCK", 1)  # one place per block: most pieces are kept between revisions
    store = open_store(seeded, campaign, clock=clock)
    for n in range(4):
        for form in ("", "?format=packed"):
            plain = client.get(f"/api/wall/state{form}")
            zipped = client.get(f"/api/wall/state{form}", headers={"Accept-Encoding": "gzip"})
            assert zipped.headers["Content-Encoding"] == "gzip" and zipped.headers["ETag"] == plain.headers["ETag"]
            assert gzip.decompress(zipped.data) == plain.data
        f = store.features("courtyards")[n % 3]
        store.update("courtyards", f["id"], expected_version=f["properties"]["version"], user="t",
                     properties={"status": "accepted" if n % 2 else "relapsed"})


def test_screens_asking_at_once_share_one_build(client, monkeypatch):
    builds = []
    original = WallData.full_body

    def counted(self, *args, **kwargs):
        builds.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(WallData, "full_body", counted)
    bodies = []
    start = threading.Barrier(8)

    def screen():
        start.wait()
        bodies.append(client.get("/api/wall/state?format=packed").data)

    threads = [threading.Thread(target=screen) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(builds) == 1 and len(set(bodies)) == 1
