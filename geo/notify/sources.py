"""Where events come from: the journal (a case dispatched or returned, a relapse) and the clock (a stage due
soon or overdue, an escalation, the morning digest, the daily report, today's inspection list drawn), turned
into `Event`s and emitted once.

`collect(store, campaign, now)` is what the sender runs on every tick before it delivers; it returns how
many new events it emitted. What it knows between ticks:

- the cursor, one small record `notify-cursor/journal`: `seq`, the journal revision read up to (each tick reads
  only the changes after it, `changes_since`, and the full entries, `change_entries`, only of those that
  touched a ledger or deleted a place); `days`, the local day each daily event was last sent for; `wakes`; `clock`; `token`;
- the index of open cases (geo/notify/open_cases.py), kept current from those same changes in the store, in
  shards, with each shard's earliest wake in the cursor: a tick reads and writes only the shards its changes
  touch and those whose wake has come, and keeps nothing in memory after it. The clock's events (临期, 逾期,
  升级督办) are computed from it, for the cases whose next wake has come, so a tick neither walks the layers nor
  looks at every open case.

`collect` holds the cursor's lock throughout: two processes' rounds never mix. A round whose lock was lost
meanwhile (its database connection dropped) and whose cursor another round has written since stops before its
next write (the cursor's `token`, written afresh each time).

Only the very first tick, with no cursor yet, reads every place to build the index, and it tells nothing of
what happened before it: neither the journal nor the clock (a campaign that starts its notifications with
thousands of overdue cases gets them in the morning digest, not one message each). So does a tick that finds
the journal behind the cursor (a store restored from a backup): it follows the journal from where it stands.

Events are emitted before the shards that told them and the cursor are written: a crash between makes the next
tick emit them again, and `emit` keeps each kind and key once, so nobody is told twice and nothing is lost.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import replace
from datetime import datetime

from geo.config import Campaign
from geo.errors import BrokenRecord, NotFound
from geo.inspections import load as load_list
from geo.journal import ChangeSummary
from geo.messages import t
from geo.notify.case_news import case_entry, step_event, where
from geo.notify.daily_news import digests, inspection_drawn, report_ready
from geo.notify.events import Event, emit_all
from geo.notify.open_cases import OpenCases, Superseded, stored_entries
from geo.store.base import Store, iso

CURSOR = "notify-cursor"
KEY = "journal"
JOURNAL_SLICE = 2000  # journal changes a round reads the images of at once
log = logging.getLogger(__name__)
_warned: set = set()  # days whose damaged list was logged
# what the index keeps of a place: its ledger, and the name, area and unit its cases' news say and are sent by
_PLACE_TEXTS = frozenset(("problems", "name", "street", "community", "unit"))


def _timeline(problem: dict | None) -> list:
    case = (problem or {}).get("case")
    return (case.get("timeline") or []) if isinstance(case, dict) else []


def _journal_events(store: Store, campaign: Campaign, changes: list[ChangeSummary],
                    images: list[tuple[str, str, dict | None]]) -> list[Event]:
    """The events of these changes (oldest first); the images of the places whose cases they may change are
    added to `images` (layer, id, feature or None), oldest first."""
    out: list[Event] = []
    relapse = campaign.inspections.relapse_status
    labels = {s.key: s.label for s in campaign.statuses}
    for c in changes:
        if c.op == "update" and c.status == relapse and c.status_before != relapse:
            out.append(Event(kind="relapse", key=f"{c.layer}/{c.id}/{c.at}", at=c.at, title="", text="",
                             data={"layer": c.layer, "fid": c.id, "status": c.status, "user": c.user}))
    touched = [c for c in changes if c.op in ("create", "delete") or not _PLACE_TEXTS.isdisjoint(c.changed)]
    for entry in store.change_entries(touched) if touched else []:
        after = entry.get("after")
        before_problems = {p.get("id"): p for p in ((entry.get("before") or {}).get("properties") or {})
                           .get("problems") or () if isinstance(p, dict)}
        for problem in (after or {}).get("properties", {}).get("problems") or ():
            if not isinstance(problem, dict):
                continue
            steps = _timeline(problem)
            known = len(_timeline(before_problems.get(problem.get("id"))))
            row = case_entry(entry["layer"], after, problem, campaign) if len(steps) > known else None
            for number, step in enumerate(steps[known:], start=known):
                event = step_event(step.get("action"), number, step.get("at") or entry["at"], row, campaign,
                                   note=step.get("note") or "") if row else None
                if event is not None:
                    out.append(event)
        images.append((entry["layer"], entry["id"], after))
    return [_with_place(store, campaign, e, labels) if e.kind == "relapse" else e for e in out]


def _with_place(store: Store, campaign: Campaign, event: Event, labels: dict[str, str]) -> Event:
    """A relapse event with the place's name, area, unit and link (read once, from the place as it is now)."""
    d = event.data
    try:
        props = store.get(d["layer"], d["fid"])["properties"]
    except NotFound:
        props = {}
    place = {"street": props.get("street"), "community": props.get("community")}
    name = props.get("name") or d["fid"]
    return replace(event, title=t("notify.ev.relapse.title", place=name),
                   text=t("notify.ev.relapse.text", place=name, where=where(place, campaign),
                          status=labels.get(d["status"], d["status"]), user=d["user"]),
                   link=f"/edit?layer={d['layer']}&id={d['fid']}", street=props.get("street"),
                   community=props.get("community"), unit=props.get("unit"))


