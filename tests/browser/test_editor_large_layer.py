"""A large layer in the editor, in a real Chromium: never loaded whole, drawn a view at a time as the wall draws it,
and every place of it still opened, reshaped, saved, box-selected and found by name.

The demo campaign with `map.viewport_above` lowered to 50, so its 293 courtyards are a "large" layer while roads
and villages are loaded whole.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import shapely
from shapely.geometry import shape

from geo.config import load_campaign
from geo.store import open_store
from tests.browser.editor_session import (
    PASSWORD,
    box_select,
    changed_since_the_day,
    drag_first_vertex,
    editor_page,
    map_point,
    set_bulk_status,
)
from tests.browser.harness import PHONE, demo_with_map, live_server
from tests.browser.pixels import interior

LAYER = "courtyards"


@pytest.fixture
def campaign_dir(tmp_path):
    return demo_with_map(tmp_path / "data", viewport_above=50)


@pytest.fixture
def server(campaign_dir, clock):
    with live_server(campaign_dir, GUATU_PUBLIC_VIEW=False, GUATU_CLOCK=clock) as s:
        s.app.extensions["guatu_accounts"].create_user("planner1", PASSWORD, "editor", "张规划")
        yield s


def store(campaign_dir):
    return open_store(campaign_dir, load_campaign(campaign_dir))


def shape_requests(log, layer_id: str) -> list[dict]:
    return [{k: v[-1] for k, v in parse_qs(urlsplit(url).query).items()} for url in log.requests
            if urlsplit(url).path == f"/api/wall/shapes/{layer_id}"]


def move_to(page, latlng: list[float], zoom: int) -> None:
    """Move the map and wait until the large layer's view there is drawn."""
    page.evaluate("""([ll, z]) => new Promise((resolve) => {
        const ed = guatuPage.editors[0], large = ed.large.courtyards, seq = large.seq;
        ed.map.setView(ll, z, {animate: false});
        const wait = () => large.seq > seq && large.drawnSeq === large.seq
            ? requestAnimationFrame(() => requestAnimationFrame(resolve)) : setTimeout(wait, 20);
        wait();
    })""", [latlng, zoom])


# What the editor holds of the large layer's view: id -> [drawn as a dot, shown]
VIEW = """() => { const large = guatuPage.editors[0].large.courtyards, out = {};
    for (const [id, p] of Object.entries(large.places)) out[id] = [false, p.visible];
    const f = large.field;
    for (let i = 0; f && i < f.n; i++) out[f.ids[i]] = [true, f.look[i] !== 0];
    return out; }"""


def test_the_large_layer_is_asked_for_a_view_at_a_time_and_drawn_in_status_colours(browser, server, campaign_dir):
    page, log = editor_page(browser, server)
    # shapes only for a view, and only their outlines below zoom 16 (no names: the editor writes none there)
    asked = shape_requests(log, LAYER)
    assert asked and all("bbox" in q and "zoom" in q for q in asked)
    assert all(q["part"] == ("all" if int(q["zoom"]) >= 16 else "geometry") for q in asked)
    assert all("bbox" not in q for q in shape_requests(log, "roads"))  # small layers: whole, as before
    features = store(campaign_dir).features(LAYER)
    assert set(page.evaluate(VIEW)) == {f["id"] for f in features}  # opened on every place
    colours = {s.key: s.color for s in load_campaign(campaign_dir).statuses if not s.hatch}
    target = next(f for f in features if f["properties"]["status"] in colours)
    move_to(page, interior(target), 17)
    rgba = page.evaluate("""(ll) => { const ed = guatuPage.editors[0], large = ed.large.courtyards;
        const canvas = large.renderer._container, p = ed.map.latLngToContainerPoint(ll);
        const rect = canvas.getBoundingClientRect(), box = ed.map.getContainer().getBoundingClientRect();
        const x = Math.round(p.x + box.left - rect.left), y = Math.round(p.y + box.top - rect.top);
        return Array.from(canvas.getContext('2d').getImageData(x, y, 1, 1).data); }""", interior(target))
    want = colours[target["properties"]["status"]]
    assert rgba[3] >= 128 and max(abs(a - int(want[i:i + 2], 16)) for a, i in zip(rgba, (1, 3, 5))) <= 3, rgba
    # the names held are the view's (its answer carried them), not every place seen since the page opened
    names = "() => { const large = guatuPage.editors[0].large.courtyards; return [Object.keys(large.names), Object.keys(large.places)]; }"
    held, shown = page.evaluate(names)
    assert target["id"] in held and set(held) >= set(shown)
    elsewhere = max(features, key=lambda f: shapely.distance(shape(f["geometry"]), shape(target["geometry"])))
    move_to(page, interior(elsewhere), 17)
    held_after, shown_after = page.evaluate(names)
    assert elsewhere["id"] in held_after and set(held_after) >= set(shown_after) and target["id"] not in held_after
    assert log.outside == [] and log.console_errors == []


