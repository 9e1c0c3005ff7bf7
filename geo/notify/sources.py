"""Where events come from: the journal (a case dispatched or returned, a relapse) and the clock (a stage due
soon or overdue, an escalation, the morning digest, the daily report, today's inspection list drawn), turned
into `Event`s and emitted once.

`collect(store, campaign, now)` is what the sender runs on every tick before it delivers; it returns how many
new events it emitted. Everything it knows between ticks is one record, `notify-cursor/journal`:

- `seq`: the journal revision read up to. Each tick reads only the changes after it (`changes_since`), and the
  full entries (`change_entries`) only of those that touched a ledger or deleted a place.
- `cases`: an index of the open cases (立案, 处置, 核查) with what their events say — the place's name and
  area, the stage, its due, the unit and the handler — kept current from those same changes. The clock's
  events (临期, 逾期, 升级督办, 每日待办) are computed from it, so a tick never walks the layers; only the very
  first tick, with no cursor yet, reads every place once to build it (and tells nothing of the journal before);
  so does a tick that finds the journal behind the cursor (a store restored from a backup).
- `fired`: per open case, the ids of the clock's events already emitted, so a tick emits only what is new;
  `days`: the local day each daily event was last sent for.

Events are emitted before the cursor moves: a crash between the two makes the next tick emit them again, and
`emit` keeps each kind and key once, so nobody is told twice and nothing is lost.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from geo.config import Campaign
from geo.errors import NotFound
from geo.journal import ChangeSummary
from geo.messages import t
from geo.notify.case_news import case_entry, case_key, clock_events, step_event, where
from geo.notify.daily_news import digests, inspection_drawn, report_ready
from geo.notify.events import Event, emit_all
from geo.store.base import Store, iso

CURSOR = "notify-cursor"
KEY = "journal"
INSPECTIONS = "inspections"  # the record kind of the day's inspection lists (geo/inspections.py)


def _index_all(store: Store, campaign: Campaign) -> dict[str, dict]:
    cases: dict[str, dict] = {}
    for layer in store.readable_layers():
        for feature in store.each_feature(layer.id):
            _add_place(cases, layer.id, feature, campaign)
    return cases


def _add_place(cases: dict[str, dict], layer: str, feature: dict, campaign: Campaign) -> list[str]:
    """The entries of the place's open cases put in the index; their keys."""
    keys = []
    for problem in feature.get("properties", {}).get("problems") or ():
        if isinstance(problem, dict) and problem.get("id"):
            entry = case_entry(layer, feature, problem, campaign)
            if entry is not None:
                keys.append(case_key(entry))
                cases[keys[-1]] = entry
    return keys


def _index_place(cases: dict[str, dict], by_place: dict[tuple[str, str], list[str]], layer: str, fid: str,
                 after: dict | None, campaign: Campaign) -> None:
    """Bring the index's entries of one place to its image `after` a change (None: deleted); `by_place`: the
    index's keys per place, made once per round (`_keys_by_place`). All the place's entries go, not only those
    of the change's image before: a repair or a layer file saved by another program can have changed the place
    outside the journal since it was indexed."""
    for key in by_place.pop((layer, fid), ()):
        cases.pop(key, None)
    if after is not None:
        by_place[(layer, fid)] = _add_place(cases, layer, after, campaign)


def _keys_by_place(cases: dict[str, dict]) -> dict[tuple[str, str], list[str]]:
    out: dict[tuple[str, str], list[str]] = {}
    for key, entry in cases.items():
        out.setdefault((entry["layer"], entry["fid"]), []).append(key)
    return out


def _timeline(problem: dict | None) -> list:
    case = (problem or {}).get("case")
    return (case.get("timeline") or []) if isinstance(case, dict) else []


def _journal_events(store: Store, campaign: Campaign, changes: list[ChangeSummary],
                    cases: dict[str, dict]) -> list[Event]:
    """The events of these changes (oldest first), keeping the index in step with them."""
    out: list[Event] = []
    relapse = campaign.inspections.relapse_status
    labels = {s.key: s.label for s in campaign.statuses}
    for c in changes:
        if c.op == "update" and c.status == relapse and c.status_before != relapse:
            out.append(Event(kind="relapse", key=f"{c.layer}/{c.id}/{c.at}", at=c.at, title="", text="",
                             data={"layer": c.layer, "fid": c.id, "status": c.status, "user": c.user}))
    touched = [c for c in changes if c.op in ("create", "delete") or "problems" in c.changed]
    by_place = _keys_by_place(cases) if touched else {}
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
        _index_place(cases, by_place, entry["layer"], entry["id"], after, campaign)
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


def _clock_events(store: Store, campaign: Campaign, now: datetime, state: dict) -> list[Event]:
    at = iso(now)
    out = []
    fired: dict[str, list[str]] = state["fired"]
    for key in [k for k in fired if k not in state["cases"]]:
        del fired[key]  # the case closed: its clock is done
    for key, entry in state["cases"].items():
        for event in clock_events(entry, campaign, now, at):
            if event.id not in fired.get(key, ()):
                out.append(event)
                fired.setdefault(key, []).append(event.id)
    local = now.astimezone(campaign.timezone)
    day = local.date()
    days = state["days"]
    if local.time() >= campaign.notify.digest_at and days.get("digest") != day.isoformat():
        out += digests(state["cases"], campaign, now, day, at)
        days["digest"] = day.isoformat()
    if local.time() >= campaign.notify.daily_report_at and days.get("report") != day.isoformat():
        out.append(report_ready(day, at))
        days["report"] = day.isoformat()
    listing = store.record(INSPECTIONS, day.isoformat())
    if listing is not None and days.get("drawn") != f"{day.isoformat()}:{listing.get('seed')}":
        out.append(inspection_drawn(listing, at))
        days["drawn"] = f"{day.isoformat()}:{listing.get('seed')}"
    return out


def collect(store: Store, campaign: Campaign, now: datetime) -> int:
    """Emit the events that happened since the last call (the cursor is kept in the store); the number emitted."""
    stored = cursor = store.record(CURSOR, KEY)
    if cursor is not None and cursor["seq"] > store.revision():  # another journal (a restore): follow it from now
        cursor = {**cursor, "seq": store.revision(), "cases": _index_all(store, campaign)}
    if cursor is None:  # the first tick: start from the journal as it is, with every open case indexed
        state = {"seq": store.revision(), "cases": _index_all(store, campaign), "fired": {}, "days": {}}
        events: list[Event] = []
    else:
        state = {"seq": cursor["seq"], "cases": dict(cursor.get("cases") or {}),
                 "fired": {k: list(v) for k, v in (cursor.get("fired") or {}).items()},
                 "days": dict(cursor.get("days") or {})}
        changes = store.changes_since(state["seq"])
        events = _journal_events(store, campaign, changes, state["cases"])
        if changes:
            state["seq"] = changes[-1].seq
    events += _clock_events(store, campaign, now, state)
    emitted = emit_all(store, events)
    if state != stored:
        with store.records_locked(CURSOR):
            store.put_record(CURSOR, KEY, state)
    return emitted
