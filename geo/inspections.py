"""Daily random inspections (每日随机地点督导): drawing the day's list and recording what was found.

* `draw` picks N places at random, stratified by sub-district (街道: N is
  shared out in proportion to each one's places, every sub-district getting
  at least one when N allows), each place weighted by its relapse risk (done
  recently), whether it is overdue and whether it relapsed before (weights in
  the campaign's `inspections` section). It uses a numpy Generator seeded
  with a number recorded with the list: the same seed and the same data give
  the same list.
* `generate` stores the list as the store's record `inspections/<day>`
  (a file `inspections/<day>.json` in the data directory, or a row of the
  PostGIS `records` table, so every instance shares it), written whole under
  the store's lock for the kind, with its seed, weights, the places in
  route order (`in_route_order`: a short route from `inspections.route_start`,
  geo/route.py; the numbers every screen and sheet shows are this order) and,
  later, their results.
* `record` writes an inspection's result: `ok`; `problem` (opens a ledger
  problem found by the campaign's inspection source, so 问题不过夜 applies);
  `relapse` (反弹回潮: opens a problem and sets the place to the relapse
  status). Place changes go through the store: versioned, journaled, with
  the acting user.
* `wall_summary` is the day's list as a wall screen shows it: route order,
  place, a point inside it (in the screen's display CRS) and the result,
  without the inspector's name or notes.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
import shapely

from geo.cases import case_of, stage_label
from geo.config import Campaign
from geo.dates import BadDate, parse_day
from geo.errors import BadParameters, BrokenRecord, Conflict, FieldError, NotFound, ValidationError
from geo.exchange.gcj02 import wgs84_to_gcj02
from geo.geojson_io import PRECISION
from geo.ledger import add_problem
from geo.messages import message_of, t
from geo.printing.data import metric_crs
from geo.route import plan
from geo.rules import local_now, open_problems, place_overdue
from geo.scope import Scope, check_write
from geo.shapes import from_geojson
from geo.store.base import Finding, Store, checked_record, iso, records_not_as_written
from geo.stored_place import each_object, instant_faults, optional_object, text_faults
from geo.wall.params import in_scope

KIND = "inspections"  # the store keeps each day's list as a record of this kind
RESULTS = {key: t(f"inspections.result.{key}") for key in ("ok", "problem", "relapse")}
NO_STREET = t("places.no_street")
MAX_COUNT = 500
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Candidate:
    """A place that may be drawn, with what its weight is made of."""

    layer: str
    id: str
    street: str
    weight: float
    reasons: tuple[str, ...] = ()


# --- weights -------------------------------------------------------------------

def _local_day(stamp: str | None, campaign: Campaign) -> date | None:
    if not stamp:
        return None
    try:
        return datetime.fromisoformat(stamp).astimezone(campaign.timezone).date()
    except (TypeError, ValueError):
        return None


def done_since(store: Store, campaign: Campaign) -> dict[tuple[str, str], date]:
    """When each place last reached a done status, from the journal (local dates)."""
    done = campaign.done_statuses
    out: dict[tuple[str, str], date] = {}
    for c in store.changes_since(0):
        if c.status in done and (c.op == "create" or c.status_before not in done):
            day = _local_day(c.at, campaign)
            if day:
                out[(c.layer, c.id)] = day
    return out


def ever_relapsed(store: Store, campaign: Campaign) -> set[tuple[str, str]]:
    status = campaign.inspections.relapse_status
    return {(c.layer, c.id) for c in store.changes_since(0) if c.status == status}


def candidates(store: Store, campaign: Campaign, now: datetime) -> list[Candidate]:
    """Every place with its weight, in a fixed order (layer, id) so a seed reproduces a draw."""
    s = campaign.inspections
    today = local_now(campaign, now).date()
    recent = done_since(store, campaign)
    relapsed = ever_relapsed(store, campaign)
    out: list[Candidate] = []
    for layer in campaign.layers:
        first = len(out)
        for f in store.each_feature(layer.id):
            props = f["properties"]
            key = (layer.id, f["id"])
            weight, reasons = s.base, []
            if props.get("status") in campaign.done_statuses:
                since = recent.get(key) or _local_day(props.get("updated_at"), campaign)
                if since is not None and (today - since).days <= s.recent_days:
                    weight += s.recent_done
                    reasons.append("recent_done")
            if place_overdue(props, campaign, today):
                weight += s.overdue
                reasons.append("overdue")
            if key in relapsed or props.get("status") == s.relapse_status:
                weight += s.relapsed
                reasons.append("relapsed")
            out.append(Candidate(layer.id, f["id"], props.get("street") or NO_STREET, weight, tuple(reasons)))
        out[first:] = sorted(out[first:], key=lambda c: c.id)
    return out


# --- drawing -------------------------------------------------------------------

def allocate(sizes: dict[str, int], n: int, rng: np.random.Generator) -> dict[str, int]:
    """Share `n` draws among strata in proportion to their sizes, at least one each when n allows.

    Largest remainders settle the rounding (ties by name), then a stratum left
    with none takes one from the most over-served stratum. When n is smaller
    than the number of strata, the strata that get one are drawn with the same
    generator, in proportion to their sizes."""
    names = sorted(k for k, v in sizes.items() if v > 0)
    total = sum(sizes[k] for k in names)
    n = min(n, total)
    if n <= 0 or not names:
        return dict.fromkeys(sizes, 0)
    if n < len(names):
        p = np.array([sizes[k] for k in names], dtype=float)
        picked = rng.choice(len(names), size=n, replace=False, p=p / p.sum())
        chosen = {names[i] for i in picked}
        return {k: int(k in chosen) for k in sizes}
    quota = {k: n * sizes[k] / total for k in names}
    alloc = {k: min(int(quota[k]), sizes[k]) for k in names}
    while sum(alloc.values()) < n:
        room = [k for k in names if alloc[k] < sizes[k]]
        best = max(room, key=lambda k: (quota[k] - alloc[k], -names.index(k)))
        alloc[best] += 1
    for k in names:
        if alloc[k] == 0:
            donor = max((d for d in names if alloc[d] > 1), key=lambda d: (alloc[d] - quota[d], -names.index(d)))
            alloc[donor] -= 1
            alloc[k] = 1
    return {k: alloc.get(k, 0) for k in sizes}


def draw(pool: list[Candidate], n: int, seed: int) -> list[Candidate]:
    """N places, stratified by sub-district and weighted; the same seed and pool give the same list."""
    rng = np.random.default_rng(seed)
    strata: dict[str, list[Candidate]] = {}
    for c in pool:
        strata.setdefault(c.street, []).append(c)
    alloc = allocate({k: len(v) for k, v in strata.items()}, n, rng)
    picked: list[Candidate] = []
    for street in sorted(strata):
        k = alloc.get(street, 0)
        if not k:
            continue
        members = strata[street]
        w = np.array([c.weight for c in members], dtype=float)
        idx = rng.choice(len(members), size=k, replace=False, p=w / w.sum())
        picked.extend(members[i] for i in sorted(idx))
    return picked


# --- the day's list on disk -----------------------------------------------------

def check_day(day: str) -> date:
    """A day named in a request's path (geo/dates.py: YYYY-MM-DD within the campaign years), or 400 naming `date`."""
    try:
        return parse_day(day)
    except BadDate as exc:
        raise BadParameters([FieldError("date", message_of(exc))]) from None


