"""Catching up with the change journal: what keeps a view of every place up to date between revisions.

A view derived from every readable place (the wall's full state,
geo/wall/state.py; the dashboard's shares, geo/dashboard.py) is kept with
the `Basis` it was built on: a revision, the local day and overnight cut-off
(`clock_of`), the readable layers' revisions and a mark of the journal.
`changes_to` lists the journal's changes that take it to a newer basis, or
says it must be built again: a new day or cut-off, another set of readable
layers, a layer file older than before, another journal, or more than
`MAX_DELTA` changes. `CatchUp` is the one loop both views share: apply the
changes since, or, when that cannot be done, build from scratch; the result
is the same as a walk over every place. It derives from the store's files and
journal alone, so any process answers any screen the same way.

Cases run overdue and escalate at moments of their own (a stage's due, the
escalation's next step: geo/cases/stats.py `place_flips`), not at midnight
or the cut-off. A view keeps those moments per place (`Flips`); when the
clock passes some of them, `catch_up` derives again only the places they
belong to (`_rederive`) — no write is needed, and nothing is built again.
`Flips.latest` (the last such moment passed) goes into the wall's ETag, so
every process tells a screen the same.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, Protocol, TypeVar

from sortedcontainers import SortedList

from geo.bulk import collector_paused
from geo.config import Campaign
from geo.errors import GuatuError
from geo.journal import ChangeSummary
from geo.kept import PlaceMap, interned, sharing
from geo.rules import local_now
from geo.store.base import Store

MAX_DELTA = 2000  # more changes than this since a screen's revision: send the full state


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
    def of(cls, store: Store, revision: int, clock: tuple[str, bool],
           layers: tuple[tuple[str, int], ...] | None = None) -> Basis:
        """`layers`: the readable layers' revisions if the caller has just read them (`readable_revisions`)."""
        if layers is None:
            layers = store.readable_revisions()[1]
        return cls(revision, clock, layers,
                   journal_mark(store.changes_since(revision - 1, upto=revision)[:1], revision) if revision > 0 else None)


def journal_mark(changes: list[ChangeSummary], revision: int) -> tuple | None:
    """What tells change `revision` of one journal from another's (`changes` starting with it), or None."""
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
    if new.revision >= old.revision and any(now < then for (_, then), (_, now) in zip(old.layers, new.layers, strict=True)):
        return None  # (a request behind the view read its layers' revisions before the view's: not a restore)
    tail = store.changes_since(max(old.revision - 1, 0), upto=new.revision)
    if old.revision:
        if journal_mark(tail, old.revision) != old.mark:
            return None
        tail = tail[1:]
    window = tail[:bisect_right(tail, new.revision, key=lambda c: c.seq)]
    return window if len(window) <= (MAX_DELTA if limit is None else limit) else None


_shared_moments = sharing(16384)  # places whose cases fall due alike share their moments' tuple


