"""Planners in the editor for browser tests: a live demo with two editor accounts, a login as one of them, the
place as stored, a place opened through the editor's search box."""

from __future__ import annotations

from contextlib import contextmanager

from geo.config import load_campaign
from geo.store import open_store
from tests.browser.harness import live_server, open_page, wait_ready

PASSWORD = "a long password"


@contextmanager
def planners_server(campaign_dir, clock):
    """The demo behind a login on the test's clock, with planner1 (张规划) and planner2 (李规划)."""
    with live_server(campaign_dir, GUATU_PUBLIC_VIEW=False, GUATU_CLOCK=clock) as s:
        acc = s.app.extensions["guatu_accounts"]
        acc.create_user("planner1", PASSWORD, "editor", "张规划")
        acc.create_user("planner2", PASSWORD, "editor", "李规划")
        yield s


def stored(campaign_dir, fid="c-0004", layer="courtyards") -> dict:
    s = open_store(campaign_dir, load_campaign(campaign_dir))
    try:
        return s.get(layer, fid)
    finally:
        s.close()


def editor_page(browser, server, user="planner1", **size):
    page, log = open_page(browser, server.url, "/login?next=/edit", **size)
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    wait_ready(page)
    return page, log


def open_place(page, fid):
    """Found by its id in the editor's search box, as a planner would type it."""
    page.fill("input[name=place-search]", fid)
    page.keyboard.press("Enter")
    page.wait_for_selector(f"form.attrs h2:has-text('{fid}')")


def map_point(page, lat, lon):
    """Page coordinates of a position on the editor's map."""
    return page.evaluate("""([lat, lon]) => {
        const map = guatuPage.editors[0].map;
        const p = map.latLngToContainerPoint([lat, lon]);
        const r = map.getContainer().getBoundingClientRect();
        return [r.left + p.x, r.top + p.y];
    }""", [lat, lon])
