"""进度回放: the replayed state of every day equals the layers as of that day (geo/playback.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from geo.errors import ValidationError
from geo.history import end_of_day, layer_as_of
from geo.playback import GONE, Present, parse_view, playback, replay
from geo.progress import timeline
from geo.wall.codec import unpack_ids

DAY0 = date(2026, 11, 24)  # the seeded places are created on this day (16:00 local)


def _set(store, fid, status, layer="courtyards"):
    f = store.get(layer, fid)
    store.update(layer, fid, expected_version=f["properties"]["version"], user="t", properties={"status": status})


def _ids(store, layer="courtyards"):
    return [f["id"] for f in store.features(layer)]


@pytest.fixture
def history(seeded, make_feature, clock):
    """Five days of work after the seeding day: updates, a creation, deletions, several changes in one day."""
    ids = _ids(seeded)
    clock.advance(days=1)  # 11-25
    _set(seeded, ids[1], "in_progress")
    _set(seeded, ids[2], "in_progress")
    clock.advance(days=1)  # 11-26: a new place; one changed twice (only the last counts); a place made and removed
    new = seeded.create("courtyards", make_feature("康复前街11号院", "pending", x=113.70), user="t").feature["id"]
    _set(seeded, ids[1], "rectified")
    clock.advance(hours=1)
    _set(seeded, ids[1], "accepted")
    brief = seeded.create("courtyards", make_feature("临时点位", "pending", x=113.71), user="t").feature
    seeded.delete("courtyards", brief["id"], expected_version=brief["properties"]["version"], user="t")
    clock.advance(days=1)  # 11-27: a deletion; a change undone the same day (no net change)
    gone = seeded.get("courtyards", ids[3])
    seeded.delete("courtyards", ids[3], expected_version=gone["properties"]["version"], user="t")
    _set(seeded, ids[5], "relapsed")
    _set(seeded, ids[5], "pending")
    clock.advance(days=1)  # 11-28
    _set(seeded, new, "in_progress")
    _set(seeded, ids[2], "rectified")
    clock.advance(days=1)  # 11-29: the new place deleted again, in a range ending before it
    f = seeded.get("courtyards", new)
    seeded.delete("courtyards", new, expected_version=f["properties"]["version"], user="t")
    return {"ids": ids, "new": new, "brief": brief["id"], "gone": ids[3]}


def _as_of(store, campaign, day):
    return {layer.id: {f["id"]: f["properties"]["status"] for f in layer_as_of(store, layer.id, end_of_day(day, campaign))}
            for layer in campaign.layers}


@pytest.mark.parametrize(("first", "last"), [
    (DAY0 - timedelta(days=1), DAY0 + timedelta(days=6)),  # from before anything existed to after the last change
    (DAY0 + timedelta(days=2), DAY0 + timedelta(days=4)),  # starting mid-way, ending before later changes
    (DAY0 + timedelta(days=5), DAY0 + timedelta(days=5)),  # one day
])
def test_each_replayed_day_equals_the_layers_as_of_that_day(seeded, campaign, history, first, last):
    doc = playback(seeded, campaign, first, last)
    days = list(replay(doc))
    assert [d for d, _ in days] == [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]
    for day, state in days:
        assert state == _as_of(seeded, campaign, date.fromisoformat(day)), day


def test_the_start_is_the_day_before_from(seeded, campaign, history):
    first = DAY0 + timedelta(days=2)
    doc = playback(seeded, campaign, first, first + timedelta(days=1))
    layer = doc["layers"][0]
    ids = list(replay({**doc, "days": [{**doc["days"][0], "changes": []}]}))[0][1]["courtyards"]
    assert ids == _as_of(seeded, campaign, first - timedelta(days=1))["courtyards"]
    assert len(layer["start"]) == len(_ids(seeded)) + 2  # the places now, then the two deleted since


def test_the_ids_follow_the_packed_shapes_then_the_places_gone(seeded, campaign, history):
    doc = playback(seeded, campaign, DAY0, DAY0 + timedelta(days=5))
    courtyards = doc["layers"][0]
    now = _ids(seeded)
    gone = [history["gone"], history["new"]]
    assert unpack_ids(courtyards["ids"]) == now + gone
    assert history["brief"] not in unpack_ids(courtyards["ids"])  # made and removed within one day: never seen
    extra = courtyards["extra"]
    assert unpack_ids(extra["geometry"]["ids"]) == gone
    assert extra["attributes"][history["gone"]] == {"name": "大学路4号院", "kind": "楼院", "street": "大学路街道",
                                                  "community": "大学社区"}
    assert extra["geometry"]["format"] == "packed-1" and extra["geometry"]["count"] == 2
    assert doc["layers"][1]["extra"] is None  # roads: nothing gone


def test_creations_appear_on_their_day_and_deletions_disappear(seeded, campaign, history):
    doc = playback(seeded, campaign, DAY0 + timedelta(days=1), DAY0 + timedelta(days=5))
    states = dict(replay(doc))
    new, gone = history["new"], history["gone"]
    assert new not in states["2026-11-25"]["courtyards"]
    assert states["2026-11-26"]["courtyards"][new] == "pending"
    assert states["2026-11-28"]["courtyards"][new] == "in_progress"
    assert new not in states["2026-11-29"]["courtyards"]
    assert states["2026-11-26"]["courtyards"][gone] == "pending" and gone not in states["2026-11-27"]["courtyards"]
    courtyards = doc["layers"][0]
    ids = unpack_ids(courtyards["ids"])
    assert courtyards["start"][ids.index(new)] == GONE


def test_only_net_changes_of_each_day_are_sent(seeded, campaign, history):
    doc = playback(seeded, campaign, DAY0 + timedelta(days=1), DAY0 + timedelta(days=5))
    ids = unpack_ids(doc["layers"][0]["ids"])
    by_day = {d["date"]: [(ids[d["changes"][k + 1]], doc["statuses"][d["changes"][k + 2]] if d["changes"][k + 2] != GONE
                           else None) for k in range(0, len(d["changes"]), 3)] for d in doc["days"]}
    i = history["ids"]
    assert sorted(by_day["2026-11-25"]) == sorted([(i[1], "in_progress"), (i[2], "in_progress")])
    assert sorted(by_day["2026-11-26"]) == sorted([(history["new"], "pending"), (i[1], "accepted")])  # not rectified
    assert by_day["2026-11-27"] == [(history["gone"], None)]  # ids[5]: relapsed and back to pending the same day


def test_the_day_totals_are_the_timelines(seeded, campaign, history):
    first, last = DAY0 - timedelta(days=1), DAY0 + timedelta(days=5)
    doc = playback(seeded, campaign, first, last)
    line = timeline(seeded, campaign, first, last)["days"]
    assert [{k: d[k] for k in ("date", "counts", "total", "done", "share_done")} for d in doc["days"]] == line
    for day, state in replay(doc):
        row = next(d for d in doc["days"] if d["date"] == day)
        assert row["total"] == sum(len(places) for places in state.values())
    assert doc["statuses"][: len(campaign.status_keys)] == list(campaign.status_keys)
    assert set(doc["done"]) == set(campaign.done_statuses)


def test_the_journal_and_the_places_are_read_once_whatever_the_number_of_days(seeded, campaign, history, monkeypatch):
    calls = {"changes_since": 0, "each_feature": 0}
    for name in calls:
        original = getattr(seeded, name)

        def counted(*args, _name=name, _original=original, **kwargs):
            calls[_name] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(seeded, name, counted)
    seen = []
    for days in (1, 60):
        for name in calls:
            calls[name] = 0
        playback(seeded, campaign, DAY0, DAY0 + timedelta(days=days - 1))
        seen.append(dict(calls))
    assert seen[0] == seen[1]
    assert seen[0] == {"changes_since": 1, "each_feature": len(campaign.layers)}  # one walk: the counts kept along


def test_a_present_behind_or_ahead_of_the_journal_gives_the_days_the_journal_has(seeded, campaign, history, clock):
    """A process's kept statuses may lag the journal (a change made since) or run ahead of their revision (a place
    read while it was written): the days replayed are the journal's either way."""
    first, last = DAY0, DAY0 + timedelta(days=6)
    behind = Present.walk(seeded)
    _set(seeded, history["ids"][4], "accepted")  # 11-29, after `behind` was taken
    made = seeded.create("courtyards", {**seeded.get("courtyards", history["ids"][0]), "id": None}, user="t")
    walked = playback(seeded, campaign, first, last)
    ahead = Present(behind.revision, Present.walk(seeded).layers)  # today's statuses, labelled as before
    for present in (behind, ahead):
        doc = playback(seeded, campaign, first, last, present=present)
        assert dict(replay(doc)) == dict(replay(walked))
        counts = [{k: d[k] for k in ("date", "counts", "total", "done", "share_done")} for d in doc["days"]]
        assert counts == [{k: d[k] for k in counts[0]} for d in walked["days"]]
        assert doc["revision"] == walked["revision"] == seeded.revision()
    assert made.feature["id"] in dict(replay(walked))["2026-11-29"]["courtyards"]


