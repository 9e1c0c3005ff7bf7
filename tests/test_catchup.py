"""The journal catch-up both kept views share (geo/wall/catchup.py `CatchUp`): a view of every place's status,
kept between revisions, is the view built from scratch, and it is built again only when it must be."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from geo.errors import NotFound
from geo.journal import ChangeSummary
from geo.store.base import Store
from geo.wall.catchup import Basis, CatchUp, Flips
from tests.conftest import make_feature


@dataclass
class Statuses:
    basis: Basis
    status: dict[tuple[str, str], str]
    built_at: str  # the local time it was built at, to tell a kept view from a new one
    flips: Flips = field(default_factory=Flips)  # no moment changes a status


class StatusView(CatchUp[Statuses]):
    """The smallest real view: each place's status."""

    def _build(self, basis: Basis, now_l: datetime) -> Statuses:
        return Statuses(basis, _walk(self.store), now_l.isoformat())

    def _apply(self, kept: Statuses, changes: list[ChangeSummary], now_l: datetime) -> None:
        for c in changes:
            try:
                kept.status[(c.layer, c.id)] = self.store.get(c.layer, c.id)["properties"]["status"]
            except NotFound:  # deleted
                kept.status.pop((c.layer, c.id), None)

    def _rederive(self, kept: Statuses, keys: list[tuple[str, str]], now_l: datetime) -> None:
        """A status does not change with the clock: nothing to derive again."""

    def get(self, now: datetime) -> Statuses:
        with self._catch_up_lock:
            return self.catch_up(self.store.revision(), now)


def _walk(store: Store) -> dict[tuple[str, str], str]:
    return {(x.id, f["id"]): f["properties"]["status"] for x in store.readable_layers() for f in store.features(x.id)}


def test_a_kept_view_is_brought_up_to_date_with_the_changes_since(store_factory, campaign, clock):
    store = store_factory()
    view = StatusView(store, campaign)
    first = store.create("courtyards", make_feature(x=113.60), user="t").feature["id"]
    built = view.get(clock())
    store.create("courtyards", make_feature(x=113.61), user="t")
    store.update("courtyards", first, expected_version=1, user="t", properties={"status": "accepted"})
    clock.advance(minutes=5)
    kept = view.get(clock())
    assert kept is built and kept.built_at == built.built_at  # caught up, not built again
    assert kept.status == _walk(store)
    assert kept.basis.revision == store.revision()
    store.delete("courtyards", first, expected_version=2, user="t")
    assert view.get(clock()).status == _walk(store) and (("courtyards", first) not in view.get(clock()).status)


def test_a_new_day_builds_the_view_again(store_factory, campaign, clock):
    store = store_factory()
    view = StatusView(store, campaign)
    store.create("courtyards", make_feature(), user="t")
    built = view.get(clock())
    clock.advance(hours=24)
    again = view.get(clock())
    assert again is not built and again.status == _walk(store)
    assert again.basis.clock != built.basis.clock


def test_a_request_whose_revision_is_older_leaves_the_view_where_it_was(store_factory, campaign, clock):
    store = store_factory()
    view = StatusView(store, campaign)
    store.create("courtyards", make_feature(x=113.60), user="t")
    store.create("courtyards", make_feature(x=113.61), user="t")
    with view._catch_up_lock:
        latest = view.catch_up(2, clock())
        older = view.catch_up(1, clock())  # a request that read its revision before the last one's
    assert older is latest and older.basis.revision == 2
