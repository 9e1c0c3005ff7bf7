"""The wall draws its places from the data inlined in its page, before it asks the server for anything, and
loads what the first paint does not show (the print button, today's inspections) only after it: in a real
Chromium at 3840×2160 (the command room), and the desk page on a phone (390 px, touch)."""

from __future__ import annotations

import pytest

from geo.config import load_campaign
from geo.store import open_store
from tests.browser.harness import copy_demo, live_server, open_page, wait_ready
from web.core.bundles import bundles

# Every place the state knows, and every place drawn (both the layers' groups as the wall holds them).
COUNTS = """() => {
    const wall = window.guatuPage.walls[0];
    let known = 0, drawn = 0;
    for (const layer of Object.values(wall.state.layers)) known += layer.items.size;
    for (const group of Object.values(wall.layers)) drawn += group.count();
    return [known, drawn, document.getElementById('guatu-first') === null];
}"""

# When a file was asked for, against the moment the wall was drawn (performance marks of wall/sync.js).
ASKED_AFTER_READY = """(name) => {
    const ready = performance.getEntriesByName('guatu:ready')[0].startTime;
    const asked = performance.getEntriesByType('resource').filter(e => e.name.includes(name));
    return asked.length > 0 && asked.every(e => e.startTime >= ready);
}"""

SCRIPTS_BEFORE_READY = """() => {
    const ready = performance.getEntriesByName('guatu:ready')[0].startTime;
    return performance.getEntriesByType('resource').filter(e => e.startTime < ready)
        .map(e => new URL(e.name).pathname).filter(path => path.endsWith('.js'));
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = copy_demo(tmp_path_factory.mktemp("firstpaint") / "data")
    with live_server(data, GUATU_REFRESH_SECONDS=0) as s:
        s.total = sum(len(open_store(data, load_campaign(data)).features(x.id)) for x in load_campaign(data).layers)
        yield s


def first_data_requests(log) -> list[str]:
    """Requests for what the page carries: the state, the layers' shapes, the outlines."""
    return [u for u in log.requests if "/api/wall/state" in u or "/api/boundaries/" in u
            or ("/api/wall/shapes/" in u and "part=attributes" not in u)]


def test_the_wall_draws_every_place_without_fetching_its_first_data(browser, server):
    page, log = open_page(browser, server.url, "/wall", width=3840, height=2160)
    wait_ready(page)
    known, drawn, taken = page.evaluate(COUNTS)
    assert known == drawn == server.total
    assert taken  # the inlined data is read once, then dropped from the page
    assert first_data_requests(log) == []
    assert page.evaluate("() => window.guatuPage.walls[0].renderers.features.places.courtyards.length") > 10
    # what the first paint does not show comes after it
    page.wait_for_selector(".guatu-print-open", state="attached", timeout=30_000)
    page.wait_for_selector(".guatu-inspections", state="attached", timeout=30_000)
    assert page.evaluate(ASKED_AFTER_READY, "print-control")  # a chunk of the bundle (web/core/bundles.py)
    assert page.evaluate(ASKED_AFTER_READY, "inspections")
    # before the places were drawn: Leaflet, the page's bundle and its chunks, no module one by one
    scripts = bundles().scripts("js/pages/wall.js")
    assert set(page.evaluate(SCRIPTS_BEFORE_READY)) == {
        "/static/vendor/leaflet/leaflet.js", *(f"/static/{name}" for name in (scripts.entry, *scripts.preload))}
    assert log.outside == [] and log.console_errors == []


def test_the_desk_page_on_a_phone_draws_from_its_page_too(browser, server):
    page, log = open_page(browser, server.url, "/", width=390, height=844, scale=2, touch=True)
    wait_ready(page)
    known, drawn, _ = page.evaluate(COUNTS)
    assert known == drawn == server.total
    assert first_data_requests(log) == []
    page.wait_for_selector(".guatu-print-open", state="attached", timeout=30_000)
    assert log.outside == [] and log.console_errors == []


def test_a_wall_started_again_after_a_failure_fetches_its_data(browser, server):
    """The inlined data is used once: a start again (as after a failed load) asks the server."""
    page, log = open_page(browser, server.url, "/wall", width=3840, height=2160)
    wait_ready(page)
    page.evaluate("() => window.guatuPage.walls[0].start()")
    page.wait_for_function("() => performance.getEntriesByName('guatu:ready').length === 2", timeout=30_000)
    asked = first_data_requests(log)
    assert any("/api/wall/state?format=packed" in u for u in asked)
    assert any("/api/wall/shapes/courtyards?format=binary" in u for u in asked)
    known, drawn, _ = page.evaluate(COUNTS)
    assert known == drawn == server.total


def test_a_start_that_failed_once_says_so_and_leaves_no_notice_once_it_came_through(browser, server):
    """A command-room screen whose start failed (the state answered 503 once) says it is retrying, and once the start
    again came through the notice is gone: a live wall never says its data failed."""
    page, log = open_page(browser, server.url, "/wall", width=3840, height=2160)
    wait_ready(page)
    failed = []

    def busy_once(route):
        if failed:
            route.continue_()
        else:
            failed.append(route.request.url)
            route.fulfill(status=503, content_type="application/json", body='{"message": "忙"}')

    page.route("**/api/wall/state*", busy_once)
    page.evaluate("() => { window.guatuPage.walls[0].start(); }")
    page.wait_for_selector(".guatu-banner", state="visible")
    assert page.inner_text(".guatu-banner") == "数据加载失败,正在重试……"
    page.wait_for_function("() => performance.getEntriesByName('guatu:ready').length === 2", timeout=30_000)
    assert len(failed) == 1 and page.locator(".guatu-banner").is_hidden()
    known, drawn, _ = page.evaluate(COUNTS)
    assert known == drawn == server.total
