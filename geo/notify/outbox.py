"""The durable outbox: every delivery of an event to a channel or a person's email, kept in the store (both
backends) from the moment the event is fanned out until it is delivered — with every attempt, retried with
exponential backoff, then `failed` and shown to the admins with a retry button.

Records:
- `notify-outbox/<delivery id>`: deliveries still to make (`pending`, `held` for quiet hours) or given up (`failed`);
  this set stays small, because a delivered one moves to
- `notify-delivered/<delivery id>`: the archive, kept for the delivery log.

A delivery id is made from the event's time, the event's id and the target (`c-<channel>` or `m-<account>`),
so fanning out an event again after a crash finds the deliveries it made and makes no second one; the id is also
the idempotency key a receiver sees (`X-Guatu-Delivery`), the same on every attempt. The inbox is written at fan
out (geo/notify/inbox.py keeps an event once per person), so it needs no delivery of its own.

Retries: after the n-th failed attempt the next is due `BACKOFF_BASE * 2**(n-1)` later (capped at
`BACKOFF_CAP`), on the injected clock; after `attempts` failures the delivery is `failed`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from geo.accounts import User
from geo.errors import BrokenRecord, Conflict, FieldError, NotFound, StoreBusy
from geo.messages import t
from geo.notify.channels import Outcome
from geo.notify.events import PENDING, event, pending_ids
from geo.notify.inbox import deliver
from geo.notify.subscriptions import Target, quiet_until, settings_for_sending, sound_channels, targets
from geo.store.base import Finding, Store, checked_record, iso, records_not_as_written
from geo.stored_place import each_object, instant_faults, typed_faults

logger = logging.getLogger(__name__)

OUTBOX = "notify-outbox"
DELIVERED = "notify-delivered"
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=6)
DEFAULT_ATTEMPTS = 8
STATES = ("pending", "held", "failed", "delivered")


_warned: set[str] = set()  # the damaged records the sender has logged (once each per process)


def _warn_once(what: str, exc: BrokenRecord) -> None:
    if what not in _warned:
        _warned.add(what)
        logger.warning("the notifications' sender leaves %s where it is: %s", what, exc.message)


_DELIVERY_TYPES = {"id": str, "event": str, "kind": str, "title": str, "type": str, "label": str,
                   "channel": (str, type(None)), "user": (str, type(None)), "to": list, "state": str,
                   "created_at": str, "due_at": str, "tries": int, "attempts": list, "delivered_at": (str, type(None))}
_ATTEMPT_TYPES = {"at": str, "ok": bool, "status": (int, type(None)), "error": str}


def delivery_faults(record: dict) -> list[FieldError]:
    """What makes a kept delivery one `fan_out` and `record_attempt` would not have written (edited by hand, a bad
    restore): a field of another type, a state Guatu does not have, a time that is no instant."""
    errors: list[FieldError] = []
    typed_faults(record, _DELIVERY_TYPES, "", errors)
    instant_faults(record, ("created_at", "due_at", "delivered_at"), "", errors)
    if isinstance(record.get("state"), str) and record["state"] not in STATES:
        errors.append(FieldError("state", t("request.not_in_enum", expected=t("request.list").join(STATES))))
    for i, address in enumerate(record["to"] if isinstance(record.get("to"), list) else ()):
        typed_faults({"to": address}, {"to": str}, f"to[{i}].", errors)
    for where, attempt in each_object(record["attempts"] if isinstance(record.get("attempts"), list) else [],
                                      "attempts", errors):
        typed_faults(attempt, _ATTEMPT_TYPES, where + ".", errors)
        instant_faults(attempt, ("at",), where + ".", errors)
    return errors


def _delivery(store: Store, kind: str, did: str) -> dict | None:
    return checked_record(store, kind, did, delivery_faults)


def damaged_deliveries(store: Store) -> list[Finding]:
    """Every delivery, in the outbox or the archive, that parses but is not as this module writes it (`store
    check`)."""
    return (records_not_as_written(store, OUTBOX, store.record_keys(OUTBOX), delivery_faults)
            + records_not_as_written(store, DELIVERED, store.record_keys(DELIVERED), delivery_faults))


def backoff(failures: int) -> timedelta:
    """How long after the `failures`-th failed attempt the next one is due."""
    return min(BACKOFF_CAP, BACKOFF_BASE * 2 ** max(0, failures - 1))


def _when(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def delivery_id(event_dict: dict, target: Target) -> str:
    """`<event time>-<event id>-<target>`: deterministic, and sorted by the event's time."""
    stamp = _when(event_dict["at"]).strftime("%Y%m%dT%H%M%SZ")
    return f"{stamp}-{event_dict['id']}-{target.suffix}"


