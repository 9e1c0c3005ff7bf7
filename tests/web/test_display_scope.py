"""A display link made for one street reads that street and nothing else, on every endpoint it can reach."""

from __future__ import annotations

import json
import re

import pytest

from geo.messages import t
from geo.store import open_store
from geo.wall.codec import unpack_ids
from tests.web.conftest import PASSWORD, login
from web import create_app

MINE, OTHER = "大学路街道", "淮河路街道"


@pytest.fixture
def scoped(data_dir, campaign, clock, instance_dir, make_feature):
    """Two courtyards in 大学路街道 (one in 金桥社区), one in 淮河路街道, a road in 大学路街道;
    a display link for 大学路街道's courtyards and one for the whole campaign."""
    store = open_store(data_dir, campaign, clock=clock)
    ids = {}
    for name, street, community, x in (("大学路1号院", MINE, "金桥社区", 113.660), ("大学路2号院", MINE, "银河社区", 113.662),
                                       ("淮河路3号院", OTHER, "淮河社区", 113.664)):
        result = store.create("courtyards", make_feature(name, "pending", x=x, street=street, community=community),
                              user="张三")
        ids[name] = result.feature["id"]
    road = make_feature("大学路", "pending", x=113.666, street=MINE)
    road["geometry"] = {"type": "LineString", "coordinates": [[113.666, 34.72], [113.668, 34.721]]}
    road["properties"]["kind"] = "道路"
    ids["大学路"] = store.create("roads", road, user="张三").feature["id"]
    app = create_app({"TESTING": True, "GUATU_DATA": str(data_dir), "GUATU_CLOCK": clock,
                      "GUATU_INSTANCE": str(instance_dir)})
    acc = app.extensions["guatu_accounts"]
    acc.create_user("editor1", PASSWORD, "editor", "李编")
    _, street_link = acc.create_display_token("大学路大屏", f"/wall?street={MINE}&layers=courtyards")
    _, whole_link = acc.create_display_token("指挥中心", "/wall")
    return app, ids, {"X-Guatu-Display": street_link}, {"X-Guatu-Display": whole_link}


def _refused(resp, scope=f"{MINE} · courtyards"):
    assert resp.status_code == 403, resp.data[:300]
    if resp.is_json:
        assert resp.get_json()["message"] == t("accounts.display_out_of_scope", scope=scope)


def test_the_wall_state_holds_only_the_places_in_scope(scoped):
    app, ids, street, whole = scoped
    client = app.test_client()
    packed = client.get("/api/wall/state?format=packed", headers=street).get_json()
    assert list(packed["layers"]) == ["courtyards"]
    assert unpack_ids(packed["layers"]["courtyards"]["ids"]) == [ids["大学路1号院"], ids["大学路2号院"]]
    assert len(packed["layers"]["courtyards"]["status"]) == 2
    assert packed["total"] == 2 and packed["counts"]["pending"] == 2
    plain = client.get("/api/wall/state", headers=street).get_json()
    assert set(plain["layers"]["courtyards"]["features"]) == {ids["大学路1号院"], ids["大学路2号院"]}
    everything = client.get("/api/wall/state", headers=whole).get_json()
    assert everything["total"] == 4 and set(everything["layers"]) == {"courtyards", "roads", "villages"}


def test_a_screen_of_one_sub_district_gets_its_places_state_and_a_place_that_leaves_is_removed(scoped):
    """Without a display link: `street` cuts the state as a link's scope does, so a screen of one sub-district
    counts its places from the state alone; a place moved out comes in the next delta as removed."""
    app, ids, _, _ = scoped
    client = app.test_client()
    login(client, "editor1")
    packed = client.get(f"/api/wall/state?format=packed&street={MINE}").get_json()
    assert unpack_ids(packed["layers"]["courtyards"]["ids"]) == [ids["大学路1号院"], ids["大学路2号院"]]
    assert unpack_ids(packed["layers"]["roads"]["ids"]) == [ids["大学路"]]
    assert packed["total"] == 3
    carried = json.loads(re.search(r'id="guatu-first"[^>]*>(.*?)</script>', client.get(f"/wall?street={MINE}").text,
                                   re.S).group(1))["state"]
    assert carried == packed  # the state the page carries, cut too
    plain = client.get("/api/wall/state?community=银河社区").get_json()
    assert set(plain["layers"]["courtyards"]["features"]) == {ids["大学路2号院"]} and plain["total"] == 1
    store = app.extensions["guatu"].store
    store.update("courtyards", ids["大学路2号院"], expected_version=1, user="李编", properties={"street": OTHER})
    delta = client.get(f"/api/wall/state?since={packed['revision']}&street={MINE}").get_json()
    assert delta["kind"] == "delta"
    assert delta["layers"]["courtyards"]["features"] == {}
    assert delta["layers"]["courtyards"]["removed"] == [ids["大学路2号院"]]
    theirs = client.get(f"/api/wall/state?since={packed['revision']}&street={OTHER}").get_json()
    assert set(theirs["layers"]["courtyards"]["features"]) == {ids["大学路2号院"]}
    assert client.get("/api/wall/state?format=packed").get_json()["total"] == 4  # the whole campaign, uncut


