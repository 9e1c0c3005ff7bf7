"""The open cases (立案, 处置, 核查) the notifications' clock watches: an index kept in the store in shards and read
a shard at a time. A round reads the shards its journal changes touch and those whose next wake has come, and
keeps nothing in memory after it (at a million places the whole index kept in the leading process took 360 MB).

Each entry is what `case_entry` keeps of a case (the place's name and area, the stage, its due, the unit and the
handler) and:
- `told`: how far along the clock (`clock_rank`) its events were emitted at its present moment — a new stage or
  a new due starts again from 0;
- `wake`: its next wake, in microseconds since 1970 (the first instant of `clock_wakes` after it was last looked
  at; null: none; 0: look at it now — a case new or changed since).

In the store:
- `notify-cases/<n>`, n < `SHARDS`: the entries of the places whose "layer/id" falls in shard n (by CRC-32),
  as {"places": {"layer/id": {problem id: entry}}}; a shard with no open case has no record;
- the sender's cursor (geo/notify/sources.py) says which journal revision the shards are up to and each
  shard's earliest wake (`wakes`), so a round knows which shards to read without reading any.

A round holds the cursor's lock from reading the cursor to writing it (two processes' rounds never mix). It
reads, changes and writes each shard it needs once, one after another (at most `FLUSH` shards held at a time),
and emits a shard's events before the shard is written. A crash leaves shards ahead of the cursor: the next
round applies the same journal changes again (a place's entries are replaced whole from its image, keeping what
was told at the same moment, so a shard ends as it was); a case whose `told` went up had its events emitted
first, and `emit` keeps each event once, so nobody is told twice and nothing is lost. A cursor's wake is never
later than its shard's: a wake that moved earlier was written with the journal change that moved it, which the
next round applies again.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta

from geo.config import Campaign
from geo.notify.case_news import case_entry, clock_events, clock_key, clock_moment, clock_rank, clock_settings, clock_wakes
from geo.notify.events import Event, event_id
from geo.store.base import Store, iso

CASES = "notify-cases"
SHARDS = 256
FLUSH = 16  # shards a round holds before it emits their events and writes them
BUILD_PLACES = 250_000  # places a first round reads per pass (their cases held as tuples: about 65 MB)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ENTRY = ("layer", "fid", "pid", "place", "street", "community", "place_unit", "category", "stage", "stage_since",
         "stage_due", "unit", "handler", "urgency", "responsible", "told", "wake")  # an entry's fields, in order
_TEXTS = ENTRY[:-2]  # what `case_entry` makes of the case: a change of any is looked at again
_SHARED = frozenset(("layer", "street", "community", "place_unit", "category", "stage", "unit", "handler", "urgency",
                     "responsible", "told"))  # the fields many cases share (a first round keeps each value once)

Places = dict[str, dict[str, dict]]  # a shard: "layer/id" -> problem id -> entry


class Superseded(Exception):
    """Another process's round wrote the cursor since this round read it (this one lost its lock meanwhile, its
    database connection dropped): this round writes nothing more."""


def shard_of(place: str) -> int:
    """The shard of the place "layer/id"."""
    return zlib.crc32(place.encode()) % SHARDS


def micros(when: datetime) -> int:
    return (when - _EPOCH) // timedelta(microseconds=1)


def _next_wake(entry: dict, campaign: Campaign, now: datetime) -> int | None:
    wake = next((w for w in clock_wakes(entry, campaign) if w > now), None)
    return None if wake is None else micros(wake)


def look(entry: dict, campaign: Campaign, now: datetime, at: str) -> list[Event]:
    """The clock's events of the case at `now` not told before (its `told` moved up to them), and its next wake."""
    new = [e for e in clock_events(entry, campaign, now, at) if clock_rank(e) > (entry.get("told") or 0)]
    if new:
        entry["told"] = max(clock_rank(e) for e in new)
    entry["wake"] = _next_wake(entry, campaign, now)
    return new


def _due(entry: dict, stamp: int) -> bool:
    wake = entry.get("wake", 0)  # an entry of an earlier version has none: looked at once
    return wake is not None and wake <= stamp


def _put(places: Places, layer: str, fid: str, feature: dict | None, campaign: Campaign) -> bool:
    """The place's entries from its image `feature` (None: deleted), all replaced, so a case the place lost
    outside the journal (a repair, a layer file saved by another program) goes too. A case at the same moment as
    before keeps what was told of it; one new or changed is to be looked at now. Whether anything changed."""
    place = f"{layer}/{fid}"
    old = places.pop(place, None) or {}
    new: dict[str, dict] = {}  # by problem id (one written twice: the last, as the store's)
    for problem in ((feature or {}).get("properties") or {}).get("problems") or ():
        if not isinstance(problem, dict) or not problem.get("id"):
            continue
        entry = case_entry(layer, feature, problem, campaign)
        if entry is None:
            continue
        before = old.get(problem["id"])
        same = before is not None and clock_moment(before) == clock_moment(entry)
        unchanged = same and all(before.get(k) == entry[k] for k in _TEXTS)
        entry["told"] = (before.get("told") or 0) if same else 0
        entry["wake"] = before.get("wake", 0) if unchanged else 0
        new[problem["id"]] = entry
    if new:
        places[place] = new
    return new != old


