"""Residents' satisfaction (群众满意度) per sub-district and community: what came in, what was done, how it was rated.

From the residents' reports (store records `resident-reports`, geo/residents/reports.py) and the cases they
became, for one day of the campaign's calendar and cumulatively up to its end (`moment`: the end of the day, or
now for today), in the campaign's time zone. Per area (the report's own sub-district and community, filled from
the boundaries when it was submitted) a `Tally`:

    received     reports submitted (every channel: the public page, volunteers, Open311)
    accepted     reports accepted as a case or merged into one
    rejected     reports rejected (with a reason)
    closed       accepted or merged reports whose case reached 结案 (its `closed_at`)
    rated        reports the reporter rated, and of them
    satisfied / basic / unsatisfied   满意 / 基本满意 / 不满意
    rate         (满意 + 基本满意) / rated, in percent with one decimal; None while nothing is rated

A day's figures count what happened on that day (a report received that day, a case closed that day, a rating
given that day); the cumulative ones everything up to `moment`. So a report received on Monday and rated on
Wednesday counts in Monday's `received` and in Wednesday's `rated`. A case closed after `moment` is not closed
yet in a past day's figures.

Areas are listed worst first: the lowest cumulative rate first (unrated areas after the rated ones), then the
most reports, then the name. The wall's dashboard (web/wall/satisfaction.py) and the daily report
(geo/daily_report.py, its sheet 群众满意度 and a line on the PDF's first page) show them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime

from geo.cases.deadlines import instant
from geo.config import Campaign
from geo.errors import NotFound
from geo.messages import t
from geo.store.base import Store

RATINGS = ("satisfied", "basic", "unsatisfied")
COUNTS = ("received", "accepted", "rejected", "closed", "rated", *RATINGS)
CaseLookup = Callable[[dict], "dict | None"]  # a report's `case` reference → the case record, or None


@dataclass
class Tally:
    """What an area's reports add up to, over one span of time."""

    received: int = 0
    accepted: int = 0
    rejected: int = 0
    closed: int = 0
    rated: int = 0
    satisfied: int = 0
    basic: int = 0
    unsatisfied: int = 0

    @property
    def rate(self) -> float | None:
        """满意率: (满意 + 基本满意) over the rated, in percent with one decimal; None while none is rated."""
        return round(100 * (self.satisfied + self.basic) / self.rated, 1) if self.rated else None

    def add(self, other: Tally) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict:
        return {**asdict(self), "rate": self.rate}


@dataclass
class Area:
    """One sub-district or community: its name, the day's tally and the cumulative one."""

    name: str
    day: Tally
    total: Tally

    def add(self, other: Area) -> None:
        self.day.add(other.day)
        self.total.add(other.total)

    def as_dict(self) -> dict:
        return {"name": self.name, "day": self.day.as_dict(), "all": self.total.as_dict()}


def _when(text) -> datetime | None:
    try:
        return instant(text) if text else None
    except (TypeError, ValueError, AttributeError):
        return None


def report_tallies(report: dict, case: dict | None, campaign: Campaign, day: date,
                   moment: datetime) -> tuple[Tally, Tally]:
    """One report's share: (on `day`, up to `moment`). `case`: the case it became or joined, as it is now."""
    on_day, upto = Tally(), Tally()

    def count(name: str, at: datetime | None) -> None:
        if at is None or at > moment:
            return
        setattr(upto, name, getattr(upto, name) + 1)
        if at.astimezone(campaign.timezone).date() == day:
            setattr(on_day, name, getattr(on_day, name) + 1)

    count("received", _when(report.get("at")))
    state = report.get("state")
    handled = _when(report.get("handled_at"))
    if state in ("accepted", "merged"):
        count("accepted", handled)
        if isinstance(case, dict) and case.get("stage") == "closed":
            count("closed", _when(case.get("closed_at")))
    elif state == "rejected":
        count("rejected", handled)
    rating = report.get("rating")
    if isinstance(rating, dict) and rating.get("value") in RATINGS:
        at = _when(rating.get("at"))
        count("rated", at)
        count(rating["value"], at)
    return on_day, upto


