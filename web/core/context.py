"""The per-app objects the views share: campaign, store, clock and caches."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from threading import Lock

from flask import current_app

from geo.config import Campaign
from geo.store.base import Store


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
class Guatu:
    campaign: Campaign
    store: Store
    data_dir: Path
    clock: Callable[[], datetime]
    instance_dir: Path = Path("instance")
    refresh_seconds: float = 5
    cache: RevisionCache = field(default_factory=RevisionCache)

    def now(self) -> datetime:
        return self.clock()


def guatu() -> Guatu:
    return current_app.extensions["guatu"]
