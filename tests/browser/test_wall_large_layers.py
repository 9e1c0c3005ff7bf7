"""A large layer on the wall map in a real Chromium: fetched one viewport at a time, never whole.

The demo campaign with `map.viewport_above` lowered to 50, so its 293
courtyards are a "large" layer while roads and villages are not, and
`map.vector_tiles_from` off, so it is fetched by viewport at every zoom (from
tiles at close zooms: test_wall_tiles.py).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from urllib.parse import parse_qs, urlsplit

import pytest
import shapely
from shapely.geometry import shape

from geo.config import load_campaign
from geo.store import open_store
from tests.browser.harness import demo_with_map, live_server, open_page, wait_ready
from tests.browser.pixels import interior, near
from tests.conftest import FakeClock

LAYER = "courtyards"


@pytest.fixture(scope="module")
def campaign_dir(tmp_path_factory):
    return demo_with_map(tmp_path_factory.mktemp("large") / "data", viewport_above=50, vector_tiles_from=None)


@pytest.fixture(scope="module")
def store(campaign_dir):
    return open_store(campaign_dir, load_campaign(campaign_dir), clock=FakeClock())  # the server's clock


@pytest.fixture(scope="module")
def server(campaign_dir):
    with live_server(campaign_dir, GUATU_REFRESH_SECONDS=2) as s:
        yield s


@pytest.fixture(scope="module")
def loaded(browser, server):
    page, log = open_page(browser, server.url, "/wall")
    wait_ready(page)
    yield page, log
    page.context.close()


def shape_requests(log, layer_id: str) -> list[dict]:
    out = []
    for url in log.requests:
        parts = urlsplit(url)
        if parts.path == f"/api/wall/shapes/{layer_id}":
            out.append({k: v[-1] for k, v in parse_qs(parts.query).items()})
    return out


# Every place of the layer the wall holds: id -> [colour, drawn as a dot, shown]. Places too small to see are
# kept as one field of dots (wall/dots.js), their colour a palette entry set from the state.
DRAWN = """(layerId) => {
    const wall = window.guatuPage.walls[0];
    const out = {};
    for (const [id, p] of Object.entries(wall.all[layerId] || {})) out[id] = [p.options.fillColor, false, p.visible];
    const field = wall.fields[layerId];
    const colourOf = (look) => wall.colours[Object.keys(wall.looks).find(k => wall.looks[k] === look)] || null;
    for (let i = 0; field && i < field.n; i++) out[field.ids[i]] = [colourOf(field.look[i]), true, field.look[i] !== 0];
    return out;
}"""


def drawn(page) -> dict[str, list]:
    return page.evaluate(DRAWN, LAYER)


def zoom_to(page, latlng: list[float], zoom: int) -> None:
    """Move the map and wait until the large layer's viewport for the new view is drawn."""
    before = page.evaluate("document.documentElement.dataset.guatuViewport || ''")
    page.evaluate("([ll, z]) => window.guatuPage.walls[0].map.setView(ll, z, {animate: false})", [latlng, zoom])
    page.wait_for_function("(b) => (document.documentElement.dataset.guatuViewport || '') !== b", arg=before,
                           timeout=15_000)


def pixel(page, latlng: list[float]) -> tuple[int, int, int, int]:
    return tuple(page.evaluate("""(latlng) => {
        const map = window.guatuPage.walls[0].map;
        const canvas = map.getPane('guatu-features').querySelector('canvas');
        const rect = canvas.getBoundingClientRect(), mapRect = map.getContainer().getBoundingClientRect();
        const p = map.latLngToContainerPoint(latlng);
        const x = Math.round((p.x + mapRect.left - rect.left) * canvas.width / rect.width);
        const y = Math.round((p.y + mapRect.top - rect.top) * canvas.height / rect.height);
        return Array.from(canvas.getContext('2d').getImageData(x, y, 1, 1).data);
    }""", latlng))


def test_large_layer_is_asked_for_by_viewport_and_small_ones_whole(loaded, store):
    page, log = loaded
    large = shape_requests(log, LAYER)
    assert large and all("bbox" in q and "zoom" in q and q.get("part") == "geometry" for q in large)
    assert all("bbox" not in q for q in shape_requests(log, "roads"))
    # the opening view is fitted to every place, so every courtyard is drawn, whatever its size on screen
    assert set(drawn(page)) == {f["id"] for f in store.features(LAYER)}
    assert log.outside == [] and log.console_errors == []


