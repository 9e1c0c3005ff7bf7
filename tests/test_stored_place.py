"""The types of a stored place's values (geo/stored_place.py): Guatu's own places pass, a value of another type
is named by its path, and the campaign's lists are never checked."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from geo.stored_place import stored_place_errors

DATA = Path(__file__).resolve().parent.parent / "data"


def _demo_places() -> list[dict]:
    places = []
    for path in sorted((DATA / "layers").glob("*.geojson")):
        places += [f["properties"] for f in json.loads(path.read_text(encoding="utf-8"))["features"]]
    return places


def _with_a_case() -> dict:
    return copy.deepcopy(next(p for p in _demo_places()
                              if any(isinstance(x.get("case"), dict) and x["case"].get("timeline") and x["case"].get("stage_due")
                                     for x in p.get("problems") or ())))


def test_every_place_of_the_demo_campaign_passes():
    places = _demo_places()
    assert len(places) > 300 and sum(len(p.get("problems") or ()) for p in places) > 100
    assert [(p["name"], stored_place_errors(p)) for p in places if stored_place_errors(p)] == []


def _case(props: dict) -> dict:
    return next(x["case"] for x in props["problems"] if isinstance(x.get("case"), dict) and x["case"].get("timeline"))


FAULTS = {  # a hand edit → the path named first
    "status as a number": (lambda p: p.update(status=3), "status"),
    "no status": (lambda p: p.pop("status"), "status"),
    "name as an object": (lambda p: p.update(name={"a": 1}), "name"),
    "community as a list": (lambda p: p.update(community=["金桥社区"]), "community"),
    "deadline as a number": (lambda p: p.update(deadline=20261130), "deadline"),
    "updated_at as a number": (lambda p: p.update(updated_at=5), "updated_at"),
    "people as text": (lambda p: p.update(people="张三"), "people"),
    "a person as a number": (lambda p: p.update(people={"cadre": 5}), "people.cadre"),
    "an extra attribute as a list": (lambda p: p.update(inspections=[1]), "inspections"),
    "problems as text": (lambda p: p.update(problems="无"), "problems"),
    "a problem as a number": (lambda p: p.update(problems=[1]), "problems[0]"),
    "a problem's description as an object": (lambda p: p["problems"][0].update(description={"a": 1}),
                                             "problems[0].description"),
    "a case as text": (lambda p: p["problems"][0].update(case="办理中"), "problems[0].case"),
    "a case's stage unknown": (lambda p: _case(p).update(stage="doing"), ".case.stage"),
    "a case's due not an instant": (lambda p: _case(p).update(stage_due="明天"), ".case.stage_due"),
    "a case's due without its zone": (lambda p: _case(p).update(stage_due="2026-11-12T09:30:00"), ".case.stage_due"),
    "a case's returns as text": (lambda p: _case(p).update(returns="1"), ".case.returns"),
    "a case's handled_on_time as text": (lambda p: _case(p).update(handled_on_time="yes"), ".case.handled_on_time"),
    "a case's timeline as text": (lambda p: _case(p).update(timeline="x"), ".case.timeline"),
    "a step as a number": (lambda p: _case(p)["timeline"].append(1), ".case.timeline[3]"),
    "a step's time as a number": (lambda p: _case(p)["timeline"][0].update(at=5), ".case.timeline[0].at"),
    "photos as text": (lambda p: p.update(photos="x"), "photos"),
    "a photo without its fields": (lambda p: p.update(photos=[{"id": "x"}]), "photos[0]."),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_value_of_another_type_is_named_by_its_path(fault):
    props = _with_a_case()
    assert stored_place_errors(props) == []
    edit, path = FAULTS[fault]
    edit(props)
    errors = stored_place_errors(props)
    assert errors and path in errors[0].field, [str(e) for e in errors]


def test_the_campaigns_lists_and_days_in_another_form_are_not_checked():
    """A status, category, role or urgency taken out of campaign.json, or a day typed 2026/11/30, is shown as
    unknown (or as no day) by the readers, as before: editing campaign.json never withholds a layer."""
    props = _with_a_case()
    props.update(status="no-such-status", deadline="2026/11/30", people={"no_such_role": "张三"})
    props["problems"][0].update(category="no-such-category", status="no-such-status", found_on="昨天")
    _case(props).update(urgency="no-such-urgency", source="no-such-source")
    assert stored_place_errors(props) == []


def test_instants_of_any_year_with_their_zone_pass():
    """A migrated case found on an unknown day starts 2000-01-01 local, 1999 in UTC; an imported due may be far
    ahead: as stored, they are instants readers read."""
    props = _with_a_case()
    _case(props).update(filed_at="1999-12-31T16:00:00Z", stage_due="2206-12-05T15:59:59+08:00")
    assert stored_place_errors(props) == []
