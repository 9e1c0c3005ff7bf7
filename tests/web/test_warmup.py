"""A new server process fills its caches in the background (web/wall/warmup.py, gunicorn.conf.py)."""

from __future__ import annotations

import importlib.util
import json
import logging

import pytest

from web import create_app
from web.core.context import guatu
from web.wall.warmup import warm_up

URL = "/api/wall/shapes/courtyards?bbox=113.60,34.66,113.70,34.75&zoom=14&format=binary&part=geometry"


@pytest.fixture
def big_app(seeded, clock, instance_dir):
    """The seeded campaign with `map.viewport_above` at 1: its courtyards are drawn one viewport at a time."""
    path = seeded / "campaign.json"
    config = json.loads(path.read_text(encoding="utf-8"))
    config["map"]["viewport_above"] = 1
    path.write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
    return create_app({"TESTING": True, "GUATU_DATA": str(seeded), "GUATU_CLOCK": clock,
                       "GUATU_INSTANCE": str(instance_dir), "GUATU_PUBLIC_VIEW": True})


def test_warm_up_builds_the_full_state_and_the_viewport_index_before_any_request(big_app, caplog):
    index = big_app.extensions["guatu"].viewport_index
    assert index._layers == {}
    with caplog.at_level(logging.INFO, logger="web.wall.warmup"):
        warm_up(big_app)
    assert "caches warmed" in caplog.text
    built = index._layers["courtyards"]
    assert built.tree is not None and len(built.ids) == len(big_app.extensions["guatu"].store.features("courtyards"))
    with big_app.app_context():
        key = guatu().wall.key(guatu().now())
        cached = [k for k in guatu().cache._items if k[0] == "wall-full"]
    assert cached == [("wall-full", key, True)]

    client = big_app.test_client()
    assert client.get(URL).status_code == 200
    assert index._layers["courtyards"] is built  # the first screen's viewport used the warm index
    full = client.get("/api/wall/state", headers={"Accept-Encoding": "gzip"})
    assert full.status_code == 200 and full.headers["ETag"] == f'"{key.etag}"'


def test_a_failed_warm_up_is_logged_and_the_process_serves_on(big_app, caplog, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk gone")

    monkeypatch.setattr("web.wall.data.full_state", broken)
    with caplog.at_level(logging.ERROR, logger="web.wall.warmup"):
        warm_up(big_app)  # does not raise
    assert "warming up the caches failed" in caplog.text and "disk gone" in caplog.text
    monkeypatch.undo()
    assert big_app.test_client().get(URL).status_code == 200


def test_gunicorn_warms_each_worker_up_in_the_background(big_app, monkeypatch):
    from pathlib import Path

    conf_path = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
    spec = importlib.util.spec_from_file_location("guatu_gunicorn_conf", conf_path)
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    started = []
    monkeypatch.setattr("web.wall.warmup.warm_up_in_background", lambda app: started.append(app))

    class Worker:
        wsgi = big_app

    conf.post_worker_init(Worker())
    assert started == [big_app]
