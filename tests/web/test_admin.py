"""The administration and "my account" pages: who may use them, what each form does, CSRF on every form."""

from __future__ import annotations

import html
import re

import pytest

from geo.messages import t
from tests.web.conftest import PASSWORD, login


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


@pytest.fixture
def admin(private_app):
    client = private_app.test_client()
    login(client, "admin1")
    return client


def _post(client, url, **form):
    page = client.get("/admin" if url.startswith("/admin") else "/account").data.decode()
    return client.post(url, data={"csrf_token": _csrf(page), **form})


def _acc(app):
    return app.extensions["guatu_accounts"]


def test_only_admins_open_the_admin_page(private_app, admin):
    assert admin.get("/admin").status_code == 200
    for user in ("viewer1", "editor1"):
        client = private_app.test_client()
        login(client, user)
        assert client.get("/admin").status_code == 403
        assert client.post("/admin/users", data={"username": "x"}).status_code == 403
    anonymous = private_app.test_client().get("/admin")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def test_the_admin_page_lists_users_tokens_display_links_and_recent_changes(private_app, admin):
    acc = _acc(private_app)
    acc.create_api_token("editor1", "QGIS 张三")
    acc.create_display_token("指挥中心大屏1", "/wall")
    page = admin.get("/admin").data.decode()
    for text in ("viewer1", "王看", "editor1", "admin1", "QGIS 张三", "指挥中心大屏1", t("page.token.never"), "李四"):
        assert text in page
    assert page.count('name="csrf_token"') >= 3 * 3 + 2  # every form carries it
    assert "no-store" in admin.get("/admin").headers["Cache-Control"]


def test_every_admin_form_is_refused_without_the_csrf_token(private_app, admin):
    acc = _acc(private_app)
    token, _ = acc.create_api_token("editor1", "QGIS")
    for url, form in (("/admin/users", {"username": "mallory", "password": "a long password", "confirm": "a long password",
                                        "role": "admin"}),
                      ("/admin/users/editor1/role", {"role": "admin"}),
                      ("/admin/users/editor1/password", {"password": "a new long password"}),
                      ("/admin/users/editor1/disable", {}),
                      (f"/admin/tokens/{token.id}/revoke", {}),
                      ("/admin/display", {"name": "x"}),
                      ("/account/password", {"current": PASSWORD, "password": "x" * 12, "confirm": "x" * 12}),
                      ("/account/tokens", {"name": "x"})):
        for sent in ({}, {"csrf_token": "forged"}):
            resp = admin.post(url, data={**form, **sent})
            assert resp.status_code == 403, url
    assert [u.username for u in acc.users()] == ["admin1", "editor1", "viewer1"]
    editor = acc.get_user("editor1")
    assert editor.role == "editor" and not editor.disabled
    assert acc.tokens(kind="api")[0].revoked_at is None and acc.tokens(kind="display") == []


def test_admin_creates_a_user_who_can_then_log_in(private_app, admin):
    resp = _post(admin, "/admin/users", username="planner", name="规划 王", role="editor",
                 password="a long password", confirm="a long password")
    assert resp.status_code == 302
    page = admin.get("/admin").data.decode()
    assert t("accounts.user_created", user="planner", role=t("role.editor")) in page and "规划 王" in page
    client = private_app.test_client()
    login(client, "planner", "a long password")
    assert client.get("/api/me").get_json()["role"] == "editor"


def test_refused_user_creation_says_why(admin, private_app):
    _post(admin, "/admin/users", username="x", password="short", confirm="short", role="viewer")
    page = admin.get("/admin").data.decode()
    assert "flash-error" in page and "username" in page and t("accounts.password_short", minimum=10) in page
    _post(admin, "/admin/users", username="viewer1", password="a long password", confirm="a long password", role="viewer")
    assert t("accounts.user_exists", user="'viewer1'") in html.unescape(admin.get("/admin").data.decode())
    _post(admin, "/admin/users", username="typo", password="a long password", confirm="a long passwore", role="viewer")
    assert t("accounts.passwords_differ") in admin.get("/admin").data.decode()
    assert "typo" not in [u.username for u in _acc(private_app).users()]