def _bounded_wake(places: Places) -> int | None:
    """The earliest wake of a shard's entries (None: none has one)."""
    wakes = (e.get("wake", 0) for cases in places.values() for e in cases.values())
    return min((wake for wake in wakes if wake is not None), default=None)


class OpenCases:
    """One round's view of the index: the journal revision it is up to (`seq`), the local day each daily event
    was last sent for (`days`), each shard's earliest wake (`wakes`); shards are read from the store when the
    round needs them."""

    def __init__(self, store: Store, campaign: Campaign, seq: int, days: dict, wakes: list[int | None]) -> None:
        self.store, self.campaign = store, campaign
        self.seq, self.days, self.wakes = seq, dict(days), list(wakes)
        self.relook = False  # every case to be looked at in this round (its wake worked out under other settings)

    def cursor(self) -> dict:
        """What the cursor keeps of the index (besides its token, sources.py's)."""
        return {"seq": self.seq, "days": self.days, "shards": SHARDS, "wakes": self.wakes,
                "clock": clock_settings(self.campaign)}

    # --- where it comes from ----------------------------------------------------------------------------------
    @classmethod
    def build(cls, store: Store, campaign: Campaign, seq: int, days: dict, now: datetime) -> OpenCases:
        """From every place as it is (the first round, a restored store), telling nothing: each case is noted as
        told what the clock says of it at `now`. Every shard is written; a campaign of more than `BUILD_PLACES`
        places is read in passes, each for a range of the shards, so what is held at once stays bounded."""
        index = cls(store, campaign, seq, days, [None] * SHARDS)
        layers = store.readable_layers()
        passes = max(1, -(-sum(store.place_count(layer.id) for layer in layers) // BUILD_PLACES))
        at = iso(now)
        with store.records_locked(CASES):
            for k in range(passes):
                part = range(k * SHARDS // passes, (k + 1) * SHARDS // passes)
                kept: dict[int, dict[str, tuple]] = {n: {} for n in part}
                shared: dict = {}  # one object for equal values of `_SHARED`, for this pass (not interned: dropped after it)
                for layer in layers:
                    for feature in store.each_feature(layer.id):
                        place = f"{layer.id}/{feature['id']}"
                        shard = kept.get(shard_of(place))
                        if shard is None:
                            continue
                        places: Places = {}
                        _put(places, layer.id, feature["id"], feature, campaign)
                        for entry in places.get(place, {}).values():
                            look(entry, campaign, now, at)
                        if places:  # its cases as tuples of shared values: dicts would take five times as much
                            shard[place] = tuple(tuple(shared.setdefault(e[name], e[name]) if name in _SHARED
                                                       else e[name] for name in ENTRY) for e in places[place].values())
                for n in part:
                    places = {place: {case[2]: dict(zip(ENTRY, case, strict=True)) for case in cases}
                              for place, cases in kept.pop(n).items()}
                    index._write(n, places, existed=None)
            index._delete_stale()
        return index

    @classmethod
    def resume(cls, store: Store, campaign: Campaign, cursor: dict) -> OpenCases:
        """From the cursor. An earlier version's cursor is taken over: one that held the whole index (with the
        clock's events it had told of each case as `fired` ids), or shards of another count, are written again as
        this version's shards (held whole once, and not safe against a crash between two shards' writes while
        their keys overlap: the count has always been 256); one without `wakes` has every case looked at once, as
        has one whose wakes were worked out under other clock settings (`clock_settings`: the due-soon hours, the
        escalation's step, the calendar, the time zone changed since)."""
        wakes = cursor.get("wakes")
        index = cls(store, campaign, cursor["seq"], cursor.get("days") or {},
                    wakes if isinstance(wakes, list) and len(wakes) == SHARDS else [0] * SHARDS)
        if cursor.get("clock") != clock_settings(campaign):
            index.relook, index.wakes = True, [0] * SHARDS
        if "cases" in cursor:
            fired = cursor.get("fired") or {}
            index._rewrite((f"{e['layer']}/{e['fid']}", key.rsplit("/", 1)[-1],
                            {**e, "told": _told_by(e, set(fired.get(key) or ()))})
                           for key, e in cursor["cases"].items())
        elif cursor.get("shards", SHARDS) != SHARDS or (wakes is None and index._stale_keys()):
            index._rewrite((place, pid, {**entry, "pid": pid}) for key in store.record_keys(CASES)
                           for place, pids in (store.record(CASES, key) or {}).get("places", {}).items()
                           for pid, entry in pids.items())
        return index

    def _rewrite(self, entries: Iterable[tuple[str, str, dict]]) -> None:
        """Every shard written afresh from these (place, problem id, entry), every other record of the kind
        deleted; each shard looked at in this round (an earlier version's form, read once: held whole)."""
        shards: list[Places] = [{} for _ in range(SHARDS)]
        for place, pid, entry in entries:
            shards[shard_of(place)].setdefault(place, {})[pid] = entry
        with self.store.records_locked(CASES):
            for n, places in enumerate(shards):
                self._write(n, places, existed=None)
            self._delete_stale()
        self.wakes = [0] * SHARDS

    def _stale_keys(self) -> list[str]:
        shards = {str(n) for n in range(SHARDS)}
        return [key for key in self.store.record_keys(CASES) if key not in shards]

    def _delete_stale(self) -> None:
        for key in self._stale_keys():
            self.store.delete_record(CASES, key)

    # --- a round --------------------------------------------------------------------------------------------
    def read(self, n: int) -> Places:
        return (self.store.record(CASES, str(n)) or {}).get("places") or {}

    def _write(self, n: int, places: Places, *, existed: bool | None) -> None:
        """Shard n as `places` (none: its record deleted) and its earliest wake; `existed` False: it had no record
        (None: not known)."""
        if places:
            self.store.put_record(CASES, str(n), {"places": places})
        elif existed is not False:
            self.store.delete_record(CASES, str(n))
        self.wakes[n] = _bounded_wake(places)

    def advance(self, images: Iterable[tuple[str, str, dict | None]], now: datetime, at: str,
                emit: Callable[[list[Event]], object], leading: Callable[[], bool]) -> None:
        """The places' new images (layer, id, feature or None: deleted; oldest first) put in their shards, and
        the clock's news at `now` of the cases whose wake has come or that changed, handed to `emit` before the
        shards that hold them are written. Reads only the shards these places fall in and those whose wake has
        come. Before each write `leading()` must hold (no other round wrote the cursor since): else `Superseded`."""
        by_shard: dict[int, list[tuple[str, str, dict | None]]] = {}
        for layer, fid, feature in images:
            by_shard.setdefault(shard_of(f"{layer}/{fid}"), []).append((layer, fid, feature))
        stamp = micros(now)
        due = sorted(set(by_shard) | {n for n, wake in enumerate(self.wakes) if wake is not None and wake <= stamp})
        held: list[tuple[int, Places, bool]] = []
        events: list[Event] = []
        for n in due:
            places = self.read(n)
            existed = bool(places)
            changed = False
            for layer, fid, feature in by_shard.get(n, ()):
                changed |= _put(places, layer, fid, feature, self.campaign)
            for cases in places.values():
                for entry in cases.values():
                    if self.relook or _due(entry, stamp):
                        before = (entry.get("told"), entry.get("wake", 0))
                        events += look(entry, self.campaign, now, at)
                        changed |= (entry.get("told"), entry["wake"]) != before
            if changed:
                held.append((n, places, existed))
            else:
                self.wakes[n] = _bounded_wake(places)
            if len(held) >= FLUSH:
                self._flush(held, events, emit, leading)
        self._flush(held, events, emit, leading)
        self.relook = False

    def _flush(self, held: list[tuple[int, Places, bool]], events: list[Event],
               emit: Callable[[list[Event]], object], leading: Callable[[], bool]) -> None:
        if (held or events) and not leading():
            raise Superseded
        if events:
            emit(list(events))
        if held:
            with self.store.records_locked(CASES):
                for n, places, existed in held:
                    self._write(n, places, existed=existed)
        held.clear()
        events.clear()


def stored_entries(store: Store) -> Iterator[dict]:
    """Every open case's entry the store's shards hold, a shard at a time (of any count of shards)."""
    for key in store.record_keys(CASES):
        for cases in ((store.record(CASES, key) or {}).get("places") or {}).values():
            yield from cases.values()


def _told_by(entry: dict, fired: set[str]) -> int:
    """How far along the clock an earlier version had told of the case at its present moment, from the ids of
    the clock's events it kept as fired (so an upgrade tells nobody again)."""
    moment = clock_key(entry)
    if event_id("case_escalated", f"{moment}/district") in fired:
        return 3
    if event_id("case_overdue", moment) in fired or event_id("case_escalated", f"{moment}/street") in fired:
        return 2
    return 1 if event_id("case_due_soon", moment) in fired else 0
