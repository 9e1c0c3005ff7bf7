"""The embedded store: one GeoJSON file per layer plus the change journal.

Reads come from an in-memory copy of each layer file, reloaded whenever the
file on disk changes (another process wrote it). Writes take an inter-process
file lock, append to the journal first (write-ahead), then rewrite the layer
file atomically; only the changed features are serialised again. A crash
between the two steps is repaired by replaying the journal at the next open
or write, and a layer file that cannot be parsed is reported with its line
and refused for writes instead of being overwritten.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import orjson
from filelock import FileLock, Timeout

from geo.config import Campaign, Layer
from geo.errors import BrokenLayer, NotFound, StoreBusy
from geo.geojson_io import atomic_write, collection_bytes, feature_line
from geo.journal import ChangeSummary, Journal
from geo.store.base import Clock, Store, Transaction, utc_now

log = logging.getLogger(__name__)

JOURNAL_FILE = "journal.jsonl"
LOCK_FILE = ".guatu.lock"
_HEAD_END = b'"features":['


@dataclass
class LayerState:
    """A parsed layer file: features by id in file order, their lines, its seq."""

    stat: tuple = ()
    seq: int = 0
    ours: bool = True  # carries Guatu's {"guatu": {"seq": n}} header
    features: dict[str, dict] = field(default_factory=dict)
    lines: dict[str, bytes] = field(default_factory=dict)
    error: str | None = None
    _body: bytes | None = None

    def body(self, name: str) -> bytes:
        """The layer as a FeatureCollection, built once per state."""
        if self._body is None:
            self._body = collection_bytes(self.lines.values(), name=name, members={"guatu": {"seq": self.seq}})
        return self._body


class LayerFile:
    def __init__(self, data_dir: Path, layer: Layer) -> None:
        self.layer = layer
        self.path = data_dir / layer.file
        self.rel = layer.file
        self.state = LayerState()

    def _stat(self) -> tuple:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return ("missing",)
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def load(self) -> LayerState:
        """The current state, re-read only if the file changed on disk."""
        stat = self._stat()
        if stat != self.state.stat:
            self.state = self._parse(stat)
        return self.state

    def _parse(self, stat: tuple) -> LayerState:
        if stat == ("missing",):
            return LayerState(stat=stat)
        data = self.path.read_bytes()
        try:
            return _parse_lines(data, stat, self.rel)
        except _NotLineFormat:
            pass
        except _BrokenAt as exc:
            log.error("layer file %s is broken: %s; writes to it are refused", self.rel, exc)
            return LayerState(stat=stat, error=str(exc))
        try:
            return _parse_whole(data, stat, self.rel)
        except _BrokenAt as exc:
            log.error("layer file %s is broken: %s; writes to it are refused", self.rel, exc)
            return LayerState(stat=stat, error=str(exc))

    def write(self, features: dict[str, dict], lines: dict[str, bytes], seq: int) -> None:
        body = collection_bytes(lines.values(), name=self.layer.id, members={"guatu": {"seq": seq}})
        atomic_write(self.path, body)
        self.state = LayerState(stat=self._stat(), seq=seq, features=features, lines=lines, _body=body)


class _NotLineFormat(Exception):
    pass


class _BrokenAt(Exception):
    pass


def _parse_lines(data: bytes, stat: tuple, rel: str) -> LayerState:
    """Parse Guatu's own one-feature-per-line layout, reporting line numbers."""
    lines = data.split(b"\n")
    head = lines[0]
    if not head.endswith(_HEAD_END):
        raise _NotLineFormat
    try:
        header = orjson.loads(head[: -len(_HEAD_END)].rstrip(b",") + b"}")
    except orjson.JSONDecodeError:
        raise _NotLineFormat from None
    state = LayerState(stat=stat, seq=int((header.get("guatu") or {}).get("seq", 0)), ours="guatu" in header)
    for number, raw in enumerate(lines[1:], start=2):
        line = raw.rstrip(b"\r")
        if line in (b"]}", b""):
            continue
        if line.endswith(b","):
            line = line[:-1]
        try:
            feature = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise _BrokenAt(f"{rel} line {number}: not valid JSON ({exc})") from None
        _check_feature(feature, f"{rel} line {number}", state)
        state.features[feature["id"]] = feature
        state.lines[feature["id"]] = line
    return state


def _parse_whole(data: bytes, stat: tuple, rel: str) -> LayerState:
    """Any other valid GeoJSON FeatureCollection (e.g. written by another tool)."""
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise _BrokenAt(f"{rel}: not valid JSON ({exc})") from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise _BrokenAt(f"{rel}: not a GeoJSON FeatureCollection")
    state = LayerState(stat=stat, seq=int((doc.get("guatu") or {}).get("seq", 0)), ours="guatu" in doc)
    for i, feature in enumerate(doc["features"]):
        _check_feature(feature, f"{rel} feature #{i + 1}", state)
        state.features[feature["id"]] = feature
        state.lines[feature["id"]] = feature_line(feature)
    return state


def _check_feature(feature, where: str, state: LayerState) -> None:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise _BrokenAt(f"{where}: not a GeoJSON Feature")
    fid = feature.get("id")
    if not isinstance(fid, str) or not fid:
        raise _BrokenAt(f"{where}: feature without a string id")
    if fid in state.features:
        raise _BrokenAt(f"{where}: id {fid!r} appears twice")
    props = feature.get("properties")
    if not isinstance(props, dict) or not isinstance(props.get("version"), int):
        raise _BrokenAt(f"{where}: feature {fid!r} has no integer properties.version")


