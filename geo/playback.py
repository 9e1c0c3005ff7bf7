"""进度回放: the campaign's progress over a range of days, for a browser to replay place by place.

`playback(store, campaign, first, last)` is everything a wall screen needs to
colour every place as it stood at the end of each day (the "before/after"
of a campaign, 蝶变), in one document:

``statuses``
    the status keys a status index points into: the campaign's, then any
    other value met in the journal (a status dropped from the configuration).
``layers``
    per layer whose file can be read, in the campaign's order: ``ids`` — its places, packed like
    the packed shapes' ids (geo/wall/codec.py `pack_ids`): first the places of
    the store now, in store order, then the places that stood during the
    range but are gone now; ``start`` — each place's status index at the end
    of the day before ``from`` (−1: it did not exist); ``extra`` — for the
    places gone now, their last geometry (packed as the shapes' geometry,
    `packed_geometry`) and attributes, so they can be drawn until deleted.
``days``
    per day from ``from`` to ``to``: ``changes`` — flat triples ``layer
    index, place index, status index`` (−1: deleted) that take the end of the
    previous day to the end of this one, only for places whose status then
    differs; ``end`` — the last second of the day; and the places per status,
    total, done and share done from `geo.progress.timeline`.

A browser applies ``changes`` to ``start`` day by day (`replay` below does
the same in Python, for the tests): the state of each day equals the layer
as of the end of that day (`geo.history.layer_as_of`). The journal is read
once, backwards from the present to the day before ``from`` and then forwards
through the range: O(changes + places), not once per day; the day counts are
kept along the way (they equal `geo.progress.timeline`'s), so no place is read
twice. The present — each place's status now — is walked from the store
(`Present.walk`) or lent by a process that keeps it (a worker's wall state:
web/wall/playback.py), and then no place is read at all: at a million places
that is what makes a day's document a matter of seconds rather than half a
minute (docs/scale-benchmark.md). A place's geometry is the one it has now (or
had last, for a deleted place): reshapes are not replayed. Like the timeline,
it relies on the journal's times rising with its sequence numbers.

`parse_view` reads the page's own parameters (range, speed, mode); a value
that does not fit falls back to its default, as wall URLs do (geo/wall/params.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import chain

import orjson

from geo.config import Campaign
from geo.errors import ValidationError
from geo.history import end_of_day
from geo.progress import day_row, parse_range
from geo.store.base import Store, iso
from geo.wall.codec import PACKED_PROPERTIES, Transform, pack_ids, packed_geometry, unpack_ids

GONE = -1  # the status index of a place that does not exist (yet, or any more)
MODES = ("play", "compare")
DEFAULT_SPEED, MIN_SPEED, MAX_SPEED = 0.8, 0.2, 10.0  # seconds per day
_ABSENT = object()  # a place missing from a state (a status may itself be None)


@dataclass(frozen=True)
class Present:
    """Each place's status now, per layer in store order, as of the journal's change `revision`."""

    revision: int
    layers: dict[str, tuple[list[str], list[object]]]  # layer id -> (place ids, their statuses)

    @classmethod
    def walk(cls, store: Store) -> Present:
        """Read from the store, every place of every readable layer (only ids and statuses kept)."""
        revision = store.revision()
        layers = {}
        for layer in store.readable_layers():
            ids, statuses = layers[layer.id] = [], []
            for f in store.each_feature(layer.id):
                ids.append(f["id"])
                statuses.append(f["properties"].get("status"))
        return cls(revision, layers)


def playback(store: Store, campaign: Campaign, first: date, last: date, *, transform: Transform | None = None,
             present: Present | None = None) -> dict:
    """The playback document of the days `first`..`last` (see the module's docstring), from `present` (walked
    from the store when not given) and the journal as read now. The journal may have moved on since `present`
    was taken, or `present` be ahead of its revision (a place read while it was written): a change is undone by
    setting its place back to its status before, and replayed by setting the status after, so either way the
    days come out as the journal has them; the document's revision is the last change read.

    `transform` shifts the geometry of the places gone now for display (e.g.
    to GCJ-02 for an AMap basemap), as the shapes endpoint does."""
    present = present or Present.walk(store)
    layer_ids = [x.id for x in campaign.layers if x.id in present.layers]  # (a layer file that cannot be read: none)
    layer_index = {layer_id: i for i, layer_id in enumerate(layer_ids)}
    journal = store.changes_since(0)
    revision = max(present.revision, journal[-1].seq if journal else 0)
    changes = [c for c in journal if c.layer in layer_index]
    eve = iso(end_of_day(first - timedelta(days=1), campaign))
    i = len(changes)
    while i > 0 and changes[i - 1].at > eve:
        i -= 1
    later = changes[i:]  # every change after the day before `first`: undone, then replayed day by day
    places = [_Places(*present.layers[layer_id]) for layer_id in layer_ids]
    named: list[list[str]] = [[] for _ in places]
    for c in later:
        named[layer_index[c.layer]].append(c.id)
    for part, ids in zip(places, named, strict=True):
        part.find(ids)
    for c in reversed(later):  # undo, newest first
        part = places[layer_index[c.layer]]
        part.status[part.pos[c.id]] = _ABSENT if c.op == "create" else c.status_before
    start = [list(part.status) for part in places]
    stood: dict[tuple[int, int], int] = {}  # each place gone now that stood at a day's end: the first such day (-1: the eve)
    for n, part in enumerate(places):
        stood.update(((n, k), -1) for k in range(part.now, len(part.ids)) if part.status[k] is not _ABSENT)
    tally = Counter(chain.from_iterable(start))  # places per status (the timeline's counts), kept day by day

    per_day: list[list[tuple[int, int, object]]] = []  # (layer, place, status) that took each day's end from the last
    day_rows: list[dict] = []
    j = 0
    for d in range((last - first).days + 1):  # forwards, one day at a time: the last change of each place that day
        cutoff = iso(end_of_day(first + timedelta(days=d), campaign))
        touched: dict[tuple[int, int], object] = {}
        while j < len(later) and later[j].at <= cutoff:
            c = later[j]
            n = layer_index[c.layer]
            touched[(n, places[n].pos[c.id])] = _ABSENT if c.op == "delete" else c.status
            j += 1
        day = []
        for (n, k), value in touched.items():
            before = places[n].status[k]
            if before != value:
                day.append((n, k, value))
                tally[before] -= 1
                tally[value] += 1
                places[n].status[k] = value
                if value is not _ABSENT and k >= places[n].now:
                    stood.setdefault((n, k), d)
        per_day.append(day)
        tally.pop(_ABSENT, None)
        day_rows.append(day_row(first + timedelta(days=d), tally, campaign))

    # every place that stood at some day's end: the store's now, then the ones gone since, in the order they first stood
    kept: list[list[int]] = [list(range(part.now)) for part in places]
    for n, k in sorted(stood, key=lambda nk: (stood[nk], nk[1])):
        kept[n].append(k)
    at = [{k: m for m, k in enumerate(ks) if k >= places[n].now} for n, ks in enumerate(kept)]  # a gone place's new index

    statuses = list(campaign.status_keys)
    status_index: dict[object, int] = {s: m for m, s in enumerate(statuses)}

    def code(value: object) -> int:
        if value is _ABSENT:
            return GONE
        text = "" if value is None else str(value)
        if text not in status_index:
            status_index[text] = len(statuses)
            statuses.append(text)
        return status_index[text]

    gone = {layer_id: [places[n].ids[k] for k in kept[n][places[n].now:]] for n, layer_id in enumerate(layer_ids)}
    extras = _gone_features(store, changes, gone)
    layers = []
    for n, layer_id in enumerate(layer_ids):
        part, values = places[n], start[n]
        codes = {v: code(v) for v in dict.fromkeys(values)}  # each distinct status coded once, in the order met
        layers.append({
            "id": layer_id, "ids": pack_ids([*part.ids[:part.now], *gone[layer_id]]),
            "start": [*map(codes.__getitem__, values[:part.now]), *(codes[values[k]] for k in kept[n][part.now:])],
            "extra": _extra(extras[layer_id], layer_id, revision, transform),
        })
    days = []
    for d, (day, row) in enumerate(zip(per_day, day_rows, strict=True)):
        flat: list[int] = []
        for n, k, value in day:
            flat.extend((n, at[n].get(k, k), code(value)))
        days.append({"date": row["date"], "end": (end_of_day(first + timedelta(days=d), campaign)
                                                  - timedelta(seconds=1)).isoformat(),
                     "changes": flat, **{key: row[key] for key in ("counts", "total", "done", "share_done")}})
    return {"format": "playback-1", "from": first.isoformat(), "to": last.isoformat(), "revision": revision,
            "timezone": campaign.timezone.key, "statuses": statuses,
            "done": [s for s in statuses if s in campaign.done_statuses], "layers": layers, "days": days}


class _Places:
    """One layer's places in a replay: those of now, in store order, then those gone since that the replayed changes
    name; each one's status at the replay's step (`_ABSENT`: not standing then)."""

    def __init__(self, ids: list[str], statuses: list[object]) -> None:
        self.now = len(ids)
        self.ids = list(ids)
        self.status = list(statuses)
        self.pos: dict[str, int] = {}  # the named places' indices

    def find(self, named: list[str]) -> None:
        """Index the places these changes name (oldest first): those of now where they stand (one pass over the ids,
        only when a change names one), the others after them in the order they are first named."""
        wanted = set(named)
        if wanted:
            self.pos = {fid: k for k, fid in enumerate(self.ids) if fid in wanted}
        for fid in named:
            if fid not in self.pos:
                self.pos[fid] = len(self.ids)
                self.ids.append(fid)
                self.status.append(_ABSENT)


def _gone_features(store: Store, changes: list, gone: dict[str, list[str]]) -> dict[str, list[dict]]:
    """The last known version of each place gone from the store: its last journal entry's after, or before."""
    wanted = {(layer_id, fid) for layer_id, ids in gone.items() for fid in ids}
    last = {}
    for c in changes:
        if (c.layer, c.id) in wanted:
            last[(c.layer, c.id)] = c
    found = {}
    for entry in store.change_entries(sorted(last.values(), key=lambda c: c.seq)):
        feature = entry.get("after") or entry.get("before")
        if feature:
            found[(entry["layer"], entry["id"])] = {**feature, "id": entry["id"]}
    return {layer_id: [found[(layer_id, fid)] for fid in ids if (layer_id, fid) in found] for layer_id, ids in gone.items()}


