"""The news of one case, as `Event`s: dispatched (派遣), sent back by the verifier (核查退回), due soon (临期),
overdue (逾期) and escalated (升级督办) — each with its Chinese title and text, the case page's link and the
place's street, community and unit.

A case is read here from its entry in the open-case index that `geo/notify/sources.py` keeps (`case_entry`):
the place's name and area with the case's stage, due, unit and handler — so the clock's events need no read of
the layers. Keys name the case and the moment, so each fires once per stage (a new stage, a new due or a new
escalation level fires again).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from geo.cases.deadlines import OPEN_STAGES, due_local, instant, stage_overdue
from geo.cases.escalation import district_at, escalation
from geo.cases.model import case_of, stage_label
from geo.config import Campaign
from geo.messages import t
from geo.notify.events import Event


def case_entry(layer: str, feature: dict, problem: dict, campaign: Campaign) -> dict | None:
    """What the index keeps of the problem's case while it is open (None once it is closed or suspended)."""
    case = case_of(problem, campaign)
    if case["stage"] not in OPEN_STAGES:
        return None
    props = feature["properties"]
    return {"layer": layer, "fid": feature["id"], "pid": problem.get("id"),
            "place": props.get("name") or feature["id"], "street": props.get("street"),
            "community": props.get("community"), "place_unit": props.get("unit"),
            "category": problem.get("category") or "", "stage": case["stage"],
            "stage_since": case.get("stage_since"), "stage_due": case.get("stage_due"),
            "unit": case.get("unit"), "handler": case.get("handler"), "urgency": case.get("urgency"),
            "responsible": problem.get("responsible") or None}


def case_key(entry: dict) -> str:
    return f"{entry['layer']}/{entry['fid']}/{entry['pid']}"


def where(entry: dict, campaign: Campaign) -> str:
    """The place's area as people say it: 街道 社区 (the district when the place names neither)."""
    return " ".join(p for p in (entry.get("street"), entry.get("community")) if p) or campaign.district


def link(entry: dict) -> str:
    return f"/cases/{entry['layer']}/{entry['fid']}/{entry['pid']}"


def _due(entry: dict, campaign: Campaign) -> str:
    return due_local(entry, campaign) or t("notify.ev.no_due")


def _event(kind: str, key: str, at: str, entry: dict, title: str, text: str, *, urgent: bool = False,
           users: tuple[str, ...] = (), data: dict | None = None) -> Event:
    return Event(kind=kind, key=key, at=at, title=title, text=text, link=link(entry), street=entry.get("street"),
                 community=entry.get("community"), unit=entry.get("unit") or entry.get("place_unit"),
                 users=users, urgent=urgent,
                 data={"layer": entry["layer"], "fid": entry["fid"], "pid": entry["pid"], "stage": entry["stage"],
                       "due": entry.get("stage_due"), **(data or {})})


def step_event(action: str, step: int, at: str, entry: dict, campaign: Campaign, note: str = "") -> Event | None:
    """The event of the case's timeline step number `step` (`action`, taken at `at`): a dispatch or a re-dispatch
    (`case_assigned`), the verifier's return (`case_returned`); None for the other steps."""
    key = f"{case_key(entry)}/{step}"
    users = (entry["handler"],) if entry.get("handler") else ()
    common = {"place": entry["place"], "where": where(entry, campaign), "category": entry["category"],
              "due": _due(entry, campaign)}
    if action in ("dispatch", "redispatch"):
        who = entry.get("responsible") or " ".join(p for p in (entry.get("unit"), entry.get("handler")) if p) \
            or t("notify.ev.nobody")  # `responsible`: the unit and the handler's name, as the dispatch wrote it
        return _event("case_assigned", key, at, entry, t("notify.ev.assigned.title", place=entry["place"]),
                      t("notify.ev.assigned.text", who=who, **common), users=users, data={"action": action})
    if action == "return":
        return _event("case_returned", key, at, entry, t("notify.ev.returned.title", place=entry["place"]),
                      t("notify.ev.returned.text", note=note, **common), users=users, data={"action": action})
    return None


