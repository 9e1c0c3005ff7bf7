"""A place's card on a wall screen: status, deadline, 四包一 people, open problems with their cases, photos; and
its bounding box."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import quote

import numpy as np
import shapely

from geo.cases import due_local, stage_label
from geo.cases.stats import cases_of, escalation_rank, late_hours
from geo.config import Campaign
from geo.geojson_io import dumps
from geo.photo_labels import card_photo
from geo.photos import photos_of
from geo.rules import local_now, place_overdue, problem_is_open, problem_overdue, problem_overnight
from geo.scope import level_label
from geo.wall.codec import Transform


def _days(later: date, earlier: str | None) -> int | None:
    try:
        return (later - date.fromisoformat(earlier)).days if earlier else None
    except (TypeError, ValueError):
        return None


def place_card(feature: dict, layer_id: str, campaign: Campaign, now: datetime) -> dict:
    """Everything the card of one place shows: status, deadline, 四包一 people, open problems, its photos newest
    first (role labelled, no location)."""
    props = feature["properties"]
    now_l = local_now(campaign, now)
    today = now_l.date()
    status = next((s for s in campaign.statuses if s.key == props.get("status")), None)
    people = props.get("people") or {}
    roles = [{"role": r.key, "label": r.label, "name": people.get(r.key)} for r in campaign.roles if people.get(r.key)]
    labels = {p.key: p.label for p in campaign.problem_statuses}
    problems = []
    closed = 0
    cases = {id(c.problem): c for c in cases_of(props, campaign, now_l)}
    for p in props.get("problems") or ():
        if not problem_is_open(p, campaign):
            closed += 1
            continue
        late = _days(today, p.get("deadline"))
        facts = cases[id(p)]
        problems.append({
            "id": p.get("id"), "category": p.get("category"), "description": p.get("description"),
            "found_on": p.get("found_on"), "found_by": p.get("found_by"), "deadline": p.get("deadline"),
            "responsible": p.get("responsible"), "status": labels.get(p.get("status"), p.get("status")),
            "overdue": problem_overdue(p, campaign, today), "days_late": late if late and late > 0 else 0,
            "overnight": problem_overnight(p, campaign, now_l), "case": _case(layer_id, feature["id"], facts, campaign, now_l),
        })
    problems.sort(key=lambda p: (not p["overdue"], not p["overnight"], -(p["days_late"] or 0)))
    late = _days(today, props.get("deadline"))
    done = props.get("status") in campaign.done_statuses
    return {
        "layer": layer_id, "id": feature["id"], "name": props.get("name"), "kind": props.get("kind"),
        "street": props.get("street"), "community": props.get("community"),
        "status": {"key": props.get("status"), "label": status.label if status else props.get("status"),
                   "color": status.color if status else None, "done": done},
        "deadline": props.get("deadline"), "days_late": late if late and late > 0 and not done else 0,
        "overdue": place_overdue(props, campaign, today),
        "overnight": any(p["overnight"] for p in problems),
        "escalated": max((escalation_rank(p["case"]["level"], p["case"]["escalated"]) for p in problems), default=0),
        "unit": props.get("unit"), "people": roles, "notes": props.get("notes") or "",
        "problems": problems, "closed_problems": closed,
        "photos": [card_photo(p) for p in photos_of(feature)],
        "version": props.get("version"), "updated_at": props.get("updated_at"), "updated_by": props.get("updated_by"),
    }


def _case(layer_id: str, fid: str, facts, campaign: Campaign, now: datetime) -> dict:
    """What the card says of an open problem's case: its stage, who handles it, when it is due (campaign time),
    how late, the level it stands at, and the case page's address."""
    case = facts.case
    return {
        "stage": case.get("stage"), "stage_label": stage_label(case.get("stage")), "urgency": case.get("urgency"),
        "unit": case.get("unit"), "handler": case.get("handler"), "due_local": due_local(case, campaign),
        "overdue": facts.overdue, "overdue_hours": late_hours(case, now, campaign) if facts.overdue else None,
        "level": facts.level, "level_label": level_label(facts.level), "escalated": facts.escalated,
        "extension_pending": bool(case.get("extension")), "returns": case.get("returns") or 0,
        "url": "/cases/" + "/".join(quote(str(x), safe="") for x in (layer_id, fid, facts.pid)) if facts.pid else None,
    }


def place_bbox(feature: dict, transform: Transform | None = None) -> list[float] | None:
    """[west, south, east, north] of a place's geometry, `transform`ed into a display CRS (None: as stored),
    so a screen can fly to a place it has not loaded."""
    if not feature.get("geometry"):
        return None
    xy = shapely.get_coordinates(shapely.from_geojson(dumps(feature["geometry"])))
    if transform is not None:
        xy = np.stack(transform(xy[:, 0], xy[:, 1]), axis=1)
    return [round(float(v), 7) for v in (*xy.min(axis=0), *xy.max(axis=0))]
