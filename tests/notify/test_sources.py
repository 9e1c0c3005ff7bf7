"""The sources of events (geo/notify/sources.py): the journal (dispatch, return, relapse) and the clock (due soon,
overdue, escalated, the morning digest, the daily report, today's inspection list) — each told once, on both
stores, driven by the `now` given (never the wall clock)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from geo.accounts import Principal
from geo.cases import transition
from geo.inspections import generate, record
from geo.ledger import add_problem
from geo.notify.case_news import case_entry, case_key, clock_events, clock_wakes
from geo.notify.events import PENDING, emit, event
from geo.notify.inbox import deliver, items, unread_count
from geo.notify.open_cases import CASES, SHARDS, micros, shard_of, stored_entries
from geo.notify.sources import CURSOR, KEY, collect
from geo.scope import Scope
from geo.store.base import iso
from tests.random_edits import RandomEdits

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)  # Monday 10:00, Asia/Shanghai
LAYER = "courtyards"
STREET, COMMUNITY, UNIT = "大学路街道", "金桥社区", "区住建局"
STREET_LEAD = Principal("jiedao", "李街道", "editor", "session", scope=Scope(streets=(STREET,)))
HANDLER = Principal("zhujian", "张住建", "editor", "session", scope=Scope(units=(UNIT,)))
VERIFIER = Principal("duban", "赵督导", "inspector", "session")


@pytest.fixture(params=["geojson", "postgis"])
def store(request, store_factory, clock):
    clock.now = NOW
    return store_factory(request.param)


@pytest.fixture
def cases(campaign):
    """The campaign without the photo requirements (photos are the case loop's own tests)."""
    from dataclasses import replace

    return replace(campaign, cases=replace(campaign.cases, require_photo_report=False, require_photo_confirm=False))


@pytest.fixture
def place(store, cases, make_feature):
    """A courtyard of 大学路街道 / 金桥社区 with one problem filed by a planner (case stage 立案)."""
    feature = store.create(LAYER, make_feature(name="大学路51号院<b>", status="accepted", street=STREET,
                                               community=COMMUNITY, unit="区政府办"), user="演示").feature
    changes = add_problem(feature, {"category": "飞线充电", "description": "单元楼墙面飞线充电"}, cases,
                          NOW.astimezone(cases.timezone).date(), now=NOW, user="zhihui", by="王指挥 (zhihui)")
    return store.update(LAYER, feature["id"], expected_version=1, user="王指挥 (zhihui)", properties=changes,
                        case_write=True).feature


def _act(store, campaign, place, action, who, *, now=NOW, **kwargs):
    pid = place["properties"]["problems"][-1]["id"]
    return transition(store, LAYER, place["id"], pid, action, principal=who, expected_version=None,
                      campaign=campaign, now=now, **kwargs)[0]


def _pending(store) -> list[str]:
    return list((store.record(PENDING, "events") or {"ids": []})["ids"])


def _kept_keys(store) -> set[str]:
    """The keys ("layer/id/problem id") of the open cases the shards in the store hold."""
    return {f"{place}/{pid}" for key in store.record_keys(CASES)
            for place, pids in store.record(CASES, key)["places"].items() for pid in pids}


def _entries(store, campaign) -> list[dict]:
    """The open cases' entries as the places have them now (what the index should hold, `told` and `wake`
    aside)."""
    return [entry for layer in store.readable_layers() for feature in store.each_feature(layer.id)
            for problem in feature["properties"].get("problems") or ()
            if (entry := case_entry(layer.id, feature, problem, campaign)) is not None]


def _told(store, campaign, now, *, fid: str | None = None) -> list[dict]:
    """Collect at `now`; the events it emitted (of the place `fid` when given), in order."""
    before = _pending(store)
    count = collect(store, campaign, now)
    new = [event(store, eid) for eid in _pending(store)[len(before):]]
    assert count == len(new)
    return [e for e in new if fid is None or e["data"].get("fid") == fid]


def test_a_dispatch_tells_the_handler_and_the_unit_once_and_reaches_the_inbox(store, cases, place):
    _told(store, cases, NOW)  # the first tick starts the cursor at the journal as it is
    case = _act(store, cases, place, "dispatch", STREET_LEAD, unit=UNIT, handler="zhujian")
    [told] = [e for e in _told(store, cases, NOW, fid=place["id"]) if e["kind"] == "case_assigned"]
    pid = place["properties"]["problems"][-1]["id"]
    assert told["users"] == ["zhujian"] and told["unit"] == UNIT
    assert (told["street"], told["community"]) == (STREET, COMMUNITY)
    assert told["link"] == f"/cases/{LAYER}/{place['id']}/{pid}"
    assert told["title"] == "新派遣案件:大学路51号院<b>"
    assert "区住建局 zhujian" in told["text"] and "2026-12-10 17:30" in told["text"]
    assert told["data"]["due"] == case["stage_due"]
    assert _told(store, cases, NOW) == []  # a second tick tells nothing again
    assert deliver(store, "zhujian", told, at="2026-12-07T02:00:05Z") is True
    assert unread_count(store, "zhujian") == 1 and items(store, "zhujian")[0]["link"] == told["link"]


def test_a_redispatch_and_a_return_are_told_again_each_once(store, cases, place):
    _told(store, cases, NOW)
    _act(store, cases, place, "dispatch", STREET_LEAD, unit=UNIT, handler="zhujian")
    _act(store, cases, place, "redispatch", STREET_LEAD, unit="区城管局", handler="chengguan")
    assigned = [e for e in _told(store, cases, NOW, fid=place["id"]) if e["kind"] == "case_assigned"]
    assert [e["users"] for e in assigned] == [["zhujian"], ["chengguan"]]  # each as its step left the case
    assert assigned[0]["id"] != assigned[1]["id"] and assigned[1]["data"]["action"] == "redispatch"
    handler = Principal("chengguan", "刘城管", "editor", "session", scope=Scope(units=("区城管局",)))
    _act(store, cases, place, "report", handler, note="已拆除飞线")
    _act(store, cases, place, "return", VERIFIER, note="仍有两处飞线")
    [returned] = [e for e in _told(store, cases, NOW, fid=place["id"]) if e["kind"] == "case_returned"]
    assert returned["users"] == ["chengguan"] and "仍有两处飞线" in returned["text"]
    assert returned["title"] == "核查退回:大学路51号院<b>"


def test_the_clock_tells_due_soon_overdue_and_each_escalation_level_once_per_stage(store, cases, place):
    _told(store, cases, NOW)
    case = _act(store, cases, place, "dispatch", STREET_LEAD, unit=UNIT, handler="zhujian")
    due = datetime.fromisoformat(case["stage_due"].replace("Z", "+00:00"))
    kinds = lambda evs: sorted(e["kind"] for e in evs)  # noqa: E731
    assert kinds(_told(store, cases, due - timedelta(hours=5), fid=place["id"])) == ["case_assigned"]
    soon = _told(store, cases, due - timedelta(hours=3), fid=place["id"])
    assert kinds(soon) == ["case_due_soon"] and soon[0]["users"] == ["zhujian"]
    assert "2026-12-10 17:30" in soon[0]["text"] and "处置" in soon[0]["text"]
    assert _told(store, cases, due - timedelta(hours=1), fid=place["id"]) == []
    late = _told(store, cases, due + timedelta(minutes=1), fid=place["id"])
    assert kinds(late) == ["case_escalated", "case_overdue"]
    escalated = next(e for e in late if e["kind"] == "case_escalated")
    assert escalated["urgent"] is True and escalated["data"]["level"] == "street"
    assert escalated["title"] == "升级督办(街道):大学路51号院<b>"
    assert _told(store, cases, due + timedelta(hours=2), fid=place["id"]) == []
    later = _told(store, cases, due + timedelta(days=7), fid=place["id"])
    assert kinds(later) == ["case_escalated"] and later[0]["data"]["level"] == "district"
    # a new stage is news again: the verifier returns the fix, the handling stage starts over
    at = due + timedelta(days=7)
    _act(store, cases, place, "report", HANDLER, now=at, note="已拆除飞线")
    _act(store, cases, place, "return", VERIFIER, now=at, note="仍有两处飞线")
    again = _told(store, cases, at, fid=place["id"])
    assert kinds(again) == ["case_returned"]
    case = store.get(LAYER, place["id"])["properties"]["problems"][-1]["case"]
    new_due = datetime.fromisoformat(case["stage_due"].replace("Z", "+00:00"))
    assert kinds(_told(store, cases, new_due - timedelta(hours=1), fid=place["id"])) == ["case_due_soon"]


def test_a_closed_case_tells_nothing_more(store, cases, place):
    _told(store, cases, NOW)
    case = _act(store, cases, place, "dispatch", STREET_LEAD, unit=UNIT, handler="zhujian")
    _act(store, cases, place, "report", HANDLER, note="已拆除飞线")
    _act(store, cases, place, "confirm", VERIFIER)
    _told(store, cases, NOW)
    due = datetime.fromisoformat(case["stage_due"].replace("Z", "+00:00"))
    assert _told(store, cases, due + timedelta(days=30), fid=place["id"]) == []
    assert not any(k.startswith(f"{LAYER}/{place['id']}/") for k in _kept_keys(store))


def test_a_relapse_is_told_with_the_place(store, cases, place):
    _told(store, cases, NOW)
    version = store.get(LAYER, place["id"])["properties"]["version"]
    store.update(LAYER, place["id"], expected_version=version, user="赵督导 (duban)",
                 properties={"status": cases.inspections.relapse_status})
    [told] = [e for e in _told(store, cases, NOW) if e["kind"] == "relapse"]
    assert told["data"]["fid"] == place["id"] and (told["street"], told["community"]) == (STREET, COMMUNITY)
    assert told["title"] == "反弹:大学路51号院<b>" and "赵督导 (duban)" in told["text"]
    assert told["unit"] == "区政府办"


def test_the_first_tick_tells_nothing_of_the_journal_before_it(store, cases, place):
    _act(store, cases, place, "dispatch", STREET_LEAD, unit=UNIT, handler="zhujian")
    first = _told(store, cases, NOW, fid=place["id"])
    assert [e for e in first if e["kind"] == "case_assigned"] == []
    assert store.record(CURSOR, KEY)["seq"] == store.revision()


def test_the_morning_digest_and_the_daily_report_come_at_their_local_times_once_a_day(store, cases, place):
    _act(store, cases, place, "dispatch", STREET_LEAD, unit=UNIT, handler="zhujian")
    morning = datetime(2026, 12, 8, 23, 59, tzinfo=UTC)  # Wednesday 07:59 local
    assert [e for e in _told(store, cases, morning) if e["kind"] in ("digest", "daily_report")] == []
    told = [e for e in _told(store, cases, morning + timedelta(minutes=1)) if e["kind"] == "digest"]
    mine = next(e for e in told if e["users"] == ["zhujian"])
    assert mine["title"] == "每日待办(2026-12-09):zhujian" and mine["data"]["open"] == 1
    assert "在办案件 1 件" in mine["text"] and "大学路51号院<b>" in mine["text"]
    unit = next(e for e in told if e["unit"] == UNIT and not e["users"])
    assert unit["data"]["open"] >= 1 and unit["link"].startswith("/cases?unit=")
    assert [e for e in _told(store, cases, morning + timedelta(hours=2)) if e["kind"] == "digest"] == []
    evening = datetime(2026, 12, 9, 10, 0, tzinfo=UTC)  # 18:00 local
    [report] = [e for e in _told(store, cases, evening) if e["kind"] == "daily_report"]
    assert report["link"] == "/reports/daily?date=2026-12-09" and "2026-12-09" in report["title"]
    assert [e for e in _told(store, cases, evening + timedelta(hours=1)) if e["kind"] == "daily_report"] == []
    # the due day: the digest counts it as due today
    due_day = datetime(2026, 12, 10, 0, 0, tzinfo=UTC)
    [mine] = [e for e in _told(store, cases, due_day) if e["kind"] == "digest" and e["users"] == ["zhujian"]]
    assert mine["data"]["today"] == 1 and mine["data"]["overdue"] == 0


def test_todays_inspection_list_drawn_is_told_once(store, cases, place):
    _told(store, cases, NOW)
    day = NOW.astimezone(cases.timezone).date()
    listing = generate(store, cases, day, n=3, seed=7, user="赵督导")
    [drawn] = [e for e in _told(store, cases, NOW) if e["kind"] == "inspection_drawn"]
    count = len(listing["places"])
    assert drawn["title"] == "今日督导清单已生成(2026-12-07)" and f"共 {count} 个点位" in drawn["text"]
    assert drawn["data"]["count"] == count >= 1
    assert drawn["link"] == "/inspections?date=2026-12-07"
    assert [e for e in _told(store, cases, NOW) if e["kind"] == "inspection_drawn"] == []


@pytest.mark.parametrize("written", ["nothing", "the shards"])
def test_a_tick_that_stopped_before_its_cursor_moved_tells_nobody_twice(store, cases, place, written):
    """The process died after emitting a round's events: before it wrote anything more, or after the index's
    shards and before the cursor. The next round (another process: nothing kept in memory) tells nothing again
    and loses nothing."""
    _told(store, cases, NOW)
    kept = store.record(CURSOR, KEY)
    shards = {key: store.record(CASES, key) for key in store.record_keys(CASES)}
    _act(store, cases, place, "dispatch", STREET_LEAD, unit=UNIT, handler="zhujian")
    told = _told(store, cases, NOW)
    assert any(e["kind"] == "case_assigned" for e in told)
    with store.records_locked(CURSOR):
        store.put_record(CURSOR, KEY, kept)
    if written == "nothing":
        with store.records_locked(CASES):
            for key in store.record_keys(CASES):
                store.delete_record(CASES, key)
            for key, value in shards.items():
                store.put_record(CASES, key, value)
    pending = _pending(store)
    assert collect(store, cases, NOW) == 0 and _pending(store) == pending
    assert _kept_keys(store) == {case_key(e) for e in _entries(store, cases)}
    case = store.get(LAYER, place["id"])["properties"]["problems"][-1]["case"]
    due = datetime.fromisoformat(case["stage_due"].replace("Z", "+00:00"))
    assert sorted(e["kind"] for e in _told(store, cases, due + timedelta(minutes=1), fid=place["id"])) == [
        "case_escalated", "case_overdue"]


def test_an_inspections_relapse_result_is_told_as_a_relapse(store, cases, place):
    _told(store, cases, NOW)
    day = NOW.astimezone(cases.timezone).date()
    listing = generate(store, cases, day, n=3, seed=7, user="赵督导")
    row = listing["places"][0]
    record(store, cases, day, row["id"], layer=row["layer"], result="relapse", category="飞线充电",
           notes="又见飞线", user="赵督导 (duban)", username="duban")
    [told] = [e for e in _told(store, cases, NOW) if e["kind"] == "relapse"]
    assert told["data"]["fid"] == row["id"] and "赵督导 (duban)" in told["text"]
    assert told["title"] == f"反弹:{row['name']}"


def test_a_journal_behind_the_cursor_is_followed_from_where_it_stands(store, cases, place):
    """A restored store's journal can be behind the cursor: the cursor comes back to it, and what is done next is
    told."""
    _told(store, cases, NOW)
    kept = store.record(CURSOR, KEY)
    with store.records_locked(CURSOR):
        store.put_record(CURSOR, KEY, {**kept, "seq": store.revision() + 50})
    _told(store, cases, NOW)
    assert store.record(CURSOR, KEY)["seq"] == store.revision()
    _act(store, cases, place, "dispatch", STREET_LEAD, unit=UNIT, handler="zhujian")
    assert [e["kind"] for e in _told(store, cases, NOW, fid=place["id"])] == ["case_assigned"]


@pytest.mark.parametrize(("seed", "flush"), [(1, 16), (2, 16), (3, 1)])
def test_the_open_cases_and_the_clocks_news_tick_by_tick_are_those_the_places_have(store_factory, cases, clock, seed,
                                                                                   flush, monkeypatch):
    """After random edits — problems added, closed and dropped, places created and deleted — and a clock moving
    by minutes, hours and days, the shards hold the cases the places have, entry for entry; and each tick tells
    the clock's news (due soon, overdue, escalated) that looking at every open case would tell and was not told
    before — though a tick reads only the shards its changes touch and those whose wake has come, and looks only
    at the cases whose next wake has come and those that changed. Each shard's wake in the cursor is its
    cases' earliest. (`flush` 1: every shard's news emitted and the shard written before the next is read.)"""
    monkeypatch.setattr("geo.notify.open_cases.FLUSH", flush)
    store = store_factory("geojson")
    edits, rng = RandomEdits(store, clock, seed), random.Random(seed)
    collect(store, cases, clock())
    seen = {e.id for entry in _entries(store, cases) for e in clock_events(entry, cases, clock(), iso(clock()))}
    sizes, told = [], 0
    for step in range(80):
        what = edits.step()
        if rng.random() < 0.3:
            clock.advance(hours=rng.choice((1, 3, 5, 20, 50, 200)))
        now = clock()
        expected = {e.id for entry in _entries(store, cases) for e in clock_events(entry, cases, now, iso(now))} - seen
        news = {e["id"] for e in _told(store, cases, now) if e["kind"] in CLOCK_KINDS}
        assert news == expected, (step, what)
        seen |= expected
        told += len(news)
        entries = {case_key(e): e for e in _entries(store, cases)}
        kept = {case_key(e): e for e in stored_entries(store)}
        assert {k: {n: v for n, v in e.items() if n not in ("told", "wake")} for k, e in kept.items()} == entries, (
            step, what)
        wakes = store.record(CURSOR, KEY)["wakes"]
        for n in range(SHARDS):  # each case's wake is its next one after now; the shard's, the earliest
            mine = [e["wake"] for k, e in kept.items() if shard_of(k.rsplit("/", 1)[0]) == n]
            assert all(w is None or w > micros(now) for w in mine), (step, what)
            assert wakes[n] == min((w for w in mine if w is not None), default=None), (step, what, n)
        for k, e in kept.items():
            upcoming = [micros(w) for w in clock_wakes(entries[k], cases) if w > now]
            assert e["wake"] == (upcoming[0] if upcoming else None), (step, what, k)
        sizes.append(len(entries))
    assert max(sizes) > 5 and len(set(sizes)) > 3  # cases came and went
    assert told > 10  # and the clock had news of them


CLOCK_KINDS = ("case_due_soon", "case_overdue", "case_escalated")


def test_the_first_tick_tells_nothing_of_the_clock_before_it_and_what_comes_after_it(store, cases, place):
    """A campaign whose notifications start with a case long overdue is not told it (the morning digest
    counts it); the escalation that comes later is news."""
    case = _act(store, cases, place, "dispatch", STREET_LEAD, unit=UNIT, handler="zhujian")
    due = datetime.fromisoformat(case["stage_due"].replace("Z", "+00:00"))
    first = _told(store, cases, due + timedelta(minutes=5), fid=place["id"])
    assert [e for e in first if e["kind"] in CLOCK_KINDS] == []
    assert _told(store, cases, due + timedelta(hours=1), fid=place["id"]) == []
    later = _told(store, cases, due + timedelta(days=7), fid=place["id"])
    assert [(e["kind"], e["data"]["level"]) for e in later] == [("case_escalated", "district")]


def test_a_case_the_place_lost_outside_the_journal_leaves_the_index_at_the_places_next_change(store, cases, place):
    """A repair, or a layer file saved by another program, changes a place without a journal entry: the index may
    hold a case the place no longer has, which the next change's image before does not name either. It goes."""
    _told(store, cases, NOW)
    before = _kept_keys(store)
    where = f"{LAYER}/{place['id']}"
    shard = str(shard_of(where))
    kept = store.record(CASES, shard)
    stale = {**next(iter(kept["places"][where].values())), "pid": "gone"}
    kept["places"][where]["gone"] = stale
    with store.records_locked(CASES):
        store.put_record(CASES, shard, kept)
    assert f"{where}/gone" in _kept_keys(store)
    _act(store, cases, place, "dispatch", STREET_LEAD, unit=UNIT, handler="zhujian")
    _told(store, cases, NOW)
    assert _kept_keys(store) == before


def test_a_round_reads_only_the_shards_its_changes_touch_and_those_whose_wake_has_come(store, cases, place,
                                                                                        monkeypatch):
    """A quiet round reads no shard and writes nothing; a change reads and writes its place's shard alone; the
    cursor keeps each shard's earliest wake, and the round at that wake reads that shard and tells its news."""
    _told(store, cases, NOW)
    where = f"{LAYER}/{place['id']}"
    mine = shard_of(where)
    read: list[str] = []
    record = store.record
    monkeypatch.setattr(store, "record", lambda kind, key: (read.append(key) if kind == CASES else None,
                                                            record(kind, key))[1])
    cursor = store.record(CURSOR, KEY)
    assert _told(store, cases, NOW + timedelta(minutes=1)) == [] and read == []
    assert store.record(CURSOR, KEY) == cursor
    case = _act(store, cases, place, "dispatch", STREET_LEAD, unit=UNIT, handler="zhujian")
    assert [e["kind"] for e in _told(store, cases, NOW, fid=place["id"])] == ["case_assigned"]
    assert read == [str(mine)]
    due = datetime.fromisoformat(case["stage_due"].replace("Z", "+00:00"))
    soon = due - timedelta(hours=cases.notify.due_soon_hours)
    wakes = store.record(CURSOR, KEY)["wakes"]
    assert wakes[mine] == micros(soon) and [w for n, w in enumerate(wakes) if n != mine] == [None] * (SHARDS - 1)
    _told(store, cases, soon - timedelta(hours=1))  # that day's digest (which reads every shard) is out
    read.clear()
    assert _told(store, cases, soon - timedelta(seconds=1)) == [] and read == []
    assert [e["kind"] for e in _told(store, cases, soon, fid=place["id"])] == ["case_due_soon"]
    assert read == [str(mine)]
    assert store.record(CURSOR, KEY)["wakes"][mine] == micros(due + timedelta(microseconds=1))


def test_an_earlier_versions_cursor_is_taken_over_telling_nobody_again(store, cases, place):
    """The cursor of an earlier version held the whole index and, per case, the ids of the clock's events told:
    read once, its cases kept in shards with what was told of them — an overdue case told before is not told
    again, its next level is."""
    case = _act(store, cases, place, "dispatch", STREET_LEAD, unit=UNIT, handler="zhujian")
    due = datetime.fromisoformat(case["stage_due"].replace("Z", "+00:00"))
    late = due + timedelta(minutes=5)
    entry = _entries(store, cases)[0]
    key = case_key(entry)
    told = [e.id for e in clock_events(entry, cases, late, iso(late))]  # overdue and at the sub-district
    assert len(told) == 2
    for e in clock_events(entry, cases, late, iso(late)):
        emit(store, e)
    old = {"seq": store.revision(), "cases": {key: {k: v for k, v in entry.items() if k != "told"}},
           "fired": {key: told}, "days": {"digest": late.astimezone(cases.timezone).date().isoformat()}}
    with store.records_locked(CURSOR):
        store.put_record(CURSOR, KEY, old)
    with store.records_locked(PENDING):  # they were fanned out
        store.put_record(PENDING, "events", {"ids": []})
    assert collect(store, cases, late + timedelta(minutes=1)) == 0 and _pending(store) == []
    assert "cases" not in store.record(CURSOR, KEY) and _kept_keys(store) == {key}
    later = _told(store, cases, due + timedelta(days=7), fid=place["id"])
    assert [(e["kind"], e["data"]["level"]) for e in later] == [("case_escalated", "district")]


def test_the_clock_tells_a_case_at_its_latest_due_however_often_the_due_changed(store, cases, place):
    """Each change of a case's due is looked at in its round: the case's wake and its shard's follow the latest
    due, and the clock tells the case at that due, not at an earlier one."""
    _told(store, cases, NOW)
    for days in range(30, 25, -1):
        _act(store, cases, store.get(LAYER, place["id"]), "redispatch" if days < 30 else "dispatch", STREET_LEAD,
             unit=UNIT, handler="zhujian", deadline=iso(NOW + timedelta(days=days)))
        assert [e["kind"] for e in _told(store, cases, NOW, fid=place["id"])] == ["case_assigned"]
    case = store.get(LAYER, place["id"])["properties"]["problems"][-1]["case"]
    due = datetime.fromisoformat(case["stage_due"].replace("Z", "+00:00"))
    assert due == NOW + timedelta(days=26)
    soon = due - timedelta(hours=cases.notify.due_soon_hours)
    assert store.record(CURSOR, KEY)["wakes"][shard_of(f"{LAYER}/{place['id']}")] == micros(soon)
    assert _told(store, cases, soon - timedelta(seconds=1), fid=place["id"]) == []
    assert [e["kind"] for e in _told(store, cases, soon, fid=place["id"])] == ["case_due_soon"]
    assert sorted(e["kind"] for e in _told(store, cases, due + timedelta(seconds=1), fid=place["id"])) == [
        "case_escalated", "case_overdue"]


def test_two_senders_leading_in_turn_tell_each_news_once(store, store_factory, cases, place, clock):
    """Two workers' senders on one store: what one told, the other, leading next, does not tell again, and what
    happened in between it tells; neither keeps anything of the index between its rounds."""
    from geo.notify.sender import Sender
    from geo.store.postgis import PostGISStore

    other = store_factory("postgis" if isinstance(store, PostGISStore) else "geojson")
    first = Sender(store, cases, lambda: [], clock=clock)
    second = Sender(other, cases, lambda: [], clock=clock)
    assert first.tick().leader
    assert not second.tick().leader
    _act(store, cases, place, "dispatch", STREET_LEAD, unit=UNIT, handler="zhujian")
    assert first.tick().collected == 1
    first.lock.release()
    assert second.tick().collected == 0
    _act(store, cases, store.get(LAYER, place["id"]), "redispatch", STREET_LEAD, unit=UNIT, handler="zhujian")
    assert second.tick().collected == 1
    second.lock.release()
    assert first.tick().collected == 0
    first.lock.release()


def test_a_place_renamed_and_moved_to_another_street_is_told_of_by_its_new_name_and_area(store, cases, place):
    """The clock's news of a case names its place and is sent to its area's people: a place renamed and given
    to another street and community since its case was dispatched (no ledger change) is told of as it is now."""
    _told(store, cases, NOW)
    case = _act(store, cases, place, "dispatch", STREET_LEAD, unit=UNIT, handler="zhujian")
    assert [e["kind"] for e in _told(store, cases, NOW, fid=place["id"])] == ["case_assigned"]
    version = store.get(LAYER, place["id"])["properties"]["version"]
    store.update(LAYER, place["id"], expected_version=version, user="演示",
                 properties={"name": "二七路8号院", "street": "建中街街道", "community": "民主路社区", "unit": "区城管局"})
    due = datetime.fromisoformat(case["stage_due"].replace("Z", "+00:00"))
    late = _told(store, cases, due + timedelta(minutes=1), fid=place["id"])
    assert sorted(e["kind"] for e in late) == ["case_escalated", "case_overdue"]
    for e in late:
        assert "二七路8号院" in e["title"] and "建中街街道 民主路社区" in e["text"] and "大学路" not in e["text"]
        assert (e["street"], e["community"]) == ("建中街街道", "民主路社区")


def test_the_last_versions_cursor_and_shards_are_taken_over_telling_nobody_again(store, cases, place):
    """The last version kept its index in memory: its cursor had a token and no wakes, its entries no wake. The
    first round after the upgrade looks at every shard once, tells nothing it had told, and leaves each case its
    wake; the news after it comes as before."""
    case = _act(store, cases, place, "dispatch", STREET_LEAD, unit=UNIT, handler="zhujian")
    due = datetime.fromisoformat(case["stage_due"].replace("Z", "+00:00"))
    late = due + timedelta(minutes=5)
    _told(store, cases, NOW)
    assert sorted(e["kind"] for e in _told(store, cases, late, fid=place["id"])) == ["case_escalated", "case_overdue"]
    cursor = store.record(CURSOR, KEY)
    with store.records_locked(CURSOR):
        store.put_record(CURSOR, KEY, {"seq": cursor["seq"], "days": cursor["days"], "token": "e2c1", "shards": SHARDS})
    with store.records_locked(CASES):
        for key in store.record_keys(CASES):
            shard = store.record(CASES, key)
            for pids in shard["places"].values():
                for entry in pids.values():
                    del entry["wake"]
            store.put_record(CASES, key, shard)
    assert _told(store, cases, late + timedelta(minutes=1)) == []
    cursor = store.record(CURSOR, KEY)
    assert cursor["token"] != "e2c1" and len(cursor["wakes"]) == SHARDS
    [entry] = stored_entries(store)
    assert entry["told"] == 2 and entry["wake"] is not None and entry["wake"] > micros(late)
    later = _told(store, cases, due + timedelta(days=7), fid=place["id"])
    assert [(e["kind"], e["data"]["level"]) for e in later] == [("case_escalated", "district")]


def test_a_first_round_read_in_passes_writes_the_shards_one_pass_writes(store, cases, place, make_feature,
                                                                        monkeypatch):
    """A large campaign's first round reads the places once per range of shards, holding only that range's
    cases: the shards and wakes it writes are those of a first round read in one pass."""
    import geo.notify.open_cases as open_cases

    for n in range(6):
        feature = store.create(LAYER, make_feature(name=f"大学路{n}号院", street=STREET, community=COMMUNITY),
                               user="演示").feature
        changes = add_problem(feature, {"category": "飞线充电", "description": f"问题{n}"}, cases,
                              NOW.astimezone(cases.timezone).date(), now=NOW + timedelta(hours=n), user="zhihui",
                              by="王指挥 (zhihui)")
        store.update(LAYER, feature["id"], expected_version=1, user="演示", properties=changes, case_write=True)

    def first_round() -> tuple[dict, dict]:
        with store.records_locked(CURSOR):
            store.delete_record(CURSOR, KEY)
        _told(store, cases, NOW)
        return ({key: store.record(CASES, key) for key in store.record_keys(CASES)},
                store.record(CURSOR, KEY)["wakes"])

    whole = first_round()
    reads: list[str] = []
    each_feature = store.each_feature
    monkeypatch.setattr(store, "each_feature", lambda layer: (reads.append(layer), each_feature(layer))[1])
    monkeypatch.setattr(open_cases, "BUILD_PLACES", 2)  # 7 places: four passes
    assert first_round() == whole
    assert len(reads) == 4 * len(store.readable_layers())
    assert len(whole[0]) > 3 and sum(w is not None for w in whole[1]) == len(whole[0])


def _six_places_filed_at_once(store, cases, make_feature) -> datetime:
    """Six courtyards, each with a problem filed at NOW (their cases in 立案, due at one instant): the due."""
    for n in range(6):
        feature = store.create(LAYER, make_feature(name=f"建设路{n}号院", street=STREET, community=COMMUNITY),
                               user="演示").feature
        changes = add_problem(feature, {"category": "飞线充电", "description": f"问题{n}"}, cases,
                              NOW.astimezone(cases.timezone).date(), now=NOW, user="zhihui", by="王指挥 (zhihui)")
        store.update(LAYER, feature["id"], expected_version=1, user="演示", properties=changes, case_write=True)
    [due] = {e["stage_due"] for e in _entries(store, cases)}
    return datetime.fromisoformat(due.replace("Z", "+00:00"))


def test_a_round_that_stopped_between_two_shards_writes_tells_nobody_twice_and_loses_nothing(store, cases,
                                                                                             make_feature, monkeypatch):
    """A round emits a shard's news, then writes the shard, one shard after another (here one at a time): a crash
    after some shards were written leaves the cursor behind them. The next round tells what the first did not,
    nothing twice; the cursor's wakes are never later than the shards' own."""
    due = _six_places_filed_at_once(store, cases, make_feature)
    soon = due - timedelta(hours=cases.notify.due_soon_hours)
    _told(store, cases, soon - timedelta(hours=2))  # every case's first wake is its due soon
    monkeypatch.setattr("geo.notify.open_cases.FLUSH", 1)
    writes, put = [], store.put_record

    def failing(kind, key, value):
        if kind == CASES:
            writes.append(key)
            if len(writes) == 3:
                raise OSError("磁盘已满")  # the process dies here
        put(kind, key, value)

    monkeypatch.setattr(store, "put_record", failing)
    before = _pending(store)
    with pytest.raises(OSError):
        collect(store, cases, soon)
    monkeypatch.setattr(store, "put_record", put)
    first = _pending(store)[len(before):]
    assert 0 < len(first) < 6
    second = _told(store, cases, soon)
    ids = first + [e["id"] for e in second]
    assert len(ids) == len(set(ids)) == 6 and {event(store, i)["kind"] for i in ids} == {"case_due_soon"}
    assert _told(store, cases, soon + timedelta(minutes=1)) == []
    wakes = store.record(CURSOR, KEY)["wakes"]
    for key in store.record_keys(CASES):
        earliest = min(e["wake"] for pids in store.record(CASES, key)["places"].values() for e in pids.values())
        assert wakes[int(key)] == earliest == micros(due + timedelta(microseconds=1))


def test_a_round_another_round_overtook_stops_before_its_next_write(store, cases, make_feature, monkeypatch, caplog):
    """A round's lock was lost (its connection dropped) and another process's round wrote the cursor meanwhile:
    the first writes no shard and no cursor after it learns so, and says so in the log."""
    import logging

    import geo.notify.sources as sources

    due = _six_places_filed_at_once(store, cases, make_feature)
    soon = due - timedelta(hours=cases.notify.due_soon_hours)
    _told(store, cases, soon - timedelta(hours=2))
    monkeypatch.setattr("geo.notify.open_cases.FLUSH", 1)
    shards = {key: store.record(CASES, key) for key in store.record_keys(CASES)}
    real = sources.emit_all
    calls = []

    def overtaken(store_, events):
        calls.append(len(events))
        if len(calls) == 2:  # another round's cursor written meanwhile
            store.put_record(CURSOR, KEY, {**store.record(CURSOR, KEY), "token": "another"})
        return real(store_, events)

    monkeypatch.setattr(sources, "emit_all", overtaken)
    with caplog.at_level(logging.WARNING, logger="geo.notify.sources"):
        collect(store, cases, soon)
    assert "this one stops" in caplog.text
    assert store.record(CURSOR, KEY)["token"] == "another"
    written = [key for key in store.record_keys(CASES) if store.record(CASES, key) != shards[key]]
    assert len(written) == 1  # the shard before the other round wrote; none after


def test_wakes_worked_out_under_other_clock_settings_are_worked_out_again(store, cases, place):
    """The due-soon hours raised from 0 (none) to 4 after a case's wake was kept at its due: the next round looks
    at every case again, and the case is told due soon 4 hours before its due, not lost."""
    from dataclasses import replace

    never = replace(cases, notify=replace(cases.notify, due_soon_hours=0))
    case = _act(store, never, place, "dispatch", STREET_LEAD, unit=UNIT, handler="zhujian")
    due = datetime.fromisoformat(case["stage_due"].replace("Z", "+00:00"))
    _told(store, never, NOW)
    [kept] = stored_entries(store)
    assert kept["wake"] == micros(due + timedelta(microseconds=1))
    soon = _told(store, cases, due - timedelta(hours=3), fid=place["id"])
    assert [e["kind"] for e in soon] == ["case_due_soon"]


def test_shards_of_another_count_are_written_again_as_this_versions(store, cases, make_feature):
    """An index kept in 128 shards (another version's count): taken over into this version's shards, every case
    in the shard its place falls in now, nothing told again, the news after it as before."""
    import zlib

    due = _six_places_filed_at_once(store, cases, make_feature)
    soon = due - timedelta(hours=cases.notify.due_soon_hours)
    _told(store, cases, soon - timedelta(hours=2))
    entries = sorted(stored_entries(store), key=case_key)
    old: dict[str, dict] = {}
    for e in entries:
        place = f"{e['layer']}/{e['fid']}"
        old.setdefault(str(zlib.crc32(place.encode()) % 128), {}).setdefault(place, {})[e["pid"]] = e
    with store.records_locked(CASES):
        for key in store.record_keys(CASES):
            store.delete_record(CASES, key)
        for key, places in old.items():
            store.put_record(CASES, key, {"places": places})
    with store.records_locked(CURSOR):
        store.put_record(CURSOR, KEY, {**store.record(CURSOR, KEY), "shards": 128})
    assert _told(store, cases, soon - timedelta(hours=1)) == []
    assert sorted(stored_entries(store), key=case_key) == entries
    for key in store.record_keys(CASES):
        assert {shard_of(place) for place in store.record(CASES, key)["places"]} == {int(key)}
    assert [e["kind"] for e in _told(store, cases, soon)] == ["case_due_soon"] * 6