def load(store: Store, day: date) -> dict | None:
    """The stored list of a day, or None; BrokenRecord (503) when it is not a list as `generate` and `record`
    write it (edited by hand, a bad restore): the wall's panel, the phones and the daily report say which."""
    return checked_record(store, KIND, day.isoformat(), listing_faults)


def list_problems(store: Store, day: date) -> list[Finding]:
    """The day's list as /api/health lists a problem: a damaged one (the wall's panel keeps what it showed and
    every screen's banner says why), else none."""
    try:
        load(store, day)
    except BrokenRecord as exc:
        return [exc.finding]
    return []


def damaged_lists(store: Store) -> list[Finding]:
    """Every day's list that parses but is not as this module writes it (`store check`; one that does not parse is
    the store's own `check`'s)."""
    return records_not_as_written(store, KIND, days(store), listing_faults)


def listing_faults(listing: dict) -> list[FieldError]:
    """Each value of a stored list whose type is not what this module writes, named by its path."""
    errors: list[FieldError] = []
    if isinstance(listing.get("seed"), bool) or not isinstance(listing.get("seed"), int):
        errors.append(FieldError("seed", t("request.wrong_type", expected=t("request.type_integer"))))
    text_faults(listing, ("date", "generated_by"), "", errors)
    instant_faults(listing, ("generated_at",), "", errors)
    if listing.get("route") is not None and not isinstance(listing["route"], dict):
        errors.append(FieldError("route", t("feature.not_an_object_value")))
    places = listing.get("places")
    if not isinstance(places, list):
        return [*errors, FieldError("places", t("request.wrong_type", expected=t("request.type_array")))]
    for where, row in each_object(places, "places", errors):
        for key in ("id", "layer"):
            if not isinstance(row.get(key), str):
                errors.append(FieldError(f"{where}.{key}", t("request.wrong_type", expected=t("request.type_string"))))
        text_faults(row, ("name", "kind", "street", "community", "status"), where + ".", errors)
        result = optional_object(row.get("result"), f"{where}.result", errors)
        if result is None:
            continue
        if result.get("result") not in RESULTS:
            errors.append(FieldError(f"{where}.result.result", t("request.not_in_enum", expected=", ".join(RESULTS))))
        text_faults(result, ("label", "notes", "inspector", "problem", "client_id"), where + ".result.", errors)
        instant_faults(result, ("at",), where + ".result.", errors)
    return errors