def test_a_click_opens_the_place_whole_and_a_reshape_is_saved(browser, server, campaign_dir):
    page, log = editor_page(browser, server)
    before = store(campaign_dir).get(LAYER, "c-0003")
    move_to(page, interior(before), 17)
    page.mouse.click(*map_point(page, *interior(before)))
    page.wait_for_selector("form.attrs h2:has-text('c-0003')")
    # the place as stored, editable on top; its simplified copy in the view hidden meanwhile
    drawn = page.evaluate("""() => { const ed = guatuPage.editors[0], path = ed.byId['c-0003'];
        return [path instanceof L.Polygon, path.toGeoJSON().geometry, ed.large.courtyards.places['c-0003'].visible]; }""")
    assert drawn[0] is True and drawn[2] is False
    assert shape(drawn[1]).equals_exact(shape(before["geometry"]), 1e-9)
    drag_first_vertex(page)
    page.click("button[data-action=save]")
    page.wait_for_selector(".message-ok")
    after = store(campaign_dir).get(LAYER, "c-0003")
    assert after["properties"]["version"] == before["properties"]["version"] + 1
    assert not shape(after["geometry"]).equals(shape(before["geometry"]))
    # the view was fetched again: its copy of the place has the new outline; the editable shape is the saved one
    page.wait_for_function("""(ring) => { const p = guatuPage.editors[0].large.courtyards.places['c-0003'];
        return p && Math.abs(p.coords[0][0] - ring[0][0]) < 1e-5 && Math.abs(p.coords[0][1] - ring[0][1]) < 1e-5; }""",
                           arg=after["geometry"]["coordinates"][0])
    saved = page.evaluate("() => guatuPage.editors[0].byId['c-0003'].toGeoJSON().geometry")
    assert shape(saved).equals_exact(shape(after["geometry"]), 1e-9)
    page.keyboard.press("Escape")  # closing the form draws the place from the view again
    page.wait_for_function("() => guatuPage.editors[0].large.courtyards.places['c-0003'].visible")
    assert page.evaluate("() => guatuPage.editors[0].byId['c-0003'] === guatuPage.editors[0].large.courtyards.places['c-0003']")
    assert log.console_errors == []


def test_a_box_takes_the_views_places_and_dots_and_sets_their_status(browser, server, campaign_dir):
    page, log = editor_page(browser, server)
    centre = page.evaluate("() => { const c = guatuPage.editors[0].map.getCenter(); return [c.lat, c.lng]; }")
    move_to(page, centre, 12)  # zoomed out: most courtyards too small to see, dots
    view = page.evaluate(VIEW)
    dots = [fid for fid, (dot, _) in view.items() if dot]
    assert dots
    size = page.evaluate("() => { const s = guatuPage.editors[0].map.getSize(); return [s.x, s.y]; }")
    expected = sorted(page.evaluate("""(size) => { const ed = guatuPage.editors[0];
        const box = L.latLngBounds(ed.map.containerPointToLatLng([80, 80]), ed.map.containerPointToLatLng([size[0] - 60, size[1] - 60]));
        return Object.keys(ed.byId).filter(id => box.intersects(ed.byId[id].getBounds()))
            .concat(ed.large.courtyards.idsIn(box).filter(id => !(id in ed.byId))); }""", size))
    assert set(expected) & set(dots)
    box_select(page, size)
    chosen = sorted(page.evaluate("() => Object.keys(guatuPage.editors[0].selection)"))
    assert chosen == expected
    # a selected dot is painted in the selection's blue
    blue = page.evaluate("""(id) => { const large = guatuPage.editors[0].large.courtyards, f = large.field;
        return f.look[f.indexOf(id)] === large.looks['#1565c0']; }""", next(d for d in dots if d in chosen))
    assert blue
    # more than the API takes in one change (its limit, lowered here to 2): refused before anything is sent
    page.evaluate("() => { guatuPage.editors[0].o.bulkLimit = 2; }")
    page.select_option("section.bulk select", "accepted")
    page.click("button[data-action=bulk-apply]")
    page.wait_for_selector(".message-error")
    assert f"一次最多设置 2 处的状态,已选择 {len(chosen)} 处" in page.inner_text(".message")
    assert not any(url.endswith("/status") for url in log.requests)
    page.evaluate("(n) => { guatuPage.editors[0].o.bulkLimit = n; }", 5000)
    set_bulk_status(page, "accepted")
    s = store(campaign_dir)
    layer_of = {f["id"]: lid for lid in ("courtyards", "roads", "villages") for f in s.features(lid)}
    assert {s.get(layer_of[fid], fid)["properties"]["status"] for fid in chosen} == {"accepted"}
    assert log.console_errors == []


