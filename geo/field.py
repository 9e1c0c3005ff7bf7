"""The day's inspection list as an inspector's phone carries it (the field page, web/field/).

`field_list` is the route sheet of geo/inspections.py (route order, 四包一,
open problems, results) with what a phone needs to work without network:
each place's shape (WGS84 GeoJSON), its version (sent back with the result
as `seen_version`, so a place changed meanwhile is told, never overwritten),
its status' label and colour, the photos taken on this day's inspection
(newest first), its last inspection before the day, and the choices of the form (results,
categories, the default deadline).
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from geo.config import Campaign
from geo.errors import BrokenRecord, NotFound
from geo.inspections import RESULTS, days, load, local_time, route_sheet
from geo.photos import photos_of
from geo.store.base import Store

log = logging.getLogger(__name__)
_warned: set[str] = set()  # damaged lists already logged
LOOK_BACK = 60  # lists read for a place's last inspection before the day


def last_results(store: Store, day: date, places: set[tuple[str, str]]) -> dict[tuple[str, str], dict]:
    """The last inspection result of each place before `day` (from the last LOOK_BACK days' lists): date and label."""
    out: dict[tuple[str, str], dict] = {}
    for key in [d for d in days(store) if d < day.isoformat()][:LOOK_BACK]:  # newest first
        try:
            listing = load(store, date.fromisoformat(key)) or {"places": []}
        except BrokenRecord as exc:  # an old list damaged: today's list goes on without it (`store check` names it)
            if key not in _warned:  # once per process, not on every phone's request
                _warned.add(key)
                log.warning("the inspection list of %s is left out of the last results: %s", key, exc.message)
            continue
        for row in listing["places"]:
            place = (row["layer"], row["id"])
            if place in places and place not in out and row.get("result"):
                out[place] = {"date": key, "result": row["result"]["result"], "label": row["result"]["label"]}
        if len(out) == len(places):
            break
    return out


def field_list(store: Store, campaign: Campaign, listing: dict | None, day: date) -> dict:
    """Everything the field page shows for `day`: no list that day gives no places."""
    statuses = {s.key: s for s in campaign.statuses}
    before = last_results(store, day, {(p["layer"], p["id"]) for p in (listing or {"places": []})["places"]})
    places = []
    for order, row in enumerate(route_sheet(store, campaign, listing) if listing else [], start=1):
        try:
            feature = store.get(row["layer"], row["id"])
        except NotFound:
            feature = {"geometry": None, "properties": {}}
        photos = [{"id": e["id"], "role": e.get("role"), "problem": e.get("problem"), "taken_at": e.get("taken_at")}
                  for e in photos_of(feature) if e.get("inspection") == day.isoformat()]
        status = statuses.get(row.get("status"))
        places.append({
            "order": order, "layer": row["layer"], "id": row["id"], "name": row.get("name"), "kind": row.get("kind"),
            "street": row.get("street"), "community": row.get("community"), "status": row.get("status"),
            "status_label": status.label if status else row.get("status"),
            "color": status.color if status else "#888888", "version": row.get("version"),
            "people": row["people"], "open_problems": row["open_problems"], "result": row["result"],
            "last_result": before.get((row["layer"], row["id"])),
            "photos": photos, "geometry": feature["geometry"],
        })
    return {
        "date": day.isoformat(), "seed": listing["seed"] if listing else None,
        "generated_at_local": local_time(listing["generated_at"], campaign) if listing else None,
        "results": [{"key": k, "label": v} for k, v in RESULTS.items()],
        "categories": list(campaign.categories),
        "default_deadline": (day + timedelta(days=campaign.inspections.deadline_days)).isoformat(),
        "places": places,
    }
