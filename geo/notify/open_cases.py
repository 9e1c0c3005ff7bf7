"""The open cases (立案, 处置, 核查) the notifications' clock watches: an index the process leading the sender
keeps in memory between its rounds, and in the store in shards, so a round reads and writes only what changed.

Each entry is what `case_news.case_entry` keeps of a case (the place's name and area, the stage, its due, the
unit and the handler) with `told`: how far along the clock (`case_news.clock_rank`) its events were emitted at
its present moment — a new stage or a new due starts again from 0. In the store an entry is a dict; in memory a
place is one tuple: what its cases share (`HEAD`: layer, id, name, area, unit) and then each case's own fields
(`CASE`, with `told` last), each a tuple (at a million places, a dict of tuples per place took about a third
more).

In the store:
- `notify-cases/<n>`, n < `SHARDS`: the entries of the places whose "layer/id" falls in shard n (by CRC-32),
  as {"places": {"layer/id": {problem id: entry}}}; a shard with no open case has no record;
- the sender's cursor (geo/notify/sources.py) says which journal revision the shards are up to, and carries a
  `token` written afresh with every save.

A round writes the shards whose entries changed, then the cursor, holding the cursor's lock from a check that
the cursor is still the one the round started from (else another process led meanwhile — a lost lock's holder
finishing its round — and this one writes nothing and forgets what it kept). The process keeps the index while
the cursor's token is the one it wrote or read last: another process that led in between, or a round of its
own that failed, makes it read the shards again. A crash between the shards and the cursor leaves shards ahead
of the cursor, which the next round brings back in step by applying the same journal changes again (a place's
entries are replaced whole from its image after each change, so the index ends as it was; a case whose older
image shows another stage or due on the way starts its `told` again, and its clock events, kept once, are
emitted again).

The clock: each entry has its next wake (the next instant of `case_news.clock_wakes` after it was last looked
at) in a heap; a round looks at the entries whose wake has come and at those its journal changes made or
changed — not at every open case. After the index is read or built, every entry is looked at once.
"""

from __future__ import annotations

import heapq
import uuid
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from geo.config import Campaign
from geo.kept import interned
from geo.notify.case_news import case_entry, clock_events, clock_key, clock_moment, clock_rank, clock_wakes
from geo.notify.events import Event, event_id
from geo.store.base import Store

CASES = "notify-cases"
SHARDS = 256
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
HEAD = ("layer", "fid", "place", "street", "community", "place_unit")  # what a place's cases share (case_entry's)
CASE = ("pid", "category", "stage", "stage_since", "stage_due", "unit", "handler", "urgency", "responsible",
        "told")  # a case's own, `told` last


def shard_of(place: str) -> int:
    """The shard of the place "layer/id"."""
    return zlib.crc32(place.encode()) % SHARDS


def _micros(when: datetime) -> int:
    return (when - _EPOCH) // timedelta(microseconds=1)


def _kept_place(entries: list[tuple[dict, int]]) -> tuple:
    """A place's (entry, told) pairs as the index keeps them in memory: one tuple, `HEAD` then each case's `CASE`
    tuple, each string that many places or cases share one object."""
    head = tuple(interned(entries[0][0].get(name)) for name in HEAD)
    return (*head, *((*(interned(entry.get(name)) for name in CASE[:-1]), told) for entry, told in entries))


def _cases(kept: tuple) -> tuple[tuple, ...]:
    return kept[len(HEAD):]


def _case(kept: tuple | None, pid: str) -> tuple | None:
    return next((case for case in _cases(kept) if case[0] == pid), None) if kept else None


def _entry(kept: tuple, case: tuple) -> dict:
    return dict(zip(HEAD, kept, strict=False)) | dict(zip(CASE, case, strict=True))


def _moment(case: tuple) -> tuple:
    """`clock_moment` of a kept case."""
    return case[2], case[3], case[4]


