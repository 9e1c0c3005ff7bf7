"""The case queues of every readable place, kept between revisions: what /cases, /api/cases and a phone's
queue answer from without walking the campaign.

Listing the cases walked every place and made a full row of each of their cases, for every request: at 100,000
places (183,430 cases) the whole list took 12 s, one queue's count 0.9 s, and the cases page asked for both
and the list once more. `CaseIndex` (one per process) keeps, per place, what a queue is filtered and ordered
by — its sub-district, community and unit, and per case its stage, urgency, unit, handler, dispatcher,
reporter and due — and brings it up to date from the journal as the dashboard does (geo/wall/catchup.py
`CatchUp`: a new revision looks again at the places changed since; nothing kept depends on the day, so it is
built once per process). A request
filters those entries, orders them (escalated, overdue, due, urgency, place, problem: geo/cases/queues.py's
order), and reads again only the places of the page it answers, whose rows are made as `case_row` makes
them. Whether a stage is overdue or escalated is taken at the request's time, from the kept due (when a due
reaches the district is worked out once per due and kept with the index).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from geo.cases.deadlines import OPEN_STAGES, instant
from geo.cases.escalation import district_at
from geo.cases.model import case_of
from geo.cases.queues import QUEUES, case_row, in_queue
from geo.config import Campaign
from geo.kept import interned
from geo.store.base import Store
from geo.wall.catchup import PerPlace, PlaceEntries

if TYPE_CHECKING:
    from geo.accounts import Principal


class CaseEntry(NamedTuple):
    """One case as a queue filters and orders it."""

    pid: str | None
    index: int  # the problem's place in the place's ledger
    stage: str
    urgency: str | None
    unit: str | None
    handler: str | None
    dispatcher: str | None
    reported_by: str | None
    stage_due: str | None  # as the case says it
    due: datetime | None  # that instant (None: no due, or not an open stage)

    def fields(self) -> dict:
        """The case's fields a queue looks at (geo/cases/queues.py `in_queue`)."""
        return {"stage": self.stage, "unit": self.unit, "handler": self.handler, "dispatcher": self.dispatcher,
                "reported_by": self.reported_by}


class PlaceEntry(NamedTuple):
    """One place's cases, and what of the place a queue looks at."""

    street: str | None
    community: str | None
    unit: str | None
    cases: tuple[CaseEntry, ...]

    def fields(self) -> dict:
        """The place's properties a queue looks at (a scope's sub-districts, communities and units)."""
        return {"street": self.street, "community": self.community, "unit": self.unit}


class Query(NamedTuple):
    """A listing's filters (`case_rows`' keywords)."""

    principal: Principal | None = None
    queue: str | None = None
    stage: str | None = None
    street: str | None = None
    community: str | None = None
    unit: str | None = None
    overdue: bool | None = None
    escalated: bool | None = None


def place_entry(props: dict, campaign: Campaign) -> PlaceEntry | None:
    """What the index keeps of a place: None when it has no case."""
    cases = []
    for i, problem in enumerate(props.get("problems") or ()):
        if not isinstance(problem, dict):
            continue
        case = case_of(problem, campaign)
        stage = case.get("stage")
        cases.append(CaseEntry(
            interned(problem.get("id")), i, interned(stage), interned(case.get("urgency")), interned(case.get("unit")),
            interned(case.get("handler")), interned(case.get("dispatcher")), interned(case.get("reported_by")),
            interned(case.get("stage_due")), _instant(case.get("stage_due")) if stage in OPEN_STAGES else None))
    if not cases:
        return None
    return PlaceEntry(interned(props.get("street")), interned(props.get("community")), interned(props.get("unit")),
                      tuple(cases))


@lru_cache(maxsize=65536)
def _instant(text: str | None) -> datetime | None:
    """`instant`, one object for equal dues: most cases of a campaign fall due at the end of a few hundred days.
    A due that cannot be read (a file edited by hand) is no due: that case is never overdue here, and only its own
    row, made from the place, says what is wrong."""
    try:
        return instant(text)
    except (TypeError, ValueError):
        return None


