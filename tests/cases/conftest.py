"""A place with a ledger problem in a store, the people of the three levels, and a fixed `now` (never the wall
clock): Monday 7 December 2026, 10:00 in the campaign's zone."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from geo.accounts import Principal
from geo.cases import transition
from geo.ledger import add_problem
from geo.scope import Scope
from geo.store import open_store

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)  # Monday 10:00, Asia/Shanghai
LAYER = "courtyards"
STREET, COMMUNITY, UNIT = "大学路街道", "金桥社区", "区住建局"

PEOPLE = {
    "district": Principal("zhihui", "王指挥", "editor", "session"),
    "admin": Principal("admin", "管理员", "admin", "session"),
    "street": Principal("jiedao", "李街道", "editor", "session", scope=Scope(streets=(STREET,))),
    "other_street": Principal("jianshe", "周街道", "editor", "session", scope=Scope(streets=("建设路街道",))),
    "community": Principal("jinqiao", "孙社区", "editor", "session", scope=Scope(communities=(COMMUNITY,))),
    "unit": Principal("zhujian", "张住建", "editor", "session", scope=Scope(units=(UNIT,))),
    "other_unit": Principal("chengguan", "刘城管", "editor", "session", scope=Scope(units=("区城管局",))),
    "inspector": Principal("duban", "赵督导", "inspector", "session"),
    "viewer": Principal("kan", "钱查看", "viewer", "session"),
}


@pytest.fixture
def people() -> dict[str, Principal]:
    return PEOPLE


@pytest.fixture
def store(data_dir, campaign, clock):
    clock.now = NOW
    s = open_store(data_dir, campaign, clock=clock)
    yield s
    s.close()


@pytest.fixture
def no_photos(campaign):
    """The campaign without the photo requirements (the tests of photos turn them on)."""
    return replace(campaign, cases=replace(campaign.cases, require_photo_report=False, require_photo_confirm=False))


@pytest.fixture
def place(store, campaign, make_feature):
    """A courtyard of 大学路街道 / 金桥社区, accepted, with one problem filed by a planner."""
    created = store.create(LAYER, make_feature(name="大学路51号院", status="accepted", street=STREET,
                                               community=COMMUNITY, unit="区政府办"), user="演示")
    feature = created.feature
    changes = add_problem(feature, {"category": "飞线充电", "description": "单元楼墙面飞线充电"}, campaign,
                          NOW.astimezone(campaign.timezone).date(), now=NOW, user="zhihui", by="王指挥 (zhihui)")
    written = store.update(LAYER, feature["id"], expected_version=1, user="王指挥 (zhihui)", properties=changes,
                           case_write=True)
    return written.feature


def problem_of(store, fid: str, pid: str | None = None) -> dict:
    problems = store.get(LAYER, fid)["properties"]["problems"]
    return problems[-1] if pid is None else next(p for p in problems if p["id"] == pid)


def act(store, campaign, place, action: str, who: Principal, *, now: datetime = NOW, **kwargs):
    """Take `action` on the place's (last) problem as `who`."""
    pid = place["properties"]["problems"][-1]["id"]
    return transition(store, LAYER, place["id"], pid, action, principal=who, expected_version=None,
                      campaign=campaign, now=now, **kwargs)
