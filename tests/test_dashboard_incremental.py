"""The wall dashboard kept between revisions (geo/dashboard.py `DashboardData`) is the dashboard built from
scratch, for every scope, after random edits through the real store on both backends; its progress chart and
the timeline (geo/progress.py) count places done per day alike."""

from __future__ import annotations

import shutil
from datetime import timedelta

import pytest

from geo.dashboard import DashboardData, dashboard, known_areas
from geo.errors import StoreBusy
from geo.geojson_io import dumps
from geo.progress import timeline
from geo.rules import local_now
from geo.store.base import Op
from tests.conftest import REPO
from tests.random_edits import READERS, RandomEdits, WalkCounter

SCOPES = [{}, {"street": "大学路街道"}, {"community": "金桥社区"}, {"layers": ["roads"]},
          {"street": "福华街街道", "layers": ["courtyards"]}]


@pytest.mark.parametrize("backend", READERS)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_dashboard_kept_between_revisions_equals_one_built_from_scratch(store_factory, campaign, clock, backend,
                                                                         seed):
    kind, options = READERS[backend]
    writer, reader = store_factory(kind), store_factory(kind, **options)
    edits = RandomEdits(writer, clock, seed)
    board = DashboardData(reader, campaign)
    walks = WalkCounter(reader)
    rebuilt = 0
    for step in range(60):
        what = edits.step()
        now = clock()
        revision = reader.revision()
        before = walks.walks
        kept = [dumps(board.get(revision, now, **scope)) for scope in SCOPES]
        rebuilt += walks.walks > before
        for scope, body in zip(SCOPES, kept, strict=True):
            assert body == dumps(dashboard(reader, campaign, now, **scope)), (step, what, scope)
        areas = board.areas(revision, now)  # what a wall URL may name
        assert list(areas.items()) == list(known_areas(reader, campaign, None).items())
    assert rebuilt < 60 / 4  # most were brought up to date, not rebuilt (a new day or cut-off rebuilds)


def test_the_chart_counts_places_done_per_day_as_the_timeline(store_factory, campaign, clock):
    store = store_factory()
    # no deletions: the dashboard counts today's places, the timeline also those deleted since, while they stood
    edits = RandomEdits(store, clock, 5, deletions=False)
    for _ in range(60):
        edits.step()
        clock.advance(hours=3)  # the edits spread over a week or so
    now = clock()
    progress = dashboard(store, campaign, now)["progress"]
    first, last = (local_now(campaign, now).date() - timedelta(days=len(progress["days"]) - 1),
                   local_now(campaign, now).date())
    line = timeline(store, campaign, first, last)
    assert progress["days"] == [d["date"] for d in line["days"]]
    assert progress["done"] == [d["done"] for d in line["days"]]
    assert len(set(progress["done"])) > 2  # it did move


class CountingRefills(DashboardData):
    """The kept dashboard, counting the times groups' rows were found again (`_deepen`, which it runs)."""

    refills = 0

    def _deepen(self, index, groups, read) -> None:
        self.refills += 1
        super()._deepen(index, groups, read)


@pytest.mark.parametrize("backend", READERS)
@pytest.mark.parametrize("seed", [5, 7])
def test_a_dashboard_keeping_a_few_rows_per_group_sends_the_rows_of_one_built_from_scratch(store_factory, campaign,
                                                                                          clock, backend, seed):
    """Each group keeps one row of each list at first (here two are sent), then twice the rows sent once a scope
    needs more of its rows than it kept: rows that go are found again from the store when too few are kept, rows
    that come are kept only if they are among the best; every list sent is the one a walk over every place
    sends."""
    kind, options = READERS[backend]
    writer, reader = store_factory(kind), store_factory(kind, **options)
    edits = RandomEdits(writer, clock, seed)
    board = CountingRefills(reader, campaign, rows=2, first_kept=1)
    left_out = 0
    for step in range(80):
        what = edits.step()
        now = clock()
        revision = reader.revision()
        for scope in SCOPES:
            kept = board.get(revision, now, **scope)
            assert dumps(kept) == dumps(dashboard(reader, campaign, now, rows=2, **scope)), (step, what, scope)
        left_out += any(r.total > len(r.kept) for g in board.catch_up(revision, now).groups.values() for r in g.rows)
    assert left_out > 20 and board.refills > 3  # rows were left out, and found again


