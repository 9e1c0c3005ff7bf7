"""Each person's in-app inbox: the notifications shown under the bell, newest first, read or not.

One record per account (kind `notify-inbox`, key the account name); an entry is kept once per event, so a
delivery made again after a restart does not show twice. The newest `KEEP` entries are kept.
"""

from __future__ import annotations

from geo.store.base import Store

INBOX = "notify-inbox"
KEEP = 500


def _key(user: str) -> str:
    """Account names are letters, digits, '-', '_' and '.'; a record key takes no '.'."""
    return user.replace("_", "_5f").replace(".", "_2e")


def deliver(store: Store, user: str, event: dict, *, at: str) -> bool:
    """Put the event (`Event.to_dict`) in `user`'s inbox at `at`; False when it is there already."""
    with store.records_locked(INBOX):
        box = store.record(INBOX, _key(user)) or {"user": user, "items": []}
        if any(item["id"] == event["id"] for item in box["items"]):
            return False
        item = {"id": event["id"], "kind": event["kind"], "title": event["title"], "text": event["text"],
                "link": event.get("link", ""), "event_at": event["at"], "at": at, "read": False}
        box["items"] = [item, *box["items"]][:KEEP]
        store.put_record(INBOX, _key(user), box)
    return True


def items(store: Store, user: str) -> list[dict]:
    """`user`'s notifications, newest first."""
    box = store.record(INBOX, _key(user))
    return box["items"] if box else []


def unread_count(store: Store, user: str) -> int:
    return sum(1 for item in items(store, user) if not item["read"])


def mark_read(store: Store, user: str, ids: list[str] | None = None) -> int:
    """Mark the notifications `ids` (all of them when None) read; the number that changed."""
    with store.records_locked(INBOX):
        box = store.record(INBOX, _key(user))
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
