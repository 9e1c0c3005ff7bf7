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
`WallData` only memoises per revision.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from itertools import chain

import numpy as np
import orjson

from geo.config import Campaign
from geo.errors import NotFound
from geo.geojson_io import PRECISION, dumps
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


def packed_geometry(features: list[dict], layer_id: str, revision: int, *, transform: Transform | None = None,
                    binary: bool = False) -> bytes:
    """A layer's geometry, compact, with its ids and nothing else (decoded by wallmap.js).

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


class WallData:
    """One process's view of the wall data of one store; memoises per revision only."""

    def __init__(self, store: Store, campaign: Campaign) -> None:
        self.store = store
        self.campaign = campaign
        self.category_index = {c: i for i, c in enumerate(campaign.categories)}
        self._lock = threading.Lock()
        self._scanned = 0  # journal seq up to which shape revisions are known
        self._shape_seq: dict[str, int] = {}
        self._safe: tuple[tuple, int] | None = None
        self._extents: dict[tuple, list[float] | None] = {}

    # --- revisions -----------------------------------------------------------
    def key(self, now: datetime) -> StateKey:
        """Cheap: one stat of the journal and of each layer file."""
        head = self.store.revision()
        files = tuple((x.id, self.store.layer_revision(x.id)) for x in self.store.readable_layers())
        now_l = local_now(self.campaign, now)
        return StateKey(self._safe_revision(head, files), head, now_l.date().isoformat(),
                        now_l.time() >= self.campaign.overnight_cutoff)

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

    def packed(self, layer_id: str, *, part: str = "geometry", street: str | None = None, community: str | None = None,
               transform: Transform | None = None, binary: bool = False) -> bytes:
        """Packed geometry or attributes of the layer's places in a scope, with the shapes revision they show."""
        file_seq = self.store.layer_revision(layer_id)  # read before the features: they can only be newer
        shown = min(self.shape_revisions().get(layer_id, 0), file_seq)
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
        overnight) instead of an object per place; a fraction of the bytes."""
        campaign = self.campaign
        now_l = local_now(campaign, now)
        index = self.category_index
        status_index = {s.key: i for i, s in enumerate(campaign.statuses)}
        shapes = self.shape_revisions()
        layers: dict[str, dict] = {}
        counts: dict[str, int] = {s.key: 0 for s in campaign.statuses}
        overdue_places = overdue_problems = overnight = 0
        latest = ""
        for layer in self.store.readable_layers():  # a broken layer file is reported by /api/health
            items: dict[str, list] = {}
            layer_counts: dict[str, int] = {}
            for f in self.store.features(layer.id):
                props = f["properties"]
                st = _feature_state(props, campaign, now_l, index)
                items[f["id"]] = st.as_list()
                layer_counts[st.status] = layer_counts.get(st.status, 0) + 1
                overdue_places += st.overdue
                overdue_problems += st.overdue_problems
                overnight += st.overnight
                latest = max(latest, props.get("updated_at") or "")
            for status, n in layer_counts.items():
                counts[status] = counts.get(status, 0) + n
            entry = {"revision": self.store.layer_revision(layer.id), "shapes": shapes[layer.id], "counts": layer_counts}
            if packed:
                values = list(items.values())
                entry.update(ids=pack_ids(list(items)), status=[status_index.get(v[0], -1) for v in values],
                             flags=[v[1] | v[2] << 1 for v in values], open=[v[3] for v in values],
                             overdue_problems=[v[4] for v in values],
                             categories=[v[5] if len(v) > 5 else 0 for v in values])
            else:
                entry["features"] = items
            layers[layer.id] = entry
        out = {
            "kind": "full", **self._common(key, now), "as_of": latest or None,
            "counts": {s.key: counts.get(s.key, 0) for s in campaign.statuses},
            "total": sum(counts.values()), "overdue_places": overdue_places,
            "overdue_problems": overdue_problems, "overnight_places": overnight, "layers": layers,
        }
        if packed:
            out["format"] = "packed-1"
            out["statuses"] = list(status_index)
        return out

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
