"""The progress dashboard of a wall screen, computed from the store and its journal.

* totals and share done per status, per sub-district (街道), per community
  and per problem category (places with an open problem of it; ledger
  problems opened, closed, still open, overdue);
* the alert lists: overdue (逾期) places and problems and overnight (过夜)
  problems, each with the place, the problem, how late and who answers;
* progress over time: places done at the end of each day (from the change
  journal, by geo/progress.py's `counts_per_day`, as the timeline) and ledger
  problems found and closed per day (from the ledger's dates).

`DashboardData` (one per process) keeps each place's share of the panels,
summed per layer, sub-district and community, and brings it up to date from
the journal like the full wall state (geo/wall/catchup.py `CatchUp`): a new
revision re-derives only the places changed since, a new day or cut-off
derives them all. A scope's dashboard adds up the groups in it. The result
is the same as from scratch (`dashboard`). Sub-districts and communities are
listed in the worst first — the lowest share done, then the most places overdue — and,
where they tie, in the order of the boundary files, then the others by name;
categories with the most open problems first (then the most overdue, then
the campaign's order); rows of an alert list that tie keep the order of the
layers and of place ids. A wall screen pages through every row
(web/static/js/wall/dashboard.js): the worst are on its first page.

`known_areas` lists the sub-districts and communities a wall URL may name.
"""

from __future__ import annotations

import functools
import heapq
from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from itertools import islice, repeat
from pathlib import Path
from typing import NamedTuple

from geo.boundaries import usable_boundaries
from geo.cases.stats import (
    LEVELS,
    PLACE_FIELDS,
    PlaceCases,
    RowKind,
    add_units,
    alert_row,
    late_hours,
    place_cases,
    place_flips,
    row_dict,
    row_place,
    unit_records,
)
from geo.config import Campaign
from geo.journal import ChangeSummary
from geo.kept import interned, shared
from geo.messages import t
from geo.progress import counts_per_day, done_of, readable_places, status_history, status_steps
from geo.rules import place_past_deadline, problem_is_open, problem_overdue, problem_overnight
from geo.store.base import Store
from geo.wall.catchup import Basis, CatchUp, Flips

MAX_DAYS = 180  # longest progress series
ALERT_ROWS = 1000  # rows of each alert list sent, worst first (the totals count them all; the wall pages through them)
NO_STREET, NO_COMMUNITY = t("places.no_street"), t("places.no_community")


def known_areas(store: Store, campaign: Campaign, data_dir: Path | None) -> dict[str, set[str]]:
    """Sub-district → its communities, from the boundary files and the places' own attributes, from scratch
    (a process keeps them with its dashboard: `DashboardData.areas`)."""
    return DashboardData(store, campaign, data_dir).areas(store.revision(), store.clock())


def dashboard(store: Store, campaign: Campaign, now: datetime, *, street: str | None = None,
              community: str | None = None, layers: Iterable[str] | None = None, data_dir: Path | None = None) -> dict:
    """Everything the dashboard panels show, for the places of one scope, from scratch."""
    return DashboardData(store, campaign, data_dir).get(store.revision(), now, street=street, community=community,
                                                        layers=layers)


# --- one place's share ------------------------------------------------------------------

# each kind of alert row (geo/cases/stats.py `RowKind`): its sort key's length, then its fields as sent
_OVERDUE_ROW = RowKind(5, (*PLACE_FIELDS, "category", "problem", "deadline", "found_on", "found_by", "responsible",
                           "days_late"))
_OVERNIGHT_ROW = RowKind(5, (*PLACE_FIELDS, "category", "problem", "deadline", "found_on", "found_by", "responsible",
                             "days_open"))
_LATE_ROW = RowKind(5, (*PLACE_FIELDS, "category", "problem", "deadline", "days_late", "responsible"))


@functools.cache
def _late_text() -> str:
    """The problem a place past its own deadline is listed with: one text for every such row."""
    return t("places.late")


@functools.lru_cache(maxsize=4096)  # a campaign has a few hundred distinct dates and tens of thousands of problems
def _parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _date(text: str | None) -> date | None:
    return _parse_date(text) if isinstance(text, str) and text else None


_CAT = ("places", "opened", "closed", "open", "overdue")
_PROBLEMS = ("opened", "closed", "open", "overdue", "overnight")


