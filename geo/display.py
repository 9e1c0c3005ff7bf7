"""What a wall screen is sent: shapes (rarely change), state (often) and place cards.

*Shapes* carry geometry and the attributes a map draws, filters and
searches by. The GeoJSON form is for API clients; the wall map asks for the
`packed` form in two parts: the *geometry* (ids, and coordinates as
delta-encoded integers in millionths of a degree — the stored precision, so
nothing is lost — as JSON or, smaller and quicker, as int32 byte planes)
and, only when a screen first needs them, the *attributes* (name, kind,
sub-district, community, as string tables). A screen refetches a layer's
shapes only when its *shapes revision* moves: a place was added or removed,
or its geometry or a shape attribute changed.

*State* carries, per place, only the status and the derived flags:
`[status, overdue 0/1, overnight 0/1, open problems, overdue problems,
[open categories]]` (the category list is left out when empty). A screen
polls it with its revision: nothing changed → 304; otherwise a *delta*
with only the places changed since, built from the change journal; a
*full* state only on first load, a new local day, the overnight cut-off
passing, or a revision too old to catch up from.

Everything derives from the store's files and journal, never from what one
server process remembers, so any process answers any screen the same way.
`WallData` memoises, and keeps the last full state it built so that the next
one re-derives only the places changed since (`changes_to`), with the same
result as a walk over every place: same day and cut-off, and the journal
that state was built on still there, or else a walk from scratch.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from itertools import chain

import numpy as np
import orjson

from geo.config import Campaign
from geo.errors import GuatuError, NotFound
from geo.geojson_io import PRECISION, dumps
from geo.journal import ChangeSummary
from geo.rules import local_now, place_overdue, place_past_deadline, problem_is_open, problem_overdue, problem_overnight
from geo.store.base import Store

SHAPE_PROPERTIES = ("name", "kind", "street", "community", "deadline", "unit", "people")
PACKED_PROPERTIES = ("name", "kind", "street", "community")  # the attributes part (also geo/viewport.py)
_TABLES = {"kind": "kinds", "street": "streets", "community": "communities"}  # column -> its string table
_NUMBERED = re.compile(r"^(.*?)([0-9]+)$")
GEOMETRY_CODES = {"Polygon": 0, "MultiPolygon": 1, "LineString": 2, "MultiLineString": 3, "Point": 4, "MultiPoint": 5}
SCALE = 10 ** PRECISION
MAX_DELTA = 2000  # more changes than this since a screen's revision: send the full state

Transform = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


# --- shapes ----------------------------------------------------------------------

def shapes_bytes(store: Store, layer_id: str) -> bytes:
    """A layer's geometry with display attributes, as a GeoJSON FeatureCollection."""
    lines = []
    for f in store.features(layer_id):
        props = f["properties"]
        slim = {k: props.get(k) for k in SHAPE_PROPERTIES}
        lines.append(dumps({"type": "Feature", "id": f["id"], "properties": slim, "geometry": f["geometry"]}))
    return b'{"type":"FeatureCollection","layer":' + dumps(layer_id) + b',"features":[' + b",".join(lines) + b"]}"


def in_scope(props: dict, street: str | None, community: str | None) -> bool:
    """A place of the sub-district and community a wall screen shows (None: any)."""
    return (not street or props.get("street") == street) and (not community or props.get("community") == community)


def pack_ids(ids: list[str]) -> list[str] | dict:
    """Ids like c-000001, c-000002, …: {"prefix", "width", "step"} (differences of the numbers); others as a list."""
    first = _NUMBERED.match(ids[0]) if ids else None
    if not first:
        return ids
    prefix, width = first.group(1), len(first.group(2))
    one = re.escape(prefix) + f"[0-9]{{{width}}}"
    if re.fullmatch(f"(?:{one}\n)*{one}", "\n".join(ids)) is None:  # one pass in C, not a loop in Python
        return ids
    numbers = np.fromiter((int(fid[len(prefix):]) for fid in ids), np.int64, len(ids))
    return {"prefix": prefix, "width": width, "step": np.diff(numbers, prepend=0).tolist()}


