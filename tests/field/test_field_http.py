"""The field page over HTTP: who may open it, the headers a phone needs (position, camera, a service worker
whose scope covers the page), the worker's precache list, and the list the page carries."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from geo import inspections as insp
from tests.web.conftest import login

STATIC = Path(__file__).resolve().parents[2] / "web" / "static"


def test_an_editor_opens_the_page_a_viewer_may_not(client):
    resp = client.get("/field/")
    assert resp.status_code == 302 and resp.headers["Location"] == "/login?next=/field/"  # not signed in
    login(client, "viewer1")
    assert client.get("/field/").status_code == 403
    assert client.get("/api/field/2026-11-24").status_code == 403


def test_the_page_may_ask_for_the_position_and_the_camera_and_is_never_kept_stale(client):
    login(client, "editor1")
    assert client.get("/field").status_code == 308  # the scope of the worker ends in a slash
    resp = client.get("/field/?date=2026-11-24")
    assert resp.status_code == 200
    assert resp.headers["Permissions-Policy"] == "camera=(self), microphone=(), geolocation=(self)"
    assert resp.headers["Cache-Control"] == "no-cache"
    html = resp.get_data(as_text=True)
    config = json.loads(re.search(r'data-config="([^"]*)"', html).group(1).replace("&#34;", '"'))
    assert config["day"] == "2026-11-24" and config["scope"] == "/field/" and config["worker"] == "/field/sw.js"
    assert config["list"] == "/api/field/2026-11-24"
    assert config["photos"] == "/api/layers/__layer__/features/__fid__/photos"
    bad = client.get("/field/?date=2026-13-01")
    assert bad.status_code == 400 and bad.headers["Content-Type"] == "application/problem+json"
    # every other page keeps the position and the camera off
    assert "geolocation=()" in client.get("/inspections").headers["Permissions-Policy"]


def test_the_worker_is_served_for_its_scope_with_a_precache_list_of_our_own_files(client):
    resp = client.get("/field/sw.js")  # no data in it: served to anyone, as a browser fetches it
    assert resp.status_code == 200 and resp.mimetype == "text/javascript"
    assert resp.headers["Service-Worker-Allowed"] == "/field/" and resp.headers["Cache-Control"] == "no-cache"
    first, second = resp.get_data(as_text=True).splitlines()
    settings = json.loads(first.removeprefix("self.GUATU_OFFLINE = ").removesuffix(";"))
    assert second == 'importScripts("/static/js/lib/offline-sw.js");'
    urls = [e["url"] for e in settings["precache"]]
    for url in ("/static/js/pages/field.js", "/static/js/field/queue.js", "/static/js/lib/messages.js",
                "/static/vendor/leaflet/leaflet.js", "/static/vendor/idb/idb.js", "/static/css/field.css"):
        assert url in urls
    assert "/static/js/lib/offline-sw.js" not in urls
    for entry in settings["precache"]:
        assert entry["url"].startswith("/static/") and (STATIC / entry["url"].removeprefix("/static/")).is_file()
        assert re.fullmatch(r"[0-9a-f]{16}", entry["revision"])
    assert settings["vendor"] == "/static/vendor/"
    for name in ("workbox-sw/workbox-sw.js", "workbox-core/workbox-core.prod.js",
                 "workbox-precaching/workbox-precaching.prod.js", "workbox-routing/workbox-routing.prod.js",
                 "workbox-strategies/workbox-strategies.prod.js"):
        assert client.get(settings["vendor"] + name).status_code == 200


def test_the_list_carries_shapes_versions_and_the_forms_choices_in_route_order(client, seeded):
    csrf = login(client, "editor1")
    assert client.get("/api/field/2026-11-24").get_json()["places"] == []  # no list that day
    drawn = client.post("/api/inspections/2026-11-24", json={"count": 4, "seed": 3},
                        headers={"X-CSRF-Token": csrf}).get_json()["places"]
    got = client.get("/api/field/2026-11-24").get_json()
    assert [p["id"] for p in got["places"]] == [p["id"] for p in drawn]
    assert [p["order"] for p in got["places"]] == [1, 2, 3, 4]
    first = got["places"][0]
    feature = seeded.get(first["layer"], first["id"])
    assert first["geometry"] == feature["geometry"] and first["version"] == feature["properties"]["version"]
    assert first["color"].startswith("#") and first["status_label"] and first["photos"] == []
    assert [r["key"] for r in got["results"]] == ["ok", "problem", "relapse"]
    assert got["categories"] and got["default_deadline"] == "2026-11-25"
    bad = client.get("/api/field/2026-02-30")
    assert bad.status_code == 400 and bad.headers["Content-Type"] == "application/problem+json"


def test_each_place_carries_its_last_inspection_before_the_day(client, seeded, campaign):
    earlier = insp.generate(seeded, campaign, date(2026, 11, 20), n=9, seed=1, user="李编")["places"]
    insp.record(seeded, campaign, date(2026, 11, 20), earlier[0]["id"], result="ok", user="王五")
    insp.record(seeded, campaign, date(2026, 11, 20), earlier[1]["id"], result="problem", category="乱堆乱放",
                user="王五")
    insp.generate(seeded, campaign, date(2026, 11, 24), n=9, seed=2, user="李编")  # every place again
    login(client, "editor1")
    got = {p["id"]: p["last_result"] for p in client.get("/api/field/2026-11-24").get_json()["places"]}
    assert got[earlier[0]["id"]] == {"date": "2026-11-20", "result": "ok", "label": "正常"}
    assert got[earlier[1]["id"]] == {"date": "2026-11-20", "result": "problem", "label": "发现问题"}
    assert [got[p["id"]] for p in earlier[2:]] == [None] * 7