def _daily_events(store: Store, campaign: Campaign, now: datetime, cases: OpenCases) -> list[Event]:
    at = iso(now)
    out: list[Event] = []
    local = now.astimezone(campaign.timezone)
    day = local.date()
    days = cases.days
    if local.time() >= campaign.notify.digest_at and days.get("digest") != day.isoformat():
        out += digests(stored_entries(store), campaign, now, day, at)
        days["digest"] = day.isoformat()
    if local.time() >= campaign.notify.daily_report_at and days.get("report") != day.isoformat():
        out.append(report_ready(day, at))
        days["report"] = day.isoformat()
    try:
        listing = load_list(store, day)
    except BrokenRecord as exc:  # every screen's banner names it (/api/health); the other news go on
        if day not in _warned:  # logged once, not every round
            _warned.add(day)
            log.warning("the inspection list of %s is not announced: %s", day.isoformat(), exc.message)
        listing = None
    if listing is not None and days.get("drawn") != f"{day.isoformat()}:{listing.get('seed')}":
        out.append(inspection_drawn(listing, at))
        days["drawn"] = f"{day.isoformat()}:{listing.get('seed')}"
    return out


def collect(store: Store, campaign: Campaign, now: datetime) -> int:
    """Emit the events that happened since the last call; the number emitted."""
    emitted = [0]
    with store.records_locked(CURSOR):
        try:
            _round(store, campaign, now, emitted)
        except Superseded:
            log.warning("another process's round of the notifications wrote their cursor meanwhile: this one stops")
    return emitted[0]


def _round(store: Store, campaign: Campaign, now: datetime, emitted: list[int]) -> None:
    cursor = store.record(CURSOR, KEY)
    token = (cursor or {}).get("token")
    revision = store.revision()

    def emit(events: list[Event]) -> None:
        emitted[0] += emit_all(store, events)

    def leading() -> bool:
        return (store.record(CURSOR, KEY) or {}).get("token") == token

    if cursor is None or cursor["seq"] > revision:  # the first tick, or another journal (a restore): from now
        started = time.perf_counter()
        cases = OpenCases.build(store, campaign, revision, (cursor or {}).get("days") or {}, now)
        log.info("the notifications' open cases read from every place in %.1f s", time.perf_counter() - started)
    else:
        cases = OpenCases.resume(store, campaign, cursor)
        changes = store.changes_since(cases.seq)
        for start in range(0, max(1, len(changes)), JOURNAL_SLICE):  # a backlog a slice at a time: its images
            part = changes[start:start + JOURNAL_SLICE]                # are whole places
            images: list[tuple[str, str, dict | None]] = []
            emit(_journal_events(store, campaign, part, images))
            cases.advance(images, now, iso(now), emit, leading)
            if part:
                cases.seq = part[-1].seq
    emit(_daily_events(store, campaign, now, cases))
    if cases.cursor() != {k: v for k, v in (cursor or {}).items() if k != "token"}:  # a quiet round writes nothing
        if not leading():
            raise Superseded
        store.put_record(CURSOR, KEY, {**cases.cursor(), "token": uuid.uuid4().hex})
