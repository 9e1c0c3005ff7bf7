"""A layer file damaged by hand while a 4K wall shows it, then put right (no change in the journal either way): the
wall does not go on showing the layer's places in the colours they had when it was last read — it lets them go,
as a page made now would not have them (the problem banner names the file) — and draws them again from the next
poll after the file is right. A layer drawn whole, a large layer a viewport at a time and a large layer from its
vector tiles; and a wall opened while the layer was withheld is made again with it once it is back."""

from __future__ import annotations

import pytest
from shapely.geometry import shape

from geo.config import load_campaign
from geo.store import open_store
from tests.browser.harness import canvas_pixels, demo_with_map, live_server, open_page, wait_ready
from tests.browser.pixels import TILE_PIXEL, interior, near
from tests.conftest import FakeClock
from tests.waiting import wait_until

LAYER = "courtyards"
WIDTH, HEIGHT = 3840, 2160
WAYS = {"whole": {}, "viewport": {"viewport_above": 50}, "tiles": {"viewport_above": 50, "vector_tiles_from": 15}}

HELD = """(l) => { const w = window.guatuPage.walls[0];
    return Object.keys(w.all[l] || {}).length + (w.fields[l] ? w.fields[l].n : 0)
        + (w.tiledNow(l) ? w.map.getPane('guatu-tiles').querySelectorAll('canvas.guatu-tile').length : 0); }"""
