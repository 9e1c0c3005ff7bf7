"""The append-only change journal (JSON Lines).

One line per change: sequence number, time, user, operation, layer, feature
id, version, and the feature before and after. The journal is written before
the layer file (write-ahead), so a crash between the two is repaired by
replaying it. Readers keep a small in-memory index and read only the bytes
appended since they last looked, so other processes' writes are seen cheaply;
no read scans the file again, and a place's history is found through an index
by (layer, id). Only the first look at a long journal parses every line.

`epoch` counts how often the index had to start over because the file was
replaced or shrank (a restore): a sequence number means the same change only
within one epoch, which is what lets a layer copy catch up from the journal.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

from geo.diskspace import refused_when_full
from geo.geojson_io import dumps


@dataclass(frozen=True)
class ChangeSummary:
    """What a wall screen needs to know of a change, without geometry."""

    seq: int
    at: str
    user: str
    op: str
    layer: str
    id: str
    version: int
    status: str | None
    geometry_changed: bool
    offset: int
    length: int
    status_before: str | None = None  # None for a created place
    changed: tuple[str, ...] = ()  # properties whose value differs, store stamps (version, updated_*) left out


class Journal:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.epoch = 0
        self._lock = threading.Lock()  # one refresh at a time: threads of a server share the index
        self._summaries: list[ChangeSummary] = []
        self._offset = 0
        self._ino: int | None = None
        self._layer_last: dict[str, int] = {}
        self._by_feature: dict[tuple[str, str], list[ChangeSummary]] = {}

    # --- reading ---------------------------------------------------------
    def refresh(self) -> None:
        """Index lines appended since the last look (by any process)."""
        with self._lock:
            self._refresh()

    def _refresh(self) -> None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            if self._ino is not None or self._summaries:
                self._reset(None)
            return
        if st.st_ino != self._ino or st.st_size < self._offset:
            self._reset(st.st_ino)
        if st.st_size == self._offset:
            return
        with open(self.path, "rb") as fh:
            fh.seek(self._offset)
            data = fh.read(st.st_size - self._offset)
        end = data.rfind(b"\n") + 1  # a torn last line is not a change yet
        pos = 0
        while pos < end:
            nl = data.index(b"\n", pos)
            line = data[pos:nl]
            if line.strip():
                summary = _summary(orjson.loads(line), self._offset + pos, len(line))
                self._summaries.append(summary)
                self._layer_last[summary.layer] = summary.seq
                self._by_feature.setdefault((summary.layer, summary.id), []).append(summary)
            pos = nl + 1
        self._offset += end

    def _reset(self, ino: int | None) -> None:
        """Start the index over: the file is new, replaced or shorter than what was indexed."""
        if self._ino is not None or self._summaries:
            self.epoch += 1
        self._summaries, self._offset, self._ino = [], 0, ino
        self._layer_last, self._by_feature = {}, {}

    def last_seq(self) -> int:
        self.refresh()
        return self._summaries[-1].seq if self._summaries else 0

    def layer_last_seq(self, layer: str) -> int:
        self.refresh()
        return self._layer_last.get(layer, 0)

    def summaries_since(self, seq: int) -> list[ChangeSummary]:
        self.refresh()
        items = self._summaries
        lo, hi = 0, len(items)
        while lo < hi:  # binary search: seqs are increasing
            mid = (lo + hi) // 2
            if items[mid].seq <= seq:
                lo = mid + 1
            else:
                hi = mid
        return items[lo:]

    def entries(self, summaries: list[ChangeSummary]) -> Iterator[dict]:
        """The full entries (with before/after) for these summaries."""
        if not summaries:
            return
        with open(self.path, "rb") as fh:
            for s in summaries:
                fh.seek(s.offset)
                yield orjson.loads(fh.read(s.length))

    def history(self, layer: str, fid: str) -> list[dict]:
        self.refresh()
        return list(self.entries(list(self._by_feature.get((layer, fid), ()))))

    def ids(self, layer: str) -> list[str]:
        """Every id of `layer` the journal has a change of: ids once given are never given again."""
        self.refresh()
        return [fid for (lid, fid) in list(self._by_feature) if lid == layer]

    def has(self, layer: str, fid: str) -> bool:
        """The journal has a change of this place (it exists, or existed and was deleted)."""
        self.refresh()
        return (layer, fid) in self._by_feature

    def entries_since(self, seq: int) -> list[dict]:
        return list(self.entries(self.summaries_since(seq)))

    # --- writing (caller holds the store's write lock) --------------------
    def append(self, entries: list[dict]) -> int:
        """Append a batch durably, all or nothing; drops a torn last line left by a crash. Returns the
        journal's size before the batch (for `cut_back`). A full disk raises `DiskFull`, the journal as it was."""
        data = b"".join(dumps(e) + b"\n" for e in entries)
        with refused_when_full(self.path):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                size = os.fstat(fd).st_size
                if size:
                    os.lseek(fd, size - 1, os.SEEK_SET)
                    if os.read(fd, 1) != b"\n":
                        _truncate_torn_tail(fd, size)
                before = os.lseek(fd, 0, os.SEEK_END)
                try:
                    view = memoryview(data)
                    while view:
                        view = view[os.write(fd, view):]
                    os.fsync(fd)
                except BaseException:
                    os.ftruncate(fd, before)  # all entries of a batch, or none
                    raise
            finally:
                os.close(fd)
        return before

    def cut_back(self, size: int) -> None:
        """Take back the batch `append` wrote after `size` (the write lock is held and the batch could not
        reach its layer files): it was never acknowledged, so it must not be replayed."""
        fd = os.open(self.path, os.O_RDWR)
        try:
            os.ftruncate(fd, size)
            os.fsync(fd)
        finally:
            os.close(fd)


def _truncate_torn_tail(fd: int, size: int) -> None:
    chunk = min(size, 1 << 20)
    while True:
        os.lseek(fd, size - chunk, os.SEEK_SET)
        data = os.read(fd, chunk)
        nl = data.rfind(b"\n")
        if nl >= 0 or chunk == size:
            os.ftruncate(fd, size - chunk + nl + 1 if nl >= 0 else 0)
            return
        chunk = min(size, chunk * 2)


def _summary(entry: dict, offset: int, length: int) -> ChangeSummary:
    after = entry.get("after") or {}
    before = entry.get("before") or {}
    return ChangeSummary(
        seq=entry["seq"],
        at=entry["at"],
        user=entry.get("user", ""),
        op=entry["op"],
        layer=entry["layer"],
        id=entry["id"],
        version=entry.get("version", 0),
        status=(after.get("properties") or {}).get("status"),
        geometry_changed=after.get("geometry") != before.get("geometry"),
        offset=offset,
        length=length,
        status_before=(before.get("properties") or {}).get("status"),
        changed=_changed_properties(before.get("properties") or {}, after.get("properties") or {}),
    )


_STAMPS = frozenset({"version", "updated_at", "updated_by"})


def _changed_properties(before: dict, after: dict) -> tuple[str, ...]:
    return tuple(sorted(k for k in before.keys() | after.keys() if k not in _STAMPS and before.get(k) != after.get(k)))
