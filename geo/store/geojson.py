"""The embedded store: one GeoJSON file per layer plus the change journal.

Reads come from an in-memory copy of each layer file, brought up to date
whenever the file on disk changes (another process wrote it). Writes take an
inter-process file lock, write each changed layer's next file beside it, append
to the journal (write-ahead: the commit point), then rename the new files into
place; only the changed features are serialised again. A full disk shows before
the journal append, when nothing has changed yet (507, no trace). A crash
between the append and the renames is repaired by replaying the journal at
the next open or write, and a layer file that cannot be parsed is reported
with its line and refused for writes instead of being overwritten. Ids are
never given twice: the next number follows every id the journal names.

Catching up instead of parsing again. A layer file that Guatu writes is the
previous one plus the journal's changes to that layer, and its first line
names the last of them (`"guatu":{"seq":n}`). So when the file changed on
disk, a copy reads only that line and, if the journal holds every change
from the copy's seq to the file's, applies their after-images: a few
milliseconds where parsing 100k places takes seconds. It checks as it goes
and parses the whole file instead whenever something does not hold: the
first line is not Guatu's (another tool saved the file), the seq is not
ahead of the copy's (edited in place, or put back), the journal was
replaced since the copy was made or has a gap, a change's before-image
differs from the copy's feature, the file's size differs from what the copy
would write, or the changes are so many that parsing is quicker. What these
checks cannot see is a hand edit that keeps the first line and the file's
size and is followed by a Guatu write before this process looked again.

Damage is never served in part nor written over. The first line also records
the number of places (`"guatu":{"seq":n,"count":k}`; files without it still
load) and the file must end with `]}`, so a file cut short is seen when it is
parsed (a catch-up checks the count against its copy, no parse added); a
parsed Guatu file must also hold every place the journal says exists at its
seq, and every place of a parsed file must be one Guatu could have written: a
geometry shapely can read (geo/geojson_check.py) and values of the types the
readers rely on (geo/stored_place.py). A missing file whose layer has changes in the journal, or that this
process read before, is damaged too (only a layer that never had either is a
new, empty one). A damaged layer is withheld: reads raise BrokenLayer with
the reason (in the catalogue's words), writes to it are refused, the file is
left byte for byte, and `problems()` names it. A damaged journal line refuses
every write (JournalDamaged) but the layers are still served: the layer
files are the current state. `check()` and `repair()` live in
geo/store/geojson_integrity.py.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import zlib
from collections.abc import Iterable, Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from itertools import chain
from pathlib import Path

import orjson
from filelock import FileLock, Timeout

from geo.bulk import collector_paused
from geo.config import Campaign, Layer
from geo.errors import BrokenLayer, DiskFull, JournalDamaged, NotFound, StoreBusy
from geo.geojson_check import geometry_errors
from geo.geojson_io import (
    atomic_write,
    collection_bytes,
    feature_line,
    fsync_dir,
    install,
    layer_members,
    remove_stale_temp_files,
    stage_write,
)
from geo.journal import ChangeSummary, Journal
from geo.kept import kept_place
from geo.messages import t
from geo.photos.blobs import FileBlobs
from geo.store.base import Clock, Finding, LeaderLock, RepairReport, Store, Transaction, parse_record, utc_now
from geo.store.photo_check import photo_findings, photo_summary, unrecovered
from geo.stored_place import stored_place_errors

log = logging.getLogger(__name__)

JOURNAL_FILE = "journal.jsonl"
PHOTOS_DIR = "photos"
LOCK_FILE = ".guatu.lock"
_HEAD_END = b'"features":['
_HEAD_MAX = 1 << 16  # a first line longer than this is not Guatu's
COMPACT_CHANGES = 1000  # a layer file is written whole once this many changes to it are in the journal only…
COMPACT_SECONDS = 300.0  # …or its oldest such change is this old (seconds), at the next write; and on close
INDEX_EVERY = 1 << 20  # a compaction after a save persists the journal index once this many bytes came since
_CATCH_UP_MIN = 256  # catch up with at most this many changes, or a quarter of the layer if more


@dataclass
class LayerState:
    """A layer file's content: features by id in file order, their lines, its seq."""

    stat: tuple = ()
    seq: int = 0
    ours: bool = True  # carries Guatu's {"guatu": {"seq": n}} header
    since: int = 0  # the journal tells this file's places only from after this seq (before: another program's save)
    features: dict[str, dict] | LazyFeatures = field(default_factory=dict)
    lines: dict[str, bytes] = field(default_factory=dict)
    error: str | None = None
    remedy: str | None = None  # what to do about `error`, when it is not the store's usual (`layer_remedies`)
    nbytes: int = 0  # the lines' bytes, all together: the size of the file Guatu would write
    journal_epoch: int = -1  # the journal's epoch when the copy was made: seqs mean the same changes within one
    numbering: Numbering | None = None  # the layer's numbered ids, counted when a create first asks
    file_seq: int = 0  # the seq of the snapshot on disk (the file's first line): changes after it are in the journal only
    disagrees: tuple = ()  # journal changes after the snapshot whose before-image differs from it: (seq, id, found, expected)
    _body: bytes | None = None

    def body(self, name: str) -> bytes:
        """The layer as a FeatureCollection, built once per state."""
        if self._body is None:
            self._body = collection_bytes(self.lines.values(), name=name, checksum="guatu",
                                          members=layer_members(self.seq, len(self.lines), self.since))
        return self._body


class Msg:
    """A catalogue message kept as key and parameters (some of them messages too), so the same
    reason is shown in Chinese and logged in English."""

    def __init__(self, key: str, **params: object) -> None:
        self.key, self.params = key, params

    def text(self, lang: str = "zh") -> str:
        return t(self.key, lang=lang, **{k: v.text(lang) if isinstance(v, Msg) else v for k, v in self.params.items()})


