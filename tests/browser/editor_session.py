"""Planners in the editor for browser tests: a live demo with two editor accounts, a login as one of them, the
place as stored, a place opened through the editor's search box."""

from __future__ import annotations

from contextlib import contextmanager

from shapely.geometry import shape

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


def changed_since_the_day(store, campaign, offset: float) -> tuple[dict, str, str, dict]:
    """After the past day the tests show (the store on the server's clock): c-0001 given another status and a
    courtyard made `offset` degrees east of it by 李编. c-0001 as it was, its status then and now, the place made."""
    changed = store.get("courtyards", "c-0001")
    before = changed["properties"]["status"]
    after = next(x.key for x in campaign.statuses if x.key != before and not x.hatch)
    store.update("courtyards", "c-0001", expected_version=changed["properties"]["version"], user="李编",
                 properties={"status": after})
    ring = [[x + offset, y] for x, y in shape(changed["geometry"]).exterior.coords]
    made = store.create("courtyards", {"geometry": {"type": "Polygon", "coordinates": [ring]},
                                       "properties": {"name": "后来新建的院子", "kind": changed["properties"]["kind"],
                                                      "status": after}}, user="李编").feature
    return changed, before, after, made


def editor_page(browser, server, user="planner1", **size):
    page, log = open_page(browser, server.url, "/login?next=/edit", **size)
    sign_in(page, user)
    wait_ready(page)
    return page, log


def sign_in(page, user="planner1"):
    """The login page filled in and sent as `user`."""
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


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


def drag_first_vertex(page, dx: float = 40, dy: float = 30):
    """Reshaping the open place (编辑形状): its first corner's handle dragged by (dx, dy) pixels."""
    page.click("button[data-action=shape]")
    marker = page.locator(".leaflet-marker-icon.marker-icon:not(.marker-icon-middle)").first
    box = marker.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + dx, box["y"] + dy, steps=5)
    page.mouse.up()


def box_select(page, size: list[int]):
    """框选多处 over the map of `size` pixels, 80 px in from its top left corner to 60 px in from the other."""
    page.click("button[data-action=box]")
    page.mouse.click(80, 80)
    page.wait_for_function("() => guatuPage.editors[0].map.pm.Draw.Rectangle._startMarker._icon.classList.contains('visible')")
    page.mouse.move(size[0] / 2, size[1] / 2, steps=4)
    page.mouse.click(size[0] - 60, size[1] - 60)
    page.wait_for_selector("section.bulk h2")


def set_bulk_status(page, status: str):
    """The selected places given `status`, the confirmation accepted."""
    page.once("dialog", lambda d: d.accept())
    page.select_option("section.bulk select", status)
    page.click("button[data-action=bulk-apply]")
    page.wait_for_selector(".message-ok")
