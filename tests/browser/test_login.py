"""Logging in, being refused, logging out, and forged cross-site writes, in a real Chromium."""

from __future__ import annotations

import json

import pytest

from geo.config import load_campaign
from geo.store import open_store
from tests.browser.harness import copy_demo, live_server, open_page

PASSWORD = "a long password"


@pytest.fixture(scope="module")
def campaign_dir(tmp_path_factory):
    return copy_demo(tmp_path_factory.mktemp("login") / "data")


@pytest.fixture(scope="module")
def server(campaign_dir):
    with live_server(campaign_dir, GUATU_PUBLIC_VIEW=False, GUATU_REFRESH_SECONDS=0) as s:
        acc = s.app.extensions["guatu_accounts"]
        acc.create_user("admin1", PASSWORD, "admin", "赵管")
        acc.create_user("editor1", PASSWORD, "editor", "李编")
        yield s


def _fill_login(page, user, password):
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def test_the_login_form_opens_the_wall_map_and_a_wrong_password_is_explained(browser, server):
    page, log = open_page(browser, server.url, "/")
    page.wait_for_url("**/login?next=/**")  # nothing without logging in
    _fill_login(page, "editor1", "not the password")
    error = page.locator(".login-error")
    error.wait_for()
    assert "用户名或密码错误" in error.inner_text()
    assert page.locator("input[name=password]").input_value() == ""  # never echoed back
    _fill_login(page, "editor1", PASSWORD)
    page.wait_for_url(server.url + "/")  # back where the user was going: the wall map
    assert page.evaluate("() => fetch('/api/me').then(r => r.json()).then(b => b.username)") == "editor1"
    cookie = next(c for c in page.context.cookies() if c["name"] == "session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert log.outside == []
    assert [m for m in log.console_errors if "401" in m or "Content Security Policy" in m] == \
        ["Failed to load resource: the server responded with a status of 401 (UNAUTHORIZED)"]  # the refused login
    page.context.close()


def test_logout_ends_the_session(browser, server):
    page, log = open_page(browser, server.url, "/login?next=/account")
    _fill_login(page, "editor1", PASSWORD)
    page.wait_for_url("**/account")
    assert "李编" in page.locator(".topbar-user").inner_text()
    page.click("text=退出登录")
    page.wait_for_url("**/login")
    page.goto(server.url + "/account")
    page.wait_for_url("**/login?next=/account")
    assert page.evaluate("() => fetch('/api/me').then(r => r.status)") == 401
    page.context.close()


def _logged_in_context(browser, server, user="admin1"):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(server.url + "/login")
    _fill_login(page, user, PASSWORD)
    page.wait_for_url(server.url + "/")
    return context, page


def _attacker_page(context, origin: str, html: str):
    """A page on another origin, served by the test itself (nothing leaves the machine)."""
    context.route(f"{origin}/**", lambda route: route.fulfill(status=200, content_type="text/html", body=html))
    page = context.new_page()
    seen = []
    page.on("response", lambda r: seen.append((r.url, r.status)))
    page.goto(f"{origin}/evil.html")
    return page, seen


@pytest.mark.parametrize("origin", ["http://attacker.test", "http://127.0.0.1:9"], ids=["cross-site", "same-site-other-port"])
def test_a_forged_post_from_another_site_is_refused(browser, server, origin):
    """An admin with an open session visits a hostile page that submits forms to Guatu."""
    context, own = _logged_in_context(browser, server)
    acc = server.app.extensions["guatu_accounts"]
    html = f"""<!doctype html><html><body>
      <form id="user" method="post" action="{server.url}/admin/users">
        <input name="username" value="mallory"><input name="password" value="mallory's password">
        <input name="confirm" value="mallory's password"><input name="role" value="admin">
      </form>
      <form id="json" method="post" enctype="text/plain" action="{server.url}/api/layers/courtyards/status">
        <input name='{{"status":"accepted","features":{{"c-0001":1}},"x":"' value='"}}'>
      </form>
    </body></html>"""
    for form, action in (("user", "/admin/users"), ("json", "/api/layers/courtyards/status")):
        page, seen = _attacker_page(context, origin, html)
        with page.expect_navigation():
            page.evaluate(f"document.getElementById('{form}').submit()")
        status = next(s for u, s in seen if u == server.url + action)
        # cross-site: the session cookie is not sent (SameSite=Lax), so it is a stranger: login or 401;
        # same site, other port: the cookie is sent, and the write is refused (another site, no CSRF token)
        assert status in ((302, 401) if "attacker" in origin else (403,)), (form, seen)
        page.close()
    assert "mallory" not in [u.username for u in acc.users()]
    store = open_store(server.app.extensions["guatu"].data_dir, load_campaign(server.app.extensions["guatu"].data_dir))
    assert store.get("courtyards", "c-0001")["properties"]["version"] == 1
    # the same session still works from the site itself: the form carries its token
    own.goto(server.url + "/admin")
    own.fill("#create-user input[name=username]", "planner9")
    own.fill("#create-user input[name=password]", PASSWORD)
    own.fill("#create-user input[name=confirm]", PASSWORD)
    own.click("#create-user button[type=submit]")
    own.wait_for_selector(".flash-ok")
    assert "planner9" in [u.username for u in acc.users()]
    acc_data = json.loads(acc.path.read_text(encoding="utf-8"))
    acc_data["users"] = [u for u in acc_data["users"] if u["username"] != "planner9"]
    acc.path.write_text(json.dumps(acc_data), encoding="utf-8")  # leave the module's accounts as they were
    context.close()


def test_a_fetch_from_the_site_without_the_csrf_token_is_refused(browser, server):
    """A logged-in page that writes without the token (e.g. an injected script that cannot read it) is refused."""
    context, page = _logged_in_context(browser, server, "editor1")
    status = page.evaluate("""() => fetch('/api/layers/courtyards/features/c-0002', {
        method: 'PATCH', headers: {'Content-Type': 'application/json', 'If-Match': '"c-0002-v1"'},
        body: JSON.stringify({properties: {status: 'accepted'}})}).then(r => r.status)""")
    assert status == 403
    token = page.evaluate("() => fetch('/api/me').then(r => r.json()).then(b => b.csrf_token)")
    ok = page.evaluate("""(token) => fetch('/api/layers/courtyards/features/c-0002', {
        method: 'PATCH', headers: {'Content-Type': 'application/json', 'If-Match': '"c-0002-v1"', 'X-CSRF-Token': token},
        body: JSON.stringify({properties: {status: 'accepted'}})}).then(r => r.status)""", token)
    assert ok == 200
    context.close()