def unpack_ids(ids: list[str] | dict) -> list[str]:
    """The ids `pack_ids` packed (as js/wall/packed.js unpacks them)."""
    if isinstance(ids, list):
        return ids
    out, n = [], 0
    for step in ids["step"]:
        n += step
        out.append(f"{ids['prefix']}{n:0{ids['width']}d}")
    return out


def packed_geometry(features: list[dict], layer_id: str, revision: int, *, transform: Transform | None = None,
                    binary: bool = False) -> bytes:
    """A layer's geometry, compact, with its ids and nothing else (decoded by js/wall/packed.js).

    `geometry.parts` holds, per place, the counts that rebuild it: Polygon →
    rings, then points per ring; MultiPolygon → polygons, then per polygon
    rings and points per ring; LineString → points; MultiLineString → lines,
    then points per line; MultiPoint → points; Point → nothing. Rings are
    sent open (the closing point is implied). `geometry.coords` is x0, y0,
    dx1, dy1, … over the whole layer, in units of 1/`scale` degree: the
    stored precision, so nothing is lost.

    `binary`: the same header as JSON, then the coordinates as int32 in
    four byte planes (see `binary_body`): a quarter fewer bytes after gzip
    than JSON digits, and three times quicker to compress."""
    ids, types, parts, points = [], [], [], []
    for f in features:
        geometry = f.get("geometry")
        if not geometry or geometry.get("type") not in GEOMETRY_CODES:
            continue
        ids.append(f["id"])
        types.append(_flatten(geometry, parts, points))
    if any(len(p) != 2 for p in points):  # some position carries a third value
        points = [p[:2] for p in points]
    xy = np.fromiter(chain.from_iterable(points), float, 2 * len(points)).reshape(-1, 2)
    if transform is not None and len(xy):
        lon, lat = transform(xy[:, 0], xy[:, 1])
        xy = np.stack([lon, lat], axis=1)
    q = np.rint(xy * SCALE).astype(np.int64)
    if len(q) > 1:
        q[1:] = q[1:] - q[:-1].copy()
    coords = q.reshape(-1)
    head = {"format": "packed-1", "part": "geometry", "layer": layer_id, "revision": revision, "count": len(ids),
            "scale": SCALE, "ids": pack_ids(ids)}
    if binary:
        return binary_body({**head, "geometry": {"types": types, "parts": parts, "n": len(coords)}}, coords)
    return orjson.dumps({**head, "geometry": {"types": types, "parts": parts, "coords": coords}},
                        option=orjson.OPT_SERIALIZE_NUMPY)


BINARY_MAGIC = b"GTU1"


def binary_body(header: dict, values: np.ndarray) -> bytes:
    """`GTU1`, the header's length (uint32, little-endian), the header (JSON, space-padded to 4 bytes), then
    the int32 values as four byte planes: every value's lowest byte, then every second byte, and so on."""
    head = orjson.dumps(header)
    head += b" " * (-len(head) % 4)
    planes = np.ascontiguousarray(values.astype("<i4")).view(np.uint8).reshape(-1, 4).T.tobytes()
    return BINARY_MAGIC + len(head).to_bytes(4, "little") + head + planes


def packed_attributes(features: list[dict], layer_id: str, revision: int) -> bytes:
    """The attributes a map shows of a layer's places (name, kind, sub-district, community), as string tables.

    A screen asks for them only when it needs them: to search, to write
    names (zoom 17 and closer) or to show a tooltip."""
    tables: dict[str, dict[str, int]] = {k: {} for k in _TABLES}
    columns: dict[str, list[int]] = {k: [] for k in tables}
    ids, names = [], []
    for f in features:
        if not f.get("geometry") or f["geometry"].get("type") not in GEOMETRY_CODES:
            continue
        props = f["properties"]
        ids.append(f["id"])
        names.append(props.get("name") or "")
        for key, table in tables.items():
            columns[key].append(table.setdefault(props.get(key) or "", len(table)))
    doc = {"format": "packed-1", "part": "attributes", "layer": layer_id, "revision": revision, "count": len(ids),
           "ids": pack_ids(ids), "name": names, **{_TABLES[k]: list(t) for k, t in tables.items()}, **columns}
    return orjson.dumps(doc, option=orjson.OPT_SERIALIZE_NUMPY)


def _open(ring: list) -> list:
    return ring[:-1] if len(ring) > 3 and ring[0] == ring[-1] else ring


