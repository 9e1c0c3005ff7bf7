"""A small campaign for the workflow tests: places in three sub-districts with their 四包一,
and the app as a deployment runs it (nothing without logging in)."""

from __future__ import annotations

import pytest

from geo.store import open_store
from tests.web.conftest import PASSWORD
from web import create_app

STREETS = {"大学路街道": 4, "福华街街道": 3, "金水源街道": 2}


@pytest.fixture
def store(data_dir, campaign, clock):
    s = open_store(data_dir, campaign, clock=clock)
    yield s
    s.close()


@pytest.fixture
def seeded(store, make_feature):
    """Nine courtyards: 4 + 3 + 2 across three sub-districts; the first of each street is accepted."""
    x = 113.60
    for street, n in STREETS.items():
        for i in range(n):
            x += 0.002
            people = {"leader": "蔡红梅", "cadre": f"{street[:2]}干部", "community_head": f"{street[:2]}社区{i}",
                      "grid_worker": "戴新民" if i == 1 else f"网格员{street[:2]}{i}"}
            store.create("courtyards", make_feature(f"{street[:3]}{i + 1}号院", "accepted" if i == 0 else "pending",
                                                    x=x, street=street, community=f"{street[:2]}社区",
                                                    unit="区政府办" if street == "大学路街道" else "区教育局",
                                                    people=people), user="张三")
    return store


@pytest.fixture
def app(seeded, data_dir, clock, tmp_path):
    app = create_app({"TESTING": True, "GUATU_DATA": str(data_dir), "GUATU_CLOCK": clock,
                      "GUATU_INSTANCE": str(tmp_path / "instance")})
    acc = app.extensions["guatu_accounts"]
    acc.create_user("viewer1", PASSWORD, "viewer", "王看")
    acc.create_user("editor1", PASSWORD, "editor", "戴新民")
    return app


@pytest.fixture
def client(app):
    return app.test_client()