class OverduePlaces:
    """Places each with problems overdue by a number of days, named by it (in 金桥社区 unless said)."""

    def __init__(self, store, campaign, clock) -> None:
        self.store, self.campaign = store, campaign
        self.today = local_now(campaign, clock()).date()

    def add(self, *lates: int, street: str = "大学路街道", community: str = "金桥社区", problems: int = 1) -> None:
        ring = [[113.6, 34.7], [113.601, 34.7], [113.601, 34.701], [113.6, 34.701], [113.6, 34.7]]
        self.store.apply([Op("create", "courtyards", None, geometry={"type": "Polygon", "coordinates": [ring]},
                             properties={"name": f"{late}号院", "kind": self.campaign.layer("courtyards").kinds[0],
                                         "status": self.campaign.status_keys[0], "street": street,
                                         "community": community,
                                         "problems": [self._problem(late, i) for i in range(1, problems + 1)]})
                          for late in lates], user="t")

    def move(self, late: int, street: str, community: str) -> None:
        f = self._place(late)
        self.store.apply([Op("update", "courtyards", f["id"], properties={"street": street, "community": community},
                             expected_version=f["properties"]["version"])], user="t")

    def _place(self, late: int) -> dict:
        return next(f for f in self.store.features("courtyards") if f["properties"]["name"] == f"{late}号院")

    def close(self, late: int) -> None:
        f = self._place(late)
        closed = [{**f["properties"]["problems"][0], "status": "closed", "closed_on": self.today.isoformat()}]
        self.store.apply([Op("update", "courtyards", f["id"], properties={"problems": closed},
                             expected_version=f["properties"]["version"])], user="t")

    def _problem(self, late: int, number: int = 1) -> dict:
        return {"id": f"p{number}", "category": self.campaign.categories[0], "description": "待整改", "status": "open",
                "found_on": (self.today - timedelta(days=late + 1)).isoformat(), "found_by": "社区排查",
                "deadline": (self.today - timedelta(days=late)).isoformat()}


def test_when_the_kept_rows_are_closed_the_next_worst_are_found_again(store_factory, campaign, clock):
    """Eight places, overdue by 1 to 8 days; two rows are sent, the group keeps one at first, four once it is
    found short. Closing the worst one at a time, the two sent are always the worst two still open, the total
    counts them all, and the store is read again only when fewer than two are kept of more."""
    store = store_factory()
    places = OverduePlaces(store, campaign, clock)
    places.add(*range(1, 9))
    board = CountingRefills(store, campaign, rows=2, first_kept=1)
    scope = {"community": "金桥社区"}
    sent = []
    for late in range(8, 0, -1):
        now = clock()
        overdue = board.get(store.revision(), now, **scope)["overdue"]
        assert overdue == dashboard(store, campaign, now, rows=2, **scope)["overdue"]
        assert overdue["total"] == late and [r["days_late"] for r in overdue["rows"]] == [late, late - 1][:late]
        sent.append(board.refills)
        places.close(late)
    # one kept: read again at once, four kept; again after the third closing (one left of the four), then the
    # best four of the five open kept; again after three more (one kept of two open); the last one is all there is
    assert sent == [1, 1, 1, 2, 2, 2, 3, 3]


