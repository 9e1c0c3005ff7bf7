"""An event is kept once however often it is emitted; an inbox shows each event once and remembers what was read —
on both stores."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from geo.accounts import User
from geo.notify.events import EVENTS, PENDING, Event, emit, emit_all, event
from geo.notify.inbox import deliver, items, mark_read, unread_count
from geo.notify.outbox import fan_out_pending


def _event(key: str = "roads/r-1/p-1/dispatch/1") -> Event:
    return Event(kind="case_assigned", key=key, at="2026-12-07T02:00:00Z", title="案件派遣:庆丰路",
                 text="<b>请处置</b>", link="/cases/roads/r-1/p-1", unit="区住建局", users=("zhujian",))


@pytest.mark.parametrize("backend", ["geojson", "postgis"])
def test_an_event_emitted_twice_is_kept_once_and_pending_once(store_factory, backend):
    store = store_factory(backend)
    first, second = _event(), _event("roads/r-1/p-1/dispatch/2")
    assert emit(store, first) is True
    assert emit(store, first) is False
    assert emit(store, second) is True
    assert store.record(PENDING, "events")["ids"] == [first.id, second.id]
    assert store.record_keys(EVENTS) == sorted([first.id, second.id])
    assert event(store, first.id)["users"] == ["zhujian"] and event(store, first.id)["id"] == first.id


def test_an_unknown_kind_is_refused_and_nothing_kept(store_factory):
    store = store_factory()
    with pytest.raises(ValueError, match="未知的通知事件类型"):
        emit(store, Event(kind="gossip", key="k", at="2026-12-07T02:00:00Z", title="t", text="t"))
    assert store.record_keys(EVENTS) == []


@pytest.mark.parametrize("backend", ["geojson", "postgis"])
def test_an_inbox_shows_an_event_once_newest_first_and_remembers_what_was_read(store_factory, backend):
    store = store_factory(backend)
    older, newer = _event("a").to_dict(), _event("b").to_dict()
    assert deliver(store, "zhu.jian_1", older, at="2026-12-07T02:00:01Z") is True
    assert deliver(store, "zhu.jian_1", older, at="2026-12-07T02:05:00Z") is False  # sent again after a restart
    assert deliver(store, "zhu.jian_1", newer, at="2026-12-07T03:00:00Z") is True
    assert [i["id"] for i in items(store, "zhu.jian_1")] == [newer["id"], older["id"]]
    assert items(store, "zhujian_1") == [] and unread_count(store, "zhu.jian_1") == 2
    assert mark_read(store, "zhu.jian_1", [older["id"]]) == 1
    assert unread_count(store, "zhu.jian_1") == 1
    assert mark_read(store, "zhu.jian_1") == 1 and unread_count(store, "zhu.jian_1") == 0
    assert mark_read(store, "nobody") == 0


@pytest.mark.parametrize("backend", ["geojson", "postgis"])
def test_many_events_emitted_at_once_are_each_kept_once_and_pending_in_their_order(store_factory, backend):
    store = store_factory(backend)
    emit(store, _event("k0"))
    batch = [_event(f"k{i}") for i in range(300)] + [_event("k7")]  # one kept before, one twice in the batch
    assert emit_all(store, batch) == 299
    assert store.record(PENDING, "events")["ids"] == [_event(f"k{i}").id for i in range(300)]
    assert len(store.record_keys(EVENTS)) == 300
    assert emit_all(store, batch) == 0 and emit_all(store, []) == 0


def test_events_whose_records_were_kept_before_a_crash_are_listed_when_emitted_again_and_sent_once(store_factory):
    """emit_all writes the new events' records, then lists them as pending: after a crash between the two the
    sender's next round emits them again (its cursor has not moved); they are not new, but they are listed then,
    and each reaches its people once — as does an event listed again after it was fanned out."""
    store = store_factory()
    crashed, fine = _event("crashed"), _event("fine")
    store.put_record(EVENTS, crashed.id, crashed.to_dict())  # as a crash left it: kept, not listed
    assert emit_all(store, [crashed, fine]) == 1
    assert store.record(PENDING, "events")["ids"] == [crashed.id, fine.id]
    users = [User("zhujian", "张住建", "editor", "", "2026-12-01T00:00:00Z")]
    now = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
    assert fan_out_pending(store, users, now=now, tz=ZoneInfo("Asia/Shanghai")) == 2
    assert store.record(PENDING, "events")["ids"] == []
    assert emit(store, fine) is False and store.record(PENDING, "events")["ids"] == [fine.id]
    assert fan_out_pending(store, users, now=now, tz=ZoneInfo("Asia/Shanghai")) == 1
    assert sorted(i["id"] for i in items(store, "zhujian")) == sorted([crashed.id, fine.id])  # each once
