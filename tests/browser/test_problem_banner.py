"""The problem banner in a real Chromium: on every page when something is wrong, and on the wall
(3840×2160) while PostgreSQL is down, without blanking the map or covering its centre."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from geo.config import load_campaign
from geo.messages import t
from geo.store.transfer import copy_to_postgis
from tests.browser.harness import copy_demo, live_server, open_page, wait_ready
from tests.pg_cluster import ThrowawayCluster

PASSWORD = "a long password"
BANNER = ".guatu-problem-banner"
SHOWN = "html[data-guatu-problems]:not([data-guatu-problems='0'])"
CLEAR = "html[data-guatu-problems='0']"

DRAWN = """() => {
    const wall = window.guatuPage.walls[0], out = {};
    for (const [layer, places] of Object.entries(wall.all)) {
        out[layer] = Object.values(places).filter(p => p.visible !== false).length;
    }
    return out;
}"""

# Where a place's pixel is read: the place's interior point, on the places' canvas (as test_wall_display).
PIXEL_AT = """(fid) => {
    const wall = window.guatuPage.walls[0];
    const layer = wall.byId[fid];
    wall.renderers.features._update(); wall.renderers.features._redraw();
    const canvas = wall.renderers.features._container;
    const rect = canvas.getBoundingClientRect();
    const box = wall.map.getContainer().getBoundingClientRect();
    const p = wall.map.latLngToContainerPoint(layer.guatuLabel);
    const x = Math.round((p.x + box.left - rect.left) * canvas.width / rect.width);
    const y = Math.round((p.y + box.top - rect.top) * canvas.height / rect.height);
    return Array.from(canvas.getContext('2d').getImageData(x, y, 1, 1).data);
}"""


def banner_text(page) -> str:
    return page.locator(BANNER).inner_text()


@pytest.fixture
def outage_cluster():
    cluster = ThrowawayCluster().start()  # its own server: stopping it must not touch the other tests'
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.mark.timeout(240)
def test_the_wall_keeps_its_places_and_shows_the_banner_while_postgresql_is_down(browser, tmp_path, outage_cluster):
    data = copy_demo(tmp_path / "data")
    copy_to_postgis(data, load_campaign(data), outage_cluster.url)
    with live_server(data, GUATU_DATABASE_URL=outage_cluster.url, GUATU_REFRESH_SECONDS=1) as server:
        page, log = open_page(browser, server.url, "/wall", width=3840, height=2160)
        wait_ready(page)
        page.wait_for_selector(CLEAR, state="attached", timeout=30_000)
        assert page.locator(BANNER).is_hidden()
        before = page.evaluate(DRAWN)
        assert before["courtyards"] > 10
        fid = page.evaluate("() => Object.keys(window.guatuPage.walls[0].all.courtyards)[0]")
        colour = page.evaluate(PIXEL_AT, fid)
        assert colour[3] > 0  # drawn

        outage_cluster.pause()
        page.wait_for_selector(SHOWN, state="attached", timeout=30_000)
        # /api/health (the database's line) and the wall's own poll (the data shown is as of HH:MM) fail
        # independently, either first: wait for both lines
        page.wait_for_function("() => { const text = document.querySelector('.guatu-problem-banner').textContent;"
                               " return text.includes('数据库暂时无法连接') && text.includes('显示的是'); }", timeout=30_000)
        text = banner_text(page)
        assert t("db.unavailable_remedy") in text
        # the map keeps every place it had, in the same colour
        assert page.evaluate(DRAWN) == before
        assert page.evaluate(PIXEL_AT, fid) == colour
        # large, and clear of the map's centre
        box = page.locator(BANNER).bounding_box()
        assert box["y"] + box["height"] < 2160 / 2 and not (box["x"] <= 1920 <= box["x"] + box["width"]
                                                              and box["y"] <= 1080 <= box["y"] + box["height"])
        size = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.guatu-problem')).fontSize)")
        assert size >= 40  # read across a room on a 4K screen
        page.screenshot(path=str(tmp_path / "wall-database-down.png"))

        outage_cluster.resume()
        page.wait_for_selector(CLEAR, state="attached", timeout=60_000)
        assert page.locator(BANNER).is_hidden()
        assert page.evaluate(DRAWN) == before
        page.context.close()
    assert log.outside == []


@pytest.fixture
def broken_server(tmp_path):
    data = copy_demo(tmp_path / "data")
    path = data / "layers" / "roads.geojson"
    lines = path.read_bytes().split(b"\n")
    lines[4] = lines[4][: len(lines[4]) // 2]
    path.write_bytes(b"\n".join(lines))
    with live_server(data, GUATU_PUBLIC_VIEW=False, GUATU_REFRESH_SECONDS=0) as s:
        s.app.extensions["guatu_accounts"].create_user("admin1", PASSWORD, "admin", "赵管")
        yield s


def test_every_page_shows_what_is_wrong_with_the_store(browser, broken_server):
    problem = broken_server.app.extensions["guatu"].store.problems()[0]
    page, log = open_page(browser, broken_server.url, "/login")
    page.wait_for_selector(SHOWN, state="attached", timeout=30_000)  # even before logging in
    page.fill("input[name=username]", "admin1")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    for path in ("/", "/wall", "/edit", "/inspections", "/reports/daily", "/mine",
                 "/places/courtyards/c-0001/history", "/wall/playback", "/admin", "/account"):
        page.goto(broken_server.url + path)
        if not path.startswith(("/admin", "/account")):  # those pages carry no script: written by the server
            page.wait_for_selector(SHOWN, state="attached", timeout=30_000)
        text = banner_text(page)
        assert problem.problem in text and problem.remedy in text, path
    page.context.close()
    assert log.outside == []
    assert not [e for e in log.console_errors if "problem-banner" in e]


def test_a_wall_that_loses_its_server_says_since_when_in_the_campaigns_time_zone(browser, tmp_path):
    data = copy_demo(tmp_path / "data")
    tz = load_campaign(data).timezone
    shown_at = datetime(2026, 11, 24, 8, 5, tzinfo=UTC)  # the browser's clock, fixed: 16:05 in Zhengzhou
    server = live_server(data, GUATU_REFRESH_SECONDS=1)
    live = server.__enter__()
    try:
        page, log = open_page(browser, live.url, "/wall", width=3840, height=2160)
        page.clock.set_fixed_time(shown_at)
        wait_ready(page)
        page.wait_for_selector(CLEAR, state="attached", timeout=30_000)
        page.wait_for_function("(ms) => window.guatuPage.banner.lastGood.getTime() === ms",  # a poll since
                               arg=shown_at.timestamp() * 1000, timeout=30_000)
        before = page.evaluate(DRAWN)
    finally:
        server.__exit__(None, None, None)  # the server goes away: the wall's next poll cannot reach it
    page.wait_for_selector(SHOWN, state="attached", timeout=30_000)
    expected = t("banner.offline", time=shown_at.astimezone(tz).strftime("%H:%M"))
    assert expected.startswith("无法连接服务器") and "16:05" in expected
    page.wait_for_function("(text) => document.querySelector('.guatu-problem-banner').textContent.includes(text)",
                           arg=expected, timeout=30_000)
    assert page.evaluate(DRAWN) == before  # the map keeps what it had
    page.context.close()
