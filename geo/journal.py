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

Damage. A complete line that cannot be read (not JSON, not a change, or a
seq not above the one before) is indexed as a `BadLine` with its number and
byte offset instead of stopping every reader; the store refuses writes until
`store repair` moves it aside. A last line without its newline is a write a
crash cut short (never acknowledged: the layer files follow the journal). The
next writer keeps it aside in `journal.jsonl.torn-<offset>` beside the
journal, never deletes it, and never hands out its seq again: `max_seq_seen`
counts it, so the journal may have a gap there (catch-up then reads the
layer file whole once; changes_since, history and playback just skip it).
"""

from __future__ import annotations

import logging
import os
import re
import threading
import zlib
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import orjson

from geo.bulk import collector_paused
from geo.diskspace import disk_full, refused_when_full
from geo.errors import DiskFull
from geo.geojson_io import atomic_write, dumps

log = logging.getLogger(__name__)

_SEQ_AT_START = re.compile(rb'^\{"seq":(\d+)[,}]')  # how Guatu writes a change: seq first


class ChangeSummary(NamedTuple):
    """What a wall screen needs to know of a change, without geometry. A named tuple: a long journal holds a
    hundred thousand of them, built at once from the persisted index's columns."""

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


@dataclass(frozen=True)
class BadLine:
    """A complete journal line that cannot be read as a change: where it is and why."""

    number: int  # 1-based line number in the file
    offset: int
    length: int
    detail: str
    seq: int | None  # the seq it seems to carry, if its start can be read


@dataclass(frozen=True)
class TornTail:
    """Bytes after the journal's last newline: an append a crash cut short."""

    offset: int
    data: bytes

    @property
    def seq(self) -> int | None:
        return _seq_at_start(self.data)


def _seq_at_start(line: bytes) -> int | None:
    m = _SEQ_AT_START.match(line)
    return int(m.group(1)) if m else None


_INDEX_VERSION = 3  # 3: the summaries' fields as columns (2: a row per change)