class CaseIndex(PerPlace[PlaceEntries]):
    """One process's case queues of one store (see the module's docstring). Nothing kept depends on the clock:
    overdue and escalated are taken per request, from the kept dues."""

    def __init__(self, store: Store, campaign: Campaign) -> None:
        super().__init__(store, campaign)
        self.layer_order = {x.id: i for i, x in enumerate(campaign.layers)}  # ties of one place id: the layers' order
        self.factors = {u.key: u.factor for u in campaign.cases.urgencies}
        self.unknown_factor = campaign.cases.urgencies[0].factor  # an unknown urgency reads as the first (`case_row`)

    def listing(self, revision: int, now: datetime, query: Query, limit: int | None = None,
                offset: int = 0) -> tuple[list[dict], int]:
        """The rows of the cases matching `query` at `revision`, most urgent first, from `offset` (`limit` of
        them, or all), and how many match in all."""
        if query.queue is not None and (query.queue not in QUEUES or query.principal is None):
            raise ValueError(query.queue)
        with self._catch_up_lock:
            kept = self.catch_up(revision, now)
            matched = 0

            def counted() -> Iterator[tuple]:  # (the keys are not all kept: only the page's)
                nonlocal matched
                for key in self._matching(kept, query, now):
                    matched += 1
                    yield key

            chosen = sorted(counted()) if limit is None else heapq.nsmallest(offset + limit, counted())
            page = [(key[7], key[4], key[5], key[8]) for key in chosen[offset:]]  # (layer, place, problem, index)
        return self._rows(page, now), matched

    def counts(self, revision: int, now: datetime, principal: Principal) -> dict[str, int]:
        """How many cases wait in each of the person's queues."""
        out = dict.fromkeys(QUEUES, 0)
        with self._catch_up_lock:
            kept = self.catch_up(revision, now)
            for place in kept.places.values():
                props = None
                for case in place.cases:
                    if case.stage == "closed" and case.dispatcher is None:
                        continue  # in no queue
                    props = props or place.fields()
                    fields = case.fields()
                    for queue in QUEUES:
                        out[queue] += in_queue(queue, principal, props, fields)
        return out

    def choices(self, revision: int, now: datetime) -> dict[str, list[str]]:
        """The sub-districts, communities and units the cases name (a case's unit and its place's): what the
        filters offer."""
        streets, communities, units = set(), set(), set()
        with self._catch_up_lock:
            kept = self.catch_up(revision, now)
            for place in kept.places.values():
                streets.add(place.street)
                communities.add(place.community)
                units.add(place.unit)
                units.update(case.unit for case in place.cases)
        return {"streets": sorted(filter(None, streets)), "communities": sorted(filter(None, communities)),
                "units": sorted(filter(None, units))}

    # --- answering ------------------------------------------------------------------------
    def _matching(self, kept: PlaceEntries, q: Query, now: datetime) -> Iterator[tuple]:
        """Each matching case's sort key — escalated to the district, then the sub-district, overdue, then by due,
        urgency, place and problem, then the layers' order — ending with its layer and the problem's index."""
        for (layer_id, fid), place in kept.places.items():
            if (q.street and place.street != q.street) or (q.community and place.community != q.community):
                continue
            props = None
            for case in place.cases:
                if q.stage and case.stage != q.stage:
                    continue
                if q.unit and q.unit not in (case.unit, place.unit):
                    continue
                if q.queue:
                    props = props or place.fields()
                    if not in_queue(q.queue, q.principal, props, case.fields()):
                        continue
                overdue = case.due is not None and now > case.due
                if (q.overdue is not None and overdue != q.overdue) or \
                        (q.escalated is not None and overdue != q.escalated):  # escalated: its stage is overdue
                    continue
                # escalated to the district (at `district_at` of its due: geo/cases/escalation.py), else to the street
                rank = (-2 if now >= district_at(case.due, self.campaign) else -1) if overdue else 1
                yield (rank, not overdue, case.stage_due or "9999", self.factors.get(case.urgency, self.unknown_factor), fid,
                       case.pid or "", self.layer_order.get(layer_id, len(self.layer_order)), layer_id, case.index)

    def _rows(self, page: list[tuple[str, str, str, int]], now: datetime) -> list[dict]:
        """The page's rows, its places read again: each problem found by its id (at the index it had, or, after an
        edit of the place since, wherever it is now); a place or problem gone since is left out."""
        features = self._read((layer_id, fid) for layer_id, fid, _, _ in page)
        rows = []
        for layer_id, fid, pid, index in page:
            feature = features.get((layer_id, fid))
            problems = [p for p in ((feature or {}).get("properties") or {}).get("problems") or ()]
            if index < len(problems) and isinstance(problems[index], dict) and (problems[index].get("id") or "") == pid:
                problem = problems[index]
            else:
                problem = next((p for p in problems if isinstance(p, dict) and pid and p.get("id") == pid), None)
            if problem is not None:
                rows.append(case_row(layer_id, feature, problem, self.campaign, now))
        return rows

    def _entry(self, props: dict) -> PlaceEntry | None:
        return place_entry(props, self.campaign)


# --- from scratch --------------------------------------------------------------------------

def case_rows(store: Store, campaign: Campaign, now: datetime, *, principal: Principal | None = None,
              queue: str | None = None, stage: str | None = None, street: str | None = None,
              community: str | None = None, unit: str | None = None, overdue: bool | None = None,
              escalated: bool | None = None) -> list[dict]:
    """Every case (or `queue`'s, for `principal`) matching the filters, most urgent first: escalated to the
    district, then the sub-district, overdue, then by due time and urgency. `unit` matches the case's unit or
    the place's. From scratch (a process keeps its index: `CaseIndex`)."""
    query = Query(principal, queue, stage, street, community, unit, overdue, escalated)
    return CaseIndex(store, campaign).listing(store.revision(), now, query)[0]


def queue_counts(store: Store, campaign: Campaign, now: datetime, principal: Principal) -> dict[str, int]:
    """How many cases wait in each of the person's queues, from scratch."""
    return CaseIndex(store, campaign).counts(store.revision(), now, principal)