class Flips:
    """The moments (POSIX seconds) at which each place's derived case flags change, past and future, and the
    places at each moment, the moments in order (a `SortedList`: a place's moments go in and out in logarithmic
    time, as its cases change).

    A moment one place of a layer has holds that place's id itself; one several share, a list of their ids, per
    layer: no (layer, id) tuple is kept per place (at a million places the wall's and the dashboard's were 17 MB
    each). A place leaving such a moment is not looked for in the list: the list keeps it until half of its
    entries have left (`_gone` counts them), then keeps only the places still there (`by_place` says which), so a
    leave costs a constant time on average and an entry 8 bytes (a set's was about 33: at a million places the
    wall's and the dashboard's moments are 1.3 million such entries each). Equal moment tuples are one object (of
    the last 16,384 made)."""

    def __init__(self) -> None:
        self.by_place: PlaceMap[tuple[int, ...]] = PlaceMap()
        self._moments: SortedList = SortedList()  # every moment some place has, once
        self._at: dict[str, dict[int, str | list[str]]] = {}  # layer -> moment -> its place's id, or its places'
        self._gone: dict[tuple[str, int], int] = {}  # (layer, moment) -> the entries of its list whose place has
        # left it since

    def set(self, key: tuple[str, str], moments: tuple[int, ...]) -> None:
        """A place's moments, in place of those it had."""
        old = self.by_place.get(key, ())
        if old == moments:
            return
        if len(set(moments)) < len(moments):  # (each once: a place twice in a moment's list would be let go once)
            moments = tuple(sorted(set(moments)))
        if moments:
            self.by_place[key] = _shared_moments(moments)
        else:
            self.by_place.pop(key)
        layer, fid = key
        for m in old:
            if m not in moments:
                self._leave(layer, fid, m)
        for m in moments:
            if m not in old:
                self._join(layer, fid, m)

    def remove(self, key: tuple[str, str]) -> None:
        self.set(key, ())

    def _join(self, layer: str, fid: str, m: int) -> None:
        at = self._at.setdefault(layer, {})
        there = at.get(m)
        if there is None:
            at[m] = fid
            if m not in self._moments:
                self._moments.add(m)
        elif type(there) is list:
            there.append(fid)  # (a place that left it and came back is in it twice: `_live` keeps one)
        else:
            at[m] = [there, fid]

    def _leave(self, layer: str, fid: str, m: int) -> None:
        at = self._at[layer]
        there = at[m]
        gone = 1 if type(there) is not list else self._gone.get((layer, m), 0) + 1
        if type(there) is not list or gone == len(there):  # the layer's last place at it
            del at[m]
            self._gone.pop((layer, m), None)
            if not any(m in other for other in self._at.values()):
                self._moments.remove(m)
        elif 2 * gone >= len(there):
            live = self._live(layer, m, there, gone)
            self._gone.pop((layer, m), None)
            at[m] = live if len(live) > 1 else live[0]
        else:
            self._gone[(layer, m)] = gone

    def _live(self, layer: str, m: int, there: list[str], gone: int) -> list[str]:
        """The places of a layer's list at a moment still at it, each once, in the list's order (`gone`: how many
        of its entries have left)."""
        if not gone:
            return there
        return list(dict.fromkeys(fid for fid in there if m in self.by_place.get((layer, fid), ())))

    def between(self, lo: int, hi: int) -> list[tuple[str, str]]:
        """The places with a moment after `lo` up to `hi`, in the order of their moments (of one moment, of their
        keys), each once."""
        out: dict[tuple[str, str], None] = {}
        layers = sorted(self._at)
        for m in self._moments.irange(lo + 1, hi):
            for layer in layers:
                there = self._at[layer].get(m)
                if there is None:
                    continue
                fids = sorted(self._live(layer, m, there, self._gone.get((layer, m), 0))) if type(there) is list \
                    else (there,)
                out.update(dict.fromkeys((layer, fid) for fid in fids))
        return list(out)

    def moments(self) -> dict[int, dict[str, str | list[str]]]:
        """Each moment's places as kept, by layer (for the tests)."""
        return {m: {layer: at[m] for layer, at in self._at.items() if m in at} for m in self._moments}

    def latest(self, upto: int) -> int:
        """The last moment at or before `upto` (0: none)."""
        i = self._moments.bisect_right(upto)
        return self._moments[i - 1] if i else 0


class Kept(Protocol):
    """What a `CatchUp` keeps: anything with the basis it was built on, its places' case moments and the moment
    (POSIX seconds) its places were derived at."""

    basis: Basis
    flips: Flips
    derived_at: int


K = TypeVar("K", bound=Kept)


