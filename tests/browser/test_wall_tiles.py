"""A large layer on a 4K wall in a real Chromium, from its vector tiles at close zooms (web/static/js/wall/tiled.js).

The demo campaign with `map.viewport_above` lowered to 50 (its 293 courtyards are a "large" layer) and
`map.vector_tiles_from` at 15: from zoom 15 on the courtyards are drawn from `/api/wall/tiles/courtyards/…`,
each tile its own canvas coloured from the wall state; further out, one viewport at a time.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
import shapely

from geo.config import load_campaign
from geo.store import open_store
from tests.browser.harness import demo_with_map, live_server, open_page, wait_ready
from tests.browser.pixels import TILE_PIXEL, interior, near
from tests.conftest import FakeClock
from tests.waiting import wait_until

LAYER = "courtyards"
WIDTH, HEIGHT = 3840, 2160


@pytest.fixture(scope="module")
def campaign_dir(tmp_path_factory):
    return demo_with_map(tmp_path_factory.mktemp("tiled") / "data", viewport_above=50, vector_tiles_from=15)


@pytest.fixture(scope="module")
def store(campaign_dir):
    return open_store(campaign_dir, load_campaign(campaign_dir), clock=FakeClock())  # the server's clock


@pytest.fixture(scope="module")
def server(campaign_dir):
    with live_server(campaign_dir, GUATU_REFRESH_SECONDS=2) as s:
        yield s


@pytest.fixture()
def wall(browser, server):
    page, log = open_page(browser, server.url, "/wall", width=WIDTH, height=HEIGHT)
    wait_ready(page)
    yield page, log
    page.context.close()


def requests(log, path_start: str) -> list[str]:
    return [url for url in log.requests if urlsplit(url).path.startswith(path_start)]


class Held:
    """The page's requests to `pattern` kept back until `release` (those `keep` says; the others go on), each URL
    asked listed in `asked`."""

    def __init__(self, page, pattern: str, keep=lambda url: True) -> None:
        self.asked: list[str] = []
        self.routes: list = []
        self.holding = True
        self.keep = keep
        page.route(pattern, self._route)

    def _route(self, route) -> None:
        self.asked.append(route.request.url)
        if self.holding and self.keep(route.request.url):
            self.routes.append(route)
        else:
            route.continue_()

    def release(self) -> None:
        self.holding = False
        for route in self.routes:
            route.continue_()


def move(page, latlng: list[float], zoom: int, drawn_as: str) -> None:
    """Move the map and wait until the large layer's new view is drawn (tiles or a viewport, `drawn_as`)."""
    before = page.evaluate("document.documentElement.dataset.guatuViewport || ''")
    page.evaluate("([ll, z]) => window.guatuPage.walls[0].map.setView(ll, z, {animate: false})", [latlng, zoom])
    page.wait_for_function("([b, kind]) => { const v = document.documentElement.dataset.guatuViewport || '';"
                           " return v !== b && v.startsWith(kind); }", arg=[before, drawn_as], timeout=20_000)