def test_a_row_after_the_kept_ones_is_not_kept_while_better_ones_are_left_out(store_factory, campaign, clock):
    """Kept: 6 and 5 days late of 6, 5, 4, 3, 2 and 1. A place 1 day late comes (after the kept ones: left out as
    the others are), then 6 is closed: the rows sent are 5 and 4, not 5 and the newcomer."""
    store = store_factory()
    places = OverduePlaces(store, campaign, clock)
    places.add(*range(1, 9))
    board = CountingRefills(store, campaign, rows=2, first_kept=1)
    board.get(store.revision(), clock(), community="金桥社区")  # the group found short: four kept (8 to 5)
    places.close(8)
    places.close(7)
    board.get(store.revision(), clock(), community="金桥社区")
    places.add(1)
    places.close(6)
    overdue = board.get(store.revision(), clock(), community="金桥社区")["overdue"]
    assert [(r["name"], r["days_late"]) for r in overdue["rows"]] == [("5号院", 5), ("4号院", 4)]
    assert overdue["total"] == 6 and board.refills == 2


def test_a_place_read_as_it_is_now_into_another_group_does_not_pass_over_that_groups_rows_left_out(
        store_factory, campaign, clock):
    """幸福社区 keeps four of its rows (25 to 22 days late) and leaves 21 out; three of them are closed. A place of
    金桥社区 with two problems a day late moves to 幸福社区 after the revision the dashboard is at, and is read as it
    is now while 金桥社区's rows are found again: 幸福社区 still sends 22 and 21, not 22 and the newcomer."""
    store = store_factory()
    places = OverduePlaces(store, campaign, clock)
    places.add(*range(3, 11))
    places.add(1, problems=2)
    places.add(*range(21, 26), street="福华街街道", community="幸福社区")
    board = CountingRefills(store, campaign, rows=2, first_kept=1)
    for community in ("金桥社区", "幸福社区"):  # each found short: four kept
        board.get(store.revision(), clock(), community=community)
    for late in (25, 24, 23, 10, 9, 8):
        places.close(late)
    revision = store.revision()
    places.move(1, "福华街街道", "幸福社区")
    board.get(revision, clock(), community="金桥社区")  # found short again: its places read as they are now
    assert board.refills == 3
    overdue = board.get(revision, clock(), community="幸福社区")["overdue"]
    assert [(r["name"], r["days_late"]) for r in overdue["rows"]] == [("22号院", 22), ("21号院", 21)]
    overdue = board.get(store.revision(), clock(), community="幸福社区")["overdue"]
    assert overdue == dashboard(store, campaign, clock(), rows=2, community="幸福社区")["overdue"]


def test_a_store_that_fails_while_a_groups_rows_are_read_again_leaves_the_kept_dashboard_as_it_was(
        store_factory, campaign, clock):
    """The store fails once as the group's places are read again: the request fails, nothing is built again, and
    the next request reads them and sends what a walk over every place sends."""
    store = store_factory()
    places = OverduePlaces(store, campaign, clock)
    places.add(*range(1, 9))
    failing = [True]

    class FailingOnce(CountingRefills):
        def _read(self, keys):
            if failing[0]:
                failing[0] = False
                raise StoreBusy("测试:数据库暂时不可用")
            return super()._read(keys)

    board = FailingOnce(store, campaign, rows=2, first_kept=1)
    walks = WalkCounter(store)
    with pytest.raises(StoreBusy):
        board.get(store.revision(), clock(), community="金桥社区")
    built = walks.walks
    overdue = board.get(store.revision(), clock(), community="金桥社区")["overdue"]
    assert walks.walks == built and board.refills == 1  # kept, not built again; read again once
    assert overdue == dashboard(store, campaign, clock(), rows=2, community="金桥社区")["overdue"]


def test_places_the_journal_never_saw_count_as_they_are_all_along(data_dir, campaign, clock, store_factory):
    """The demo's places have no journal entries: the chart and the timeline take them as they are now
    (as `layer_as_of` does), whatever their `updated_at` says."""
    shutil.copytree(REPO / "data" / "layers", data_dir / "layers")
    store = store_factory()
    now = clock()
    progress = dashboard(store, campaign, now)["progress"]
    done_now = sum(f["properties"]["status"] in campaign.done_statuses for x in campaign.layers
                   for f in store.features(x.id))
    assert set(progress["done"]) == {done_now}
    today = local_now(campaign, now).date()
    assert [d["done"] for d in timeline(store, campaign, today - timedelta(days=9), today)["days"]] == [done_now] * 10

