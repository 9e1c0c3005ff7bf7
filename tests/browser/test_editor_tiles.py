"""A large layer in the editor drawn from its vector tiles, in a real Chromium: from the campaign's
`map.vector_tiles_from` zoom up to the names' (16) the outlines come from `/api/wall/tiles/…` (made once per shapes
revision), not from a view's answer; a status change, a selection or a past day repaints the tiles without fetching
one; a place is still clicked open, reshaped (its tiles asked for again at the new shapes revision), box-selected and
set a status; further out, and from the names' zoom on, the view's answer draws the layer again.

The demo campaign with `map.viewport_above` lowered to 50 (its 293 courtyards a "large" layer) and
`map.vector_tiles_from` at 15.
"""

from __future__ import annotations

import math
from urllib.parse import parse_qs, urlsplit

import pytest
import shapely
from shapely.geometry import box as make_box
from shapely.geometry import shape

from geo.config import load_campaign
from geo.store import open_store
from tests.browser.editor_session import (
    box_select,
    changed_since_the_day,
    drag_first_vertex,
    editor_page,
    map_point,
    planners_server,
    set_bulk_status,
    stored,
)
from tests.browser.harness import PHONE, demo_with_map
from tests.browser.pixels import interior

LAYER = "courtyards"
TILES_FROM = 15
SELECTED = "#1565c0"


@pytest.fixture
def campaign_dir(tmp_path):
    return demo_with_map(tmp_path / "data", viewport_above=50, vector_tiles_from=TILES_FROM)


@pytest.fixture
def server(campaign_dir, clock):
    with planners_server(campaign_dir, clock) as s:
        yield s


def tile_requests(log) -> list[tuple[str, str]]:
    """(z/x/y, revision) of every tile of the large layer asked for."""
    prefix = f"/api/wall/tiles/{LAYER}/"
    return [(parts.path[len(prefix):].removesuffix(".mvt"), parse_qs(parts.query).get("v", [""])[-1])
            for parts in map(urlsplit, log.requests) if parts.path.startswith(prefix)]


def view_requests(log) -> list[dict]:
    return [{k: v[-1] for k, v in parse_qs(urlsplit(url).query).items()} for url in log.requests
            if urlsplit(url).path == f"/api/wall/shapes/{LAYER}"]


def tiles_at(page, latlng, zoom: int) -> None:
    """Move the map and wait until every tile of the new view is painted (and a frame drawn)."""
    page.evaluate("([ll, z]) => { guatuPage.editors[0].map.setView(ll, z, {animate: false}); }", [latlng, zoom])
    page.wait_for_function("""(z) => { const large = guatuPage.editors[0].large.courtyards, tiles = large.tiles;
        if (!large._tiled() || tiles._tileZoom !== z) return false;
        const current = Object.values(tiles._tiles).filter((t) => t.current);
        return current.length > 0 && current.every((t) => t.el.guatu); }""", arg=zoom)
    page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")


# The RGBA of the large layer's tile canvas at a position (what the tiles painted there, nothing above them).
TILE_PIXEL = """(ll) => { const ed = guatuPage.editors[0], tiles = ed.large.courtyards.tiles, z = tiles._tileZoom;
    const p = ed.map.project(L.latLng(ll), z), size = tiles.getTileSize().x;
    const t = tiles._tiles[Math.floor(p.x / size) + ':' + Math.floor(p.y / size) + ':' + z];
    const c = t.el, ratio = c.width / size;
    const x = Math.floor((p.x - Math.floor(p.x / size) * size) * ratio), y = Math.floor((p.y - Math.floor(p.y / size) * size) * ratio);
    return Array.from(c.getContext('2d').getImageData(x, y, 1, 1).data); }"""


# conditions on `p`, that pixel, for `wait_for_pixel`
BLANK, DRAWN = "p[3] === 0", "p[3] > 0"
COLOURED = "p[3] >= 128 && [1, 3, 5].every((i, k) => Math.abs(p[k] - parseInt(want.slice(i, i + 2), 16)) <= 3)"


def wait_for_pixel(page, latlng, condition: str, want: str | None = None) -> None:
    """Wait until the tiles' pixel at `latlng` meets `condition` (`want`: a colour, for COLOURED)."""
    page.wait_for_function(f"([ll, want]) => {{ const p = ({TILE_PIXEL})(ll); return {condition}; }}",
                           arg=[latlng, want])


def painted(rgba, colour: str) -> bool:
    return rgba[3] >= 128 and max(abs(a - int(colour[i:i + 2], 16)) for a, i in zip(rgba, (1, 3, 5))) <= 3


