"""The cases' record for 三级管理监控: what the wall's dashboard and the daily report say about the case loop.

A place's cases at one moment (`place_cases`) are plain, additive numbers,
so that the dashboard keeps them per group of places and adds or takes away a
place's share when it changes (geo/dashboard.py), with the same result as a
walk over every place:

* open overdue cases by the level they stand at (community / street /
  district: `geo.cases.escalation`) and by unit;
* each unit's record (`UNIT_FIELDS`): its cases, open, overdue, escalated,
  reported (处置完成 at least once), reported before the handling due
  (`handled_on_time`), the working minutes from its first 派遣 to its last 处置完成,
  and returned by a verifier (核查退回 at least once);
* the escalated cases themselves, as rows (how late each is, `late_hours`, when asked).

Alert rows are kept as flat tuples that sort themselves (`alert_row`): the row's sort key, which ends with
the place's name, its layer's order, its id and the problem's index, then the row's own values, then its
`RowKind`; the place's layer, sub-district and community are not repeated in each row but given when a row
is made a dict (`row_dict`), only for the rows sent. A dashboard keeps the best hundred of each list per
group of places, twice the rows sent of a group a scope needed more of (geo/dashboard.py `_Rows`): one tuple
each, not a key, a row and a pair, and a dict of a dozen keys would cost four times a tuple of the same values.

`unit_records` turns the sums into shares and averages. Everything derives
from the stored (or derived, `case_of`) case and the clock; nothing is stored.
`place_flips` lists the moments at which a place's derived case flags change
(a stage falls due; an escalation goes a level up), so that a view kept
between revisions derives a place again only then (geo/wall/catchup.py).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Iterator
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple

from geo.cases import LEVELS, WorkCalendar, case_of, escalation, overdue_hours, stage_overdue
from geo.cases.escalation import district_at
from geo.cases.model import CampaignKey
from geo.config import Campaign
from geo.kept import interned, shared

NOT_CLOSED = ("filed", "handling", "verifying", "suspended")  # open cases (a suspended one is never overdue)
NO_UNIT = ""  # a case not yet dispatched to a unit (its row says 未派遣)
UNIT_FIELDS = ("cases", "open", "overdue", "escalated", "reported", "on_time", "minutes", "handled_n", "returned")


def escalation_rank(level: str | None, escalated: bool) -> int:
    """0: not escalated; 1: escalated to the sub-district; 2: to the district (the wall's marker)."""
    if not escalated:
        return 0
    return 2 if level == "district" else 1


def _at(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None
    except (TypeError, ValueError):
        return None


def handling_minutes(case: dict, campaign: Campaign) -> int | None:
    """Whole working minutes (the campaign's calendar) from the case's first 派遣 to its last 处置完成 (None until
    both happened): whole, so that sums kept by adding and taking away places equal sums made afresh."""
    dispatched = reported = None
    for step in case.get("timeline") or ():
        action = step.get("action")
        if action in ("dispatch", "redispatch") and dispatched is None:
            dispatched = _at(step.get("at"))
        elif action == "report":
            reported = _at(step.get("at"))
    if dispatched is None or reported is None or reported < dispatched:
        return None
    return int(WorkCalendar.of(campaign).working_seconds(dispatched, reported) // 60)


class CaseFacts(NamedTuple):
    """One case at one moment."""

    pid: str | None
    problem: dict
    case: dict
    open: bool
    overdue: bool
    level: str  # where it stands: community, street or district
    escalated: bool


def cases_of(props: dict, campaign: Campaign, now: datetime) -> Iterator[CaseFacts]:
    """Every case of a place (stored, or derived from its problem) at `now` (a case clock)."""
    for p in props.get("problems") or ():
        case = case_of(p, campaign)
        is_open = case.get("stage") in NOT_CLOSED
        late = is_open and case.get("stage") != "suspended" and stage_overdue(case, now)
        up = escalation(case, campaign, now) if late else {"level": "community", "escalated": False}
        yield CaseFacts(p.get("id"), p, case, is_open, late, up.get("level") or "community", bool(up.get("escalated")))


def case_flips(case: dict, campaign: Campaign) -> tuple[int, ...]:
    """The moments (whole POSIX seconds, the first second past each) at which an open case's derived flags change:
    its stage falls due (overdue, and up to the sub-district), then its escalation reaches the district."""
    if case.get("stage") not in NOT_CLOSED or case.get("stage") == "suspended":
        return ()
    try:
        return _due_flips(CampaignKey(campaign), case.get("stage_due"))
    except TypeError:  # a due no cache can key is no due
        return ()


@lru_cache(maxsize=4096)
def _due_flips(key: CampaignKey, stage_due) -> tuple[int, ...]:
    """`case_flips` of a stage due at `stage_due`, read once per campaign and instant (cases share their dues)."""
    due = _at(stage_due)
    if due is None:
        return ()
    # overdue once past its due (`stage_overdue`: now > due); at the district from that moment on (now >= it)
    return (int(due.timestamp()) + 1, math.ceil(district_at(due, key.ref()).timestamp()))


def place_flips(props: dict, campaign: Campaign) -> tuple[int, ...]:
    """Every moment at which one of the place's open cases changes its derived flags, in order."""
    return tuple(sorted({m for p in props.get("problems") or () for m in case_flips(case_of(p, campaign), campaign)}))


def place_escalation(props: dict, campaign: Campaign, now: datetime) -> int:
    """The place's highest `escalation_rank` among its open cases at `now` (a case clock)."""
    return max((escalation_rank(c.level, c.escalated) for c in cases_of(props, campaign, now) if c.open), default=0)


PLACE_FIELDS = ("layer", "id", "name", "street", "community")  # what an alert row says of its place


class RowKind(NamedTuple):
    """One kind of alert row: its sort key's length and the fields of the row as sent (the place's among them)."""

    key_len: int
    fields: tuple[str, ...]


ESCALATED_ROW = RowKind(6, ("layer", "id", "pid", "name", "street", "community", "category", "problem", "stage",
                            "unit", "handler", "stage_due", "level"))


def alert_row(kind: RowKind, key: tuple, *values: object) -> tuple:
    """An alert row as kept (see the module docstring): `key` ends with (name, layer order, place id, problem
    index), so that no two rows of a list sort alike; `values` are the row's fields that are not its place's, in
    the order of `kind.fields`. A row is made for every problem that has one, and most are let go again: one
    that is kept is made `kept_row`."""
    return (*key, *values, kind)


def kept_row(row: tuple) -> tuple:
    """A row to be kept, each string one object for equal strings (geo/kept.py): rows repeat categories, dates
    and people. (Made so only when kept: every string made one object stays in the interpreter's table of them,
    whose size never shrinks — at a million places, 1.8 million rows' descriptions and names made it 29 MB
    larger.)"""
    return tuple(map(interned, row))


def row_place(row: tuple) -> tuple[int, str]:
    """A kept row's place: (its layer's order, its id)."""
    n = row[-1].key_len
    return row[n - 3], row[n - 2]


def row_dict(row: tuple, layer: str, street: str | None, community: str | None) -> dict:
    """A kept alert row as the dict sent, with its place's layer, sub-district and community."""
    kind = row[-1]
    n = kind.key_len
    place = {"layer": layer, "id": row[n - 2], "name": row[n - 4] or None, "street": street, "community": community}
    own = dict(zip(_own_fields(kind), row[n:-1], strict=True))  # a row of another length than its kind says: an error
    return {f: place[f] if f in place else own[f] for f in kind.fields}


@functools.cache
def _own_fields(kind: RowKind) -> tuple[str, ...]:
    """The fields a row of this kind keeps after its key: those that are not its place's."""
    return tuple(f for f in kind.fields if f not in PLACE_FIELDS)


class PlaceCases(NamedTuple):
    """A place's share of the cases' panels: tuples of plain values (see geo/dashboard.py `_Part`)."""

    by_level: tuple[int, int, int]  # open overdue cases standing at each of LEVELS
    units: tuple  # (unit, (as UNIT_FIELDS)) per unit of its cases
    escalated: int  # its escalated cases (their rows are the caller's to keep or not)


def place_cases(order: int, fid: str, props: dict, campaign: Campaign,
                now: datetime) -> tuple[PlaceCases, list[tuple]]:
    """A place's share at `now` (a case clock), and a row per escalated case, as `alert_row` keeps it
    (ESCALATED_ROW); `order` ties rows by layer as the other alert lists do."""
    by_level = [0, 0, 0]
    units: dict[str, list] = {}
    rows = []
    for i, c in enumerate(cases_of(props, campaign, now)):
        case = c.case
        unit = case.get("unit") or NO_UNIT
        u = units.setdefault(unit, [0] * len(UNIT_FIELDS))
        u[0] += 1
        reported = any(s.get("action") == "report" for s in case.get("timeline") or ())
        if c.open:
            u[1] += 1
        if c.overdue:
            u[2] += 1
            by_level[LEVELS.index(c.level) if c.level in LEVELS else 0] += 1
        if c.escalated:
            u[3] += 1
        if reported or case.get("handled_on_time") is not None:
            u[4] += 1
            u[5] += case.get("handled_on_time") is True
        minutes = handling_minutes(case, campaign)
        if minutes is not None:
            u[6] += minutes
            u[7] += 1
        u[8] += (case.get("returns") or 0) > 0
        if c.escalated:  # the most late first: the earliest due (how late is said when asked: `late_hours`)
            rows.append(alert_row(
                ESCALATED_ROW, (-escalation_rank(c.level, True), case.get("stage_due") or "", props.get("name") or "",
                                order, fid, i),
                c.pid, c.problem.get("category"), c.problem.get("description"), case.get("stage"), case.get("unit"),
                case.get("handler"), case.get("stage_due"), c.level))
    cases = PlaceCases(shared(tuple(by_level)),
                       shared(tuple((interned(unit), shared(tuple(n))) for unit, n in sorted(units.items()))), len(rows))
    return shared(cases), rows  # most places' counts are alike


def late_hours(case: dict, now: datetime, campaign: Campaign) -> float | None:
    """How late a case (or an escalated case's row: its stage and stage_due) is at `now`, in working hours
    (`geo.cases.overdue_hours`); None when it is not."""
    return overdue_hours({"stage": case.get("stage"), "stage_due": case.get("stage_due")}, now, campaign)


def add_units(into: dict[str, list], units: Iterable[tuple[str, tuple]], sign: int = 1) -> None:
    """Add (or take away) units' sums."""
    for unit, counts in units:
        mine = into.setdefault(unit, [0] * len(UNIT_FIELDS))
        for i, n in enumerate(counts):
            mine[i] += sign * n


def unit_records(units: dict[str, list]) -> list[dict]:
    """Each unit's record from its sums: most overdue first, then by name; 未派遣 (no unit) last."""
    out = []
    for unit, n in units.items():
        s = dict(zip(UNIT_FIELDS, n, strict=True))
        if not s["cases"]:
            continue
        out.append({
            "unit": unit or None, "cases": s["cases"], "open": s["open"], "overdue": s["overdue"],
            "escalated": s["escalated"], "reported": s["reported"],
            "on_time_pct": round(100 * s["on_time"] / s["reported"], 1) if s["reported"] else None,
            "avg_hours": round(s["minutes"] / 60 / s["handled_n"], 1) if s["handled_n"] else None,
            "returned_pct": round(100 * s["returned"] / s["reported"], 1) if s["reported"] else None,
        })
    out.sort(key=lambda r: (r["unit"] is None, -r["overdue"], -r["escalated"], r["unit"] or ""))
    return out