def test_from_the_tiles_zoom_a_large_layer_is_drawn_from_its_tiles_in_its_status_colours(wall, store):
    page, log = wall
    colours = {s.key: s.color for s in load_campaign(store.dir).statuses}
    features = store.features(LAYER)
    # on a wall tiles are not faded in: frames nobody watches, each composited at 4K without a GPU
    assert page.evaluate("() => window.guatuPage.walls[0].map.options.fadeAnimation") is False
    move(page, interior(features[0]), 16, "tiles-")
    asked = requests(log, f"/api/wall/tiles/{LAYER}/16/")
    assert asked and all("v=" in urlsplit(u).query for u in asked)  # the shapes revision: a new one asks anew
    assert not [u for u in requests(log, f"/api/wall/shapes/{LAYER}") if "zoom=16" in u]  # no viewport at 16
    assert page.evaluate("(l) => Object.keys(window.guatuPage.walls[0].all[l]).length", LAYER) == 0
    shown = [f for f in features if page.evaluate(TILE_PIXEL, interior(f)) is not None]
    assert len(shown) >= 5
    # each place's own status colour, from the state (an interior point on a narrow place may fall on its outline)
    coloured = [f for f in shown if near(page.evaluate(TILE_PIXEL, interior(f)), colours[f["properties"]["status"]])]
    assert len(coloured) >= len(shown) * 0.8
    # further out the layer is fetched one viewport at a time again and the tiles leave the map
    move(page, interior(features[0]), 13, "vp-")
    assert page.evaluate("() => window.guatuPage.walls[0].map.getPane('guatu-tiles').querySelectorAll('canvas').length") == 0
    zooms = {int(urlsplit(u).path.split("/")[5]) for u in requests(log, f"/api/wall/tiles/{LAYER}/")}
    assert zooms == {16}  # none asked for at 13 on the way out (Leaflet would, before the zoom's end)
    held = page.evaluate("(l) => { const w = window.guatuPage.walls[0];"
                         " return Object.keys(w.all[l]).length + (w.fields[l] ? w.fields[l].n : 0); }", LAYER)
    assert held > 0
    assert log.outside == [] and log.console_errors == []


def test_the_marks_of_a_tiled_place_are_the_states(wall, store):
    """Overnight rings and escalation triangles of the places in the loaded tiles, as the state flags them."""
    page, _ = wall
    west, south, east, north = shapely.total_bounds(shapely.from_geojson([json.dumps(f["geometry"]) for f in store.features(LAYER)]))
    move(page, [(south + north) / 2, (west + east) / 2], 15, "tiles-")
    marks = page.evaluate("""(l) => {
        const wall = window.guatuPage.walls[0], tiles = wall.tiled[l], items = wall.items(l);
        const want = { dots: [], flags: [] }, have = { dots: [], flags: [] };
        for (const id of tiles.holding.keys()) {
            const j = items.indexOf(id), flags = j >= 0 ? items.flags[j] : 0;
            if (flags & 2) want.dots.push(id);
            if (flags >> 2) want.flags.push(id);
            if (id in wall.dots) have.dots.push(id);
            if (id in wall.flags) have.flags.push(id);
        }
        return [want, have, tiles.holding.size];
    }""", LAYER)
    want, have, held = marks
    assert held > 50 and want["dots"] and want["flags"]
    assert sorted(have["dots"]) == sorted(want["dots"]) and sorted(have["flags"]) == sorted(want["flags"])


def test_a_tiled_place_clicked_opens_its_card_and_a_status_change_repaints_its_tile_without_a_fetch(wall, store):
    page, log = wall
    campaign = load_campaign(store.dir)
    features = store.features(LAYER)
    move(page, interior(features[0]), 17, "tiles-")
    target = next(f for f in features if page.evaluate(TILE_PIXEL, interior(f)) is not None
                  and near(page.evaluate(TILE_PIXEL, interior(f)), {s.key: s.color for s in campaign.statuses}[f["properties"]["status"]]))
    fid = target["id"]
    x, y = page.evaluate("""(ll) => { const map = window.guatuPage.walls[0].map, p = map.latLngToContainerPoint(ll),
                                       r = map.getContainer().getBoundingClientRect(); return [p.x + r.left, p.y + r.top]; }""",
                         interior(target))
    page.mouse.move(x, y)  # its tooltip asks the place's card for its name (a large layer's names are not in the page)
    page.wait_for_function("(name) => [...document.querySelectorAll('.guatu-tooltip strong')].some(s => s.textContent === name)",
                           arg=target["properties"]["name"], timeout=10_000)
    page.mouse.click(x, y)
    page.wait_for_function("(id) => document.documentElement.dataset.guatuSelected === id", arg=fid, timeout=10_000)
    page.wait_for_function("""(id) => { const card = document.querySelector('.guatu-place-card');
        return card && card.dataset.id === id && !card.hidden && !document.querySelector('.guatu-card-loading'); }""",
                           arg=fid, timeout=10_000)
    assert target["properties"]["name"] in page.locator(".guatu-place-card").inner_text()
    page.evaluate("() => window.guatuPage.walls[0].unselect()")
    tiles_before = len(requests(log, f"/api/wall/tiles/{LAYER}/"))
    current = store.get(LAYER, fid)
    new_status = next(s for s in campaign.statuses if s.key != current["properties"]["status"])
    store.update(LAYER, fid, expected_version=current["properties"]["version"], user="测试",
                 properties={"status": new_status.key})
    page.wait_for_function(f"""([ll, c]) => {{ const px = ({TILE_PIXEL})(ll);
        const want = [1, 3, 5].map(i => parseInt(c.slice(i, i + 2), 16));
        return px && px[3] >= 128 && want.every((v, i) => Math.abs(px[i] - v) <= 3); }}""",
                           arg=[interior(target), new_status.color], timeout=15_000)
    assert len(requests(log, f"/api/wall/tiles/{LAYER}/")) == tiles_before  # a status change fetches no tile
    assert log.console_errors == []