def test_statuses_dropped_from_the_campaign_are_numbered_in_the_order_met(seeded, campaign, history):
    """Places still in a status the configuration no longer lists: numbered after the campaign's, in the order the
    places list them, so that the same data makes the same document (and ETag) in every process."""
    from dataclasses import replace

    ids = _ids(seeded)
    for fid, status in ((ids[4], "relapsed"), (ids[6], "unsurveyed"), (ids[7], "relapsed")):
        _set(seeded, fid, status)
    fewer = replace(campaign, statuses=[s for s in campaign.statuses if s.key not in ("relapsed", "unsurveyed")])
    doc = playback(seeded, fewer, DAY0 + timedelta(days=6), DAY0 + timedelta(days=6))
    assert doc["statuses"] == [*fewer.status_keys, "relapsed", "unsurveyed"]


def test_a_place_gone_is_drawn_with_its_last_geometry_shifted_for_display(seeded, campaign, history):
    def shift(lon, lat):
        return lon + 0.01, lat

    plain = playback(seeded, campaign, DAY0, DAY0 + timedelta(days=5))["layers"][0]["extra"]["geometry"]
    shifted = playback(seeded, campaign, DAY0, DAY0 + timedelta(days=5), transform=shift)["layers"][0]["extra"]["geometry"]
    assert shifted["geometry"]["coords"][0] == plain["geometry"]["coords"][0] + 10_000  # millionths of a degree
    assert shifted["geometry"]["coords"][1] == plain["geometry"]["coords"][1]