def test_a_state_delta_leaves_out_changes_outside_the_scope(scoped):
    app, ids, street, _ = scoped
    client = app.test_client()
    revision = client.get("/api/wall/state", headers=street).get_json()["revision"]
    store = app.extensions["guatu"].store
    for name in ("淮河路3号院", "大学路1号院"):
        store.update("courtyards", ids[name], expected_version=1, user="李编", properties={"status": "in_progress"})
    delta = client.get(f"/api/wall/state?since={revision}", headers=street).get_json()
    assert delta["kind"] == "delta"
    assert list(delta["layers"]) == ["courtyards"]
    assert set(delta["layers"]["courtyards"]["features"]) == {ids["大学路1号院"]}


def test_shapes_are_cut_to_the_scope_and_other_layers_are_refused(scoped):
    app, ids, street, whole = scoped
    client = app.test_client()
    for part in ("geometry", "attributes"):
        packed = client.get(f"/api/wall/shapes/courtyards?format=packed&part={part}", headers=street).get_json()
        assert unpack_ids(packed["ids"]) == [ids["大学路1号院"], ids["大学路2号院"]]
    binary = client.get("/api/wall/shapes/courtyards?format=binary", headers=street)
    assert binary.status_code == 200
    _refused(client.get("/api/wall/shapes/courtyards", headers=street))  # a whole layer as GeoJSON
    _refused(client.get("/api/wall/shapes/roads?format=packed", headers=street))  # another layer
    _refused(client.get(f"/api/wall/shapes/courtyards?format=packed&street={OTHER}", headers=street))
    assert client.get("/api/wall/shapes/courtyards", headers=whole).status_code == 200


def test_viewport_shapes_are_cut_to_the_scope(scoped):
    app, ids, street, _ = scoped
    client = app.test_client()
    resp = client.get("/api/wall/shapes/courtyards?bbox=113.5,34.6,113.8,34.8&zoom=13", headers=street)
    assert resp.status_code == 200
    assert {f["id"] for f in resp.get_json()["features"]} == {ids["大学路1号院"], ids["大学路2号院"]}


def test_vector_tiles_are_cut_to_the_scope_and_other_layers_are_refused(scoped):
    import mapbox_vector_tile

    from tests.test_tiles import tile_of

    app, ids, street, _ = scoped
    client = app.test_client()
    x, y = tile_of(113.663, 34.7205, 14)
    resp = client.get(f"/api/wall/tiles/courtyards/14/{x}/{y}.mvt", headers=street)
    assert resp.status_code == 200
    found = {f["properties"]["id"] for f in mapbox_vector_tile.decode(resp.data)["courtyards"]["features"]}
    assert found == {ids["大学路1号院"], ids["大学路2号院"]}
    _refused(client.get(f"/api/wall/tiles/courtyards/14/{x}/{y}.mvt?street={OTHER}", headers=street))
    _refused(client.get(f"/api/wall/tiles/roads/14/{x}/{y}.mvt", headers=street))


def test_place_cards_outside_the_scope_are_refused(scoped):
    app, ids, street, whole = scoped
    client = app.test_client()
    assert client.get(f"/api/wall/place/courtyards/{ids['大学路1号院']}", headers=street).status_code == 200
    _refused(client.get(f"/api/wall/place/courtyards/{ids['淮河路3号院']}", headers=street))
    _refused(client.get(f"/api/wall/place/roads/{ids['大学路']}", headers=street))
    assert client.get(f"/api/wall/place/courtyards/{ids['淮河路3号院']}", headers=whole).status_code == 200


