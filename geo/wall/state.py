"""The wall's *state*: per place, only its status and the flags derived from it, kept between revisions.

A place's state is `[status, overdue 0/1, overnight 0/1, open problems,
overdue problems, [open categories], escalated 1/2]` (the category list is
left out when empty and nothing follows it; escalated, 1 to the sub-district
or 2 to the district, is left out when no open case is escalated):
`FeatureState.as_row`. `StateKey` is everything a screen's state
depends on, and its ETag. `LayerState` keeps one layer's states in store
order with the sums a legend shows, the packed columns and the serialised
blocks, so that a new revision re-derives and re-serialises only what its
changes touched; `FullState` is every layer's, on the `Basis` it was built
on (geo/wall/catchup.py brings it up to date). geo/wall/data.py answers
screens with it.
"""

from __future__ import annotations

import re
import zlib
from array import array
from collections.abc import Container, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import compress

import numpy as np

from geo.bulk import collector_paused
from geo.cases.stats import place_escalation
from geo.config import Campaign
from geo.geojson_io import dumps
from geo.kept import interned, shared
from geo.rules import local_now, place_past_deadline, problem_is_open, problem_overdue, problem_overnight
from geo.wall.catchup import Basis, Flips
from geo.wall.codec import pack_ids


@dataclass(frozen=True)
class FeatureState:
    status: str
    overdue: bool
    overnight: bool
    open_problems: int
    overdue_problems: int = 0
    categories: tuple[int, ...] = ()  # indices into campaign.categories of the open problems
    escalated: int = 0  # an open case escalated: 1 to the sub-district, 2 to the district (geo/cases/stats.py)

    def as_row(self) -> tuple:
        """The place's state as a screen gets it (an array in JSON), one object for equal states: a layer keeps
        one per place and most places' are alike (geo/kept.py)."""
        out = (self.status, int(self.overdue), int(self.overnight), self.open_problems, self.overdue_problems)
        if self.categories or self.escalated:
            out += (self.categories,)
        if self.escalated:
            out += (self.escalated,)
        return shared(out)


def feature_state(props: dict, campaign: Campaign, now: datetime, category_index: dict[str, int] | None = None) -> FeatureState:
    """A place's status and derived flags at `now`."""
    index = category_index if category_index is not None else {c: i for i, c in enumerate(campaign.categories)}
    return local_feature_state(props, campaign, local_now(campaign, now), index)


def local_feature_state(props: dict, campaign: Campaign, now_l: datetime, index: dict[str, int]) -> FeatureState:
    """`feature_state` at a local time `now_l`, with the campaign's category indices (the hot path)."""
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
        status=interned(props.get("status")), overdue=overdue_n > 0 or place_past_deadline(props, campaign, today), overnight=overnight,
        open_problems=open_n, overdue_problems=overdue_n, categories=tuple(sorted(categories)),
        escalated=place_escalation(props, campaign, now_l) if open_n else 0,
    )


@dataclass(frozen=True)
class StateKey:
    """Everything a screen's state depends on.

    `revision`: every change up to it is in the layer files as read (a
    write lands in the journal a moment before its layer file); `head`: the
    journal's last change; `day` and `after_cutoff`: the local date and
    whether the overnight cut-off has passed, and `moment`: the last moment
    at which a case ran overdue or escalated (POSIX seconds, 0 for none:
    geo/wall/catchup.py `Flips.latest`), which change derived flags without
    any write; `layers`: each readable layer's revision, read with `head`.

    The ETag's last part (`clock_part`) is what no delta can bridge: the day, the cut-off, the case moment and
    which layers are read (`l` and the CRC-32 of their ids). A layer withheld or put right by hand changes no
    revision, yet the state then holds a layer less or more: a screen's poll gets the full state, not a 304."""

    revision: int
    head: int
    day: str
    after_cutoff: bool
    moment: int = 0
    layers: tuple[tuple[str, int], ...] = ()  # the readable layers' revisions, as read with `head`

    @property
    def etag(self) -> str:
        return (f"s{self.revision}-{self.head}-{self.day.replace('-', '')}{int(self.after_cutoff)}"
                + (f"m{self.moment}" if self.moment else "")
                + f"l{zlib.crc32(' '.join(layer for layer, _ in self.layers).encode()):08x}")

    @staticmethod
    def clock_part(etag: str | None) -> str | None:
        """The day, cut-off, case moment and layers part of an ETag this module made (None if it is not one)."""
        if not etag or not etag.startswith("s"):
            return None
        tail = etag.rsplit("-", 1)
        return tail[1] if len(tail) == 2 and _CLOCK.fullmatch(tail[1]) else None