def test_a_box_select_takes_a_box_it_meets_though_not_its_centre(browser, server):
    """A place a few pixels across is drawn as a box (wall/dots.js): a rectangle dragged over its edge takes it,
    as it takes an outline it meets; one that stops short of the box leaves it."""
    page, _ = editor_page(browser, server)
    centre = page.evaluate("() => { const c = guatuPage.editors[0].map.getCenter(); return [c.lat, c.lng]; }")
    move_to(page, centre, 13)
    taken = page.evaluate("""() => { const large = guatuPage.editors[0].large.courtyards, f = large.field;
        const i = [...Array(f.n).keys()].find((k) => f.isBox(k) && f.look[k] !== 0);
        const x = f.lngLat[2 * i], y = f.lngLat[2 * i + 1], hx = f.half[2 * i], hy = f.half[2 * i + 1];
        const over = L.latLngBounds([y - hy / 2, x + hx / 2], [y + hy / 2, x + 2 * hx]);  // its east half, not its centre
        const short = L.latLngBounds([y - hy / 2, x + 1.5 * hx], [y + hy / 2, x + 3 * hx]);  // east of it
        return [f.ids[i], large.idsIn(over), large.idsIn(short)]; }""")
    fid, over, short = taken
    assert fid in over and fid not in short


def searches(log, layer_id: str) -> list[str]:
    return [parse_qs(urlsplit(url).query)["q"][-1] for url in log.requests
            if urlsplit(url).path == f"/api/layers/{layer_id}/search"]


def test_search_finds_a_place_outside_the_view_and_opens_it(browser, server, campaign_dir):
    page, log = editor_page(browser, server)
    features = store(campaign_dir).features(LAYER)
    near, far = features[0], max(features, key=lambda f: shape(f["geometry"]).distance(shape(features[0]["geometry"])))
    move_to(page, interior(near), 18)
    assert far["id"] not in page.evaluate(VIEW)
    page.fill("input[name=place-search]", far["properties"]["name"])
    page.wait_for_selector(f"li.search-hit[data-id='{far['id']}']")  # the server found it
    assert searches(log, LAYER) == [far["properties"]["name"]]  # asked once, after the typing paused
    assert not [url for url in log.requests if "part=attributes" in url]  # the layer's names are never loaded
    page.click(f"li.search-hit[data-id='{far['id']}']")
    page.wait_for_selector(f"form.attrs h2:has-text('{far['id']}')")
    # the map went to it, and it is drawn whole there
    inside = page.evaluate("""(id) => { const ed = guatuPage.editors[0];
        return ed.map.getBounds().contains(ed.byId[id].getBounds()); }""", far["id"])
    assert inside
    assert log.console_errors == []


