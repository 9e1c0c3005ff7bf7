"""A basemap on the wall map in a real Chromium: tiles come only from the app and are drawn."""

from __future__ import annotations

import pytest

from tests.basemaps.tilesets import fake_upstream, make_mbtiles, png, set_basemaps, tiles_covering
from tests.browser.harness import copy_demo, live_server, open_page, wait_ready

BOUNDS = (113.54, 34.60, 113.72, 34.79)  # the demo campaign's area


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = copy_demo(tmp_path_factory.mktemp("basemap") / "data")
    tile = png((236, 230, 214), border=(150, 150, 170))
    make_mbtiles(data / "city.mbtiles", {zxy: tile for zxy in tiles_covering(BOUNDS, range(9, 16))}, bounds=BOUNDS)
    set_basemaps(data, [{"id": "city", "title": "城区底图", "type": "mbtiles", "path": "city.mbtiles",
                         "attribution": "<b>测绘</b> & 本地"}])
    with live_server(data, GUATU_REFRESH_SECONDS=0) as s:
        yield s


def test_wall_map_draws_mbtiles_basemap_tiles_served_by_the_app(browser, server):
    page, log = open_page(browser, server.url)
    try:
        wait_ready(page)
        page.wait_for_selector("html[data-guatu-basemaps='ready']", state="attached", timeout=30_000)
        page.wait_for_function("""() => {
            const imgs = [...document.querySelectorAll('img.leaflet-tile')];
            return imgs.length > 0 && imgs.every(i => i.complete && i.classList.contains('leaflet-tile-loaded'));
        }""", timeout=30_000)
        tiles = page.evaluate("""() => [...document.querySelectorAll('img.leaflet-tile')].map(i => (
            {src: i.src, width: i.naturalWidth, height: i.naturalHeight}))""")
        assert tiles
        for t in tiles:
            assert t["src"].startswith(server.url + "/tiles/city/"), t
            assert (t["width"], t["height"]) == (256, 256), t
        assert any("/tiles/city/" in url for url in log.requests)
        assert log.outside == []
        assert log.console_errors == []
        switcher = page.eval_on_selector(".leaflet-control-layers", "el => el.textContent")  # collapsed: not rendered
        assert "城区底图" in switcher and "无底图" in switcher
        attribution = page.inner_html(".leaflet-control-attribution")
        assert "<b>" not in attribution and "&lt;b&gt;测绘&lt;/b&gt;" in attribution  # text, not markup
    finally:
        page.context.close()


@pytest.fixture(scope="module")
def amap_server(tmp_path_factory):
    """The demo campaign with an AMap-type basemap (the default) proxied from a fake upstream on 127.0.0.1."""
    data = copy_demo(tmp_path_factory.mktemp("amap") / "data")
    upstream_server, upstream = fake_upstream()
    set_basemaps(data, [{"id": "amap", "title": "高德地图", "type": "amap", "url": upstream.url + "/a?z={z}&x={x}&y={y}"},
                        {"id": "plain", "title": "无偏移", "type": "xyz", "url": upstream.url + "/b?z={z}&x={x}&y={y}"}])
    try:
        with live_server(data, GUATU_REFRESH_SECONDS=0) as s:
            yield s
    finally:
        upstream_server.shutdown()
        upstream_server.server_close()


def test_an_amap_basemap_makes_the_wall_map_draw_its_data_in_gcj02(browser, amap_server):
    page, log = open_page(browser, amap_server.url)
    try:
        wait_ready(page)
        page.wait_for_selector("html[data-guatu-crs='gcj02']", state="attached", timeout=30_000)
        page.wait_for_function("() => document.querySelectorAll('img.leaflet-tile-loaded').length > 0", timeout=30_000)
        page.wait_for_load_state("networkidle")
        shifted = [u for u in log.requests if "crs=gcj02" in u]
        assert any("/api/boundaries/" in u for u in shifted) and any("/api/wall/shapes/" in u for u in shifted)
        assert all(u.startswith(amap_server.url) for u in log.requests)
        assert log.outside == [] and log.console_errors == []
        page.hover(".leaflet-control-layers")
        page.click(".leaflet-control-layers >> text=无偏移")
        page.wait_for_selector("html[data-guatu-crs='wgs84']", state="attached", timeout=30_000)
        assert log.console_errors == []
    finally:
        page.context.close()


@pytest.fixture(scope="module")
def editor_server(tmp_path_factory):
    """The demo with an MBTiles basemap and an AMap one (GCJ-02), an editor account, logins required."""
    data = copy_demo(tmp_path_factory.mktemp("editor-basemap") / "data")
    upstream_server, upstream = fake_upstream()
    tile = png((236, 230, 214), border=(150, 150, 170))
    make_mbtiles(data / "city.mbtiles", {zxy: tile for zxy in tiles_covering(BOUNDS, range(9, 16))}, bounds=BOUNDS)
    set_basemaps(data, [{"id": "amap", "title": "高德地图", "type": "amap", "url": upstream.url + "/a?z={z}&x={x}&y={y}"},
                        {"id": "city", "title": "城区底图", "type": "mbtiles", "path": "city.mbtiles"}])
    try:
        with live_server(data, GUATU_REFRESH_SECONDS=0, GUATU_PUBLIC_VIEW=False) as s:
            s.app.extensions["guatu_accounts"].create_user("planner", "a long password", "editor", "张规划")
            yield s
    finally:
        upstream_server.shutdown()
        upstream_server.server_close()


def test_the_editor_draws_over_the_wgs84_basemaps_only(browser, editor_server):
    """Planners trace outlines over a basemap; a GCJ-02 one (AMap) is not offered there, since what they draw
    is saved as drawn and would sit hundreds of metres off."""
    page, log = open_page(browser, editor_server.url, "/login?next=/edit")
    try:
        page.fill("input[name=username]", "planner")
        page.fill("input[name=password]", "a long password")
        page.click("button[type=submit]")
        wait_ready(page)
        page.wait_for_selector("html[data-guatu-basemaps='ready']", state="attached", timeout=30_000)
        page.wait_for_function("""() => {  // the campaign's default is AMap: the first WGS84 one stands in
            const imgs = [...document.querySelectorAll('img.leaflet-tile')];
            return imgs.length > 0 && imgs.every(i => i.complete && i.classList.contains('leaflet-tile-loaded'));
        }""", timeout=30_000)
        srcs = page.evaluate("() => [...document.querySelectorAll('img.leaflet-tile')].map(i => i.src)")
        assert srcs and all(s.startswith(editor_server.url + "/tiles/city/") for s in srcs)
        switcher = page.eval_on_selector(".leaflet-control-layers", "el => el.textContent")
        assert "城区底图" in switcher and "无底图" in switcher and "高德地图" not in switcher
        assert not any("/tiles/amap/" in u for u in log.requests)
        assert log.outside == [] and log.console_errors == []
        assert page.evaluate("() => guatuPage.editors[0].errors") == []
    finally:
        page.context.close()