def store_cases(store: Store, campaign: Campaign) -> CaseLookup:
    """The case a report's `case` reference names ({"layer", "fid", "pid"}), read from the place's ledger (each
    place once); None when the place or its problem is gone or has no case."""
    from geo.cases.model import case_of, find_problem

    places: dict[tuple[str, str], dict | None] = {}

    def lookup(ref: dict) -> dict | None:
        if not isinstance(ref, dict) or not ref.get("layer") or not ref.get("fid") or not ref.get("pid"):
            return None
        key = (str(ref["layer"]), str(ref["fid"]))
        if key not in places:
            try:
                places[key] = store.get(*key)
            except (NotFound, KeyError):
                places[key] = None
        feature = places[key]
        if feature is None:
            return None
        try:
            return case_of(find_problem(feature, str(ref["pid"])), campaign)
        except NotFound:
            return None

    return lookup


def no_street() -> str:
    return t("satisfaction.no_street")


def no_community() -> str:
    return t("satisfaction.no_community")


def satisfaction_of(records: Iterable[dict], cases: CaseLookup, campaign: Campaign, day: date, moment: datetime, *,
                    street: str | None = None, community: str | None = None) -> dict:
    """Per sub-district (with its communities) and in all: the day's tally and the cumulative one, worst first.

    `street` / `community` keep only that sub-district's or community's reports (a wall screen's scope)."""
    streets: dict[str, Area] = {}
    communities: dict[str, dict[str, Area]] = {}
    total = Area(t("satisfaction.total"), Tally(), Tally())
    for report in records:
        s_name = report.get("street") or no_street()
        c_name = report.get("community") or no_community()
        if (street and report.get("street") != street) or (community and report.get("community") != community):
            continue
        share = Area(c_name, *report_tallies(report, cases(report.get("case")), campaign, day, moment))
        if not share.total.received:
            continue  # submitted after the moment: not yet part of this day
        streets.setdefault(s_name, Area(s_name, Tally(), Tally())).add(share)
        communities.setdefault(s_name, {}).setdefault(c_name, Area(c_name, Tally(), Tally())).add(share)
        total.add(share)
    rows = []
    for s in sorted(streets.values(), key=_worst_first):
        rows.append({**s.as_dict(), "communities": [c.as_dict() for c in sorted(communities[s.name].values(),
                                                                                  key=_worst_first)]})
    return {"day": day.isoformat(), "as_of": moment.astimezone(campaign.timezone).strftime("%Y-%m-%d %H:%M"),
            "total": total.as_dict(), "streets": rows}


def _worst_first(area: Area) -> tuple:
    rate = area.total.rate
    return (rate is None, rate if rate is not None else 0.0, -area.total.received, area.name)


def satisfaction(store: Store, campaign: Campaign, day: date, moment: datetime, *, street: str | None = None,
                 community: str | None = None) -> dict:
    """`satisfaction_of` the store's residents' reports and their cases."""
    from geo.residents.reports import reports

    return satisfaction_of(reports(store), store_cases(store, campaign), campaign, day, moment, street=street,
                           community=community)


SHEET_COLUMNS = (*(f"day_{c}" for c in ("received", "accepted", "closed", "rated", "rate")),
                 *(f"all_{c}" for c in (*COUNTS, "rate")))


def sheet_rows(data: dict) -> list[list]:
    """The daily report's sheet 群众满意度: a header, then per sub-district its own row and its communities' rows,
    then the whole campaign's; the day's counts, then the cumulative ones. A rate nobody rated is blank."""
    def cells(area: dict) -> list:
        day, upto = area["day"], area["all"]
        return [*(day[c] for c in ("received", "accepted", "closed", "rated")), _blank(day["rate"]),
                *(upto[c] for c in COUNTS), _blank(upto["rate"])]

    rows: list[list] = [[t("report.cases.col.street"), t("report.cases.col.community"),
                         *(t(f"satisfaction.col.{c}") for c in SHEET_COLUMNS)]]
    for s in data["streets"]:
        rows.append([s["name"], t("satisfaction.whole_street"), *cells(s)])
        rows.extend([s["name"], c["name"], *cells(c)] for c in s["communities"])
    rows.append([data["total"]["name"], "", *cells(data["total"])])
    return rows


def _blank(value):
    return "" if value is None else value


def summary_line(data: dict) -> str:
    """The PDF's first page: received, closed and rated today and in all, and the satisfaction rate."""
    day, upto = data["total"]["day"], data["total"]["all"]
    rate = t("satisfaction.rate_none") if upto["rate"] is None else t("satisfaction.rate_pct", rate=upto["rate"])
    return t("satisfaction.summary", received=day["received"], closed=day["closed"], rated=day["rated"],
             all_received=upto["received"], all_closed=upto["closed"], all_rated=upto["rated"], rate=rate)
