"""Production serving: configuration file, health and readiness probes, JSON logs, and
several app instances sharing one PostGIS schema (live updates across instances)."""

from __future__ import annotations

import json
import logging
import re

import pytest

from geo.messages import t
from geo.store.transfer import copy_to_postgis
from tests.web.conftest import PASSWORD, login
from web import create_app


def _app(data_dir, instance_dir, clock, **config):
    return create_app({"TESTING": True, "GUATU_DATA": str(data_dir), "GUATU_CLOCK": clock,
                       "GUATU_INSTANCE": str(instance_dir), **config})


# --- probes ------------------------------------------------------------------------------

def test_healthz_is_public_and_touches_nothing(private_app):
    resp = private_app.test_client().get("/healthz")
    assert resp.status_code == 200 and resp.get_json() == {"status": "ok"}
    assert resp.headers["Cache-Control"] == "no-store"


def test_readyz_reports_the_store_and_every_layer(private_app):
    resp = private_app.test_client().get("/readyz")
    body = resp.get_json()
    assert resp.status_code == 200 and body["ready"] is True
    assert body["revision"] == 3 and body["layers"]["courtyards"] == {"revision": 3}
    assert body["backend"] == "GeoJSONStore"


def test_readyz_stays_ready_but_degraded_while_a_layer_cannot_be_read(app, seeded):
    """Every instance shares the data: a 503 would take them all out of the balancer and blank every screen."""
    (seeded / "layers" / "courtyards.geojson").write_text('{"type": "FeatureCollection", "features": [', "utf-8")
    resp = app.test_client().get("/readyz")
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["ready"] is True and body["degraded"] is True and "courtyards" in body["reason"]
    assert "error" in body["layers"]["courtyards"] and "revision" in body["layers"]["roads"]


def test_readyz_is_503_when_the_database_is_gone(seeded, instance_dir, clock, postgis_url, postgis_schema, campaign):
    copy_to_postgis(seeded, campaign, postgis_url, schema=postgis_schema)
    app = _app(seeded, instance_dir, clock, GUATU_DATABASE_URL=postgis_url, GUATU_DATABASE_SCHEMA=postgis_schema,
               GUATU_PUBLIC_VIEW=True)
    client = app.test_client()
    assert client.get("/readyz").get_json()["backend"] == "PostGISStore"
    assert client.get("/readyz").status_code == 200
    app.extensions["guatu"].store.close()  # as if the server went away
    resp = client.get("/readyz")
    assert resp.status_code == 503 and "数据库" in resp.get_json()["reason"]  # the catalogue's words
    assert client.get("/healthz").status_code == 200  # liveness does not depend on the database
    assert client.get("/api/wall/state").status_code == 503  # and the API says so in its one error shape


# --- configuration ---------------------------------------------------------------------

def test_config_file_sets_guatu_settings_and_environment_wins(seeded, instance_dir, clock, tmp_path, monkeypatch):
    config = tmp_path / "guatu.toml"
    config.write_text(f'data = "{seeded}"\nrefresh_seconds = 30\npublic_view = true\n\n[guatu]\nlog_level = "WARNING"\n',
                      "utf-8")
    monkeypatch.setenv("GUATU_CONFIG", str(config))
    monkeypatch.setenv("GUATU_REFRESH_SECONDS", "12")
    app = create_app({"TESTING": True, "GUATU_CLOCK": clock, "GUATU_INSTANCE": str(instance_dir)})
    assert app.config["GUATU_DATA"] == str(seeded)
    assert app.config["GUATU_PUBLIC_VIEW"] is True
    assert app.config["GUATU_LOG_LEVEL"] == "WARNING"
    assert app.extensions["guatu"].refresh_seconds == 12  # the environment wins over the file
    assert app.test_client().get("/api/wall/state").status_code == 200  # public view from the file