def test_from_the_tiles_zoom_the_layer_is_drawn_from_tiles_and_a_status_change_fetches_none(browser, server,
                                                                                              campaign_dir):
    page, log = editor_page(browser, server)
    campaign = load_campaign(campaign_dir)
    colours = {s.key: s.color for s in campaign.statuses if not s.hatch}
    target = stored(campaign_dir, "c-0004")
    assert target["properties"]["status"] in colours
    views_before = len(view_requests(log))
    tiles_at(page, interior(target), TILES_FROM)
    asked = tile_requests(log)
    assert asked and all(zxy.startswith(f"{TILES_FROM}/") for zxy, _ in asked)
    assert len(view_requests(log)) == views_before  # below the names' zoom no view is asked for
    # the view's canvas holds nothing: the tiles draw the layer
    held = "() => { const l = guatuPage.editors[0].large.courtyards; return [Object.keys(l.places).length, l.field]; }"
    assert page.evaluate(held) == [0, None]
    assert painted(page.evaluate(TILE_PIXEL, interior(target)), colours[target["properties"]["status"]])
    # a Ctrl-click on the tile's place takes it into the selection; a status set repaints it, fetching no tile
    x, y = map_point(page, *interior(target))
    page.keyboard.down("Control")
    page.mouse.click(x, y)
    page.keyboard.up("Control")
    page.wait_for_selector("section.bulk h2")
    assert page.evaluate("() => Object.keys(guatuPage.editors[0].selection)") == ["c-0004"]
    new = next(k for k in colours if k != target["properties"]["status"])
    tiles_before = len(tile_requests(log))
    set_bulk_status(page, new)
    assert stored(campaign_dir, "c-0004")["properties"]["status"] == new
    wait_for_pixel(page, interior(target), COLOURED, colours[new])
    assert len(tile_requests(log)) == tiles_before
    assert log.outside == [] and log.console_errors == []


def test_a_click_on_a_tiles_place_opens_it_whole_and_a_reshape_asks_for_the_new_tiles(browser, server, campaign_dir):
    page, log = editor_page(browser, server)
    before = stored(campaign_dir, "c-0003")
    tiles_at(page, interior(before), TILES_FROM)
    assert page.evaluate(TILE_PIXEL, interior(before))[3] > 0
    page.mouse.click(*map_point(page, *interior(before)))
    page.wait_for_selector("form.attrs h2:has-text('c-0003')")
    # the place as stored, editable on top; its copy left out of its tile meanwhile
    drawn = page.evaluate("""() => { const ed = guatuPage.editors[0], path = ed.byId['c-0003'];
        return [path instanceof L.Polygon, path.toGeoJSON().geometry]; }""")
    assert drawn[0] is True and shape(drawn[1]).equals_exact(shape(before["geometry"]), 1e-9)
    wait_for_pixel(page, interior(before), BLANK)
    revisions = {v for _, v in tile_requests(log)}
    drag_first_vertex(page)
    page.click("button[data-action=save]")
    page.wait_for_selector(".message-ok")
    after = stored(campaign_dir, "c-0003")
    assert after["properties"]["version"] == before["properties"]["version"] + 1
    # the shapes revision moved: the view's tiles are asked for again at it
    page.wait_for_function("(old) => { const t = guatuPage.editors[0].large.courtyards.tiles; "
                           "return !old.includes(String(t.revision)); }", arg=sorted(revisions))
    page.wait_for_function("""() => { const tiles = guatuPage.editors[0].large.courtyards.tiles;
        const current = Object.values(tiles._tiles).filter((t) => t.current);
        return current.every((t) => t.el.guatu && t.el.guatu.revision === tiles.revision); }""")
    assert {v for _, v in tile_requests(log)} - revisions
    # let go, the place is drawn in its tile again, with its new outline
    page.keyboard.press("Escape")
    wait_for_pixel(page, interior(after), DRAWN)
    assert log.console_errors == []