def test_taking_the_other_persons_version_draws_their_outline_to_edit(browser, server, campaign_dir):
    """A stale save of a large layer's place, then 重新载入 (theirs): the shape drawn whole and editable is theirs,
    not the reshape given up."""
    page, log = editor_page(browser, server)
    s = store(campaign_dir)
    before = s.get(LAYER, "c-0003")
    move_to(page, interior(before), 17)
    page.mouse.click(*map_point(page, *interior(before)))
    page.wait_for_selector("form.attrs h2:has-text('c-0003')")
    drag_first_vertex(page)
    ring = [[x + 0.0002, y] for x, y in before["geometry"]["coordinates"][0]]
    theirs = s.update(LAYER, "c-0003", geometry={"type": "Polygon", "coordinates": [ring]},
                      expected_version=before["properties"]["version"], user="李规划")
    page.click("form.attrs button[data-action=save]")
    page.wait_for_selector("button[data-action=reload]")
    page.click("button[data-action=reload]")
    page.wait_for_function("""(ring) => { const g = guatuPage.editors[0].byId['c-0003'].toGeoJSON().geometry;
        return Math.abs(g.coordinates[0][0][0] - ring[0][0]) < 1e-9 && Math.abs(g.coordinates[0][0][1] - ring[0][1]) < 1e-9; }""",
                           arg=theirs.feature["geometry"]["coordinates"][0])
    drawn = page.evaluate("() => guatuPage.editors[0].byId['c-0003'].toGeoJSON().geometry")
    assert shape(drawn).equals_exact(shape(theirs.feature["geometry"]), 1e-9)
    assert store(campaign_dir).get(LAYER, "c-0003")["properties"]["version"] == theirs.feature["properties"]["version"]
    assert [e for e in log.console_errors if "409" not in e] == []  # the refused save is the only error


def test_a_past_day_draws_the_large_layer_in_that_days_statuses(browser, server, campaign_dir, clock):
    """On a past day the large layer stays drawn a view at a time, each place in its status of that day, a place made
    since hidden, a place deleted since counted and said; the small layers come from their as-of GeoJSON; back to
    now, today's statuses again."""
    campaign = load_campaign(campaign_dir)
    s = open_store(campaign_dir, campaign, clock=clock)  # the server's clock: these writes come after the day
    changed, before, after, made = changed_since_the_day(s, campaign, 0.0004)  # made beside it, in the same view
    made = made["id"]
    deleted = s.get(LAYER, "c-0002")
    s.delete(LAYER, "c-0002", expected_version=deleted["properties"]["version"], user="李编")
    colour = {x.key: x.color for x in campaign.statuses}
    page, log = editor_page(browser, server)
    move_to(page, interior(changed), 17)  # places drawn as shapes
    look = """(id) => { const p = guatuPage.editors[0].large.courtyards.places[id];
        return p ? [p.options.fillColor, p.visible] : null; }"""
    assert page.evaluate(look, "c-0001") == [colour[after], True] and page.evaluate(look, made) == [colour[after], True]
    page.fill("section.past input[name=as-of]", "2026-11-23")
    page.click("button[data-action=as-of]")
    page.wait_for_selector(".message-info:has-text('2026-11-23')")
    assert "其中 1 处已于此后删除,未在图上显示" in page.inner_text(".message")
    assert page.evaluate(look, "c-0001") == [colour[before], True]  # that day's status
    assert page.evaluate(look, made)[1] is False  # not made yet
    stood = [f for f in s.features(LAYER) if f["id"] != made]
    assert not any(f"/{LAYER}/as-of/" in url for url in log.requests)  # not loaded whole
    assert any(urlsplit(url).path == "/api/playback" for url in log.requests)
    statuses = page.evaluate("() => guatuPage.editors[0].asOf.statuses")
    assert statuses and not any(fid.startswith("c-") for fid in statuses)  # the small layers' places, from as-of
    # zoomed out, most places are dots: each, dot or shape, in its status of that day, the one made since hidden
    move_to(page, interior(changed), 12)
    drawn = page.evaluate("""() => { const l = guatuPage.editors[0].large.courtyards, f = l.field, out = {};
        const colours = Object.fromEntries(Object.entries(l.looks).map(([c, n]) => [n, c]));
        for (let i = 0; f && i < f.n; i++) out[f.ids[i]] = ["dot", f.look[i] === 0 ? null : colours[f.look[i]]];
        for (const [id, p] of Object.entries(l.places)) out[id] = ["shape", p.visible ? p.options.fillColor : null];
        return out; }""")
    assert "c-0001" in drawn and made in drawn and sum(kind == "dot" for kind, _ in drawn.values()) > 20
    assert drawn["c-0001"][1] == colour[before] and drawn[made][1] is None
    assert all(drawn[f["id"]][1] == colour[f["properties"]["status"]] for f in stood if f["id"] in drawn and f["id"] != "c-0001")
    move_to(page, interior(changed), 17)
    page.evaluate("""() => { const ed = guatuPage.editors[0], select = ed.select;  // counts, then does what it did
        ed.selects = 0; ed.select = function () { ed.selects += 1; return select.apply(this, arguments); }; }""")
    page.mouse.click(*map_point(page, *interior(changed)))  # read-only: a click opens nothing
    assert page.evaluate("() => guatuPage.editors[0].selects") == 0
    assert page.locator("form.attrs h2:has-text('c-0001')").count() == 0
    page.click("button[data-action=box]")  # nor is a box drawn to select, and it says why
    page.wait_for_selector(".message-info:has-text('只读')")
    assert page.evaluate("() => !guatuPage.editors[0].map.pm.globalDrawModeEnabled()")
    opened = page.evaluate("""async () => { const ed = guatuPage.editors[0];  // as a search hit would
        await ed.select('courtyards', 'c-0001'); return !!ed.current; }""")
    assert opened is False and page.locator("form.attrs h2:has-text('c-0001')").count() == 0
    page.click("button[data-action=as-of-exit]")
    assert page.evaluate(look, "c-0001") == [colour[after], True] and page.evaluate(look, made) == [colour[after], True]
    page.mouse.click(*map_point(page, *interior(changed)))  # now it opens
    page.wait_for_selector("form.attrs h2:has-text('c-0001')")
    assert log.console_errors == []


