"""Tianditu / AMap / XYZ tiles proxied through the app, against a fake upstream on 127.0.0.1."""

from __future__ import annotations

import logging
import os

import pytest

from geo.messages import t
from tests.basemaps.tilesets import tile_png

KEY = "tk-secret-0123456789abcdef"
QUERY = "z={z}&x={x}&y={y}"


def tianditu(upstream, **extra) -> dict:
    return {"id": "tdt", "title": "天地图矢量", "type": "tianditu", "key_env": "GUATU_TEST_TIANDITU_KEY",
            "url": upstream.url + "/t{s}/vec_w/wmts?" + QUERY + "&tk={key}", "subdomains": "01234567",
            "attribution": "天地图 © 国家地理信息公共服务平台", "timeout": 0.5, **extra}


@pytest.fixture
def tdt_key(monkeypatch):
    monkeypatch.setenv("GUATU_TEST_TIANDITU_KEY", KEY)
    return KEY


@pytest.fixture
def client(make_app, upstream, tdt_key):
    return make_app([tianditu(upstream)]).test_client()


def test_tianditu_tile_is_fetched_with_the_key_and_served_from_this_server(client, upstream):
    resp = client.get("/tiles/tdt/12/3381/1627")
    assert resp.status_code == 200
    assert resp.data == tile_png(12, 3381, 1627)
    assert resp.mimetype == "image/png"
    (asked,) = upstream.requests
    assert asked["query"]["tk"] == KEY
    assert asked["path"] == f"/t{(3381 + 1627) % 8}/vec_w/wmts"


def test_the_key_never_reaches_a_page_or_an_api_response(client, upstream, instance_dir):
    upstream.mode = "fail"
    responses = [client.get(p) for p in ("/", "/wall", "/api/basemaps", "/api/campaign", "/static/js/basemaps.js",
                                         "/tiles/tdt/3/1/1")]
    upstream.mode = "slow"
    responses.append(client.get("/tiles/tdt/3/1/2"))
    upstream.mode = "ok"
    responses.append(client.get("/tiles/tdt/3/1/3"))
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 200, 502, 504, 200]
    for resp in responses:
        assert KEY not in resp.get_data(as_text=False).decode("latin-1")
        assert KEY not in str(resp.headers)
    listed = responses[2].get_json()["basemaps"]
    assert listed[0]["url"] == "/tiles/tdt/{z}/{x}/{y}"  # not the upstream address
    assert all(KEY not in str(p) for p in instance_dir.rglob("*"))


def test_the_key_is_not_written_to_the_log(client, upstream, caplog):
    upstream.mode = "fail"
    with caplog.at_level(logging.INFO):
        client.get("/tiles/tdt/3/1/1")
    assert "tdt" in caplog.text
    assert KEY not in caplog.text


def test_a_fetched_tile_is_kept_on_disk_and_served_again_without_asking_upstream(client, upstream, make_app,
                                                                                instance_dir):
    assert client.get("/tiles/tdt/5/26/12").status_code == 200
    assert client.get("/tiles/tdt/5/26/12").data == tile_png(5, 26, 12)
    assert upstream.asked() == 1
    assert (instance_dir / "tile-cache" / "tdt" / "5" / "26" / "12.tile").read_bytes() == tile_png(5, 26, 12)
    restarted = make_app().test_client()  # another process, or after a restart
    assert restarted.get("/tiles/tdt/5/26/12").data == tile_png(5, 26, 12)
    assert upstream.asked() == 1


def test_an_expired_tile_is_refetched_and_served_stale_when_upstream_fails(client, upstream, instance_dir):
    client.get("/tiles/tdt/5/26/12")
    kept = instance_dir / "tile-cache" / "tdt" / "5" / "26" / "12.tile"
    old = kept.stat().st_mtime - 31 * 86400
    os.utime(kept, (old, old))
    upstream.mode = "fail"
    resp = client.get("/tiles/tdt/5/26/12")
    assert resp.status_code == 200 and resp.data == tile_png(5, 26, 12)  # the command room keeps its map
    assert upstream.asked() == 2
    upstream.mode = "ok"
    client.get("/tiles/tdt/5/26/12")
    assert upstream.asked() == 3
    assert kept.stat().st_mtime > old


def test_upstream_error_is_a_clean_502(client, upstream):
    upstream.mode = "fail"
    resp = client.get("/tiles/tdt/4/13/6")
    assert resp.status_code == 502
    assert resp.mimetype == "application/problem+json"
    body = resp.get_json()
    assert (body["type"], body["status"], body["error"]) == ("/problems/bad_gateway", 502, "bad_gateway")
    assert body["message"] == body["detail"] == t("basemap.http_status", basemap="tdt", status=500)


