"""The admin and "my account" pages work in a real Chromium under the CSP, with plain forms and no script."""

from __future__ import annotations

import pytest
import requests

from tests.browser.harness import copy_demo, live_server, open_page

PASSWORD = "a long password"


@pytest.fixture
def server(tmp_path):
    with live_server(copy_demo(tmp_path / "data"), GUATU_PUBLIC_VIEW=False, GUATU_REFRESH_SECONDS=0) as s:
        s.app.extensions["guatu_accounts"].create_user("admin1", PASSWORD, "admin", "赵管")
        yield s


def _login(page, url, user, password=PASSWORD, next_path="/admin"):
    page.goto(f"{url}/login?next={next_path}")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{next_path}")


def test_an_admin_manages_users_and_display_links_from_the_page(browser, server):
    acc = server.app.extensions["guatu_accounts"]
    page, log = open_page(browser, server.url, "/login")
    _login(page, server.url, "admin1")
    assert page.evaluate("() => document.scripts.length") == 0  # no JavaScript on these pages at all

    page.fill("#create-user input[name=username]", "planner1")
    page.fill("#create-user input[name=name]", "张规划")
    page.select_option("#create-user select[name=role]", "editor")
    page.fill("#create-user input[name=password]", PASSWORD)
    page.fill("#create-user input[name=confirm]", PASSWORD)
    page.click("#create-user button[type=submit]")
    assert "已创建用户 planner1" in page.locator(".flash-ok").inner_text()
    row = page.locator("tr[data-user=planner1]")
    assert "张规划" in row.inner_text()

    row.locator("details summary").click()  # where the planner writes: one community of the demo's (三级管理)
    row.locator("select[name=communities]").select_option(["金桥社区"])
    row.locator("form.scope-form button").click()
    assert "金桥社区" in page.locator(".flash-ok").inner_text()
    assert acc.get_user("planner1").scope["communities"] == ["金桥社区"]
    assert page.locator("tr[data-user=planner1] .user-level").inner_text() == "社区(村三委)"

    row.locator("select[name=role]").select_option("viewer")
    row.locator("form:has(select[name=role]) button").click()
    assert "查看" in page.locator(".flash-ok").inner_text() and acc.get_user("planner1").role == "viewer"

    page.locator("tr[data-user=planner1] input[name=password]").fill("another long password")
    page.locator("tr[data-user=planner1] form:has(input[name=password]) button").click()
    assert "已重置 planner1 的密码" in page.locator(".flash-ok").inner_text()

    page.locator("tr[data-user=planner1] button[name=toggle]").click()
    assert acc.get_user("planner1").disabled
    assert "已停用" in page.locator("tr[data-user=planner1]").inner_text()

    page.fill("#create-display input[name=name]", "指挥中心大屏1")
    page.click("#create-display button[type=submit]")
    link = page.locator("input.secret").input_value()
    assert link.startswith(server.url + "/wall?display=gd_")
    assert requests.get(link, timeout=10).status_code == 200  # the screen opens it without logging in
    page.click("text=完成,返回")
    page.locator("#display-links tr[data-token] button").click()
    assert "已吊销 指挥中心大屏1" in page.locator(".flash-ok").inner_text()
    assert requests.get(link, timeout=10, allow_redirects=False).status_code in (302, 401)

    assert log.outside == [] and log.console_errors == []
    page.context.close()


def test_a_user_changes_their_password_and_manages_their_tokens(browser, server):
    acc = server.app.extensions["guatu_accounts"]
    acc.create_user("viewer1", PASSWORD, "viewer", "王看")
    page, log = open_page(browser, server.url, "/login")
    _login(page, server.url, "viewer1", next_path="/account")
    assert page.locator("nav >> text=账户管理").count() == 0  # not an admin

    page.fill("#create-token input[name=name]", "QGIS")
    page.click("#create-token button[type=submit]")
    secret = page.locator("input.secret").input_value()
    assert secret.startswith("gt_")
    me = requests.get(server.url + "/api/me", headers={"Authorization": f"Bearer {secret}"}, timeout=10).json()
    assert me["username"] == "viewer1"
    page.click("text=完成,返回")
    assert secret not in page.content()
    page.locator("#tokens tr[data-token] button").click()
    assert requests.get(server.url + "/api/me", headers={"Authorization": f"Bearer {secret}"}, timeout=10).status_code == 401

    page.fill("#change-password input[name=current]", PASSWORD)
    page.fill("#change-password input[name=password]", "my new long password")
    page.fill("#change-password input[name=confirm]", "my new long password")
    page.click("#change-password button[type=submit]")
    assert "密码已修改" in page.locator(".flash-ok").inner_text()
    page.goto(server.url + "/account")  # this session goes on
    assert "王看" in page.locator(".topbar-user").inner_text()
    assert log.outside == [] and log.console_errors == []
    page.context.close()
