"""Hostile text in every field a person can type is shown as text and never runs, on every page that shows it.

Payloads go into the campaign configuration (title, subtitle, source, layer
titles), into places (name, street, community, unit, the 四包一 people,
notes, problem descriptions, finders and responsible people), into the
display names that history and the admin page show, and into token and
display-link names. Each page is then driven like a person would (hover,
select, open cards and the dashboard, log in) and checked three ways: the
`window.__xss` canary stays unset, no request goes to a payload's URL, and no
element a payload could have created (an <img src=x>, an event-handler
attribute, a javascript: link) is in the DOM. The CSP would block inline
handlers anyway; these checks show the escaping works without relying on it.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from geo.accounts import Accounts
from geo.config import load_campaign
from geo.store import open_store
from tests.browser.harness import copy_demo, live_server, open_page, wait_ready
from tests.conftest import FakeClock

PASSWORD = "a long password"
PAYLOADS = [
    "<img src=x onerror=\"window.__xss='img'\">",
    "\"><script>window.__xss='script'</script>",
    "javascript:window.__xss='js'//",
    "${window.__xss='template'}`;window.__xss='backtick';`",
    "<svg onload=\"window.__xss='svg'\"></svg>{{7*191}}",
    "'><a href=\"javascript:window.__xss='href'\">点我</a>",
]
HOSTILE_USER = PAYLOADS[0][:60]


def _payload(i: int) -> str:
    return PAYLOADS[i % len(PAYLOADS)]


def _place(i: int, x: float) -> dict:
    p = _payload
    return {
        "properties": {
            "name": p(i), "kind": "楼院", "status": "pending", "street": p(i + 1), "community": p(i + 2),
            "unit": p(i + 3), "deadline": "2026-11-01", "notes": p(i + 4),
            "people": {"leader": p(i), "cadre": p(i + 1), "community_head": p(i + 2), "grid_worker": p(i + 3)},
            "problems": [{"category": "飞线充电", "description": p(i + 5), "found_on": "2026-11-20", "found_by": p(i + 1),
                          "deadline": "2026-11-22", "responsible": p(i + 2), "status": "open"}],
        },
        "geometry": {"type": "Polygon", "coordinates": [[[x, 34.6365], [x + 0.002, 34.6365], [x + 0.002, 34.6385],
                                                         [x, 34.6385], [x, 34.6365]]]},
    }


@pytest.fixture(scope="module")
def campaign_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    data = copy_demo(root / "data")
    config = json.loads((data / "campaign.json").read_text(encoding="utf-8"))
    config["title"], config["subtitle"], config["source"] = PAYLOADS[1], PAYLOADS[0], PAYLOADS[3]
    for i, layer in enumerate(config["layers"]):
        layer["title"] = _payload(i + 4)
    (data / "campaign.json").write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
    store = open_store(data, load_campaign(data), clock=FakeClock())
    ids = []
    for i in range(len(PAYLOADS)):
        created = store.create("courtyards", _place(i, 113.585 + i * 0.004), user=f"{_payload(i)} (hacker{i})")
        fid = created.feature["id"]
        store.update("courtyards", fid, expected_version=1, user=f"{_payload(i + 1)} (hacker{i})",
                     properties={"status": "in_progress"})
        ids.append(fid)
    acc = Accounts(root / "instance" / "accounts.json")
    acc.create_user("admin1", PASSWORD, "admin", "管理员")
    acc.create_user("planner1", PASSWORD, "editor", HOSTILE_USER)
    for i, payload in enumerate(PAYLOADS):
        acc.create_user(f"hacker{i}", PASSWORD, "viewer", payload[:64])
        acc.create_display_token(payload[:64], "/wall")
        acc.create_api_token("admin1", payload[:64])
    (root / "ids.json").write_text(json.dumps(ids))
    return data


@pytest.fixture(scope="module")
def ids(campaign_dir):
    return json.loads((campaign_dir.parent / "ids.json").read_text())


@pytest.fixture(scope="module")
def server(campaign_dir):
    with live_server(campaign_dir, GUATU_REFRESH_SECONDS=0, GUATU_CLOCK=FakeClock()) as s:  # 2026-11-24, always
        yield s


INJECTED = """() => Array.from(document.querySelectorAll(
    'img[src="x"], [onerror], [onload], svg[onload], a[href^="javascript:" i], iframe, script:not([src]):not([nonce])'
)).map(e => e.outerHTML.slice(0, 160))"""


def assert_nothing_ran(page, log) -> None:
    assert page.evaluate("() => window.__xss") is None
    assert page.evaluate(INJECTED) == []
    assert not [u for u in log.requests if re.search(r"/x(\?|$)", u)], "a payload's URL was requested"
    assert log.outside == []
    assert not [m for m in log.console_errors if "Content Security Policy" in m or "xss" in m], log.console_errors


def login(page, base_url: str, user: str, next_path: str) -> None:
    page.goto(f"{base_url}/login?next={next_path}")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_the_wall_map_shows_hostile_text_as_text_in_hover_cards_and_place_cards(browser, server, ids):
    page, log = open_page(browser, server.url, "/")
    wait_ready(page)
    for i, fid in enumerate(ids):
        # hover, as a mouse does, over the middle of the place
        x, y = page.evaluate("""(fid) => {
            const wall = window.guatuPage.walls[0];
            const layer = wall.find(fid).layer;
            wall.map.fitBounds(layer.getBounds(), {animate: false, maxZoom: 17});
            const c = wall.map.latLngToContainerPoint(layer.getBounds().getCenter());
            const r = wall.map.getContainer().getBoundingClientRect();
            return [r.left + c.x, r.top + c.y];
        }""", fid)
        page.mouse.move(x, y)
        tooltip = page.locator(".guatu-tooltip").last
        expect(tooltip).to_contain_text(_payload(i), timeout=10_000)  # names arrive on the first hover
        # select it: the place card with people and the ledger
        page.evaluate("(fid) => window.guatuPage.walls[0].select('courtyards', fid)", fid)
        card = page.locator(".guatu-place-card")
        page.wait_for_function("(fid) => document.querySelector('.guatu-place-card').dataset.id === fid "
                               "&& !document.querySelector('.guatu-card-loading')", arg=fid)
        text = card.inner_text()
        for expected in (_payload(i + 3), _payload(i + 5), _payload(i + 2)):  # unit/people, a problem, its responsible
            assert expected.strip() in text
        assert_nothing_ran(page, log)
    assert PAYLOADS[1] in page.locator("body").inner_text()  # the campaign title, as text
    page.context.close()


def test_the_big_screen_with_its_dashboard_shows_hostile_text_as_text(browser, server):
    page, log = open_page(browser, server.url, "/wall", width=1920, height=1080)
    wait_ready(page)
    # the dashboard loads after the map; the hostile communities (one place each, none done) lead its
    # "lowest completion" table (its first page), their names shown as the very text that was typed
    # (the table may wait on another of the dashboard's screens: its cells' text is read, shown or not)
    names = page.locator(".guatu-dash-communities tr:not([hidden]) td.guatu-dash-name")
    expect(names.first).to_be_attached(timeout=30_000)
    shown = names.all_text_contents()
    hostile = [name for name in shown if name in PAYLOADS]  # the page may also hold a real community with none done
    assert len(hostile) >= 3, shown
    assert PAYLOADS[1] in page.locator(".guatu-dashboard").text_content()
    assert_nothing_ran(page, log)
    page.context.close()


def test_the_admin_and_account_pages_show_hostile_names_as_text(browser, server):
    page, log = open_page(browser, server.url, "/login")
    login(page, server.url, "admin1", "/admin")
    page.wait_for_url("**/admin")
    text = page.locator("main").inner_text()
    for payload in PAYLOADS:
        assert payload[:64].strip() in text  # user names, token names, display-link names
    assert "{{7*191}}" in text  # never evaluated as a template
    assert "(hacker1)" in page.locator("#changes").inner_text()  # history's display names
    assert_nothing_ran(page, log)
    page.goto(server.url + "/account")
    assert PAYLOADS[0] in page.locator("main").inner_text()
    assert_nothing_ran(page, log)
    # a display link whose name is a payload: created through the form, shown once, still text
    page.goto(server.url + "/admin")
    page.fill("#create-display input[name=name]", PAYLOADS[5][:60])
    page.click("#create-display button[type=submit]")
    assert "display=gd_" in page.locator("input.secret").input_value()
    assert PAYLOADS[5][:60] in page.locator("h1").inner_text()
    assert_nothing_ran(page, log)
    page.context.close()


def test_the_history_page_shows_hostile_display_names_as_text(browser, server, ids):
    page, log = open_page(browser, server.url, "/login")
    login(page, server.url, "admin1", f"/places/courtyards/{ids[0]}/history")
    page.wait_for_load_state()
    assert "(hacker0)" in page.locator("body").inner_text()
    assert_nothing_ran(page, log)
    page.context.close()


def test_the_editor_shows_hostile_attributes_and_history_as_text(browser, server, ids):
    page, log = open_page(browser, server.url, "/login")
    login(page, server.url, "planner1", "/edit")
    wait_ready(page)
    for i, fid in enumerate(ids[:3]):
        page.evaluate("""(fid) => {
            const ed = guatuPage.editors[0];
            ed.map.fitBounds(ed.byId[fid].getBounds(), {maxZoom: 17, animate: false});
        }""", fid)
        x, y = page.evaluate("""(fid) => {
            const ed = guatuPage.editors[0];
            const p = ed.map.latLngToContainerPoint(ed.byId[fid].getBounds().getCenter());
            const r = ed.map.getContainer().getBoundingClientRect();
            return [r.left + p.x, r.top + p.y];
        }""", fid)
        page.mouse.click(x, y)
        page.wait_for_selector(f"form.attrs h2:has-text('{fid}')")
        # every attribute is in its field as the very text that was typed, and the title shows the name as text
        assert page.locator("form.attrs h2").inner_text().startswith(_payload(i))
        fields = {"name": i, "street": i + 1, "community": i + 2, "unit": i + 3, "notes": i + 4,
                  "people.leader": i, "people.cadre": i + 1, "people.community_head": i + 2, "people.grid_worker": i + 3}
        shown = page.evaluate("""(names) => Object.fromEntries(names.map(
            n => [n, document.querySelector(`form.attrs [name="${n}"]`).value]))""", list(fields))
        assert shown == {name: _payload(n) for name, n in fields.items()}
        # the problem ledger: its description and responsible person, as text
        ledger = page.locator("section.ledger")
        expect(ledger).to_contain_text(_payload(i + 5).strip())
        expect(ledger).to_contain_text(_payload(i + 2).strip())
        assert_nothing_ran(page, log)
    page.context.close()


def test_the_login_page_shows_a_hostile_title_and_next_url_as_text(browser, server):
    page, log = open_page(browser, server.url, "/login?next=" + "%22%3E%3Cscript%3Ewindow.__xss%3D1%3C%2Fscript%3E")
    assert PAYLOADS[1] in page.locator("h1").inner_text()
    page.fill("input[name=username]", PAYLOADS[0])
    page.fill("input[name=password]", PAYLOADS[1])
    page.click("button[type=submit]")
    page.wait_for_selector(".login-error")
    assert_nothing_ran(page, log)
    page.context.close()