def days(store: Store) -> list[str]:
    """Days that have a list, newest first."""
    return sorted((k for k in store.record_keys(KIND) if _DAY.match(k)), reverse=True)


def _place_row(store: Store, campaign: Campaign, c: Candidate) -> dict:
    props = store.get(c.layer, c.id)["properties"]
    return {
        "layer": c.layer, "id": c.id, "name": props.get("name"), "kind": props.get("kind"),
        "street": props.get("street"), "community": props.get("community"), "status": props.get("status"),
        "weight": c.weight, "reasons": list(c.reasons), "result": None,
    }


def route_start(store: Store, campaign: Campaign) -> tuple[list[float], str | None]:
    """Where the day's route starts, as [lon, lat] and the place it is (or None): `inspections.route_start`, a
    point or a place's id (a point inside it), else the campaign map's centre."""
    start = campaign.inspections.route_start
    if isinstance(start, str):
        for layer in campaign.layers:
            try:
                feature = store.get(layer.id, start)
            except NotFound:
                continue
            point = interior_points([feature.get("geometry")])[0]
            if point is not None:
                return point, start
        raise ValidationError([FieldError("route_start", t("inspections.route_start_unknown", start=start))])
    if start is not None:
        return [float(start[0]), float(start[1])], None
    lat, lon = campaign.map.center
    return [float(lon), float(lat)], None


def in_route_order(store: Store, campaign: Campaign, picked: list[Candidate]) -> tuple[list[Candidate], dict]:
    """The drawn places in the order of a short route from the start (geo/route.py: nearest neighbour and 2-opt,
    in metres), places without a shape last in drawn order; and what is stored with the list about the route."""
    start, start_place = route_start(store, campaign)
    points = interior_points([store.get(c.layer, c.id).get("geometry") for c in picked])
    located = [i for i, p in enumerate(points) if p is not None]
    route = plan([points[i] for i in located], (start[0], start[1]), metric_crs(campaign))
    order = [located[i] for i in route.order] + [i for i, p in enumerate(points) if p is None]
    return [picked[i] for i in order], {"start": start, "start_place": start_place, "length_m": route.length_m,
                                        "drawn_length_m": route.given_length_m}


def generate(store: Store, campaign: Campaign, day: date, *, n: int | None = None,
             seed: int | None = None, user: str, replace: bool = False) -> dict:
    """Draw and store the list of `day`. An existing list is kept unless `replace`, and never
    replaced once a result has been recorded on it."""
    n = campaign.inspections.count if n is None else n
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_COUNT:
        raise ValidationError([FieldError("count", t("inspections.bad_count", maximum=MAX_COUNT))])
    if seed is None:
        seed = secrets.randbits(63)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValidationError([FieldError("seed", t("inspections.bad_seed"))])
    now = store.clock()
    with store.records_locked(KIND):
        existing = load(store, day)
        if existing is not None:
            if not replace:
                raise Conflict(t("inspections.list_exists", day=day, seed=existing["seed"]))
            if any(p.get("result") for p in existing["places"]):
                raise Conflict(t("inspections.list_has_results", day=day))
        pool = candidates(store, campaign, now)
        picked, route = in_route_order(store, campaign, draw(pool, n, seed))
        record_ = {
            "date": day.isoformat(), "seed": seed, "count": n, "weights": campaign.inspections.weights(),
            "generated_at": iso(now), "generated_by": user, "revision": store.revision(),
            "places": [_place_row(store, campaign, c) for c in picked], "route": route,
        }
        store.put_record(KIND, day.isoformat(), record_)
    return record_


