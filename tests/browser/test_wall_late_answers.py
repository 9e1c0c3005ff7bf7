"""Answers that come late or not at all on a 4K wall in a real Chromium: a place's card that failed after another
place was chosen leaves the other's card as it is; a large layer's place found by name that cannot be opened says so
on the wall (until a place is opened) instead of doing nothing, but not when another place was opened since."""

from __future__ import annotations

from tests.browser.harness import demo_with_map, live_server, open_page, wait_ready

WIDTH, HEIGHT = 3840, 2160


def test_a_card_that_failed_after_another_place_was_chosen_leaves_the_others_card(browser, tmp_path):
    data = demo_with_map(tmp_path / "data")
    with live_server(data, GUATU_REFRESH_SECONDS=0) as server:
        page, log = open_page(browser, server.url, "/wall", width=WIDTH, height=HEIGHT)
        wait_ready(page)
        held = []
        page.route("**/api/wall/place/courtyards/c-0001*", lambda route: held.append(route))  # held back by the test
        page.evaluate("() => window.guatuPage.walls[0].select('courtyards', 'c-0001')")
        page.wait_for_function("() => document.querySelector('.guatu-place-card').dataset.id === 'c-0001'")
        page.evaluate("() => window.guatuPage.walls[0].select('courtyards', 'c-0002')")
        page.locator(".guatu-place-card[data-id='c-0002'] .guatu-card-where").wait_for()
        card = page.inner_text(".guatu-place-card")
        assert len(held) == 1
        held[0].fulfill(status=503, content_type="application/json", body='{"message": "忙"}')
        page.wait_for_function("() => window.guatuPage.walls[0].errors.some(e => e.includes('503'))")
        assert page.inner_text(".guatu-place-card") == card and "读取失败" not in card
        page.context.close()


def test_a_place_found_by_name_that_cannot_be_opened_says_so_until_a_place_is_opened(browser, tmp_path):
    data = demo_with_map(tmp_path / "data", viewport_above=50)  # the courtyards drawn a view at a time
    with live_server(data, GUATU_REFRESH_SECONDS=0) as server:
        page, log = open_page(browser, server.url, "/wall", width=WIDTH, height=HEIGHT)
        wait_ready(page)
        far = "c-0001"  # found by name: the wall asks for where it is, then flies there (drawn or not)
        page.route(f"**/api/wall/place/courtyards/{far}*",
                   lambda route: route.fulfill(status=503, content_type="application/json", body='{"message": "忙"}'))
        page.evaluate("(id) => window.guatuPage.walls[0].selectOffScreen('courtyards', id)", far)
        banner = page.locator(".guatu-banner")
        banner.wait_for()
        assert banner.inner_text() == "未能打开该地点,请稍后再试"
        page.unroute(f"**/api/wall/place/courtyards/{far}*")
        page.evaluate("(id) => window.guatuPage.walls[0].selectOffScreen('courtyards', id)", far)
        page.wait_for_function("(id) => document.documentElement.dataset.guatuSelected === id", arg=far)
        assert banner.is_hidden()

        # a refusal that comes after another place was opened: that place stands, nothing is said
        held = []
        page.route("**/api/wall/place/courtyards/c-0003*", lambda route: held.append(route))
        page.evaluate("() => window.guatuPage.walls[0].selectOffScreen('courtyards', 'c-0003')")
        page.evaluate("() => window.guatuPage.walls[0].selectOffScreen('courtyards', 'c-0002')")
        page.wait_for_function("() => document.documentElement.dataset.guatuSelected === 'c-0002'")
        assert len(held) == 1
        held[0].fulfill(status=503, content_type="application/json", body='{"message": "忙"}')
        page.wait_for_function("() => window.guatuPage.walls[0].errors.some(e => e.includes('c-0003'))")
        assert banner.is_hidden()
        page.context.close()
