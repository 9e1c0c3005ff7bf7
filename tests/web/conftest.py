import pytest

from geo.store import open_store
from web import create_app


@pytest.fixture
def seeded(data_dir, campaign, clock, make_feature):
    """A small campaign: three courtyards, one with an HTML payload for a name."""
    store = open_store(data_dir, campaign, clock=clock)
    store.create("courtyards", make_feature("兑周村1号院", "accepted", x=113.660), user="张三")
    store.create("courtyards", make_feature("中原东路5号院", "pending", x=113.662, deadline="2026-11-01"), user="张三")
    store.create("courtyards", make_feature("<img src=x onerror=alert(1)>", "in_progress", x=113.664), user="李四")
    return data_dir


@pytest.fixture
def app(seeded, clock):
    return create_app({"TESTING": True, "GUATU_DATA": str(seeded), "GUATU_CLOCK": clock})


@pytest.fixture
def client(app):
    return app.test_client()