def test_parse_view_falls_back_to_defaults():
    today = date(2026, 11, 30)
    ok = parse_view({"from": ["2026-11-01"], "to": ["2026-11-20"], "speed": ["0.5"], "mode": ["compare"]}, today)
    assert (ok.first, ok.last, ok.speed, ok.mode, ok.ignored) == (date(2026, 11, 1), date(2026, 11, 20), 0.5, "compare", ())
    default = parse_view({}, today)
    assert (default.first, default.last, default.mode) == (today - timedelta(days=29), today, "play")
    for params in ({"from": ["2026-12-01"], "to": ["2026-11-01"]}, {"from": ["nope"]}, {"from": ["2020-01-01"]}):
        view = parse_view(params, today)
        assert (view.first, view.last) == (default.first, default.last) and view.ignored, params
    bad = parse_view({"speed": ["fast"], "mode": ["movie"]}, today)
    assert bad.speed == 0.8 and bad.mode == "play" and len(bad.ignored) == 2
    assert parse_view({"speed": ["0.01"]}, today).speed == 0.8


def test_parse_range_limits_are_the_timelines():
    from geo.progress import MAX_TIMELINE_DAYS, parse_range

    parse_range("2025-01-01", (date(2025, 1, 1) + timedelta(days=MAX_TIMELINE_DAYS - 1)).isoformat(), DAY0)
    with pytest.raises(ValidationError):
        parse_range("2025-01-01", (date(2025, 1, 1) + timedelta(days=MAX_TIMELINE_DAYS)).isoformat(), DAY0)


def test_a_database_layer_read_a_batch_at_a_time_plays_back_the_same(seeded, campaign, history, data_dir, store_factory):
    """PostgreSQL with a layer larger than a process keeps (here: any): the places of now are walked through the
    database's cursor and only their ids and statuses kept; the document is the embedded store's."""
    from geo.store.transfer import copy_to_postgis

    streamed = store_factory("postgis", layer_cache=0, lazy=True)  # its schema is made by the copy
    copy_to_postgis(data_dir, campaign, streamed.database_url, schema=streamed.schema)
    first, last = DAY0 - timedelta(days=1), DAY0 + timedelta(days=6)
    doc = playback(streamed, campaign, first, last)
    assert doc == playback(seeded, campaign, first, last)
    assert "courtyards" not in streamed._layers  # walked, never kept
