"""Accounts and roles over HTTP: sessions, tokens, Basic, display links, CSRF, headers."""

from __future__ import annotations

import base64

import orjson
import pytest

from geo.messages import t
from tests.web.conftest import PASSWORD, login


def _basic(user, password=PASSWORD):
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def test_anonymous_users_see_nothing_without_the_public_view(private_app):
    client = private_app.test_client()
    page = client.get("/")
    assert page.status_code == 302 and "/login" in page.headers["Location"]
    api = client.get("/api/layers/courtyards/features")
    assert api.status_code == 401
    assert api.get_json()["error"] == "unauthorized"
    assert "Bearer" in api.headers["WWW-Authenticate"]
    assert client.get("/api/health").status_code == 200  # health checks stay open


def test_login_sets_a_hardened_session_cookie_and_logout_ends_it(private_app):
    client = private_app.test_client()
    page = client.get("/login").data.decode()
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    resp = client.post("/login", data={"username": "viewer1", "password": PASSWORD, "csrf_token": csrf})
    cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/").status_code == 200
    me = client.get("/api/me").get_json()
    client.post("/logout", headers={"X-CSRF-Token": me["csrf_token"]})
    assert client.get("/").status_code == 302


def test_wrong_password_is_refused_and_repeated_failures_are_throttled(private_app):
    client = private_app.test_client()
    page = client.get("/login").data.decode()
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    for _ in range(5):
        bad = client.post("/login", data={"username": "editor1", "password": "wrong password!", "csrf_token": csrf})
        assert bad.status_code == 401
        assert "用户名或密码错误" in bad.data.decode()
    locked = client.post("/login", data={"username": "editor1", "password": PASSWORD, "csrf_token": csrf})
    assert locked.status_code == 429  # even the right password waits out the lock


def test_lockout_ends_after_fifteen_minutes(private_app, clock):
    client = private_app.test_client()
    for _ in range(5):
        client.get("/api/layers", headers=_basic("editor1", "wrong password!"))
    assert client.get("/api/layers", headers=_basic("editor1")).status_code == 429
    clock.advance(minutes=16)
    assert client.get("/api/layers", headers=_basic("editor1")).status_code == 200


def test_login_form_without_csrf_token_is_refused(private_app):
    client = private_app.test_client()
    client.get("/login")
    resp = client.post("/login", data={"username": "viewer1", "password": PASSWORD})
    assert resp.status_code == 400
    assert client.get("/").status_code == 302


def test_login_redirect_never_leaves_the_site(private_app):
    client = private_app.test_client()
    page = client.get("/login?next=https://evil.example/").data.decode()
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    resp = client.post("/login?next=https://evil.example/",
                       data={"username": "viewer1", "password": PASSWORD, "csrf_token": csrf})
    assert resp.headers["Location"] == "/"


def test_viewer_cannot_write_and_editor_can(private_app):
    viewer, editor = private_app.test_client(), private_app.test_client()
    csrf_v = login(viewer, "viewer1")
    csrf_e = login(editor, "editor1")
    body = {"properties": {"status": "rectified"}, "version": 1}
    refused = viewer.patch("/api/layers/courtyards/features/c-0002", json=body, headers={"X-CSRF-Token": csrf_v})
    assert refused.status_code == 403
    ok = editor.patch("/api/layers/courtyards/features/c-0002", json=body, headers={"X-CSRF-Token": csrf_e})
    assert ok.status_code == 200
    history = editor.get("/api/layers/courtyards/features/c-0002/history").get_json()
    assert history[-1]["user"] == "李编 (editor1)"


def test_a_session_write_without_the_csrf_token_is_refused(private_app):
    client = private_app.test_client()
    login(client, "editor1")
    body = {"properties": {"status": "rectified"}, "version": 1}
    resp = client.patch("/api/layers/courtyards/features/c-0002", json=body)
    assert resp.status_code == 403
    assert "CSRF" in resp.get_json()["message"]
    wrong = client.patch("/api/layers/courtyards/features/c-0002", json=body, headers={"X-CSRF-Token": "guess"})
    assert wrong.status_code == 403
    assert client.get("/api/layers/courtyards/features/c-0002").get_json()["properties"]["version"] == 1


def test_api_token_acts_as_its_user_until_revoked(private_app, clock):
    acc = private_app.extensions["guatu_accounts"]
    token, secret = acc.create_api_token("editor1", "QGIS")
    client = private_app.test_client()
    auth = {"Authorization": f"Bearer {secret}"}
    resp = client.patch("/api/layers/courtyards/features/c-0002", json={"properties": {"status": "accepted"}},
                        headers={**auth, "If-Match": '"c-0002-v1"'})
    assert resp.status_code == 200  # no cookie, so no CSRF token needed
    listed = acc.tokens(kind="api")[0]
    assert listed.last_used_at is not None and "hash" not in listed.public()
    assert secret not in (private_app.config["GUATU_INSTANCE"] + "/accounts.json") and secret not in \
        open(private_app.config["GUATU_INSTANCE"] + "/accounts.json", encoding="utf-8").read()
    acc.revoke_token(token.id)
    assert client.get("/api/layers", headers=auth).status_code == 401


