"""Responsibility (四包一): the places a person or a unit answers for, most urgent first.

A person answers for a place when they hold one of its 四包一 roles
(`people`), or are named as the responsible person of one of its open
problems; a unit when it is the place's responsible unit (`unit`). Urgency:
overdue (逾期) first, then overnight (过夜), then the nearest deadline (the
place's own or an open problem's), places without a deadline last.
"""

from __future__ import annotations

from datetime import date, datetime

from geo.config import Campaign
from geo.messages import t
from geo.rules import local_now, open_problems, place_overdue, problem_overdue, problem_overnight
from geo.store.base import Store


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except (TypeError, ValueError):
        return None


def my_places(store: Store, campaign: Campaign, now: datetime, *, person: str | None = None,
              unit: str | None = None) -> dict:
    """Places of `person` (四包一 roles, or responsible for an open problem) and/or `unit`, by urgency."""
    person = (person or "").strip() or None
    unit = (unit or "").strip() or None
    now_l = local_now(campaign, now)
    today = now_l.date()
    roles = {r.key: r.label for r in campaign.roles}
    labels = {s.key: s.label for s in campaign.statuses}
    rows = []
    if person or unit:
        for layer in campaign.layers:
            for f in store.each_feature(layer.id):
                props = f["properties"]
                people = props.get("people") or {}
                problems = open_problems(props, campaign)
                held = [roles.get(k, k) for k, v in people.items() if person and v == person]
                answers = bool(held) or (unit is not None and props.get("unit") == unit)
                if person and any(person in (p.get("responsible") or "").split() for p in problems):
                    answers = True
                    held = held or [t("ledger.responsible_role")]
                if not answers:
                    continue
                rows.append(_row(layer.id, f, props, problems, held, campaign, today, now_l, labels))
    rows.sort(key=lambda r: (not r["overdue"], not r["overnight"], r["next_deadline"] or "9999-99-99", r["name"] or ""))
    return {"person": person, "unit": unit, "day": today.isoformat(), "count": len(rows),
            "overdue": sum(r["overdue"] for r in rows), "overnight": sum(r["overnight"] for r in rows),
            "places": rows}


def responsible_names(store: Store, campaign: Campaign) -> dict[str, list[str]]:
    """Everyone named in a 四包一 role or as a problem's responsible, and every responsible unit: what the
    "my places" form offers to pick from."""
    people: set[str] = set()
    units: set[str] = set()
    for layer in campaign.layers:
        for f in store.each_feature(layer.id):
            props = f["properties"]
            people.update(v for v in (props.get("people") or {}).values() if isinstance(v, str) and v.strip())
            for p in props.get("problems") or ():
                people.update((p.get("responsible") or "").split())
            if isinstance(props.get("unit"), str) and props["unit"].strip():
                units.add(props["unit"])
    return {"people": sorted(people), "units": sorted(units)}


def _row(layer: str, f: dict, props: dict, problems: list[dict], roles: list[str], campaign: Campaign,
         today: date, now_l: datetime, labels: dict) -> dict:
    items = []
    for p in problems:
        items.append({"id": p.get("id"), "category": p.get("category"), "description": p.get("description"),
                      "deadline": p.get("deadline"), "found_on": p.get("found_on"), "found_by": p.get("found_by"),
                      "responsible": p.get("responsible"),
                      "overdue": problem_overdue(p, campaign, today),
                      "overnight": problem_overnight(p, campaign, now_l)})
    items.sort(key=lambda p: (not p["overdue"], not p["overnight"], p["deadline"] or "9999-99-99"))
    deadlines = [d for d in [props.get("deadline") if props.get("status") not in campaign.done_statuses else None,
                             *(p["deadline"] for p in items)] if _date(d)]
    nearest = min(deadlines) if deadlines else None
    return {
        "layer": layer, "id": f["id"], "name": props.get("name"), "kind": props.get("kind"),
        "street": props.get("street"), "community": props.get("community"), "unit": props.get("unit"),
        "status": props.get("status"), "status_label": labels.get(props.get("status"), props.get("status")),
        "deadline": props.get("deadline"), "roles": roles,
        "overdue": place_overdue(props, campaign, today), "overnight": any(p["overnight"] for p in items),
        "next_deadline": nearest, "days_left": (_date(nearest) - today).days if nearest else None,
        "open_problems": items,
    }
