"""The milestones, the estimated finish and the timeline kept between revisions (geo/progress_kept.py
`ProgressData`) are those replayed from the whole journal (geo/progress.py `milestones`, `finish_estimates`,
`timeline`), after random edits through the real store on both backends, with the clock passing milestones and the
pace's first day."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from geo.config import Milestone
from geo.geojson_io import dumps
from geo.progress import finish_estimates, milestones, timeline
from geo.progress_kept import ProgressData
from geo.rules import local_now
from tests.random_edits import READERS, RandomEdits, WalkCounter


@pytest.mark.parametrize("backend", READERS)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_progress_kept_between_revisions_equals_the_journal_replayed(store_factory, campaign, clock, backend, seed):
    today = local_now(campaign, clock()).date()
    # milestones every other day from today on, so the edits below pass several of them
    plan = tuple(Milestone(date=(today + timedelta(days=2 * i)).isoformat(), share_done=min(1.0, 0.2 * (i + 1)),
                           label=f"节点{i}") for i in range(5))
    campaign = dataclasses.replace(campaign, milestones=plan, pace_days=2)
    kind, options = READERS[backend]
    writer, reader = store_factory(kind), store_factory(kind, **options)
    edits = RandomEdits(writer, clock, seed)
    kept = ProgressData(reader, campaign)
    walks = WalkCounter(reader)
    rebuilt = passed = 0
    states: set[str] = set()
    for step in range(60):
        what = edits.step()
        clock.advance(hours=2)  # some seventy edits over about a week
        now = clock()
        before = walks.walks
        body = kept.get(reader.revision(), now)
        rebuilt += walks.walks > before
        scratch = {**milestones(reader, campaign, now), "estimates": finish_estimates(reader, campaign, now)}
        assert dumps(body) == dumps(scratch), (step, what)
        first, last = today - timedelta(days=3), local_now(campaign, now).date()
        line = kept.timeline(reader.revision(), now, first, last)
        assert line == timeline(reader, campaign, first, last), (step, what)
        assert sum(line["days"][-1]["counts"].values()) > 0
        passed = max(passed, sum(row["passed"] for row in body["milestones"]))
        states.update(row["state"] for row in body["estimates"]["streets"])
    assert passed >= 2  # past milestones were answered from the kept steps
    assert "estimated" in states  # a pace was measured (and compared)
    assert rebuilt < 60 / 3  # most revisions were brought up to date, not rebuilt (a new day or cut-off rebuilds)
