"""The wall from the keyboard and for a screen reader, on a 4K wall and on a phone.

Search results are a listbox the arrow keys move through; Enter opens the chosen place's card and Escape
closes it, putting the focus back where it was; the overdue, overnight and 督导 rows are buttons reached by
Tab and chosen by Enter (the phone's search options by a tap); the zoom buttons and the map are named in
Chinese; the page says it is Chinese and lets a phone pinch-zoom.
"""

from __future__ import annotations

import base64
import json
import urllib.request

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from geo.messages import t
from tests.browser.harness import copy_demo, live_server, open_page, open_phone_page, wait_ready

EDITOR = ("planner1", "a long password")
DAY = "2026-11-24"  # the test clock's day (tests/conftest.py FakeClock)
FOURK = {"width": 1920, "height": 1080, "scale": 2}  # 3840×2160 device pixels


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The demo in public view, with today's inspection list of ten drawn."""
    data = copy_demo(tmp_path_factory.mktemp("keyboard") / "data")
    with live_server(data) as s:
        s.app.extensions["guatu_accounts"].create_user(EDITOR[0], EDITOR[1], "editor")
        auth = base64.b64encode(f"{EDITOR[0]}:{EDITOR[1]}".encode()).decode()
        req = urllib.request.Request(s.url + f"/api/inspections/{DAY}", method="POST",
                                     data=json.dumps({"count": 10, "seed": 7}).encode(),
                                     headers={"Content-Type": "application/json", "Authorization": f"Basic {auth}"})
        with urllib.request.urlopen(req, timeout=10):
            pass
        yield s


def _focused(page) -> str:
    return page.evaluate("() => { const a = document.activeElement; return a.className + '|' + (a.dataset.id || ''); }")


def test_search_results_are_a_listbox_walked_by_the_arrow_keys(browser, server):
    page, log = open_page(browser, server.url, "/", **FOURK)
    wait_ready(page)
    box = page.get_by_role("combobox", name=t("wall.search.placeholder"))
    box.fill("兑周")
    listbox = page.get_by_role("listbox", name=t("wall.search.results"))
    options = listbox.get_by_role("option")
    options.nth(1).wait_for()  # names arrive with the first search
    assert box.get_attribute("aria-expanded") == "true"
    box.press("ArrowDown")
    box.press("ArrowDown")
    second = options.nth(1)
    assert second.get_attribute("aria-selected") == "true"
    assert options.first.get_attribute("aria-selected") == "false"
    assert box.get_attribute("aria-activedescendant") == second.get_attribute("id")
    box.press("ArrowUp")
    assert options.first.get_attribute("aria-selected") == "true"
    box.press("ArrowDown")
    fid = second.get_attribute("data-id")
    box.press("Enter")
    card = page.locator(f".guatu-place-card[data-id='{fid}']")
    card.locator(".guatu-card-where").wait_for()
    assert page.get_by_role("dialog", name=t("wall.card.label")).is_visible()
    assert box.get_attribute("aria-expanded") == "false"
    assert log.console_errors == [] and log.outside == []
    page.context.close()


def test_escape_closes_the_card_and_the_focus_goes_back(browser, server):
    page, _ = open_page(browser, server.url, "/", **FOURK)
    wait_ready(page)
    box = page.locator(".guatu-search-input")
    box.fill("康复前街")
    page.locator(".guatu-search-hit").first.wait_for()
    box.press("Enter")
    card = page.locator(".guatu-place-card")
    card.locator(".guatu-card-where").wait_for()
    card.locator(".guatu-card-close").focus()  # the reader went into the card
    page.keyboard.press("Escape")
    card.wait_for(state="hidden")
    assert "guatu-search-input" in _focused(page)
    page.context.close()


@pytest.mark.parametrize("rows", [".guatu-alerts", ".guatu-insp-list"], ids=["overdue-overnight", "inspections"])
def test_list_rows_are_buttons_chosen_from_the_keyboard(browser, server, rows):
    page, _ = open_page(browser, server.url, "/wall?refresh=0", **FOURK)
    wait_ready(page)
    row = page.locator(f"{rows} > li > button").first
    row.wait_for(state="attached")
    for _ in range(8):  # the list may wait on another of the dashboard's screens: its button shows the next
        try:
            row.wait_for(timeout=3_000)
            break
        except PlaywrightTimeout:
            page.locator(".guatu-dash-sheet").click()
    row.wait_for()
    fid = row.get_attribute("data-id")
    assert row.get_attribute("type") == "button"
    row.focus()
    assert _focused(page).endswith("|" + fid)
    page.keyboard.press("Enter")
    page.locator(f".guatu-place-card[data-id='{fid}'] .guatu-card-where").wait_for()
    page.keyboard.press("Escape")
    page.locator(".guatu-place-card").wait_for(state="hidden")
    assert _focused(page).endswith("|" + fid)  # back on the row it was opened from
    page.context.close()


def test_zoom_buttons_and_the_map_are_named_in_chinese(browser, server):
    page, _ = open_page(browser, server.url, "/", **FOURK)
    wait_ready(page)
    assert page.get_by_role("button", name=t("wall.zoom_in")).is_visible()
    assert page.get_by_role("button", name=t("wall.zoom_out")).is_visible()
    assert page.locator(".leaflet-control-zoom-in").get_attribute("title") == t("wall.zoom_in")
    assert page.get_by_role("region", name=t("wall.map_label")).count() == 1
    page.context.close()


def test_on_a_phone_the_wall_is_chinese_zoomable_and_its_search_options_open_by_a_tap(browser, server):
    page, log = open_phone_page(browser, server.url, "/")
    wait_ready(page)
    assert page.evaluate("() => document.documentElement.lang") == "zh-CN"
    viewport = page.locator("meta[name=viewport]").get_attribute("content")
    assert "user-scalable" not in viewport and "maximum-scale" not in viewport
    page.get_by_role("combobox", name=t("wall.search.placeholder")).fill("兑周")
    option = page.get_by_role("option").nth(1)
    option.wait_for()
    fid = option.get_attribute("data-id")
    option.tap()
    page.locator(f".guatu-place-card[data-id='{fid}'] .guatu-card-where").wait_for()
    page.get_by_role("button", name=t("wall.card.close")).tap()
    page.locator(".guatu-place-card").wait_for(state="hidden")
    assert log.console_errors == [] and log.outside == []
    page.context.close()