def test_http_basic_works_for_scripts(private_app):
    client = private_app.test_client()
    assert client.get("/api/layers", headers=_basic("viewer1")).status_code == 200
    assert client.get("/api/layers", headers=_basic("viewer1", "nope nope nope")).status_code == 401


def test_display_token_opens_only_its_wall_map_read_only(private_app):
    acc = private_app.extensions["guatu_accounts"]
    token, secret = acc.create_display_token("指挥中心大屏1", "/wall")
    client = private_app.test_client()
    page = client.get(f"/wall?display={secret}")
    assert page.status_code == 200
    head = {"X-Guatu-Display": secret}
    assert client.get("/api/wall/state", headers=head).status_code == 200
    assert client.get("/api/layers/courtyards/features", headers=head).status_code == 403
    assert client.patch("/api/layers/courtyards/features/c-0002", json={"version": 1}, headers=head).status_code == 403
    acc.revoke_token(token.id)
    assert client.get("/api/wall/state", headers=head).status_code == 401


def test_admin_role_is_needed_to_manage_users(private_app):
    acc = private_app.extensions["guatu_accounts"]
    from geo.errors import ValidationError

    try:
        acc.update_user("admin1", role="viewer")
    except ValidationError as exc:
        assert exc.message == "role: " + t("accounts.last_admin")
    else:
        raise AssertionError("the last admin was demoted")


def test_passwords_are_stored_hashed(private_app):
    text = open(private_app.config["GUATU_INSTANCE"] + "/accounts.json", encoding="utf-8").read()
    assert PASSWORD not in text and "scrypt:" in text


def test_outside_the_tests_passwords_are_hashed_at_werkzeugs_full_scrypt_cost(tmp_path, monkeypatch):
    """The suite hashes at a lower cost (tests/conftest.py `cheaper_password_hashes`); the product does not: its
    own binding, restored here, hashes a password and the unknown user's dummy at werkzeug's full scrypt cost."""
    import geo.accounts
    from geo.accounts import Accounts, LoginRefused
    from tests.conftest import PRODUCT_PASSWORD_HASH

    monkeypatch.setattr(geo.accounts, "generate_password_hash", PRODUCT_PASSWORD_HASH)
    geo.accounts._dummy_hash.cache_clear()
    try:
        acc = Accounts(tmp_path / "accounts.json")
        acc.create_user("full1", PASSWORD, "viewer", "全价")
        stored = orjson.loads((tmp_path / "accounts.json").read_bytes())["users"][0]["password_hash"]
        assert stored.startswith("scrypt:32768:8:1$")
        assert acc.authenticate("full1", PASSWORD).username == "full1"
        with pytest.raises(LoginRefused):
            acc.authenticate("nobody", PASSWORD)
        assert geo.accounts._dummy_hash().startswith("scrypt:32768:8:1$")
    finally:
        geo.accounts._dummy_hash.cache_clear()  # the other tests' dummy at their cost again


def test_every_page_carries_security_headers_and_a_nonce_csp(app):
    client = app.test_client()
    for url in ("/", "/api/campaign", "/login"):
        resp = client.get(url)
        csp = resp.headers["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert resp.headers["X-Frame-Options"] == "SAMEORIGIN"
    page = client.get("/")
    nonce = page.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    html = page.data.decode()
    assert html.count("<script") == html.count(f'<script nonce="{nonce}"') + html.count("<script src=")


def test_cli_creates_users_and_display_links(private_app):
    runner = private_app.test_cli_runner()
    out = runner.invoke(args=["users", "create", "planner", "--role", "editor", "--password", "a long password"])
    assert out.exit_code == 0, out.output
    assert "planner\teditor" in runner.invoke(args=["users", "list"]).output
    link = runner.invoke(args=["display", "create", "--name", "大屏2", "--url", "/wall"])
    assert link.exit_code == 0 and "/wall?display=gd_" in link.output
    weak = runner.invoke(args=["users", "create", "weak", "--password", "short"])
    assert weak.exit_code != 0 and t("accounts.password_short", minimum=10) in weak.output


def test_refusals_of_access_are_in_chinese(private_app):
    """401 and 403 answers are read by people (an IT office with curl, a script's log): from the catalogue."""
    from geo.messages import t

    url = "/api/layers/courtyards/features/c-0002"
    anonymous = private_app.test_client()
    assert anonymous.get(url).get_json()["message"] == t("accounts.login_required")
    assert anonymous.get(url, headers={"Authorization": "Bearer nope"}).get_json()["message"] == t("accounts.token_invalid")
    assert anonymous.get(f"{url}?display=nope").get_json()["message"] == t("accounts.display_token_invalid")
    viewer = private_app.test_client()
    csrf = login(viewer, "viewer1")
    body = {"properties": {"status": "rectified"}, "version": 1}
    refused = viewer.patch(url, json=body, headers={"X-CSRF-Token": csrf})
    assert refused.status_code == 403
    assert refused.get_json()["message"] == t("accounts.role_needed", role="编辑", have="查看")
    editor = private_app.test_client()
    csrf = login(editor, "editor1")
    assert editor.patch(url, json=body).get_json()["message"] == t("accounts.csrf_wrong")
    forged = editor.patch(url, json=body, headers={"X-CSRF-Token": csrf, "Sec-Fetch-Site": "cross-site"})
    assert forged.status_code == 403 and forged.get_json()["message"] == t("accounts.cross_site_write")
