"""The per-app objects the views share: campaign, store, clock, and the memos and caches built from the store.

One `Guatu` per app, on `app.extensions["guatu"]`, reached through `guatu()`
from every view and command: nothing else keeps state between requests.
Everything in it derives from the store (or is the store), so each process
keeps its own copy and every instance answers alike.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from threading import Lock

from flask import current_app

from geo.config import Campaign
from geo.dashboard import DashboardData
from geo.progress_kept import ProgressData
from geo.rules import local_now
from geo.store.base import Store
from geo.viewport import ViewportIndex
from geo.wall.data import WallData


@dataclass
class Cached:
    body: bytes
    etag: str
    gzipped: bytes | None = None


CACHE_BYTES = 256 * 2**20  # the most a cache of serialised answers holds (it keeps its newest answer whatever its size)


def _bytes_of(value: object) -> int:
    return len(value.body) + len(value.gzipped or b"") if isinstance(value, Cached) else 0


class RevisionCache:
    """A small LRU of serialised responses keyed by what they depend on, bounded in entries and in bytes: keys
    carry the store's revision, so under steady edits every revision brings new entries and the old ones age
    out (a whole layer's GeoJSON at 100k places is tens of megabytes, gzipped copy included)."""

    def __init__(self, size: int = 32, max_bytes: int = CACHE_BYTES) -> None:
        self._items: OrderedDict[tuple, Cached] = OrderedDict()
        self._size = size
        self._max_bytes = max_bytes
        self._lock = Lock()

    def get(self, key: tuple, build: Callable[[], Cached]) -> Cached:
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
                return hit
        value = build()
        with self._lock:
            self._items[key] = value
            self._trim()
        return value

    def _trim(self) -> None:
        """Oldest first out, until within both bounds (a gzipped copy made since counts too)."""
        while len(self._items) > self._size:
            self._items.popitem(last=False)
        held = sum(_bytes_of(v) for v in self._items.values())
        while held > self._max_bytes and len(self._items) > 1:
            _, old = self._items.popitem(last=False)
            held -= _bytes_of(old)

    def __len__(self) -> int:
        return len(self._items)

    def held_bytes(self) -> int:
        with self._lock:
            return sum(_bytes_of(v) for v in self._items.values())


@dataclass
class FullStateStreams:
    """The wall's full state is built under this lock; per form (packed or not) the deflate streams of the last
    body's pieces, so only the pieces a change touched are compressed again (web/core/http.py `gzip_pieces`)."""
    lock: Lock = field(default_factory=Lock)
    deflated: dict[bool, dict] = field(default_factory=lambda: {True: {}, False: {}})


@dataclass
class Guatu:
    campaign: Campaign
    store: Store
    data_dir: Path
    clock: Callable[[], datetime]
    instance_dir: Path = Path("instance")
    refresh_seconds: float = 5
    cache: RevisionCache = field(default_factory=RevisionCache)  # serialised answers, keyed by what they depend on
    wall: WallData = field(init=False)  # the wall's state, deltas and shapes revisions (geo/wall/data.py)
    dashboard: DashboardData = field(init=False)  # progress panels, kept between revisions
    progress: ProgressData = field(init=False)  # milestones and the estimated finish, kept between revisions
    full_state: FullStateStreams = field(default_factory=FullStateStreams)
    viewport_index: ViewportIndex = field(init=False)  # tiles of large layers (geo/viewport.py)
    viewports: RevisionCache = field(default_factory=lambda: RevisionCache(64))  # viewport answers
    display_scopes: RevisionCache = field(default_factory=lambda: RevisionCache(32))  # display links' place sets

    def __post_init__(self) -> None:
        self.wall = WallData(self.store, self.campaign)
        self.dashboard = DashboardData(self.store, self.campaign, self.data_dir)
        self.progress = ProgressData(self.store, self.campaign)
        self.viewport_index = ViewportIndex(self.store)

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        """The campaign's date now, in its time zone."""
        return local_now(self.campaign, self.now()).date()

    def areas(self) -> dict[str, set[str]]:
        """Known sub-districts and their communities (what a wall URL may name), kept with the dashboard."""
        now = self.now()
        return self.dashboard.areas(self.wall.key(now).revision, now)


def guatu() -> Guatu:
    return current_app.extensions["guatu"]