def _flatten(geometry: dict, parts: list[int], points: list) -> int:
    kind, coords = geometry["type"], geometry["coordinates"]
    code = GEOMETRY_CODES[kind]
    if kind == "Polygon":
        parts.append(len(coords))
        for ring in coords:
            ring = _open(ring)
            parts.append(len(ring))
            points.extend(ring)
    elif kind == "MultiPolygon":
        parts.append(len(coords))
        for polygon in coords:
            parts.append(len(polygon))
            for ring in polygon:
                ring = _open(ring)
                parts.append(len(ring))
                points.extend(ring)
    elif kind in ("LineString", "MultiPoint"):
        parts.append(len(coords))
        points.extend(coords)
    elif kind == "MultiLineString":
        parts.append(len(coords))
        for line in coords:
            parts.append(len(line))
            points.extend(line)
    else:  # Point
        points.append(coords)
    return code


# --- state -----------------------------------------------------------------------

@dataclass(frozen=True)
class FeatureState:
    status: str
    overdue: bool
    overnight: bool
    open_problems: int
    overdue_problems: int = 0
    categories: tuple[int, ...] = ()  # indices into campaign.categories of the open problems

    def as_list(self) -> list:
        out = [self.status, int(self.overdue), int(self.overnight), self.open_problems, self.overdue_problems]
        if self.categories:
            out.append(list(self.categories))
        return out


def feature_state(props: dict, campaign: Campaign, now: datetime, category_index: dict[str, int] | None = None) -> FeatureState:
    """A place's status and derived flags at `now`."""
    index = category_index if category_index is not None else {c: i for i, c in enumerate(campaign.categories)}
    return _feature_state(props, campaign, local_now(campaign, now), index)


def _feature_state(props: dict, campaign: Campaign, now_l: datetime, index: dict[str, int]) -> FeatureState:
    today = now_l.date()
    open_n = overdue_n = 0
    overnight = False
    categories: set[int] = set()
    for p in props.get("problems") or ():
        if not problem_is_open(p, campaign):
            continue
        open_n += 1
        overdue_n += problem_overdue(p, campaign, today)
        overnight = overnight or problem_overnight(p, campaign, now_l)
        if p.get("category") in index:
            categories.add(index[p["category"]])
    return FeatureState(
        # overdue (place_overdue): an overdue open problem, counted above, or the place's own deadline passed
        status=props.get("status"), overdue=overdue_n > 0 or place_past_deadline(props, campaign, today), overnight=overnight,
        open_problems=open_n, overdue_problems=overdue_n, categories=tuple(sorted(categories)),
    )


@dataclass(frozen=True)
class StateKey:
    """Everything a screen's state depends on.

    `revision`: every change up to it is in the layer files as read (a
    write lands in the journal a moment before its layer file); `head`: the
    journal's last change; `day` and `after_cutoff`: the local date and
    whether the overnight cut-off has passed, which change derived flags
    without any write."""

    revision: int
    head: int
    day: str
    after_cutoff: bool

    @property
    def etag(self) -> str:
        return f"s{self.revision}-{self.head}-{self.day.replace('-', '')}{int(self.after_cutoff)}"

    @staticmethod
    def clock_part(etag: str | None) -> str | None:
        """The day-and-cut-off part of an ETag this module made (None if it is not one)."""
        if not etag or not etag.startswith("s"):
            return None
        tail = etag.rsplit("-", 1)
        return tail[1] if len(tail) == 2 and len(tail[1]) == 9 and tail[1].isdigit() else None


def clock_of(campaign: Campaign, now: datetime) -> tuple[str, bool]:
    """The local day and whether the overnight cut-off has passed: with the revision, all derived flags depend on."""
    now_l = local_now(campaign, now)
    return now_l.date().isoformat(), now_l.time() >= campaign.overnight_cutoff


@dataclass(frozen=True)
class Basis:
    """What a view kept between revisions was built on (see `changes_to`)."""

    revision: int
    clock: tuple[str, bool]
    layers: tuple[tuple[str, int], ...]  # the readable layers and their revisions
    mark: tuple | None  # change `revision` itself: a journal replaced by another one shows here

    @classmethod
    def of(cls, store: Store, revision: int, clock: tuple[str, bool]) -> Basis:
        return cls(revision, clock, tuple((x.id, store.layer_revision(x.id)) for x in store.readable_layers()),
                   _mark(store.changes_since(revision - 1)[:1], revision) if revision > 0 else None)


