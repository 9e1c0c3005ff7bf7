"""Writers that hit a live server over HTTP and keep a record of what it acknowledged."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import requests

from tests.conftest import make_feature

LAYER = "courtyards"
SHARED = ("c-0001", "c-0002", "c-0003")  # demo places every writer updates
THINK = 0.001  # seconds between reading a place and saving it, as a person editing would: other writers get in
PATIENCE = 60  # seconds one write may go on being refused as busy or stale before the writer gives up


@dataclass
class Acks:
    """What the server said 200/201 to; `in_flight` were sent but never answered."""

    created: list[tuple[str, str]] = field(default_factory=list)  # (id, name)
    updated: list[tuple[str, int, int, str]] = field(default_factory=list)  # (id, sent version, new version, note)
    conflicts: int = 0
    busy: int = 0
    in_flight: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def total(self) -> int:
        return len(self.created) + len(self.updated)


class Writer(threading.Thread):
    """Alternates creates and versioned updates of shared places, retrying on 409 and 503."""

    def __init__(self, url: str, token: str, worker: int, writes: int, acks: Acks, stop: threading.Event | None = None):
        super().__init__(daemon=True)
        self.url, self.worker, self.writes, self.acks = url, worker, writes, acks
        self.stop_event = stop or threading.Event()
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def run(self) -> None:
        try:
            for i in range(self.writes):
                if self.stop_event.is_set():
                    return
                if i % 2 == 0:
                    self.create(i)
                else:
                    self.update(SHARED[(self.worker + i) % len(SHARED)], i)
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:  # the server died mid-request
            with self.acks.lock:
                self.acks.in_flight.append(f"w{self.worker}: {exc.__class__.__name__}")
        except Exception as exc:  # noqa: BLE001 - reported by the test, with what happened
            with self.acks.lock:
                self.acks.errors.append(f"w{self.worker}: {exc!r}")

    def create(self, i: int) -> None:
        name = f"w{self.worker}-{i}"
        x, y = 113.595 + 0.002 * (self.worker % 25), 34.645 + 0.0015 * (i % 33)  # inside the district, however many
        feature = make_feature(name, "pending", x=x, y=y, size=0.001)
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            resp = self.session.post(f"{self.url}/api/layers/{LAYER}/features", json=feature, timeout=60)
            if resp.status_code == 503 and resp.json().get("error") == "busy":
                self._count("busy")
                continue
            if resp.status_code != 201:
                raise AssertionError(f"create {name}: {resp.status_code} {resp.text[:300]}")
            with self.acks.lock:
                self.acks.created.append((resp.json()["id"], name))
            return
        raise AssertionError(f"create {name}: still busy after {PATIENCE} s")

    def update(self, fid: str, i: int) -> None:
        note = f"w{self.worker}-u{i}"
        got = self.session.get(f"{self.url}/api/layers/{LAYER}/features/{fid}", timeout=60)
        version = got.json()["properties"]["version"]
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            time.sleep(THINK)
            resp = self.session.patch(f"{self.url}/api/layers/{LAYER}/features/{fid}",
                                      json={"properties": {"notes": note}}, headers={"If-Match": f'"{fid}-v{version}"'},
                                      timeout=60)
            if resp.status_code == 409:
                self._count("conflicts")
                version = resp.json()["current"]["properties"]["version"]
                continue
            if resp.status_code == 503 and resp.json().get("error") == "busy":
                self._count("busy")
                continue
            if resp.status_code != 200:
                raise AssertionError(f"update {fid}: {resp.status_code} {resp.text[:300]}")
            new = resp.json()["properties"]["version"]
            with self.acks.lock:
                self.acks.updated.append((fid, version, new, note))
            return
        raise AssertionError(f"update {fid}: still refused as busy or stale after {PATIENCE} s")

    def _count(self, what: str) -> None:
        with self.acks.lock:
            setattr(self.acks, what, getattr(self.acks, what) + 1)


def check_acknowledged(data_features: dict[str, dict], journal: list[dict], acks: Acks) -> list[str]:
    """Every acknowledged write is in the layer and the journal, and no update was applied to a stale version."""
    problems = []
    for fid, name in acks.created:
        feature = data_features.get(fid)
        if feature is None or feature["properties"]["name"] != name:
            problems.append(f"acknowledged create {fid} ({name}) is missing")
    by_version = {(e["id"], e["version"]): e for e in journal if e["layer"] == LAYER}
    for fid, sent, new, note in acks.updated:
        if new != sent + 1:
            problems.append(f"{fid}: an edit of version {sent} was saved as version {new}")
        entry = by_version.get((fid, new))
        if entry is None:
            problems.append(f"{fid} v{new} ({note}) was acknowledged but is not in the journal")
        elif entry["after"]["properties"].get("notes") != note or entry["before"]["properties"]["version"] != sent:
            problems.append(f"{fid} v{new}: the journal holds another write than the acknowledged {note}")
    for fid in SHARED:
        versions = [e["version"] for e in journal if e["layer"] == LAYER and e["id"] == fid]
        if versions != list(range(2, 2 + len(versions))):
            problems.append(f"{fid}: journal versions {versions} are not consecutive from 2")
        if versions and data_features[fid]["properties"]["version"] != versions[-1]:
            problems.append(f"{fid}: the layer holds version {data_features[fid]['properties']['version']}, "
                            f"the journal {versions[-1]}")
    return problems