class OpenCases:
    """The index of open cases, by shard, place and problem id; `seq` the journal revision it is up to,
    `days` the local day each daily event was last sent for."""

    def __init__(self) -> None:
        self.forget()

    def forget(self) -> None:
        """Drop what is kept: the next round reads the shards again."""
        self.shards: list[dict[str, tuple]] = [{} for _ in range(SHARDS)]  # "layer/id" -> the place's cases
        self.seq = 0
        self.days: dict[str, str] = {}
        self.token: str | None = None
        self._saved: tuple[int, dict] | None = None  # the seq and days of the cursor last written
        self._dirty: set[int] = set()
        self._look: set[tuple[str, str]] = set()  # (place, problem id) to look at in this round
        self._stale: list[str] = []  # records of `CASES` that are no shard of this count: deleted at the save
        self._count = 0  # the entries
        self._wakes: list[tuple[int, str, str]] = []  # (instant in µs, place, problem id), a heap; an item of a
        # case that changed or closed since stays until its time, and then has it looked at once for nothing

    def __len__(self) -> int:
        return self._count

    def entries(self) -> Iterator[dict]:
        for shard in self.shards:
            for kept in shard.values():
                for case in _cases(kept):
                    yield _entry(kept, case)

    def current(self, cursor: dict | None) -> bool:
        """Whether what is kept is what the store has: the cursor is the one this index wrote or read last."""
        return self.token is not None and cursor is not None and cursor.get("token") == self.token

    # --- where it comes from ----------------------------------------------------------------------------------
    def build(self, store: Store, campaign: Campaign, seq: int, days: dict) -> None:
        """From every place as it is (the first round, a restored store): every shard is written at the save."""
        self.forget()
        self.seq, self.days = seq, dict(days)
        for layer in store.readable_layers():
            for feature in store.each_feature(layer.id):
                self.put_place(layer.id, feature["id"], feature, campaign)
        self._dirty = set(range(SHARDS))
        self._stale = [key for key in store.record_keys(CASES) if not (key.isdigit() and int(key) < SHARDS)]

    def load(self, store: Store, cursor: dict) -> None:
        """From the shards the cursor goes with (or from the index an earlier version's cursor held whole, with
        the clock's events it had told of each case as `fired` ids)."""
        self.forget()
        self.seq, self.days = cursor["seq"], dict(cursor.get("days") or {})
        keys = store.record_keys(CASES)
        shards = {str(n) for n in range(SHARDS)}  # their keys
        self._stale = [key for key in keys if key not in shards or "cases" in cursor]  # deleted at the save
        if "cases" in cursor:
            fired = cursor.get("fired") or {}
            places: dict[str, list[tuple[dict, int]]] = {}
            for key, entry in cursor["cases"].items():
                places.setdefault(f"{entry['layer']}/{entry['fid']}", []).append(
                    (entry, _told_by(entry, set(fired.get(key) or ()))))
            for place, entries in places.items():
                self.shards[shard_of(place)][place] = _kept_place(entries)
            self._dirty = set(range(SHARDS))
        else:
            for key in sorted(shards.intersection(keys), key=int):
                for place, pids in ((store.record(CASES, key) or {}).get("places") or {}).items():
                    n = shard_of(place)
                    if n != int(key):  # kept in another shard by another count of shards: moved at the save
                        self._dirty |= {n, int(key)}
                    if pids:
                        self.shards[n][place] = _kept_place([({**entry, "pid": pid}, int(entry.get("told") or 0))
                                                             for pid, entry in pids.items()])
        self._count = sum(len(_cases(kept)) for shard in self.shards for kept in shard.values())
        self._saved = (self.seq, dict(self.days))
        self.token = cursor.get("token")  # what is kept is now what that cursor goes with
        self._look = {(place, case[0]) for shard in self.shards for place, kept in shard.items()
                      for case in _cases(kept)}

    # --- kept in step ---------------------------------------------------------------------------------------
    def put_place(self, layer: str, fid: str, feature: dict | None, campaign: Campaign) -> None:
        """The place's entries from its image `feature` (None: deleted): all of them replaced, so a case the
        place lost outside the journal (a repair, a layer file saved by another program) goes too. A case at
        the same moment as before keeps what was told of it."""
        place = f"{layer}/{fid}"
        n = shard_of(place)
        old = self.shards[n].pop(place, None)
        entries: dict[str, tuple[dict, int]] = {}  # by problem id (one written twice: the last, as the store's)
        for problem in ((feature or {}).get("properties") or {}).get("problems") or ():
            if not isinstance(problem, dict) or not problem.get("id"):
                continue
            entry = case_entry(layer, feature, problem, campaign)
            if entry is None:
                continue
            before = _case(old, problem["id"])
            same = before is not None and _moment(before) == clock_moment(entry)
            entries[problem["id"]] = (entry, before[-1] if same else 0)
        new = _kept_place(list(entries.values())) if entries else None
        if new is not None:
            self.shards[n][place] = new
            same_place = old is not None and old[:len(HEAD)] == new[:len(HEAD)]  # (else every case's texts changed)
            kept_before = {case[0]: case for case in _cases(old)} if same_place else {}
            for case in _cases(new):
                if kept_before.get(case[0]) != case:
                    self._look.add((place, case[0]))
        self._count += len(_cases(new) if new else ()) - len(_cases(old) if old else ())
        if new != old:
            self._dirty.add(n)

    def clock(self, campaign: Campaign, now: datetime, at: str, *, tell: bool = True) -> list[Event]:
        """The clock's new events at `now` of the entries whose wake has come or that changed (`tell` False:
        noted as told, none returned — the first round tells nothing of what happened before it)."""
        stamp = _micros(now)
        while self._wakes and self._wakes[0][0] <= stamp:
            _, place, pid = heapq.heappop(self._wakes)
            self._look.add((place, pid))
        out: list[Event] = []
        for place, pid in sorted(self._look):
            n = shard_of(place)
            kept = self.shards[n].get(place)
            case = _case(kept, pid)
            if case is None:
                continue
            entry = _entry(kept, case)
            events = clock_events(entry, campaign, now, at)
            new = [e for e in events if clock_rank(e) > entry["told"]]
            if new:
                told = (*case[:-1], max(clock_rank(e) for e in new))
                self.shards[n][place] = tuple(told if c is case else c for c in kept)
                self._dirty.add(n)
                if tell:
                    out += new
            self._wake_after(entry, place, pid, now, campaign)
        self._look.clear()
        if len(self._wakes) > 2 * self._count + 1024:  # mostly stale items: made again from the entries
            self._wakes = []
            for shard in self.shards:
                for place, kept in shard.items():
                    for case in _cases(kept):
                        self._wake_after(_entry(kept, case), place, case[0], now, campaign, heap=False)
            heapq.heapify(self._wakes)
        return out

    def _wake_after(self, entry: dict, place: str, pid: str, now: datetime, campaign: Campaign, *,
                    heap: bool = True) -> None:
        wake = next((w for w in clock_wakes(entry, campaign) if w > now), None)
        if wake is not None:
            item = (_micros(wake), place, pid)
            if heap:
                heapq.heappush(self._wakes, item)
            else:
                self._wakes.append(item)

    # --- written back ---------------------------------------------------------------------------------------
    def save(self, store: Store, cursor_kind: str, cursor_key: str, started_from: str | None) -> bool:
        """Write the shards that changed, then the cursor (only what changed: a quiet round writes nothing) — if the
        cursor is still the one this round started from (its token `started_from`; None: there was none). Another
        process that led meanwhile (a lost lock's holder still finishing its round) wrote its own: then nothing is
        written, what this process keeps is forgotten, and False is answered. The cursor's lock is held from the
        check to the cursor's write, so two rounds' shards are never mixed."""
        if not (self._dirty or self._stale or self._saved != (self.seq, self.days)):
            return True
        with store.records_locked(cursor_kind):
            if (store.record(cursor_kind, cursor_key) or {}).get("token") != started_from:
                self.forget()
                return False
            with store.records_locked(CASES):
                for n in sorted(self._dirty):
                    if self.shards[n]:
                        places = {place: {case[0]: _entry(kept, case) for case in _cases(kept)}
                                  for place, kept in self.shards[n].items()}
                        store.put_record(CASES, str(n), {"places": places})
                    else:
                        store.delete_record(CASES, str(n))
                for key in self._stale:
                    store.delete_record(CASES, key)
            token = uuid.uuid4().hex
            store.put_record(cursor_kind, cursor_key, {"seq": self.seq, "days": self.days, "token": token,
                                                       "shards": SHARDS})
        self.token, self._saved = token, (self.seq, dict(self.days))
        self._dirty.clear()
        self._stale = []
        return True


def _told_by(entry: dict, fired: set[str]) -> int:
    """How far along the clock an earlier version had told of the case at its present moment, from the ids of
    the clock's events it kept as fired (so an upgrade tells nobody again)."""
    moment = clock_key(entry)
    if event_id("case_escalated", f"{moment}/district") in fired:
        return 3
    if event_id("case_overdue", moment) in fired or event_id("case_escalated", f"{moment}/street") in fired:
        return 2
    return 1 if event_id("case_due_soon", moment) in fired else 0