class _Part(NamedTuple):
    """One place's share of the dashboard at one day and cut-off. Tuples throughout: a hundred thousand of
    them are kept, and the garbage collector stops looking at tuples that hold only plain values."""

    group: tuple  # (layer, street, community)
    status: str | None
    done: bool
    overdue: bool
    overnight: bool
    problems: tuple[int, ...]  # as _PROBLEMS
    cats: tuple  # (category, (as _CAT)) per category of its problems
    overdue_rows: tuple  # rows as geo/cases/stats.py `alert_row` keeps them: each sorts by its key
    overnight_rows: tuple
    found: tuple[date, ...]  # days its problems were found, closed
    closed: tuple[date, ...]
    steps: tuple  # (day, status, +1/-1): geo/progress.py `status_steps`
    first: date | None  # its first change's day
    cases: PlaceCases  # its share of 三级管理监控 (geo/cases/stats.py)


def _part(order: int, layer_id: str, fid: str, props: dict, journal: list[ChangeSummary] | None,
          campaign: Campaign, now_l: datetime) -> _Part:
    today = now_l.date()
    status = interned(props.get("status"))
    totals = [0] * len(_PROBLEMS)
    cats: dict[str | None, list[int]] = {}
    overdue_rows: list[tuple] = []
    overnight_rows: list[tuple] = []
    found_days: list[date] = []
    closed_days: list[date] = []
    name = props.get("name") or ""
    overdue = overnight = False
    problems = props.get("problems") or ()
    for i, p in enumerate(problems):
        category = p.get("category")
        cat = cats.setdefault(category, [0] * len(_CAT))
        cat[1] += 1
        totals[0] += 1
        for day, into in ((_date(p.get("found_on")), found_days), (_date(p.get("closed_on")), closed_days)):
            if day:
                into.append(day)
        if not problem_is_open(p, campaign):
            cat[2] += 1
            totals[1] += 1
            continue
        cat[3] += 1
        cat[0] = 1
        totals[2] += 1
        if problem_overdue(p, campaign, today):
            overdue = True
            cat[4] += 1
            totals[3] += 1
            late = (today - date.fromisoformat(p["deadline"])).days
            overdue_rows.append(alert_row(
                _OVERDUE_ROW, (-late, name, order, fid, i), category, p.get("description"), p.get("deadline"),
                p.get("found_on"), p.get("found_by"), p.get("responsible"), late))
        if problem_overnight(p, campaign, now_l):
            overnight = True
            totals[4] += 1
            found = _date(p.get("found_on"))
            overnight_rows.append(alert_row(
                _OVERNIGHT_ROW, (p.get("found_on") or "", name, order, fid, i), category, p.get("description"),
                p.get("deadline"), p.get("found_on"), p.get("found_by"), p.get("responsible"),
                (today - found).days if found else None))
    if place_past_deadline(props, campaign, today):
        overdue = True
        people = props.get("people") or {}
        late = (today - date.fromisoformat(props["deadline"])).days
        overdue_rows.append(alert_row(
            _LATE_ROW, (-late, name, order, fid, len(problems)), None, _late_text(), props.get("deadline"), late,
            " ".join(filter(None, [props.get("unit"), people.get("cadre")]))))
    events = status_history(journal or [], campaign, today, status)
    steps = shared(tuple(status_steps(events)))
    first = min((day for day, _ in events if day is not None), default=None)  # its first change's day
    return _Part(shared((layer_id, interned(props.get("street")), interned(props.get("community")))), status,
                 status in campaign.done_statuses, overdue, overnight, shared(tuple(totals)),
                 shared(tuple((interned(c), shared(tuple(n))) for c, n in cats.items())), tuple(overdue_rows),
                 tuple(overnight_rows), shared(tuple(found_days)), shared(tuple(closed_days)), steps, first,
                 place_cases(order, fid, props, campaign, now_l))


