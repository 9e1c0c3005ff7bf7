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
derives them all. A scope's dashboard adds up the groups in it. A place's
share keeps how many alert rows it has, not the rows: a group keeps only its
best rows of each list (`_Rows`), and finds its places' rows again when a
scope needs more of them. The result is the same as from scratch (`dashboard`). Sub-districts and communities are
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
from bisect import insort
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
    kept_row,
    late_hours,
    place_cases,
    place_flips,
    row_dict,
    row_place,
    unit_records,
)
from geo.config import Campaign
from geo.journal import ChangeSummary
from geo.kept import PlaceMap, interned, shared, sharing
from geo.messages import t
from geo.progress import add_to_journal, counts_per_day, done_of, readable_places, status_history, status_steps
from geo.rules import place_past_deadline, problem_is_open, problem_overdue, problem_overnight
from geo.store.base import Store
from geo.wall.catchup import Basis, CatchUp, Flips

MAX_DAYS = 180  # longest progress series
ALERT_ROWS = 1000  # rows of each alert list sent, worst first (the totals count them all; the wall pages through them)
FIRST_KEPT = 100  # rows of each alert list a group of places keeps until a scope needs more of them (`_Rows`)
NO_STREET, NO_COMMUNITY = t("places.no_street"), t("places.no_community")


def known_areas(store: Store, campaign: Campaign, data_dir: Path | None) -> dict[str, set[str]]:
    """Sub-district → its communities, from the boundary files and the places' own attributes, from scratch
    (a process keeps them with its dashboard: `DashboardData.areas`)."""
    return DashboardData(store, campaign, data_dir).areas(store.revision(), store.clock())


def dashboard(store: Store, campaign: Campaign, now: datetime, *, street: str | None = None,
              community: str | None = None, layers: Iterable[str] | None = None, data_dir: Path | None = None,
              rows: int = ALERT_ROWS) -> dict:
    """Everything the dashboard panels show, for the places of one scope, from scratch."""
    return DashboardData(store, campaign, data_dir, rows=rows).get(store.revision(), now, street=street,
                                                                   community=community, layers=layers)


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


class _Head(NamedTuple):
    """What most places share of their share: one object for each (of the most recent: geo/kept.py `shared`)."""

    group: tuple  # (layer, street, community)
    status: str | None
    done: bool
    overdue: bool
    overnight: bool
    problems: tuple[int, ...]  # as _PROBLEMS
    rows: tuple[int, int, int]  # its overdue, overnight and escalated rows (the rows themselves: `_Rows`)
    steps: tuple  # (day, status, +1/-1): geo/progress.py `status_steps`
    first: date | None  # its first change's day


class _Part(NamedTuple):
    """One place's share of the dashboard at one day and cut-off, without its alert rows. Tuples throughout: a
    million of them are kept, and the garbage collector stops looking at tuples that hold only plain values."""

    head: _Head
    cats: tuple  # (category, (as _CAT)) per category of its problems
    found: tuple[date, ...]  # days its problems were found, closed
    closed: tuple[date, ...]
    cases: PlaceCases  # its share of 三级管理监控 (geo/cases/stats.py)


_shared_part = sharing(16384)  # places alike in everything the dashboard keeps share one share


def _part(order: int, layer_id: str, fid: str, props: dict, journal: list[ChangeSummary] | None,
          campaign: Campaign, now_l: datetime) -> tuple[_Part, tuple[list[tuple], list[tuple], list[tuple]]]:
    """A place's share, and its overdue, overnight and escalated rows as geo/cases/stats.py `alert_row` keeps
    them (each sorts by its key)."""
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
    cases, escalated_rows = place_cases(order, fid, props, campaign, now_l)
    head = _Head(shared((layer_id, interned(props.get("street")), interned(props.get("community")))), status,
                 status in campaign.done_statuses, overdue, overnight, shared(tuple(totals)),
                 shared((len(overdue_rows), len(overnight_rows), len(escalated_rows))), steps, first)
    part = _Part(shared(head), shared(tuple(shared((interned(c), shared(tuple(n)))) for c, n in cats.items())),
                 shared(tuple(found_days)), shared(tuple(closed_days)), cases)
    return _shared_part(part), (overdue_rows, overnight_rows, escalated_rows)


