"""What a wall screen is sent, per request: shapes (rarely change), state (often) and their revisions.

A screen refetches a layer's shapes only when its *shapes revision* moves:
a place was added or removed, or its geometry or a shape attribute changed
(`WallData.shape_revisions`, from the journal alone). It polls the state
with its revision: nothing changed → 304; otherwise a *delta* with only the
places changed since, built from the change journal; a *full* state only on
first load, a new local day, the overnight cut-off passing, or a revision
too old to catch up from (`MAX_DELTA`).

Everything derives from the store's files and journal, never from what one
server process remembers, so any process answers any screen the same way.
`WallData` memoises, and keeps the last full state it built so that the next
one re-derives only the places changed since (geo/wall/catchup.py), with the
same result as a walk over every place. The formats are geo/wall/codec.py's
(shapes) and geo/wall/state.py's (state).
"""

from __future__ import annotations

import threading
from collections.abc import Container, Mapping
from datetime import datetime

from geo.bulk import collector_paused
from geo.cases.stats import place_flips
from geo.config import Campaign
from geo.geojson_io import dumps
from geo.journal import ChangeSummary
from geo.kept import interned
from geo.playback import Present
from geo.rules import local_now
from geo.store.base import Store
from geo.wall.catchup import MAX_DELTA, Basis, CatchUp, clock_of, journal_mark
from geo.wall.codec import (
    SHAPE_PROPERTIES,
    Transform,
    packed_attributes,
    packed_geometry,
)
from geo.wall.params import in_scope
from geo.wall.state import COLUMNS, FullState, LayerState, StateKey, kept_places, local_feature_state


