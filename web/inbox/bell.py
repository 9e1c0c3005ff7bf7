"""The bell in the navigation of every page a logged-in person opens: what a template needs to draw it (the
unread count, the inbox's address, the count's address for the script's poll, how often to poll).

Display links (kiosk screens, nobody logged in) and anonymous readers get no bell: `bell()` is None for them.
"""

from __future__ import annotations

from flask import url_for

from geo.errors import GuatuError
from geo.notify.inbox import unread_count
from web.access.auth import principal
from web.core.context import guatu

POLL_SECONDS = 30  # how often an open page asks for the count (one small record read per ask)
BADGE_MAX = 99  # more shows as 99+
PEOPLE = ("session", "basic")  # who a page is drawn for; tokens and display links open no pages of people


def bell() -> dict | None:
    """{"unread", "href", "count_url", "poll_s"} for the reader, or None when the page has no bell. `unread` is
    None while the store cannot be read (a database outage): the page is served with a bell without a count, and
    the script's poll shows it once the store answers (the page's own content matters more than the count)."""
    who = principal()
    if who is None or who.via not in PEOPLE:
        return None
    try:
        unread = unread_count(guatu().store, who.username)
    except GuatuError:
        unread = None
    badge = "" if not unread else ("99+" if unread > BADGE_MAX else str(unread))
    return {"unread": unread, "badge": badge, "href": url_for("inbox.inbox_page"), "count_url": url_for("inbox.inbox_count"),
            "poll_s": POLL_SECONDS}