def test_a_search_finds_only_the_places_in_scope(scoped):
    app, ids, street, whole = scoped
    client = app.test_client()
    found = client.get("/api/wall/search/courtyards?q=号院", headers=street)
    assert [p["id"] for p in found.get_json()["places"]] == [ids["大学路1号院"], ids["大学路2号院"]]
    _refused(client.get(f"/api/wall/search/courtyards?q=号院&street={OTHER}", headers=street))
    _refused(client.get("/api/wall/search/courtyards?q=号院&community=银河社区", headers=street))  # not its URL's
    outside = client.get(f"/api/wall/search/courtyards?q={ids['淮河路3号院']}", headers=street)  # its id in full
    assert outside.status_code == 200 and outside.get_json()["places"] == []
    _refused(client.get(f"/api/wall/search/courtyards?q={ids['淮河路3号院']}&street={OTHER}", headers=street))
    _refused(client.get("/api/wall/search/roads?q=大学路", headers=street))
    everything = client.get("/api/wall/search/courtyards?q=号院", headers=whole).get_json()
    assert len(everything["places"]) == 3


def test_the_dashboard_counts_only_the_scope(scoped):
    app, _, street, whole = scoped
    client = app.test_client()
    mine = client.get("/api/wall/dashboard", headers=street).get_json()
    everything = client.get("/api/wall/dashboard", headers=whole).get_json()
    assert mine == client.get(f"/api/wall/dashboard?street={MINE}&layers=courtyards", headers=street).get_json()
    assert mine != everything
    assert OTHER not in str(mine)
    _refused(client.get(f"/api/wall/dashboard?street={OTHER}", headers=street))
    _refused(client.get("/api/wall/dashboard?layers=roads", headers=street))


def test_the_walls_inspections_keep_to_the_scope(scoped, clock):
    app, ids, street, whole = scoped
    from geo import inspections as insp
    from geo.rules import local_now

    g = app.extensions["guatu"]
    insp.generate(g.store, g.campaign, local_now(g.campaign, clock()).date(), n=4, seed=1, user="李编")
    client = app.test_client()
    everything = client.get("/api/wall/inspections", headers=whole).get_json()
    assert {p["id"] for p in everything["places"]} == set(ids.values())
    mine = client.get("/api/wall/inspections", headers=street).get_json()
    assert {p["id"] for p in mine["places"]} == {ids["大学路1号院"], ids["大学路2号院"]}
    assert mine["total"] == 2
    _refused(client.get(f"/api/wall/inspections?street={OTHER}", headers=street))
    _refused(client.get("/api/wall/inspections?community=淮河社区", headers=street))


def test_whole_campaign_endpoints_are_refused_to_a_narrower_link(scoped):
    app, _, street, whole = scoped
    client = app.test_client()
    for url in ("/api/changes", "/api/progress/milestones", "/api/timeline", "/api/playback", "/wall/playback"):
        _refused(client.get(url, headers=street))
        assert client.get(url, headers=whole).status_code == 200, url
    page = client.get("/wall", headers=street).data.decode()
    assert "/api/progress/milestones" not in page  # its wall page does not ask for them


def test_no_other_door_opens_for_a_display_link(scoped):
    app, ids, street, whole = scoped
    client = app.test_client()
    for url in ("/api/layers", "/api/layers/courtyards/features", f"/api/layers/courtyards/features/{ids['淮河路3号院']}",
                "/ogc/collections/courtyards/items?f=json", "/export/courtyards", "/api/mine?person=张三", "/print",
                "/admin", "/account"):
        for headers in (street, whole):
            resp = client.get(url, headers=headers)
            assert resp.status_code == 403, url
    assert client.get("/api/boundaries/street", headers=street).status_code in (200, 404)  # no places in it


def test_the_display_link_in_the_url_gets_the_same_scope(scoped):
    app, ids, street, _ = scoped
    secret = street["X-Guatu-Display"]
    client = app.test_client()
    assert client.get(f"/wall?display={secret}&street={OTHER}").status_code == 200  # the page shows its own URL
    _refused(client.get(f"/api/wall/place/courtyards/{ids['淮河路3号院']}?display={secret}"))
