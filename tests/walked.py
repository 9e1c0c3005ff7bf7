"""The case queues and "my places" walked from every place, as they were answered before a process kept them
(geo/cases/index.py, geo/responsibility.py): what the tests check the kept indexes against, and what
bench/bench_cases.py measures them against."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from geo.cases import LEVELS, QUEUES, case_of, case_row, in_queue
from geo.cases.index import Query
from geo.config import Campaign
from geo.responsibility import _my_places
from geo.store.base import Store


def _cases(store: Store, campaign: Campaign) -> Iterator[tuple[str, dict, dict, dict]]:
    """Every case of every readable place: (layer, place, problem, case)."""
    for layer in store.readable_layers():
        for feature in store.each_feature(layer.id):
            for problem in feature["properties"].get("problems") or ():
                if isinstance(problem, dict):
                    yield layer.id, feature, problem, case_of(problem, campaign)


def walked_cases(store: Store, campaign: Campaign, now: datetime, q: Query) -> list[dict]:
    """Every case's row made, filtered, and ordered as the queues promise: escalated to the district first, then the
    sub-district, overdue, then by due, urgency, place and problem."""
    factors = {u.key: u.factor for u in campaign.cases.urgencies}
    rows = []
    for layer_id, feature, problem, case in _cases(store, campaign):
        row = case_row(layer_id, feature, problem, campaign, now)
        if ((q.stage and row["stage"] != q.stage) or (q.street and row["street"] != q.street)
                or (q.community and row["community"] != q.community)
                or (q.unit and q.unit not in (row["unit"], row["place_unit"]))
                or (q.queue and not in_queue(q.queue, q.principal, feature["properties"], case))
                or (q.overdue is not None and row["overdue"] != q.overdue)
                or (q.escalated is not None and row["escalated"] != q.escalated)):
            continue
        rows.append(row)
    order = {x.id: i for i, x in enumerate(campaign.layers)}
    return sorted(rows, key=lambda r: (-LEVELS.index(r["level"]) if r["escalated"] else 1, not r["overdue"],
                                       r["stage_due"] or "9999", factors[r["urgency"]], r["fid"], r["pid"] or "",
                                       order[r["layer"]]))


def walked_counts(store: Store, campaign: Campaign, principal) -> dict[str, int]:
    """How many cases wait in each of the person's queues."""
    counts = dict.fromkeys(QUEUES, 0)
    for _, feature, _, case in _cases(store, campaign):
        for queue in QUEUES:
            counts[queue] += in_queue(queue, principal, feature["properties"], case)
    return counts


def walked_mine(store: Store, campaign: Campaign, now: datetime, person: str | None = None,
                unit: str | None = None) -> dict:
    """Every place tested, as "my places" is defined (geo/responsibility.py's docstring)."""
    features = {(layer.id, f["id"]): f for layer in store.readable_layers() for f in store.each_feature(layer.id)}
    return {**_my_places(features, campaign, now, person, unit), "offset": 0, "limit": None}  # all of them


def walked_names(store: Store) -> dict[str, list[str]]:
    """Everyone named in a 四包一 role or as a problem's responsible, and every responsible unit."""
    people, units = set(), set()
    for layer in store.readable_layers():
        for f in store.each_feature(layer.id):
            props = f["properties"]
            people.update(v for v in (props.get("people") or {}).values() if isinstance(v, str) and v.strip())
            for p in props.get("problems") or ():
                people.update((p.get("responsible") or "").split())
            if isinstance(props.get("unit"), str) and props["unit"].strip():
                units.add(props["unit"])
    return {"people": sorted(people), "units": sorted(units)}
