"""The case queues kept between revisions (geo/cases/index.py `CaseIndex`): after random edits through the real
store on both backends, every query, page and count equals the cases walked from the store and ordered as the
queues promise; time passing makes a stage overdue and escalated without a write or a walk; a page reads only
its own places."""

from __future__ import annotations

from datetime import timedelta

import pytest

from geo.cases.index import CaseIndex, Query
from tests.cases.conftest import LAYER, NOW, PEOPLE, UNIT, act
from tests.cases.test_queues import _second_place
from tests.random_edits import READERS, RandomEdits, WalkCounter
from tests.walked import walked_cases, walked_counts

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
        pages = [index.listing(revision, now, q, limit=4, offset=2) for q in QUERIES]
        every = index.listing(revision, now, QUERIES[0])[0]
        counts = {who: index.counts(revision, now, PEOPLE[who]) for who in ("street", "district", "inspector")}
        after = walks.walks
        rebuilt += after > before
        _check(reader, campaign, now, pages, every, counts, (step, what))
        walks.walks = after  # (the walks since are the test's own)
    assert rebuilt == 1 and len(days) > 1  # built once, brought up to date since, across days too


def _check(store, campaign, now, pages, every, counts, where) -> None:
    """The kept index's pages (of QUERIES, from the third row, four), every case, and the counts of people's
    queues equal the cases walked from the store."""
    for q, (rows, count) in zip(QUERIES, pages, strict=True):
        expected = walked_cases(store, campaign, now, q)
        assert (rows, count) == (expected[2:6], len(expected)), (where, q)
    assert every == walked_cases(store, campaign, now, QUERIES[0]), where
    for who, got in counts.items():
        assert got == walked_counts(store, campaign, PEOPLE[who]), (where, who)


def test_the_kept_queues_follow_cases_through_their_loop(store, no_photos, place, make_feature):
    """Stored cases with handlers, dispatchers, reporters and urgencies, through dispatch, report, return and
    confirm, one index kept all along (the random edits' problems are all migrated cases)."""
    others = [_second_place(store, no_photos, make_feature) for _ in range(3)]
    index = CaseIndex(store, no_photos)
    walks = WalkCounter(store)
    steps = [(place, "dispatch", "street", {"unit": UNIT, "urgency": "urgent"}),
             (others[0], "dispatch", "district", {"unit": UNIT}),
             (others[1], "dispatch", "district", {"unit": "区城管局", "urgency": "urgent"}),
             (place, "report", "unit", {"note": "已拆除"}),
             (others[0], "report", "unit", {"note": "已清理"}),
             (others[0], "return", "inspector", {"note": "未清理干净"}),
             (place, "confirm", "inspector", {"note": "已核查"})]
    seen: set[str] = set()
    for i, (feature, action, who, fields) in enumerate(steps):
        act(store, no_photos, store.get(LAYER, feature["id"]), action, PEOPLE[who], **fields)
        now, revision = NOW + timedelta(hours=i), store.revision()
        pages = [index.listing(revision, now, q, limit=4, offset=2) for q in QUERIES]
        every = index.listing(revision, now, QUERIES[0])[0]
        counts = {who: index.counts(revision, now, PEOPLE[who]) for who in ("street", "district", "inspector", "unit")}
        after = walks.walks
        _check(store, no_photos, now, pages, every, counts, (i, action))
        walks.walks = after
        seen.update(queue for got in counts.values() for queue, n in got.items() if n)
        seen.update(row["stage"] for row in every)
        seen.update(row["urgency"] for row in every)
    assert walks.walks == len(store.readable_layers())  # built once, then brought up to date
    assert {"handle", "verify", "dispatched", "dispatch"} <= seen  # every queue held a case at some point
    assert {"filed", "handling", "verifying", "closed", "urgent", "normal"} <= seen


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
