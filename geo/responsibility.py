"""Responsibility (四包一): the places a person or a unit answers for, most urgent first.

A person answers for a place when they hold one of its 四包一 roles
(`people`), or are named as the responsible person of one of its open
problems; a unit when it is the place's responsible unit (`unit`). Urgency:
overdue (逾期) first, then overnight (过夜), then the nearest deadline (the
place's own or an open problem's), places without a deadline last; then by
name, layer and id.

A process keeps who answers for which place (`Responsibility`, brought up to
date from the journal as the case queues are: geo/cases/index.py), so a
person's list reads only their own places, and the form's names come from
it: walking every place took 0.26 s per request at 100,000 places, and a
database read of every place where the layer is not kept.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import NamedTuple

from geo.config import Campaign
from geo.kept import interned
from geo.messages import t
from geo.rules import local_now, open_problems, place_overdue, problem_is_open, problem_overdue, problem_overnight
from geo.store.base import Store
from geo.wall.catchup import Basis, PerPlace, PlaceEntries


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except (TypeError, ValueError):
        return None


class _Answers(NamedTuple):
    """Who answers for one place: the people of its 四包一 roles, the responsible of its open problems (those the
    "my places" list finds it by) and of every problem (those the form offers), its unit."""

    roles: tuple[tuple[str, str], ...]  # (role, name)
    open_responsible: frozenset[str]
    responsible: frozenset[str]
    unit: str | None

    def people(self) -> set[str]:
        return {name for _, name in self.roles} | self.open_responsible


def _answers(props: dict, campaign: Campaign) -> _Answers | None:
    roles = tuple((interned(k), interned(v)) for k, v in (props.get("people") or {}).items()
                  if isinstance(v, str) and v.strip())
    problems = [p for p in props.get("problems") or () if isinstance(p, dict)]
    names = [(p, (p.get("responsible") or "").split()) for p in problems if isinstance(p.get("responsible"), str)]
    responsible = frozenset(interned(n) for _, split in names for n in split)
    open_responsible = frozenset(interned(n) for p, split in names if problem_is_open(p, campaign) for n in split)
    unit = props.get("unit") if isinstance(props.get("unit"), str) and props["unit"].strip() else None
    if not (roles or responsible or unit):
        return None
    return _Answers(roles, open_responsible, responsible, interned(unit))


class _Kept(PlaceEntries):
    """Each readable place's answers, and the places each person and unit answers for, as of one basis."""

    places: dict[tuple[str, str], _Answers]

    def __init__(self, basis: Basis) -> None:
        super().__init__(basis)
        self.by_person: dict[str, set[tuple[str, str]]] = {}
        self.by_unit: dict[str, set[tuple[str, str]]] = {}
        self.names: Counter = Counter()  # every name the form offers -> how many places name it
        self.units: Counter = Counter()  # every unit -> how many places it answers for

    def put(self, key: tuple[str, str], answers: _Answers | None) -> None:
        old = self.places.get(key)
        if old is not None:
            self._count(key, old, -1)
        super().put(key, answers)
        if answers is not None:
            self._count(key, answers, 1)

    def _count(self, key: tuple[str, str], answers: _Answers, sign: int) -> None:
        for into, names in ((self.by_person, answers.people()), (self.by_unit, {answers.unit} - {None})):
            for name in names:
                keys = into.setdefault(name, set())
                if sign > 0:
                    keys.add(key)
                else:
                    keys.discard(key)
                    if not keys:
                        del into[name]
        for into, names in ((self.names, {name for _, name in answers.roles} | answers.responsible),
                            (self.units, {answers.unit} - {None})):
            for name in names:
                into[name] += sign
                if not into[name]:
                    del into[name]


class Responsibility(PerPlace[_Kept]):
    """One process's index of who answers for which place, kept between revisions (the case queues' way:
    geo/cases/index.py): "my places" reads only the places a person or unit answers for, the form's names come
    from the index. A person's or unit's places are then read again and made rows at the request's time."""

    kept_type = _Kept

    def places(self, revision: int, now: datetime, *, person: str | None = None, unit: str | None = None,
               limit: int | None = None, offset: int = 0) -> dict:
        """Places of `person` (四包一 roles, or responsible for an open problem) and/or `unit`, by urgency: `limit`
        of them from `offset` (all by default), with how many there are and are overdue and overnight."""
        person = (person or "").strip() or None
        unit = (unit or "").strip() or None
        keys: set[tuple[str, str]] = set()
        if person or unit:
            with self._catch_up_lock:
                kept = self.catch_up(revision, now)
                keys = set(kept.by_person.get(person, ())) | set(kept.by_unit.get(unit, ()))
        out = _my_places(self._read(sorted(keys)), self.campaign, now, person, unit)
        out["offset"], out["limit"] = offset, limit
        out["places"] = out["places"][offset:None if limit is None else offset + limit]
        return out

    def names(self, revision: int, now: datetime) -> dict[str, list[str]]:
        """Everyone named in a 四包一 role or as a problem's responsible, and every responsible unit: what the
        "my places" form offers to pick from."""
        with self._catch_up_lock:
            kept = self.catch_up(revision, now)
            return {"people": sorted(kept.names), "units": sorted(kept.units)}

    def _entry(self, props: dict) -> _Answers | None:
        return _answers(props, self.campaign)


def my_places(store: Store, campaign: Campaign, now: datetime, *, person: str | None = None,
              unit: str | None = None) -> dict:
    """Places of `person` (四包一 roles, or responsible for an open problem) and/or `unit`, by urgency, from
    scratch (a process keeps its index: `Responsibility`)."""
    return Responsibility(store, campaign).places(store.revision(), now, person=person, unit=unit)


def responsible_names(store: Store, campaign: Campaign) -> dict[str, list[str]]:
    """Everyone named in a 四包一 role or as a problem's responsible, and every responsible unit, from scratch."""
    return Responsibility(store, campaign).names(store.revision(), store.clock())


def _my_places(features: dict[tuple[str, str], dict], campaign: Campaign, now: datetime, person: str | None,
               unit: str | None) -> dict:
    """The rows of these places that `person` or `unit` answers for, most urgent first."""
    now_l = local_now(campaign, now)
    today = now_l.date()
    roles = {r.key: r.label for r in campaign.roles}
    labels = {s.key: s.label for s in campaign.statuses}
    rows = []
    for (layer_id, _), f in features.items():
        props = f["properties"]
        people = props.get("people") or {}
        problems = open_problems(props, campaign)
        held = [roles.get(k, k) for k, v in people.items() if person and v == person]
        answers = bool(held) or (unit is not None and props.get("unit") == unit)
        if person and any(person in (p.get("responsible") or "").split() for p in problems):
            answers = True
            held = held or [t("ledger.responsible_role")]
        if answers:
            rows.append(_row(layer_id, f, props, problems, held, campaign, today, now_l, labels))
    order = {x.id: i for i, x in enumerate(campaign.layers)}
    rows.sort(key=lambda r: (not r["overdue"], not r["overnight"], r["next_deadline"] or "9999-99-99", r["name"] or "",
                             order.get(r["layer"], len(order)), r["id"]))
    return {"person": person, "unit": unit, "day": today.isoformat(), "count": len(rows),
            "overdue": sum(r["overdue"] for r in rows), "overnight": sum(r["overnight"] for r in rows),
            "places": rows}


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