def record(store: Store, campaign: Campaign, day: date, fid: str, *, result: str,
           user: str, username: str | None = None, scope: Scope | None = None, notes: str = "",
           category: str | None = None, deadline: str | None = None,
           layer: str | None = None, fixed: bool = False, client_id: str | None = None,
           seen_version: int | None = None) -> dict:
    """Record the inspection of one place of the day's list; returns the place's row (see `record_once`)."""
    return record_once(store, campaign, day, fid, result=result, user=user, username=username, scope=scope,
                       notes=notes, category=category,
                       deadline=deadline, layer=layer, fixed=fixed, client_id=client_id, seen_version=seen_version)[0]


def record_once(store: Store, campaign: Campaign, day: date, fid: str, *, result: str,
                user: str, username: str | None = None, scope: Scope | None = None, notes: str = "",
                category: str | None = None, deadline: str | None = None,
                layer: str | None = None, fixed: bool = False, client_id: str | None = None,
                seen_version: int | None = None) -> tuple[dict, bool]:
    """Record the inspection of one place of the day's list; returns (the place's row, whether it was recorded now).

    `problem` and `relapse` open a ledger problem (`category` required) found
    by the campaign's inspection source on `day`, filed as a case (立案, source
    "inspection", due by the next morning's cut-off: 问题不过夜; `username` is
    the recorder's account in its timeline, `user` how people read it);
    `relapse` also sets the place to the relapse status. `fixed` (立行立改, fixed on the spot) records
    the problem as found and closed that day. The store change and the list are both
    written under the list's lock, the store change first.

    `client_id` is the id the recording device made for this result: sent again (a retry after a lost
    answer, a phone's queue sent twice), the recorded row comes back unchanged with `False`; a place
    already inspected under another id (or none) stays a conflict. `seen_version` is the place's version the
    inspector saw when the list was loaded: if the place has changed since, the result is still recorded
    (only the problem it opens and, for a relapse, the status are written, on top of the other changes) and
    the result carries `changed_meanwhile` (who changed it, when) for the inspector and the planner.

    `scope` is where the recorder may write (geo/scope.py): a place outside it is refused (OutOfScope), even
    for an `ok` that writes only the list; an inspector's scope is the whole district."""
    if not isinstance(result, str) or result not in RESULTS:
        raise ValidationError([FieldError("result", t("request.not_in_enum", expected=", ".join(RESULTS)), fid)])
    client_id = _client_id(client_id, fid)
    if seen_version is not None and (isinstance(seen_version, bool) or not isinstance(seen_version, int)):
        raise ValidationError([FieldError("seen_version", t("inspections.whole_number"), fid)])
    s = campaign.inspections
    with store.records_locked(KIND):
        listing = load(store, day)
        if listing is None:
            raise NotFound(t("inspections.no_list", day=day))
        rows = [p for p in listing["places"] if p["id"] == fid and (layer is None or p["layer"] == layer)]
        if not rows:
            raise NotFound(t("inspections.not_listed", fid=fid, day=day))
        row = rows[0]
        if row.get("result"):
            if client_id is not None and row["result"].get("client_id") == client_id:
                return row, False
            raise Conflict(t("inspections.already_inspected", fid=fid, day=day, inspector=row["result"]["inspector"]))
        now = store.clock()
        entry = {"result": result, "label": RESULTS[result], "notes": (notes or "").strip(),
                 "at": iso(now), "inspector": user, "problem": None, "version": None,
                 "fixed": bool(fixed) and result != "ok", "client_id": client_id, "changed_meanwhile": None}
        feature = store.get(row["layer"], fid)
        props = feature["properties"]
        check_write(scope, props, None, fid)
        if seen_version is not None and props.get("version") != seen_version:
            entry["changed_meanwhile"] = {"seen_version": seen_version, "version": props.get("version"),
                                          "by": props.get("updated_by"), "at": props.get("updated_at")}
        if result in ("problem", "relapse"):
            if not category:
                raise ValidationError([FieldError("category", t("inspections.category_needed"), fid)])
            due = deadline or (day + timedelta(days=s.deadline_days)).isoformat()
            problem = {"category": category, "description": entry["notes"] or RESULTS[result],
                       "found_on": day.isoformat(), "found_by": s.source or campaign.inspection_sources[0],
                       "deadline": due}
            if entry["fixed"]:
                problem["status"] = next(p.key for p in campaign.problem_statuses if not p.open)
            # filed (立案) as a case the inspection found: to be dispatched, due by the next morning's cut-off
            # (问题不过夜); the place's community and head stay the problem's responsible until a dispatch names one
            changes = add_problem(feature, problem, campaign, day, now=now, user=username or user, by=user,
                                  source="inspection")
            changes["problems"][-1]["responsible"] = _responsible(props)
            if result == "relapse":
                changes["status"] = s.relapse_status
            written = store.update(row["layer"], fid, expected_version=props["version"], user=user,
                                   properties=changes, scope=scope, case_write=True).feature
            entry["problem"] = written["properties"]["problems"][-1]["id"]
            entry["version"] = written["properties"]["version"]
            row["status"] = written["properties"]["status"]
        row["result"] = entry
        store.put_record(KIND, day.isoformat(), listing)
    return row, True


CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def _client_id(value: object, fid: str) -> str | None:
    """A device's id for a result (a UUID, or any 8–64 letters, digits, - and _), or None."""
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not CLIENT_ID.match(value):
        raise ValidationError([FieldError("client_id", t("inspections.bad_client_id"), fid)])
    return value


def changed_meanwhile_notice(result: dict | None, campaign: Campaign):
    """What the inspector and the planner read when the place changed after the list was loaded, or None."""
    changed = (result or {}).get("changed_meanwhile")
    if not changed:
        return None
    at = local_time(changed["at"], campaign) if changed.get("at") else "?"
    return t("inspections.changed_meanwhile", by=changed.get("by") or "?", at=at,
             seen=changed["seen_version"], version=changed["version"])


def local_time(stamp: str, campaign: Campaign) -> str:
    return datetime.fromisoformat(stamp).astimezone(campaign.timezone).strftime("%Y-%m-%d %H:%M")


def _responsible(props: dict) -> str:
    people = props.get("people") or {}
    head = people.get("community_head") or people.get("grid_worker") or people.get("cadre") or ""
    return " ".join(x for x in (props.get("community") or "", head) if x)


def route_sheet(store: Store, campaign: Campaign, listing: dict) -> list[dict]:
    """The list with what an inspector carries: 四包一 people, unit, open problems with their case's stage (current
    data)."""
    roles = [(r.key, r.label) for r in campaign.roles]
    out = []
    for row in listing["places"]:
        try:
            props = store.get(row["layer"], row["id"])["properties"]
        except NotFound:
            props = {}
        people = props.get("people") or {}
        result = row.get("result")
        if result:
            result = {**result, "at_local": local_time(result["at"], campaign),
                      "changed_notice": changed_meanwhile_notice(result, campaign)}
        out.append({**row, "result": result, "status": props.get("status", row.get("status")), "unit": props.get("unit"),
                    "deadline": props.get("deadline"), "version": props.get("version"),
                    "people": [{"role": label, "name": people.get(key)} for key, label in roles if people.get(key)],
                    "open_problems": [_open_problem(p, campaign) for p in open_problems(props, campaign)]})
    return out


def _open_problem(problem: dict, campaign: Campaign) -> dict:
    """An open problem as the route sheet and the field page show it: with its case's stage and due time."""
    case = case_of(problem, campaign)
    due = case.get("stage_due")
    return {"id": problem.get("id"), "category": problem.get("category"), "description": problem.get("description"),
            "deadline": problem.get("deadline"), "stage": case["stage"], "stage_label": stage_label(case["stage"]),
            "stage_due_local": local_time(due, campaign) if due else None}


