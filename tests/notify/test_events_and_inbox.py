"""An event is kept once however often it is emitted; an inbox shows each event once and remembers what was read —
on both stores."""

from __future__ import annotations

import pytest

from geo.notify.events import EVENTS, PENDING, Event, emit, event
from geo.notify.inbox import deliver, items, mark_read, unread_count


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