def _mark(changes: list[ChangeSummary], revision: int) -> tuple | None:
    c = changes[0] if changes else None
    return (c.seq, c.at, c.layer, c.id) if c is not None and c.seq == revision else None


def changes_to(store: Store, old: Basis | None, new: Basis, limit: int | None = None) -> list[ChangeSummary] | None:
    """The changes that take a view built on `old` to `new`, oldest first; None when it must be built again:
    a new day or cut-off, another set of readable layers, a layer file older than before (restored, or saved
    by another program), another journal, or more than `limit` changes.

    A view may be ahead of its revision (it read layer files that already held later changes): applying
    the changes again brings it to the same result, because each change is applied from what the store holds
    now and in journal order. A `new` revision behind `old` (two requests crossing) asks for nothing."""
    if old is None or old.clock != new.clock or [x for x, _ in old.layers] != [x for x, _ in new.layers]:
        return None
    if any(now < then for (_, then), (_, now) in zip(old.layers, new.layers, strict=True)):
        return None
    tail = store.changes_since(old.revision - 1) if old.revision else store.changes_since(0)
    if old.revision:
        if _mark(tail, old.revision) != old.mark:
            return None
        tail = tail[1:]
    window = tail[:bisect_right(tail, new.revision, key=lambda c: c.seq)]
    return window if len(window) <= (MAX_DELTA if limit is None else limit) else None


COLUMNS = ("status", "flags", "open", "overdue_problems", "categories")  # a packed state's columns, in order
BLOCK = 4096  # places per serialised block of a layer's state: what one edit serialises again


