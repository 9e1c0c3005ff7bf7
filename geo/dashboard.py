"""The progress dashboard of a wall screen, computed from the store and its journal.

* totals and share done per status, per sub-district (街道), per community
  and per problem category (places with an open problem of it; ledger
  problems opened, closed, still open, overdue);
* the alert lists: overdue (逾期) places and problems and overnight (过夜)
  problems, each with the place, the problem, how late and who answers;
* progress over time: places done at the end of each day (from the change
  journal) and ledger problems found and closed per day (from the ledger's
  dates).

Places that never changed through Guatu (imported, or the demo) have no
journal entries; one that is done counts as done from its last recorded
update, which is when that version was written: a lower bound, said so in
the chart. `known_areas` lists the sub-districts and communities a wall
URL may name.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from pathlib import Path

from geo.boundaries import read_boundaries
from geo.config import Campaign
from geo.errors import NotFound
from geo.rules import local_now, place_past_deadline, problem_is_open, problem_overdue, problem_overnight
from geo.store.base import Store

MAX_DAYS = 180  # longest progress series
ALERT_ROWS = 40  # rows of each alert list sent (the totals count them all)


def known_areas(store: Store, campaign: Campaign, data_dir: Path) -> dict[str, set[str]]:
    """Sub-district → its communities, from the boundary files and the places' own attributes."""
    areas: dict[str, set[str]] = {}
    for level in ("street", "community"):
        try:
            outlines = read_boundaries(data_dir, campaign, level)
        except NotFound:
            continue
        for f in outlines:
            props = f["properties"]
            if level == "street" and props.get("name"):
                areas.setdefault(props["name"], set())
            elif level == "community" and props.get("name") and props.get("street"):
                areas.setdefault(props["street"], set()).add(props["name"])
    for layer in store.readable_layers():
        for f in store.features(layer.id):
            props = f["properties"]
            street = props.get("street")
            if street:
                names = areas.setdefault(street, set())
                if props.get("community"):
                    names.add(props["community"])
    return areas


def _row(layer_id: str, fid: str, props: dict, **extra) -> dict:
    """An alert row: the place, then what is wrong."""
    return {"layer": layer_id, "id": fid, "name": props.get("name"), "street": props.get("street"),
            "community": props.get("community"), **extra}


def _local_date(stamp: str | None, campaign: Campaign) -> date | None:
    return _local_day(stamp, campaign.timezone) if isinstance(stamp, str) else None


@functools.lru_cache(maxsize=65536)
def _local_day(stamp: str, zone) -> date | None:
    try:
        return datetime.fromisoformat(stamp).astimezone(zone).date()
    except ValueError:
        return None


@functools.lru_cache(maxsize=4096)  # a campaign has a few hundred distinct dates and tens of thousands of problems
def _parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _date(text: str | None) -> date | None:
    return _parse_date(text) if isinstance(text, str) and text else None


class _Tally:
    """Counts of one group of places (a sub-district, a community, everything)."""

    def __init__(self, name: str, statuses: Iterable[str], **extra) -> None:
        self.name = name
        self.extra = extra
        self.by_status = {s: 0 for s in statuses}
        self.total = self.done = self.overdue = self.overnight = 0

    def add(self, status: str, done: bool, overdue: bool, overnight: bool) -> None:
        self.by_status[status] = self.by_status.get(status, 0) + 1
        self.total += 1
        self.done += done
        self.overdue += overdue
        self.overnight += overnight

    def as_dict(self) -> dict:
        pct = round(100 * self.done / self.total, 1) if self.total else 0.0
        return {"name": self.name, **self.extra, "total": self.total, "done": self.done, "pct": pct,
                "overdue": self.overdue, "overnight": self.overnight, "by_status": self.by_status}


