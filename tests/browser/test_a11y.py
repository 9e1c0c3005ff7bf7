"""Every page passes axe-core with no serious or critical violation, on a desk screen and on a phone.

axe-core (pinned in package.json, vendored by web/core/assets.py) is injected by the test from the app's own
static folder after the page has loaded — no page of the app loads it. The pages are the phone test's list
(tests/browser/test_phone_layout.py PAGES), each at 1920×1080 and at 390×844 with touch, logged in as the
list says. A page drawn by its scripts (the wall, the editor) is checked once it says it is ready.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Page

from tests.browser.harness import open_page, wait_ready
from tests.browser.test_phone_layout import MAP_PAGES, PAGES, PASSWORD
from tests.browser.test_phone_layout import server as server  # noqa: PLC0414 - the demo behind a login, shared

DESK = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}
BLOCKING = ("serious", "critical")


def axe_violations(page: Page, base_url: str) -> list[dict]:
    """axe-core's violations of the page as it stands, serious or critical, each with the elements it names."""
    page.add_script_tag(url=base_url + "/static/vendor/axe-core/axe.min.js")
    found = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
    }""")
    return [v for v in found if v["impact"] in BLOCKING]


def visit(browser, server_url: str, path: str, user: str | None, size: dict) -> Page:
    page, log = open_page(browser, server_url, f"/login?next={quote(path)}" if user else path,
                          touch=size is PHONE, **size)
    if user:
        page.fill("input[name=username]", user)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: urlsplit(url).path == urlsplit(path).path)
    if urlsplit(path).path in MAP_PAGES:
        wait_ready(page)
    page.wait_for_load_state("load")
    assert log.outside == []
    return page


@pytest.mark.parametrize("size", [DESK, PHONE], ids=["1920x1080", "390x844"])
@pytest.mark.parametrize(("path", "user"), PAGES, ids=[p for p, _ in PAGES])
def test_every_page_has_no_serious_accessibility_violation(browser, server, path, user, size):
    page = visit(browser, server.url, path, user, size)
    assert urlsplit(page.url).path == urlsplit(path).path  # the page itself, not a login or an error
    assert axe_violations(page, server.url) == []
    page.context.close()


@pytest.mark.parametrize("size", [DESK, PHONE], ids=["1920x1080", "390x844"])
def test_the_error_pages_have_no_serious_accessibility_violation(browser, server, size):
    page = visit(browser, server.url, "/no-such-page", None, size)
    assert axe_violations(page, server.url) == []
    page.context.close()


def test_the_check_finds_what_it_should(browser, server):
    """The check itself: an unnamed button and an image without alt are found."""
    page, _ = open_page(browser, server.url, "/login", **DESK)
    page.evaluate("""() => { document.body.insertAdjacentHTML('beforeend',
        '<button id="bare"></button><img src="/static/favicon.svg" id="noalt">'
        + '<p style="color:#bbb;background:#ccc">灰字</p>'); }""")
    ids = {v["id"] for v in axe_violations(page, server.url)}
    assert {"button-name", "image-alt"} <= ids
    page.context.close()
