"""Serialised answers a server process keeps between requests.

`Cached` is one answer: its body, its ETag and, once made, its gzipped copy
(a large one may keep the gzipped copy alone). `RevisionCache` is a small
LRU of them keyed by what they depend on. Every cache of a process shares
one `CacheBudget`: the bytes they hold together stay within
`GUATU_CACHE_MB`, the answer used longest ago going first, whichever cache
holds it. A worker serving a million places holds its kept views (the
wall's state, the dashboard, the milestones) and this budget, not one bound
per cache added up.
"""

from __future__ import annotations

import gzip
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable
from threading import Lock

GZIP_LEVEL = 6
LARGE_BODY = 4 * 2**20  # bytes: a body this large is compressed fast (level 1), and may be kept compressed only
# (a million places' dots, 12 MB, took a worker 0.29 s at level 6 and 0.04 s at level 1, for half as many bytes
# again: 1.3 MB where 0.9, a few milliseconds on a command room's network)
GZIP_FROM = 1024  # bytes: a smaller answer is sent as it is
CACHE_MB = 256  # GUATU_CACHE_MB's default (web/core/settings.py)


class Cached:
    """An answer as sent: its body, its ETag, its gzipped copy once made (`gzip`). `compress` keeps the gzipped
    copy alone: `body` is then unzipped when asked for (a client that does not accept gzip: seldom)."""

    __slots__ = ("_body", "etag", "gzipped", "size")

    def __init__(self, body: bytes, etag: str, gzipped: bytes | None = None) -> None:
        self._body: bytes | None = body
        self.etag = etag
        self.gzipped = gzipped
        self.size = len(body)

    @classmethod
    def of_pieces(cls, pieces: Iterable[bytes], etag: str) -> Cached:
        """An answer written a piece at a time: held whole if it stays under `LARGE_BODY`; from there on
        compressed as it comes (fast, as a large body is) and kept gzipped only, so a large body is never held
        whole (a district's viewport with its names: 42 MB of JSON, 4.7 MB gzipped)."""
        held: list[bytes] = []
        size = 0
        z = None
        try:
            for piece in pieces:
                size += len(piece)
                held.append(z.compress(piece) if z is not None else piece)
                if z is None and size >= LARGE_BODY:
                    z = zlib.compressobj(1, zlib.DEFLATED, 16 + zlib.MAX_WBITS)  # (a gzip member; its time 0)
                    held = [z.compress(b"".join(held))]
        finally:  # (a writer that fails half-way lets go of what it reads from: a database's rows)
            close = getattr(pieces, "close", None)
            if close is not None:
                close()
        if z is None:
            return cls(b"".join(held), etag)
        held.append(z.flush())
        item = cls(b"", etag, b"".join(held))
        item._body, item.size = None, size
        return item

    @property
    def body(self) -> bytes:
        body = self._body
        return body if body is not None else gzip.decompress(self.gzipped or b"")

    def gzip(self) -> bytes:
        """The gzipped copy, made once (a race makes it twice, the same bytes)."""
        if self.gzipped is None:
            self.gzipped = gzip.compress(self.body, compresslevel=GZIP_LEVEL if self.size < LARGE_BODY else 1,
                                         mtime=0)
        return self.gzipped

    def compress(self) -> None:
        """Keep the gzipped copy only (a million places' dots: 1.3 MB kept where 13.0 MB were)."""
        self.gzip()
        self._body = None

    def held_bytes(self) -> int:
        return len(self._body or b"") + len(self.gzipped or b"")