def test_admin_changes_roles_resets_passwords_and_disables_users(private_app, admin):
    acc = _acc(private_app)
    editor = private_app.test_client()
    login(editor, "editor1")
    _, secret = acc.create_api_token("editor1", "script")

    _post(admin, "/admin/users/editor1/role", role="viewer")
    assert acc.get_user("editor1").role == "viewer"
    assert editor.get("/api/me").get_json()["role"] == "viewer"  # takes effect at once

    _post(admin, "/admin/users/editor1/password", password="a brand new password")
    assert editor.get("/api/me").status_code == 401  # the old session ended
    login(private_app.test_client(), "editor1", "a brand new password")

    _post(admin, "/admin/users/editor1/disable")
    assert acc.get_user("editor1").disabled
    assert private_app.test_client().get("/api/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    refused = private_app.test_client()
    page = refused.get("/login").data.decode()
    assert refused.post("/login", data={"username": "editor1", "password": "a brand new password",
                                        "csrf_token": _csrf(page)}).status_code == 401
    _post(admin, "/admin/users/editor1/enable")
    assert not acc.get_user("editor1").disabled
    login(private_app.test_client(), "editor1", "a brand new password")  # the user is back…
    # …but the tokens they had stay revoked: whoever copied one while they were leaving keeps nothing
    assert private_app.test_client().get("/api/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_an_admin_cannot_demote_or_lock_out_themselves(private_app, admin):
    _post(admin, "/admin/users/admin1/role", role="viewer")
    _post(admin, "/admin/users/admin1/disable")
    user = _acc(private_app).get_user("admin1")
    assert user.role == "admin" and not user.disabled
    assert t("accounts.not_yourself") in admin.get("/admin").data.decode()


def test_an_admin_resetting_their_own_password_stays_logged_in(admin, private_app):
    _post(admin, "/admin/users/admin1/password", password="the admin's new password")
    assert admin.get("/admin").status_code == 200
    login(private_app.test_client(), "admin1", "the admin's new password")


def test_admin_revokes_api_tokens(private_app, admin):
    acc = _acc(private_app)
    token, secret = acc.create_api_token("editor1", "QGIS")
    auth = {"Authorization": f"Bearer {secret}"}
    client = private_app.test_client()
    assert client.get("/api/me", headers=auth).status_code == 200
    assert t("page.col.last_used") in admin.get("/admin").data.decode()
    _post(admin, f"/admin/tokens/{token.id}/revoke")
    assert client.get("/api/me", headers=auth).status_code == 401
    assert t("accounts.token_revoked", name="QGIS") in admin.get("/admin").data.decode()


def test_display_links_are_shown_once_listed_without_secret_and_revocable(private_app, admin):
    resp = _post(admin, "/admin/display", name="指挥中心大屏1", scope="/wall?street=大学路街道")
    assert resp.status_code == 200 and "no-store" in resp.headers["Cache-Control"]
    link = re.search(r'value="(http://localhost/wall\?street=[^"]+&amp;display=(gd_[^"]+))"', resp.data.decode())
    assert link, resp.data.decode()
    secret = link.group(2)
    screen = private_app.test_client()
    assert screen.get(f"/wall?display={secret}").status_code == 200
    page = admin.get("/admin").data.decode()
    assert "指挥中心大屏1" in page and secret not in page
    token = _acc(private_app).tokens(kind="display")[0]
    _post(admin, f"/admin/tokens/{token.id}/revoke")
    assert screen.get(f"/wall?display={secret}").status_code in (302, 401)
    refused = _post(admin, "/admin/display", name="坏链接", scope="javascript:alert(1)")
    assert refused.status_code == 302 and _acc(private_app).tokens(kind="display")[1:] == []


def test_my_account_changes_the_password_with_the_current_one(private_app):
    client, other = private_app.test_client(), private_app.test_client()
    login(client, "viewer1")
    login(other, "viewer1")
    _post(client, "/account/password", current="not my password", password="my new password!", confirm="my new password!")
    assert "当前密码不正确" in client.get("/account").data.decode()
    _post(client, "/account/password", current=PASSWORD, password="my new password!", confirm="my new password!")
    assert t("accounts.password_changed") in client.get("/account").data.decode()  # this session goes on
    assert other.get("/api/me").status_code == 401  # every other session ended
    login(private_app.test_client(), "viewer1", "my new password!")


def test_my_account_makes_and_revokes_my_own_tokens_only(private_app):
    acc = _acc(private_app)
    theirs, _ = acc.create_api_token("editor1", "theirs")
    client = private_app.test_client()
    login(client, "viewer1")
    resp = _post(client, "/account/tokens", name="我的脚本")
    secret = re.search(r'value="(gt_[^"]+)"', resp.data.decode()).group(1)
    assert "只显示这一次" in resp.data.decode()
    assert private_app.test_client().get("/api/me", headers={"Authorization": f"Bearer {secret}"}).get_json()["username"] == "viewer1"
    page = client.get("/account").data.decode()
    assert "我的脚本" in page and secret not in page and "theirs" not in page
    _post(client, f"/account/tokens/{theirs.id}/revoke")
    assert acc.tokens(kind="api", username="editor1")[0].revoked_at is None
    mine = acc.tokens(kind="api", username="viewer1")[0]
    _post(client, f"/account/tokens/{mine.id}/revoke")
    assert private_app.test_client().get("/api/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_anonymous_visitors_of_a_public_map_are_sent_to_log_in_for_an_account(app):
    resp = app.test_client().get("/account")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    assert app.test_client().get("/admin").status_code == 403


def test_names_on_the_admin_pages_are_escaped(private_app, admin):
    acc = _acc(private_app)
    acc.create_user("xss", "a long password", "viewer", '<img src=x onerror="window.__xss=1">')
    acc.create_display_token('"><script>window.__xss=2</script>', "/wall")
    page = admin.get("/admin").data.decode()
    assert "<img src=x" not in page and "<script>window" not in page
    assert "&lt;img src=x onerror=" in page and "&lt;script&gt;window.__xss=2" in page


def test_a_display_link_shows_photos_only_when_its_maker_ticks_the_box(private_app, admin):
    _post(admin, "/admin/display", name="指挥中心大屏1", scope="/wall", photos="1")
    _post(admin, "/admin/display", name="走廊屏", scope="/wall")
    tokens = {token.name: token for token in _acc(private_app).tokens(kind="display")}
    assert tokens["指挥中心大屏1"].photos is True and tokens["走廊屏"].photos is False
    page = admin.get("/admin").data.decode()
    assert t("page.admin.display_photos") in page  # the box on the form
    rows = {name: re.search(rf'<tr data-token="{token.id}">.*?</tr>', page, re.S).group(0) for name, token in tokens.items()}
    assert t("page.admin.display_photos_on") in rows["指挥中心大屏1"]
    assert t("page.admin.display_photos_on") not in rows["走廊屏"]