class GeoJSONStore(Store):
    def __init__(self, data_dir: Path | str, campaign: Campaign, *, clock: Clock = utc_now,
                 lock_timeout: float = 10.0) -> None:
        super().__init__(campaign, clock=clock)
        self.dir = Path(data_dir)
        self.journal = Journal(self.dir / JOURNAL_FILE)
        self._files = {layer.id: LayerFile(self.dir, layer) for layer in campaign.layers}
        self._file_lock = FileLock(str(self.dir / LOCK_FILE), timeout=lock_timeout)
        self._thread_lock = threading.Lock()
        self._lock_timeout = lock_timeout
        with self._locked():
            self._recover()

    # --- reads -------------------------------------------------------------
    def _state(self, layer_id: str) -> LayerState:
        self.layer(layer_id)
        state = self._files[layer_id].load()
        if state.error:
            raise BrokenLayer(state.error)
        return state

    def features(self, layer_id: str) -> list[dict]:
        return list(self._state(layer_id).features.values())

    def get(self, layer_id: str, fid: str) -> dict:
        feature = self._state(layer_id).features.get(fid)
        if feature is None:
            raise NotFound(f"no feature {fid!r} in layer {layer_id!r}")
        return feature

    def collection_bytes(self, layer_id: str) -> bytes:
        """The layer as serialised GeoJSON, without re-encoding anything."""
        return self._state(layer_id).body(layer_id)

    def revision(self) -> int:
        return self.journal.last_seq()

    def layer_revision(self, layer_id: str) -> int:
        self.layer(layer_id)
        state = self._files[layer_id].load()
        if state.error:  # the file cannot tell; the journal knows the layer's last change
            return self.journal.layer_last_seq(layer_id)
        return state.seq

    def layer_errors(self) -> dict[str, str]:
        """Layers whose files cannot be read, with the reason."""
        return {lid: f.load().error for lid, f in self._files.items() if f.load().error}

    def changes_since(self, seq: int) -> list[ChangeSummary]:
        return self.journal.summaries_since(seq)

    def history(self, layer_id: str, fid: str) -> list[dict]:
        self.layer(layer_id)
        return self.journal.history(layer_id, fid)

    def change_entries(self, summaries: list[ChangeSummary]) -> list[dict]:
        return list(self.journal.entries(summaries))

    # --- writes ------------------------------------------------------------
    @contextmanager
    def _locked(self) -> Iterator[None]:
        if not self._thread_lock.acquire(timeout=self._lock_timeout):
            raise StoreBusy("the campaign is busy with another write; try again")
        try:
            try:
                self._file_lock.acquire(poll_interval=0.005)
            except Timeout:
                raise StoreBusy("another process holds the write lock; try again") from None
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
        with self._locked():
            self._recover()
            yield self.dir

    @contextmanager
    def _transaction(self) -> Iterator[Transaction]:
        with self._locked():
            self._recover()
            yield _GeoJSONTransaction(self)

    def _recover(self) -> None:
        """Replay journal entries that a crash kept from reaching a layer file."""
        for layer_id, lf in self._files.items():
            state = lf.load()
            if state.error or self.journal.layer_last_seq(layer_id) <= state.seq:
                continue
            if not state.ours:
                # Saved by another tool (QGIS drops our header): the file is the
                # truth; replaying the journal would undo that tool's edits.
                log.warning("%s was saved by another program; its content is kept as it is", lf.rel)
                continue
            missed = [s for s in self.journal.summaries_since(state.seq) if s.layer == layer_id]
            features, lines = dict(state.features), dict(state.lines)
            for entry in self.journal.entries(missed):
                _apply(features, lines, entry)
            lf.write(features, lines, missed[-1].seq)
            log.warning("recovered %d journal change(s) into %s (up to seq %d)", len(missed), lf.rel, missed[-1].seq)


def _apply(features: dict, lines: dict, change: dict) -> None:
    fid = change["id"]
    if change["after"] is None:
        features.pop(fid, None)
        lines.pop(fid, None)
    else:
        features[fid] = change["after"]
        lines[fid] = feature_line(change["after"])


class _GeoJSONTransaction(Transaction):
    def __init__(self, store: GeoJSONStore) -> None:
        self.store = store

    def _state(self, layer_id: str) -> LayerState:
        state = self.store._files[layer_id].load()
        if state.error:
            raise BrokenLayer(f"{state.error}; fix the file before editing this layer")
        return state

    def current(self, layer: str, fid: str) -> dict | None:
        return self._state(layer).features.get(fid)

    def next_id(self, layer: Layer) -> str:
        prefix = f"{layer.id_prefix}-"
        suffixes = [f[len(prefix):] for f in self._state(layer.id).features if f.startswith(prefix)]
        numbers = [s for s in suffixes if s.isdigit()]
        width = max([4] + [len(s) for s in numbers])
        return f"{prefix}{max(map(int, numbers), default=0) + 1:0{width}d}"

    def last_seq(self) -> int:
        return self.store.journal.last_seq()

    def commit(self, changes: list[dict]) -> None:
        # Once the journal holds the batch it is committed; the layer files
        # follow, and `_recover` finishes the job if this process dies here.
        self.store.journal.append(changes)
        by_layer: dict[str, list[dict]] = {}
        for change in changes:
            by_layer.setdefault(change["layer"], []).append(change)
        for layer_id, layer_changes in by_layer.items():
            state = self._state(layer_id)
            features, lines = dict(state.features), dict(state.lines)
            for change in layer_changes:
                _apply(features, lines, change)
            self.store._files[layer_id].write(features, lines, layer_changes[-1]["seq"])