class _Rows:
    """One alert list of a group of places: its best rows, in order, and how many it has in all.

    A million places have about 1.8 million rows, and a screen is sent the worst `ALERT_ROWS` of a scope; most
    groups give a few of them. So a group keeps at most `keep` of its rows, always the best `len(kept)` of them:
    a row that comes is kept if it is better than the last kept one (or none was left out); a place that goes
    takes its rows out of the kept ones. A group whose kept rows run out before a scope's last row sent, with
    some left out, has its places' rows found again and keeps more (`DashboardData._deepen`)."""

    __slots__ = ("kept", "total", "keep", "in_order")

    def __init__(self, keep: int) -> None:
        self.kept: list[tuple] = []
        self.total = 0
        self.keep = keep
        self.in_order = True

    def add(self, rows: list[tuple], *, in_order: bool = True) -> None:
        """These rows (of one place) come; unless `in_order`, they are put in order by `sort`."""
        kept = self.kept
        if not in_order and self.in_order and self.total > len(kept) < self.keep:
            in_order = True  # neither full nor whole: a row put last might pass over one left out
        for row in rows:
            if not in_order:
                kept.append(row)
                self.in_order = False
                if len(kept) >= 4 * self.keep:
                    self.sort()
            elif len(kept) == self.total or (kept and row < kept[-1]):
                insort(kept, kept_row(row))
                if len(kept) > self.keep:
                    kept.pop()
            self.total += 1

    def take(self, place: tuple[int, str], n: int) -> None:
        """A place's `n` rows go."""
        if n:
            self.total -= n
            if self.kept:
                self.kept = [row for row in self.kept if row_place(row) != place]

    def sort(self) -> None:
        if not self.in_order:
            self.kept.sort()
            self.in_order = True
            self.kept[:] = map(kept_row, self.kept[:self.keep])  # (in place: `add` holds the list; rows appended
            # since the last sort were not made kept rows)
        del self.kept[self.keep:]

    def short(self, cut: tuple | None) -> bool:
        """Some rows left out that may come before `cut` (a scope's last row sent; None: fewer were sent)."""
        return self.total > len(self.kept) and (not self.kept or cut is None or self.kept[-1] < cut)


class _Group:
    """The places of one layer, sub-district and community: their shares added up."""

    LISTS = ("overdue", "overnight", "escalated")  # its alert lists (`rows`)

    def __init__(self, keep: int) -> None:
        self.places = self.done = self.overdue = self.overnight = 0
        self.by_status: Counter = Counter()
        self.problems = [0] * len(_PROBLEMS)
        self.cats: dict[str | None, list[int]] = {}
        self.rows = tuple(_Rows(keep) for _ in self.LISTS)
        self.steps: Counter = Counter()  # (day, status) -> places that entered (or, negative, left) it
        self.firsts: Counter = Counter()  # day -> places whose journal begins then
        self.found: Counter = Counter()  # day -> problems found
        self.closed: Counter = Counter()
        self.case_levels = [0] * len(LEVELS)  # open overdue cases standing at each level
        self.case_units: dict[str, list] = {}  # unit -> sums (geo/cases/stats.py UNIT_FIELDS)
        self.escalated_places = 0

    def add(self, part: _Part, rows: tuple[list[tuple], ...], *, in_order: bool = True) -> None:
        """Add a place's share and its rows; rows go in order unless `in_order` is False (then `sort` puts them
        in order)."""
        self._count(part, 1)
        for into, mine in zip(self.rows, rows, strict=True):
            into.add(mine, in_order=in_order)

    def take(self, part: _Part, place: tuple[int, str]) -> None:
        """Take away a place's share and its rows (`place`: its layer's order and its id)."""
        self._count(part, -1)
        for into, n in zip(self.rows, part.head.rows, strict=True):
            into.take(place, n)

    def _count(self, part: _Part, sign: int) -> None:
        head = part.head
        self.places += sign
        self.done += sign * head.done
        self.overdue += sign * head.overdue
        self.overnight += sign * head.overnight
        self.by_status[head.status] += sign
        for i, n in enumerate(head.problems):
            self.problems[i] += sign * n
        for category, counts in part.cats:
            into = self.cats.setdefault(category, [0] * len(_CAT))
            for i, n in enumerate(counts):
                into[i] += sign * n
        for i, n in enumerate(part.cases.by_level):
            self.case_levels[i] += sign * n
        add_units(self.case_units, part.cases.units, sign)
        self.escalated_places += sign * (part.cases.escalated > 0)
        for day, status, step in head.steps:
            self.steps[(day, status)] += sign * step
        if head.first is not None:
            self.firsts[head.first] += sign
        for into, days in ((self.found, part.found), (self.closed, part.closed)):
            for day in days:
                into[day] += sign

    def sort(self) -> None:
        for rows in self.rows:
            rows.sort()


