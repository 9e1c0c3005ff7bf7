"""The wall's dashboard (top right) and the map's attribution (bottom right) never overlap: at 4K, where the
dashboard fills the screen's height, and on a 1080p screen."""

from __future__ import annotations

import pytest

from tests.browser.harness import copy_demo, live_server, open_page, wait_ready


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with live_server(copy_demo(tmp_path_factory.mktemp("attribution") / "data")) as s:
        yield s


def _boxes(page) -> dict[str, dict[str, float]]:
    return page.evaluate("""() => Object.fromEntries(['.guatu-dashboard', '.leaflet-control-attribution'].map(s => {
        const r = document.querySelector(s).getBoundingClientRect();
        return [s, {left: r.left, top: r.top, right: r.right, bottom: r.bottom}];
    }))""")


@pytest.mark.parametrize("size", [(3840, 2160), (1920, 1080)])
def test_the_dashboard_stops_short_of_the_attribution(browser, server, size):
    page, log = open_page(browser, server.url, "/wall?refresh=0", width=size[0], height=size[1])
    wait_ready(page)
    page.wait_for_selector(".guatu-dashboard .guatu-dash-table td")  # filled: as tall as it will get
    boxes = _boxes(page)
    dash, attribution = boxes[".guatu-dashboard"], boxes[".leaflet-control-attribution"]
    assert page.locator(".leaflet-control-attribution").is_visible()
    assert dash["bottom"] - dash["top"] > size[1] * 0.5  # the dashboard does fill the screen's height
    assert dash["right"] > attribution["left"]  # the two share the right edge: only height keeps them apart
    assert dash["bottom"] <= attribution["top"], boxes
    assert attribution["bottom"] <= size[1] and dash["top"] >= 0
    assert log.outside == [] and log.console_errors == []
    page.context.close()