def test_a_box_in_the_tiles_takes_their_places_and_sets_their_status(browser, server, campaign_dir):
    page, log = editor_page(browser, server)
    target = stored(campaign_dir, "c-0004")
    tiles_at(page, interior(target), TILES_FROM)
    size = page.evaluate("() => { const s = guatuPage.editors[0].map.getSize(); return [s.x, s.y]; }")
    west, south, east, north = page.evaluate("""(size) => { const m = guatuPage.editors[0].map;
        const a = m.containerPointToLatLng([80, 80]), b = m.containerPointToLatLng([size[0] - 60, size[1] - 60]);
        return [a.lng, b.lat, b.lng, a.lat]; }""", size)
    box_select(page, size)
    chosen = set(page.evaluate("() => Object.keys(guatuPage.editors[0].selection)"))
    area = make_box(west, south, east, north)
    s = open_store(campaign_dir, load_campaign(campaign_dir))
    courtyards = [(f["id"], shape(f["geometry"])) for f in s.features(LAYER)]
    # a place inside the box is taken; one whose box does not meet it is not (one whose box only grazes it may be:
    # a tile holds the part of it within the tile)
    certain = {fid for fid, g in courtyards if g.intersects(area) and shapely.area(g.intersection(area)) > 0}
    possible = {fid for fid, g in courtyards if make_box(*g.bounds).intersects(area)}
    assert len(certain) > 5 and certain <= chosen <= possible | _other_layers(page)
    set_bulk_status(page, "accepted")
    ours = chosen & possible
    assert {stored(campaign_dir, fid)["properties"]["status"] for fid in ours} == {"accepted"}
    assert log.console_errors == []


def _other_layers(page) -> set[str]:
    """The selected places of the layers loaded whole (the box takes them too)."""
    return set(page.evaluate("""() => { const ed = guatuPage.editors[0];
        return Object.keys(ed.selection).filter((id) => ed.selection[id] !== 'courtyards'); }"""))


def test_out_of_the_tiles_zooms_the_view_draws_the_layer_again(browser, server, campaign_dir):
    page, log = editor_page(browser, server)
    target = stored(campaign_dir, "c-0004")
    view_drawn = """() => { const l = guatuPage.editors[0].large.courtyards;
        return !l._tiled() && l.drawnSeq === l.seq && (Object.keys(l.places).length > 0 || (l.field && l.field.n > 0)); }"""
    for zoom in (13, 17):  # further out; and at the names' zoom, where the view's answer carries the outlines anyway
        tiles_at(page, interior(target), TILES_FROM)
        views, tiles = len(view_requests(log)), len(tile_requests(log))
        page.evaluate("([ll, z]) => { guatuPage.editors[0].map.setView(ll, z, {animate: false}); }", [interior(target), zoom])
        page.wait_for_function(view_drawn)
        assert len(view_requests(log)) > views and len(tile_requests(log)) == tiles
        assert page.evaluate("() => guatuPage.editors[0].large.courtyards.renderer.places.courtyards.length") > 0 \
            or zoom == 13
    page.wait_for_function("(name) => [...document.querySelectorAll('.guatu-edit-label-place span')]"
                           ".some((s) => s.textContent === name)", arg=target["properties"]["name"])
    assert log.console_errors == []


def test_a_past_day_paints_the_tiles_in_that_days_statuses(browser, server, campaign_dir, clock):
    campaign = load_campaign(campaign_dir)
    s = open_store(campaign_dir, campaign, clock=clock)  # the server's clock: these writes come after the day
    changed, before, after, made = changed_since_the_day(s, campaign, 0.0006)  # made beside it, in the same tiles
    colour = {x.key: x.color for x in campaign.statuses}
    page, log = editor_page(browser, server)
    tiles_at(page, interior(changed), TILES_FROM)
    assert painted(page.evaluate(TILE_PIXEL, interior(changed)), colour[after])
    assert painted(page.evaluate(TILE_PIXEL, interior(made)), colour[after])
    tiles = len(tile_requests(log))
    page.fill("section.past input[name=as-of]", "2026-11-23")
    page.click("button[data-action=as-of]")
    page.wait_for_selector(".message-info:has-text('2026-11-23')")
    wait_for_pixel(page, interior(made), BLANK)  # not made yet
    assert painted(page.evaluate(TILE_PIXEL, interior(changed)), colour[before])  # that day's status
    page.click("button[data-action=as-of-exit]")
    wait_for_pixel(page, interior(made), DRAWN)
    assert painted(page.evaluate(TILE_PIXEL, interior(changed)), colour[after])
    assert len(tile_requests(log)) == tiles  # the looks of a day are the tiles' paint, not new tiles
    assert log.console_errors == []