class _Group:
    """The places of one layer, sub-district and community: their shares added up."""

    def __init__(self) -> None:
        self.places = self.done = self.overdue = self.overnight = 0
        self.by_status: Counter = Counter()
        self.problems = [0] * len(_PROBLEMS)
        self.cats: dict[str | None, list[int]] = {}
        self.overdue_rows: list[tuple] = []  # rows (`alert_row`), in order
        self.overnight_rows: list[tuple] = []
        self.steps: Counter = Counter()  # (day, status) -> places that entered (or, negative, left) it
        self.firsts: Counter = Counter()  # day -> places whose journal begins then
        self.found: Counter = Counter()  # day -> problems found
        self.closed: Counter = Counter()
        self.case_levels = [0] * len(LEVELS)  # open overdue cases standing at each level
        self.case_units: dict[str, list] = {}  # unit -> sums (geo/cases/stats.py UNIT_FIELDS)
        self.escalated_rows: list[tuple] = []

    def add(self, part: _Part, sign: int, *, in_order: bool = True) -> None:
        """Add (sign 1) or take away (-1) a place's share; rows go in order unless `in_order` is False
        (then `sort` puts them in order)."""
        self.places += sign
        self.done += sign * part.done
        self.overdue += sign * part.overdue
        self.overnight += sign * part.overnight
        self.by_status[part.status] += sign
        for i, n in enumerate(part.problems):
            self.problems[i] += sign * n
        for category, counts in part.cats:
            into = self.cats.setdefault(category, [0] * len(_CAT))
            for i, n in enumerate(counts):
                into[i] += sign * n
        for i, n in enumerate(part.cases.by_level):
            self.case_levels[i] += sign * n
        add_units(self.case_units, part.cases.units, sign)
        for rows, mine in ((self.overdue_rows, part.overdue_rows), (self.overnight_rows, part.overnight_rows),
                           (self.escalated_rows, part.cases.escalated)):
            for row in mine:
                if sign < 0:
                    del rows[bisect_left(rows, row)]
                elif in_order:
                    insort(rows, row)
                else:
                    rows.append(row)
        for day, status, step in part.steps:
            self.steps[(day, status)] += sign * step
        if part.first is not None:
            self.firsts[part.first] += sign
        for into, days in ((self.found, part.found), (self.closed, part.closed)):
            for day in days:
                into[day] += sign

    def sort(self) -> None:
        self.overdue_rows.sort()
        self.overnight_rows.sort()
        self.escalated_rows.sort()


class _Index:
    """Every readable place's share, grouped, as of one basis."""

    def __init__(self, basis: Basis, now_l: datetime) -> None:
        self.basis = basis
        self.now_l = now_l
        self.journal: dict[tuple[str, str], list[ChangeSummary]] = {}
        self.parts: dict[tuple[str, str], _Part] = {}
        self.groups: dict[tuple, _Group] = {}
        self.flips = Flips()  # the places' case moments (geo/wall/catchup.py)
        self.derived_at = 0


# --- the panels ----------------------------------------------------------------------------

