"""The wall dashboard kept between revisions (geo/dashboard.py `DashboardData`) is the dashboard built from
scratch, for every scope, after random edits through the real store on both backends; its progress chart and
the timeline (geo/progress.py) count places done per day alike."""

from __future__ import annotations

import shutil
from datetime import timedelta

import pytest

from geo.dashboard import DashboardData, dashboard, known_areas
from geo.geojson_io import dumps
from geo.progress import timeline
from geo.rules import local_now
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

