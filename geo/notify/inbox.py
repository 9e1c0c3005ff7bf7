"""Each person's in-app inbox: the notifications shown under the bell, newest first, read or not.

One record per account (kind `notify-inbox`, key the account name); an entry is kept once per event, so a
delivery made again after a restart does not show twice. The newest `KEEP` entries are kept.
"""

from __future__ import annotations

from geo.errors import FieldError
from geo.messages import t
from geo.notify.events import EVENTS
from geo.store.base import Finding, Store, broken_record, checked_record, records_not_as_written
from geo.stored_place import each_object, instant_faults, text_faults

INBOX = "notify-inbox"
KEEP = 500


def _key(user: str) -> str:
    """Account names are letters, digits, '-', '_' and '.'; a record key takes no '.'."""
    return user.replace("_", "_5f").replace(".", "_2e")


def inbox_faults(box: dict) -> list[FieldError]:
    """Each value of a stored inbox whose type is not what this module writes, named by its path."""
    errors: list[FieldError] = []
    text_faults(box, ("user",), "", errors)
    entries = box.get("items")
    if not isinstance(entries, list):
        return [*errors, FieldError("items", t("request.wrong_type", expected=t("request.type_array")))]
    for where, item in each_object(entries, "items", errors):
        for key in ("id", "kind", "title", "text"):
            if not isinstance(item.get(key), str):
                errors.append(FieldError(f"{where}.{key}", t("request.wrong_type", expected=t("request.type_string"))))
        text_faults(item, ("link",), where + ".", errors)
        if not isinstance(item.get("read"), bool):
            errors.append(FieldError(f"{where}.read", t("request.wrong_type", expected=t("request.type_boolean"))))
        if not isinstance(item.get("at"), str):
            errors.append(FieldError(f"{where}.at", t("request.wrong_type", expected=t("request.type_string"))))
        instant_faults(item, ("at", "event_at"), where + ".", errors)
    return errors


def _box(store: Store, user: str) -> dict | None:
    """`user`'s inbox record, or None; BrokenRecord (503) when it is not as this module writes it (edited by hand,
    restored from elsewhere): it is then never written over, and the bell shows no count."""
    return checked_record(store, INBOX, _key(user), inbox_faults)


def damaged_inboxes(store: Store) -> list[Finding]:
    """Every inbox that parses but is not as this module writes it (`store check`; one that does not parse is the
    store's own `check`'s)."""
    return records_not_as_written(store, INBOX, store.record_keys(INBOX), inbox_faults)


def deliver(store: Store, user: str, event: dict, *, at: str) -> bool:
    """Put the event (`Event.to_dict`) in `user`'s inbox at `at`; False when it is there already."""
    with store.records_locked(INBOX):
        box = _box(store, user) or {"user": user, "items": []}
        if any(item["id"] == event.get("id") for item in box["items"]):
            return False
        item = {"id": event.get("id"), "kind": event.get("kind"), "title": event.get("title"), "text": event.get("text"),
                "link": event.get("link", ""), "event_at": event.get("at"), "at": at, "read": False}
        faults = inbox_faults({"user": user, "items": [item]})
        if faults:  # an event edited by hand: refused here, so no inbox takes in what it could not show
            raise broken_record(f"{EVENTS}/{event.get('id')}", faults[0].text(), by_hand=True)
        box["items"] = [item, *box["items"]][:KEEP]
        store.put_record(INBOX, _key(user), box)
    return True


def items(store: Store, user: str) -> list[dict]:
    """`user`'s notifications, newest first."""
    box = _box(store, user)
    return box["items"] if box else []


def unread_count(store: Store, user: str) -> int:
    return sum(1 for item in items(store, user) if not item["read"])


def mark_read(store: Store, user: str, ids: list[str] | None = None) -> int:
    """Mark the notifications `ids` (all of them when None) read; the number that changed."""
    with store.records_locked(INBOX):
        box = _box(store, user)
        if not box:
            return 0
        changed = 0
        for item in box["items"]:
            if not item["read"] and (ids is None or item["id"] in ids):
                item["read"] = True
                changed += 1
        if changed:
            store.put_record(INBOX, _key(user), box)
    return changed