def clock_events(entry: dict, campaign: Campaign, now: datetime, at: str) -> list[Event]:
    """The events the clock makes of an open case at `now`: due within `notify.due_soon_hours`, overdue,
    escalated to the sub-district or the command."""
    due = entry.get("stage_due")
    if not due:
        return []
    moment = clock_key(entry)
    users = (entry["handler"],) if entry.get("handler") and entry["stage"] == "handling" else ()
    common = {"place": entry["place"], "where": where(entry, campaign), "category": entry["category"],
              "stage": stage_label(entry["stage"]), "due": _due(entry, campaign)}
    if not stage_overdue(entry, now):
        hours = campaign.notify.due_soon_hours
        if hours > 0 and now >= instant(due) - timedelta(hours=hours):  # as clock_wakes has it
            return [_event("case_due_soon", moment, at, entry, t("notify.ev.due_soon.title", place=entry["place"]),
                           t("notify.ev.due_soon.text", **common), users=users)]
        return []
    out = [_event("case_overdue", moment, at, entry, t("notify.ev.overdue.title", place=entry["place"]),
                  t("notify.ev.overdue.text", **common), users=users)]
    level = escalation(entry, campaign, now)["level"]  # the level reached now: one missed tick skips a level
    label = t(f"notify.ev.level.{level}")
    out.append(_event("case_escalated", f"{moment}/{level}", at, entry,
                      t("notify.ev.escalated.title", place=entry["place"], level=label),
                      t("notify.ev.escalated.text", level=label, **common), urgent=True, users=users,
                      data={"level": level}))
    return out


def clock_key(entry: dict) -> str:
    """The key of the clock's events of a case at its present moment: the case, its stage, since when, its due
    (an escalation's key adds its level)."""
    stage, since, due = clock_moment(entry)
    return f"{case_key(entry)}/{stage}/{since}/{due}"


def clock_moment(entry: dict) -> tuple:
    """What the clock's events of a case are keyed by besides the case: its stage, since when and its due (a new
    stage or a new due is news again)."""
    return entry["stage"], entry.get("stage_since"), entry.get("stage_due")


def clock_rank(event: Event) -> int:
    """How far along the clock an event of `clock_events` is: due soon 1, overdue and at the sub-district 2, at
    the district's command 3. At one moment a case only goes up: the events of a rank above the one already
    told are the new ones."""
    if event.kind == "case_escalated":
        return 3 if event.data["level"] == "district" else 2
    return 2 if event.kind == "case_overdue" else 1


def clock_settings(campaign: Campaign) -> str:
    """What `clock_wakes` depends on besides the case, as a short text: the due-soon hours, the escalation's step,
    the working calendar and the time zone (a kept wake worked out under other settings is worked out again)."""
    cal = campaign.cases.calendar
    settings = (campaign.notify.due_soon_hours, campaign.cases.escalation_every, sorted(cal.workdays),
                cal.day_start.isoformat(), cal.day_end.isoformat(), sorted(d.isoformat() for d in cal.holidays),
                sorted(d.isoformat() for d in cal.working_days), str(campaign.timezone))
    return hashlib.sha256(repr(settings).encode()).hexdigest()[:16]


def clock_wakes(entry: dict, campaign: Campaign) -> list[datetime]:
    """The instants at which `clock_events` of the case changes, in order: due soon begins
    (`notify.due_soon_hours` before the due), overdue (the first instant after the due), the district's command
    (`district_at`). Between two of them the clock has nothing new to say of it."""
    due = instant(entry.get("stage_due"))
    if due is None or entry.get("stage") not in OPEN_STAGES:
        return []
    hours = campaign.notify.due_soon_hours
    soon = [due - timedelta(hours=hours)] if hours > 0 else []
    return [*soon, due + timedelta(microseconds=1), district_at(due, campaign)]