def test_between_whole_zooms_the_layer_is_drawn_as_the_tiles_grid_rounds_the_zoom(browser, server, campaign_dir):
    """The editor zooms in quarter steps; the tiles' grid takes the nearest whole zoom: at 15.5 that is 16, where the
    view draws the layer (no blank map, no zoom-16 tile), at 14.75 it is 15, where the tiles do."""
    page, log = editor_page(browser, server)
    target = stored(campaign_dir, "c-0004")
    tiles_at(page, interior(target), TILES_FROM)
    page.evaluate("([ll]) => { guatuPage.editors[0].map.setView(ll, 15.5, {animate: false}); }", [interior(target)])
    page.wait_for_function("""() => { const l = guatuPage.editors[0].large.courtyards;
        return !l._tiled() && l.drawnSeq === l.seq && Object.keys(l.places).length > 0; }""")
    assert not any(zxy.startswith("16/") for zxy, _ in tile_requests(log))
    page.evaluate("([ll]) => { guatuPage.editors[0].map.setView(ll, 14.75, {animate: false}); }", [interior(target)])
    page.wait_for_function("""() => { const l = guatuPage.editors[0].large.courtyards, t = l.tiles;
        const current = Object.values(t._tiles).filter((x) => x.current);
        return l._tiled() && t._tileZoom === 15 && current.length > 0 && current.every((x) => x.el.guatu)
            && Object.keys(l.places).length === 0; }""")
    assert painted(page.evaluate(TILE_PIXEL, interior(target)), stored_colour(campaign_dir, target))
    assert log.console_errors == []


def stored_colour(campaign_dir, feature) -> str:
    return {s.key: s.color for s in load_campaign(campaign_dir).statuses}[feature["properties"]["status"]]


def test_out_of_the_tiles_zooms_their_picture_stays_until_the_view_comes(browser, server, campaign_dir):
    page, log = editor_page(browser, server)
    target = stored(campaign_dir, "c-0004")
    tiles_at(page, interior(target), TILES_FROM)
    views = {"refused": True}  # the view cannot be had, until it can

    def view(route):
        if views["refused"]:
            route.abort()
        else:
            route.fallback()

    page.route(f"**/api/wall/shapes/{LAYER}?*", view)
    page.evaluate("() => { guatuPage.editors[0].map.zoomIn(1); }")  # animated, as a wheel or the + button zooms
    page.wait_for_selector(".message-error")
    assert "地图上这一片的地点没能加载" in page.inner_text(".message")
    # not a blank map: the tiles of zoom 15 still drawn, scaled, until a view is drawn
    assert page.evaluate("""() => { const l = guatuPage.editors[0].large.courtyards;
        return l._tiled() && Object.values(l.tiles._tiles).some((t) => t.coords.z === 15 && t.el.guatu); }""")
    views["refused"] = False
    page.evaluate("() => { guatuPage.editors[0].map.panBy([50, 0], {animate: false}); }")
    page.wait_for_function("""() => { const l = guatuPage.editors[0].large.courtyards;
        return !l._tiled() && l.drawnSeq === l.seq && Object.keys(l.places).length > 0; }""")
    assert [e for e in log.console_errors if "ERR_FAILED" not in e] == []


def test_tiles_that_fail_are_said_once_and_the_word_taken_back_when_they_come(browser, server, campaign_dir):
    page, log = editor_page(browser, server)
    target = stored(campaign_dir, "c-0004")
    failed = []
    tiles = {"refused": True}  # the server busy for the tiles, until it is not

    def tile(route):
        if tiles["refused"]:
            failed.append(route.request.url)
            route.fulfill(status=503, body="busy")
        else:
            route.fallback()

    page.route(f"**/api/wall/tiles/{LAYER}/**", tile)
    page.evaluate("""() => { const ed = guatuPage.editors[0], say = ed.say;  // counts what the editor says
        ed.said = []; ed.say = function (text) { ed.said.push(text); return say.apply(this, arguments); }; }""")
    page.evaluate("([ll]) => { guatuPage.editors[0].map.setView(ll, 15, {animate: false}); }", [interior(target)])
    page.wait_for_selector(".message-error:has-text('地图上这一片的图块没能加载,正在自动重试')")
    # the view drawn before stays while the tiles fail: not a blank map
    assert page.evaluate("() => { const l = guatuPage.editors[0].large.courtyards;"
                         " return Object.keys(l.places).length > 0 || (!!l.field && l.field.n > 0); }")
    while len(failed) == len(set(failed)):  # until a tile has failed twice: asked again, not said again
        page.wait_for_event("request", lambda r: "/api/wall/tiles/" in r.url)
    tiles["refused"] = False
    page.wait_for_function("""() => { const l = guatuPage.editors[0].large.courtyards;
        return l.tiles.failing.size === 0 && document.querySelector('.message').hidden; }""")
    said = page.evaluate("() => guatuPage.editors[0].said.filter((s) => s && s.includes('没能加载'))")
    assert len(said) == 1 and len(failed) > 1  # many tiles failed, one word of it
    assert painted(page.evaluate(TILE_PIXEL, interior(target)), stored_colour(campaign_dir, target))


