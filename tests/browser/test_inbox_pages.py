"""The bell and the inbox in a real Chromium, on a phone (390 px, touch) and on a 4K desktop: a case dispatched to
a handler becomes an event (geo/notify/sources.py) in their inbox; the bell shows the count on the pages they open,
picks up a new one by its own poll without a reload, opens the list, and reading clears the count."""

from __future__ import annotations

import base64
import json
import urllib.request
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import expect

from geo.notify.events import PENDING, event
from geo.notify.inbox import deliver, unread_count
from geo.notify.sources import collect
from geo.scope import Scope
from geo.store.base import iso
from tests.browser.harness import PHONE, copy_demo, live_server, open_page
from tests.browser.phone_audit import audit, problems

PASSWORD = "a long password"
LAYER, FID = "courtyards", "c-0001"  # 大学路51号院 of 大学路街道, the demo's first place
PEOPLE = {"admin1": ("admin", None), "cmd": ("editor", None), "handler1": ("editor", Scope(units=("区住建局",))),
          "handler2": ("editor", Scope(units=("区住建局",)))}


def call(server, user: str, method: str, path: str, body: dict | None = None, headers: dict | None = None) -> dict:
    auth = base64.b64encode(f"{user}:{PASSWORD}".encode()).decode()
    req = urllib.request.Request(server.url + path, method=method, data=json.dumps(body).encode() if body else None,
                                 headers={"Content-Type": "application/json", "Authorization": f"Basic {auth}",
                                          **(headers or {})})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


def dispatch_case(server, handler: str, description: str) -> str:
    """A problem filed by the command on c-0001 and dispatched to `handler`: its id."""
    version = call(server, "cmd", "GET", f"/api/layers/{LAYER}/features/{FID}")["properties"]["version"]
    placed = call(server, "cmd", "POST", f"/api/layers/{LAYER}/features/{FID}/problems",
                  {"problem": {"category": "乱堆乱放", "description": description}, "version": version})
    pid = placed["properties"]["problems"][-1]["id"]
    version = call(server, "cmd", "GET", f"/api/cases/{LAYER}/{FID}/{pid}")["feature"]["version"]
    call(server, "cmd", "POST", f"/api/cases/{LAYER}/{FID}/{pid}/actions",
         {"action": "dispatch", "unit": "区住建局", "handler": handler}, {"If-Match": f'"{FID}-v{version}"'})
    return pid


def tell(server) -> None:
    """One tick of the notifications as far as the inbox: the events since the last tick, each put in the inbox of
    the accounts it names (what the sender's fan-out does for the in-app channel)."""
    ctx = server.app.extensions["guatu"]
    collect(ctx.store, ctx.campaign, ctx.clock())
    for eid in (ctx.store.record(PENDING, "events") or {"ids": []})["ids"]:
        told = event(ctx.store, eid)
        for user in told["users"]:
            deliver(ctx.store, user, told, at=iso(ctx.clock()))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The demo behind a login, with the command and two handlers of 区住建局; the notifications' cursor started."""
    data = copy_demo(tmp_path_factory.mktemp("inbox") / "data")
    with live_server(data, GUATU_PUBLIC_VIEW=False) as s:
        acc = s.app.extensions["guatu_accounts"]
        for user, (role, scope) in PEOPLE.items():
            acc.create_user(user, PASSWORD, role, user)
            if scope is not None:
                acc.update_user(user, scope=scope)
        tell(s)
        yield s


def sign_in(browser, server, user: str, path: str, **page):
    """`user` signed in through the login form, on `path`; the page's clock is the server's (its timers are run on
    by the test, never waited for)."""
    tab, log = open_page(browser, server.url, f"/login?next={quote(path)}",
                         page_clock=server.app.extensions["guatu"].clock(), **page)
    tab.fill("input[name=username]", user)
    tab.fill("input[name=password]", PASSWORD)
    tab.click("button[type=submit]")
    tab.wait_for_url(lambda url: urlsplit(url).path == urlsplit(path).path)
    tab.wait_for_selector("html[data-inbox-bell-ready]", state="attached")
    return tab, log


