"""Who may not take an action (403, with what they may do), what an action needs (422 naming the field), a stale
version (the store's 409) — and that a refusal writes nothing."""

from __future__ import annotations

import pytest

from geo.cases import CaseForbidden, allowed_actions, transition
from geo.errors import Conflict, ValidationError
from tests.cases.conftest import LAYER, NOW, UNIT, act


def _unchanged(store, place, before):
    assert store.get(LAYER, place["id"]) == before


def _refused(store, campaign, place, action, who, **kwargs) -> CaseForbidden:
    before = store.get(LAYER, place["id"])
    with pytest.raises(CaseForbidden) as refused:
        act(store, campaign, place, action, who, **kwargs)
    _unchanged(store, place, before)
    problem = before["properties"]["problems"][-1]
    assert refused.value.allowed == allowed_actions(problem, before["properties"], who, campaign)
    assert refused.value.http_status == 403 and refused.value.to_dict()["error"] == "forbidden"
    return refused.value


def test_the_handler_may_not_verify_their_own_fix(store, no_photos, place, people):
    act(store, no_photos, place, "dispatch", people["street"], handler="duban")  # an inspector handles it
    act(store, no_photos, place, "report", people["inspector"], note="已整改")
    refused = _refused(store, no_photos, place, "confirm", people["inspector"])
    assert "处置人以外" in refused.message and refused.allowed == []


def test_whoever_reported_the_fix_may_not_verify_it(store, no_photos, place, people):
    act(store, no_photos, place, "dispatch", people["street"], unit=UNIT, handler="zhujian")
    act(store, no_photos, place, "report", people["unit"], note="已整改")
    refused = _refused(store, no_photos, place, "return", people["unit"], note="再看看")
    assert "处置人以外" in refused.message


def test_a_unit_may_not_dispatch(store, no_photos, place, people):
    refused = _refused(store, no_photos, place, "dispatch", people["unit"], unit=UNIT)
    assert refused.allowed == [] and "区住建局" in refused.message


def test_a_dispatcher_outside_the_place_may_not_dispatch_and_is_told_their_scope(store, no_photos, place, people):
    refused = _refused(store, no_photos, place, "dispatch", people["other_street"], unit=UNIT)
    assert "建设路街道" in refused.message


def test_a_viewer_and_an_inspector_may_not_dispatch(store, no_photos, place, people):
    _refused(store, no_photos, place, "dispatch", people["viewer"], unit=UNIT)
    _refused(store, no_photos, place, "dispatch", people["inspector"], unit=UNIT)


def test_another_unit_may_not_report_a_case_it_was_not_given(store, no_photos, place, people):
    act(store, no_photos, place, "dispatch", people["community"], unit=UNIT)
    refused = _refused(store, no_photos, place, "report", people["other_unit"], note="已整改")
    assert UNIT in refused.message
    _refused(store, no_photos, place, "request_extension", people["district"], until="2026-12-30", note="x")


def test_a_unit_may_not_verify(store, no_photos, place, people):
    act(store, no_photos, place, "dispatch", people["street"], unit="区城管局")
    act(store, no_photos, place, "report", people["other_unit"], note="已整改")
    _refused(store, no_photos, place, "confirm", people["unit"])


def test_only_a_dispatcher_approves_an_extension(store, no_photos, place, people):
    act(store, no_photos, place, "dispatch", people["street"], unit=UNIT)
    act(store, no_photos, place, "request_extension", people["unit"], until="2026-12-30", note="材料未到")
    refused = _refused(store, no_photos, place, "approve_extension", people["unit"])
    assert refused.allowed == ["send_back", "report"]  # a second request waits for the first to be decided


@pytest.mark.parametrize(("action", "setup", "kwargs", "field"), [
    ("dispatch", [], {}, "unit"),
    ("dispatch", [], {"unit": "  "}, "unit"),
    ("dispatch", [], {"unit": UNIT, "urgency": "whenever"}, "urgency"),
    ("dispatch", [], {"unit": UNIT, "deadline": "2026-12-01"}, "deadline"),
    ("dispatch", [], {"unit": UNIT, "deadline": "next week"}, "deadline"),
    ("suspend", [], {}, "note"),
    ("send_back", ["dispatch"], {}, "note"),
    ("report", ["dispatch"], {}, "note"),
    ("request_extension", ["dispatch"], {"note": "材料未到"}, "until"),
    ("request_extension", ["dispatch"], {"note": "材料未到", "until": "2026-12-09"}, "until"),  # before the due day
    ("return", ["dispatch", "report"], {}, "note"),
    ("report", ["dispatch"], {"note": "已整改", "photos": ["0" * 64]}, "photos[0]"),
])
def test_what_an_action_needs_is_named_when_missing(store, no_photos, place, people, action, setup, kwargs, field):
    steps = {"dispatch": ("street", {"unit": UNIT}), "report": ("unit", {"note": "已整改"})}
    for step in setup:
        who, given = steps[step]
        act(store, no_photos, place, step, people[who], **given)
    who = {"dispatch": "street", "suspend": "street", "return": "inspector"}.get(action, "unit")
    before = store.get(LAYER, place["id"])
    with pytest.raises(ValidationError) as refused:
        act(store, no_photos, place, action, people[who], **kwargs)
    assert refused.value.http_status == 422 and field in [e.field for e in refused.value.errors]
    _unchanged(store, place, before)


def test_a_stale_version_is_the_stores_conflict(store, no_photos, place, people):
    pid = place["properties"]["problems"][-1]["id"]
    version = place["properties"]["version"]
    act(store, no_photos, place, "dispatch", people["street"], unit=UNIT)
    before = store.get(LAYER, place["id"])
    with pytest.raises(Conflict) as refused:
        transition(store, LAYER, place["id"], pid, "report", principal=people["unit"], expected_version=version,
                   campaign=no_photos, now=NOW, note="已整改")
    assert refused.value.http_status == 409 and refused.value.current["properties"]["version"] == version + 1
    _unchanged(store, place, before)


def test_an_unknown_action_is_named(store, no_photos, place, people):
    with pytest.raises(ValidationError) as refused:
        act(store, no_photos, place, "close", people["district"])
    assert refused.value.errors[0].field == "action"


@pytest.mark.parametrize(("kwargs", "field"), [({"note": 5}, "note"), ({"note": "x" * 2001}, "note"),
                                               ({"photos": "abc"}, "photos"), ({"unit": ["区住建局"]}, "unit")])
def test_what_is_given_in_the_wrong_shape_is_named(store, no_photos, place, people, kwargs, field):
    args = {"unit": UNIT, **kwargs}
    with pytest.raises(ValidationError) as refused:
        act(store, no_photos, place, "dispatch", people["street"], **args)
    assert field in [e.field for e in refused.value.errors]


def test_no_photos_given_is_no_photos(store, no_photos, place, people):
    case, _ = act(store, no_photos, place, "dispatch", people["street"], unit=UNIT, photos=None)
    assert case["timeline"][-1]["photos"] == []