# --- the day's list as a wall screen shows it -------------------------------------

NOT_INSPECTED = t("inspections.result.none")


def listing_revision(listing: dict | None) -> str:
    """What tells one state of a day's list from another: its draw and how many results it holds
    (results are only ever added, and a list with results is never drawn again)."""
    if listing is None:
        return "none"
    done = sum(1 for p in listing["places"] if p.get("result"))
    return f"{listing['seed']}/{listing['generated_at']}/{done}"


def interior_points(geometries: list[dict | None], crs: str = "wgs84") -> list[list[float] | None]:
    """A point inside each geometry (`shapely.point_on_surface`) as [lon, lat], in display CRS `crs`
    (wgs84 or gcj02, shifted for an AMap basemap); None for a missing or empty geometry."""
    out: list[list[float] | None] = [None] * len(geometries)
    present = [i for i, g in enumerate(geometries) if g]
    if not present:
        return out
    points = shapely.point_on_surface(from_geojson([geometries[i] for i in present]))
    lon, lat = shapely.get_x(points), shapely.get_y(points)
    if crs == "gcj02":
        lon, lat = wgs84_to_gcj02(lon, lat)
    for i, x, y in zip(present, np.round(lon, PRECISION).tolist(), np.round(lat, PRECISION).tolist()):
        if np.isfinite(x) and np.isfinite(y):
            out[i] = [x, y]
    return out


def _result_time(stamp: str | None, day: date, campaign: Campaign) -> str | None:
    if not stamp:
        return None
    local = datetime.fromisoformat(stamp).astimezone(campaign.timezone)
    return local.strftime("%H:%M" if local.date() == day else "%m-%d %H:%M")


def wall_summary(store: Store, campaign: Campaign, listing: dict | None, day: date, *, crs: str = "wgs84",
                 street: str | None = None, community: str | None = None,
                 layers: Collection[str] | None = None) -> dict:
    """The day's list as a big screen shows it: route order, place, a point inside it, result and its time, and
    where the route starts (`route_start`, None for a screen that shows only part of the list).

    Only what a screen shows — never the inspector or the notes (a wall's display token reads this).
    Names and points are the places' current ones (a place deleted since the draw keeps its listed
    name and has no point); `street`/`community` (and `layers`, None: all) keep one screen's scope,
    route numbers stay those of the whole list. No list: no places."""
    rows, geometries = [], []
    for order, row in enumerate((listing or {}).get("places", []), start=1):
        if layers is not None and row["layer"] not in layers:
            continue
        try:
            feature = store.get(row["layer"], row["id"])
        except NotFound:
            feature = {"properties": {k: row.get(k) for k in ("name", "street", "community")}, "geometry": None}
        props = feature["properties"]
        if not in_scope(props, street, community):
            continue
        result = row.get("result") or {}
        key = result.get("result")
        rows.append({"order": order, "layer": row["layer"], "id": row["id"], "name": props.get("name") or row.get("name"),
                     "street": props.get("street"), "point": None, "result": key,
                     "label": RESULTS.get(key, NOT_INSPECTED), "at": result.get("at"),
                     "time": _result_time(result.get("at"), day, campaign), "fixed": bool(result.get("fixed"))})
        geometries.append(feature.get("geometry"))
    for row, point in zip(rows, interior_points(geometries, crs)):
        row["point"] = point
    counts = {key: sum(1 for r in rows if r["result"] == key) for key in RESULTS}
    start = ((listing or {}).get("route") or {}).get("start")
    whole = len(rows) == len((listing or {}).get("places", []))  # a screen's scope shows part of the route: no start
    if start and whole:
        lon, lat = (wgs84_to_gcj02(np.array([start[0]]), np.array([start[1]])) if crs == "gcj02"
                    else ([start[0]], [start[1]]))
        start = [round(float(lon[0]), PRECISION), round(float(lat[0]), PRECISION)]
    return {"date": day.isoformat(), "crs": crs, "route_start": start if whole else None,
            "total": len(rows), "inspected": sum(counts.values()),
            "counts": counts, "results": [{"key": None, "label": NOT_INSPECTED}]
            + [{"key": k, "label": v} for k, v in RESULTS.items()], "places": rows}