_CLOCK = re.compile(r"[0-9]{9}(m[0-9]+)?l[0-9a-f]{8}")
COLUMNS = ("status", "flags", "open", "overdue_problems", "categories")  # a packed state's columns, in order
# each number column kept as an array of machine integers (a list holds 8 bytes a place; at a million places the
# four took 32 MB as lists, 11 as arrays): status index (-1: unknown) as 16 bits (a campaign's statuses are not
# counted out), flags as a byte (at most 11), the counts as 32 bits
_TYPECODES = {"status": "h", "flags": "b", "open": "i", "overdue_problems": "i"}
BLOCK = 4096  # places per serialised block of a layer's state: what one edit serialises again
MERGE_AT = 1024  # places new since a layer's positions were sorted that are merged in whatever the layer's size
id_hash = hash  # what a layer's positions sort ids by (any function of the id: ids of equal hashes are told apart)


class Positions:
    """Each place's position in a layer's lists, by id, without a dict entry and an int object per place (at a
    million places 56 MB): the places there when it was last sorted are found by their ids' hashes, sorted in an
    array beside their positions (12 bytes a place), the id at a position read from the layer's own list of ids;
    those that came since are in a dict, merged in once they are a quarter as many. A place taken out leaves its
    position in the array: its id is no longer at it (a gap), so it is not found."""

    __slots__ = ("_hashes", "_at", "_new")

    def __init__(self) -> None:
        self._hashes = np.empty(0, np.int64)  # sorted
        self._at = np.empty(0, np.int32)  # the position of each hash's place
        self._new: dict[str, int] = {}

    def get(self, fid: str, fids: list[str | None]) -> int | None:
        """`fid`'s position in `fids` (the layer's ids by position, None at a gap), or None."""
        at = self._new.get(fid)
        if at is not None or not len(self._hashes):  # (a layer being built: every place is new)
            return at
        h = id_hash(fid)
        i = int(np.searchsorted(self._hashes, h))
        while i < len(self._hashes) and self._hashes[i] == h:  # (ids of equal hashes side by side)
            at = int(self._at[i])
            if fids[at] == fid:
                return at
            i += 1
        return None

    def add(self, fid: str, at: int) -> None:
        """A place new at position `at`."""
        self._new[fid] = at
        if len(self._new) > max(MERGE_AT, len(self._hashes) // 4):
            self._merge()

    def discard(self, fid: str) -> None:
        """A place taken out (its position in `fids` now a gap)."""
        self._new.pop(fid, None)

    def rebuild(self, fids: list[str | None]) -> None:
        """Every position anew, from `fids` (no gaps: the lists' gaps closed)."""
        hashes = np.fromiter(map(id_hash, fids), np.int64, len(fids))
        order = np.argsort(hashes, kind="stable")
        self._hashes, self._at, self._new = hashes[order], order.astype(np.int32), {}

    def _merge(self) -> None:
        new = self._new
        hashes = np.concatenate((self._hashes, np.fromiter(map(id_hash, new), np.int64, len(new))))
        at = np.concatenate((self._at, np.fromiter(new.values(), np.int32, len(new))))
        order = np.argsort(hashes, kind="stable")  # (two sorted runs: merged in linear time)
        self._hashes, self._at, self._new = hashes[order], at[order], {}


class LayerState:
    """One layer's part of the full state, kept between revisions: each place's state (`FeatureState.as_row`)
    and last change (`updated_at`) in store order and the sums a legend shows; once asked for, the packed columns
    and the serialised blocks of places (kept until a place in them changes).

    A place has a position: its id, state and last change are at it in three lists (`Positions` finds it), so a
    place costs 12 bytes of an array and three list slots (at a million places, a dict for each of the three was
    40 MB more, and a dict of positions 44 MB more).
    A place taken out leaves a gap, closed when the columns are next asked for (every place after it moves up,
    so they and the blocks are made again) or once gaps are more than half the lists."""

    def __init__(self, status_index: dict[str, int]) -> None:
        self.status_index = status_index
        self._pos = Positions()  # each place's position in the lists below
        self._fids: list[str | None] = []  # by position, in store order; None: a gap (a place taken out)
        self._items: list[tuple | None] = []
        self._updated: list[str | None] = []  # updated_at of each place, for `as_of`
        self._gaps = 0
        self.counts: dict[str, int] = {}  # places per status (none at zero)
        self.overdue_places = self.overdue_problems = self.overnight = self.escalated = 0
        self._latest = ""
        self._latest_stale = False  # the place that was latest changed back or left: look again when asked
        self._columns: dict[str, list | array] | None = None  # the packed columns, by position: built when asked,
        # no gaps
        self._ids: list[str] | dict | None = None
        self._blocks: dict[tuple[str, int], bytes] = {}  # (column, or "features"; block number) -> its values

    def __contains__(self, fid: str) -> bool:
        return self._pos.get(fid, self._fids) is not None

    def places(self) -> Iterator[tuple[str, tuple]]:
        """(id, state) of each place, in store order."""
        return ((fid, item) for fid, item in zip(self._fids, self._items, strict=True) if fid is not None)

    def stamps(self) -> Iterator[str]:
        """Each place's last change (`updated_at`), in store order."""
        return (u for fid, u in zip(self._fids, self._updated, strict=True) if fid is not None)

    def set(self, fid: str, item: tuple, updated: str) -> None:
        """A place's state: in its place if known, else last (a place created since)."""
        at = self._pos.get(fid, self._fids)
        if at is None:
            old = was = None
            at = len(self._fids)
            self._fids.append(fid)
            self._pos.add(fid, at)
            self._items.append(item)
            self._updated.append(updated)
        else:
            old, was = self._items[at], self._updated[at]
            self._count(old, -1)
            self._items[at], self._updated[at] = item, updated
        self._count(item, 1)
        if updated >= self._latest:
            self._latest, self._latest_stale = updated, False
        elif was == self._latest:
            self._latest_stale = True
        if self._columns is None:
            return
        if old is None:  # (columns are kept only without gaps: the new position is the columns' next)
            self._ids = None
            for name, value in zip(COLUMNS, self._row(item), strict=True):
                self._columns[name].append(value)
        else:
            for name, value in zip(COLUMNS, self._row(item), strict=True):
                self._columns[name][at] = value
        block = at // BLOCK
        for name in (*COLUMNS, "features"):
            self._blocks.pop((name, block), None)

    def remove(self, fid: str) -> None:
        at = self._pos.get(fid, self._fids)
        if at is None:
            return
        self._pos.discard(fid)
        self._count(self._items[at], -1)
        if self._updated[at] == self._latest:
            self._latest_stale = True
        self._fids[at] = self._items[at] = self._updated[at] = None
        self._gaps += 1
        self._columns, self._ids = None, None  # every place after it moves: made again when next asked
        self._blocks.clear()
        if 2 * self._gaps > len(self._fids):
            self._close_gaps()

    def latest(self) -> str:
        if self._latest_stale:
            self._latest = max((u for u in self._updated if u is not None), default="")
            self._latest_stale = False
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
        self.escalated += sign * (len(item) > 6)

    def _row(self, item: tuple) -> tuple:
        return (self.status_index.get(item[0], -1), item[1] | item[2] << 1 | (item[6] if len(item) > 6 else 0) << 2,
                item[3], item[4], item[5] if len(item) > 5 and item[5] else 0)

    def _close_gaps(self) -> None:
        kept = [i for i, fid in enumerate(self._fids) if fid is not None]
        self._fids = [self._fids[i] for i in kept]
        self._items = [self._items[i] for i in kept]
        self._updated = [self._updated[i] for i in kept]
        self._pos.rebuild(self._fids)
        self._gaps = 0

    def _positions(self) -> list[str]:
        """The ids in store order, the columns made if they are not (no gaps then: a position is a column's
        index)."""
        if self._columns is None:
            if self._gaps:
                self._close_gaps()
            with collector_paused():  # a row per place, all kept
                rows = [self._row(v) for v in self._items]
                self._columns = {name: _column(name, [r[i] for r in rows]) for i, name in enumerate(COLUMNS)}
            self._blocks.clear()
        return self._fids

    def packed_ids(self) -> list[str] | dict:
        if self._ids is None:
            order = self._positions()
            ids = pack_ids(order)
            self._ids = list(ids) if ids is order else ids  # replaced, never changed in place: shared safely (the
            # ids' own list changes in place)
        return self._ids

    def packed(self) -> dict:
        """The layer's places as columns (copies: the state moves on)."""
        ids = self.packed_ids()
        return {"ids": ids, **{name: list(self._columns[name]) for name in COLUMNS}}

    def snapshot(self, *, packed: bool) -> tuple[list, dict | list]:
        """Copies of the ids and the packed columns (`packed`), or of the ids and the places' states (gaps as None),
        to be cut to a scope (`kept_places`) once the lock the state is read under is let go: each list copied at
        C speed, where cutting a million places took a tenth of a second a layer, and polls wait for that lock."""
        if packed:
            order = self._positions()
            return list(order), {name: self._columns[name][:] for name in COLUMNS}
        return self._fids[:], self._items[:]

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
                    block = dumps(dict(zip(order[b:b + BLOCK], self._items[b:b + BLOCK], strict=True)))[1:-1]
                else:
                    block = dumps(list(self._columns[name][b:b + BLOCK]))[1:-1]
                block = self._blocks[(name, b // BLOCK)] = b"," + block if b else block
            out.append(block)
        return out


def kept_places(snapshot: tuple[list, dict | list], keep: Container[str], *, packed: bool) -> dict:
    """A layer's places in a `LayerState.snapshot` with only those whose ids `keep` holds: as a packed state's
    layer writes them (ids and columns), or their states by id."""
    ids, values = snapshot
    kept = list(map(keep.__contains__, ids))  # (in C: 100 ms at a million places, a comprehension 130–190)
    if not packed:
        return {"features": dict(compress(zip(ids, values, strict=True), kept))}
    return {"ids": pack_ids(list(compress(ids, kept))), **{name: list(compress(values[name], kept)) for name in COLUMNS}}


def _column(name: str, values: list) -> list | array:
    code = _TYPECODES.get(name)
    return array(code, values) if code else values


@dataclass
class FullState:
    basis: Basis
    layers: dict[str, LayerState]
    flips: Flips = field(default_factory=Flips)  # the places' case moments (geo/wall/catchup.py)
    derived_at: int = 0

