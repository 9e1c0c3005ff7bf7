"""The per-app objects the views share: campaign, store, clock, and the memos and caches built from the store.

One `Guatu` per app, on `app.extensions["guatu"]`, reached through `guatu()`
from every view and command: nothing else keeps state between requests.
Everything in it derives from the store (or is the store), so each process
keeps its own copy and every instance answers alike.

The campaign may gain layers while the server runs (an import that makes a
layer writes it into campaign.json, geo/exchange/new_layer.py): the process
that wrote it calls `adopt_campaign`, and every process looks at the file's
size and time before each request (`follow_campaign`, one stat) and takes
the new layers when it changed. Other changes to campaign.json still need a
restart, as the log says.
"""

from __future__ import annotations

import logging
import os
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from threading import Lock, RLock

from flask import current_app

from geo.cases.index import CaseIndex
from geo.config import CAMPAIGN_FILE, Campaign, Layer, load_campaign
from geo.dashboard import DashboardData
from geo.errors import ConfigError
from geo.exchange.new_layer import add_layer
from geo.messages import t
from geo.progress_kept import ProgressData
from geo.responsibility import Responsibility
from geo.rules import local_now
from geo.store.base import Finding, Store
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
    out (a whole layer's GeoJSON at 100k places is tens of megabytes, gzipped copy included).

    One build per key at a time: a request that asks for what another is building waits for it and answers
    the same (thirty screens asking for the same viewport after an edit, or a GIS client's burst of the same
    far-out tile, make it once); if that build fails, the waiting request builds it itself."""

    def __init__(self, size: int = 32, max_bytes: int = CACHE_BYTES) -> None:
        self._items: OrderedDict[tuple, Cached] = OrderedDict()
        self._size = size
        self._max_bytes = max_bytes
        self._lock = Lock()
        self._building: dict[tuple, Lock] = {}  # key -> held while its one build runs
        self.waited = 0  # requests that waited for another's build (for the tests and the curious)

    def get(self, key: tuple, build: Callable[[], Cached]) -> Cached:
        while True:
            with self._lock:
                hit = self._items.get(key)
                if hit is not None:
                    self._items.move_to_end(key)
                    return hit
                running = self._building.get(key)
                if running is None:
                    mine = self._building[key] = Lock()
                    mine.acquire()
                    break
                self.waited += 1
            with running:  # another request builds it: wait, then look again
                pass
        try:
            value = build()
            with self._lock:
                self._items[key] = value
                self._trim()
            return value
        finally:
            with self._lock:
                del self._building[key]
            mine.release()

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
class PageStreams:
    """The deflate streams of the data the last wall page carried inlined: the next page carrying the same data
    compresses only the page around it (web/core/http.py `send_page`). Replaced whole by each page, never changed
    in place, so pages are compressed side by side without a lock."""
    deflated: dict = field(default_factory=dict)


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
    cases: CaseIndex = field(init=False)  # the case queues, kept between revisions (geo/cases/index.py)
    responsibility: Responsibility = field(init=False)  # who answers for which place (geo/responsibility.py)
    full_state: FullStateStreams = field(default_factory=FullStateStreams)
    page_streams: PageStreams = field(default_factory=PageStreams)
    viewport_index: ViewportIndex = field(init=False)  # tiles of large layers (geo/viewport.py)
    viewports: RevisionCache = field(default_factory=lambda: RevisionCache(64))  # viewport answers
    tiles: RevisionCache = field(default_factory=lambda: RevisionCache(2048, 64 << 20))  # vector tiles (web/wall/tiles.py)
    display_scopes: RevisionCache = field(default_factory=lambda: RevisionCache(32))  # display links' place sets
    # called with the campaign when it gains layers (create_app: the request checks' documents)
    campaign_listeners: list[Callable[[Campaign], None]] = field(default_factory=list)
    campaign_stamp: tuple = field(init=False)  # campaign.json's size and time as last read
    campaign_problem: Finding | None = None  # campaign.json changed into something unusable (the banner says so)
    _campaign_lock: RLock = field(default_factory=RLock, repr=False)

    def __post_init__(self) -> None:
        self.campaign_stamp = campaign_stamp(self.data_dir)
        self._memos()

    def _memos(self) -> None:
        self.wall = WallData(self.store, self.campaign)
        self.dashboard = DashboardData(self.store, self.campaign, self.data_dir)
        self.progress = ProgressData(self.store, self.campaign)
        self.cases = CaseIndex(self.store, self.campaign)
        self.responsibility = Responsibility(self.store, self.campaign)
        self.viewport_index = ViewportIndex(self.store)

    def adopt_campaign(self, campaign: Campaign) -> None:
        """Take `campaign`, this one with new layers: the store opens them, the memos and caches start again."""
        with self._campaign_lock:
            self.campaign_stamp = campaign_stamp(self.data_dir)
            if only_layers_added(self.campaign, campaign):  # the file is the campaign run here, plus its new layers
                self.campaign_problem = None
            added = self.store.adopt_campaign(campaign)
            self.campaign = campaign
            self._memos()
            self.cache, self.viewports, self.display_scopes = RevisionCache(), RevisionCache(64), RevisionCache(32)
            self.tiles = RevisionCache(2048, 64 << 20)
            self.full_state = FullStateStreams()
            for listener in self.campaign_listeners:
                listener(campaign)
        log.info("campaign: layers %s added", ", ".join(x.id for x in added) or "-")

    def add_layer(self, layer: Layer) -> None:
        """Write a new layer into campaign.json (geo/exchange/new_layer.py) and take it here; the other processes
        take it when they see the file change."""
        campaign = add_layer(self.data_dir, layer)
        if campaign != self.campaign:
            self.adopt_campaign(campaign)

    def follow_campaign(self) -> None:
        """Take the layers another process added to campaign.json (a stat when nothing changed)."""
        stamp = campaign_stamp(self.data_dir)
        if stamp == self.campaign_stamp:
            return
        with self._campaign_lock:
            if stamp == self.campaign_stamp:
                return
            self.campaign_stamp = stamp
            try:
                campaign = load_campaign(self.data_dir)
            except ConfigError as exc:
                log.error("campaign.json changed and cannot be used (the campaign as started is kept): %s", exc)
                self.campaign_problem = Finding(where=CAMPAIGN_FILE, problem=t("config.changed_unusable",
                                                                               count=len(exc.problems)),
                                                remedy=t("config.changed_remedy"), repairable=False,
                                                code="campaign_unusable")
                return
            self.campaign_problem = None
            if only_layers_added(self.campaign, campaign):
                self.adopt_campaign(campaign)
            elif campaign != self.campaign:
                log.warning("campaign.json changed beyond new layers: restart the server to take the changes")
                self.campaign_problem = Finding(where=CAMPAIGN_FILE, problem=t("config.changed_needs_restart"),
                                                remedy=t("config.restart_remedy"), repairable=False,
                                                code="campaign_restart")

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        """The campaign's date now, in its time zone."""
        return local_now(self.campaign, self.now()).date()

    def areas(self) -> dict[str, set[str]]:
        """Known sub-districts and their communities (what a wall URL may name), kept with the dashboard."""
        now = self.now()
        return self.dashboard.areas(self.wall.key(now).revision, now)


log = logging.getLogger(__name__)


def campaign_stamp(data_dir: Path) -> tuple:
    """What tells that campaign.json was written again: its inode, time and size."""
    try:
        st = os.stat(data_dir / CAMPAIGN_FILE)
    except FileNotFoundError:
        return ()
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def only_layers_added(old: Campaign, new: Campaign) -> bool:
    """`new` is `old` with layers added at the end and nothing else changed."""
    count = len(old.layers)
    return (len(new.layers) > count and new.layers[:count] == old.layers
            and replace(new, layers=old.layers) == old)


def guatu() -> Guatu:
    return current_app.extensions["guatu"]
