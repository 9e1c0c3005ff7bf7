"""Progress against the plan kept between revisions: the milestones and the estimated finish of a wall screen.

`geo/progress.py` answers `milestones` and `finish_estimates` from scratch by
replaying the whole journal (back to each past milestone, and to the start of
the pace's days) — seconds of work on a long campaign, and a wall asks again
whenever the revision moves. `ProgressData` (one per process, on the app's
context) keeps instead, per place, its share of the answer:

* its status steps (geo/progress.py `status_steps`: the day it entered and
  left each status), summed over every place the journal or a layer knows —
  places per status at the end of any past day are a sum over these steps,
  and a past day's sum no longer moves, because new changes count for today;
* its sub-district, whether it is done now and whether it was done at the end
  of the day `pace_days` days ago, tallied per sub-district.

A new revision re-derives only the places its changes touched (from the
place's own journal entries and what the store holds now); a new day or
cut-off, another journal or a restored layer file builds it all again — the
loop is geo/wall/catchup.py's `CatchUp`, as the wall state and the dashboard.
The answers are `milestones`, `finish_estimates` and `timeline` from scratch,
for the readable layers (tests/test_progress_kept.py compares them after
random edits on both stores).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from typing import NamedTuple

from geo.config import Campaign
from geo.journal import ChangeSummary
from geo.kept import PlaceMap, interned, shared
from geo.progress import (
    NO_STREET,
    Share,
    add_to_journal,
    done_of,
    estimates,
    plan,
    readable_places,
    status_at,
    status_history,
    status_steps,
    timeline_of,
)
from geo.store.base import Store
from geo.wall.catchup import Basis, CatchUp, Flips


class _Place(NamedTuple):
    """One place's share of the answer (`street` None: it does not stand now, only its past counts)."""

    street: str | None
    done_now: bool
    done_then: bool  # at the end of the day `pace_days` days ago
    steps: tuple  # (day, status, +1/-1)


class _Index:
    """Every place's share as of one basis, and their sums."""

    def __init__(self, basis: Basis, now_l: datetime) -> None:
        self.basis = basis
        self.flips = Flips()  # (nothing here turns with the clock between two days)
        self.derived_at = 0
        self.today: date = now_l.date()
        self.journal: dict[tuple[str, str], list[ChangeSummary]] = {}
        self.places: PlaceMap[_Place] = PlaceMap()
        self.steps: Counter = Counter()  # (day, status) → net places, over every place
        self.tallies: dict[str, list[int]] = {}  # street → [places, done now, done then]

    def share_now(self) -> Share:
        total = sum(x[0] for x in self.tallies.values())
        done = sum(x[1] for x in self.tallies.values())
        return total, done, (done / total if total else 0.0)

    def share_at(self, day: date, campaign: Campaign) -> Share:
        """Places and places done at the end of `day` (before today: it no longer moves)."""
        counts: Counter = Counter()
        for (when, status), k in self.steps.items():
            if when is None or when <= day:
                counts[status] += k
        total = sum(counts.values())
        done = done_of(counts, campaign)
        return total, done, (done / total if total else 0.0)


class ProgressData(CatchUp[_Index]):
    """One process's milestones and estimated finish of one store, kept between revisions (see the module's
    docstring); `get` answers as `/api/progress/milestones` does."""

    def __init__(self, store: Store, campaign: Campaign) -> None:
        super().__init__(store, campaign)

    def get(self, revision: int, now: datetime) -> dict:
        """`milestones` with its `estimates` (`finish_estimates`), at `revision` (the journal's changes up to
        it) and `now`."""
        with self._catch_up_lock:
            index = self.catch_up(revision, now)
            return {**plan(self.campaign, index.today, index.share_now(),
                           lambda day: index.share_at(day, self.campaign)),
                    "estimates": estimates(self.campaign, index.today, index.tallies)}

    def timeline(self, revision: int, now: datetime, first: date, last: date) -> dict:
        """Places per status at the end of each day from `first` to `last`, as `/api/timeline` answers (geo/progress.py
        `timeline` from scratch): from the steps kept, without a walk of the places."""
        with self._catch_up_lock:
            index = self.catch_up(revision, now)
            return timeline_of(index.steps, self.campaign, first, last)

    # --- keeping the shares ------------------------------------------------------------
    def _build(self, basis: Basis, now_l: datetime) -> _Index:
        index = _Index(basis, now_l)
        index.journal, places = readable_places(self.store, basis.revision)
        for key, props in places:
            self._put(index, key, props)
        for key in index.journal:
            if key not in index.places:  # deleted since: its past still counts
                self._put(index, key, None)
        return index

    def _apply(self, index: _Index, changes: list[ChangeSummary], now_l: datetime) -> None:
        touched = add_to_journal(index.journal, changes, {layer_id for layer_id, _ in index.basis.layers})
        features = self._read(touched)
        for key in touched:
            self._take(index, key)
            self._put(index, key, features[key]["properties"] if key in features else None)

    def _rederive(self, index: _Index, keys: list[tuple[str, str]], now_l: datetime) -> None:
        """Nothing here changes with a case's moments (`flips` stays empty)."""

    def _take(self, index: _Index, key: tuple[str, str]) -> None:
        old = index.places.pop(key, None)
        if old is None:
            return
        for day, status, step in old.steps:
            index.steps[(day, status)] -= step
            if not index.steps[(day, status)]:
                del index.steps[(day, status)]
        if old.street is not None:
            tally = index.tallies[old.street]
            tally[0] -= 1
            tally[1] -= old.done_now
            tally[2] -= old.done_then
            if not tally[0]:
                del index.tallies[old.street]

    def _put(self, index: _Index, key: tuple[str, str], props: dict | None) -> None:
        changes = index.journal.get(key, [])
        if props is None and not changes:
            return
        done = self.campaign.done_statuses
        status = interned(props.get("status")) if props is not None else None
        events = status_history(changes, self.campaign, index.today, status)
        place = shared(_Place(None if props is None else interned(props.get("street")) or NO_STREET,  # most are alike
                              status in done,
                              status_at(events, index.today - timedelta(days=self.campaign.pace_days)) in done,
                              shared(tuple(status_steps(events)))))
        index.places[key] = place
        for day, s, step in place.steps:
            index.steps[(day, s)] += step
        if place.street is not None:
            tally = index.tallies.setdefault(place.street, [0, 0, 0])
            tally[0] += 1
            tally[1] += place.done_now
            tally[2] += place.done_then
