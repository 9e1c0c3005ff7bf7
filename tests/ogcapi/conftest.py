"""Fixtures for the OGC API tests: a small private deployment (test client) and the demo campaign
served on a local port for real GIS clients (GDAL, OWSLib)."""

from __future__ import annotations

import base64

import pytest

from geo.config import load_campaign
from geo.store import open_store
from tests.browser.harness import copy_demo, live_server
from tests.conftest import DEMO_CAMPAIGN, FakeClock, make_feature
from web import create_app

PASSWORD = "correct horse battery"
LAYERS = ("courtyards", "roads", "villages")


def seed(data_dir, campaign, clock) -> None:
    """Three courtyards, one named with an HTML payload; the third saved two days after the others."""
    store = open_store(data_dir, campaign, clock=clock)
    store.create("courtyards", make_feature("兑周村1号院", "accepted", x=113.660, street="大学路街道"), user="张三")
    store.create("courtyards", make_feature("中原东路5号院", "pending", x=113.662, deadline="2026-11-01",
                                            street="福华街街道"), user="张三")
    clock.advance(days=2)
    store.create("courtyards", make_feature("<img src=x onerror=alert(1)>", "in_progress", x=113.664), user="李四")
    store.close()


def deployment(data_dir, clock, instance):
    """A deployment as it runs: nothing without logging in; a viewer, an editor and their API tokens."""
    app = create_app({"TESTING": True, "GUATU_DATA": str(data_dir), "GUATU_CLOCK": clock, "GUATU_INSTANCE": str(instance)})
    acc = app.extensions["guatu_accounts"]
    acc.create_user("viewer1", PASSWORD, "viewer", "王看")
    acc.create_user("editor1", PASSWORD, "editor", "李编")
    app.config["TOKENS"] = {name: acc.create_api_token(name, "ogc tests")[1] for name in ("viewer1", "editor1")}
    return app


@pytest.fixture
def private_app(data_dir, campaign, clock, tmp_path):
    """A fresh deployment for tests that write."""
    seed(data_dir, campaign, clock)
    return deployment(data_dir, clock, tmp_path / "instance")


@pytest.fixture(scope="module")
def read_app(tmp_path_factory):
    """One deployment shared by a module's read-only tests (accounts are slow to make: scrypt)."""
    root = tmp_path_factory.mktemp("ogc-read")
    data = root / "data"
    data.mkdir()
    (data / "campaign.json").write_bytes(DEMO_CAMPAIGN.read_bytes())
    clock = FakeClock()
    seed(data, load_campaign(data), clock)
    return deployment(data, clock, root / "instance")


@pytest.fixture
def client(private_app):
    return private_app.test_client()


def bearer(app, user: str) -> dict:
    return {"Authorization": f"Bearer {app.config['TOKENS'][user]}"}


def basic(user: str, password: str = PASSWORD) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


@pytest.fixture(scope="module")
def demo_data(tmp_path_factory):
    """A private copy of the demo campaign (three layers, 340 places)."""
    return copy_demo(tmp_path_factory.mktemp("ogc-demo") / "data")


@pytest.fixture(scope="module")
def demo_features(demo_data):
    """What the store holds, layer by layer: the truth the clients' answers are compared with."""
    store = open_store(demo_data, load_campaign(demo_data))
    try:
        return {layer: store.features(layer) for layer in LAYERS}
    finally:
        store.close()


@pytest.fixture(scope="module")
def demo_server(demo_data):
    """The demo campaign on a free local port, readable without logging in (as `./guatu serve` runs it)."""
    with live_server(demo_data) as server:
        yield server


@pytest.fixture(scope="module")
def private_server(demo_data):
    """The demo campaign on a free local port with no public view, and a viewer who reads it with Basic auth."""
    with live_server(demo_data, GUATU_PUBLIC_VIEW=False) as server:
        server.app.extensions["guatu_accounts"].create_user("gis1", PASSWORD, "viewer", "规划科")
        yield server


@pytest.fixture
def request_log(demo_server):
    """(path, query string) of every request the demo server answers during the test."""
    seen: list[tuple[str, str]] = []
    app = demo_server.app
    inner = app.wsgi_app

    def recording(environ, start_response):
        seen.append((environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", "")))
        return inner(environ, start_response)

    app.wsgi_app = recording
    yield seen
    app.wsgi_app = inner