def test_config_file_with_relative_paths_and_a_mistake(seeded, tmp_path, clock):
    config = tmp_path / "conf" / "guatu.toml"
    config.parent.mkdir()
    config.write_text('data = "../data"\ninstance = "inst"\n', "utf-8")
    app = create_app({"TESTING": True, "GUATU_CLOCK": clock, "GUATU_CONFIG": str(config)})
    assert app.config["GUATU_DATA"] == str(seeded) and app.config["GUATU_INSTANCE"] == str(config.parent / "inst")
    config.write_text("data = [unclosed\n", "utf-8")
    with pytest.raises(RuntimeError, match=re.escape(f"GUATU_CONFIG {config}:不是有效的 TOML(")):
        create_app({"TESTING": True, "GUATU_CLOCK": clock, "GUATU_CONFIG": str(config)})
    with pytest.raises(RuntimeError, match=re.escape(t("settings.file_missing", path=tmp_path / "missing.toml"))):
        create_app({"TESTING": True, "GUATU_CLOCK": clock, "GUATU_CONFIG": str(tmp_path / "missing.toml")})


# --- logs --------------------------------------------------------------------------------

@pytest.fixture
def json_logs():
    yield
    root = logging.getLogger()
    for h in [h for h in root.handlers if getattr(h, "guatu", False)]:
        root.removeHandler(h)


def test_json_logs_carry_request_id_method_path_status_and_duration(seeded, instance_dir, clock, capsys, json_logs):
    app = _app(seeded, instance_dir, clock, GUATU_PUBLIC_VIEW=True, GUATU_LOG_FORMAT="json")
    client = app.test_client()
    resp = client.get("/api/wall/state", headers={"X-Request-ID": "screen-7.42"})
    assert resp.headers["X-Request-ID"] == "screen-7.42"
    generated = client.get("/healthz").headers["X-Request-ID"]
    assert len(generated) == 32
    assert client.get("/api/changes", headers={"X-Request-ID": "bad id <script>"}).headers["X-Request-ID"] != "bad id <script>"
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    access = [x for x in lines if x["logger"] == "guatu.access"]
    first = next(x for x in access if x.get("request_id") == "screen-7.42")
    assert first["method"] == "GET" and first["path"] == "/api/wall/state" and first["status"] == 200
    assert isinstance(first["duration_ms"], float) and first["level"] == "info" and first["time"].endswith("Z")
    assert any(x.get("request_id") == generated and x["path"] == "/healthz" for x in access)
    assert any(x["logger"] == "web" and "campaign" in x["message"] for x in lines)  # start-up lines are JSON too


# --- several instances on one database -------------------------------------------------------

def test_two_instances_on_one_schema_see_each_others_writes(seeded, tmp_path, clock, campaign, postgis_url,
                                                            postgis_schema):
    copy_to_postgis(seeded, campaign, postgis_url, schema=postgis_schema)
    db = {"GUATU_DATABASE_URL": postgis_url, "GUATU_DATABASE_SCHEMA": postgis_schema}
    one = _app(seeded, tmp_path / "one", clock, **db)
    two = _app(seeded, tmp_path / "two", clock, GUATU_PUBLIC_VIEW=True, **db)
    one.extensions["guatu_accounts"].create_user("editor1", PASSWORD, "editor", "李编")
    writer, screen = one.test_client(), two.test_client()

    state = screen.get("/api/wall/state")
    assert state.status_code == 200 and state.get_json()["revision"] == 3
    etag, revision = state.headers["ETag"], state.get_json()["revision"]
    assert screen.get("/api/wall/state", headers={"If-None-Match": etag}).status_code == 304

    csrf = login(writer, "editor1")
    resp = writer.patch("/api/layers/courtyards/features/c-0002", json={"properties": {"status": "rectified"}},
                        headers={"If-Match": '"c-0002-v1"', "X-CSRF-Token": csrf})
    assert resp.status_code == 200, resp.data

    changed = screen.get(f"/api/wall/state?since={revision}", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    delta = changed.get_json()
    assert delta["kind"] == "delta" and delta["revision"] == 4
    assert delta["layers"]["courtyards"]["features"]["c-0002"][0] == "rectified"
    changes = screen.get(f"/api/changes?since={revision}").get_json()
    assert changes["revision"] == 4
    assert [(c["id"], c["status"], c["user"]) for c in changes["changes"]] == [("c-0002", "rectified", "李编 (editor1)")]
    assert screen.get("/api/layers/courtyards/features/c-0002").get_json()["properties"]["status"] == "rectified"
    # and the other way: a stale save through instance one is refused with the current version
    stale = writer.patch("/api/layers/courtyards/features/c-0002", json={"properties": {"status": "pending"}},
                         headers={"If-Match": '"c-0002-v1"', "X-CSRF-Token": csrf})
    assert stale.status_code == 409 and stale.get_json()["current"]["properties"]["version"] == 2
