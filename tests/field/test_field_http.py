"""The field page over HTTP: who may open it, the headers a phone needs (position, camera, a service worker
whose scope covers the page), the worker's precache list, and the list the page carries."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from geo import inspections as insp
from tests.web.conftest import PASSWORD, login
from web import create_app
from web.core.modules import static_imports
from web.field.offline import ENTRIES

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


def _settings(client) -> dict:
    first = client.get("/field/sw.js").get_data(as_text=True).splitlines()[0]
    return json.loads(first.removeprefix("self.GUATU_OFFLINE = ").removesuffix(";"))


def _page_scripts(client) -> list[str]:
    """Every script the field page names: module scripts (its own, the banner's, the bell's) and modulepreloads."""
    html = client.get("/field/?date=2026-11-24").get_data(as_text=True)
    named = re.findall(r'<script type="module" src="(/static/[^"]+)"', html)
    return named + re.findall(r'<link rel="modulepreload" href="(/static/[^"]+)">', html)


def test_the_worker_is_served_for_its_scope_with_a_precache_list_of_our_own_files(client):
    resp = client.get("/field/sw.js")  # no data in it: served to anyone, as a browser fetches it
    assert resp.status_code == 200 and resp.mimetype == "text/javascript"
    assert resp.headers["Service-Worker-Allowed"] == "/field/" and resp.headers["Cache-Control"] == "no-cache"
    second = resp.get_data(as_text=True).splitlines()[1]
    settings = _settings(client)
    assert second == 'importScripts("/static/js/lib/offline-sw.js");'
    urls = [e["url"] for e in settings["precache"]]
    for url in ("/static/vendor/leaflet/leaflet.js", "/static/css/field.css", "/static/js/pages/banner.js",
                "/static/js/pages/inbox-bell.js"):
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


def test_the_page_loads_its_bundle_and_the_worker_precaches_every_script_it_names(client):
    """The page's own scripts come as one bundle (web/core/bundles.py), the banner's and the bell's as modules; the
    worker precaches each script the page names, and the modules a bundle holds are not fetched again."""
    login(client, "editor1")
    named = _page_scripts(client)
    bundled = [u for u in named if u.startswith("/static/bundle/")]
    assert len(bundled) == 1 and "/field-" in bundled[0]
    assert "/static/js/pages/field.js" not in named
    urls = {e["url"] for e in _settings(client)["precache"]}
    assert set(named) <= urls
    assert not {"/static/js/pages/field.js", "/static/js/field/queue.js", "/static/vendor/idb/idb.js"} & urls
    for url in named:
        assert client.get(url).status_code == 200, url
    # modules run in the order they stand: the page's own first, so the bell's imports do not hold its list back
    assert named[:3] == ["/static/js/pages/banner.js", bundled[0], "/static/js/pages/inbox-bell.js"]
    # what an older copy of the page may name for its script, and where the worker sends it
    aliases = _settings(client)["aliases"]
    assert {a["to"] for a in aliases} == {bundled[0]}
    for old, sent in (("/static/bundle/0123456789abcdef/field-ABC123.js", True), ("/static/js/pages/field.js", True),
                      ("/static/bundle/0123456789abcdef/wall-ABC123.js", False), ("/static/js/pages/wall.js", False)):
        assert any(re.search(a["pattern"], old) for a in aliases) is sent, old


def test_without_bundles_the_page_and_its_worker_have_the_modules(seeded, data_dir, clock, tmp_path):
    """GUATU_SCRIPT_BUNDLES=false (or bundles older than the scripts): the page and its worker have the modules."""
    app = create_app({"TESTING": True, "GUATU_DATA": str(data_dir), "GUATU_CLOCK": clock,
                      "GUATU_INSTANCE": str(tmp_path / "instance"), "GUATU_SCRIPT_BUNDLES": "false"})
    app.extensions["guatu_accounts"].create_user("editor1", PASSWORD, "editor", "戴新民")
    client = app.test_client()
    login(client, "editor1")
    named = _page_scripts(client)
    assert "/static/js/pages/field.js" in named and not [u for u in named if "/bundle/" in u]
    modules = {f"/static/{m}" for m in ("js/pages/field.js", *static_imports("js/pages/field.js"))}
    assert {"/static/js/field/queue.js", "/static/vendor/idb/idb.js"} <= modules <= set(named)
    assert set(named) <= {e["url"] for e in _settings(client)["precache"]}
    assert {a["to"] for a in _settings(client)["aliases"]} == {"/static/js/pages/field.js"}


def test_the_field_pages_scripts_import_nothing_lazily():
    """The worker precaches what the page names (its bundle and the bundle's static chunks, or its modules): a
    script fetched later by `import()` would be missing offline."""
    for entry in ENTRIES:
        for name in (entry, *static_imports(entry)):
            assert "import(" not in (STATIC / name).read_text(encoding="utf-8"), name


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