class CatchUp(ABC, Generic[K]):
    """A view of every readable place of one store, kept between revisions and brought up to date from the
    journal (`catch_up`). A subclass says how to build the view from scratch and how to apply changes to it."""

    # Whether what the view derives depends on the local day and the overnight cut-off (overdue and overnight
    # flags): such a view is built again when either turns. One that keeps nothing of the clock (the case queues,
    # who answers for which place) says False and is only ever brought up to date.
    follows_clock = True

    def __init__(self, store: Store, campaign: Campaign) -> None:
        self.store = store
        self.campaign = campaign
        self._kept: K | None = None
        self._catch_up_lock = threading.Lock()  # one view built at a time; the others then find it

    def catch_up(self, revision: int, now: datetime, layers: tuple[tuple[str, int], ...] | None = None) -> K:
        """The view brought to `revision` at `now`: from the kept one and the changes since, or from scratch
        (`layers`: the readable layers' revisions, if just read). Call it holding `_catch_up_lock`; keep the
        lock while reading what it returns."""
        new = Basis.of(self.store, revision, clock_of(self.campaign, now) if self.follows_clock else ("", False), layers)
        old, self._kept = self._kept, None  # nothing half-done is kept if this fails
        changes = changes_to(self.store, old.basis if old else None, new)
        if old is not None and changes is not None:
            try:
                self._apply(old, changes, local_now(self.campaign, now))
                self._pass_time(old, now)
            except GuatuError:  # a layer broke meanwhile: build again from what can be read
                pass
            else:
                if new.revision >= old.basis.revision:  # (else a request whose revision was read before the last one's)
                    old.basis = new
                self._kept = old
                return old
        self._kept = self._build(new, local_now(self.campaign, now))
        self._kept.derived_at = int(now.timestamp())
        return self._kept

    def _read(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], dict]:
        """These places as the store has them now, one read per layer (a place gone is left out)."""
        by_layer: dict[str, list[str]] = {}
        for layer_id, fid in keys:
            by_layer.setdefault(layer_id, []).append(fid)
        return {(layer_id, fid): feature for layer_id, fids in by_layer.items()
                for fid, feature in self.store.get_many(layer_id, fids).items()}

    def _pass_time(self, kept: K, now: datetime) -> None:
        """Derive again the places whose case moments lie between the view's moment and `now` (either way: a
        request may carry an earlier clock than the last one)."""
        at = int(now.timestamp())
        lo, hi = sorted((kept.derived_at, at))
        keys = kept.flips.between(lo, hi) if lo != hi else []
        if keys:
            self._rederive(kept, keys, local_now(self.campaign, now))
        kept.derived_at = at

    @abstractmethod
    def _build(self, basis: Basis, now_l: datetime) -> K:
        """The view from scratch, from every readable place, on `basis` (`now_l`: the campaign's local time)."""

    @abstractmethod
    def _apply(self, kept: K, changes: list[ChangeSummary], now_l: datetime) -> None:
        """Bring `kept` up to date with `changes` (oldest first). A `GuatuError` makes the view built again."""

    @abstractmethod
    def _rederive(self, kept: K, keys: list[tuple[str, str]], now_l: datetime) -> None:
        """Derive these places again at `now_l`, as they are (a case of theirs ran overdue or escalated)."""


class PlaceEntries:
    """What a `PerPlace` view keeps: an entry per place that has one, as of one basis."""

    def __init__(self, basis: Basis) -> None:
        self.basis = basis
        self.places: dict[tuple[str, str], object] = {}
        self.flips = Flips()  # (no moment: nothing kept here changes with the clock)
        self.derived_at = 0

    def put(self, key: tuple[str, str], entry: object | None) -> None:
        """The place's entry, in place of the one it had (None: it has none, or is gone)."""
        if entry is None:
            self.places.pop(key, None)
        else:
            self.places[key] = entry


P = TypeVar("P", bound=PlaceEntries)


class PerPlace(CatchUp[P]):
    """A view of one entry per place, made from the place's properties alone — no journal, no clock (the case
    queues, who answers for which place): built from every readable place once, then each changed place's entry
    made again. A subclass says what the entry is (`_entry`) and what keeps the entries (`kept_type`)."""

    follows_clock = False
    kept_type: type[PlaceEntries] = PlaceEntries

    @abstractmethod
    def _entry(self, props: dict) -> object | None:
        """What the view keeps of a place with these properties (None: nothing)."""

    def _build(self, basis: Basis, now_l: datetime) -> P:
        kept = self.kept_type(basis)
        with collector_paused():  # an entry per place, all kept
            for layer_id, _ in basis.layers:
                for feature in self.store.each_feature(layer_id):
                    kept.put((layer_id, interned(feature["id"])), self._entry(feature["properties"]))
        return kept  # type: ignore[return-value]

    def _apply(self, kept: P, changes: list[ChangeSummary], now_l: datetime) -> None:
        readable = {layer_id for layer_id, _ in kept.basis.layers}
        touched = dict.fromkeys((c.layer, c.id) for c in changes if c.layer in readable)
        features = self._read(touched)
        for key in touched:
            feature = features.get(key)
            kept.put(key, self._entry(feature["properties"]) if feature is not None else None)

    def _rederive(self, kept: P, keys: list[tuple[str, str]], now_l: datetime) -> None:
        """(Never called: no moment is kept.)"""