def test_a_box_says_how_many_places_too_small_to_draw_apart_it_did_not_take(browser, server, campaign_dir, clock):
    target = stored(campaign_dir, "c-0004")
    centre = shape(target["geometry"]).centroid
    s = open_store(campaign_dir, load_campaign(campaign_dir), clock=clock)
    tiny = []
    for k in range(3):  # three courtyards of a couple of metres on one spot: one point of a zoom-15 tile
        x, y = centre.x + 0.002 + k * 1e-6, centre.y
        ring = [[x, y], [x + 2e-5, y], [x + 2e-5, y + 2e-5], [x, y + 2e-5], [x, y]]
        tiny.append(s.create(LAYER, {"geometry": {"type": "Polygon", "coordinates": [ring]},
                                     "properties": {"name": f"小院{k}", "kind": target["properties"]["kind"],
                                                    "status": target["properties"]["status"]}}, user="李编").feature["id"])
    page, log = editor_page(browser, server)
    tiles_at(page, interior(target), TILES_FROM)
    size = page.evaluate("() => { const s = guatuPage.editors[0].map.getSize(); return [s.x, s.y]; }")
    box_select(page, size)
    chosen = set(page.evaluate("() => Object.keys(guatuPage.editors[0].selection)"))
    assert len(chosen & set(tiny)) == 1  # the point's first place
    assert "框内另有 2 处地点太小" in page.inner_text(".message")
    assert log.console_errors == []


def test_a_selected_small_place_is_outlined_in_full_not_as_a_hairline(browser, server, campaign_dir):
    """A place a few pixels across is outlined with a hairline (its fill carries the colour); selected, its blue
    outline keeps its full weight, or a planner could not see what the box or the Ctrl-click took."""
    s = open_store(campaign_dir, load_campaign(campaign_dir))

    def metres(f) -> float:
        x0, y0, x1, y1 = shape(f["geometry"]).bounds
        return max((x1 - x0) * 111_320 * math.cos(math.radians(y0)), (y1 - y0) * 110_540)

    small = min(s.features(LAYER), key=metres)  # under 24 px at zoom 15 (about 3.9 m a pixel here)
    assert metres(small) < 60
    page, log = editor_page(browser, server)
    tiles_at(page, interior(small), TILES_FROM)
    x, y = map_point(page, *interior(small))
    page.keyboard.down("Control")
    page.mouse.click(x, y)
    page.keyboard.up("Control")
    page.wait_for_selector("section.bulk h2")
    assert page.evaluate("() => Object.keys(guatuPage.editors[0].selection)") == [small["id"]]
    # just outside the middle of its first side: blue (a 4-pixel outline reaches it, a hairline would not)
    ring = shape(small["geometry"]).exterior.coords
    side = [(ring[0][1] + ring[1][1]) / 2, (ring[0][0] + ring[1][0]) / 2]
    outside = page.evaluate("""([side, inner]) => { const m = guatuPage.editors[0].map;
        const a = m.latLngToContainerPoint(side), c = m.latLngToContainerPoint(inner);
        const n = Math.hypot(a.x - c.x, a.y - c.y);
        const p = m.containerPointToLatLng([a.x + 1.5 * (a.x - c.x) / n, a.y + 1.5 * (a.y - c.y) / n]);
        return [p.lat, p.lng]; }""", [side, list(interior(small))])
    wait_for_pixel(page, outside, COLOURED, SELECTED)
    assert log.console_errors == []


def test_on_a_phone_a_tap_on_a_tiles_place_opens_it(browser, server, campaign_dir):
    page, log = editor_page(browser, server, touch=True, **PHONE)
    place = stored(campaign_dir, "c-0001")
    tiles_at(page, interior(place), TILES_FROM)
    page.touchscreen.tap(*map_point(page, *interior(place)))
    page.wait_for_selector("form.attrs h2:has-text('c-0001')")
    assert page.evaluate("() => guatuPage.editors[0].byId['c-0001'] instanceof L.Polygon")  # drawn whole, editable
    wait_for_pixel(page, interior(place), BLANK)  # its copy left out of its tile meanwhile
    assert log.console_errors == []