def test_upstream_timeout_is_a_clean_504(client, upstream):
    upstream.mode = "slow"
    resp = client.get("/tiles/tdt/4/13/6")
    assert resp.status_code == 504
    assert resp.get_json()["error"] == "gateway_timeout"


def test_upstream_that_cannot_be_reached_is_a_502(make_app, tdt_key, upstream):
    dead = type(upstream)(url="http://127.0.0.1:9")  # the discard port: nothing listens there
    client = make_app([tianditu(dead)]).test_client()
    assert client.get("/tiles/tdt/4/13/6").status_code == 502


def test_upstream_answer_that_is_not_an_image_is_a_502_and_not_kept(client, upstream, instance_dir):
    upstream.mode = "html"
    assert client.get("/tiles/tdt/4/13/6").status_code == 502
    assert not list((instance_dir / "tile-cache").rglob("*.tile"))


def test_upstream_404_is_a_404(client, upstream):
    upstream.mode = "missing"
    assert client.get("/tiles/tdt/4/13/6").status_code == 404


def test_zooms_outside_the_basemap_range_never_reach_upstream(make_app, upstream, tdt_key):
    client = make_app([tianditu(upstream, min_zoom=3, max_zoom=10)]).test_client()
    assert client.get("/tiles/tdt/11/0/0").status_code == 404
    assert client.get("/tiles/tdt/2/0/0").status_code == 404
    assert client.get("/tiles/tdt/4/99/0").status_code == 400
    assert upstream.asked() == 0


def test_amap_is_proxied_and_tells_the_page_to_draw_the_data_in_gcj02(make_app, upstream):
    client = make_app([{"id": "amap", "title": "高德地图", "type": "amap", "subdomains": ["1", "2", "3", "4"],
                        "url": upstream.url + "/webrd0{s}/appmaptile?style=8&" + QUERY}]).test_client()
    (listed,) = client.get("/api/basemaps").get_json()["basemaps"]
    assert listed["crs"] == "gcj02" and listed["url"] == "/tiles/amap/{z}/{x}/{y}"
    assert upstream.url not in str(listed)
    assert client.get("/tiles/amap/13/6685/3255").data == tile_png(13, 6685, 3255)
    assert upstream.requests[0]["path"] == "/webrd01/appmaptile"  # (x + y) % 4 picks the subdomain


def test_xyz_server_over_http_is_proxied_and_a_path_on_this_server_is_drawn_directly(make_app, upstream):
    client = make_app([
        {"id": "intranet", "title": "内网底图", "type": "xyz", "url": upstream.url + "/osm?" + QUERY, "cache_days": 0},
        {"id": "local", "title": "同域底图", "type": "xyz", "url": "/osm-tiles/{z}/{x}/{y}.png", "tms": True},
    ]).test_client()
    listed = {b["id"]: b for b in client.get("/api/basemaps").get_json()["basemaps"]}
    assert listed["intranet"]["url"] == "/tiles/intranet/{z}/{x}/{y}"
    assert listed["local"]["url"] == "/osm-tiles/{z}/{x}/{y}.png" and listed["local"]["tms"] is True
    assert client.get("/tiles/intranet/2/1/1").data == tile_png(2, 1, 1)
    assert client.get("/tiles/intranet/2/1/1").status_code == 200
    assert upstream.asked() == 2  # cache_days 0: nothing kept
    assert client.get("/tiles/local/2/1/1").status_code == 404  # the server does not serve direct ones


def test_xyz_tms_server_is_asked_for_the_flipped_row(make_app, upstream):
    client = make_app([{"id": "tms", "title": "TMS", "type": "xyz", "tms": True,
                        "url": upstream.url + "/tms?" + QUERY}]).test_client()
    assert client.get("/tiles/tms/3/2/1").data == tile_png(3, 2, 6)
    assert upstream.requests[0]["query"] == {"z": "3", "x": "2", "y": "6"}


def test_literal_key_in_the_config_works_and_stays_on_the_server(make_app, upstream):
    entry = tianditu(upstream, key="literal-key-42")
    del entry["key_env"]
    client = make_app([entry]).test_client()
    assert client.get("/tiles/tdt/1/1/1").status_code == 200
    assert upstream.requests[0]["query"]["tk"] == "literal-key-42"
    assert "literal-key-42" not in client.get("/api/basemaps").get_data(as_text=True)
    assert "literal-key-42" not in client.get("/api/campaign").get_data(as_text=True)


def test_cached_tiles_revalidate_with_304(client):
    first = client.get("/tiles/tdt/2/3/1")
    assert client.get("/tiles/tdt/2/3/1", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304