class CacheBudget:
    """The bytes every `RevisionCache` of a process may hold together (`GUATU_CACHE_MB`), and their answers in
    the order they were last used, each with its bytes (an answer's gzipped copy is made before it is kept, so
    its bytes do not change while kept). Its lock is each of its caches' lock: one cache may let go of another's
    answers."""

    def __init__(self, max_bytes: int = CACHE_MB * 2**20) -> None:
        self.max_bytes = max_bytes
        self.lock = Lock()
        self._order: OrderedDict[tuple[RevisionCache, tuple], int] = OrderedDict()  # oldest used first: its bytes
        self._held = 0

    def held_bytes(self) -> int:
        with self.lock:
            return self._held

    def __len__(self) -> int:
        return len(self._order)

    # (the rest is called by a RevisionCache holding `lock`)
    def _add(self, cache: RevisionCache, key: tuple, size: int) -> None:
        self._order[(cache, key)] = size
        self._held += size

    def _used(self, cache: RevisionCache, key: tuple) -> None:
        if (cache, key) in self._order:
            self._order.move_to_end((cache, key))

    def _forget(self, cache: RevisionCache, key: tuple) -> None:
        self._held -= self._order.pop((cache, key), 0)

    def _trim(self) -> None:
        """The answers used longest ago let go until the bytes held are within the budget (the newest is kept)."""
        while self._held > self.max_bytes and len(self._order) > 1:
            (cache, key), size = self._order.popitem(last=False)
            cache._drop(key)
            self._held -= size


class RevisionCache:
    """A small LRU of serialised answers keyed by what they depend on: keys carry the store's revision, so under
    steady edits every revision brings new entries and the old ones age out. At most `size` answers; its bytes
    count towards its `budget`, shared with the process's other caches; an answer larger than half the budget
    is sent, not kept. `compress_large`: an answer of `LARGE_BODY` bytes or more is kept gzipped only (for
    answers only ever sent, never read again: viewports).

    One build per key at a time: a request that asks for what another is building waits for it and answers
    the same (thirty screens asking for the same viewport after an edit, or a GIS client's burst of the same
    far-out tile, make it once); if that build fails, the waiting request builds it itself."""

    def __init__(self, size: int = 32, budget: CacheBudget | None = None, *, compress_large: bool = False) -> None:
        self._items: OrderedDict[tuple, Cached] = OrderedDict()
        self._size = size
        self.budget = budget if budget is not None else CacheBudget()
        self._compress_large = compress_large
        self._lock = self.budget.lock
        self._building: dict[tuple, Lock] = {}  # key -> held while its one build runs
        self.waited = 0  # requests that waited for another's build (for the tests and the curious)

    def get(self, key: tuple, build: Callable[[], Cached]) -> Cached:
        while True:
            with self._lock:
                hit = self._items.get(key)
                if hit is not None:
                    self._items.move_to_end(key)
                    self.budget._used(self, key)
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
            size = self._ready(value)
            if size is not None and size > self.budget.max_bytes // 2:
                return value  # sent, not kept: it would push out most of what every screen is sent
            with self._lock:
                self._items[key] = value
                if size is not None:
                    self.budget._add(self, key, size)
                while len(self._items) > self._size:
                    self.budget._forget(self, self._items.popitem(last=False)[0])
                self.budget._trim()
            return value
        finally:
            with self._lock:
                del self._building[key]
            mine.release()

    def _ready(self, value: object) -> int | None:
        """An answer made ready to keep (gzipped, or gzipped only: `compress_large`), and its bytes; None for
        anything else a cache keeps (a display link's place ids), which its count of entries alone bounds."""
        if not isinstance(value, Cached):
            return None
        if self._compress_large and value.size >= LARGE_BODY:
            value.compress()
        elif value.size > GZIP_FROM:
            value.gzip()
        return value.held_bytes()

    def forget(self, older: Callable[[tuple], bool]) -> int:
        """Let go of the answers whose keys `older` names (superseded: a full wall state of an earlier revision,
        which no screen asks for again); how many."""
        with self._lock:
            gone = [key for key in self._items if older(key)]
            for key in gone:
                del self._items[key]
                self.budget._forget(self, key)
        return len(gone)

    def _drop(self, key: tuple) -> None:
        self._items.pop(key, None)

    def __len__(self) -> int:
        return len(self._items)

    def held_bytes(self) -> int:
        with self._lock:
            return sum(v.held_bytes() for v in self._items.values() if isinstance(v, Cached))