def dashboard(store: Store, campaign: Campaign, now: datetime, *, street: str | None = None,
              community: str | None = None, layers: Iterable[str] | None = None) -> dict:
    """Everything the dashboard panels show, for the places of one scope."""
    now_l = local_now(campaign, now)
    today = now_l.date()
    keys = [s.key for s in campaign.statuses]
    done_keys = campaign.done_statuses
    wanted = set(layers) if layers else {x.id for x in campaign.layers}

    total = _Tally("全部", keys)
    streets: dict[str, _Tally] = {}
    communities: dict[tuple[str, str], _Tally] = {}
    cats = {c: {"name": c, "places": 0, "opened": 0, "closed": 0, "open": 0, "overdue": 0} for c in campaign.categories}
    problems = {"opened": 0, "closed": 0, "open": 0, "overdue": 0, "overnight": 0}
    overdue_rows: list[dict] = []
    overnight_rows: list[dict] = []
    in_scope: dict[tuple[str, str], dict] = {}

    for layer in store.readable_layers():
        if layer.id not in wanted:
            continue
        for f in store.features(layer.id):
            props = f["properties"]
            if (street and props.get("street") != street) or (community and props.get("community") != community):
                continue
            in_scope[(layer.id, f["id"])] = props
            status = props.get("status")
            done = status in done_keys
            row = functools.partial(_row, layer.id, f["id"], props)
            overnight = overdue = False
            open_cats: set[str] = set()
            for p in props.get("problems") or ():
                category = p.get("category")
                cat = cats.get(category)
                if cat is None:
                    cat = cats[category] = {"name": category, "places": 0, "opened": 0, "closed": 0, "open": 0, "overdue": 0}
                cat["opened"] += 1
                problems["opened"] += 1
                if not problem_is_open(p, campaign):
                    cat["closed"] += 1
                    problems["closed"] += 1
                    continue
                cat["open"] += 1
                problems["open"] += 1
                open_cats.add(category)
                if problem_overdue(p, campaign, today):
                    overdue = True
                    cat["overdue"] += 1
                    problems["overdue"] += 1
                    overdue_rows.append(row(category=category, problem=p.get("description"), deadline=p.get("deadline"),
                                            found_on=p.get("found_on"), found_by=p.get("found_by"),
                                            responsible=p.get("responsible"),
                                            days_late=(today - date.fromisoformat(p["deadline"])).days))
                if problem_overnight(p, campaign, now_l):
                    overnight = True
                    problems["overnight"] += 1
                    found = _date(p.get("found_on"))
                    overnight_rows.append(row(category=category, problem=p.get("description"), deadline=p.get("deadline"),
                                              found_on=p.get("found_on"), found_by=p.get("found_by"),
                                              responsible=p.get("responsible"),
                                              days_open=(today - found).days if found else None))
            for c in open_cats:
                cats[c]["places"] += 1
            if place_past_deadline(props, campaign, today):
                overdue = True
                people = props.get("people") or {}
                overdue_rows.append(row(category=None, problem="整体整改未按时间节点完成", deadline=props.get("deadline"),
                                        days_late=(today - date.fromisoformat(props["deadline"])).days,
                                        responsible=" ".join(filter(None, [props.get("unit"), people.get("cadre")]))))
            street_name = props.get("street") or "(未填街道)"
            community_key = (props.get("street") or "", props.get("community") or "(未填社区)")
            if street_name not in streets:
                streets[street_name] = _Tally(street_name, keys)
            if community_key not in communities:
                communities[community_key] = _Tally(community_key[1], keys, street=props.get("street"))
            for tally in (total, streets[street_name], communities[community_key]):
                tally.add(status, done, overdue, overnight)

    overdue_rows.sort(key=lambda r: (-r["days_late"], r["name"] or ""))
    overnight_rows.sort(key=lambda r: (r["found_on"] or "", r["name"] or ""))
    totals = total.as_dict()
    totals["problems"] = problems
    return {
        "day": today.isoformat(),
        "scope": {"street": street, "community": community, "layers": sorted(wanted)},
        "totals": totals,
        "streets": [t.as_dict() for t in streets.values()],
        "communities": [t.as_dict() for t in communities.values()],
        "categories": [c for c in cats.values() if c["opened"]],
        "overdue": {"total": len(overdue_rows), "places": totals["overdue"], "rows": overdue_rows[:ALERT_ROWS]},
        "overnight": {"total": len(overnight_rows), "places": totals["overnight"], "rows": overnight_rows[:ALERT_ROWS]},
        "progress": progress(store, campaign, in_scope, today),
    }


def progress(store: Store, campaign: Campaign, places: dict[tuple[str, str], dict], today: date) -> dict:
    """Per day: places done at its end, ledger problems found and closed that day."""
    done_keys = campaign.done_statuses
    history: dict[tuple[str, str], list[tuple[date | None, bool]]] = {}
    first_day = today
    for c in store.changes_since(0):
        key = (c.layer, c.id)
        if key not in places:
            continue
        day = _local_date(c.at, campaign) or today
        if key not in history:  # the state before the journal knew it: from the beginning
            history[key] = [(None, c.op != "create" and c.status_before in done_keys)]
        history[key].append((day, c.status in done_keys))
        first_day = min(first_day, day)
    for key, props in places.items():
        if key not in history:
            since = _local_date(props.get("updated_at"), campaign)
            history[key] = [(since, props.get("status") in done_keys)]
            if since:
                first_day = min(first_day, since)
        for p in props.get("problems") or ():
            found = _date(p.get("found_on"))
            if found:
                first_day = min(first_day, found)

    start = max(first_day, today - timedelta(days=MAX_DAYS - 1))
    n = (today - start).days + 1
    base = 0
    change = [0] * n
    for events in history.values():
        value = False
        for day, now_done in events:
            step = int(now_done) - int(value)
            if day is None or day < start:
                base += step
            elif day <= today:
                change[(day - start).days] += step
            value = now_done
    done = []
    running = base
    for d in change:
        running += d
        done.append(running)

    opened, closed = [0] * n, [0] * n
    for props in places.values():
        for p in props.get("problems") or ():
            for day, series in ((_date(p.get("found_on")), opened), (_date(p.get("closed_on")), closed)):
                if day and start <= day <= today:
                    series[(day - start).days] += 1
    return {"start": start.isoformat(), "days": [(start + timedelta(days=i)).isoformat() for i in range(n)],
            "total": len(places), "done": done, "opened": opened, "closed": closed}