def test_zooming_in_loads_only_that_viewport_at_full_detail(loaded, store):
    page, log = loaded
    features = store.features(LAYER)
    colours = {s.key: s.color for s in load_campaign(store.dir).statuses}
    target = features[len(features) // 2]
    zoom_to(page, interior(target), 18)
    shown = drawn(page)
    assert target["id"] in shown and len(shown) < len(features) / 4
    assert shapes_request_zoom(log) == "18"
    view = page.evaluate("""() => { const b = window.guatuPage.walls[0].map.getBounds();
                                    return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; }""")
    on_screen = [f for f in features if shape(f["geometry"]).intersects(shapely.box(*view))]
    assert {f["id"] for f in on_screen} <= set(shown)
    visible = [f for f in on_screen if shapely.box(*view).contains(shapely.Point(interior(f)[1], interior(f)[0]))]
    assert visible
    for f in visible:
        assert near(pixel(page, interior(f)), colours[f["properties"]["status"]]), f["id"]
    assert not any(dot for _, dot, _ in shown.values())  # full detail: outlines, no dots


def shapes_request_zoom(log) -> str:
    return shape_requests(log, LAYER)[-1]["zoom"]


def test_counts_cover_the_places_off_screen(loaded, store):
    page, _ = loaded
    counts = page.evaluate("() => window.guatuPage.walls[0].panels.counts()")
    campaign = load_campaign(store.dir)
    total = sum(len(store.features(x.id)) for x in campaign.layers)
    assert counts["total"] == total
    # the large layer's places counted from the state's columns at once, the others one by one: by status too
    statuses = Counter(f["properties"]["status"] for x in campaign.layers for f in store.features(x.id))
    assert counts["status"] == dict(statuses)
    assert counts["done"] == sum(n for s, n in statuses.items() if s in campaign.done_statuses)


def test_search_finds_and_flies_to_a_place_that_is_not_loaded(loaded, store):
    """The search box asks the server for the large layer's places (its names are not loaded whole), lists the one
    found, and a click on it flies there and opens its card."""
    page, log = loaded
    features = store.features(LAYER)
    far = max(features, key=lambda f: shape(f["geometry"]).centroid.x)
    west = min(features, key=lambda f: shape(f["geometry"]).centroid.x)
    zoom_to(page, interior(west), 17)  # the far east's places not loaded, whichever test ran before on this page
    assert far["id"] not in drawn(page)
    before = len(log.requests)
    box = page.locator(".guatu-search-input")
    box.click()
    box.fill(far["properties"]["name"])
    hit = page.locator(f".guatu-search-hit[data-id='{far['id']}']")
    hit.wait_for(timeout=10_000)
    assert hit.locator(".guatu-search-name").inner_text() == far["properties"]["name"]
    asked = [urlsplit(url) for url in log.requests[before:]]
    searches = [parse_qs(u.query) for u in asked if u.path == f"/api/wall/search/{LAYER}"]
    assert searches and searches[-1]["q"] == [far["properties"]["name"]]
    assert not [u for u in asked if u.path == f"/api/wall/shapes/{LAYER}" and "part=attributes" in u.query]
    assert page.get_attribute(".guatu-search-results", "aria-busy") == "false"
    hit.click()
    page.wait_for_function("(id) => document.documentElement.dataset.guatuSelected === id", arg=far["id"], timeout=15_000)
    assert far["id"] in drawn(page)
    assert page.evaluate("""(id) => { const wall = window.guatuPage.walls[0];
        return wall.map.getBounds().intersects(wall.all.courtyards[id].getBounds()); }""", far["id"])
    page.wait_for_function("""(id) => { const card = document.querySelector('.guatu-place-card');
        return card && card.dataset.id === id && !card.hidden && !document.querySelector('.guatu-card-loading'); }""",
                           arg=far["id"], timeout=10_000)
    assert far["properties"]["name"] in page.locator(".guatu-place-card").inner_text()


def test_a_screen_of_one_sub_district_finds_only_its_places(browser, server, store):
    """The server is asked for the screen's sub-district only: a place of another is not listed, though its name
    starts with the same text."""
    features = store.features(LAYER)
    street = Counter(f["properties"].get("street") for f in features).most_common(1)[0][0]
    other = next(f for f in features if f["properties"].get("street") not in (street, None))
    page, log = open_page(browser, server.url, f"/wall?street={street}")
    try:
        wait_ready(page)
        box = page.locator(".guatu-search-input")
        box.fill(other["properties"]["name"])
        page.wait_for_function("""() => {
            const list = document.querySelector('.guatu-search-results');
            return list.getAttribute('aria-busy') === 'false' && list.children.length > 0; }""", timeout=10_000)
        assert page.locator(f".guatu-search-hit[data-id='{other['id']}']").count() == 0
        searches = [parse_qs(urlsplit(url).query) for url in log.requests
                    if urlsplit(url).path == f"/api/wall/search/{LAYER}"]
        assert searches and all(q["street"] == [street] for q in searches)
        for name in page.locator(".guatu-search-hit .guatu-search-where").all_inner_texts():
            assert name.startswith(street), name
        # its legend counts the sub-district's places, the large layer's off screen too, from the state alone
        campaign = load_campaign(store.dir)
        mine = [f for x in campaign.layers for f in store.features(x.id) if f["properties"].get("street") == street]
        counts = page.evaluate("() => window.guatuPage.walls[0].panels.counts()")
        assert counts["total"] == len(mine)
        assert counts["status"] == dict(Counter(f["properties"]["status"] for f in mine))
        assert not [u for u in log.requests if urlsplit(u).path == f"/api/wall/shapes/{LAYER}"
                    and "part=attributes" in urlsplit(u).query]
    finally:
        page.context.close()


def test_live_status_and_shape_changes_reach_a_viewport(loaded, store):
    page, _ = loaded
    shown = drawn(page)
    fid = next(iter(shown))
    current = store.get(LAYER, fid)
    campaign = load_campaign(store.dir)
    new_status = next(s for s in campaign.statuses if s.key != current["properties"]["status"])
    store.update(LAYER, fid, expected_version=current["properties"]["version"], user="测试",
                 properties={"status": new_status.key})
    page.wait_for_function(f"([id, c]) => ({DRAWN})('{LAYER}')[id][0] === c", arg=[fid, new_status.color], timeout=15_000)
    # a new place inside the view, beside a place drawn there (so inside the district, wherever an earlier test
    # left the view): the shapes revision moves and the viewport is fetched again
    west, south, east, north = shapely.bounds(shapely.from_geojson(json.dumps(current["geometry"])))
    x, y = (west + east) / 2, (south + north) / 2
    size = 0.0005
    created = store.create(LAYER, {"properties": {"name": "新建大院", "kind": "楼院", "status": "pending"},
                                   "geometry": {"type": "Polygon", "coordinates": [[[x, y], [x + size, y], [x + size, y + size],
                                                                                    [x, y + size], [x, y]]]}},
                           user="测试")
    page.wait_for_function(f"(id) => id in ({DRAWN})('{LAYER}')", arg=created.feature["id"], timeout=15_000)  # (an outline,
    # a box or a dot, as big as it is at the zoom an earlier test left)


# Dots of the large layer that stand alone on screen (no other dot within 12 px) and are what a click there
# finds (no place of a layer drawn above covers them): [id, lat, lng, x, y] (container pixels).
ALONE = """(layerId) => {
    const wall = window.guatuPage.walls[0], map = wall.map, field = wall.fields[layerId];
    const pts = [];
    for (let i = 0; i < field.n; i++) {
        const p = map.latLngToContainerPoint([field.lngLat[2 * i + 1], field.lngLat[2 * i]]);
        pts.push([i, p.x, p.y]);
    }
    const size = map.getSize();
    return pts.filter(([i, x, y]) => x > 40 && y > 40 && x < size.x - 40 && y < size.y - 40 && field.look[i] !== 0
        && pts.every(([j, u, v]) => j === i || Math.hypot(u - x, v - y) > 12)
        && (wall.renderers.features.placeAt(map.containerPointToLayerPoint([x, y])) || {}).feature?.id === field.ids[i])
      .map(([i, x, y]) => [field.ids[i], field.lngLat[2 * i + 1], field.lngLat[2 * i], x, y]);
}"""


@pytest.fixture()
def overview(browser, server, store):
    """The wall zoomed out until the layer's courtyards are a few pixels wide: most come as dots."""
    page, log = open_page(browser, server.url, "/wall")
    wait_ready(page)
    west, south, east, north = shapely.total_bounds(shapely.from_geojson([json.dumps(f["geometry"]) for f in store.features(LAYER)]))
    zoom_to(page, [(south + north) / 2, (west + east) / 2], 11)
    yield page, log
    page.context.close()


def test_places_too_small_to_see_are_painted_as_dots_in_their_status_colour(overview, store):
    page, log = overview
    features = {f["id"]: f for f in store.features(LAYER)}
    colours = {s.key: s.color for s in load_campaign(store.dir).statuses}
    shown = drawn(page)
    dots = [fid for fid, (_, dot, _) in shown.items() if dot]
    assert set(shown) == set(features) and len(dots) > len(features) / 2
    assert all(shown[fid][0] == colours[features[fid]["properties"]["status"]] and shown[fid][2] for fid in dots)
    # every place is counted as drawn, the dots with the places still drawn as outlines
    assert page.evaluate("(l) => window.guatuPage.walls[0].layers[l].count()", LAYER) == len(features)
    alone = page.evaluate(ALONE, LAYER)
    assert len(alone) >= 3
    for fid, lat, lng, _, _ in alone[:8]:  # what the screen shows there is the place's status colour
        assert near(pixel(page, [lat, lng]), colours[features[fid]["properties"]["status"]]), fid
    assert shapes_request_zoom(log) == "11"
    assert log.console_errors == []


def test_a_dot_clicked_opens_its_card_and_a_status_change_repaints_it_without_fetching_shapes(overview, store):
    page, log = overview
    fid, lat, lng, x, y = page.evaluate(ALONE, LAYER)[0]
    left, top = page.evaluate("""() => { const r = window.guatuPage.walls[0].map.getContainer().getBoundingClientRect();
                                         return [r.left, r.top]; }""")
    page.mouse.click(left + x, top + y)
    page.wait_for_function("(id) => document.documentElement.dataset.guatuSelected === id", arg=fid, timeout=10_000)
    page.wait_for_function("""(id) => { const card = document.querySelector('.guatu-place-card');
        return card && card.dataset.id === id && !card.hidden && !document.querySelector('.guatu-card-loading'); }""",
                           arg=fid, timeout=10_000)
    current = store.get(LAYER, fid)
    assert current["properties"]["name"] in page.locator(".guatu-place-card").inner_text()
    asked = len(shape_requests(log, LAYER))
    new_status = next(s for s in load_campaign(store.dir).statuses if s.key != current["properties"]["status"])
    store.update(LAYER, fid, expected_version=current["properties"]["version"], user="测试",
                 properties={"status": new_status.key})
    page.wait_for_function(f"([id, c]) => ({DRAWN})('{LAYER}')[id][0] === c", arg=[fid, new_status.color], timeout=15_000)
    page.wait_for_function("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))")
    page.evaluate("() => window.guatuPage.walls[0].unselect()")  # the selection's outline off the dot
    page.wait_for_function("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))")
    assert near(pixel(page, [lat, lng]), new_status.color)
    assert len(shape_requests(log, LAYER)) == asked  # a status change moves no shapes revision


def test_a_dot_under_the_pointer_shows_its_name_without_the_layers_names_loaded(overview, store):
    """A pointer over the map loads the names of the layers drawn whole; the large layer's place under it gets
    its own from its card, never the whole layer's names."""
    page, log = overview
    fid, _, _, x, y = page.evaluate(ALONE, LAYER)[0]
    left, top = page.evaluate("""() => { const r = window.guatuPage.walls[0].map.getContainer().getBoundingClientRect();
                                         return [r.left, r.top]; }""")
    page.mouse.move(left + x, top + y)
    tooltip = page.locator(".guatu-tooltip").last
    name = store.get(LAYER, fid)["properties"]["name"]
    page.wait_for_function("(name) => [...document.querySelectorAll('.guatu-tooltip strong')].some(s => s.textContent === name)",
                           arg=name, timeout=10_000)
    assert name in tooltip.inner_text()
    asked = [urlsplit(url) for url in log.requests]
    assert [u for u in asked if u.path == f"/api/wall/place/{LAYER}/{fid}"]
    assert [u for u in asked if u.path == "/api/wall/shapes/roads" and "part=attributes" in u.query]
    assert not [u for u in asked if u.path == f"/api/wall/shapes/{LAYER}" and "part=attributes" in u.query]


# Each dot's look and marks as the field is refreshed from the state's columns at once, then as each dot is
# refreshed on its own (what a view with a filter does): [looks, marked dots, overnight rings and escalation
# triangles the marks' canvases draw, and how many of each are the wall's other places' (by id)].
LOOKS = """(layerId) => {
    const wall = window.guatuPage.walls[0];
    const field = wall.fields[layerId];
    const drawn = (r) => { const m = r._columns();
                           return Array.from({length: m.n}, (_, i) => [m.lngLat[2 * i], m.lngLat[2 * i + 1], m.looks[i].rank]); };
    const seen = () => { wall.showMarks(); return [Array.from(field.look), Array.from(field.marked),
                                                   drawn(wall.renderers.overnight), drawn(wall.renderers.escalated),
                                                   [Object.keys(wall.dots).length, Object.keys(wall.flags).length]]; };
    wall.refreshField(layerId);
    const whole = seen();
    field.marked.fill(0);  // every mark made again
    for (let i = 0; i < field.n; i++) wall.refreshDot(layerId, field, i);
    return [whole, seen(), wall.filters()];
}"""


def test_dots_refreshed_at_once_look_as_when_refreshed_one_by_one(overview):
    page, _ = overview
    whole, one_by_one, filtered = page.evaluate(LOOKS, LAYER)
    assert not filtered
    assert whole == one_by_one
    looks, marked, rings, triangles, (other_rings, other_triangles) = whole
    assert len(looks) > 100 and 0 not in looks  # every dot shown, in a status colour
    assert any(marked)  # some of them overdue, overnight or escalated
    # the marks' canvases draw a ring for each overnight dot and a triangle for each escalated one, besides the others'
    assert len(rings) - other_rings == sum(1 for m in marked if m & 2) > 0
    assert len(triangles) - other_triangles == sum(1 for m in marked if m >> 2) > 0



# Per place of the large layer the wall holds as a Place: [colour, shown, its rings' coordinates].
HELD = """(layerId) => {
    const places = window.guatuPage.walls[0].all[layerId] || {};
    return Object.fromEntries(Object.entries(places).map(([id, p]) =>
        [id, [p.options.fillColor, p.visible, p.coords.map(r => Array.from(r))]]));
}"""


# The id of the place the wall finds under a point (a road or village drawn above a courtyard covers it there).
TOPMOST = """(latlng) => { const wall = window.guatuPage.walls[0];
    const place = wall.renderers.features.placeAt(wall.map.latLngToLayerPoint(latlng));
    return place ? place.feature.id : null; }"""


def test_the_worst_of_a_large_layers_dots_are_named_once_their_names_are_known(browser, server, store):
    """The names written on a 4K wall for the worst places (overdue, or escalated to the district) include the
    large layer's dots and boxes once the layer's names are in the page, and only those the state flags so."""
    page, log = open_page(browser, server.url, "/wall", width=3840, height=2160)
    wait_ready(page)
    west, south, east, north = shapely.total_bounds(shapely.from_geojson([json.dumps(f["geometry"]) for f in store.features(LAYER)]))
    zoom_to(page, [(south + north) / 2, (west + east) / 2], 13)
    worst = page.evaluate("""async (layerId) => {
        const wall = window.guatuPage.walls[0], field = wall.fields[layerId], items = wall.items(layerId);
        await wall.loadAttributes([layerId]);
        wall.labels.update();
        const named = new Set(Array.from(document.querySelectorAll('.guatu-label-worst:not([hidden])'), (n) => n.textContent));
        const out = [];
        for (let i = 0; i < field.n; i++) {
            const name = (wall.dotProperties(layerId, field, field.ids[i]) || {}).name;
            if (!named.has(name)) continue;
            const j = items.indexOf(field.ids[i]);
            out.push([field.ids[i], items.flags[j] & 1, items.escalatedAt(j)]);
        }
        return out;
    }""", LAYER)
    assert worst and all(overdue or escalated == 2 for _, overdue, escalated in worst)
    assert log.console_errors == []
    page.context.close()


@pytest.mark.parametrize("axis", [0, 1], ids=["east", "south"])
def test_a_pan_keeps_the_places_both_views_hold_and_draws_what_a_fresh_screen_draws(browser, server, store, axis):
    """A pan at the same zoom, east or south: the places the old and the new viewport share stay the very Places
    they were (nothing of them decoded, styled or projected again), the ones that went are let go with their marks,
    and what the wall then holds is what a screen opened on that view holds (simplified alike: to the south as
    well, the server simplifies a band of latitudes alike)."""
    page, log = open_page(browser, server.url, "/wall")
    wait_ready(page)
    points = [interior(f) for f in store.features(LAYER)]
    middle = [sorted(p[0] for p in points)[len(points) // 2], sorted(p[1] for p in points)[len(points) // 2]]
    zoom_to(page, middle, 15)  # amid the courtyards: a pan both leaves some and comes to others
    page.evaluate("""() => { const wall = window.guatuPage.walls[0];
        window.heldBefore = Object.assign({}, wall.all.courtyards);
        window.projBefore = Object.fromEntries(Object.entries(wall.all.courtyards).map(([id, p]) => [id, p.proj])); }""")
    before = set(page.evaluate("() => Object.keys(window.heldBefore)"))
    size = page.evaluate("() => { const s = window.guatuPage.walls[0].map.getSize(); return [s.x, s.y]; }")
    before_url = page.evaluate("document.documentElement.dataset.guatuViewport || ''")
    page.evaluate("(by) => window.guatuPage.walls[0].map.panBy(by, {animate: false})",
                  [size[0] // 2, 0] if axis == 0 else [0, size[1] // 2])
    page.wait_for_function("(b) => (document.documentElement.dataset.guatuViewport || '') !== b", arg=before_url,
                           timeout=15_000)
    held = page.evaluate(HELD, LAYER)
    shared, came, went = before & set(held), set(held) - before, before - set(held)
    assert shared and came and went, (len(shared), len(came), len(went))
    assert page.evaluate("""(ids) => { const wall = window.guatuPage.walls[0];
        return ids.filter(id => wall.all.courtyards[id] !== window.heldBefore[id]); }""", sorted(shared)) == []
    assert page.evaluate("""(ids) => { const wall = window.guatuPage.walls[0];
        return ids.filter(id => wall.all.courtyards[id].proj !== window.projBefore[id]); }""", sorted(shared)) == []
    # … and every place on screen, kept or come, is painted where it is, in its status colour
    colours = {s.key: s.color for s in load_campaign(store.dir).statuses if not s.hatch}  # a hatch stripes the fill
    west, south, east, north = page.evaluate("""() => { const b = window.guatuPage.walls[0].map.getBounds();
                                                 return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; }""")
    view = shapely.box(west, south, east, north).buffer(-(east - west) / 400)  # a point on the screen's edge is off it
    on_screen = [f for f in store.features(LAYER) if f["id"] in held and view.contains(shapely.Point(interior(f)[::-1]))
                 and f["properties"]["status"] in colours and page.evaluate(TOPMOST, interior(f)) == f["id"]]
    assert {f["id"] for f in on_screen} & shared and {f["id"] for f in on_screen} & came
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    for f in on_screen:  # at this zoom a courtyard is a few pixels across: its outline's rim may reach the point
        rgba = pixel(page, interior(f))
        nearest = min(colours, key=lambda k: sum((a - int(colours[k][i:i + 2], 16)) ** 2 for a, i in zip(rgba, (1, 3, 5))))
        assert rgba[3] >= 128 and nearest == f["properties"]["status"], (f["id"], rgba)
    assert page.evaluate("""(ids) => { const wall = window.guatuPage.walls[0];
        return ids.filter(id => id in wall.byId || id in wall.dots || id in wall.flags || id in wall.halos); }""",
                         sorted(went)) == []
    assert page.evaluate("""(ids) => { const wall = window.guatuPage.walls[0];
        return ids.filter(id => wall.byId[id] !== wall.all.courtyards[id]); }""", sorted(held)) == []
    # a screen opened on the view the pan ended on holds the same places, coloured, shown and shaped alike
    centre = page.evaluate("() => { const c = window.guatuPage.walls[0].map.getCenter(); return [c.lat, c.lng]; }")
    fresh, fresh_log = open_page(browser, server.url, "/wall")
    wait_ready(fresh)
    zoom_to(fresh, centre, 15)
    assert fresh.evaluate(HELD, LAYER) == held
    assert log.console_errors == [] and fresh_log.console_errors == []
    page.context.close()
    fresh.context.close()


# The places' canvas: held or not, and the scale of its CSS transform (1 when it is drawn for the view it shows).
CANVAS = """() => { const c = window.guatuPage.walls[0].renderers.features;
    return [!!c._held, new DOMMatrix(getComputedStyle(c._container).transform).a]; }"""


@pytest.mark.parametrize("answer", ["comes", "fails", "resized"])
def test_a_move_keeps_the_old_views_pixels_with_the_map_until_the_new_view_is_drawn(browser, server, store, answer):
    """While a large layer's new view is on its way the canvases keep the old view's pixels, moved and scaled with
    the map (a place's pixel is still where the place is), instead of drawing the old view's places again at the new
    view; the new view's answer, or its failure, has them drawn for the view they show. A window resized meanwhile
    has them drawn at once (the old pixels cannot follow a view whose middle moved)."""
    page, log = open_page(browser, server.url, "/wall")
    wait_ready(page)
    colours = {s.key: s.color for s in load_campaign(store.dir).statuses if not s.hatch}
    target = next(f for f in store.features(LAYER) if f["properties"]["status"] in colours
                  and shape(f["geometry"]).area > 2e-7)
    at = interior(target)
    zoom_to(page, at, 17)
    assert page.evaluate(TOPMOST, at) == target["id"] and near(pixel(page, at), colours[target["properties"]["status"]])
    assert page.evaluate(CANVAS) == [False, 1]
    waiting = []
    page.route(f"**/api/wall/shapes/{LAYER}?*", lambda route: waiting.append(route))
    before = page.evaluate("document.documentElement.dataset.guatuViewport || ''")
    # (held until the answer or its failure lets them go: not by the canvases' own time limit, here an hour)
    page.evaluate("() => window.guatuPage.walls[0].canvases().forEach((c) => { c.options.holdMs = 3600000; })")
    with page.expect_request(lambda r: f"/api/wall/shapes/{LAYER}?" in r.url, timeout=15_000):
        page.evaluate("(ll) => window.guatuPage.walls[0].map.setView(ll, 18, {animate: false})", at)
    for _ in range(1000):  # (the route's handler is called as the page's events are taken)
        if waiting:
            break
        page.evaluate("0")
    assert parse_qs(urlsplit(waiting[0].request.url).query)["zoom"] == ["18"]
    assert page.evaluate(CANVAS) == [True, 2]  # the old view's pixels, twice the size: the zoom is one more
    assert near(pixel(page, at), colours[target["properties"]["status"]])
    if answer == "resized":
        size = page.viewport_size
        page.set_viewport_size({"width": size["width"] - 200, "height": size["height"]})
        page.wait_for_function("() => new DOMMatrix(getComputedStyle(window.guatuPage.walls[0].renderers.features"
                               "._container).transform).a === 1", timeout=15_000)
        assert near(pixel(page, at), colours[target["properties"]["status"]])  # drawn where the place is, held again
        for _ in range(1000):  # the resize's own view asked for
            if len(waiting) > 1:
                break
            page.evaluate("0")
    if answer == "fails":
        waiting[0].abort()
    else:
        for route in waiting:
            route.continue_()
    page.wait_for_function("() => !window.guatuPage.walls[0].renderers.features._held", timeout=15_000)
    assert page.evaluate(CANVAS) == [False, 1]
    assert near(pixel(page, at), colours[target["properties"]["status"]])
    if answer != "fails":
        page.wait_for_function("(b) => (document.documentElement.dataset.guatuViewport || '') !== b", arg=before)
        assert not any(dot for _, dot, _ in drawn(page).values())  # the new view's: full detail
    else:  # the old view drawn at the new one, and asked for again at the next move
        assert page.evaluate("document.documentElement.dataset.guatuViewport || ''") == before
        assert any("HTTP" in e or "Failed" in e for e in page.evaluate("window.guatuPage.walls[0].errors"))
    page.context.close()


# The boxes of the large layer (places a few pixels across: wall/dots.js) that stand alone on screen (nothing else of
# the field within 14 px, no place drawn as an outline within 6 px of their box: a road or a village's edge would be
# painted over it) and are what a click there finds: [id, the box's centre and half sides in the places' canvas's
# own pixels, x and y of the map's container].
BOXES = """(layerId) => {
    const wall = window.guatuPage.walls[0], map = wall.map, field = wall.fields[layerId], canvas = wall.renderers.features;
    const k = canvas._container.width / canvas._container.getBoundingClientRect().width, min = canvas._area.min;
    const pts = [];
    for (let i = 0; i < field.n; i++) pts.push([i, map.layerPointToContainerPoint([field.xy[2 * i], field.xy[2 * i + 1]])]);
    const size = map.getSize();
    const outlines = Object.values(canvas.places).flatMap((places) => places.filter((p) => p.visible).map((p) => p.box));
    const apart = (b, x, y, w, h) => b[2] < x - w || b[0] > x + w || b[3] < y - h || b[1] > y + h;
    return pts.filter(([i, p]) => field.isBox(i) && field.look[i] !== 0 && p.x > 40 && p.y > 40 && p.x < size.x - 40
        && p.y < size.y - 40 && pts.every(([j, q]) => j === i || Math.hypot(q.x - p.x, q.y - p.y) > 14)
        && outlines.every((b) => !b || apart(b, field.xy[2 * i], field.xy[2 * i + 1], field.wh[2 * i] + 6, field.wh[2 * i + 1] + 6))
        && (canvas.placeAt(map.containerPointToLayerPoint(p)) || {}).feature?.id === field.ids[i])
      .map(([i, p]) => [field.ids[i], (field.xy[2 * i] - min.x) * k, (field.xy[2 * i + 1] - min.y) * k, field.wh[2 * i] * k,
                        field.wh[2 * i + 1] * k, p.x, p.y]);
}"""

# The RGBA of a pixel of the places' canvas.
AT = """([x, y]) => Array.from(window.guatuPage.walls[0].renderers.features._ctx.getImageData(x, y, 1, 1).data)"""


def _js_round(v: float) -> int:
    return math.floor(v + 0.5)  # JavaScript's Math.round


def test_places_a_few_pixels_across_are_painted_as_boxes_with_a_darker_rim_and_open_their_card(browser, server, store):
    """At zoom 13 many courtyards are 3 to 8 pixels across: each is a box of pixels in its status colour, at its
    size (on a screen of two device pixels to a CSS pixel, those 5 device pixels or more each way with a rim of a
    pixel in the darker ink of an outline), found under the pointer, and a click on it opens its card."""
    page, log = open_page(browser, server.url, "/wall", scale=2)
    wait_ready(page)
    features = {f["id"]: f for f in store.features(LAYER)}
    colours = {s.key: s.color for s in load_campaign(store.dir).statuses}
    west, south, east, north = shapely.total_bounds(shapely.from_geojson([json.dumps(f["geometry"]) for f in features.values()]))
    zoom_to(page, [(south + north) / 2, (west + east) / 2], 13)
    boxes = page.evaluate(BOXES, LAYER)
    assert len(boxes) >= 3
    rimmed = 0
    for fid, x, y, half_w, half_h, _, _ in boxes:
        colour = colours[features[fid]["properties"]["status"]]
        left, top = _js_round(x - half_w), _js_round(y - half_h)  # the box's first pixel (wall/dots.js boxPixels)
        w, h = max(1, _js_round(x + half_w) - left), max(1, _js_round(y + half_h) - top)
        cx, cy = math.floor(x), math.floor(y)  # the pixel its centre lies in
        assert near(page.evaluate(AT, [cx, cy]), colour), fid
        outside = page.evaluate(AT, [left - 1, cy])
        assert outside[3] == 0 or not near(outside, colour), fid
        if w >= 5 and h >= 5:
            rim = "#" + "".join(f"{round(int(colour[i:i + 2], 16) * 0.55):02x}" for i in (1, 3, 5))  # lib/dom.js darken
            assert near(page.evaluate(AT, [left, top]), rim) and near(page.evaluate(AT, [left + w - 1, top + h - 1]), rim), fid
            assert near(page.evaluate(AT, [left + 1, top + 1]), colour), fid
            rimmed += 1
    assert rimmed > 0
    fid, _, _, _, _, x, y = boxes[0]
    box = page.evaluate("() => window.guatuPage.walls[0].map.getContainer().getBoundingClientRect().toJSON()")
    page.mouse.click(box["left"] + x, box["top"] + y)
    page.wait_for_function("""(id) => { const card = document.querySelector('.guatu-place-card');
        return card && card.dataset.id === id && !card.hidden && !document.querySelector('.guatu-card-loading'); }""",
                           arg=fid, timeout=10_000)
    assert features[fid]["properties"]["name"] in page.locator(".guatu-place-card").inner_text()
    assert shapes_request_zoom(log) == "13" and log.console_errors == []
    page.context.close()


# The places' canvas with only the large layer's dots and boxes drawn, as it draws a field alone (its boxes' overdue
# rings painted with its dots, in one sheet), then with the rings painted apart before every fill (as when places
# are drawn under the field): [the two images' largest difference in a channel, how many ring pixels, drawn alone].
RINGS_BOTH_WAYS = """async (layerId) => {
    const wall = window.guatuPage.walls[0], canvas = wall.renderers.features, field = wall.fields[layerId];
    const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    canvas.setLayer(layerId, [], false);  // (the layer's places drawn as outlines left out: the field alone)
    const own = canvas._fieldAlone;
    let alone;
    canvas._fieldAlone = function (seen) { alone = own.call(this, seen); return alone; };
    const image = async () => {
        canvas.requestRedraw();
        await frames();
        const c = canvas._container;
        return canvas._ctx.getImageData(0, 0, c.width, c.height).data;
    };
    const together = await image();
    const drawnAlone = alone === field;
    canvas._fieldAlone = () => null;
    const apart = await image();
    let most = 0, rings = 0;
    const ring = [0xd4, 0x00, 0x6a];
    for (let i = 0; i < together.length; i += 4) {
        for (let k = 0; k < 4; k++) most = Math.max(most, Math.abs(together[i + k] - apart[i + k]));
        if (together[i + 3] > 200 && [0, 1, 2].every((k) => Math.abs(together[i + k] - ring[k]) <= 3)) rings++;
    }
    return [most, rings, drawnAlone];
}"""


def test_a_field_drawn_alone_paints_its_boxes_rings_with_its_dots_as_they_are_painted_apart(browser, server, store):
    """When nothing is drawn under a large layer's dots and boxes, the overdue rings of its boxes are written into the
    sheet its dots are painted in (one copy of a 4K sheet less a draw): the canvas shows what it shows when they are
    painted apart, under every fill."""
    page, log = open_page(browser, server.url, "/wall")
    wait_ready(page)
    west, south, east, north = shapely.total_bounds(shapely.from_geojson([json.dumps(f["geometry"]) for f in store.features(LAYER)]))
    zoom_to(page, [(south + north) / 2, (west + east) / 2], 13)
    most, rings, alone = page.evaluate(RINGS_BOTH_WAYS, LAYER)
    assert alone and rings > 20  # drawn alone, and some of its boxes are overdue
    assert most <= 2  # the same picture (a ring's 95 % opacity rounded once, or twice)
    assert log.console_errors == []
    page.context.close()


# The large layer's dots and boxes with an overnight ring or an escalation triangle, [id, [lat, lng] of the dot,
# "lng,lat"], and where the marks' canvases draw rings and triangles: ["lng,lat", …].
MARKS = """(layerId) => {
    const wall = window.guatuPage.walls[0], field = wall.fields[layerId], marked = [], drawn = [];
    wall.showMarks();
    for (const canvas of [wall.renderers.overnight, wall.renderers.escalated]) {
        const m = canvas._columns();
        for (let i = 0; i < m.n; i++) drawn.push(m.lngLat[2 * i] + "," + m.lngLat[2 * i + 1]);
    }
    for (let i = 0; i < field.n; i++) {
        const at = [field.lngLat[2 * i + 1], field.lngLat[2 * i]];
        if (field.marked[i] > 1) marked.push([field.ids[i], at, at[1] + "," + at[0]]);
    }
    return [marked, drawn];
}"""


def test_the_marks_of_dots_and_boxes_move_with_them_when_the_basemap_changes_its_crs(overview):
    """Under an AMap basemap (GCJ-02) the viewport comes shifted, and the overnight rings and escalation
    triangles of its dots and boxes go with them: none is kept where the place stood in WGS84."""
    page, _ = overview
    before, drawn = page.evaluate(MARKS, LAYER)
    assert before and all(key in drawn for _, _, key in before)  # each marked dot's marks drawn at its point
    page.evaluate("() => window.guatuPage.walls[0].setCrs('gcj02')")  # (its promise: the shifted viewport drawn)
    after, drawn = page.evaluate(MARKS, LAYER)
    assert {fid for fid, _, _ in after} == {fid for fid, _, _ in before}
    assert all(key in drawn for _, _, key in after)
    assert not {key for _, _, key in before} & set(drawn)  # none left where the places stood in WGS84
    moved = {fid: place for fid, place, _ in after}
    assert all(math.dist(moved[fid], place) > 2e-3 for fid, place, _ in before)  # (GCJ-02: some hundred metres off)
