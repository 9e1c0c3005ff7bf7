"""A campaign with its boundary files (so a report knows its sub-district and community), places near a pin,
the staff of the case loop, and a fixed `now`: Monday 7 December 2026, 10:00 in the campaign's zone."""

from __future__ import annotations

import io
import shutil
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from geo.accounts import Principal
from geo.ledger import add_problem
from geo.residents.photos import keep_photo
from geo.scope import Scope
from tests.conftest import REPO
from tests.photos.images import jpeg

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
LAYER = "courtyards"
STREET, COMMUNITY = "京广路街道", "幸福路社区"
PIN = (113.6305, 34.7205)  # inside the courtyard `place` makes

STAFF = {
    "district": Principal("zhihui", "王指挥", "editor", "session"),
    "street": Principal("jiedao", "李街道", "editor", "session", scope=Scope(streets=(STREET,))),
    "other_street": Principal("jianshe", "周街道", "editor", "session", scope=Scope(streets=("淮河路街道",))),
    "inspector": Principal("duban", "赵督导", "inspector", "session"),
    "viewer": Principal("kan", "钱查看", "viewer", "session"),
    "handler": Principal("zhujian", "张住建", "editor", "session", scope=Scope(units=("区住建局",))),
}


@pytest.fixture
def bounded_dir(data_dir):
    """The data directory with the demo's boundary files (streets and communities)."""
    shutil.copytree(REPO / "data" / "boundaries", data_dir / "boundaries")
    return data_dir


@pytest.fixture
def open_campaign(campaign):
    """The campaign without the photo requirements of the loop (a test adds the after photo itself)."""
    return replace(campaign, cases=replace(campaign.cases, require_photo_report=False, require_photo_confirm=False))


@pytest.fixture
def staff() -> dict[str, Principal]:
    return STAFF


def add_place(store, make_feature, name: str = "幸福路1号院", x: float = 113.63, y: float = 34.72, **props) -> dict:
    return store.create(LAYER, make_feature(name=name, status="accepted", x=x, y=y, street=STREET,
                                            community=COMMUNITY, unit="区政府办", **props), user="演示").feature


def add_open_case(store, campaign, feature: dict) -> str:
    """File a planner's problem (an open case) on the place; its problem id."""
    changes = add_problem(feature, {"category": "乱堆乱放", "description": "楼道堆物"}, campaign,
                          NOW.astimezone(campaign.timezone).date(), now=NOW, user="zhihui", by="王指挥 (zhihui)")
    store.update(LAYER, feature["id"], expected_version=feature["properties"]["version"], user="王指挥 (zhihui)",
                 properties=changes, case_write=True)
    return changes["problems"][-1]["id"]


def kept_photo(store, colour=(200, 60, 30)) -> str:
    return keep_photo(store, io.BytesIO(jpeg(320, 240, colour=colour, gps=True)))