class _LayerState:
    """One layer's part of the full state, kept between revisions: each place's state (`FeatureState.as_list`)
    in store order and the sums a legend shows; once asked for, the packed columns and the serialised blocks of
    places (kept until a place in them changes; a deletion moves every place after it, so they are made again)."""

    def __init__(self, status_index: dict[str, int]) -> None:
        self.status_index = status_index
        self.items: dict[str, list] = {}
        self.updated: dict[str, str] = {}  # updated_at of each place, for `as_of`
        self.counts: dict[str, int] = {}  # places per status (none at zero)
        self.overdue_places = self.overdue_problems = self.overnight = 0
        self._latest = ""
        self._latest_stale = False  # the place that was latest changed back or left: look again when asked
        self._order: list[str] | None = None  # ids in store order, their positions, the columns: built when asked
        self._pos: dict[str, int] = {}
        self._columns: dict[str, list] = {}
        self._ids: list[str] | dict | None = None
        self._blocks: dict[tuple[str, int], bytes] = {}  # (column, or "features"; block number) -> its values

    def set(self, fid: str, item: list, updated: str) -> None:
        """A place's state: in its place if known, else last (a place created since)."""
        old = self.items.get(fid)
        if old is not None:
            self._count(old, -1)
        self.items[fid] = item
        self._count(item, 1)
        was = self.updated.get(fid)
        self.updated[fid] = updated
        if updated >= self._latest:
            self._latest, self._latest_stale = updated, False
        elif was == self._latest:
            self._latest_stale = True
        if self._order is None:
            return
        if old is None:
            at = self._pos[fid] = len(self._order)
            self._order.append(fid)
            self._ids = None
            for name, value in zip(COLUMNS, self._row(item), strict=True):
                self._columns[name].append(value)
        else:
            at = self._pos[fid]
            for name, value in zip(COLUMNS, self._row(item), strict=True):
                self._columns[name][at] = value
        block = at // BLOCK
        for name in (*COLUMNS, "features"):
            self._blocks.pop((name, block), None)

    def remove(self, fid: str) -> None:
        item = self.items.pop(fid, None)
        if item is None:
            return
        self._count(item, -1)
        if self.updated.pop(fid) == self._latest:
            self._latest_stale = True
        self._order, self._ids = None, None  # every place after it moves: made again when next asked
        self._blocks.clear()

    def latest(self) -> str:
        if self._latest_stale:
            self._latest, self._latest_stale = max(self.updated.values(), default=""), False
        return self._latest

    def _count(self, item: list, sign: int) -> None:
        status = item[0]
        n = self.counts.get(status, 0) + sign
        if n:
            self.counts[status] = n
        else:
            del self.counts[status]
        self.overdue_places += sign * item[1]
        self.overnight += sign * item[2]
        self.overdue_problems += sign * item[4]

    def _row(self, item: list) -> tuple:
        return (self.status_index.get(item[0], -1), item[1] | item[2] << 1, item[3], item[4],
                item[5] if len(item) > 5 else 0)

    def _positions(self) -> list[str]:
        if self._order is None:
            self._order = list(self.items)
            self._pos = {fid: i for i, fid in enumerate(self._order)}
            rows = [self._row(v) for v in self.items.values()]
            self._columns = {name: [r[i] for r in rows] for i, name in enumerate(COLUMNS)}
            self._blocks.clear()
        return self._order

    def packed_ids(self) -> list[str] | dict:
        if self._ids is None:
            self._ids = pack_ids(self._positions())  # replaced, never changed in place: shared safely
        return self._ids

    def packed(self) -> dict:
        """The layer's places as columns (copies: the state moves on)."""
        ids = self.packed_ids()
        return {"ids": ids, **{name: list(self._columns[name]) for name in COLUMNS}}

    def blocks(self, name: str) -> list[bytes]:
        """The serialised values of a column (or the places' states, "features"), block by block, each after
        the first with its leading comma: joined they are the column's JSON array (the object's members)
        without the brackets."""
        order = self._positions()
        out = []
        for b in range(0, len(order), BLOCK):
            block = self._blocks.get((name, b // BLOCK))
            if block is None:
                if name == "features":
                    block = dumps({fid: self.items[fid] for fid in order[b:b + BLOCK]})[1:-1]
                else:
                    block = dumps(self._columns[name][b:b + BLOCK])[1:-1]
                block = self._blocks[(name, b // BLOCK)] = b"," + block if b else block
            out.append(block)
        return out


@dataclass
class _FullState:
    basis: Basis
    layers: dict[str, _LayerState]


class WallData:
    """One process's view of the wall data of one store: memoises per revision, and keeps the last full state."""

    def __init__(self, store: Store, campaign: Campaign) -> None:
        self.store = store
        self.campaign = campaign
        self.category_index = {c: i for i, c in enumerate(campaign.categories)}
        self._lock = threading.Lock()
        self._scanned = 0  # journal seq up to which shape revisions are known
        self._shape_seq: dict[str, int] = {}
        self._safe: tuple[tuple, int] | None = None
        self._extents: dict[tuple, list[float] | None] = {}
        self.status_index = {st.key: i for i, st in enumerate(campaign.statuses)}
        self._full: _FullState | None = None
        self._full_lock = threading.Lock()  # one full state built at a time; the others then find it

    # --- revisions -----------------------------------------------------------
    def key(self, now: datetime) -> StateKey:
        """Cheap: one stat of the journal and of each layer file."""
        head = self.store.revision()
        files = tuple((x.id, self.store.layer_revision(x.id)) for x in self.store.readable_layers())
        return StateKey(self._safe_revision(head, files), head, *clock_of(self.campaign, now))

    def _safe_revision(self, head: int, files: tuple[tuple[str, int], ...]) -> int:
        """`head`, or less while a layer file lags behind the journal."""
        memo = self._safe
        if memo is not None and memo[0] == (head, files):
            return memo[1]
        safe = head
        oldest = min((seq for _, seq in files), default=head)
        if oldest < head:
            file_seq = dict(files)
            for change in self.store.changes_since(oldest):
                if change.seq > file_seq.get(change.layer, change.seq):
                    safe = min(safe, change.seq - 1)
                    break  # changes are in order: the first missing one decides
        self._safe = ((head, files), safe)
        return safe

    def shape_revisions(self) -> dict[str, int]:
        """Per layer, the last change its shapes show (derived from the journal alone)."""
        with self._lock:
            head = self.store.revision()
            if head < self._scanned:  # a new journal: start again
                self._scanned, self._shape_seq = 0, {}
            if head > self._scanned:
                for c in self.store.changes_since(self._scanned):
                    if c.op != "update" or c.geometry_changed or not set(c.changed).isdisjoint(SHAPE_PROPERTIES):
                        self._shape_seq[c.layer] = c.seq
                    self._scanned = max(self._scanned, c.seq)
            return {x.id: self._shape_seq.get(x.id, 0) for x in self.campaign.layers}

    # --- shapes --------------------------------------------------------------
    def extent(self, layer_ids: tuple[str, ...], street: str | None = None,
               community: str | None = None) -> list[float] | None:
        """[west, south, east, north] of the places a screen shows, so its page opens fitted to them."""
        key = (tuple((x, self.store.layer_revision(x)) for x in layer_ids), street, community)
        with self._lock:
            if key in self._extents:
                return self._extents[key]
        points: list = []
        parts: list[int] = []
        for layer_id in layer_ids:
            for f in self.store.features(layer_id):
                geometry = f.get("geometry")
                if geometry and geometry.get("type") in GEOMETRY_CODES and in_scope(f["properties"], street, community):
                    _flatten(geometry, parts, points)
        out = None
        if points:
            if any(len(p) != 2 for p in points):
                points = [p[:2] for p in points]
            xy = np.fromiter(chain.from_iterable(points), float, 2 * len(points)).reshape(-1, 2)
            out = [float(xy[:, 0].min()), float(xy[:, 1].min()), float(xy[:, 0].max()), float(xy[:, 1].max())]
        with self._lock:
            if len(self._extents) > 64:
                self._extents.clear()
            self._extents[key] = out
        return out

    def shapes_shown(self, layer_id: str) -> int:
        """The shapes revision a read of the layer's places shows now: its last shape change, or less while the
        layer file lags behind the journal. Read it before the places: they can only be newer."""
        return min(self.shape_revisions().get(layer_id, 0), self.store.layer_revision(layer_id))

    def packed(self, layer_id: str, *, part: str = "geometry", street: str | None = None, community: str | None = None,
               transform: Transform | None = None, binary: bool = False) -> bytes:
        """Packed geometry or attributes of the layer's places in a scope, with the shapes revision they show."""
        shown = self.shapes_shown(layer_id)
        features = self.store.features(layer_id)
        if street or community:
            features = [f for f in features if in_scope(f["properties"], street, community)]
        if part == "attributes":
            return packed_attributes(features, layer_id, shown)
        return packed_geometry(features, layer_id, shown, transform=transform, binary=binary)

    # --- state ---------------------------------------------------------------
    def _common(self, key: StateKey, now: datetime) -> dict:
        return {"revision": key.revision, "head": key.head, "day": key.day, "after_cutoff": key.after_cutoff,
                "generated_at": now.isoformat(), "categories": list(self.campaign.categories)}

    def full(self, key: StateKey, now: datetime, *, packed: bool = False) -> dict:
        """Status and flags of every place, with the counts a legend shows.

        `packed`: each layer's places as columns (ids as in the packed shapes,
        status as an index into `statuses`, flags as bits: 1 overdue, 2
        overnight) instead of an object per place; a fraction of the bytes.

        Built from the last full state and the changes since when it can be
        (`changes_to`), else by walking every place; the result is the same.
        `as_of` is the latest `updated_at` of the places now (looked for again
        among all places only when the latest one changes back or goes)."""
        with self._full_lock:
            state = self._catch_up(key, now)
            out, entries = self._summary(state, key, now)
            for layer_id, part in state.layers.items():
                if packed:
                    entries[layer_id].update(part.packed())
                else:
                    entries[layer_id]["features"] = dict(part.items)
        out["layers"] = entries
        if packed:
            out.update(format="packed-1", statuses=list(self.status_index))
        return out

    def full_body(self, key: StateKey, now: datetime, *, packed: bool = False) -> list[bytes]:
        """`full` serialised: pieces that, joined, are `dumps(full(...))`. Each layer's places come in blocks
        serialised once and kept until one of their places changes, so a new revision serialises (and an HTTP
        layer compresses, see web/http.py) little more than the blocks its changes touched."""
        with self._full_lock:
            state = self._catch_up(key, now)
            out, entries = self._summary(state, key, now)
            pieces = [dumps(out)[:-1] + b',"layers":{']
            for n, (layer_id, part) in enumerate(state.layers.items()):
                pieces.append((b"," if n else b"") + dumps(layer_id) + b":" + dumps(entries[layer_id])[:-1])
                if packed:
                    pieces.append(b',"ids":' + dumps(part.packed_ids()))
                    for name in COLUMNS:
                        pieces.append(b',"' + name.encode() + b'":[')
                        pieces.extend(part.blocks(name))
                        pieces.append(b"]")
                else:
                    pieces.append(b',"features":{')
                    pieces.extend(part.blocks("features"))
                    pieces.append(b"}")
                pieces.append(b"}")
        tail = {"format": "packed-1", "statuses": list(self.status_index)} if packed else None
        pieces.append(b"}" + (b"," + dumps(tail)[1:] if tail else b"}"))
        return pieces

    def _summary(self, state: _FullState, key: StateKey, now: datetime) -> tuple[dict, dict[str, dict]]:
        """The full state without its places: the head, and each layer's entry before its places."""
        shapes = self.shape_revisions()
        counts: dict[str, int] = {st.key: 0 for st in self.campaign.statuses}
        entries = {}
        for layer_id, part in state.layers.items():
            for status, n in part.counts.items():
                counts[status] = counts.get(status, 0) + n
            entries[layer_id] = {"revision": self.store.layer_revision(layer_id), "shapes": shapes[layer_id],
                                 "counts": self._ordered(part.counts)}
        parts = state.layers.values()
        latest = max((part.latest() for part in parts), default="")
        out = {
            "kind": "full", **self._common(key, now), "as_of": latest or None,
            "counts": {st.key: counts.get(st.key, 0) for st in self.campaign.statuses},
            "total": sum(counts.values()), "overdue_places": sum(p.overdue_places for p in parts),
            "overdue_problems": sum(p.overdue_problems for p in parts),
            "overnight_places": sum(p.overnight for p in parts),
        }
        return out, entries

    def _ordered(self, counts: dict[str, int]) -> dict[str, int]:
        """Places per status in the campaign's order of statuses, then any other status."""
        known = [(s, counts[s]) for s in self.status_index if s in counts]
        return dict(known + sorted(((s, n) for s, n in counts.items() if s not in self.status_index),
                                   key=lambda x: (x[0] is None, str(x[0]))))

    def _catch_up(self, key: StateKey, now: datetime) -> _FullState:
        """The full state brought to `key`: from the last one and the changes since, or from scratch."""
        now_l = local_now(self.campaign, now)
        new = Basis.of(self.store, key.revision, clock_of(self.campaign, now))
        old = self._full
        changes = changes_to(self.store, old.basis if old else None, new)
        self._full = None  # nothing half-done is kept if this fails
        if old is not None and changes is not None:
            try:
                self._apply(old, changes, now_l)
            except GuatuError:  # a layer broke meanwhile: walk what can be read
                pass
            else:
                if new.revision >= old.basis.revision:  # (else a request whose key was read before the last one's)
                    old.basis = new
                self._full = old
                return old
        state = _FullState(new, {})
        for layer in self.store.readable_layers():  # a broken layer file is reported by /api/health
            part = state.layers[layer.id] = _LayerState(self.status_index)
            for f in self.store.features(layer.id):
                self._derive(part, f, now_l)
        self._full = state
        return state

    def _derive(self, part: _LayerState, feature: dict, now_l: datetime) -> None:
        props = feature["properties"]
        part.set(feature["id"], _feature_state(props, self.campaign, now_l, self.category_index).as_list(),
                 props.get("updated_at") or "")

    def _apply(self, state: _FullState, changes: Iterable[ChangeSummary], now_l: datetime) -> None:
        """Re-derive the places these changes touched, keeping the store's order: an update leaves a place
        where it is, a creation puts it last, a deletion takes it out (both backends list places so)."""
        last: dict[tuple[str, str], str] = {}  # touched places: the last creation or deletion, else "update"
        for c in changes:
            part = state.layers.get(c.layer)
            if part is None:
                continue
            key = (c.layer, c.id)
            if c.op == "update":
                last.setdefault(key, "update")
            else:  # created again (or, in a state read ahead of its revision, again in the same place): last
                part.remove(c.id)
                last.pop(key, None)
                last[key] = c.op
        for (layer_id, fid), op in last.items():  # creations in their order: each goes last
            part = state.layers[layer_id]
            if op == "delete" or (op == "update" and fid not in part.items):
                continue  # gone, or deleted after a state read ahead: a later change brings it back if it is
            try:
                feature = self.store.get(layer_id, fid)
            except NotFound:  # deleted by a change after this revision, which the layer file already shows
                part.remove(fid)
                continue
            self._derive(part, feature, now_l)

    def delta(self, since: int, key: StateKey, now: datetime) -> dict | None:
        """Only the places changed after `since`; None when a full state is due instead."""
        if since < 0 or since > key.revision:
            return None
        changes = self.store.changes_since(since)
        if len(changes) > MAX_DELTA:
            return None
        last_op: dict[tuple[str, str], str] = {}
        latest = ""
        for c in changes:
            last_op[(c.layer, c.id)] = c.op
            latest = max(latest, c.at)
        shapes = self.shape_revisions()
        now_l = local_now(self.campaign, now)
        layers = {x.id: {"revision": self.store.layer_revision(x.id), "shapes": shapes[x.id], "features": {},
                         "removed": []} for x in self.store.readable_layers()}
        for (layer_id, fid), op in last_op.items():
            if layer_id not in layers:
                continue
            try:
                props = self.store.get(layer_id, fid)["properties"]
            except NotFound:
                if op == "delete":
                    layers[layer_id]["removed"].append(fid)
                continue  # created a moment ago, its file not written yet: the next poll brings it
            layers[layer_id]["features"][fid] = _feature_state(props, self.campaign, now_l, self.category_index).as_list()
        return {"kind": "delta", "since": since, **self._common(key, now), "as_of": latest or None, "layers": layers}


# --- a place's card ----------------------------------------------------------------

def _days(later: date, earlier: str | None) -> int | None:
    try:
        return (later - date.fromisoformat(earlier)).days if earlier else None
    except (TypeError, ValueError):
        return None


def place_card(feature: dict, layer_id: str, campaign: Campaign, now: datetime) -> dict:
    """Everything the card of one place shows: status, deadline, 四包一 people, open problems."""
    props = feature["properties"]
    now_l = local_now(campaign, now)
    today = now_l.date()
    status = next((s for s in campaign.statuses if s.key == props.get("status")), None)
    people = props.get("people") or {}
    roles = [{"role": r.key, "label": r.label, "name": people.get(r.key)} for r in campaign.roles if people.get(r.key)]
    labels = {p.key: p.label for p in campaign.problem_statuses}
    problems = []
    closed = 0
    for p in props.get("problems") or ():
        if not problem_is_open(p, campaign):
            closed += 1
            continue
        late = _days(today, p.get("deadline"))
        problems.append({
            "id": p.get("id"), "category": p.get("category"), "description": p.get("description"),
            "found_on": p.get("found_on"), "found_by": p.get("found_by"), "deadline": p.get("deadline"),
            "responsible": p.get("responsible"), "status": labels.get(p.get("status"), p.get("status")),
            "overdue": problem_overdue(p, campaign, today), "days_late": late if late and late > 0 else 0,
            "overnight": problem_overnight(p, campaign, now_l),
        })
    problems.sort(key=lambda p: (not p["overdue"], not p["overnight"], -(p["days_late"] or 0)))
    late = _days(today, props.get("deadline"))
    done = props.get("status") in campaign.done_statuses
    return {
        "layer": layer_id, "id": feature["id"], "name": props.get("name"), "kind": props.get("kind"),
        "street": props.get("street"), "community": props.get("community"),
        "status": {"key": props.get("status"), "label": status.label if status else props.get("status"),
                   "color": status.color if status else None, "done": done},
        "deadline": props.get("deadline"), "days_late": late if late and late > 0 and not done else 0,
        "overdue": place_overdue(props, campaign, today),
        "overnight": any(p["overnight"] for p in problems),
        "unit": props.get("unit"), "people": roles, "notes": props.get("notes") or "",
        "problems": problems, "closed_problems": closed,
        "version": props.get("version"), "updated_at": props.get("updated_at"), "updated_by": props.get("updated_by"),
    }
