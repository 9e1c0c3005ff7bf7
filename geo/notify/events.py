"""What happened, as an event: the one shape every source of news (the case loop, the clock, the inspection
draw, residents' reports, the daily report) hands to the notifications, and `emit`, which keeps it once.

An event is kept as a record (kind `notify-events`) under an id made from its kind and key, so emitting the same
news twice — two workers, a restart, a scan that runs again — keeps one event and tells people once. The ids of
events not yet turned into deliveries are listed in the record `notify-pending/events`, oldest first.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field

from geo.errors import FieldError
from geo.messages import t
from geo.store.base import Finding, Store, checked_record, records_not_as_written
from geo.stored_place import instant_faults, typed_faults

EVENT_KINDS = (
    "case_assigned",    # a case dispatched (or re-dispatched) to a unit or a handler
    "case_due_soon",    # a case's stage is due within the campaign's warning hours
    "case_overdue",     # a case's stage is past its due
    "case_escalated",   # a case reached an escalation level (督办)
    "case_returned",    # the verifier sent the fix back (核查退回)
    "inspection_drawn", # today's random inspection list was drawn
    "relapse",          # a place that was done has a problem again (反弹)
    "report_arrived",   # a resident's or volunteer's report arrived in an area (随手拍)
    "digest",           # the morning digest of one person or unit
    "daily_report",     # the daily report is ready
)
EVENTS = "notify-events"
PENDING = "notify-pending"


@dataclass(frozen=True)
class Event:
    """One piece of news. `key` makes it unique within its kind (the same kind and key is the same event);
    `street`/`community`/`unit` say where it belongs (who covers them may hear of it); `users` are accounts it
    names (a case's handler, a volunteer who reported); `title` and `text` are Chinese, plain text (each
    channel formats them); `link` is a path in the app."""

    kind: str
    key: str
    at: str  # ISO 8601 UTC instant with Z
    title: str
    text: str
    link: str = ""
    street: str | None = None
    community: str | None = None
    unit: str | None = None
    users: tuple[str, ...] = ()
    urgent: bool = False  # delivered even in quiet hours
    data: dict = field(default_factory=dict)  # anything a webhook receiver may want (ids, stage, due)

    @property
    def id(self) -> str:
        return event_id(self.kind, self.key)

    def to_dict(self) -> dict:
        return {**asdict(self), "users": list(self.users), "id": self.id}


def event_id(kind: str, key: str) -> str:
    """The record key of the event `kind`/`key`: letters, digits and '-' (a store record key)."""
    return f"{kind.replace('_', '-')}-{hashlib.sha256(key.encode()).hexdigest()[:24]}"


def emit(store: Store, event: Event) -> bool:
    """Keep `event` once: True when it is new, False when an event of that kind and key was kept before."""
    return emit_all(store, [event]) == 1


def emit_all(store: Store, events: list[Event]) -> int:
    """Keep each of `events` once, in their order: how many were new (had no record yet).

    Each new event's record is written, then every one of them not already pending is added to the pending list
    with one write of it, under its lock, which the fan-out takes too (geo/notify/outbox.py `fan_out_pending`).
    One write per event made a first round that finds thousands of cases overdue grow with the square of their
    number. A crash between the records and the list: the sender's next round, whose cursor has not moved, emits
    the same events again and lists them then. An event listed again after it was fanned out is fanned out to
    nobody twice: the fan-out finds the inbox entries and deliveries it made."""
    for event in events:
        if event.kind not in EVENT_KINDS:
            raise ValueError(t("notify.unknown_kind", kind=repr(event.kind)))
    if events:  # a damaged pending list is found before any event is kept: an event kept but never listed is lost
        pending_ids(store)
    unique, seen = [], set()
    for event in events:  # the first of each, in their order
        if event.id not in seen:
            seen.add(event.id)
            unique.append(event)
    new = [event for event in unique if store.record(EVENTS, event.id) is None]
    for event in new:
        store.put_record(EVENTS, event.id, event.to_dict())
    if unique:
        with store.records_locked(PENDING):
            pending = pending_ids(store)
            listed = set(pending)
            added = [event.id for event in unique if event.id not in listed]
            if added:
                store.put_record(PENDING, "events", {"ids": pending + added})
    return len(new)


def event(store: Store, eid: str) -> dict | None:
    """The kept event `eid` (as `Event.to_dict` wrote it), or None; BrokenRecord (503) naming it when it is not as
    `emit` writes it (edited by hand, a bad restore): the sender then leaves it where it is and says so."""
    return checked_record(store, EVENTS, eid, event_faults)


_EVENT_TYPES = {"id": str, "kind": str, "key": str, "at": str, "title": str, "text": str, "link": str,
                "street": (str, type(None)), "community": (str, type(None)), "unit": (str, type(None)),
                "users": list, "urgent": bool, "data": dict}


def event_faults(record: dict) -> list[FieldError]:
    """What makes a kept event one `emit` would not have written: a field of another type, a kind Guatu does not
    have, a time that is no instant, an id that is not its kind and key's."""
    errors: list[FieldError] = []
    typed_faults(record, _EVENT_TYPES, "", errors)
    instant_faults(record, ("at",), "", errors)
    for i, user in enumerate(record.get("users") if isinstance(record.get("users"), list) else ()):
        typed_faults({"user": user}, {"user": str}, f"users[{i}].", errors)
    if isinstance(record.get("kind"), str) and record["kind"] not in EVENT_KINDS:
        errors.append(FieldError("kind", t("notify.unknown_kind", kind=repr(record["kind"]))))
    if not errors and record["id"] != event_id(record["kind"], record["key"]):
        errors.append(FieldError("id", t("notify.delivery.stored_differs")))
    return errors


def pending_faults(record: dict) -> list[FieldError]:
    """The pending list is `{"ids": [event id, …]}`."""
    ids = record.get("ids")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        return [FieldError("ids", t("request.wrong_type", expected=t("request.type_array")))]
    return []


def pending_ids(store: Store) -> list[str]:
    """The events waiting to be fanned out, oldest first; BrokenRecord (503) naming the list when it is damaged."""
    return (checked_record(store, PENDING, "events", pending_faults) or {"ids": []})["ids"]


def damaged_events(store: Store) -> list[Finding]:
    """Every kept event, and the pending list, that parses but is not as `emit` writes it (`store check`)."""
    return (records_not_as_written(store, PENDING, [k for k in store.record_keys(PENDING) if k == "events"],
                                   pending_faults)
            + records_not_as_written(store, EVENTS, store.record_keys(EVENTS), event_faults))