class _Index:
    """Every readable place's share, grouped, as of one basis."""

    def __init__(self, basis: Basis, now_l: datetime) -> None:
        self.basis = basis
        self.now_l = now_l
        self.journal: dict[tuple[str, str], list[ChangeSummary]] = {}
        self.parts: PlaceMap[_Part] = PlaceMap()
        self.groups: dict[tuple, _Group] = {}
        self.flips = Flips()  # the places' case moments (geo/wall/catchup.py)
        self.derived_at = 0


# --- the panels ----------------------------------------------------------------------------

class DashboardData(CatchUp[_Index]):
    """One process's dashboard of one store: every place's share, kept between revisions (see the module's
    docstring); `get` answers one scope."""

    def __init__(self, store: Store, campaign: Campaign, data_dir: Path | None = None, *,
                 rows: int = ALERT_ROWS, first_kept: int = FIRST_KEPT) -> None:
        super().__init__(store, campaign)
        self.data_dir = data_dir
        self.rows = rows  # of each alert list sent
        self.first_kept = first_kept  # rows a group keeps of each list until it is found short (`_Rows`)
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

            def in_scope() -> list[tuple[tuple, _Group]]:
                return [(key, g) for key, g in index.groups.items()
                        if g.places and key[0] in wanted and (not street or key[1] == street)
                        and (not community or key[2] == community)]

            groups = in_scope()
            for _ in range(3):  # (a place read as it is now may go to another group, which may then be short)
                short = {key: g for kind in range(len(_Group.LISTS)) for key, g in self._short(groups, kind)}
                if not short:
                    break
                read = self._read_again(index, short)  # (a store that fails leaves the index as it was)
                try:
                    self._deepen(index, short, read)
                except BaseException:
                    self._kept = None  # nothing half-done is kept: built again at the next request
                    raise
                groups = in_scope()
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
        touched = add_to_journal(index.journal, changes, {layer_id for layer_id, _ in index.basis.layers})
        features = self._read(touched)
        for key in touched:
            old = index.parts.pop(key, None)
            if old is not None:
                index.groups[old.head.group].take(old, self._place(key))
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
                index.groups[old.head.group].take(old, self._place(key))
                self._put(index, key, features[key]["properties"])

    def _short(self, groups: list[tuple[tuple, _Group]], kind: int) -> list[tuple[tuple, _Group]]:
        """The groups whose kept rows of one list run out before the scope's last row sent, with some left out."""
        lists = [g.rows[kind] for _, g in groups]
        cut = next(islice(heapq.merge(*(rows.kept for rows in lists)), self.rows - 1, None), None)
        return [(key, g) for (key, g), rows in zip(groups, lists, strict=True) if rows.short(cut)]

    def _read_again(self, index: _Index, groups: dict[tuple, _Group]) -> dict[tuple[str, str], tuple | None]:
        """These groups' places with rows, read from the store and derived (None: deleted since), the index left as
        it is (as `_rederive`, a place changed after this revision is read as it is now, and its change, when
        caught up, takes it out and puts it in again)."""
        keys = [key for key, part in index.parts.items() if any(part.head.rows) and part.head.group in groups]
        features = self._read(keys)
        return {key: self._derive(index, key, features[key]["properties"]) if key in features else None
                for key in keys}

    def _deepen(self, index: _Index, groups: dict[tuple, _Group], read: dict[tuple[str, str], tuple | None]) -> None:
        """These groups keep (up to) twice the rows sent of each list from now on: their places with rows (`read`
        again) taken out and put in again; a place deleted since keeps its counts until its deletion is caught up,
        without its rows."""
        keys = list(read)
        for key in keys:
            part = index.parts[key]
            index.groups[part.head.group].take(part, self._place(key))
        for group in groups.values():
            for rows in group.rows:
                rows.keep = max(rows.keep, 2 * self.rows)
        touched = set(groups.values())
        for key in keys:
            if read[key] is not None:
                touched.add(self._keep(index, key, *read[key], in_order=False))
            else:
                part = index.parts[key]
                index.parts[key] = part = part._replace(head=part.head._replace(rows=(0, 0, 0)))
                index.groups[part.head.group].add(part, ((), (), ()))
        for group in touched:
            group.sort()

    def _place(self, key: tuple[str, str]) -> tuple[int, str]:
        """A place as its rows name it (geo/cases/stats.py `row_place`): its layer's order and its id."""
        return self.layer_order.get(key[0], -1), key[1]

    def _put(self, index: _Index, key: tuple[str, str], props: dict, *, in_order: bool = True) -> _Group:
        return self._keep(index, key, *self._derive(index, key, props), in_order=in_order)

    def _derive(self, index: _Index, key: tuple[str, str], props: dict) -> tuple[_Part, tuple, tuple[int, ...]]:
        """A place's share, its rows and its case moments, at the index's moment."""
        part, rows = _part(self._place(key)[0], key[0], key[1], props, index.journal.get(key), self.campaign,
                           index.now_l)
        return part, rows, place_flips(props, self.campaign)

    def _keep(self, index: _Index, key: tuple[str, str], part: _Part, rows: tuple, moments: tuple[int, ...], *,
              in_order: bool) -> _Group:
        """A place's share kept, added to its group (returned) with its rows."""
        index.parts[key] = part
        index.flips.set(key, moments)
        group = index.groups.get(part.head.group)
        if group is None:
            group = index.groups[part.head.group] = _Group(self.first_kept)
        group.add(part, rows, in_order=in_order)
        return group

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
            "overdue": self._alerts([(key, g.rows[0]) for key, g in groups], totals["overdue"]),
            "overnight": self._alerts([(key, g.rows[1]) for key, g in groups], totals["overnight"]),
            "progress": self._progress([g for _, g in groups], today),
            "cases": self._cases(groups, now_l),
        }

    def _street_order(self, name: str) -> tuple:
        return (name not in self._streets, self._streets.get(name, 0), name)

    def _community_order(self, key: tuple[str, str]) -> tuple:
        return (key not in self._communities, self._communities.get(key, 0), key)

    def _alerts(self, lists: list[tuple[tuple, _Rows]], places: int) -> dict:
        """The worst `rows` of the groups' rows (each group's kept ones in order) as dicts, and how many there
        are."""
        merged = heapq.merge(*(zip(rows.kept, repeat(group)) for group, rows in lists))  # rows never sort alike
        rows = [row_dict(row, *group) for row, group in islice(merged, self.rows)]
        return {"total": sum(rows.total for _, rows in lists), "places": places, "rows": rows}

    def _cases(self, keyed: list[tuple[tuple, _Group]], now_l: datetime) -> dict:
        """三级管理监控: open overdue cases by level and by unit, each unit's record, the escalated cases."""
        levels = [0] * len(LEVELS)
        units: dict[str, list] = {}
        groups = [g for _, g in keyed]
        for g in groups:
            for i, n in enumerate(g.case_levels):
                levels[i] += n
            add_units(units, g.case_units.items())
        escalated = self._alerts([(key, g.rows[2]) for key, g in keyed], sum(g.escalated_places for g in groups))
        for row in escalated["rows"]:
            row["overdue_hours"] = late_hours(row, now_l, self.campaign) or 0.0
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
