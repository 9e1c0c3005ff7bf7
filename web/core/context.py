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


class RevisionCache:
    """A small LRU of serialised responses keyed by what they depend on."""

    def __init__(self, size: int = 32) -> None:
        self._items: OrderedDict[tuple, Cached] = OrderedDict()
        self._size = size
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
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value


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