def _extra(features: list[dict], layer_id: str, revision: int, transform: Transform | None) -> dict | None:
    if not features:
        return None
    geometry = orjson.loads(packed_geometry(features, layer_id, revision, transform=transform))
    attributes = {f["id"]: {k: (f.get("properties") or {}).get(k) for k in PACKED_PROPERTIES} for f in features}
    return {"geometry": geometry, "attributes": attributes}



def replay(doc: dict) -> Iterator[tuple[str, dict[str, dict[str, str]]]]:
    """What a browser rebuilds from a playback document: (day, {layer: {place id: status}}) at each day's end."""
    statuses = doc["statuses"]
    ids = [unpack_ids(layer["ids"]) for layer in doc["layers"]]
    codes = [list(layer["start"]) for layer in doc["layers"]]
    for day in doc["days"]:
        flat = day["changes"]
        for k in range(0, len(flat), 3):
            codes[flat[k]][flat[k + 1]] = flat[k + 2]
        yield day["date"], {
            layer["id"]: {fid: statuses[c] for fid, c in zip(ids[n], codes[n], strict=True) if c != GONE}
            for n, layer in enumerate(doc["layers"])
        }


# --- the page's parameters -------------------------------------------------------------

@dataclass(frozen=True)
class PlaybackView:
    first: date
    last: date
    mode: str = "play"  # play: day by day, looping; compare: the first and the last day side by side
    speed: float = DEFAULT_SPEED  # seconds per day
    ignored: tuple[str, ...] = ()  # what was not understood, and why


def parse_view(params: Mapping[str, list[str]], today: date) -> PlaybackView:
    """`from`, `to`, `speed` and `mode` of a playback URL; what does not fit falls back to its default."""
    ignored = []

    def one(name: str) -> str | None:
        values = params.get(name) or []
        return values[-1].strip() if values and values[-1].strip() else None

    try:
        first, last = parse_range(one("from"), one("to"), today)
    except ValidationError as exc:
        ignored.append(f"from/to: {exc.message}")
        first, last = parse_range(None, None, today)
    speed = DEFAULT_SPEED
    if one("speed") is not None:
        try:
            speed = float(one("speed") or "")
            if not MIN_SPEED <= speed <= MAX_SPEED:
                raise ValueError
        except ValueError:
            ignored.append(f"speed: seconds per day, {MIN_SPEED}–{MAX_SPEED}")
            speed = DEFAULT_SPEED
    mode = one("mode") or "play"
    if mode not in MODES:
        ignored.append(f"mode: {' or '.join(MODES)}")
        mode = "play"
    return PlaybackView(first, last, mode, speed, tuple(ignored))
