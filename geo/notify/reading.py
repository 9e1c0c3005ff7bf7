"""Reading one's inbox: a page of it as people see it (times in the campaign's zone, unread first counted) and
marking notifications read, refusing ids the inbox does not hold (nothing is changed then). The inbox itself —
delivery, the record, the count — is geo/notify/inbox.py."""

from __future__ import annotations

from datetime import datetime

from geo.config import Campaign
from geo.errors import FieldError, GuatuError, NotFound, ValidationError
from geo.messages import t
from geo.notify.events import EVENT_KINDS
from geo.notify.inbox import items, mark_read, unread_count
from geo.store.base import Store


class NoInbox(GuatuError):
    """An inbox asked for by someone without an account (the public view's visitor): 403."""

    http_status = 403
    code = "forbidden"


MAX_IDS = 500  # an inbox keeps no more (geo/notify/inbox.py KEEP)


def local_time(instant: str, campaign: Campaign) -> str:
    """"YYYY-MM-DD HH:MM" in the campaign's zone of an ISO instant with Z."""
    return datetime.fromisoformat(instant.replace("Z", "+00:00")).astimezone(campaign.timezone).strftime("%Y-%m-%d %H:%M")


def kind_label(kind: str) -> str:
    """What a notification's tag says of its kind (派遣, 临期, 逾期, 督办 …)."""
    return t(f"notify.inbox.kind.{kind}") if kind in EVENT_KINDS else kind


def page(store: Store, user: str, campaign: Campaign, *, limit: int = 50, offset: int = 0,
         unread_only: bool = False) -> dict:
    """`user`'s notifications from `offset`, newest first: {"unread", "total", "items"}; each item with the time
    it arrived in the campaign's zone (`at_local`) and its kind's label (`kind_label`)."""
    every = items(store, user)
    chosen = [i for i in every if not i["read"]] if unread_only else every
    rows = [{**item, "at_local": local_time(item["at"], campaign), "kind_label": kind_label(item["kind"])}
            for item in chosen[offset:offset + limit]]
    return {"unread": sum(1 for i in every if not i["read"]), "total": len(chosen), "items": rows}


def read(store: Store, user: str, ids: list[str] | None) -> dict:
    """Mark `ids` (every notification when None) read: {"changed", "unread"}. NotFound naming the first id the
    inbox does not hold, and then nothing is marked."""
    if ids is not None:
        if len(ids) > MAX_IDS:
            raise ValidationError([FieldError("ids", t("notify.inbox.too_many", maximum=MAX_IDS))])
        held = {item["id"] for item in items(store, user)}
        missing = [i for i in ids if i not in held]
        if missing:
            raise NotFound(t("notify.inbox.no_item", id=missing[0]))
    changed = mark_read(store, user, ids)
    return {"changed": changed, "unread": unread_count(store, user)}
