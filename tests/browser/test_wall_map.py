"""The wall map in a real Chromium, with every outside request blocked."""

from __future__ import annotations

import pytest
import shapely
from shapely.geometry import shape

from geo.config import load_campaign
from geo.store import open_store
from tests.browser.harness import canvas_pixels, copy_demo, live_server, open_page, wait_ready
from tests.conftest import FakeClock

PAYLOADS = [
    "<img src=x onerror=\"window.__xss='img'\">",
    "\"><script>window.__xss='script'</script>",
    "${window.__xss='template'}`;window.__xss='backtick';`",
]


@pytest.fixture(scope="module")
def campaign_dir(tmp_path_factory):
    data = copy_demo(tmp_path_factory.mktemp("wall") / "data")
    campaign = load_campaign(data)
    store = open_store(data, campaign, clock=FakeClock())  # the server's clock (tests/browser/harness.py)
    for i, payload in enumerate(PAYLOADS):
        x = 113.585 + i * 0.004
        store.create("courtyards", {
            "properties": {"name": payload, "kind": "楼院", "status": "pending", "unit": payload,
                           "street": payload, "deadline": "2026-12-31"},
            "geometry": {"type": "Polygon", "coordinates": [[[x, 34.6365], [x + 0.002, 34.6365], [x + 0.002, 34.6385],
                                                             [x, 34.6385], [x, 34.6365]]]},
        }, user="<b>tester</b>")
    return data


@pytest.fixture(scope="module")
def server(campaign_dir):
    with live_server(campaign_dir, GUATU_REFRESH_SECONDS=0) as s:
        yield s


@pytest.fixture(scope="module")
def loaded(browser, server):
    page, log = open_page(browser, server.url)
    wait_ready(page)
    yield page, log
    page.context.close()


def expected_features(campaign_dir):
    campaign = load_campaign(campaign_dir)
    store = open_store(campaign_dir, campaign)
    colours = {s.key: s.color for s in campaign.statuses}
    out = {}
    for layer in campaign.layers:
        for f in store.features(layer.id):
            pt = shapely.point_on_surface(shape(f["geometry"]))
            out[f["id"]] = (layer.id, colours[f["properties"]["status"]], [pt.y, pt.x])
    return out


def test_wall_map_draws_every_feature_offline(loaded, campaign_dir):
    page, log = loaded
    expected = expected_features(campaign_dir)
    drawn = page.evaluate("""() => {
        const wall = window.guatuPage.walls[0];
        const out = {};
        for (const [layerId, group] of Object.entries(wall.layers)) {
            group.eachLayer(l => { out[l.feature.id] = [layerId, l.options.fillColor, l.options.color]; });
        }
        return out;
    }""")
    assert len(expected) > 250
    assert set(drawn) == set(expected)
    for fid, (layer_id, colour, _) in expected.items():
        assert drawn[fid][0] == layer_id
        assert drawn[fid][1] == colour, fid
    assert log.outside == []
    assert log.console_errors == []


def test_each_drawn_fill_has_its_status_colour_on_screen(loaded, campaign_dir):
    """Read the canvas pixel at every feature's interior point, zoomed in on it. Fills of a status drawn
    striped (`hatch`) are left to tests/browser/test_a11y_hatching.py: a pixel may fall on a stripe."""
    page, log = loaded
    striped = {s.color for s in load_campaign(campaign_dir).statuses if s.hatch}
    expected = {fid: f for fid, f in expected_features(campaign_dir).items() if f[1] not in striped}
    assert expected
    pixels = canvas_pixels(page, {fid: pt for fid, (_, _, pt) in expected.items()})
    wrong = {}
    for fid, (_, colour, _) in expected.items():
        r, g, b, a = pixels[fid]
        want = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
        if a < 128 or max(abs(r - want[0]), abs(g - want[1]), abs(b - want[2])) > 3:
            wrong[fid] = (colour, (r, g, b, a))
    assert wrong == {}
    assert log.console_errors == []


def test_legend_counts_every_status(loaded, campaign_dir):
    page, _ = loaded
    campaign = load_campaign(campaign_dir)
    store = open_store(campaign_dir, campaign)
    counts = {s.key: 0 for s in campaign.statuses}
    for layer in campaign.layers:
        for f in store.features(layer.id):
            counts[f["properties"]["status"]] += 1
    shown = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.guatu-legend li')]
        .map(li => [li.dataset.status, [li.querySelector('.guatu-legend-label').textContent,
                                        Number(li.querySelector('.guatu-legend-count').textContent)]]))""")
    assert shown == {s.key: [s.label, counts[s.key]] for s in campaign.statuses}
    assert "二七区" in page.locator(".guatu-title h1").inner_text()


def test_html_in_a_feature_name_executes_nothing(loaded, campaign_dir):
    page, log = loaded
    page.evaluate("() => window.guatuPage.walls[0].loadAttributes()")  # names are fetched when first needed
    fids = page.evaluate("""(payloads) => {
        const wall = window.guatuPage.walls[0];
        return Object.values(wall.byId).filter(l => payloads.includes(l.feature.properties.name)).map(l => l.feature.id);
    }""", PAYLOADS)
    assert len(fids) == len(PAYLOADS)
    for fid in fids:
        # hover the place (tooltip) and open its card, as a person would
        x, y = page.evaluate("""(fid) => {
            const wall = window.guatuPage.walls[0];
            const layer = wall.byId[fid];
            wall.select(layer.guatuLayer, fid);
            const p = wall.map.latLngToContainerPoint(layer.guatuLabel);
            const box = wall.map.getContainer().getBoundingClientRect();
            return [p.x + box.left, p.y + box.top];
        }""", fid)
        page.mouse.move(x, y)
        page.mouse.move(x + 1, y + 1)
        name = page.evaluate("(fid) => window.guatuPage.walls[0].byId[fid].feature.properties.name", fid)
        tooltip = page.locator(".guatu-tooltip").last
        assert name in tooltip.inner_text()
        assert tooltip.locator("img, script").count() == 0
        card = page.locator(f".guatu-place-card[data-id='{fid}'] .guatu-card-where")
        card.wait_for()
        assert name in page.locator(".guatu-place-card").inner_text()
        assert page.locator(".guatu-place-card").locator("img, script").count() == 0
    assert page.evaluate("() => window.__xss") is None
    assert not [u for u in log.requests if u.rstrip("/").endswith("/x")]
    assert log.outside == []
    assert log.console_errors == []
