"""A cue besides colour on the wall: the statuses marked `hatch` (the demo's 待整改 and 反弹) are drawn with
diagonal stripes, in the legend too, so a colour-blind reader or a greyscale screen still tells them apart."""

from __future__ import annotations

import json

import pytest
from shapely.geometry import shape

from geo.config import load_campaign
from tests.browser.harness import copy_demo, live_server, open_page, wait_ready

FOURK = {"width": 1920, "height": 1080, "scale": 2}  # 3840×2160 device pixels
PATCH = 14  # CSS px square sampled inside a place

_PATCH_JS = """async ([latlng, size]) => {
    const map = window.guatuPage.walls[0].map;
    map.setView(latlng, 19, {animate: false});
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    const canvas = map.getPane('guatu-features').querySelector('canvas');
    const rect = canvas.getBoundingClientRect();
    const mapRect = map.getContainer().getBoundingClientRect();
    const p = map.latLngToContainerPoint(latlng);
    const sx = canvas.width / rect.width, sy = canvas.height / rect.height;
    const x = Math.round((p.x + mapRect.left - rect.left - size / 2) * sx);
    const y = Math.round((p.y + mapRect.top - rect.top - size / 2) * sy);
    const data = canvas.getContext('2d').getImageData(x, y, Math.round(size * sx), Math.round(size * sy)).data;
    const out = [];
    for (let i = 0; i < data.length; i += 4) out.push([data[i], data[i + 1], data[i + 2]]);
    return out;
}"""


@pytest.fixture(scope="module")
def campaign_dir(tmp_path_factory):
    return copy_demo(tmp_path_factory.mktemp("hatching") / "data")


@pytest.fixture(scope="module")
def server(campaign_dir):
    with live_server(campaign_dir) as s:
        yield s


def _largest_place(campaign_dir, status: str) -> tuple[float, float]:
    """A point inside the demo's largest courtyard of `status`, as [lat, lon]."""
    features = json.loads((campaign_dir / "layers" / "courtyards.geojson").read_text(encoding="utf-8"))["features"]
    shapes = [shape(f["geometry"]) for f in features if f["properties"].get("status") == status]
    x, y = max(shapes, key=lambda g: g.area).representative_point().coords[0]
    return [y, x]


def _spread(pixels: list[list[int]]) -> int:
    """How far apart the lightest and darkest pixels of a patch are (sum of R, G and B)."""
    sums = [sum(p) for p in pixels]
    return max(sums) - min(sums)


def test_hatched_statuses_are_striped_and_the_others_plain(browser, server, campaign_dir):
    campaign = load_campaign(campaign_dir)
    hatched = {s.key for s in campaign.statuses if s.hatch}
    assert hatched == {"pending", "relapsed"}
    page, log = open_page(browser, server.url, "/", **FOURK)
    wait_ready(page)
    spread = {status: _spread(page.evaluate(_PATCH_JS, [_largest_place(campaign_dir, status), PATCH]))
              for status in ("pending", "relapsed", "in_progress", "accepted")}
    assert spread["pending"] > 150 and spread["relapsed"] > 150, spread  # stripes in a contrasting ink
    assert spread["in_progress"] < 40 and spread["accepted"] < 40, spread  # one flat fill
    assert log.console_errors == [] and log.outside == []
    page.context.close()


def test_the_legend_shows_the_same_stripes(browser, server):
    page, _ = open_page(browser, server.url, "/", **FOURK)
    wait_ready(page)
    striped = page.eval_on_selector_all(
        ".guatu-legend li", "items => items.filter(li => getComputedStyle(li.querySelector('.guatu-swatch'))"
                            ".backgroundImage.includes('repeating-linear-gradient')).map(li => li.dataset.status)")
    assert sorted(striped) == ["pending", "relapsed"]
    page.context.close()