class RoundReads:
    """The group channels and people's settings one round of fan-out reads: each read once, not once per event
    (a person's settings twice: whether they hear of it, then how)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.channels = sound_channels(store)
        self._settings: dict[str, dict] = {}

    def settings(self, user: str) -> dict:
        if user not in self._settings:
            self._settings[user] = settings_for_sending(self.store, user)
        return self._settings[user]


def fan_out(store: Store, event_dict: dict, users: Iterable[User], *, now: datetime, tz: ZoneInfo,
            round_reads: RoundReads | None = None) -> int:
    """Put the event in the inboxes of the people who hear of it and make its deliveries (none made twice);
    the number of deliveries made now. `round_reads`: the channels and settings read once for a round's events."""
    reads = round_reads or RoundReads(store)
    inbox_people, outs = targets(event_dict, users, reads.channels, reads.settings)
    for user in inbox_people:
        try:
            deliver(store, user, event_dict, at=iso(now))
        except BrokenRecord as exc:  # that person's inbox is damaged (never written over; /inbox says why): the rest go on
            logger.warning("notification %s not put in %s's inbox: %s", event_dict["id"], user, exc.message)
    made = 0
    for target in outs:
        did = delivery_id(event_dict, target)
        held = None if event_dict.get("urgent") else quiet_until(target.quiet, now, tz)
        record = {"id": did, "event": event_dict["id"], "kind": event_dict["kind"], "title": event_dict["title"],
                  "type": target.type, "channel": target.channel, "user": target.user, "to": list(target.to),
                  "label": target.label, "state": "held" if held else "pending", "created_at": iso(now),
                  "due_at": iso(held or now), "tries": 0, "attempts": [], "delivered_at": None}
        with store.records_locked(OUTBOX):
            if store.record(OUTBOX, did) is not None or store.record(DELIVERED, did) is not None:
                continue  # made before a crash: kept as it is
            store.put_record(OUTBOX, did, record)
        made += 1
    return made


def fan_out_pending(store: Store, users: Iterable[User], *, now: datetime, tz: ZoneInfo, limit: int = 200) -> int:
    """Fan out up to `limit` of the events waiting in `notify-pending/events`, oldest first; each leaves the list
    only after its deliveries are made. A damaged event is passed over without counting, so however many are
    damaged, the sound ones behind them still go out. The number of events fanned out."""
    users = list(users)
    done = set()
    reads = RoundReads(store)
    for eid in pending_ids(store):
        if len(done) >= limit:
            break
        try:
            found = event(store, eid)
        except BrokenRecord as exc:  # edited by hand: it stays pending (sent once put right), the others go on
            _warn_once(f"notify-events/{eid}", exc)
            continue
        if found is not None:
            fan_out(store, found, users, now=now, tz=tz, round_reads=reads)
        done.add(eid)
    if done:
        with store.records_locked(PENDING):
            store.put_record(PENDING, "events", {"ids": [i for i in pending_ids(store) if i not in done]})
    return len(done)


def due(store: Store, now: datetime) -> list[dict]:
    """The deliveries to try now (pending or held, due by `now`), oldest due first. A damaged one is left where it
    is (logged once; `store check` and the delivery log name it), so it never stops the others. One the archive
    holds already is the outbox's copy left by a crash between the two writes of `record_attempt`: it was
    delivered, so it is taken out of the outbox, not sent again."""
    found = []
    for key in store.record_keys(OUTBOX):
        try:
            record = _delivery(store, OUTBOX, key)
        except BrokenRecord as exc:
            _warn_once(f"{OUTBOX}/{key}", exc)
            continue
        try:
            if record and _delivered_before(store, key):
                continue
        except BrokenRecord as exc:  # its archived copy damaged: left where it is, the others go on
            _warn_once(f"{DELIVERED}/{key}", exc)
            continue
        except StoreBusy:  # the outbox's lock held elsewhere: looked at again next round
            continue
        if record:
            found.append(record)
    return sorted((d for d in found if d["state"] in ("pending", "held") and _when(d["due_at"]) <= now),
                  key=lambda d: (d["due_at"], d["id"]))