class LayerFile:
    """One layer's file and this process's copy of it."""

    def __init__(self, data_dir: Path, layer: Layer, journal: Journal) -> None:
        self.layer = layer
        self.path = data_dir / layer.file
        self.rel = layer.file
        self.journal = journal
        self.state = LayerState()
        self.parses = 0  # whole-file reads so far, and catch-ups: tests and benchmarks count them
        self.catch_ups = 0
        self._lock = threading.Lock()  # one reload at a time; the others wait for it and share it

    def _stat(self) -> tuple:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return ("missing",)
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def load(self) -> LayerState:
        """The current state: the snapshot on disk (read again only if the file changed) plus the journal's
        changes to this layer after it."""
        if self._stale(self.state):
            with self._lock:
                state = self.state
                if self._stale(state):
                    if self._stat() != state.stat or self.journal.epoch != state.journal_epoch:
                        state = self._reload(state if self.journal.epoch == state.journal_epoch else LayerState())
                    self.state = self._follow_journal(state)
        return self.state

    def _stale(self, state: LayerState) -> bool:
        if self._stat() != state.stat:
            return True
        last = self.journal.layer_last_seq(self.layer.id)  # refreshes the journal (one stat when nothing was added)
        if self.journal.epoch != state.journal_epoch and state.stat != ():
            return True
        return bool(state.ours and not state.error and last > state.seq)

    def _follow_journal(self, state: LayerState) -> LayerState:
        """`state` with the journal's changes to this layer after its seq: the writes not yet compacted into the
        file (this process's or another's). A file another program saved is the truth as it is (its places
        are not replayed over)."""
        if state.error or not state.ours or self.journal.layer_last_seq(self.layer.id) <= state.seq:
            return state
        missed = [s for s in self.journal.summaries_since(state.seq) if s.layer == self.layer.id]
        if not missed:
            return state
        applied = applied_changes(state, self.journal.entries(missed), self.layer.id_prefix, verify=True)
        disagrees = state.disagrees
        if applied is None:  # a before-image differs from the copy: the journal is the record, the difference is said
            disagrees = disagrees + tuple(_disagreements(state, self.journal.entries(missed)))
            for seq, fid, found, expected in disagrees[len(state.disagrees):]:
                log.error("%s: journal change %d's before-image of %s (version %s) differs from the layer (version %s); "
                          "the journal's after-image is kept", self.rel, seq, fid, expected, found)
            applied = applied_changes(state, self.journal.entries(missed), self.layer.id_prefix)
        features, lines, nbytes, numbering = applied
        return LayerState(stat=state.stat, seq=missed[-1].seq, features=features, lines=lines, nbytes=nbytes,
                          since=state.since, journal_epoch=state.journal_epoch, numbering=numbering,
                          file_seq=state.file_seq, disagrees=disagrees)

    def _reload(self, old: LayerState) -> LayerState:
        epoch = self.journal.epoch  # before reading: a journal replaced meanwhile then shows as a new epoch
        try:
            fh = open(self.path, "rb")
        except FileNotFoundError:
            known = old.stat not in ((), ("missing",)) or self.journal.layer_last_seq(self.layer.id) > 0
            if not known:  # a new layer: empty until its first write
                return LayerState(stat=("missing",), journal_epoch=epoch)
            reason = Msg("store.layer_file_missing", file=self.rel)
            log.error("layer file %s: %s; the layer is withheld and writes to it are refused", self.rel, reason.text("en"))
            return LayerState(stat=("missing",), seq=old.seq, error=reason.text(), journal_epoch=epoch)
        with fh:
            st = os.fstat(fh.fileno())
            stat = (st.st_ino, st.st_mtime_ns, st.st_size)
            try:
                state = self._catch_up(old, fh, stat)
                self.catch_ups += 1
                return state
            except _CannotCatchUp as exc:
                log.debug("%s changed on disk; reading it whole: %s", self.rel, exc)
            fh.seek(0)
            data = fh.read()
        self.parses += 1
        with collector_paused():
            state = self._parse(data, stat)
        state.journal_epoch, state.file_seq = epoch, state.seq
        return state

    def _catch_up(self, old: LayerState, fh, stat: tuple) -> LayerState:
        """`old` with the journal's changes up to the seq in the file's first line; raises _CannotCatchUp."""
        if old.error or not old.ours or old.stat in ((), ("missing",)):
            raise _CannotCatchUp("no copy of a Guatu layer file to start from")
        head = fh.readline(_HEAD_MAX)
        seq, count, since = parse_header(head)
        if seq is None:
            raise _CannotCatchUp("its first line is not Guatu's (saved by another program?)")
        if seq < old.seq and old.seq != old.file_seq:
            return self._older_snapshot(old, seq, head, fh, stat)
        if seq <= old.seq:
            return self._compacted(old, seq, count, stat, len(head) - 1)
        try:
            features, lines, nbytes, numbering = self._replay(old, seq)
        except (OSError, ValueError, KeyError, TypeError) as exc:  # orjson.JSONDecodeError is a ValueError
            log.warning("%s: the journal's changes %d to %d could not be read: %s", self.rel, old.seq + 1, seq, exc)
            raise _CannotCatchUp(f"the journal could not be read: {exc}") from None
        if _file_size(len(head) - 1, len(lines), nbytes) != stat[2]:
            raise _CannotCatchUp("its size differs from what the journal's changes make")
        if count is not None and count != len(lines):
            raise _CannotCatchUp(f"its first line records {count} places, the journal's changes make {len(lines)}")
        return LayerState(stat=stat, seq=seq, features=features, lines=lines, nbytes=nbytes, since=since,
                          journal_epoch=old.journal_epoch, numbering=numbering, file_seq=seq)

    def _compacted(self, old: LayerState, seq: int, count: int | None, stat: tuple, head_len: int) -> LayerState:
        """`old` itself when the new file is its snapshot (another process compacted the journal into it at the
        copy's own seq): same seq, same place count, and the size the copy's lines make. Raises _CannotCatchUp
        otherwise: a file put back or edited in place, or (rarely) a snapshot older than the copy, is parsed."""
        if seq != old.seq or old.seq == old.file_seq:
            raise _CannotCatchUp(f"its seq {seq} is not ahead of the copy's {old.seq}")
        if self.journal.epoch != old.journal_epoch:
            raise _CannotCatchUp("the journal was replaced since the copy was made")
        if count != len(old.lines) or _file_size(head_len, len(old.lines), old.nbytes) != stat[2]:
            raise _CannotCatchUp("its place count or size differs from the copy's")
        return LayerState(stat=stat, seq=old.seq, features=old.features, lines=old.lines, nbytes=old.nbytes,
                          since=old.since, journal_epoch=old.journal_epoch, numbering=old.numbering, file_seq=seq,
                          disagrees=old.disagrees)

    def _older_snapshot(self, old: LayerState, seq: int, head: bytes, fh, stat: tuple) -> LayerState:
        """`old` itself when the new file is a snapshot older than the copy: another process compacted at its
        seq while this one had already followed the journal further. The file must be Guatu's whole (its CRC
        holds) and the journal, unreplaced, must hold every change between the file's seq and the copy's, so
        the file plus the journal is the copy. Raises _CannotCatchUp otherwise (the file is parsed)."""
        if self.journal.epoch != old.journal_epoch:
            raise _CannotCatchUp("the journal was replaced since the copy was made")
        span = self.journal.summaries_since(seq)[: old.seq - seq]
        if len(span) != old.seq - seq or any(x.seq != seq + 1 + i for i, x in enumerate(span)):
            raise _CannotCatchUp(f"the journal does not hold every change from seq {seq + 1} to {old.seq}")
        try:
            crc = orjson.loads(head.rstrip(b"\n")[: -len(_HEAD_END)].rstrip(b",") + b"}")["guatu"]["crc"]
        except (orjson.JSONDecodeError, KeyError, TypeError):
            raise _CannotCatchUp("its first line records no CRC") from None
        if type(crc) is not int or zlib.crc32(fh.read()) != crc:
            raise _CannotCatchUp("its CRC does not hold")
        return replace(old, stat=stat, file_seq=seq)

    def _replay(self, old: LayerState, seq: int) -> tuple:
        """The journal's changes to this layer after `old.seq` up to `seq`, applied to `old`."""
        span = self.journal.summaries_since(old.seq)[: seq - old.seq]
        if self.journal.epoch != old.journal_epoch:
            raise _CannotCatchUp("the journal was replaced since the copy was made")
        if len(span) != seq - old.seq or any(s.seq != old.seq + 1 + i for i, s in enumerate(span)):
            raise _CannotCatchUp(f"the journal does not hold every change from seq {old.seq + 1} to {seq}")
        mine = [s for s in span if s.layer == self.layer.id]
        if not mine or mine[-1].seq != seq:
            raise _CannotCatchUp(f"the journal's change {seq} is not to this layer")
        if len(mine) > max(_CATCH_UP_MIN, len(old.lines) // 4):
            raise _CannotCatchUp(f"{len(mine)} changes: reading the file is quicker")
        applied = applied_changes(old, self.journal.entries(mine), self.layer.id_prefix, verify=True)
        if applied is None:
            raise _CannotCatchUp("a change's before-image differs from the copy")
        return applied

    def _parse(self, data: bytes, stat: tuple) -> LayerState:
        try:
            try:
                state = parse_snapshot(data, stat)
            except NotLineFormat:
                try:
                    state = parse_lines(data, stat, self.rel)
                except NotLineFormat:
                    state = parse_whole(data, stat, self.rel)
            if state.ours:
                self._check_against_journal(state)
            return state
        except BrokenAt as exc:
            log.error("layer file %s is broken: %s; the layer is withheld and writes to it are refused",
                      self.rel, exc.reason.text("en"))
            seq = parse_header(data[: data.find(b"\n") + 1] if b"\n" in data[:_HEAD_MAX] else b"")[0]
            remedy = t("store.place_remedy") if exc.reason.key in PLACE_FAULTS else None
            return LayerState(stat=stat, seq=seq or 0, error=exc.reason.text(), remedy=remedy)

    def _check_against_journal(self, state: LayerState) -> None:
        """A Guatu file must hold every place the journal says exists at the file's seq (cut short otherwise)."""
        missing = sorted(self.journal.expected_ids(self.layer.id, state.seq, since=state.since) - state.features.keys())
        if missing:
            raise BrokenAt("store.layer_places_missing", file=self.rel, count=len(missing), ids=", ".join(missing[:3]))

    def write(self, features: dict[str, dict], lines: dict[str, bytes], seq: int, *, first: int | None = None,
              nbytes: int | None = None, numbering: Numbering | None = None) -> None:
        """Replace the file by these lines at `seq`, made by the changes from seq `first` (caller holds the
        store's write lock). Over a file another program saved, the journal tells the places from `first` on."""
        self.stage(features, lines, seq, first=first, nbytes=nbytes, numbering=numbering).install()

    def stage(self, features: dict[str, dict], lines: dict[str, bytes], seq: int, *, first: int | None = None,
              nbytes: int | None = None, numbering: Numbering | None = None) -> _Staged:
        """Write the file's next content beside it (the part that needs disk space); `install` puts it in
        place and makes it this process's copy, `discard` forgets it. Nothing changes until `install`."""
        old = self.state
        since = old.since if old.ours else (first if first is not None else seq) - 1
        body = collection_bytes(lines.values(), name=self.layer.id, members=layer_members(seq, len(lines), since),
                                checksum="guatu")
        tmp = stage_write(self.path, body)
        return _Staged(self, tmp, LayerState(seq=seq, features=features, lines=lines, since=since,
                                             nbytes=sum(map(len, lines.values())) if nbytes is None else nbytes,
                                             numbering=numbering, file_seq=seq, _body=body))


@dataclass
class _Staged:
    """A layer file's next content, written beside it and not yet renamed into place."""

    file: LayerFile
    tmp: Path
    state: LayerState

    def install(self) -> None:
        install(self.tmp, self.file.path)
        self.state.stat, self.state.journal_epoch = self.file._stat(), self.file.journal.epoch
        with self.file._lock:
            self.file.state = self.state

    def discard(self) -> None:
        self.tmp.unlink(missing_ok=True)


def record_name(name: str) -> str:
    """A record kind or key as a file name: letters, digits, '-' and '_' only (no paths)."""
    if not name or not all(c.isascii() and (c.isalnum() or c in "-_") for c in name):
        raise ValueError(f"a record kind or key must be letters, digits, '-' or '_': {name!r}")
    return name


class _CannotCatchUp(Exception):
    pass


def parse_header(head: bytes) -> tuple[int | None, int | None, int]:
    """(seq, count, since) in Guatu's first line (`{...,"guatu":{"seq":n,"count":k},"features":[`); seq is
    None for any other line, count is None in files written before Guatu recorded it."""
    if not head.endswith(b"\n") or not head[:-1].endswith(_HEAD_END):
        return None, None, 0
    try:
        header = orjson.loads(head[: -len(_HEAD_END) - 1].rstrip(b",") + b"}")
    except orjson.JSONDecodeError:
        return None, None, 0
    guatu = header.get("guatu") if isinstance(header, dict) else None
    if not isinstance(guatu, dict):
        return None, None, 0
    seq, count, since = guatu.get("seq"), guatu.get("count"), guatu.get("since", 0)
    return (seq if type(seq) is int else None), (count if type(count) is int else None), \
        (since if type(since) is int else 0)


def _file_size(head_len: int, count: int, nbytes: int) -> int:
    """Bytes of `collection_bytes` of `count` lines of `nbytes` in all, under a first line of `head_len`."""
    return head_len + 1 + (nbytes + 2 * (count - 1) + 4 if count else 3)


class NotLineFormat(Exception):
    pass


# a place that is not as Guatu writes it (a hand edit): put right by correcting that place, as well as by `repair`
PLACE_FAULTS = ("store.layer_no_geometry", "store.layer_bad_geometry", "store.layer_bad_value")


class BrokenAt(Exception):
    """Why a layer file cannot be served, as a catalogue message."""

    def __init__(self, key: str, **params: object) -> None:
        self.reason = Msg(key, **params)
        super().__init__(self.reason.text("en"))


_LINE_ID = re.compile(rb'\{"type":"Feature","id":"((?:[^"\\]|\\.)*)","properties":\{')


def parse_snapshot(data: bytes, stat: tuple) -> LayerState:
    """A layer file exactly as Guatu wrote it: its first line's `crc` matches every byte after it, so each
    line is a feature Guatu checked before writing it. Only the ids are read; a place is parsed when first
    asked for (LazyFeatures). Raises NotLineFormat for anything else (then the file is parsed and checked)."""
    nl = data.find(b"\n", 0, _HEAD_MAX)
    if nl < 0 or not data[:nl].endswith(_HEAD_END):
        raise NotLineFormat
    try:
        header = orjson.loads(data[: nl - len(_HEAD_END)].rstrip(b",") + b"}")
    except orjson.JSONDecodeError:
        raise NotLineFormat from None
    guatu = header.get("guatu")
    if not isinstance(guatu, dict) or type(guatu.get("crc")) is not int or type(guatu.get("count")) is not int:
        raise NotLineFormat
    body = memoryview(data)[nl + 1:]
    if zlib.crc32(body) != guatu["crc"]:
        raise NotLineFormat
    rest = bytes(body)
    if rest == b"]}\n":
        raw = []
    elif rest.endswith(b"\n]}\n"):
        raw = rest[:-4].split(b",\n")  # a feature's line holds no newline (JSON escapes it in strings)
    else:
        raise NotLineFormat
    lines: dict[str, bytes] = {}
    nbytes = 0
    for line in raw:
        m = _LINE_ID.match(line)
        if m is None:
            raise NotLineFormat
        fid = m.group(1)
        fid = orjson.loads(b'"' + fid + b'"') if b"\\" in fid else fid.decode()
        if fid in lines:
            raise NotLineFormat
        lines[fid] = line
        nbytes += len(line)
    if len(lines) != guatu["count"]:
        raise NotLineFormat
    return LayerState(stat=stat, seq=int(guatu.get("seq", 0)), since=int(guatu.get("since", 0)),
                      features=LazyFeatures(dict(lines)), lines=lines, nbytes=nbytes)


class LazyFeatures(MutableMapping):
    """Places by id, each parsed from its line when first asked for (then kept): a layer of 100k places opens
    without parsing them all. In file order; `copy` is cheap and shares the places parsed so far."""

    __slots__ = ("_lines", "_parsed")

    def __init__(self, lines: dict[str, bytes | None], parsed: dict[str, dict] | None = None) -> None:
        self._lines, self._parsed = lines, {} if parsed is None else parsed

    def __getitem__(self, fid: str) -> dict:
        try:
            return self._parsed[fid]
        except KeyError:
            line = self._lines[fid]
        feature = self._parsed[fid] = kept_place(orjson.loads(line))
        return feature

    def __setitem__(self, fid: str, feature: dict) -> None:
        self._parsed[fid] = feature
        self._lines.setdefault(fid, None)

    def __delitem__(self, fid: str) -> None:
        del self._lines[fid]
        self._parsed.pop(fid, None)

    def pop(self, fid: str, *default):  # without parsing what is thrown away
        if fid not in self._lines:
            if default:
                return default[0]
            raise KeyError(fid)
        feature = self._parsed.pop(fid, None)
        del self._lines[fid]
        return feature

    def __iter__(self) -> Iterator[str]:
        return iter(self._lines)

    def __len__(self) -> int:
        return len(self._lines)

    def __contains__(self, fid: object) -> bool:
        return fid in self._lines

    def keys(self):
        return self._lines.keys()

    def copy(self) -> LazyFeatures:
        return LazyFeatures(dict(self._lines), dict(self._parsed))


def parse_lines(data: bytes, stat: tuple, rel: str) -> LayerState:
    """Parse Guatu's own one-feature-per-line layout, reporting line numbers."""
    lines = data.split(b"\n")
    head = lines[0]
    if not head.endswith(_HEAD_END):
        raise NotLineFormat
    try:
        header = orjson.loads(head[: -len(_HEAD_END)].rstrip(b",") + b"}")
    except orjson.JSONDecodeError:
        raise NotLineFormat from None
    guatu = header.get("guatu") if isinstance(header.get("guatu"), dict) else {}
    state = LayerState(stat=stat, seq=int(guatu.get("seq", 0)), ours="guatu" in header, since=int(guatu.get("since", 0)))
    closed, last = False, 1
    for number, raw in enumerate(lines[1:], start=2):
        line = raw.rstrip(b"\r")
        if line == b"]}":
            closed = True
            continue
        if line == b"":
            continue
        last = number
        if line.endswith(b","):
            line = line[:-1]
        where = Msg("store.where_line", file=rel, line=number)
        try:
            feature = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise BrokenAt("store.layer_not_json", where=where, detail=str(exc)) from None
        _check_feature(feature, where, state)
        state.features[feature["id"]] = kept_place(feature)
        state.lines[feature["id"]] = line
        state.nbytes += len(line)
    if not closed:
        raise BrokenAt("store.layer_cut_short", file=rel, line=last)
    count = guatu.get("count")
    if type(count) is int and count != len(state.features):
        raise BrokenAt("store.layer_count_mismatch", file=rel, expected=count, found=len(state.features))
    return state


def parse_whole(data: bytes, stat: tuple, rel: str) -> LayerState:
    """Any other valid GeoJSON FeatureCollection (e.g. written by another tool)."""
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise BrokenAt("store.layer_not_json", where=rel, detail=str(exc)) from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise BrokenAt("store.layer_not_collection", file=rel)
    guatu = doc.get("guatu") if isinstance(doc.get("guatu"), dict) else {}
    state = LayerState(stat=stat, seq=int(guatu.get("seq", 0)), ours="guatu" in doc)
    count = guatu.get("count")
    if type(count) is int and count != len(doc["features"]):
        raise BrokenAt("store.layer_count_mismatch", file=rel, expected=count, found=len(doc["features"]))
    for i, feature in enumerate(doc["features"]):
        _check_feature(feature, Msg("store.where_feature", file=rel, number=i + 1), state)
        state.features[feature["id"]] = kept_place(feature)
        state.lines[feature["id"]] = line = feature_line(feature)
        state.nbytes += len(line)
    return state


def _check_feature(feature, where: Msg, state: LayerState) -> None:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise BrokenAt("store.layer_not_feature", where=where)
    fid = feature.get("id")
    if not isinstance(fid, str) or not fid:
        raise BrokenAt("store.layer_no_id", where=where)
    if fid in state.features:
        raise BrokenAt("store.layer_duplicate_id", where=where, id=repr(fid))
    props = feature.get("properties")
    if not isinstance(props, dict) or not isinstance(props.get("version"), int):
        raise BrokenAt("store.layer_no_version", where=where, id=repr(fid))
    geometry = feature.get("geometry")
    if geometry is None:
        raise BrokenAt("store.layer_no_geometry", where=where, id=repr(fid))
    faults = geometry_errors(geometry, empty=False)  # the write boundary's checks: every reader may hand it to shapely
    if faults:
        raise BrokenAt("store.layer_bad_geometry", where=where, id=repr(fid), detail=faults[0].text())
    faults = stored_place_errors(props)  # the types every reader relies on (geo/stored_place.py)
    if faults:
        raise BrokenAt("store.layer_bad_value", where=where, id=repr(fid), detail=faults[0].text())


class GeoJSONStore(Store):
    def __init__(self, data_dir: Path | str, campaign: Campaign, *, clock: Clock = utc_now,
                 lock_timeout: float = 10.0, compact_changes: int = COMPACT_CHANGES,
                 compact_seconds: float = COMPACT_SECONDS) -> None:
        super().__init__(campaign, clock=clock)
        self.compact_changes, self.compact_seconds = compact_changes, compact_seconds
        self.dir = Path(data_dir)
        self.journal = Journal(self.dir / JOURNAL_FILE)
        self._files = {layer.id: LayerFile(self.dir, layer, self.journal) for layer in campaign.layers}
        self._file_lock = FileLock(str(self.dir / LOCK_FILE), timeout=lock_timeout)
        self._thread_lock = threading.Lock()
        self._lock_timeout = lock_timeout
        self._opened = False
        self._open_lock = threading.Lock()
        self.blobs = FileBlobs(self.dir / PHOTOS_DIR)  # the photos' files beside the layers (backups copy them)

    def _add_layers(self, layers: list[Layer]) -> None:
        for layer in layers:  # the file appears at the layer's first write
            self._files.setdefault(layer.id, LayerFile(self.dir, layer, self.journal))

    def _open(self) -> None:
        """Finish what a crash left (temporary copies, a torn journal line, changes not yet in a layer
        file) once, at the first read or write, under every process's write lock. Not at construction:
        `check()` on a store made by the app factory reads only."""
        if self._opened:
            return
        with self._open_lock:
            if self._opened:
                return
            with self._locked():
                self._remove_stale_temp_files()
                self._recover()
                self.journal.save_index(unless_within=INDEX_EVERY)  # rebuilt (or far behind): the next start reads less
            self._opened = True

    # --- reads -------------------------------------------------------------
    def _state(self, layer_id: str) -> LayerState:
        self.layer(layer_id)
        self._open()
        state = self._files[layer_id].load()
        if state.error:
            raise BrokenLayer(t("store.layer_withheld", reason=state.error))
        return state

    def features(self, layer_id: str) -> list[dict]:
        features = self._state(layer_id).features
        with collector_paused():  # the first read of a large layer parses every place
            return list(features.values())

    def place_count(self, layer_id: str) -> int:
        return len(self._state(layer_id).features)  # without listing them

    def get(self, layer_id: str, fid: str) -> dict:
        feature = self._state(layer_id).features.get(fid)
        if feature is None:
            raise NotFound(t("store.no_feature", fid=fid, layer=self.layer(layer_id).title))
        return feature

    def get_many(self, layer_id: str, fids: Iterable[str]) -> dict[str, dict]:
        """The features of these ids that the layer has, by id: the layer's state looked up once (`get` checks the
        layer file each time; "my places" of a unit asks for thousands)."""
        features = self._state(layer_id).features
        return {fid: feature for fid in fids if (feature := features.get(fid)) is not None}

    def collection_bytes(self, layer_id: str) -> bytes:
        """The layer as serialised GeoJSON, without re-encoding anything."""
        return self._state(layer_id).body(layer_id)

    def revision(self) -> int:
        self._open()
        return self.journal.last_seq()

    def layer_revision(self, layer_id: str) -> int:
        self.layer(layer_id)
        self._open()
        state = self._files[layer_id].load()
        if state.error:  # the file cannot tell; the journal knows the layer's last change
            return self.journal.layer_last_seq(layer_id)
        return state.seq

    def layer_errors(self) -> dict[str, str]:
        """Layers whose files cannot be read, with the reason."""
        self._open()
        return {lid: f.load().error for lid, f in self._files.items() if f.load().error}

    def layer_remedies(self) -> dict[str, str]:
        """What to do about each withheld layer whose remedy is not the usual one (a place to correct)."""
        return {lid: f.load().remedy for lid, f in self._files.items() if f.load().error and f.load().remedy}

    def journal_damage(self) -> str | None:
        """Why writes are refused because of the journal (its first damaged line, or the journal gone while
        the layer files name changes), or None."""
        bad = self.journal.bad_lines()
        if bad:
            return t("store.journal_writes_refused", file=JOURNAL_FILE, line=bad[0].number)
        missing = self.journal_missing_since()
        return t("store.journal_missing", file=JOURNAL_FILE, seq=missing) if missing else None

    def journal_missing_since(self) -> int:
        """The last change the layer files name when the journal file is gone (deleted or moved: its history
        would vanish in silence), else 0. A campaign that never had a change has no journal and no seq."""
        if self.journal.path.exists():
            return 0
        return max((lf.load().seq for lf in self._files.values() if lf.load().ours), default=0)

    def problems(self) -> list[Finding]:
        self._open()
        found = super().problems()
        damage = self.journal_damage()
        if damage:
            remedy = t("store.journal_missing_remedy", file=JOURNAL_FILE) if self.journal_missing_since() \
                else t("store.journal_remedy")
            found.append(Finding(where=JOURNAL_FILE, problem=damage, remedy=remedy, code="journal_damaged"))
        return found

    def check(self) -> list[Finding]:
        from geo.store.geojson_integrity import check

        return check(self) + photo_findings(self, self._places_as_read())

    def check_summary(self) -> str:
        from geo.store.geojson_integrity import summary

        return photo_summary(self, summary(self), self._places_as_read())

    def _places_as_read(self) -> Iterator[tuple[str, dict]]:
        """Every place of the layer files that can be read, as they are on disk: `check` reads only (no
        recovery of a crashed write first, as every other read does)."""
        for layer_id, lf in self._files.items():
            state = lf.load()
            if not state.error:
                for feature in state.features.values():
                    yield layer_id, feature

    def repair(self, *, backups: Path | None = None, from_journal: tuple[str, ...] = ()) -> RepairReport:
        from geo.store.geojson_integrity import repair

        report = repair(self, backups=backups, from_journal=from_journal)
        report.unrecovered += unrecovered(self)  # a photo's file is never rebuilt: said, not hidden
        return report

    def retired_ids(self, layer_id: str, fids: Iterable[str]) -> set[str]:
        current = self._state(layer_id).features
        return {f for f in fids if f not in current and self.journal.has(layer_id, f)}

    def changes_since(self, seq: int, upto: int | None = None) -> list[ChangeSummary]:
        self._open()
        return self.journal.summaries_since(seq)

    def history(self, layer_id: str, fid: str) -> list[dict]:
        self.layer(layer_id)
        self._open()
        return self.journal.history(layer_id, fid)

    def change_entries(self, summaries: list[ChangeSummary]) -> list[dict]:
        return list(self.journal.entries(summaries))

    # --- writes ------------------------------------------------------------
    @contextmanager
    def _locked(self) -> Iterator[None]:
        if not self._thread_lock.acquire(timeout=self._lock_timeout):
            raise StoreBusy(t("store.busy"))
        try:
            try:
                self._file_lock.acquire(poll_interval=0.005)
            except Timeout:
                raise StoreBusy(t("store.busy")) from None
            try:
                yield
            finally:
                self._file_lock.release()
        finally:
            self._thread_lock.release()

    @contextmanager
    def exclusive(self) -> Iterator[Path]:
        """Hold the write lock of every process (after finishing any crashed
        write) and yield the data directory: no write lands until the block
        ends, so what is read inside is one consistent snapshot (backups)."""
        self._open()
        with self._locked():
            self._recover()
            self._compact()
            yield self.dir

    @contextmanager
    def _transaction(self) -> Iterator[Transaction]:
        self._open()
        with self._locked():
            damage = self.journal_damage()
            if damage:
                raise JournalDamaged(damage)
            self._recover()
            yield _GeoJSONTransaction(self)

    # --- records: <kind>/<key>.json beside the layers ---------------------------
    def _record_path(self, kind: str, key: str) -> Path:
        return self.dir / record_name(kind) / f"{record_name(key)}.json"

    def record(self, kind: str, key: str) -> dict | None:
        path = self._record_path(kind, key)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        return parse_record(data, path.relative_to(self.dir).as_posix())

    def record_keys(self, kind: str) -> list[str]:
        return sorted(p.stem for p in (self.dir / record_name(kind)).glob("*.json"))

    @contextmanager
    def records_locked(self, kind: str) -> Iterator[None]:
        folder = self.dir / record_name(kind)
        folder.mkdir(parents=True, exist_ok=True)
        try:
            with FileLock(str(folder / ".lock"), timeout=self._lock_timeout):
                yield
        except Timeout:
            raise StoreBusy(t("store.records_busy", kind=kind)) from None

    def put_record(self, kind: str, key: str, value: dict) -> None:
        atomic_write(self._record_path(kind, key), orjson.dumps(value, option=orjson.OPT_INDENT_2))

    def delete_record(self, kind: str, key: str) -> None:
        path = self._record_path(kind, key)
        try:
            path.unlink()
        except FileNotFoundError:
            return
        fsync_dir(path.parent)  # the removal survives a power cut like the writes do

    def leader_lock(self, name: str) -> LeaderLock:
        """A non-blocking lock of the file `.guatu-leader-<name>.lock` in the data directory (a dot-file: backups
        leave it out); the operating system lets it go when the process ends, however it ends."""
        return FileLeaderLock(self.dir / f".guatu-leader-{record_name(name)}.lock")

    def _remove_stale_temp_files(self) -> None:
        """Layer file copies a killed write left before its rename (every write holds the lock we hold)."""
        for lf in self._files.values():
            for tmp in remove_stale_temp_files(lf.path):
                log.warning("removed %s, left by a write that was killed before it finished", tmp.name)

    def _recover(self) -> None:
        """Keep aside a journal line a crash cut short. Changes not yet in a layer file need nothing: every
        read applies the journal after the file's seq (`LayerFile.load`)."""
        self.journal.set_aside_torn_tail()

    # --- compaction: the journal's changes written into the layer files ----------------
    def compact(self) -> list[str]:
        """Write every layer whose file lags the journal whole, at its last change (temp + fsync + rename), under
        every process's write lock; returns the files written. Not while the journal has a damaged line."""
        self._open()
        with self._locked():
            self._recover()
            written = self._compact()
            self.journal.save_index()
            return written

    def close(self) -> None:
        """Compact what this process has opened (a store never opened has nothing to write)."""
        if self._opened and not self.journal.bad_lines():
            try:
                self.compact()
            except (OSError, DiskFull, StoreBusy) as exc:
                log.warning("closing: the layer files were not compacted (the journal keeps the changes): %s", exc)

    def _compact(self, layer_ids: Iterable[str] | None = None) -> list[str]:
        if self.journal.bad_lines():
            return []
        written = []
        for layer_id in self._files if layer_ids is None else layer_ids:
            lf = self._files[layer_id]
            state = lf.load()
            if state.error or not state.ours or state.seq <= state.file_seq:
                continue
            lf.write(state.features, state.lines, state.seq, nbytes=state.nbytes, numbering=state.numbering)
            written.append(lf.rel)
            log.info("compacted the journal's changes %d–%d into %s", state.file_seq + 1, state.seq, lf.rel)
        if written:
            self.journal.save_index(unless_within=INDEX_EVERY)
        return written

    def _due(self, layer_id: str) -> bool:
        """Compaction is due: the layer's changes in the journal only are `compact_changes` or more, or the
        oldest of them is `compact_seconds` old."""
        state = self._files[layer_id].load()
        if state.error or not state.ours or state.seq <= state.file_seq:
            return False
        pending = [s for s in self.journal.summaries_since(state.file_seq) if s.layer == layer_id]
        if len(pending) >= self.compact_changes:
            return True
        try:
            oldest = datetime.fromisoformat(pending[0].at.replace("Z", "+00:00"))
        except (IndexError, ValueError):
            return False
        return (self.clock() - oldest).total_seconds() >= self.compact_seconds

    def _compact_due(self, layer_ids: Iterable[str]) -> None:
        """After a write (the lock held): compact the layers that are due. A failure leaves the change safe in
        the journal; it is logged and tried again at the next write."""
        due = [lid for lid in layer_ids if self._due(lid)]
        if not due:
            return
        try:
            self._compact(due)
        except (OSError, DiskFull) as exc:
            log.warning("compacting %s failed; the journal keeps the changes and it is tried again: %s",
                        ", ".join(due), exc)


def applied_changes(state: LayerState, changes: Iterable[dict], id_prefix: str, *, verify: bool = False):
    """`state`'s features, lines, their bytes and numbering with these changes applied, as
    (features, lines, nbytes, numbering); `state` itself is left as it is (readers may hold it).

    With `verify`, each change's before-image must equal the feature it replaces (None if
    not), and features are read back from their lines, as a parse of the file gives them.
    """
    features, lines, nbytes, numbering = state.features.copy(), dict(state.lines), state.nbytes, state.numbering
    prefix = f"{id_prefix}-"
    for change in changes:
        fid, after = change["id"], change["after"]
        if verify and features.get(fid) != change["before"]:
            return None
        old = lines.get(fid)
        if old is not None:
            nbytes -= len(old)
        number = _numbered(fid, prefix) if numbering is not None and (old is None) != (after is None) else None
        if after is None:
            features.pop(fid, None)
            lines.pop(fid, None)
            if number:
                numbering = numbering.without(*number)
            continue
        line = lines[fid] = feature_line(after)  # an update keeps its place in the file, a create goes last
        nbytes += len(line)
        features[fid] = kept_place(orjson.loads(line) if verify else after)
        if number:
            numbering = numbering.with_(*number)
    return features, lines, nbytes, numbering


def _disagreements(state: LayerState, changes: Iterable[dict]) -> Iterator[tuple[int, str, object, object]]:
    """(seq, id, version found, version expected) of each change whose before-image differs from the place
    it replaces, the changes applied one after the other."""
    features = state.features.copy()
    for change in changes:
        fid, before, found = change["id"], change["before"], features.get(change["id"])
        if found != before:
            yield (change["seq"], fid, (found or {}).get("properties", {}).get("version"),
                   (before or {}).get("properties", {}).get("version"))
        if change["after"] is None:
            features.pop(fid, None)
        else:
            features[fid] = orjson.loads(feature_line(change["after"]))


def _numbered(fid: str, prefix: str) -> tuple[int, int] | None:
    """(number, digits) of an id made of `prefix` and digits, as `Numbering` counts them."""
    suffix = fid[len(prefix):] if fid.startswith(prefix) else ""
    return (int(suffix), len(suffix)) if suffix.isdigit() else None


@dataclass(frozen=True)
class Numbering:
    """A layer's ids made of its prefix and digits, as ever given: the highest number, and how many
    ids have each count of digits. The next id is the highest plus one, as wide as the widest (4 at
    least). A deleted place's number stays counted: ids are never given twice, so nothing that names
    a deleted place (an ETag, a link, a history) can reach another one."""

    top: int
    widths: dict[int, int]

    @classmethod
    def count(cls, fids: Iterable[str], prefix: str) -> Numbering:
        suffixes = [f[len(prefix):] for f in fids if f.startswith(prefix)]
        numbers = [s for s in suffixes if s.isdigit()]
        widths: dict[int, int] = {}
        for s in numbers:
            widths[len(s)] = widths.get(len(s), 0) + 1
        return cls(max(map(int, numbers), default=0), widths)

    def next_id(self, prefix: str) -> str:
        return f"{prefix}{self.top + 1:0{max([4, *self.widths])}d}"

    def with_(self, number: int, width: int) -> Numbering:
        return Numbering(max(self.top, number), {**self.widths, width: self.widths.get(width, 0) + 1})

    def without(self, number: int, width: int) -> Numbering:
        """The same: a deleted place's number is not given again."""
        return self


class _GeoJSONTransaction(Transaction):
    def __init__(self, store: GeoJSONStore) -> None:
        self.store = store

    def _state(self, layer_id: str) -> LayerState:
        state = self.store._files[layer_id].load()
        if state.error:
            raise BrokenLayer(t("store.layer_write_refused", reason=state.error))
        return state

    def current(self, layer: str, fid: str) -> dict | None:
        return self._state(layer).features.get(fid)

    def next_id(self, layer: Layer) -> str:
        prefix = f"{layer.id_prefix}-"
        state = self._state(layer.id)
        if state.numbering is None:  # counted once (the places and every id the journal names), then carried
            state.numbering = Numbering.count(chain(state.features, self.store.journal.ids(layer.id)), prefix)
        return state.numbering.next_id(prefix)

    def used_before(self, layer: str, fid: str) -> bool:
        return self.store.journal.has(layer, fid)

    def last_seq(self) -> int:
        """Above every seq ever seen, so none is used twice: the journal's lines (a torn or damaged
        one's too, and those kept aside) and every layer file's first line."""
        return max(self.store.journal.max_seq_seen(), *(lf.load().seq for lf in self.store._files.values()))

    def commit(self, changes: list[dict]) -> None:
        # The journal append is the commit point and, for a layer whose file is Guatu's snapshot, the whole
        # write: the change is applied to this process's copy and reaches the file at the next compaction
        # (every reader applies the journal after the file's seq). A layer whose file is missing or was saved
        # by another program is written whole now, as before: its next version is staged beside it first
        # (where a full disk shows, nothing changed yet), the journal appended, then the file renamed in place.
        by_layer: dict[str, list[dict]] = {}
        for change in changes:
            by_layer.setdefault(change["layer"], []).append(change)
        journal = self.store.journal
        staged: list[_Staged] = []
        copies: list[tuple[LayerFile, LayerState]] = []
        try:
            for layer_id, layer_changes in by_layer.items():
                lf = self.store._files[layer_id]
                state = self._state(layer_id)
                features, lines, nbytes, numbering = applied_changes(state, layer_changes, lf.layer.id_prefix)
                if state.ours and state.stat != ("missing",):
                    copies.append((lf, LayerState(stat=state.stat, seq=layer_changes[-1]["seq"], features=features,
                                                  lines=lines, nbytes=nbytes, since=state.since,
                                                  journal_epoch=state.journal_epoch, numbering=numbering,
                                                  file_seq=state.file_seq, disagrees=state.disagrees)))
                    continue
                staged.append(lf.stage(features, lines, layer_changes[-1]["seq"], first=layer_changes[0]["seq"],
                                        nbytes=nbytes, numbering=numbering))
            mark = journal.append(changes)
        except BaseException:
            for s in staged:
                s.discard()
            raise
        for i, s in enumerate(staged):
            try:
                s.install()
            except (OSError, DiskFull):
                if i == 0:  # no layer file nor copy shows the batch yet: take it back from the journal
                    journal.cut_back(mark)
                    log.error("a layer file could not be renamed into place; change(s) %d–%d taken back from the "
                              "journal", changes[0]["seq"], changes[-1]["seq"])
                for rest in staged[i + 1:]:
                    rest.discard()
                raise
        for lf, state in copies:
            with lf._lock:
                lf.state = state
        self.store._compact_due(lf.layer.id for lf, _ in copies)


class FileLeaderLock(LeaderLock):
    """One holder among the processes sharing a data directory: `flock` on a file, taken without waiting. Each
    holder opens the file itself, so two holders in one process exclude each other as two processes do."""

    def __init__(self, path: Path) -> None:
        self._lock = FileLock(str(path), timeout=0, thread_local=False)

    def try_acquire(self) -> bool:
        if self._lock.is_locked:
            return True
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            return False
        return True

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release(force=True)