class Journal:
    def __init__(self, path: Path, *, use_index: bool = True) -> None:
        self.path = Path(path)
        self.index_path = self.path.with_name(f".{self.path.name}.index")  # a dot-file: backups leave it out
        self.use_index = use_index  # `store check` reads every line itself
        self.index_note: str | None = None  # why the persisted index was not used at the last start-over
        self.epoch = 0
        self._crc = 0  # crc32 of the bytes indexed so far
        self._indexed_at = 0  # the journal's size the persisted index covers, as far as this process knows
        self._lock = threading.Lock()  # one refresh at a time: threads of a server share the index
        self._summaries: list[ChangeSummary] = []
        self._offset = 0
        self._ino: int | None = None
        self._layer_last: dict[str, int] = {}
        self._by_feature: dict[tuple[str, str], list[ChangeSummary]] | None = None  # built when first asked
        self._alive: dict[str, dict[str, int]] = {}  # layer → places whose last change is no delete → its seq
        self._lines = 0  # lines indexed so far (good and bad)
        self._bad: list[BadLine] = []
        self._tail: TornTail | None = None  # unterminated bytes at the end when last looked

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
            self._tail = None  # a torn tail was set aside by another process
            return
        with collector_paused() if self._offset == 0 else nullcontext():  # a first look builds many summaries
            self._read_from(st.st_size)

    def _read_from(self, size: int) -> None:
        """Index the lines from `_offset` to `size` (the persisted index first, on a first look)."""
        if self._offset == 0 and self.use_index:
            self._load_index(size)
        with open(self.path, "rb") as fh:
            fh.seek(self._offset)
            data = fh.read(size - self._offset)
        end = data.rfind(b"\n") + 1  # a torn last line is not a change yet
        self._crc = zlib.crc32(memoryview(data)[:end], self._crc)
        pos = 0
        while pos < end:
            nl = data.index(b"\n", pos)
            line = data[pos:nl]
            self._lines += 1
            if line.strip():
                self._index(line, self._offset + pos)
            pos = nl + 1
        self._offset += end
        self._tail = TornTail(self._offset, data[end:]) if end < len(data) else None

    def _index(self, line: bytes, offset: int) -> None:
        try:
            summary = change_summary(orjson.loads(line), offset, len(line))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:  # orjson.JSONDecodeError is a ValueError
            self._bad_line(line, offset, f"{type(exc).__name__}: {exc}")
            return
        if self._summaries and summary.seq <= self._summaries[-1].seq:
            self._bad_line(line, offset, f"seq {summary.seq} is not above the previous {self._summaries[-1].seq}")
            return
        self._summaries.append(summary)
        self._note(summary)

    def _note(self, summary: ChangeSummary) -> None:
        """The indexes kept beside the summaries: each layer's last change, who is alive, each place's changes."""
        self._note_all((summary,))

    def _note_all(self, summaries: Iterable[ChangeSummary]) -> None:
        layer_last, alive_in, by_feature = self._layer_last, self._alive, self._by_feature
        for summary in summaries:
            layer_last[summary.layer] = summary.seq
            alive = alive_in.get(summary.layer)
            if alive is None:
                alive = alive_in[summary.layer] = {}
            if summary.op == "delete":
                alive.pop(summary.id, None)
            else:
                alive[summary.id] = summary.seq
            if by_feature is not None:
                by_feature.setdefault((summary.layer, summary.id), []).append(summary)

    def _places(self) -> dict[tuple[str, str], list[ChangeSummary]]:
        """Each place's changes, oldest first: built from the summaries when first asked (a start needs none)."""
        built = self._by_feature
        if built is not None:
            return built
        with self._lock:  # no summary is added while the index is built
            if self._by_feature is None:
                by_feature: dict[tuple[str, str], list[ChangeSummary]] = {}
                with collector_paused():
                    for summary in self._summaries:
                        by_feature.setdefault((summary.layer, summary.id), []).append(summary)
                self._by_feature = by_feature
            return self._by_feature

    def _bad_line(self, line: bytes, offset: int, detail: str) -> None:
        bad = BadLine(self._lines, offset, len(line), detail, _seq_at_start(line))
        self._bad.append(bad)
        log.error("%s line %d (byte %d) cannot be read: %s; writes are refused until `store repair`",
                  self.path.name, bad.number, offset, detail)

    def _reset(self, ino: int | None) -> None:
        """Start the index over: the file is new, replaced or shorter than what was indexed."""
        if self._ino is not None or self._summaries:
            self.epoch += 1
        self._summaries, self._offset, self._ino, self._crc, self._indexed_at = [], 0, ino, 0, 0
        self._layer_last, self._by_feature, self._alive = {}, None, {}
        self._lines, self._bad, self._tail = 0, [], None

    # --- the persisted index: `.journal.jsonl.index` ---------------------------------
    def _load_index(self, size: int) -> bool:
        """Start from the persisted index when it describes a prefix of the journal as it is now (its size and
        the crc32 of those bytes match); else say why in `index_note` and read every line."""
        try:
            data = self.index_path.read_bytes()
            nl = data.index(b"\n")
            doc = orjson.loads(data[:nl])
            if doc.get("v") != _INDEX_VERSION:  # written by another version of Guatu
                return self._index_refused(f"of another format (version {doc.get('v')!r})")
            end, lines, crc = int(doc["size"]), int(doc["lines"]), int(doc["crc"])
            columns = orjson.loads(memoryview(data)[nl + 1:]) if zlib.crc32(memoryview(data)[nl + 1:]) == \
                int(doc["columns_crc"]) else None
        except FileNotFoundError:
            self.index_note = "missing"
            log.info("%s has no index yet: reading every line once", self.path.name)
            return False
        except (OSError, ValueError, KeyError, TypeError) as exc:  # orjson.JSONDecodeError is a ValueError
            return self._index_refused(f"damaged ({type(exc).__name__}: {exc})")
        if columns is None:
            return self._index_refused("damaged (its columns' crc32 differs)")
        if end > size:
            return self._index_refused(f"stale (it covers {end} bytes, the journal has {size})")
        got = 0
        with open(self.path, "rb") as fh:
            left = end
            while left:
                chunk = fh.read(min(left, 1 << 24))
                if not chunk:
                    break
                got, left = zlib.crc32(chunk, got), left - len(chunk)
        if got != crc or left:
            return self._index_refused("stale (the journal's bytes differ from those it indexed)")
        if not isinstance(columns, list) or len(columns) != len(ChangeSummary._fields) or \
                not all(isinstance(column, list) for column in columns) or len({len(c) for c in columns}) > 1:
            return self._index_refused("damaged (its columns do not make whole changes)")
        columns[-1] = map(tuple, columns[-1])  # written by _save_index, checked by its crc: no field-by-field checks
        summaries = list(map(ChangeSummary._make, zip(*columns)))
        self._summaries, self._offset, self._lines, self._crc, self._indexed_at = summaries, end, lines, crc, end
        self._note_all(summaries)
        self.index_note = None
        return True

    def _index_refused(self, why: str) -> bool:
        self.index_note = why
        log.warning("%s: its index %s is %s; rebuilt from every line", self.path.name, self.index_path.name, why)
        return False

    def save_index(self, *, unless_within: int = 0) -> None:
        """Persist the index of the lines read so far (atomically), so the next start reads only what follows;
        not when fewer than `unless_within` bytes came since the index last saved or read. Not while a line is
        damaged: then every start reads every line, and finds it."""
        with self._lock:
            self._refresh()
            if self._offset - self._indexed_at >= max(unless_within, 1):
                self._save_index()

    def _save_index(self) -> None:
        if self._bad or not self._summaries:
            return
        self._indexed_at = self._offset
        columns = orjson.dumps(list(zip(*self._summaries)))  # one list per field: read back in one pass
        head = {"v": _INDEX_VERSION, "size": self._offset, "lines": self._lines, "crc": self._crc,
                "columns_crc": zlib.crc32(columns)}
        try:
            atomic_write(self.index_path, orjson.dumps(head) + b"\n" + columns)
        except (OSError, DiskFull) as exc:  # the index is a help, the journal is the record
            log.warning("%s: its index was not written: %s", self.path.name, exc)

    def bad_lines(self) -> list[BadLine]:
        """Complete lines that cannot be read, oldest first."""
        self.refresh()
        return list(self._bad)

    def torn_tail(self) -> TornTail | None:
        """Bytes after the last newline. While no write lock is held this may be an append in progress."""
        self.refresh()
        return self._tail

    def max_seq_seen(self) -> int:
        """The highest seq the journal ever held: its good lines, a bad or torn line's if readable,
        and the torn lines kept aside. A new change must be numbered above it."""
        self.refresh()
        seqs = [self._summaries[-1].seq if self._summaries else 0]
        seqs += [b.seq for b in self._bad if b.seq is not None]
        if self._tail is not None and self._tail.seq is not None:
            seqs.append(self._tail.seq)
        for aside in self.path.parent.glob(f"{self.path.name}.torn-*"):
            try:
                seqs.append(_seq_at_start(aside.read_bytes()[:64]) or 0)
            except OSError as exc:
                log.warning("%s cannot be read: %s", aside.name, exc)
        return max(seqs)

    def expected_ids(self, layer: str, seq: int, *, since: int = 0) -> set[str]:
        """Ids of `layer` that exist at `seq` by the journal: their last change up to `seq` is not a delete
        (only places changed after `since` count)."""
        self.refresh()
        if seq >= self._layer_last.get(layer, 0):  # the file is at the layer's last change: the index knows
            alive = self._alive.get(layer, {})
            return set(alive) if since <= 0 else {fid for fid, last in alive.items() if last > since}
        out = set()
        for (lid, fid), items in list(self._places().items()):
            if lid != layer or items[0].seq > seq:
                continue
            last = items[-1] if items[-1].seq <= seq else next(s for s in reversed(items) if s.seq <= seq)
            if last.op != "delete" and last.seq > since:
                out.add(fid)
        return out

    def layer_summaries(self, layer: str) -> list[ChangeSummary]:
        """Every readable change to `layer`, oldest first."""
        self.refresh()
        return [s for s in self._summaries if s.layer == layer]

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
        return list(self.entries(list(self._places().get((layer, fid), ()))))

    def ids(self, layer: str) -> list[str]:
        """Every id of `layer` the journal has a change of: ids once given are never given again."""
        self.refresh()
        return [fid for (lid, fid) in list(self._places()) if lid == layer]

    def has(self, layer: str, fid: str) -> bool:
        """The journal has a change of this place (it exists, or existed and was deleted)."""
        self.refresh()
        return (layer, fid) in self._places()

    def entries_since(self, seq: int) -> list[dict]:
        return list(self.entries(self.summaries_since(seq)))

    # --- writing (caller holds the store's write lock) --------------------
    def set_aside_torn_tail(self) -> Path | None:
        """Move a torn last line into `journal.jsonl.torn-<offset>` beside the journal (never deleted)
        and cut it from the journal; None if there is none. Caller holds the store's write lock."""
        with self._lock:
            self._refresh()
            tail = self._tail
            if tail is None:
                return None
            aside = self.path.with_name(f"{self.path.name}.torn-{tail.offset}")
            n = 1
            while aside.exists() and aside.read_bytes() != tail.data:
                n += 1
                aside = self.path.with_name(f"{self.path.name}.torn-{tail.offset}-{n}")
            atomic_write(aside, tail.data)
            fd = os.open(self.path, os.O_RDWR)
            try:
                os.ftruncate(fd, tail.offset)
                os.fsync(fd)
            finally:
                os.close(fd)
            st = os.stat(self.path)
            self._ino, self._tail = st.st_ino, None
            log.warning("%s: the last line was cut short by a crash (%d bytes from byte %d, seq %s); "
                        "kept in %s, and its seq is not used again", self.path.name, len(tail.data), tail.offset,
                        tail.seq if tail.seq is not None else "unreadable", aside.name)
            return aside

    def append(self, entries: list[dict]) -> int:
        """Append a batch durably, all or nothing, after setting aside a torn last line left by a crash.
        Returns the journal's size before the batch (for `cut_back`). A full disk raises `DiskFull`, the
        journal as it was."""
        data = b"".join(dumps(e) + b"\n" for e in entries)
        with refused_when_full(self.path):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            st = os.statvfs(self.path.parent)
            if st.f_bavail * st.f_frsize < len(data):  # a full disk refuses the change even when the journal's
                raise disk_full(self.path)            # last block could still take it: the layer files could not
            self.set_aside_torn_tail()
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
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


def change_summary(entry: dict, offset: int, length: int) -> ChangeSummary:
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
