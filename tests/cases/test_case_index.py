"""The case queues kept between revisions (geo/cases/index.py `CaseIndex`): after random edits through the real
store on both backends, every query, page and count equals the cases walked from the store and ordered as the
queues promise; time passing makes a stage overdue and escalated without a write or a walk; a page reads only
its own places."""

from __future__ import annotations

from datetime import timedelta

import pytest

from geo.cases import QUEUES
from geo.cases.index import CaseIndex, Query
from tests.cases.conftest import LAYER, NOW, PEOPLE, UNIT, act
from tests.cases.test_queues import _second_place
from tests.random_edits import READERS, RandomEdits, WalkCounter
from tests.walked import walked_cases

QUERIES = [Query(), Query(stage="handling"), Query(stage="closed"), Query(street="大学路街道"),
           Query(community="金桥社区"), Query(unit="区政府办"), Query(unit="社区 孙宏伟"), Query(overdue=True),
           Query(overdue=False, escalated=False), Query(escalated=True, street="福华街街道"),
           Query(PEOPLE["street"], "dispatch"), Query(PEOPLE["district"], "dispatch"),
           Query(PEOPLE["inspector"], "verify"), Query(PEOPLE["district"], "dispatched")]


@pytest.mark.parametrize("backend", READERS)
@pytest.mark.parametrize("seed", [1, 2])
def test_the_kept_queues_equal_the_cases_walked_from_the_store(store_factory, campaign, clock, backend, seed):
    kind, options = READERS[backend]
    writer, reader = store_factory(kind), store_factory(kind, **options)
    edits = RandomEdits(writer, clock, seed)
    index = CaseIndex(reader, campaign)
    walks = WalkCounter(reader)
    rebuilt = 0
    days = {clock().date()}
    for step in range(50):
        what = edits.step()
        days.add(clock().date())
        now, revision = clock(), reader.revision()
        before = walks.walks
        for q in QUERIES:
            expected = walked_cases(reader, campaign, now, q)
            walks.walks -= len(campaign.layers)  # (the walk above is the test's own)
            rows, count = index.listing(revision, now, q, limit=4, offset=2)
            assert (rows, count) == (expected[2:6], len(expected)), (step, what, q)
        assert index.listing(revision, now, QUERIES[0])[0] == walked_cases(reader, campaign, now, QUERIES[0])
        walks.walks -= len(campaign.layers)
        for who in ("street", "district", "inspector"):
            counts = {queue: len(walked_cases(reader, campaign, now, Query(PEOPLE[who], queue))) for queue in QUEUES}
            walks.walks -= len(campaign.layers) * len(QUEUES)
            assert index.counts(revision, now, PEOPLE[who]) == counts, (step, what, who)
        rebuilt += walks.walks > before
    assert rebuilt == 1 and len(days) > 1  # built once, brought up to date since, across days too


def test_a_case_runs_overdue_and_escalates_as_time_passes_without_a_walk(store, no_photos, place, make_feature):
    other = _second_place(store, no_photos, make_feature)  # filed Monday 10:00, due 14:00
    act(store, no_photos, place, "dispatch", PEOPLE["street"], unit=UNIT)
    times = ((NOW, None), (NOW + timedelta(hours=5), "street"), (NOW + timedelta(days=2, hours=5), "district"))
    expected = [walked_cases(store, no_photos, now, Query()) for now, _ in times]
    index = CaseIndex(store, no_photos)
    walks = WalkCounter(store)
    revision = store.revision()
    for (now, level), every in zip(times, expected, strict=True):
        rows, count = index.listing(revision, now, Query(escalated=True))
        assert [r["fid"] for r in rows] == ([other["id"]] if level else []) and count == len(rows)
        assert [r["level"] for r in rows] == ([level] if level else [])
        assert index.listing(revision, now, Query())[0] == every
    assert walks.walks == len(store.readable_layers())  # built once, at 10:00: overdue and escalated by the clock


def test_a_page_reads_only_its_own_places(store, no_photos, place, make_feature):
    for _ in range(5):
        _second_place(store, no_photos, make_feature)
    index = CaseIndex(store, no_photos)
    index.listing(store.revision(), NOW, Query())  # built
    asked: list[list[str]] = []
    get_many = store.get_many

    def counted(layer_id, fids):
        fids = list(fids)
        asked.append(fids)
        return get_many(layer_id, fids)

    store.get_many = counted
    rows, count = index.listing(store.revision(), NOW, Query(), limit=2, offset=1)
    assert count == 6 and len(rows) == 2
    assert asked == [[r["fid"] for r in rows]]
    assert rows == walked_cases(store, no_photos, NOW, Query())[1:3]
    assert index.choices(store.revision(), NOW) == {
        "streets": sorted({"建设路街道", "大学路街道"}), "communities": sorted({"建新社区", "金桥社区"}),
        "units": sorted({"区城管局", "区政府办"})}
    assert LAYER == rows[0]["layer"]
