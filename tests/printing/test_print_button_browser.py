"""The wall map's 打印 button and print stylesheet, in a real Chromium with outside requests blocked."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.harness import copy_demo, live_server, open_page, wait_ready

pytestmark = pytest.mark.browser


def test_print_button_opens_the_current_view_as_a_pdf_and_print_media_hides_the_controls(tmp_path, browser):
    data = copy_demo(tmp_path / "data")
    with live_server(data, GUATU_REFRESH_SECONDS=0) as server:
        page, log = open_page(browser, server.url, width=1400, height=900)
        wait_ready(page)
        link = page.locator(".guatu-print-control a.guatu-print-link")
        link.wait_for(state="visible", timeout=10_000)
        assert link.inner_text() == "打印"
        box = link.bounding_box()
        assert box["x"] > 1400 / 2 and box["y"] < 900 / 2  # top right
        view = page.evaluate("() => { const b = guatuPage.walls[0].map.getBounds();"
                             " return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; }")
        href = link.get_attribute("href")
        url = urlsplit(href)
        assert url.path == "/print"
        query = parse_qs(url.query)
        assert query["format"] == ["pdf"] and query["paper"] == ["A3"]
        assert [float(v) for v in query["bbox"][0].split(",")] == pytest.approx(view, abs=1e-5)
        resp = page.request.get(href)
        assert resp.status == 200 and resp.headers["content-type"] == "application/pdf"
        assert resp.body().startswith(b"%PDF")
        with_photos = page.locator(".guatu-print-control a.guatu-print-photos")
        assert with_photos.inner_text() == "含照片"
        photos_query = parse_qs(urlsplit(with_photos.get_attribute("href")).query)
        assert photos_query == {**query, "photos": ["1"]}

        page.emulate_media(media="print")
        hidden = page.evaluate("() => ['.leaflet-control-zoom', '.guatu-print-control']"
                               ".map(s => getComputedStyle(document.querySelector(s)).display)")
        assert hidden == ["none", "none"]
        shown = page.evaluate("() => ['.guatu-title', '.guatu-legend']"
                              ".map(s => getComputedStyle(document.querySelector(s)).display)")
        assert "none" not in shown
        assert log.outside == [] and log.console_errors == []
