"""A playback built from the statuses a process keeps (geo/wall/data.py `WallData.present`, as /api/playback builds
it) replays every day as the layers stood at its end, after random edits through the real store on both backends:
creations, deletions, batches and status changes over several days, the kept state brought up to date between."""

from __future__ import annotations

from datetime import date

import pytest

from geo.history import end_of_day, layer_as_of
from geo.playback import playback, replay
from geo.rules import local_now
from geo.wall.data import WallData
from tests.random_edits import READERS, RandomEdits


@pytest.mark.parametrize("backend", READERS)
@pytest.mark.parametrize("seed", [1, 2])
def test_a_playback_from_the_kept_wall_state_replays_the_layers_as_of_each_day(store_factory, campaign, clock,
                                                                                backend, seed):
    kind, options = READERS[backend]
    writer, reader = store_factory(kind), store_factory(kind, **options)
    edits = RandomEdits(writer, clock, seed)
    wall = WallData(reader, campaign)
    first = local_now(campaign, clock()).date()
    checked = 0
    for step in range(40):
        edits.step()
        clock.advance(hours=3)  # some forty edits over about five days
        if step % 8 != 7:
            continue
        now = clock()
        doc = playback(reader, campaign, first, local_now(campaign, now).date(), present=wall.present(wall.key(now), now))
        for day, state in replay(doc):
            end = end_of_day(date.fromisoformat(day), campaign)
            assert state == {layer: {f["id"]: f["properties"]["status"] for f in layer_as_of(reader, layer, end)}
                             for layer in state}, (step, day)
            checked += 1
    assert checked >= 10