def test_a_tile_that_failed_is_asked_for_again_until_it_is_drawn(wall, store):
    """The server busy or away for one tile: the wall, which nobody pans, asks for it again and paints it."""
    import math

    page, log = wall
    colours = {s.key: s.color for s in load_campaign(store.dir).statuses}
    target = store.features(LAYER)[3]
    lat, lng = interior(target)
    n = 2**16
    x = int((lng + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    failed = []

    def once(route):
        if not failed:
            failed.append(route.request.url)
            route.fulfill(status=503, body="busy")
        else:
            route.continue_()

    page.route(f"**/api/wall/tiles/{LAYER}/16/{x}/{y}.mvt*", once)
    move(page, [lat, lng], 16, "tiles-")
    assert failed  # the first answer for that tile was a 503
    page.wait_for_function(f"""([ll, c]) => {{ const px = ({TILE_PIXEL})(ll);
        const want = [1, 3, 5].map(i => parseInt(c.slice(i, i + 2), 16));
        return px && px[3] >= 128 && want.every((v, i) => Math.abs(px[i] - v) <= 3); }}""",
                           arg=[[lat, lng], colours[target["properties"]["status"]]], timeout=20_000)
    assert page.evaluate("() => window.guatuPage.walls[0].errors.some(e => e.includes('HTTP 503'))")


def test_a_place_deleted_while_tiled_leaves_the_map_at_once_and_a_new_one_comes_with_the_new_tiles(wall, store):
    """The state drops it at the next poll: its tile is painted again without it (not grey: the state does not
    know it), before the tiles of the new shapes revision come; a place made meanwhile comes with them."""
    page, log = wall
    colours = {s.key: s.color for s in load_campaign(store.dir).statuses}
    features = store.features(LAYER)
    move(page, interior(features[5]), 17, "tiles-")
    target = next(f for f in features if near(page.evaluate(TILE_PIXEL, interior(f)), colours[f["properties"]["status"]]))
    held = Held(page, f"**/api/wall/tiles/{LAYER}/**")  # the new tiles kept back until the test lets them go
    shown_revisions = ("(l) => [...window.guatuPage.walls[0].tiled[l].getPane().querySelectorAll('canvas.guatu-tile')]"
                       ".filter(c => c.guatu).map(c => c.guatu.revision)")
    before = set(page.evaluate(shown_revisions, LAYER))
    store.delete(LAYER, target["id"], expected_version=target["properties"]["version"], user="测试")
    page.wait_for_function(f"(ll) => {{ const px = ({TILE_PIXEL})(ll); return px && px[3] === 0; }}", arg=interior(target),
                           timeout=15_000)
    # gone from the old tiles, painted again without it before any tile of the new revision came (they are held;
    # whether the page has asked for them yet or not)
    assert len(before) == 1 and set(page.evaluate(shown_revisions, LAYER)) == before
    held.release()
    page.wait_for_function("(l) => { const tiles = window.guatuPage.walls[0].tiled[l];"
                           " const shown = [...tiles.getPane().querySelectorAll('canvas.guatu-tile')].filter(c => c.guatu);"
                           " return shown.length && shown.every(c => c.guatu.revision === tiles.revision); }",
                           arg=LAYER, timeout=20_000)
    assert page.evaluate(TILE_PIXEL, interior(target))[3] == 0  # not back, grey or coloured, with the new tiles
    west, south, east, north = page.evaluate("""() => { const b = window.guatuPage.walls[0].map.getBounds();
                                                 return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; }""")
    x, y = west + (east - west) * 0.3, south + (north - south) * 0.3
    size = (east - west) / 40
    made = store.create(LAYER, {"properties": {"name": "新建大院", "kind": "楼院", "status": "accepted"},
                                "geometry": {"type": "Polygon", "coordinates": [[[x, y], [x + size, y], [x + size, y + size],
                                                                                 [x, y + size], [x, y]]]}},
                        user="测试").feature
    page.wait_for_function(f"""([ll, c]) => {{ const px = ({TILE_PIXEL})(ll);
        const want = [1, 3, 5].map(i => parseInt(c.slice(i, i + 2), 16));
        return px && px[3] >= 128 && want.every((v, i) => Math.abs(px[i] - v) <= 3); }}""",
                           arg=[[y + size / 2, x + size / 2], colours["accepted"]], timeout=20_000)
    assert page.evaluate("(id) => window.guatuPage.walls[0].placeOf('courtyards', id) !== null", made["id"])
    assert log.console_errors == []


def test_a_hatched_status_is_striped_on_its_tiles_as_on_the_walls_canvas(wall, store):
    page, _ = wall
    campaign = load_campaign(store.dir)
    hatched = {s.key for s in campaign.statuses if s.hatch}
    features = store.features(LAYER)
    move(page, interior(features[7]), 17, "tiles-")
    striped = [f for f in features if f["properties"]["status"] in hatched and page.evaluate(TILE_PIXEL, interior(f))]
    assert striped
    for f in striped[:3]:  # a row of pixels across its middle holds the fill and the stripes' ink
        lat, lng = interior(f)
        row = page.evaluate(f"""([lat, lng]) => {{ const map = window.guatuPage.walls[0].map, p = map.latLngToContainerPoint([lat, lng]);
            const out = []; for (let dx = -6; dx <= 6; dx++) out.push(({TILE_PIXEL})(map.containerPointToLatLng([p.x + dx, p.y])));
            return out; }}""", [lat, lng])
        assert len({tuple(px) for px in row if px}) >= 2, f["id"]


@pytest.mark.parametrize("failing", [(0, 1), (1,)], ids=["both", "the move's own"])
def test_leaving_the_tiles_zoom_when_the_viewport_fails_asks_again_until_the_layer_is_drawn(wall, store, failing):
    """Leaving the tiles' zoom asks for the viewport, and the move asks again 150 ms later (that answer replaces
    the first): whichever of them fails, the wall asks again by itself until the layer is drawn."""
    page, _ = wall
    features = store.features(LAYER)
    move(page, interior(features[9]), 16, "tiles-")
    seen, failed, held = [], [], []

    def route(request_route):
        if "zoom=13" not in request_route.request.url:
            request_route.continue_()
            return
        seen.append(request_route.request.url)
        n = len(seen) - 1
        if n == 0 and 0 not in failing:  # answered once the move's own request is made: that one replaces it
            held.append(request_route)
        elif n in failing:
            failed.append(request_route.request.url)
            request_route.fulfill(status=503, body="busy")
        else:
            request_route.continue_()
        if n == 1 and held:
            held.pop().continue_()

    page.route(f"**/api/wall/shapes/{LAYER}?*", route)
    page.evaluate("(ll) => window.guatuPage.walls[0].map.setView(ll, 13, {animate: false})", interior(features[9]))
    page.wait_for_function("(l) => { const w = window.guatuPage.walls[0];"
                           " return Object.keys(w.all[l]).length + (w.fields[l] ? w.fields[l].n : 0) > 0; }",
                           arg=LAYER, timeout=20_000)
    assert len(failed) == len(failing) and len(seen) > 2  # drawn by the wall asking again by itself


# RGBA of the wall's places canvas at [lat, lng] (wherever the canvas stands: it covers what it draws).
CANVAS_PIXEL = """(latlng) => {
    const map = window.guatuPage.walls[0].map;
    const canvas = map.getPane('guatu-features').querySelector('canvas');
    const rect = canvas.getBoundingClientRect(), box = map.getContainer().getBoundingClientRect();
    const p = map.latLngToContainerPoint(latlng);
    const x = Math.round(p.x + box.left - rect.left), y = Math.round(p.y + box.top - rect.top);
    if (x < 0 || y < 0 || x >= canvas.width || y >= canvas.height) return null;
    return Array.from(canvas.getContext('2d').getImageData(x, y, 1, 1).data);
}"""

VIEWPORT_PLACES = ("(l) => { const w = window.guatuPage.walls[0];"
                   " return Object.keys(w.all[l]).length + (w.fields[l] ? w.fields[l].n : 0); }")


def a_plain_place(store) -> dict:
    """The largest courtyard of a status drawn without stripes: its middle shows its colour at any zoom."""
    plain = {s.key: s.color for s in load_campaign(store.dir).statuses if not s.hatch}
    return max((f for f in store.features(LAYER) if f["properties"]["status"] in plain),
               key=lambda f: shapely.area(shapely.from_geojson(json.dumps(f["geometry"]))))


def test_coming_to_the_tiles_zoom_the_viewport_stays_drawn_until_every_tile_is_painted(wall, store):
    """Never blank: the viewport's places are let go only once the tiles that replace them are all painted."""
    page, _ = wall
    place = a_plain_place(store)
    colour = next(s.color for s in load_campaign(store.dir).statuses if s.key == place["properties"]["status"])
    at = interior(place)
    move(page, at, 14, "vp-")
    held = Held(page, f"**/api/wall/tiles/{LAYER}/**")  # the tiles kept back until the test lets them go
    page.evaluate("(ll) => window.guatuPage.walls[0].map.setView(ll, 15, {animate: false})", at)
    wait_until(lambda: page.evaluate("() => true") and held.routes, "the tiles asked for")
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    # no tile has come: the viewport's places are still drawn, the place in its colour at the new zoom
    assert page.evaluate(VIEWPORT_PLACES, LAYER) > 0
    assert near(page.evaluate(CANVAS_PIXEL, at), colour)
    assert page.evaluate("(l) => window.guatuPage.walls[0].tiledNow(l)", LAYER)
    held.release()
    page.wait_for_function(f"(l) => ({VIEWPORT_PLACES})(l) === 0 && window.guatuPage.walls[0].tiled[l].drawn()",
                           arg=LAYER, timeout=20_000)
    assert near(page.evaluate(TILE_PIXEL, at), colour)  # the tiles draw it now


def test_leaving_the_tiles_zoom_the_tiles_stay_until_the_viewport_is_drawn(wall, store):
    """Never blank the other way: zoomed out of the tiles' zooms (an animated zoom, as the wheel or the buttons
    make), the tiles' last picture stays until the viewport's answer is drawn."""
    page, _ = wall
    place = a_plain_place(store)
    at = interior(place)
    move(page, at, 16, "tiles-")
    # the viewport's answer kept back until the test lets it go
    held = Held(page, f"**/api/wall/shapes/{LAYER}?*", keep=lambda url: "zoom=" in url)
    page.evaluate("() => window.guatuPage.walls[0].map.setZoom(14)")
    wait_until(lambda: page.evaluate("() => true") and held.routes, "the viewport asked for")
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    on_map = ("(l) => { const w = window.guatuPage.walls[0], t = w.tiled[l];"
              " return w.map.hasLayer(t) && [...t.getPane().querySelectorAll('canvas.guatu-tile')].some(c => c.guatu); }")
    assert page.evaluate("() => window.guatuPage.walls[0].map.getZoom()") == 14
    assert page.evaluate(on_map, LAYER)  # the zoom-16 tiles still drawn, under the zoom's scale
    assert page.evaluate(TILE_PIXEL, at) is not None
    assert page.evaluate(VIEWPORT_PLACES, LAYER) == 0
    held.release()
    page.wait_for_function(f"(l) => ({VIEWPORT_PLACES})(l) > 0 && !window.guatuPage.walls[0].map.hasLayer("
                           "window.guatuPage.walls[0].tiled[l])", arg=LAYER, timeout=20_000)
    # the viewport's places carry their marks, as the state flags them (the tiles taken off let go of theirs first)
    want, have = page.evaluate(VIEWPORT_MARKS, LAYER)
    assert want["dots"] and want["flags"]
    assert have.pop("left") == []  # no tile's mark left on a dot or box of the viewport (its own are drawn)
    assert have == want


# The overnight rings and escalation triangles the state gives the places of the layer's viewport, and those the
# wall has.
VIEWPORT_MARKS = """(l) => {
    const wall = window.guatuPage.walls[0], items = wall.items(l), field = wall.fields[l];
    const ids = Object.keys(wall.all[l]).concat(field ? Array.from({length: field.n}, (_, i) => field.ids[i]) : []);
    const want = { dots: [], flags: [] }, have = { dots: [], flags: [], left: [] };
    for (const id of ids) {
        const j = items.indexOf(id), flags = j >= 0 ? items.flags[j] : 0;
        if (flags & 2) want.dots.push(id);
        if (flags >> 2) want.flags.push(id);
        const i = field ? field.indexOf(id) : -1, marked = i >= 0 ? field.marked[i] : 0;  // (a dot's marks are its field's)
        if (id in wall.dots || marked & 2) have.dots.push(id);
        if (id in wall.flags || marked >> 2) have.flags.push(id);
        if (i >= 0 && (id in wall.dots || id in wall.flags)) have.left.push(id);  // a tile's mark left on a dot
    }
    for (const list of [want.dots, want.flags, have.dots, have.flags]) list.sort();
    return [want, have];
}"""


def test_a_viewport_asked_in_a_crs_left_meanwhile_is_not_asked_again_once_the_layer_is_tiled(wall, store):
    """Under a GCJ-02 basemap a large layer is drawn a viewport at a time (tiles are in WGS84); back in WGS84 at a
    tiles' zoom, its tiles are on the map again. The GCJ-02 viewport's answer, come after that, is neither drawn
    nor asked for again in WGS84: the layer stays drawn from its tiles."""
    page, _ = wall
    move(page, interior(a_plain_place(store)), 16, "tiles-")
    held = Held(page, f"**/api/wall/shapes/{LAYER}?*")  # the viewports' answers kept back until the test lets them go
    page.evaluate("() => { window.toGcj = window.guatuPage.walls[0].setCrs('gcj02'); }")
    wait_until(lambda: page.evaluate("() => true") and held.routes, "the GCJ-02 viewport asked for")
    page.evaluate("() => window.guatuPage.walls[0].setCrs('wgs84')")
    assert page.evaluate("(l) => window.guatuPage.walls[0].tiledNow(l)", LAYER)
    before = list(held.asked)
    assert before and all("crs=gcj02" in url for url in before)
    held.release()
    page.evaluate("() => window.toGcj")  # the GCJ-02 loads done, their answers come
    assert held.asked == before  # not asked again in WGS84
    assert page.evaluate("(l) => window.guatuPage.walls[0].tiledNow(l)", LAYER)
    assert page.evaluate(VIEWPORT_PLACES, LAYER) == 0
