"""The 一点一档 link on a place's card, in a real Chromium: an editor's card has it and it opens the PDF;
a viewer's card has none."""

from __future__ import annotations

import pytest

from tests.browser.harness import copy_demo, live_server, open_page, wait_ready
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.browser

OPEN_CARD = """(fid) => {
    const wall = window.guatuPage.walls[0];
    return wall.loadAttributes().then(() => { const layer = wall.byId[fid]; wall.select(layer.guatuLayer, fid); });
}"""


def _login(page, url, user):
    page.goto(f"{url}/login?next=/")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")


def test_an_editors_card_links_to_the_place_dossier_and_a_viewers_does_not(tmp_path, browser):
    with live_server(copy_demo(tmp_path / "data"), GUATU_REFRESH_SECONDS=0) as server:
        server.app.extensions["guatu_accounts"].create_user("planner", PASSWORD, "editor", "李编")
        viewer, viewer_log = open_page(browser, server.url, "/")
        wait_ready(viewer)
        viewer.evaluate(OPEN_CARD, "r-0001")
        viewer.locator(".guatu-place-card[data-id='r-0001'] .guatu-card-where").wait_for()
        assert viewer.locator(".guatu-card-dossier").count() == 0

        page, log = open_page(browser, server.url, "/login")
        _login(page, server.url, "planner")
        wait_ready(page)
        page.evaluate(OPEN_CARD, "r-0001")
        link = page.locator(".guatu-place-card[data-id='r-0001'] a.guatu-card-dossier")
        link.wait_for()
        assert link.inner_text() == "打印一点一档(PDF)"
        assert link.get_attribute("href") == "/places/roads/r-0001.pdf"
        resp = page.request.get(server.url + link.get_attribute("href"))
        assert resp.status == 200 and resp.headers["content-type"] == "application/pdf"
        assert resp.body().startswith(b"%PDF")
        assert log.outside == [] and log.console_errors == []
        assert viewer_log.outside == [] and viewer_log.console_errors == []
