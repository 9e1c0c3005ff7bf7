"""三级管理监控 (geo/cases/stats.py) at fixed times: overdue cases by level, the escalated ones, each unit's record;
and the moments a place's case flags change."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest

from geo.cases.stats import ESCALATED_ROW, LEVELS, add_units, case_flips, place_cases, place_escalation, row_dict, unit_records
from geo.rules import local_now
from tests.wall_cases import UNIT, case, record_places

NOW = datetime.fromisoformat("2026-11-24T08:00:00+00:00")  # 16:00 local, Tuesday


def test_a_units_record_counts_its_cases_on_time_handling_time_and_returns(campaign):
    """Handling time in working hours (09:00–17:30 on working days): 9.5 (Monday 09:00 to Tuesday 10:00), 4 and
    17 (Tuesday 09:00 to Thursday 09:00) make 10.2 on average."""
    units: dict[str, list] = {}
    for i, f in enumerate(record_places()):
        add_units(units, place_cases(i, f["id"], f["properties"], campaign, NOW)[0].units)
    records = {r["unit"]: r for r in unit_records(units)}
    assert records[UNIT] == {"unit": UNIT, "cases": 5, "open": 3, "overdue": 2, "escalated": 2, "reported": 3,
                             "on_time_pct": 66.7, "avg_hours": 10.2, "returned_pct": 33.3}
    assert records[None] == {"unit": None, "cases": 1, "open": 1, "overdue": 0, "escalated": 0, "reported": 0,
                             "on_time_pct": None, "avg_hours": None, "returned_pct": None}
    assert [r["unit"] for r in unit_records(units)] == [UNIT, None]  # the one not dispatched last


def test_overdue_cases_stand_at_the_level_they_escalated_to(campaign):
    levels = [0] * len(LEVELS)
    rows = []
    for i, f in enumerate(record_places()):
        share, escalated = place_cases(i, f["id"], f["properties"], campaign, NOW)
        levels = [a + b for a, b in zip(levels, share.by_level, strict=True)]
        assert share.escalated == len(escalated)
        rows.extend(escalated)
    assert dict(zip(LEVELS, levels, strict=True)) == {"community": 0, "street": 1, "district": 1}
    ordered = [row_dict(r, "courtyards", None, None) for r in sorted(rows)]  # a kept row sorts by its key
    assert [(r["pid"], r["level"]) for r in ordered] == [("c-0002-p1", "district"), ("c-0001-p1", "street")]
    assert [r["id"] for r in ordered] == [f["id"] for f in record_places()[1::-1]]
    assert list(ordered[0]) == list(ESCALATED_ROW.fields)


def test_a_place_is_marked_by_its_highest_escalation(campaign):
    one, two, three = record_places()
    assert place_escalation(one["properties"], campaign, local_now(campaign, NOW)) == 1
    assert place_escalation(two["properties"], campaign, local_now(campaign, NOW)) == 2
    assert place_escalation(three["properties"], campaign, local_now(campaign, NOW)) == 0


def test_a_cases_flags_change_only_at_its_moments(campaign):
    """Just before each moment `case_flips` names and just after it, the derived flags differ; between two
    moments they stand still."""
    the_case = case("handling", due="2026-11-24T07:30:00+00:00")
    props = {"problems": [{"id": "p1", "status": "in_progress", "case": the_case}]}
    moments = case_flips(the_case, campaign)
    assert len(moments) == 2 and moments[0] < moments[1]
    seen = []
    for m in moments:
        before = datetime.fromtimestamp(m - 2).astimezone(campaign.timezone)
        after = datetime.fromtimestamp(m).astimezone(campaign.timezone)
        seen.append((place_escalation(props, campaign, before), place_escalation(props, campaign, after)))
    assert seen == [(0, 1), (1, 2)]
    suspended = {**the_case, "stage": "suspended"}
    assert case_flips(suspended, campaign) == () and case_flips({**the_case, "stage": "closed"}, campaign) == ()


def test_a_cases_moments_follow_its_campaigns_escalation_and_a_due_that_is_no_instant_has_none(campaign):
    """The moments are read once per campaign and due (geo/cases/stats.py keeps them): a campaign that escalates
    later gets its own, a due no cache can key (a list) or that is no instant gets none."""
    the_case = case("handling", due="2026-11-24T07:30:00+00:00")
    slower = dataclasses.replace(campaign, cases=dataclasses.replace(campaign.cases, escalation_every="3d"))
    overdue, district = case_flips(the_case, campaign)
    assert case_flips(the_case, slower)[0] == overdue and case_flips(the_case, slower)[1] > district
    assert case_flips(the_case, campaign) == (overdue, district)
    assert case_flips({**the_case, "stage_due": ["2026-11-24"]}, campaign) == ()
    assert case_flips({**the_case, "stage_due": "next week"}, campaign) == ()


def test_case_moments_are_found_between_two_clocks_and_the_last_one_passed():
    from geo.wall.catchup import Flips

    flips = Flips()
    flips.set(("courtyards", "c-1"), (100, 200))
    flips.set(("courtyards", "c-2"), (150,))
    flips.set(("roads", "r-1"), (200,))
    assert flips.between(99, 150) == [("courtyards", "c-1"), ("courtyards", "c-2")]
    assert flips.between(100, 199) == [("courtyards", "c-2")]  # after the first clock, up to the second
    assert flips.between(150, 200) == [("courtyards", "c-1"), ("roads", "r-1")]
    assert [flips.latest(t) for t in (99, 100, 199, 200, 10**9)] == [0, 100, 150, 200, 200]
    flips.set(("courtyards", "c-1"), (120,))  # its case changed
    flips.remove(("roads", "r-1"))  # deleted
    assert flips.between(0, 10**9) == [("courtyards", "c-1"), ("courtyards", "c-2")] and flips.latest(10**9) == 150


def test_places_sharing_a_moment_are_found_at_it_until_the_last_of_them_leaves_it():
    from geo.wall.catchup import Flips

    flips = Flips()
    for key in (("roads", "r-1"), ("courtyards", "c-2"), ("courtyards", "c-1")):
        flips.set(key, (300,))
    flips.set(("courtyards", "c-3"), (200, 300))
    assert flips.between(0, 300) == [("courtyards", "c-3"), ("courtyards", "c-1"), ("courtyards", "c-2"),
                                     ("roads", "r-1")]  # by moment, then, at one moment, by key
    flips.remove(("courtyards", "c-2"))
    flips.set(("courtyards", "c-3"), (200,))  # it leaves 300
    flips.remove(("roads", "r-1"))
    assert flips.between(200, 300) == [("courtyards", "c-1")] and flips.latest(10**9) == 300
    flips.set(("courtyards", "c-1"), (250, 250))  # the last one leaves 300 (a moment given twice is kept once)
    assert flips.between(0, 10**9) == [("courtyards", "c-3"), ("courtyards", "c-1")]
    assert flips.by_place[("courtyards", "c-1")] == (250,)
    assert [flips.latest(t) for t in (199, 200, 299, 300)] == [0, 200, 250, 250]
    for key in (("courtyards", "c-1"), ("courtyards", "c-3")):
        flips.remove(key)
    assert flips.between(0, 10**9) == [] and flips.latest(10**9) == 0 and not flips.by_place


@pytest.mark.parametrize("spread", [300, 4])
def test_case_moments_kept_answer_as_a_walk_over_every_places_moments(spread):
    """Random places' moments set, changed and removed, many shared (with a spread of 4 seconds, dozens of places
    at each moment, leaving and coming back): between any two clocks and the last one passed, the answers are
    those of a walk over every place's moments, and what is kept stays within twice the places at each moment."""
    import random

    from geo.wall.catchup import Flips

    rng = random.Random(7 + spread)
    flips, plain = Flips(), {}
    keys = [(layer, f"{layer[0]}-{i}") for layer in ("courtyards", "roads") for i in range(40)]
    for step in range(600):
        key = rng.choice(keys)
        if rng.random() < 0.25:
            flips.remove(key)
            plain.pop(key, None)
        else:
            moments = tuple(sorted(rng.sample(range(1_790_000_000, 1_790_000_000 + spread), rng.randint(0, 3))))
            flips.set(key, moments)
            plain[key] = moments
            plain = {k: v for k, v in plain.items() if v}
        lo, hi = sorted(rng.sample(range(1_789_999_990, 1_790_000_310), 2))
        pairs = sorted((m, k) for k, ms in plain.items() for m in ms if lo < m <= hi)
        assert flips.between(lo, hi) == list(dict.fromkeys(k for _, k in pairs)), step
        assert flips.latest(hi) == max((m for ms in plain.values() for m in ms if m <= hi), default=0), step
        at = {m: {layer: sum(m in ms for (x, _), ms in plain.items() if x == layer) for layer, _ in plain}
              for ms in plain.values() for m in ms}
        kept = flips.moments()
        assert sorted(kept) == sorted(at), step
        assert all(at[m][layer] and (type(there) is not list or len(there) <= 2 * at[m][layer])
                   for m, layers in kept.items() for layer, there in layers.items()), step
