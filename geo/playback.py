"""进度回放: the campaign's progress over a range of days, for a browser to replay place by place.

`playback(store, campaign, first, last)` is everything a wall screen needs to
colour every place as it stood at the end of each day (the "before/after"
of a campaign, 蝶变), in one document:

``statuses``
    the status keys a status index points into: the campaign's, then any
    other value met in the journal (a status dropped from the configuration).
``layers``
    per layer, in the campaign's order: ``ids`` — its places, packed like
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
through the range: O(changes + places), not once per day. A place's geometry
is the one it has now (or had last, for a deleted place): reshapes are not
replayed. Like the timeline, it relies on the journal's times rising with its
sequence numbers.

`parse_view` reads the page's own parameters (range, speed, mode); a value
that does not fit falls back to its default, as wall URLs do (geo/wall/params.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import orjson

from geo.config import Campaign
from geo.errors import ValidationError
from geo.history import end_of_day
from geo.progress import parse_range, timeline
from geo.store.base import Store, iso
from geo.wall.codec import PACKED_PROPERTIES, Transform, pack_ids, packed_geometry, unpack_ids

GONE = -1  # the status index of a place that does not exist (yet, or any more)
MODES = ("play", "compare")
DEFAULT_SPEED, MIN_SPEED, MAX_SPEED = 0.8, 0.2, 10.0  # seconds per day
_ABSENT = object()  # a place missing from a state (a status may itself be None)


def playback(store: Store, campaign: Campaign, first: date, last: date, *, transform: Transform | None = None) -> dict:
    """The playback document of the days `first`..`last` (see the module's docstring).

    `transform` shifts the geometry of the places gone now for display (e.g.
    to GCJ-02 for an AMap basemap), as the shapes endpoint does."""
    revision = store.revision()
    layer_ids = [x.id for x in campaign.layers]
    layer_index = {layer_id: i for i, layer_id in enumerate(layer_ids)}
    current: dict[str, list[str]] = {}  # each layer's places now, in its order: only their ids and statuses are kept
    state: dict[tuple[str, str], object] = {}
    for layer_id in layer_ids:
        ids = current[layer_id] = []
        for f in store.each_feature(layer_id):
            ids.append(f["id"])
            state[(layer_id, f["id"])] = f["properties"].get("status")
    changes = [c for c in store.changes_since(0) if c.layer in layer_index]
    n_days = (last - first).days + 1
    eve = iso(end_of_day(first - timedelta(days=1), campaign))
    cutoffs = [iso(end_of_day(first + timedelta(days=d), campaign)) for d in range(n_days)]

    i = len(changes)  # undo, newest first, every change made after the day before `first`
    while i > 0 and changes[i - 1].at > eve:
        c = changes[i - 1]
        if c.op == "create":
            state.pop((c.layer, c.id), None)
        else:
            state[(c.layer, c.id)] = c.status_before
        i -= 1
    start = dict(state)

    per_day: list[list[tuple[tuple[str, str], object]]] = []
    for cutoff in cutoffs:  # then forwards, one day at a time: the last change of each place that day
        touched: dict[tuple[str, str], object] = {}
        while i < len(changes) and changes[i].at <= cutoff:
            c = changes[i]
            touched[(c.layer, c.id)] = _ABSENT if c.op == "delete" else c.status
            i += 1
        day = []
        for key, value in touched.items():
            if state.get(key, _ABSENT) != value:
                day.append((key, value))
            if value is _ABSENT:
                state.pop(key, None)
            else:
                state[key] = value
        per_day.append(day)

    # every place that stood at some day's end: the store's now, then the ones gone since
    places = {layer_id: list(ids) for layer_id, ids in current.items()}
    known = {(layer_id, fid) for layer_id, ids in current.items() for fid in ids}
    gone: dict[str, list[str]] = {layer_id: [] for layer_id in layer_ids}
    for key in [*start, *(k for day in per_day for k, v in day if v is not _ABSENT)]:
        if key not in known:
            known.add(key)
            places[key[0]].append(key[1])
            gone[key[0]].append(key[1])
    index = {(layer_id, fid): n for layer_id, ids in places.items() for n, fid in enumerate(ids)}

    statuses = list(campaign.status_keys)
    status_index = {s: n for n, s in enumerate(statuses)}

    def code(value: object) -> int:
        if value is _ABSENT:
            return GONE
        text = "" if value is None else str(value)
        if text not in status_index:
            status_index[text] = len(statuses)
            statuses.append(text)
        return status_index[text]

    extras = _gone_features(store, changes, gone)
    layers = []
    for layer_id in layer_ids:
        layers.append({
            "id": layer_id, "ids": pack_ids(places[layer_id]),
            "start": [code(start.get((layer_id, fid), _ABSENT)) for fid in places[layer_id]],
            "extra": _extra(extras[layer_id], layer_id, revision, transform),
        })
    counts = {row["date"]: row for row in timeline(store, campaign, first, last)["days"]}
    days = []
    for d, day in enumerate(per_day):
        when = first + timedelta(days=d)
        flat: list[int] = []
        for key, value in day:
            flat.extend((layer_index[key[0]], index[key], code(value)))
        row = counts[when.isoformat()]
        days.append({"date": when.isoformat(), "end": (end_of_day(when, campaign) - timedelta(seconds=1)).isoformat(),
                     "changes": flat, "counts": row["counts"], "total": row["total"], "done": row["done"],
                     "share_done": row["share_done"]})
    return {"format": "playback-1", "from": first.isoformat(), "to": last.isoformat(), "revision": revision,
            "timezone": campaign.timezone.key, "statuses": statuses,
            "done": [s for s in statuses if s in campaign.done_statuses], "layers": layers, "days": days}


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