def _delivered_before(store: Store, did: str) -> bool:
    """Whether the archive holds the delivery (its outbox copy then taken away, under the outbox's lock)."""
    if store.record(DELIVERED, did) is None:
        return False
    with store.records_locked(OUTBOX):
        if store.record(DELIVERED, did) is not None:
            store.delete_record(OUTBOX, did)
    return True


def record_attempt(store: Store, did: str, outcome: Outcome, *, now: datetime,
                   attempts: int = DEFAULT_ATTEMPTS) -> dict | None:
    """Keep one attempt's outcome: delivered (moved to the archive), due again after the backoff, or failed
    after `attempts` failures. None when the delivery is no longer in the outbox."""
    with store.records_locked(OUTBOX):
        record = _delivery(store, OUTBOX, did)
        if record is None:
            return None
        record["attempts"].append({"at": iso(now), "ok": outcome.ok, "status": outcome.status,
                                   "error": str(outcome.error)})
        if outcome.ok:
            record.update(state="delivered", delivered_at=iso(now))
            store.put_record(DELIVERED, did, record)  # the archive first: a crash between leaves a copy, never none
            store.delete_record(OUTBOX, did)
            return record
        record["tries"] += 1
        if record["tries"] >= attempts:
            record["state"] = "failed"
        else:
            record.update(state="pending", due_at=iso(now + backoff(record["tries"])))
        store.put_record(OUTBOX, did, record)
    return record


def retry(store: Store, did: str, *, now: datetime) -> dict:
    """An admin sends a failed delivery again: due now, with a fresh count of attempts (the log keeps them all)."""
    with store.records_locked(OUTBOX):
        record = _delivery(store, OUTBOX, did)
        if record is None:
            if store.record(DELIVERED, did) is not None:
                raise Conflict(t("notify.delivery.retry_delivered"))
            raise NotFound(t("notify.delivery.no_delivery", delivery=did))
        if record["state"] != "failed":
            raise Conflict(t("notify.delivery.retry_not_failed"))
        record.update(state="pending", due_at=iso(now), tries=0)
        store.put_record(OUTBOX, did, record)
    return record


def delivery(store: Store, did: str) -> dict:
    found = _delivery(store, OUTBOX, did) or _delivery(store, DELIVERED, did)
    if found is None:
        raise NotFound(t("notify.delivery.no_delivery", delivery=did))
    return found


class DeliveryLog(NamedTuple):
    rows: list[dict]  # newest event first
    damaged: list[Finding]  # the deliveries not as this module writes them (left out of `rows`), each named with why


def delivery_log(store: Store, *, state: str | None = None, limit: int = 200) -> DeliveryLog:
    """The delivery log, newest event first: the outbox (pending, held, failed) and the newest `limit` delivered,
    those in `state` when it is given. A delivery not as this module writes it (edited by hand, a bad restore) is
    left out of the rows and named in `damaged`, whatever `state` asks for (its own state cannot be trusted):
    one such record never hides the others. Both are read whatever `state` is, so the damaged ones are named
    on every view of the log (`store check` names those of the older archive too)."""
    damaged: list[Finding] = []

    def read(kind: str, keys: list[str]) -> list[dict]:
        rows = []
        for key in keys:
            try:
                record = _delivery(store, kind, key)
            except BrokenRecord as exc:
                damaged.append(exc.finding)
                continue
            if record and (state is None or record["state"] == state):
                rows.append(record)
        return rows

    rows = read(OUTBOX, store.record_keys(OUTBOX)) + read(DELIVERED, store.record_keys(DELIVERED)[-limit:])
    return DeliveryLog(sorted(rows, key=lambda d: d["id"], reverse=True)[:limit], damaged)


def log(store: Store, *, state: str | None = None, limit: int = 200) -> list[dict]:
    """The sound rows of the delivery log (`delivery_log`)."""
    return delivery_log(store, state=state, limit=limit).rows


def send_due(store: Store, send: Callable[[dict], Outcome], *, now: datetime, attempts: int = DEFAULT_ATTEMPTS,
             limit: int = 100) -> tuple[int, int]:
    """Try the due deliveries (at most `limit`), each through `send`; (delivered, failed attempts)."""
    ok = failed = 0
    for record in due(store, now)[:limit]:
        outcome = send(record)
        try:
            record_attempt(store, record["id"], outcome, now=now, attempts=attempts)
        except BrokenRecord as exc:  # damaged while it was being sent: left as it is, the others go on
            _warn_once(f"{OUTBOX}/{record['id']}", exc)
        ok, failed = (ok + 1, failed) if outcome.ok else (ok, failed + 1)
    return ok, failed
