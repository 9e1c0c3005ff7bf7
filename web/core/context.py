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
from web.core.cached import CACHE_MB, CacheBudget, RevisionCache


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
    cache_bytes: int = CACHE_MB * 2**20  # what the caches below hold together (GUATU_CACHE_MB)
    cache: RevisionCache = field(init=False)  # serialised answers, keyed by what they depend on
    wall: WallData = field(init=False)  # the wall's state, deltas and shapes revisions (geo/wall/data.py)
    dashboard: DashboardData = field(init=False)  # progress panels, kept between revisions
    progress: ProgressData = field(init=False)  # milestones and the estimated finish, kept between revisions
    cases: CaseIndex = field(init=False)  # the case queues, kept between revisions (geo/cases/index.py)
    responsibility: Responsibility = field(init=False)  # who answers for which place (geo/responsibility.py)
    full_state: FullStateStreams = field(default_factory=FullStateStreams)
    page_streams: PageStreams = field(default_factory=PageStreams)
    viewport_index: ViewportIndex = field(init=False)  # tiles of large layers (geo/viewport.py)
    viewports: RevisionCache = field(init=False)  # viewport answers (web/wall/viewports.py)
    tiles: RevisionCache = field(init=False)  # vector tiles (web/wall/tiles.py)
    display_scopes: RevisionCache = field(init=False)  # display links' place sets
    scoped_states: RevisionCache = field(init=False)  # full wall states of one scope each (web/wall/data.py)
    # called with the campaign when it gains layers (create_app: the request checks' documents)
    campaign_listeners: list[Callable[[Campaign], None]] = field(default_factory=list)
    campaign_stamp: tuple = field(init=False)  # campaign.json's size and time as last read
    campaign_problem: Finding | None = None  # campaign.json changed into something unusable (the banner says so)
    _campaign_lock: RLock = field(default_factory=RLock, repr=False)

    def __post_init__(self) -> None:
        self.campaign_stamp = campaign_stamp(self.data_dir)
        self._memos()
        self._caches()

    def _memos(self) -> None:
        self.wall = WallData(self.store, self.campaign)
        self.dashboard = DashboardData(self.store, self.campaign, self.data_dir)
        self.progress = ProgressData(self.store, self.campaign)
        self.cases = CaseIndex(self.store, self.campaign)
        self.responsibility = Responsibility(self.store, self.campaign)
        self.viewport_index = ViewportIndex(self.store)

    def _caches(self) -> None:
        """The caches of serialised answers, empty, sharing one budget of bytes (web/core/cached.py)."""
        budget = CacheBudget(self.cache_bytes)
        self.cache = RevisionCache(32, budget)
        self.viewports = RevisionCache(64, budget, compress_large=True)  # sent, never read again: kept gzipped
        self.tiles = RevisionCache(2048, budget)
        self.display_scopes = RevisionCache(32, budget)
        self.scoped_states = RevisionCache(16, budget)  # (its own: scopes asked for never push out the rest)

    def adopt_campaign(self, campaign: Campaign) -> None:
        """Take `campaign`, this one with new layers: the store opens them, the memos and caches start again."""
        with self._campaign_lock:
            self.campaign_stamp = campaign_stamp(self.data_dir)
            if only_layers_added(self.campaign, campaign):  # the file is the campaign run here, plus its new layers
                self.campaign_problem = None
            added = self.store.adopt_campaign(campaign)
            self.campaign = campaign
            self._memos()
            self._caches()
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