class DashboardData(CatchUp[_Index]):
    """One process's dashboard of one store: every place's share, kept between revisions (see the module's
    docstring); `get` answers one scope."""

    def __init__(self, store: Store, campaign: Campaign, data_dir: Path | None = None) -> None:
        super().__init__(store, campaign)
        self.data_dir = data_dir
        self.layer_order = {x.id: i for i, x in enumerate(campaign.layers)}
        self.category_order = {c: i for i, c in enumerate(campaign.categories)}
        self._streets: dict[str, int] = {}  # the boundary files' order
        self._communities: dict[tuple[str, str], int] = {}
        self._outlined: dict[str, set[str]] = {}  # sub-district -> communities, as the boundary files have them

    def get(self, revision: int, now: datetime, *, street: str | None = None, community: str | None = None,
            layers: Iterable[str] | None = None) -> dict:
        """Everything the dashboard panels show for the places of one scope, at `revision` (the journal's
        changes up to it; a wall's `StateKey.revision`)."""
        with self._catch_up_lock:
            index = self.catch_up(revision, now)
            wanted = set(layers) if layers else set(self.layer_order)
            groups = [(key, g) for key, g in index.groups.items()
                      if g.places and key[0] in wanted and (not street or key[1] == street)
                      and (not community or key[2] == community)]
            return self._panels(groups, index.now_l, street, community, wanted)

    def areas(self, revision: int, now: datetime) -> dict[str, set[str]]:
        """Sub-district → its communities, as a wall URL may name them: the boundary files' (in their order),
        then those of the places (sub-districts by name)."""
        with self._catch_up_lock:
            index = self.catch_up(revision, now)
            out = {street: set(names) for street, names in self._outlined.items()}
            met: dict[str, set[str]] = {}
            for (_, street, community), g in index.groups.items():
                if g.places and street:
                    names = met.setdefault(street, set())
                    if community:
                        names.add(community)
            for street in sorted(met):
                out.setdefault(street, set()).update(met[street])
            return out

    # --- keeping the shares ------------------------------------------------------------
    def _build(self, basis: Basis, now_l: datetime) -> _Index:
        """Every readable place's share, walking them all; the area order read again."""
        index = _Index(basis, now_l)
        index.journal, places = readable_places(self.store, basis.revision)
        for key, props in places:
            self._put(index, key, props, in_order=False)
        for group in index.groups.values():
            group.sort()
        self._read_area_order()
        return index

    def _apply(self, index: _Index, changes: list[ChangeSummary], now_l: datetime) -> None:
        """Re-derive the shares of the places these changes touched (at the day and cut-off the index was
        built on: `now_l` is the same day and side of the cut-off, or the index is built again; the cases' flags
        and how late they are are taken at `now_l` itself)."""
        index.now_l = now_l
        readable = {layer_id for layer_id, _ in index.basis.layers}
        touched: dict[tuple[str, str], None] = {}
        for c in changes:
            if c.layer in readable:
                index.journal.setdefault((c.layer, c.id), []).append(c)
                touched[(c.layer, c.id)] = None
        features = self._read(touched)
        for key in touched:
            old = index.parts.pop(key, None)
            if old is not None:
                index.groups[old.group].add(old, -1)
            if key not in features:
                index.flips.remove(key)
                continue
            self._put(index, key, features[key]["properties"])

    def _rederive(self, index: _Index, keys: list[tuple[str, str]], now_l: datetime) -> None:
        """Places whose case ran overdue or escalated since: their shares made again at `now_l`."""
        index.now_l = now_l
        kept = []
        for key in keys:
            if key in index.parts:
                kept.append(key)
            else:
                index.flips.remove(key)
        features = self._read(kept)
        for key in kept:
            if key in features:  # (else deleted by a change after this revision: that change takes it out)
                old = index.parts[key]
                index.groups[old.group].add(old, -1)
                self._put(index, key, features[key]["properties"])

    def _put(self, index: _Index, key: tuple[str, str], props: dict, *, in_order: bool = True) -> None:
        part = _part(self.layer_order.get(key[0], -1), key[0], key[1], props, index.journal.get(key), self.campaign,
                     index.now_l)
        index.parts[key] = part
        index.flips.set(key, place_flips(props, self.campaign))
        group = index.groups.get(part.group)
        if group is None:
            group = index.groups[part.group] = _Group()
        group.add(part, 1, in_order=in_order)

    def _read_area_order(self) -> None:
        """Sub-districts and communities as the boundary files list them (read with every new index)."""
        self._streets, self._communities, self._outlined = {}, {}, {}
        if self.data_dir is None:
            return
        for level, into in (("street", self._streets), ("community", self._communities)):
            for f in usable_boundaries(self.data_dir, self.campaign, level):
                props = f["properties"]
                name = props.get("name")
                if not name:
                    continue
                if level == "street":
                    self._outlined.setdefault(name, set())
                elif props.get("street"):
                    self._outlined.setdefault(props["street"], set()).add(name)
                key = name if level == "street" else (props.get("street") or "", name)
                if key not in into:
                    into[key] = len(into)

    # --- answering a scope ----------------------------------------------------------------
    def _panels(self, groups: list[tuple[tuple, _Group]], now_l: datetime, street: str | None,
                community: str | None, wanted: set[str]) -> dict:
        today = now_l.date()
        total = _Tally(t("places.all"))
        streets: dict[str, _Tally] = {}
        communities: dict[tuple[str, str], _Tally] = {}
        problems = [0] * len(_PROBLEMS)
        cats: dict[str | None, list[int]] = {}
        for (_, street_name, community_name), g in groups:
            s = street_name or NO_STREET
            c = (street_name or "", community_name or NO_COMMUNITY)
            if s not in streets:
                streets[s] = _Tally(s)
            if c not in communities:
                communities[c] = _Tally(c[1], street=c[0] or None)
            for tally in (total, streets[s], communities[c]):
                tally.add(g)
            for i, n in enumerate(g.problems):
                problems[i] += n
            for category, counts in g.cats.items():
                into = cats.setdefault(category, [0] * len(_CAT))
                for i, n in enumerate(counts):
                    into[i] += n
        keys = [s.key for s in self.campaign.statuses]
        totals = total.as_dict(keys, self.campaign)
        totals["problems"] = dict(zip(_PROBLEMS, problems, strict=True))
        known_cats = self.category_order
        in_order = sorted(cats, key=lambda c: (c not in known_cats, known_cats.get(c, 0), c is None, str(c)))
        return {
            "day": today.isoformat(),
            "scope": {"street": street, "community": community, "layers": sorted(wanted)},
            "totals": totals,
            "streets": [streets[s].as_dict(keys, self.campaign)
                        for s in sorted(streets, key=lambda s: (streets[s].rank(), self._street_order(s)))],
            "communities": [communities[c].as_dict(keys, self.campaign)
                            for c in sorted(communities, key=lambda c: (communities[c].rank(), self._community_order(c)))],
            "categories": sorted(({"name": c, **dict(zip(_CAT, cats[c], strict=True))} for c in in_order if cats[c][1]),
                                 key=lambda row: (-row["open"], -row["overdue"])),
            "overdue": self._alerts([(key, g.overdue_rows) for key, g in groups], totals["overdue"]),
            "overnight": self._alerts([(key, g.overnight_rows) for key, g in groups], totals["overnight"]),
            "progress": self._progress([g for _, g in groups], today),
            "cases": self._cases(groups, now_l),
        }

    def _street_order(self, name: str) -> tuple:
        return (name not in self._streets, self._streets.get(name, 0), name)

    def _community_order(self, key: tuple[str, str]) -> tuple:
        return (key not in self._communities, self._communities.get(key, 0), key)

    @staticmethod
    def _alerts(lists: list[tuple[tuple, list[tuple]]], places: int) -> dict:
        """The worst `ALERT_ROWS` of the groups' rows (each group's list in order) as dicts, and how many there are."""
        merged = heapq.merge(*(zip(rows, repeat(group)) for group, rows in lists))  # rows never sort alike
        rows = [row_dict(row, *group) for row, group in islice(merged, ALERT_ROWS)]
        return {"total": sum(len(rows) for _, rows in lists), "places": places, "rows": rows}

    def _cases(self, keyed: list[tuple[tuple, _Group]], now_l: datetime) -> dict:
        """三级管理监控: open overdue cases by level and by unit, each unit's record, the escalated cases."""
        levels = [0] * len(LEVELS)
        units: dict[str, list] = {}
        groups = [g for _, g in keyed]
        for g in groups:
            for i, n in enumerate(g.case_levels):
                levels[i] += n
            add_units(units, g.case_units.items())
        escalated = self._alerts([(key, g.escalated_rows) for key, g in keyed], 0)
        for row in escalated["rows"]:
            row["overdue_hours"] = late_hours(row, now_l, self.campaign) or 0.0
        escalated["places"] = len({row_place(r) for g in groups for r in g.escalated_rows})
        return {"overdue_by_level": dict(zip(LEVELS, levels, strict=True)), "overdue": sum(levels),
                "units": unit_records(units), "escalated": escalated}

    def _progress(self, groups: list[_Group], today: date) -> dict:
        """Per day: places done at its end (geo/progress.py, as the timeline), ledger problems found and closed."""
        steps: Counter = Counter()
        first_day = today
        for g in groups:
            steps.update(g.steps)
            for days in (g.firsts, g.found):
                first_day = min([first_day, *(day for day, n in days.items() if n > 0)])
        start = max(first_day, today - timedelta(days=MAX_DAYS - 1))
        n = (today - start).days + 1
        opened, closed = [0] * n, [0] * n
        for g in groups:
            for days, series in ((g.found, opened), (g.closed, closed)):
                for day, k in days.items():
                    if start <= day <= today:
                        series[(day - start).days] += k
        return {"start": start.isoformat(), "days": [(start + timedelta(days=i)).isoformat() for i in range(n)],
                "total": sum(g.places for g in groups),
                "done": [done_of(counts, self.campaign) for counts in counts_per_day(steps, start, today)],
                "opened": opened, "closed": closed}


class _Tally:
    """Counts of one set of groups of places (a sub-district, a community, everything)."""

    def __init__(self, name: str, **extra) -> None:
        self.name = name
        self.extra = extra
        self.by_status: Counter = Counter()
        self.total = self.done = self.overdue = self.overnight = 0

    def add(self, g: _Group) -> None:
        self.by_status.update(g.by_status)
        self.total += g.places
        self.done += g.done
        self.overdue += g.overdue
        self.overnight += g.overnight

    def rank(self) -> tuple:
        """Worst first: the lowest share done, then the most places overdue."""
        return (self.done / self.total if self.total else 0.0, -self.overdue)

    def as_dict(self, keys: list[str], campaign: Campaign) -> dict:
        by_status = {s: self.by_status.get(s, 0) for s in keys}
        by_status.update(sorted(((s, n) for s, n in self.by_status.items() if n and s not in by_status),
                                key=lambda x: (x[0] is None, str(x[0]))))
        pct = round(100 * self.done / self.total, 1) if self.total else 0.0
        return {"name": self.name, **self.extra, "total": self.total, "done": self.done, "pct": pct,
                "overdue": self.overdue, "overnight": self.overnight, "by_status": by_status}
