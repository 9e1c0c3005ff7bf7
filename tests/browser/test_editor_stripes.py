"""The editor's map shows the palette's cue besides colour as the wall does: places of a status marked `hatch`
(the demo's 待整改 and 反弹) are filled with stripes, and roads drawn as lines in such a status are dashed; the
other statuses stay one flat colour and one solid line."""

from __future__ import annotations

import json

import pytest
from shapely.geometry import shape

from geo.config import load_campaign
from geo.store import open_store
from tests.browser.editor_session import editor_page, planners_server
from tests.browser.harness import copy_demo
from tests.conftest import FakeClock

LINE_Y = {"pending": 34.6600, "in_progress": 34.6595}  # two roads drawn as lines, south of the places
LINE_X = (113.6000, 113.6050)

_SAMPLE_JS = """async ([latlng, size, zoom]) => {
    const editor = window.guatuPage.editors[0];
    const map = editor.map;
    map.setView(latlng, zoom, {animate: false});
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    const canvas = editor.renderer._container;
    const rect = canvas.getBoundingClientRect();
    const p = map.latLngToContainerPoint(latlng);
    const mapRect = map.getContainer().getBoundingClientRect();
    const sx = canvas.width / rect.width, sy = canvas.height / rect.height;
    const x = Math.round((p.x + mapRect.left - rect.left - size[0] / 2) * sx);
    const y = Math.round((p.y + mapRect.top - rect.top - size[1] / 2) * sy);
    const data = canvas.getContext('2d').getImageData(x, y, Math.max(1, Math.round(size[0] * sx)),
                                                      Math.max(1, Math.round(size[1] * sy))).data;
    const out = [];
    for (let i = 0; i < data.length; i += 4) out.push([data[i], data[i + 1], data[i + 2], data[i + 3]]);
    return out;
}"""


@pytest.fixture(scope="module")
def campaign_dir(tmp_path_factory):
    folder = copy_demo(tmp_path_factory.mktemp("editor-stripes") / "data")
    store = open_store(folder, load_campaign(folder))
    for status, y in LINE_Y.items():
        store.create("roads", {"type": "Feature", "properties": {"name": f"测试路{status}", "kind": "道路", "status": status},
                               "geometry": {"type": "LineString", "coordinates": [[LINE_X[0], y], [LINE_X[1], y]]}},
                     user="测试")
    store.close()
    return folder


@pytest.fixture(scope="module")
def server(campaign_dir):
    with planners_server(campaign_dir, FakeClock()) as s:
        yield s


def _largest_place(campaign_dir, status: str) -> list[float]:
    features = json.loads((campaign_dir / "layers" / "courtyards.geojson").read_text(encoding="utf-8"))["features"]
    shapes = [shape(f["geometry"]) for f in features if f["properties"].get("status") == status]
    x, y = max(shapes, key=lambda g: g.area).representative_point().coords[0]
    return [y, x]


def _spread(pixels) -> int:
    sums = [sum(p[:3]) for p in pixels]
    return max(sums) - min(sums)


@pytest.mark.parametrize("size", [{"width": 1920, "height": 1080}, {"width": 3840, "height": 2160}])
def test_hatched_statuses_are_striped_on_the_editors_map(browser, server, campaign_dir, size):
    campaign = load_campaign(campaign_dir)
    assert {s.key for s in campaign.statuses if s.hatch} == {"pending", "relapsed"}
    page, log = editor_page(browser, server, **size)
    page.wait_for_function("() => window.guatuPage.editors[0] && "
                           "Object.keys(window.guatuPage.editors[0].byId).length > 300")
    spread = {status: _spread(page.evaluate(_SAMPLE_JS, [_largest_place(campaign_dir, status), [14, 14], 19]))
              for status in ("pending", "relapsed", "in_progress", "accepted")}
    assert spread["pending"] > 150 and spread["relapsed"] > 150, spread  # stripes in a contrasting ink
    assert spread["in_progress"] < 40 and spread["accepted"] < 40, spread  # one flat fill
    assert log.console_errors == [] and log.outside == []
    page.context.close()


def test_a_road_drawn_as_a_line_is_dashed_in_a_hatched_status_and_solid_otherwise(browser, server):
    page, log = editor_page(browser, server, width=1600, height=1000)
    page.wait_for_function("() => window.guatuPage.editors[0] && "
                           "Object.keys(window.guatuPage.editors[0].byId).length > 300")
    centre_x = (LINE_X[0] + LINE_X[1]) / 2
    drawn = {}
    for status, y in LINE_Y.items():  # a strip 300 px long along the line's middle, one pixel high
        pixels = page.evaluate(_SAMPLE_JS, [[y, centre_x], [300, 1], 17])
        drawn[status] = sum(1 for p in pixels if p[3] > 200) / len(pixels)  # share of the strip the line covers
    assert 0.45 < drawn["pending"] < 0.8, drawn  # dashes: drawn, left out, drawn …
    assert drawn["in_progress"] > 0.97, drawn  # one solid line
    assert log.console_errors == []
    page.context.close()