class WallData(CatchUp[FullState]):
    """One process's view of the wall data of one store: memoises per revision, and keeps the last full state."""

    def __init__(self, store: Store, campaign: Campaign) -> None:
        super().__init__(store, campaign)
        self.category_index = {c: i for i, c in enumerate(campaign.categories)}
        self._lock = threading.Lock()
        self._scanned = 0  # journal seq up to which each layer's last change and shape change are known
        self._scanned_mark: tuple | None = None  # that change, to tell the same journal from another
        self._last_seq: dict[str, int] = {}
        self._shape_seq: dict[str, int] = {}
        self._geometry_seq: dict[str, int] = {}  # per layer, the last change that made, moved or removed a place
        self._safe: tuple[tuple, int] | None = None
        self._extents: dict[tuple, list[float] | None] = {}
        self.status_index = {st.key: i for i, st in enumerate(campaign.statuses)}

    # --- revisions -----------------------------------------------------------
    def key(self, now: datetime) -> StateKey:
        """One stat of the journal and of each layer file, and the kept state brought up to date (usually no more
        than reading the journal's tail) for the last case moment passed."""
        head, files = self.store.readable_revisions()
        revision = self._safe_revision(head, files)
        return StateKey(revision, head, *clock_of(self.campaign, now), self._moment(revision, now, files), files)

    def _moment(self, revision: int, now: datetime, layers: tuple[tuple[str, int], ...]) -> int:
        """The last moment a case of a place ran overdue or escalated, up to `now` (from the kept state)."""
        with self._catch_up_lock:
            return self.catch_up(revision, now, layers).flips.latest(int(now.timestamp()))

    def _safe_revision(self, head: int, files: tuple[tuple[str, int], ...]) -> int:
        """`head`, or less while a layer file lags behind the journal: the change before the first one a layer
        does not hold yet. Each layer's last change is kept from the journal's new changes (`_scan`),
        so a poll finds no lag without walking the journal since the oldest layer's revision (a layer nobody
        edits all day kept that walk growing with the day's saves); only a lagging layer's changes are read."""
        memo = self._safe
        if memo is not None and memo[0] == (head, files):
            return memo[1]
        file_seq = dict(files)
        with self._lock:
            self._scan(head)
            last = dict(self._last_seq)
        lagging = [seq for layer, seq in files if last.get(layer, 0) > seq]
        safe = head
        if lagging:
            for change in self.store.changes_since(min(lagging), upto=head):
                if change.seq > head:
                    break  # (a change another request scanned since this poll read its head)
                if change.seq > file_seq.get(change.layer, change.seq):
                    safe = min(safe, change.seq - 1)
                    break  # changes are in order: the first missing one decides
        self._safe = ((head, files), safe)
        return safe

    def shape_revisions(self, head: int | None = None) -> dict[str, int]:
        """Per layer, the last change its shapes show (derived from the journal alone; `head`: the journal's, if
        just read)."""
        with self._lock:
            self._scan(head)
            return {x.id: self._shape_seq.get(x.id, 0) for x in self.campaign.layers}

    def geometry_shown(self, layer_id: str) -> int:
        """The revision of the layer's outlines alone, as a read of its places shows them now: its last change
        that made, moved or removed a place (a new name, deadline or person leaves it). What is kept of the places'
        outlines and nothing else (a database layer's boxes: geo/viewport.py `ViewportIndex.boxes`) is kept by it:
        a rename is no reason to read a million boxes again."""
        with self._lock:
            self._scan()
            seq = self._geometry_seq.get(layer_id, 0)
        return min(seq, self.store.layer_revision(layer_id))

    def _scan(self, head: int | None = None) -> None:
        """Read the journal's changes this process has not seen, up to its head (`head`, if just read) or later:
        each layer's last change and the last one its shapes show. Call it holding `_lock`."""
        if head is None or head < self._scanned:  # (a head read before another request scanned further is no news)
            head = self.store.revision()
        if head < self._scanned or self._scanned_mark != self._mark_of(self._scanned):  # another journal: again
            self._scanned, self._scanned_mark, self._last_seq, self._shape_seq, self._geometry_seq = 0, None, {}, {}, {}
        if head > self._scanned:
            for c in self.store.changes_since(self._scanned, upto=head):
                self._last_seq[c.layer] = c.seq
                if c.op != "update" or c.geometry_changed or not set(c.changed).isdisjoint(SHAPE_PROPERTIES):
                    self._shape_seq[c.layer] = c.seq
                if c.op != "update" or c.geometry_changed:
                    self._geometry_seq[c.layer] = c.seq
                self._scanned = max(self._scanned, c.seq)
            self._scanned_mark = self._mark_of(self._scanned)

    def _mark_of(self, seq: int) -> tuple | None:
        """The journal's change `seq` as `Basis` marks it: a journal put in its place shows here."""
        return journal_mark(self.store.changes_since(seq - 1, upto=seq)[:1], seq) if seq > 0 else None

    # --- shapes --------------------------------------------------------------
    def extent(self, layer_ids: tuple[str, ...], street: str | None = None,
               community: str | None = None) -> list[float] | None:
        """[west, south, east, north] of the places a screen shows, so its page opens fitted to them. Kept per
        revision of the outlines (`geometry_shown`; of the shapes, which a sub-district or community also moves,
        for a screen of one): on the embedded store a walk over every place (`Store.places_extent`), which a
        rename should not cost."""
        shown = self.shapes_shown if street or community else self.geometry_shown  # a scope goes by the attributes too
        key = (tuple((x, shown(x)) for x in layer_ids), street, community)
        with self._lock:
            if key in self._extents:
                return self._extents[key]
        boxes = [box for layer_id in layer_ids if (box := self.store.places_extent(layer_id, street, community))]
        out = [min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
               max(b[3] for b in boxes)] if boxes else None
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
        """Packed geometry or attributes of the layer's places in a scope, with the shapes revision they show.
        The places are gone through once (`each_feature`: a large database layer a batch at a time): the
        attributes keep only their four values, the geometry only the scope's places (a sub-district's
        attributes at a million places took 6 GB with every feature read at once)."""
        shown = self.shapes_shown(layer_id)
        each = self.store.each_feature(layer_id)
        try:
            features = each if not (street or community) else (
                f for f in each if in_scope(f["properties"], street, community))
            if part == "attributes":
                return packed_attributes(features, layer_id, shown)
            return packed_geometry(list(features), layer_id, shown, transform=transform, binary=binary)
        finally:  # (a read that fails half-way gives its database connection back at once)
            close = getattr(each, "close", None)
            if close is not None:
                close()

    # --- state ---------------------------------------------------------------
    def _common(self, key: StateKey, now: datetime) -> dict:
        return {"revision": key.revision, "head": key.head, "day": key.day, "after_cutoff": key.after_cutoff,
                "moment": key.moment, "generated_at": now.isoformat(), "categories": list(self.campaign.categories)}

    def full(self, key: StateKey, now: datetime, *, packed: bool = False,
             keep: Mapping[str, Container[str] | None] | None = None) -> dict:
        """Status and flags of every place, with the counts a legend shows.

        `packed`: each layer's places as columns (ids as in the packed shapes,
        status as an index into `statuses`, flags as bits: 1 overdue, 2
        overnight, 4 escalated to the sub-district, 8 to the district)
        instead of an object per place; a fraction of the bytes.

        Built from the last full state and the changes since when it can be
        (geo/wall/catchup.py), else by walking every place; the result is the same.
        `as_of` is the latest `updated_at` of the places now (looked for again
        among all places only when the latest one changes back or goes).

        `keep` (a screen's scope, geo/display_scope.py): only its layers, each with only the places whose ids
        it holds (None: all of them); the counts are then still the whole state's (`scoped_full` counts again).
        A layer is cut to its places after the lock is let go, from copies of its lists."""
        cut = {}
        with self._catch_up_lock:
            state = self.catch_up(key.revision, now, key.layers or None)
            out, entries = self._summary(state, key, now)
            for layer_id, part in state.layers.items():
                if keep is not None and layer_id not in keep:
                    del entries[layer_id]
                elif keep is not None and keep[layer_id] is not None:
                    cut[layer_id] = part.snapshot(packed=packed)
                elif packed:
                    entries[layer_id].update(part.packed())
                else:
                    entries[layer_id]["features"] = dict(part.places())
        for layer_id, snapshot in cut.items():
            entries[layer_id].update(kept_places(snapshot, keep[layer_id], packed=packed))
        out["layers"] = entries
        if packed:
            out.update(format="packed-1", statuses=list(self.status_index))
        return out

    def present(self, key: StateKey, now: datetime) -> Present:
        """Each readable place's status as kept, per layer in store order, with the revision the kept state is at
        (`key.revision` or later: another request may have brought it further): what a playback starts from
        (geo/playback.py), with no place read."""
        with self._catch_up_lock:
            state = self.catch_up(key.revision, now, key.layers or None)
            return Present(state.basis.revision, {layer_id: ([fid for fid, _ in part.places()],
                                                             [item[0] for _, item in part.places()])
                                                  for layer_id, part in state.layers.items()})

    def full_body(self, key: StateKey, now: datetime, *, packed: bool = False) -> list[bytes]:
        """`full` serialised: pieces that, joined, are `dumps(full(...))`. Each layer's places come in blocks
        serialised once and kept until one of their places changes, so a new revision serialises (and an HTTP
        layer compresses, see web/http.py) little more than the blocks its changes touched."""
        with self._catch_up_lock:
            state = self.catch_up(key.revision, now, key.layers or None)
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

    def _summary(self, state: FullState, key: StateKey, now: datetime) -> tuple[dict, dict[str, dict]]:
        """The full state without its places: the head, and each layer's entry before its places."""
        shapes = self.shape_revisions(key.head)
        counts: dict[str, int] = {st.key: 0 for st in self.campaign.statuses}
        entries = {}
        for layer_id, part in state.layers.items():
            for status, n in part.counts.items():
                counts[status] = counts.get(status, 0) + n
            entries[layer_id] = {"revision": self._layer_revision(key, layer_id), "shapes": shapes[layer_id],
                                 "counts": self._ordered(part.counts)}
        parts = state.layers.values()
        latest = max((part.latest() for part in parts), default="")
        out = {
            "kind": "full", **self._common(key, now), "as_of": latest or None,
            "counts": {st.key: counts.get(st.key, 0) for st in self.campaign.statuses},
            "total": sum(counts.values()), "overdue_places": sum(p.overdue_places for p in parts),
            "overdue_problems": sum(p.overdue_problems for p in parts),
            "overnight_places": sum(p.overnight for p in parts),
            "escalated_places": sum(p.escalated for p in parts),
        }
        return out, entries

    def _layer_revision(self, key: StateKey, layer_id: str) -> int:
        """The layer's revision as read with the key (asked again for a key made without them)."""
        for x, revision in key.layers:
            if x == layer_id:
                return revision
        return self.store.layer_revision(layer_id)

    def _ordered(self, counts: dict[str, int]) -> dict[str, int]:
        """Places per status in the campaign's order of statuses, then any other status."""
        known = [(s, counts[s]) for s in self.status_index if s in counts]
        return dict(known + sorted(((s, n) for s, n in counts.items() if s not in self.status_index),
                                   key=lambda x: (x[0] is None, str(x[0]))))

    def _build(self, basis: Basis, now_l: datetime) -> FullState:
        """Every readable place's state, walking them all."""
        state = FullState(basis, {})
        for layer in self.store.readable_layers():  # a broken layer file is reported by /api/health
            part = state.layers[layer.id] = LayerState(self.status_index)
            with collector_paused():  # a state per place, all kept
                for f in self.store.each_feature(layer.id):
                    self._derive(state, part, layer.id, f, now_l)
        return state

    def _derive(self, state: FullState, part: LayerState, layer_id: str, feature: dict, now_l: datetime) -> None:
        props, fid = feature["properties"], interned(feature["id"])
        part.set(fid, local_feature_state(props, self.campaign, now_l, self.category_index).as_row(),
                 interned(props.get("updated_at") or ""))  # places imported or changed together share it
        state.flips.set((layer_id, fid), place_flips(props, self.campaign))

    def _rederive(self, state: FullState, keys: list[tuple[str, str]], now_l: datetime) -> None:
        """Places whose case ran overdue or escalated since: derived again where they stand."""
        kept = []
        for layer_id, fid in keys:
            part = state.layers.get(layer_id)
            if part is None or fid not in part:
                state.flips.remove((layer_id, fid))
            else:
                kept.append((layer_id, fid))
        features = self._read(kept)
        for layer_id, fid in kept:
            if (layer_id, fid) in features:  # (else deleted by a change after this revision: that change takes it out)
                self._derive(state, state.layers[layer_id], layer_id, features[layer_id, fid], now_l)

    def _apply(self, state: FullState, changes: list[ChangeSummary], now_l: datetime) -> None:
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
                state.flips.remove(key)
                last.pop(key, None)
                last[key] = c.op
        # gone, or deleted after a state read ahead, are left: a later change brings a place back if it is
        wanted = [(layer_id, fid) for (layer_id, fid), op in last.items()
                  if op != "delete" and (op != "update" or fid in state.layers[layer_id])]
        features = self._read(wanted)
        for layer_id, fid in wanted:  # creations in their order: each goes last
            part = state.layers[layer_id]
            if (layer_id, fid) not in features:  # deleted by a change after this revision, which the store shows
                part.remove(fid)
                state.flips.remove((layer_id, fid))
                continue
            self._derive(state, part, layer_id, features[layer_id, fid], now_l)

    def delta(self, since: int, key: StateKey, now: datetime) -> dict | None:
        """Only the places changed after `since`; None when a full state is due instead."""
        if since < 0 or since > key.revision:
            return None
        changes = self.store.changes_since(since, upto=key.head)
        if len(changes) > MAX_DELTA:
            return None
        last_op: dict[tuple[str, str], str] = {}
        latest = ""
        for c in changes:
            last_op[(c.layer, c.id)] = c.op
            latest = max(latest, c.at)
        shapes = self.shape_revisions(key.head)
        now_l = local_now(self.campaign, now)
        readable = key.layers or tuple((x.id, self.store.layer_revision(x.id)) for x in self.store.readable_layers())
        layers = {layer_id: {"revision": revision, "shapes": shapes[layer_id], "features": {}, "removed": []}
                  for layer_id, revision in readable}
        touched = [(layer_id, fid) for layer_id, fid in last_op if layer_id in layers]
        features = self._read(touched)
        for layer_id, fid in touched:
            if (layer_id, fid) not in features:
                if last_op[layer_id, fid] == "delete":
                    layers[layer_id]["removed"].append(fid)
                continue  # created a moment ago, its file not written yet: the next poll brings it
            props = features[layer_id, fid]["properties"]
            layers[layer_id]["features"][fid] = local_feature_state(props, self.campaign, now_l, self.category_index).as_row()
        return {"kind": "delta", "since": since, **self._common(key, now), "as_of": latest or None, "layers": layers}

