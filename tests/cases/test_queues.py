"""The queues: 待我处理, 待我核查, 我派遣的, 待派遣, the filters, and the most urgent first."""

from __future__ import annotations

from datetime import timedelta

import pytest

from geo.cases import case_rows, queue_counts
from geo.ledger import add_problem
from tests.cases.conftest import LAYER, NOW, UNIT, act


def _second_place(store, campaign, make_feature):
    """A courtyard of another sub-district with a filed problem."""
    feature = store.create(LAYER, make_feature(name="建设路1号院", x=113.64, street="建设路街道", community="建新社区",
                                               unit="区城管局"), user="演示").feature
    changes = add_problem(feature, {"category": "僵尸车"}, campaign, NOW.date(), now=NOW, user="zhihui")
    return store.update(LAYER, feature["id"], expected_version=1, user="zhihui", properties=changes,
                        case_write=True).feature


def _keys(rows):
    return [(r["fid"], r["pid"]) for r in rows]


def test_each_person_sees_their_queues(store, no_photos, place, people, make_feature):
    other = _second_place(store, no_photos, make_feature)
    mine = (place["id"], place["properties"]["problems"][-1]["id"])
    theirs = (other["id"], other["properties"]["problems"][-1]["id"])
    rows = lambda who, queue: _keys(case_rows(store, no_photos, NOW, principal=people[who], queue=queue))  # noqa: E731
    assert rows("street", "dispatch") == [mine] and rows("other_street", "dispatch") == [theirs]
    assert sorted(rows("district", "dispatch")) == sorted([mine, theirs])
    assert rows("unit", "dispatch") == []
    act(store, no_photos, place, "dispatch", people["street"], unit=UNIT)
    assert rows("unit", "handle") == [mine] and rows("other_unit", "handle") == []
    assert rows("street", "dispatched") == [mine] and rows("street", "dispatch") == []
    act(store, no_photos, place, "report", people["unit"], note="已拆除")
    assert rows("inspector", "verify") == [mine] and rows("community", "verify") == [mine]
    assert rows("unit", "verify") == [] and rows("unit", "handle") == []
    assert queue_counts(store, no_photos, NOW, people["street"]) == {"handle": 0, "verify": 1, "dispatched": 1,
                                                                     "dispatch": 0}


def test_a_row_says_what_the_queue_page_shows(store, no_photos, place, people):
    act(store, no_photos, place, "dispatch", people["street"], unit=UNIT, urgency="urgent")
    [row] = case_rows(store, no_photos, NOW)
    assert row["stage"] == "handling" and row["stage_label"] == "处置中" and row["urgency_label"] == "紧急"
    assert row["due_local"] == "2026-12-08 14:15" and row["street"] == "大学路街道" and row["unit"] == UNIT
    assert row["place"] == "大学路51号院" and row["version"] == 3 and row["overdue"] is False
    assert row["level"] == "community" and row["escalated"] is False and row["extension_pending"] is False


@pytest.mark.parametrize(("filters", "count"), [
    ({"stage": "handling"}, 1), ({"stage": "filed"}, 1), ({"street": "建设路街道"}, 1), ({"community": "金桥社区"}, 1),
    ({"unit": UNIT}, 1), ({"unit": "区城管局"}, 1), ({"overdue": True}, 1), ({"escalated": False}, 1),
])
def test_the_filters(store, no_photos, place, people, make_feature, filters, count):
    _second_place(store, no_photos, make_feature)  # filed Monday 10:00: due at 14:00 the same day
    act(store, no_photos, place, "dispatch", people["street"], unit=UNIT)
    later = NOW + timedelta(hours=5)  # 15:00: the filed case is an hour overdue, the dispatched one is not
    assert len(case_rows(store, no_photos, later, **filters)) == count


def test_the_most_urgent_come_first(store, no_photos, place, people, make_feature):
    other = _second_place(store, no_photos, make_feature)
    act(store, no_photos, place, "dispatch", people["street"], unit=UNIT)
    rows = case_rows(store, no_photos, NOW + timedelta(days=1))  # the filed case is escalated, the other not
    assert [r["fid"] for r in rows] == [other["id"], place["id"]] and rows[0]["escalated"]