def test_a_search_that_fails_says_so_the_next_asks_again_and_a_deleted_place_is_no_longer_found(browser, server,
                                                                                                   campaign_dir):
    page, log = editor_page(browser, server)
    asked = []

    def once(route, request):  # the first search of the layer fails (a server restarting, a dropped line)
        asked.append(parse_qs(urlsplit(request.url).query)["q"][-1])
        if len(asked) == 1:
            route.fulfill(status=503, body="")
        else:
            route.continue_()

    page.route(lambda url: "/api/layers/courtyards/search" in url, once)
    gone = store(campaign_dir).features(LAYER)[5]
    name = gone["properties"]["name"]
    page.fill("input[name=place-search]", name)
    page.wait_for_selector(".search-status:has-text('查不到')")
    assert asked == [name]
    page.fill("input[name=place-search]", name[:-1])  # the next keystroke asks again; the place is in the view but
    # drawn without its name at this zoom: the server's hit is the one listed
    page.wait_for_selector(f"li.search-hit[data-id='{gone['id']}']")
    page.click(f"li.search-hit[data-id='{gone['id']}']")
    page.wait_for_selector(f"form.attrs h2:has-text('{gone['id']}')")
    page.once("dialog", lambda d: d.accept())
    page.click("form.attrs button[data-action=delete]")
    page.wait_for_selector(".message-ok")
    page.fill("input[name=place-search]", "")
    page.fill("input[name=place-search]", name)
    page.wait_for_selector("#guatu-edit-search-results[aria-busy=false]", state="attached")  # the server answered
    assert asked[-1] == name
    assert page.locator(f"li.search-hit[data-id='{gone['id']}']").count() == 0
    assert [e for e in log.console_errors if "503" not in e] == []


def test_on_a_phone_a_tap_on_a_place_of_the_view_raises_its_form(browser, server, campaign_dir):
    page, log = editor_page(browser, server, touch=True, **PHONE)
    place = store(campaign_dir).get(LAYER, "c-0001")
    move_to(page, interior(place), 17)
    x, y = page.evaluate("""(ll) => { const p = guatuPage.editors[0].map.latLngToContainerPoint(ll);
        const r = guatuPage.editors[0].map.getContainer().getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }""",
                         interior(place))
    page.touchscreen.tap(x, y)
    page.wait_for_selector("form.attrs h2:has-text('c-0001')")
    assert page.evaluate("() => guatuPage.editors[0].byId['c-0001'] instanceof L.Polygon")  # drawn whole, editable
    assert log.console_errors == []