def test_on_a_phone_the_bell_counts_polls_opens_the_list_and_reading_clears_it(browser, server):
    dispatch_case(server, "handler1", "楼道堆放杂物")
    tell(server)
    store = server.app.extensions["guatu"].store
    assert unread_count(store, "handler1") == 1
    page, log = sign_in(browser, server, "handler1", "/cases", width=PHONE["width"], height=PHONE["height"],
                        scale=2, touch=True)
    bell = page.locator("#inbox-bell")
    expect(bell).to_be_visible()
    expect(page.locator("#inbox-count")).to_have_text("1")
    expect(bell).to_have_attribute("aria-label", "通知:1 条未读")
    box = bell.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44 and box["x"] + box["width"] <= PHONE["width"]

    # a second case arrives while the page is open: the bell's own poll shows it, no reload
    dispatch_case(server, "handler1", "单元门口堆放建材")
    tell(server)
    page.clock.run_for(31_000)
    expect(page.locator("#inbox-count")).to_have_text("2")
    expect(bell).to_have_attribute("data-unread", "2")

    bell.tap()
    page.wait_for_url(lambda url: urlsplit(url).path == "/inbox")
    page.wait_for_selector("html[data-inbox-ready]", state="attached")
    items = page.locator(".inbox-item")
    expect(items).to_have_count(2)
    expect(page.locator(".inbox-item.inbox-unread")).to_have_count(2)
    expect(items.first.locator(".inbox-title")).to_have_text("新派遣案件:大学路51号院")
    expect(items.first.locator(".inbox-tag")).to_have_text("派遣")
    assert problems(audit(page)) == {}

    # no network for the tap: said, and the button can be tapped again
    page.route("**/api/inbox/read", lambda route: route.abort("internetdisconnected"))
    items.first.locator("[data-inbox-read]").tap()
    expect(page.locator("[data-inbox-error]")).to_have_text("未能标为已读:连不上服务器")
    expect(items.first.locator("[data-inbox-read]")).to_be_enabled()
    expect(page.locator(".inbox-item.inbox-unread")).to_have_count(2)
    page.unroute("**/api/inbox/read")
    items.first.locator("[data-inbox-read]").tap()
    expect(page.locator(".inbox-item.inbox-unread")).to_have_count(1)
    expect(page.locator("[data-inbox-error]")).to_be_hidden()
    expect(page.locator("#inbox-count")).to_have_text("1")
    expect(page.locator("#inbox-summary")).to_have_text("未读 1 条,共 2 条")
    page.locator("#inbox-all-read").tap()
    expect(page.locator(".inbox-item.inbox-unread")).to_have_count(0)
    expect(page.locator("#inbox-count")).to_be_hidden()
    expect(bell).to_have_attribute("aria-label", "通知:没有未读")
    assert unread_count(store, "handler1") == 0

    # a reload agrees with what the page showed, and the notification leads to its case
    page.reload()
    expect(page.locator("#inbox-count")).to_be_hidden()
    link = items.first.locator(".inbox-title a")
    assert link.get_attribute("href").startswith(f"/cases/{LAYER}/{FID}/")
    link.tap()
    page.wait_for_url(lambda url: urlsplit(url).path.startswith(f"/cases/{LAYER}/{FID}/"))
    assert log.outside == [] and [e for e in log.console_errors if "ERR_INTERNET_DISCONNECTED" not in e] == []


def test_on_a_4k_desktop_the_bell_is_legible_and_opening_a_notification_marks_it_read(browser, server):
    pid = dispatch_case(server, "handler2", "屋顶违建")
    tell(server)
    page, log = sign_in(browser, server, "handler2", "/reports/daily", width=3840, height=2160)
    count = page.locator("#inbox-count")
    expect(count).to_have_text("1")
    size = page.evaluate("parseFloat(getComputedStyle(document.getElementById('inbox-count')).fontSize)")
    assert size >= 12
    box = page.locator("#inbox-bell").bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    page.locator("#inbox-bell").click()
    page.wait_for_selector("html[data-inbox-ready]", state="attached")
    link = page.locator(".inbox-item.inbox-unread .inbox-title a")
    expect(link).to_have_attribute("href", f"/cases/{LAYER}/{FID}/{pid}")
    link.click()
    page.wait_for_url(lambda url: urlsplit(url).path == f"/cases/{LAYER}/{FID}/{pid}")
    expect(page.locator("#inbox-count")).to_be_hidden()
    store = server.app.extensions["guatu"].store
    assert unread_count(store, "handler2") == 0
    assert log.outside == [] and log.console_errors == []


def test_the_wall_and_the_editor_show_the_bell_among_their_links_and_keep_it_current(browser, server):
    dispatch_case(server, "cmd", "围墙破损")
    tell(server)
    store = server.app.extensions["guatu"].store
    unread = unread_count(store, "cmd")
    assert unread >= 1
    for path in ("/", "/edit"):
        page, log = sign_in(browser, server, "cmd", path, width=3840, height=2160)
        bell = page.locator("#inbox-bell")
        expect(bell).to_be_visible()
        expect(page.locator("#inbox-count")).to_have_text(str(unread))
        box = bell.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44
        assert 0 <= box["x"] and box["x"] + box["width"] <= 3840 and 0 <= box["y"] and box["y"] + box["height"] <= 2160
        dispatch_case(server, "cmd", "路灯损坏")
        tell(server)
        unread += 1
        page.clock.run_for(31_000)
        expect(page.locator("#inbox-count")).to_have_text(str(unread))
        assert log.outside == [] and log.console_errors == []
        page.context.close()
