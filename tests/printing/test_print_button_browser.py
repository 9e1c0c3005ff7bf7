"""The wall map's 打印 button, its print dialog and the print stylesheet, in a real Chromium with outside
requests blocked: at 4K on the wall, at 390 px with touch, from the keyboard, and in the editor."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.harness import PHONE, copy_demo, live_server, open_page, wait_ready

pytestmark = pytest.mark.browser
PASSWORD = "a long password"


def _query(page, selector: str) -> tuple[str, dict[str, list[str]]]:
    url = urlsplit(page.locator(selector).get_attribute("href"))
    return url.path, parse_qs(url.query)


def test_the_print_dialog_on_a_4k_wall_prints_the_view_and_an_area(tmp_path, browser):
    data = copy_demo(tmp_path / "data")
    with live_server(data, GUATU_REFRESH_SECONDS=0) as server:
        page, log = open_page(browser, server.url, width=3840, height=2160)
        wait_ready(page)
        button = page.locator(".guatu-print-control button.guatu-print-open")
        button.wait_for(state="visible", timeout=10_000)
        assert button.inner_text() == "打印"
        box = button.bounding_box()
        assert box["x"] > 3840 / 2 and box["y"] < 2160 / 2  # top right
        button.click()
        dialog = page.locator("dialog.guatu-print-dialog")
        dialog.wait_for(state="visible")
        assert dialog.locator("h2").inner_text() == "打印地图"
        assert page.locator("select[name=paper] option").all_inner_texts() == ["A4", "A3", "A2", "A1", "A0"]
        # the defaults: the current view, A3 landscape, legend and locator on, no photo strip, today's date
        page.wait_for_function("() => document.querySelector('input[name=date]').value === '2026-11-24'")
        view = page.evaluate("() => { const b = guatuPage.walls[0].map.getBounds();"
                             " return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; }")
        path, query = _query(page, "a.guatu-print-go")
        assert path == "/print"
        assert query["paper"] == ["A3"] and query["orientation"] == ["landscape"] and query["format"] == ["pdf"]
        assert query["legend"] == ["1"] and query["locator"] == ["1"] and "photos" not in query
        assert [float(v) for v in query["bbox"][0].split(",")] == pytest.approx(view, abs=1e-5)

        # an area: A1 portrait, one sub-district's community, two statuses, a title, no legend, with photos
        page.select_option("select[name=paper]", "A1")
        page.select_option("select[name=orientation]", "portrait")
        page.check("input[name=scope][value=area]")
        page.select_option("select[name=street]", "大学路街道")
        page.select_option("select[name=community]", "金桥社区")
        for status in ("unsurveyed", "in_progress", "rectified", "accepted"):
            page.uncheck(f"input[name=statuses][value={status}]")
        page.fill("input[name=title]", "金桥社区 <专题> 图")
        page.uncheck("input[name=contents][value=legend]")
        page.check("input[name=contents][value=photos]")
        path, query = _query(page, "a.guatu-print-go")
        assert "bbox" not in query
        assert query["paper"] == ["A1"] and query["orientation"] == ["portrait"]
        assert query["street"] == ["大学路街道"] and query["community"] == ["金桥社区"]
        assert query["status"] == ["pending,relapsed"] and "layers" not in query
        assert query["title"] == ["金桥社区 <专题> 图"] and query["legend"] == ["0"] and query["photos"] == ["1"]
        href = page.locator("a.guatu-print-go").get_attribute("href")
        resp = page.request.get(href.replace("paper=A1", "paper=A4"))  # the same print, on smaller paper
        assert resp.status == 200 and resp.headers["content-type"] == "application/pdf"

        # the atlas link: a page per community, on the dialog's paper
        page.check("input[name=by][value=community]")
        path, query = _query(page, "a.guatu-print-atlas")
        assert path == "/print/atlas.pdf" and query["by"] == ["community"] and query["paper"] == ["A1"]

        # nothing to print: no link, and the dialog says why
        for layer in page.eval_on_selector_all("input[name=layers]", "els => els.map(e => e.value)"):
            page.uncheck(f"input[name=layers][value={layer}]")
        assert page.locator("a.guatu-print-go").get_attribute("href") is None
        assert page.locator(".guatu-print-warning").inner_text() == "请至少选择一个图层和一种状态"

        page.click("button.guatu-print-cancel")
        dialog.wait_for(state="hidden")
        page.emulate_media(media="print")
        hidden = page.evaluate("() => ['.leaflet-control-zoom', '.guatu-print-control']"
                               ".map(s => getComputedStyle(document.querySelector(s)).display)")
        assert hidden == ["none", "none"]
        shown = page.evaluate("() => ['.guatu-title', '.guatu-legend']"
                              ".map(s => getComputedStyle(document.querySelector(s)).display)")
        assert "none" not in shown
        assert log.outside == [] and log.console_errors == []


def test_the_print_dialog_works_from_the_keyboard_and_esc_returns_focus(tmp_path, browser):
    data = copy_demo(tmp_path / "data")
    with live_server(data, GUATU_REFRESH_SECONDS=0) as server:
        page, log = open_page(browser, server.url)
        wait_ready(page)
        button = page.locator("button.guatu-print-open")
        button.focus()
        page.keyboard.press("Enter")
        page.locator("dialog.guatu-print-dialog").wait_for(state="visible")
        assert page.evaluate("() => document.activeElement.name") == "paper"
        page.keyboard.press("ArrowDown")  # A3 → A2
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.name") == "orientation"
        assert parse_qs(urlsplit(page.locator("a.guatu-print-go").get_attribute("href")).query)["paper"] == ["A2"]
        page.keyboard.press("Escape")
        page.locator("dialog.guatu-print-dialog").wait_for(state="hidden")
        assert page.evaluate("() => document.activeElement.classList.contains('guatu-print-open')")
        assert log.outside == [] and log.console_errors == []


def test_the_print_dialog_fits_a_phone_and_is_worked_by_touch(tmp_path, browser):
    data = copy_demo(tmp_path / "data")
    with live_server(data, GUATU_REFRESH_SECONDS=0) as server:
        page, log = open_page(browser, server.url, width=PHONE["width"], height=PHONE["height"], touch=True)
        wait_ready(page)
        page.locator("button.guatu-print-open").tap()
        dialog = page.locator("dialog.guatu-print-dialog")
        dialog.wait_for(state="visible")
        box = dialog.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        assert box["height"] <= PHONE["height"]
        assert page.evaluate("() => document.querySelector('dialog').scrollWidth <= "
                             "document.querySelector('dialog').clientWidth")  # nothing cut off sideways
        page.locator("label.guatu-print-choice", has_text="按街道").tap()
        page.select_option("select[name=street]", "福华街街道")
        go = page.locator("a.guatu-print-go")
        go.scroll_into_view_if_needed()
        assert go.bounding_box()["height"] >= 44  # big enough for a finger
        for control in page.locator("dialog select, dialog input[type=text], dialog input[type=date]").all():
            assert control.bounding_box()["height"] >= 44
        query = parse_qs(urlsplit(go.get_attribute("href")).query)
        assert query["street"] == ["福华街街道"]
        resp = page.request.get(go.get_attribute("href"))
        assert resp.status == 200
        assert log.outside == [] and log.console_errors == []


def test_the_editor_has_the_same_print_dialog(tmp_path, browser):
    data = copy_demo(tmp_path / "data")
    with live_server(data, GUATU_PUBLIC_VIEW=False, GUATU_REFRESH_SECONDS=0) as server:
        server.app.extensions["guatu_accounts"].create_user("planner1", PASSWORD, "editor", "张规划")
        page, log = open_page(browser, server.url, "/login?next=/edit")
        page.fill("input[name=username]", "planner1")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        wait_ready(page)
        page.locator("button.guatu-print-open").click()
        page.locator("dialog.guatu-print-dialog").wait_for(state="visible")
        labels = page.locator("input[name=layers]").evaluate_all("els => els.map(e => e.parentNode.textContent)")
        assert len(labels) >= 3
        resp = page.request.get(page.locator("a.guatu-print-go").get_attribute("href").replace("A3", "A4"))
        assert resp.status == 200 and resp.headers["content-type"] == "application/pdf"
        assert log.outside == [] and log.console_errors == []
