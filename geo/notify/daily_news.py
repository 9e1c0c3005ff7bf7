"""The day's news, as `Event`s: the morning digest (每日待办) of each handler and each unit, the daily report
ready (日报), and today's inspection list drawn (督导清单). Built from the open-case index that
`geo/notify/sources.py` keeps and one record read, never from a walk over the layers.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from urllib.parse import quote

from geo.cases.deadlines import due_local, instant, stage_overdue
from geo.cases.model import stage_label
from geo.config import Campaign
from geo.messages import t
from geo.notify.case_news import where
from geo.notify.events import Event


class _Digest:
    """One handler's or unit's open cases, counted as they go by: how many, how many due today, how many
    overdue, and the one due first (what the digest says; the cases themselves are not kept: at a million
    places they would not fit)."""

    def __init__(self) -> None:
        self.open = self.today = self.overdue = 0
        self.first: dict | None = None

    def add(self, entry: dict, campaign: Campaign, now: datetime, day: date) -> None:
        self.open += 1
        if stage_overdue(entry, now):
            self.overdue += 1
        elif entry.get("stage_due") and instant(entry["stage_due"]).astimezone(campaign.timezone).date() == day:
            self.today += 1
        if self.first is None or (entry.get("stage_due") or "9999") < (self.first.get("stage_due") or "9999"):
            self.first = entry

    def text(self, campaign: Campaign) -> tuple[str, dict]:
        first = self.first
        first_text = t("notify.ev.digest.first", place=first["place"], where=where(first, campaign),
                       stage=stage_label(first["stage"]), due=due_local(first, campaign) or t("notify.ev.no_due")) \
            if first and first.get("stage_due") else ""
        counts = {"open": self.open, "today": self.today, "overdue": self.overdue}
        return t("notify.ev.digest.text", first=first_text, **counts), counts


def digests(cases: Iterable[dict], campaign: Campaign, now: datetime, day: date, at: str) -> list[Event]:
    """One digest per handler (their cases in 处置) and one per unit (the open cases it is given, or whose
    place it is responsible for while the case waits for dispatch), for `day`; `cases`: the index's entries,
    read once as they come."""
    by_user: dict[str, _Digest] = {}
    by_unit: dict[str, _Digest] = {}
    for entry in cases:
        if entry.get("handler") and entry["stage"] == "handling":
            by_user.setdefault(entry["handler"], _Digest()).add(entry, campaign, now, day)
        unit = entry.get("unit") or entry.get("place_unit")
        if unit:
            by_unit.setdefault(unit, _Digest()).add(entry, campaign, now, day)
    out = []
    for who, digest in sorted(by_user.items()):
        text, counts = digest.text(campaign)
        out.append(Event(kind="digest", key=f"user:{who}:{day.isoformat()}", at=at,
                         title=t("notify.ev.digest.title", day=day.isoformat(), who=who), text=text,
                         link="/cases?queue=handle", users=(who,), data={"day": day.isoformat(), **counts}))
    for unit, digest in sorted(by_unit.items()):
        text, counts = digest.text(campaign)
        out.append(Event(kind="digest", key=f"unit:{unit}:{day.isoformat()}", at=at,
                         title=t("notify.ev.digest.title", day=day.isoformat(), who=unit), text=text,
                         link=f"/cases?unit={quote(unit)}", unit=unit, data={"day": day.isoformat(), **counts}))
    return out


def report_ready(day: date, at: str) -> Event:
    """The daily report of `day` is ready, linking to its page."""
    return Event(kind="daily_report", key=day.isoformat(), at=at, title=t("notify.ev.report.title", day=day.isoformat()),
                 text=t("notify.ev.report.text", day=day.isoformat()), link=f"/reports/daily?date={day.isoformat()}",
                 data={"day": day.isoformat()})


def inspection_drawn(listing: dict, at: str) -> Event:
    """The day's inspection list (a record of geo/inspections.py) was drawn: once per list (a list drawn again
    with another seed is news again)."""
    day = listing["date"]
    return Event(kind="inspection_drawn", key=f"{day}:{listing.get('seed')}", at=at,
                 title=t("notify.ev.drawn.title", day=day), text=t("notify.ev.drawn.text", day=day,
                                                                   count=len(listing.get("places") or ())),
                 link=f"/inspections?date={day}", data={"day": day, "count": len(listing.get("places") or ())})
