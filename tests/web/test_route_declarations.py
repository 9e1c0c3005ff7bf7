"""Every route is declared (web/core/routes.py), and the access rules follow the declarations: an undeclared view
is refused to everyone, and a display link reaches exactly the routes declared for it."""

from __future__ import annotations

import json
import shutil

import pytest

from geo.config import load_campaign
from geo.messages import t
from geo.store import open_store
from tests.basemaps.tilesets import make_folder, tile_png
from tests.conftest import DEMO_CAMPAIGN
from tests.web.conftest import PASSWORD
from web import create_app
from web.core.routes import ROLES, Display, declared_endpoints

MINE = "大学路街道"
DAY = "2026-11-24"  # the fake clock's day


@pytest.fixture
def wall(data_dir, clock, tmp_path, make_feature):
    """The demo campaign's boundaries, a folder basemap, a courtyard in 大学路街道 and one in 淮河路街道; display
    links for the whole campaign and for 大学路街道's courtyards; an admin."""
    shutil.copytree(DEMO_CAMPAIGN.parent / "boundaries", data_dir / "boundaries")
    make_folder(data_dir / "tiles" / "street", {(0, 0, 0): tile_png(0, 0, 0)})
    config = json.loads((data_dir / "campaign.json").read_text(encoding="utf-8"))
    config["map"]["basemaps"] = [{"id": "folder", "title": "街道图", "type": "folder", "path": "tiles/street"}]
    (data_dir / "campaign.json").write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
    store = open_store(data_dir, load_campaign(data_dir), clock=clock)
    mine = store.create("courtyards", make_feature("大学路1号院", "pending", x=113.660, street=MINE, community="金桥社区"),
                        user="张三").feature["id"]
    store.create("courtyards", make_feature("淮河路3号院", "pending", x=113.664, street="淮河路街道"), user="张三")
    app = create_app({"TESTING": True, "GUATU_DATA": str(data_dir), "GUATU_CLOCK": clock,
                      "GUATU_INSTANCE": str(tmp_path / "instance")})
    acc = app.extensions["guatu_accounts"]
    acc.create_user("admin1", PASSWORD, "admin", "王管")
    _, whole = acc.create_display_token("指挥中心", "/wall")
    _, street = acc.create_display_token("大学路大屏", f"/wall?street={MINE}&layers=courtyards")
    return app, mine, {"X-Guatu-Display": whole}, {"X-Guatu-Display": street}


def _url(rule, fid: str) -> str:
    """A URL of `rule` with values that exist in the `wall` campaign."""
    values = {"layer_id": "courtyards", "fid": fid, "level": "street", "basemap_id": "folder", "z": 0, "x": 0, "y": 0,
              "day": DAY, "pid": "p-1", "username": "admin1", "action": "disable", "token_id": "t-1", "fmt": "pdf",
              "filename": "js/wallmap.js", "photo_id": "0" * 64, "variant": "thumb",
              "to_version": 1, "code": "K7Q2M9XD", "cid": "ch-1", "did": "d-1", "grid": "WebMercatorQuad",
              "tile_matrix": 0, "tile_row": 0, "tile_col": 0}
    with_values = {name: values[name] for name in rule.arguments}
    url = rule.rule if not with_values else _build(rule, with_values)
    return url + QUERIES.get(rule.endpoint, "")


QUERIES = {"wall.search": "?q=院"}  # the query a route cannot answer without


def _build(rule, values: dict) -> str:
    url = rule.rule
    for name, value in values.items():
        url = url.replace(f"<{name}>", str(value))
        for converter in ("int", "int(signed=True)", "path", "any(disable, enable)"):
            url = url.replace(f"<{converter}:{name}>", str(value))
    return url


def _display_cases(app, fid: str) -> list[tuple[str, str, Display | None]]:
    """(method, url, declared display rule) for every route a logged-in caller needs (public ones are open to all)."""
    declared = declared_endpoints(app)
    cases = []
    for rule in app.url_map.iter_rules():
        route = declared[rule.endpoint]
        if route.role == "public":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            cases.append((method, _url(rule, fid), route.display))
    return cases


def test_every_route_of_the_app_is_declared_with_a_role(wall):
    app = wall[0]
    declared = declared_endpoints(app)
    assert [endpoint for endpoint, route in declared.items() if route is None] == []
    assert {route.role for route in declared.values()} <= set(ROLES)
    assert declared["static"].display is Display.OPEN


def test_a_view_without_a_declaration_is_refused_to_everyone(wall):
    app = wall[0]
    app.add_url_rule("/api/undeclared", "undeclared", lambda: "secret")
    client = app.test_client()
    anonymous = client.get("/api/undeclared")
    assert anonymous.status_code == 403 and b"secret" not in anonymous.data
    client.post("/login", data={"username": "admin1", "password": PASSWORD,
                                "csrf_token": _csrf(client)})
    assert client.get("/api/me").get_json()["role"] == "admin"  # logged in, with the highest role
    refused = client.get("/api/undeclared")
    assert refused.status_code == 403
    assert refused.get_json()["message"] == t("routes.undeclared")


def _said(resp) -> str:
    """What a refusal says: its JSON message (an OGC exception's description), or its page."""
    if not resp.is_json:
        return resp.get_data(as_text=True)
    body = resp.get_json()
    return body["description"] if "code" in body else body["message"]


def _csrf(client) -> str:
    client.get("/login")
    with client.session_transaction() as session:
        return session["csrf"]


def test_a_display_link_reaches_exactly_the_routes_declared_for_it(wall):
    app, fid, whole, _ = wall
    client = app.test_client()
    cases = _display_cases(app, fid)
    assert {display for _, _, display in cases} >= {None, *Display}  # every kind of rule is walked
    for method, url, display in cases:
        resp = client.open(url, method=method, headers=whole)
        if display is None:
            assert resp.status_code == 403, (method, url, resp.status_code)
            assert t("accounts.display_only_wall") in _said(resp), (method, url)
        elif display is Display.PHOTOS:  # links made without photos (these) see none
            assert resp.status_code == 403, (method, url, resp.status_code)
            assert t("photos.display_off") in _said(resp), (method, url)
        else:
            assert resp.status_code == 200, (method, url, resp.status_code, resp.data[:200])


def test_a_narrower_display_link_reads_its_scope_and_no_whole_campaign_route(wall):
    app, fid, _, street = wall
    client = app.test_client()
    for method, url, display in _display_cases(app, fid):
        if display is None:
            continue
        if display is Display.PINNED_SHAPES:
            url += "?format=packed"  # a whole layer as GeoJSON has no area filter
        resp = client.open(url, method=method, headers=street)
        if display is Display.WHOLE:
            assert resp.status_code == 403, (url, resp.status_code)
            assert t("accounts.display_out_of_scope", scope=f"{MINE} · courtyards") in _said(resp), url
        elif display is Display.PHOTOS:
            assert resp.status_code == 403, (url, resp.status_code)
            assert t("photos.display_off") in _said(resp), url
        else:
            assert resp.status_code == 200, (url, resp.status_code, resp.data[:200])