POLL = "async () => { await window.guatuPage.walls[0].poll(); }"
def damageable(target, **settings):
    """The demo with these map settings; the place whose colour the test reads; `sound(ok)` puts the layer file
    right (True) or cuts one of its places in half as a hand edit might (False)."""
    data = demo_with_map(target, **settings)
    path = data / "layers" / f"{LAYER}.geojson"
    original = path.read_bytes()
    lines = original.split(b"\n")
    lines[4] = lines[4][: len(lines[4]) // 2]
    damaged = b"\n".join(lines)
    store = open_store(data, load_campaign(data), clock=FakeClock())
    place = next(f for f in store.features(LAYER) if shape(f["geometry"]).area > 1e-8)
    return data, place, lambda ok: path.write_bytes(original if ok else damaged)


@pytest.fixture(params=list(WAYS))
def campaign(request, tmp_path):
    return request.param, *damageable(tmp_path / "data", **WAYS[request.param])


def shows(page, way: str, place: dict, colour: str) -> bool:
    """Whether the wall shows the place in `colour` where it lies (read from the tile or the places' canvas)."""
    if way == "tiles":
        return near(page.evaluate(TILE_PIXEL, interior(place)), colour)
    return near(canvas_pixels(page, {"p": interior(place)})["p"], colour)


def busy_once(failed: list, meanwhile=None):
    """A route handler answering the first request 503 (its URL kept in `failed`, `meanwhile` called before the
    answer) and letting the others through."""
    def handle(route):
        if failed:
            route.continue_()
            return
        failed.append(route.request.url)
        if meanwhile:
            meanwhile()
        route.fulfill(status=503, body="busy")
    return handle


def look_at(page, way: str, place: dict, out: int = 0) -> None:
    """The map on the place, close enough for its outline (from its tiles, when the layer has them), `out` zooms
    further out; the large layer's view drawn."""
    zoom = (16 if way == "tiles" else 17) - out
    page.evaluate("([ll, z]) => window.guatuPage.walls[0].map.setView(ll, z, {animate: false})", [interior(place), zoom])
    if way != "whole":
        page.evaluate("async () => { await window.guatuPage.walls[0].viewportMoved(); }")


def test_a_layer_withheld_while_shown_is_let_go_and_drawn_again_once_put_right(browser, campaign):
    way, data, place, sound = campaign
    colour = {s.key: s.color for s in load_campaign(data).statuses}[place["properties"]["status"]]
    with live_server(data, GUATU_REFRESH_SECONDS=0) as server:  # the test polls
        page, log = open_page(browser, server.url, "/wall", width=WIDTH, height=HEIGHT)
        wait_ready(page)
        look_at(page, way, place)
        wait_until(lambda: shows(page, way, place, colour), "the place in its status colour")
        assert page.evaluate(HELD, LAYER) > 0

        sound(False)
        page.evaluate(POLL)
        assert LAYER not in page.evaluate("() => Object.keys(window.guatuPage.walls[0].state.layers)")
        assert page.evaluate(HELD, LAYER) == 0  # nothing of the layer kept: no places, dots or tiles
        assert not shows(page, way, place, colour)
        asked = len(log.requests)
        look_at(page, way, place, out=1)  # neither a zoom nor names wanted (a search, a pointer) ask for it
        page.evaluate("async () => { await window.guatuPage.walls[0].loadAttributes(); }")
        page.evaluate(POLL)
        look_at(page, way, place)
        assert not [u for u in log.requests[asked:] if f"/{LAYER}" in u]
        assert page.evaluate(HELD, LAYER) == 0

        sound(True)
        page.evaluate(POLL)
        wait_until(lambda: shows(page, way, place, colour), "the place drawn again")
        assert page.evaluate(HELD, LAYER) > 0
        assert log.outside == [] and log.console_errors == []
        page.context.close()


def test_a_wall_opened_while_a_layer_was_withheld_is_made_again_with_it_when_it_is_back(browser, tmp_path):
    data, place, sound = damageable(tmp_path / "data")
    colour = {s.key: s.color for s in load_campaign(data).statuses}[place["properties"]["status"]]
    sound(False)
    with live_server(data, GUATU_REFRESH_SECONDS=0) as server:
        page, log = open_page(browser, server.url, "/wall", width=WIDTH, height=HEIGHT)
        wait_ready(page)
        assert page.evaluate(HELD, LAYER) == 0
        page.evaluate(POLL)  # still withheld: the page stays
        errors = len(log.console_errors)  # /api/health answered 503 for the banner meanwhile
        assert page.evaluate("() => window.guatuPage.walls[0].options.withheld") == [LAYER]
        sound(True)
        with page.expect_navigation():
            page.evaluate("() => { window.guatuPage.walls[0].poll(); }")
        wait_ready(page)
        assert page.evaluate("() => window.guatuPage.walls[0].options.withheld") == []
        wait_until(lambda: shows(page, "whole", place, colour), "the place drawn once the page is made again")
        assert log.outside == [] and log.console_errors[errors:] == []
        page.context.close()


def test_a_layer_back_whose_shapes_failed_is_asked_for_again_at_the_next_poll(browser, tmp_path):
    """The layer is back but its shapes' answer fails (the server busy): the next poll, unchanged (304), asks
    again, so a wall nobody touches does not keep the layer blank."""
    data, place, sound = damageable(tmp_path / "data")
    colour = {s.key: s.color for s in load_campaign(data).statuses}[place["properties"]["status"]]
    with live_server(data, GUATU_REFRESH_SECONDS=0) as server:
        page, log = open_page(browser, server.url, "/wall", width=WIDTH, height=HEIGHT)
        wait_ready(page)
        look_at(page, "whole", place)
        sound(False)
        page.evaluate(POLL)
        assert page.evaluate(HELD, LAYER) == 0
        failed = []
        page.route(f"**/api/wall/shapes/{LAYER}?*", busy_once(failed))
        sound(True)
        with pytest.raises(Exception, match="HTTP 503"):
            page.evaluate(POLL)  # the state has the layer back; its shapes failed
        assert len(failed) == 1 and page.evaluate(HELD, LAYER) == 0
        page.evaluate(POLL)  # nothing new in the state: 304, and the layer asked for again
        wait_until(lambda: shows(page, "whole", place, colour), "the place drawn at the next poll")
        page.context.close()


def test_a_layer_withheld_when_the_wall_starts_again_after_a_failure_is_drawn_once_it_is_back(browser, tmp_path):
    """The wall's first start fails (its large layer's viewport answers 503) and the layer file is damaged before the
    start again: the wall starts without it, and draws it from the poll after the file is put right."""
    data, place, sound = damageable(tmp_path / "data", viewport_above=50)
    colour = {s.key: s.color for s in load_campaign(data).statuses}[place["properties"]["status"]]
    with live_server(data, GUATU_REFRESH_SECONDS=0) as server:
        context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
        failed = []
        context.route(f"**/api/wall/shapes/{LAYER}?*", busy_once(failed, lambda: sound(False)))  # damaged before the start again
        page = context.new_page()
        page.goto(server.url + "/wall")
        wait_ready(page)  # the start again, 5 s later
        assert len(failed) == 1 and page.evaluate(HELD, LAYER) == 0
        sound(True)
        page.evaluate(POLL)
        look_at(page, "viewport", place)
        wait_until(lambda: shows(page, "viewport", place, colour), "the place drawn once the layer is back")
        context.close()
