"""The security review's findings on accounts, closed: token minting, server-side session revocation,
login throttling without stranger lockout or user enumeration, and the HTTP Basic credential cache."""

from __future__ import annotations

import base64
import re

import pytest

from geo.accounts import Accounts
from geo.errors import BrokenRecord
from geo.messages import t
from tests.web.conftest import PASSWORD, login
from web import create_app


def _basic(user, password=PASSWORD):
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def _acc(app) -> Accounts:
    return app.extensions["guatu_accounts"]


def _csrf(client, url="/login") -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).data.decode()).group(1)


def _try_login(client, username, password, address="127.0.0.1"):
    csrf = _csrf(client)
    return client.post("/login", data={"username": username, "password": password, "csrf_token": csrf},
                       environ_base={"REMOTE_ADDR": address})


def _replay(app, cookie_value: str):
    """A fresh browser that only has a copy of someone's session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", cookie_value)
    return thief


# --- finding 3: sessions are revocable server-side ------------------------------------------

def test_a_session_cookie_replayed_after_logout_is_refused(private_app):
    client = private_app.test_client()
    csrf = login(client, "editor1")
    stolen = client.get_cookie("session").value
    assert _replay(private_app, stolen).get("/api/me").status_code == 200  # a copy works while the session lives
    client.post("/logout", headers={"X-CSRF-Token": csrf})
    assert _replay(private_app, stolen).get("/api/me").status_code == 401
    assert _replay(private_app, stolen).get("/").status_code == 302  # pages send it to the login page


def test_a_password_change_ends_every_other_session_but_keeps_this_one(private_app):
    phone, desk = private_app.test_client(), private_app.test_client()
    login(phone, "editor1")
    login(desk, "editor1")
    stolen = phone.get_cookie("session").value
    resp = desk.post("/account/password", data={"csrf_token": _csrf(desk, "/account"), "current": PASSWORD,
                                                "password": "a brand new password", "confirm": "a brand new password"})
    assert resp.status_code == 302
    assert desk.get("/api/me").status_code == 200
    assert phone.get("/api/me").status_code == 401
    assert _replay(private_app, stolen).get("/api/me").status_code == 401


def test_disabling_a_user_ends_their_sessions(private_app):
    editor, admin = private_app.test_client(), private_app.test_client()
    login(editor, "editor1")
    login(admin, "admin1")
    stolen = editor.get_cookie("session").value
    admin.post("/admin/users/editor1/disable", data={"csrf_token": _csrf(admin, "/admin")})
    assert _acc(private_app).get_user("editor1").disabled
    _acc(private_app).update_user("editor1", disabled=False)  # enabling again does not bring old sessions back
    assert _replay(private_app, stolen).get("/api/me").status_code == 401


def test_sessions_end_for_every_worker_sharing_the_accounts_file(private_app, seeded, clock, instance_dir):
    """Another worker process (another app on the same instance folder) honours a logout at once."""
    other = create_app({"TESTING": True, "GUATU_DATA": str(seeded), "GUATU_CLOCK": clock,
                        "GUATU_INSTANCE": str(instance_dir)})
    client = private_app.test_client()
    csrf = login(client, "viewer1")
    stolen = client.get_cookie("session").value
    assert _replay(other, stolen).get("/api/me").status_code == 200
    client.post("/logout", headers={"X-CSRF-Token": csrf})
    assert _replay(other, stolen).get("/api/me").status_code == 401


def test_a_session_lasts_twelve_hours_from_its_login(private_app, clock):
    client = private_app.test_client()
    login(client, "viewer1")
    clock.advance(hours=11, minutes=59)
    assert client.get("/api/me").status_code == 200
    clock.advance(minutes=2)
    assert client.get("/api/me").status_code == 401


def test_an_accounts_file_of_the_previous_version_still_loads(tmp_path, clock):
    """Fields the old lockout kept (failures, locked_until, session_version) are ignored, not fatal."""
    import orjson
    from werkzeug.security import generate_password_hash

    path = tmp_path / "accounts.json"
    path.write_bytes(orjson.dumps({"users": [{
        "username": "old", "name": "老用户", "role": "admin", "password_hash": generate_password_hash(PASSWORD),
        "created_at": "2026-01-01T00:00:00Z", "disabled": False, "session_version": 3, "failures": 2,
        "locked_until": None}], "tokens": []}))
    acc = Accounts(path, clock=clock)
    assert acc.authenticate("old", PASSWORD).username == "old"
    assert acc.session_user("old", acc.start_session("old")) is not None


ACCOUNTS_DAMAGE = {  # a hand edit or a bad restore of accounts.json → what the 503 names
    "cut short": (lambda text: text[: len(text) // 2], "不是有效的 JSON"),
    "not an object": (lambda text: "[1]", "应为对象"),
    "a role that is no role": (lambda text: text.replace('"role": "editor"', '"role": 5'), "]: 应为含 username"),
    "users as text": (lambda text: re.sub(r'"users": \[.*?\n  \]', '"users": "x"', text, flags=re.S), "users: 类型不对"),
}


@pytest.mark.parametrize("damage", list(ACCOUNTS_DAMAGE))
def test_damaged_accounts_refuse_every_login_with_a_503_and_are_never_written_over(private_app, instance_dir, damage):
    """Nobody is let in on a guess and no account write replaces what is there: a 503 naming the file and what to
    do (never the server's path), where a 500 was."""
    path = instance_dir / "accounts.json"
    edit, words = ACCOUNTS_DAMAGE[damage]
    damaged = edit(path.read_text(encoding="utf-8"))
    assert damaged != path.read_text(encoding="utf-8")
    path.write_text(damaged, encoding="utf-8")
    client = private_app.test_client()
    page = client.get("/login").data.decode()
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    resp = client.post("/login", data={"username": "editor1", "password": PASSWORD, "csrf_token": csrf},
                       headers={"Accept": "application/json"})
    assert resp.status_code == 503
    message = resp.get_json()["message"]
    assert message.startswith("账户数据 accounts.json 无法读取") and words in message and str(instance_dir) not in message
    with pytest.raises(BrokenRecord):
        private_app.extensions["guatu_accounts"].create_user("new1", PASSWORD, "viewer", "新人")
    assert path.read_text(encoding="utf-8") == damaged


# --- finding 2: tokens cannot mint tokens; revocation follows what was minted --------------------

def test_an_api_token_or_basic_credentials_cannot_mint_new_tokens(private_app):
    acc = _acc(private_app)
    _, secret = acc.create_api_token("editor1", "script")
    client = private_app.test_client()
    for headers in ({"Authorization": f"Bearer {secret}"}, _basic("editor1")):
        resp = client.post("/account/tokens", data={"name": "more"}, headers=headers)
        assert resp.status_code == 403
        assert t("accounts.token_needs_session") in resp.data.decode()
    assert [tok.name for tok in acc.tokens(kind="api")] == ["script"]


def test_a_token_needs_a_recent_login_or_the_password_again(private_app, clock):
    acc = _acc(private_app)
    client = private_app.test_client()
    login(client, "editor1")
    clock.advance(minutes=10)  # the login is no longer fresh
    resp = client.post("/account/tokens", data={"csrf_token": _csrf(client, "/account"), "name": "QGIS"})
    assert resp.status_code == 302 and acc.tokens(kind="api") == []
    assert t("accounts.token_needs_password") in client.get("/account").data.decode()
    wrong = client.post("/account/tokens", data={"csrf_token": _csrf(client, "/account"), "name": "QGIS",
                                                 "current": "not my password"})
    assert wrong.status_code == 302 and acc.tokens(kind="api") == []
    made = client.post("/account/tokens", data={"csrf_token": _csrf(client, "/account"), "name": "QGIS",
                                                "current": PASSWORD})
    assert made.status_code == 200 and "gt_" in made.data.decode()
    (token,) = acc.tokens(kind="api")
    assert token.username == "editor1" and token.created_by == "editor1" and token.parent is None
    # re-entering the password makes the login fresh again for a few minutes
    again = client.post("/account/tokens", data={"csrf_token": _csrf(client, "/account"), "name": "second"})
    assert again.status_code == 200 and len(acc.tokens(kind="api")) == 2


def test_a_fresh_login_may_mint_a_token_without_retyping_the_password(private_app):
    client = private_app.test_client()
    login(client, "viewer1")
    resp = client.post("/account/tokens", data={"csrf_token": _csrf(client, "/account"), "name": "脚本"})
    assert resp.status_code == 200
    assert [tok.created_by for tok in _acc(private_app).tokens(kind="api")] == ["viewer1"]


def test_revoking_a_token_revokes_everything_minted_from_it_transitively(private_app):
    acc = _acc(private_app)
    root, root_secret = acc.create_api_token("editor1", "root")
    child, child_secret = acc.create_api_token("editor1", "child", parent=root.id)
    _, grandchild_secret = acc.create_api_token("editor1", "grandchild", parent=child.id)
    _, other_secret = acc.create_api_token("editor1", "unrelated")
    client = private_app.test_client()
    for secret in (root_secret, child_secret, grandchild_secret, other_secret):
        assert client.get("/api/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    acc.revoke_token(root.id)
    for secret in (root_secret, child_secret, grandchild_secret):
        assert client.get("/api/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    assert client.get("/api/me", headers={"Authorization": f"Bearer {other_secret}"}).status_code == 200
    revoked = {tok.name for tok in acc.tokens(kind="api") if tok.revoked_at}
    assert revoked == {"root", "child", "grandchild"}


def test_disabling_a_user_revokes_the_tokens_and_display_links_they_minted(private_app):
    acc = _acc(private_app)
    acc.create_user("admin2", PASSWORD, "admin", "钱管")
    admin2 = private_app.test_client()
    login(admin2, "admin2")
    page = admin2.post("/admin/display", data={"csrf_token": _csrf(admin2, "/admin"), "name": "大屏",
                                               "scope": "/wall"}).data.decode()
    display_secret = re.search(r"display=(gd_[A-Za-z0-9_\-]+)", page).group(1)
    _, api_secret = acc.create_api_token("admin2", "own", created_by="admin2")
    client = private_app.test_client()
    assert client.get("/api/wall/state", headers={"X-Guatu-Display": display_secret}).status_code == 200
    acc.update_user("admin2", disabled=True)
    assert client.get("/api/wall/state", headers={"X-Guatu-Display": display_secret}).status_code == 401
    assert client.get("/api/me", headers={"Authorization": f"Bearer {api_secret}"}).status_code == 401
    assert all(tok.revoked_at for tok in acc.tokens())


# --- finding 4: throttling without stranger lockout or user enumeration ----------------------------

def test_a_stranger_cannot_lock_a_user_out(private_app):
    attacker, owner = private_app.test_client(), private_app.test_client()
    answers = [_try_login(attacker, "admin1", "guess guess guess", "10.9.9.9").status_code for _ in range(8)]
    assert answers == [401] * 5 + [429] * 3
    waiting = _try_login(attacker, "admin1", PASSWORD, "10.9.9.9")
    assert waiting.status_code == 429  # the attacker's address waits, even with the right password
    assert waiting.headers["Retry-After"] == str(15 * 60)
    assert _try_login(owner, "admin1", PASSWORD, "10.1.2.3").status_code == 302  # the admin does not


def test_a_right_password_forgives_the_users_own_typos(private_app):
    client = private_app.test_client()
    for _ in range(4):
        assert _try_login(client, "editor1", "typo typo typo").status_code == 401
    assert _try_login(client, "editor1", PASSWORD).status_code == 302
    for _ in range(4):  # the count started afresh
        assert _try_login(private_app.test_client(), "editor1", "typo typo typo").status_code == 401


def test_unknown_and_known_users_get_the_same_answers_and_the_same_work(private_app):
    acc = _acc(private_app)
    seen = {}
    for username in ("editor1", "nobody-here"):
        client = private_app.test_client()
        checks = acc.password_checks
        answers = [_try_login(client, username, "wrong wrong wrong") for _ in range(7)]
        seen[username] = [(r.status_code, _flash(r)) for r in answers]
        assert acc.password_checks - checks == 5  # one scrypt verification per attempt let through, either way
    assert seen["editor1"] == seen["nobody-here"]
    assert seen["editor1"][0] == (401, t("accounts.login_refused"))
    assert seen["editor1"][-1] == (429, t("accounts.throttled"))


def _flash(resp) -> str:
    return re.search(r'class="login-error"[^>]*>([^<]+)<', resp.data.decode()).group(1).strip()


def test_an_office_behind_one_address_is_not_throttled_by_its_logins(seeded, clock, instance_dir):
    app = create_app({"TESTING": True, "GUATU_DATA": str(seeded), "GUATU_CLOCK": clock,
                      "GUATU_INSTANCE": str(instance_dir), "GUATU_LOGIN_LIMIT_IP": "3 per 10 minutes"})
    _acc(app).create_user("clerk1", PASSWORD, "viewer", "孙一")
    client = app.test_client()
    for _ in range(10):  # right passwords give their attempt back
        assert client.get("/api/me", headers=_basic("clerk1")).status_code == 200
        clock.advance(seconds=61)  # past the Basic cache: each one is checked again
    answers = [client.get("/api/me", headers=_basic("clerk1", "typo typo typo")).status_code for _ in range(4)]
    assert answers == [401, 401, 401, 429]


def test_one_address_trying_many_user_names_is_throttled(seeded, clock, instance_dir):
    app = create_app({"TESTING": True, "GUATU_DATA": str(seeded), "GUATU_CLOCK": clock,
                      "GUATU_INSTANCE": str(instance_dir), "GUATU_LOGIN_LIMIT_IP": "10 per 10 minutes"})
    client = app.test_client()
    answers = [client.get("/api/layers", headers=_basic(f"user{i}", "wrong wrong wrong")).status_code
               for i in range(12)]
    assert answers == [401] * 10 + [429] * 2
    clock.advance(minutes=4)
    throttled = client.get("/api/layers", headers=_basic("user99", "wrong wrong wrong"))
    body = throttled.get_json()
    assert (body["status"], body["error"], body["message"]) == (429, "too_many_attempts", t("accounts.throttled"))
    assert throttled.headers["Retry-After"] == str(6 * 60)  # the address's window ends 10 minutes after it began
    clock.advance(minutes=7)
    assert client.get("/api/layers", headers=_basic("user99", "wrong wrong wrong")).status_code == 401


def test_login_counters_are_shared_by_every_worker_on_the_machine(private_app, seeded, clock, instance_dir):
    """Two apps on the same instance folder stand for two gunicorn workers: one count."""
    other = create_app({"TESTING": True, "GUATU_DATA": str(seeded), "GUATU_CLOCK": clock,
                        "GUATU_INSTANCE": str(instance_dir)})
    apps = [private_app, other]
    answers = [apps[i % 2].test_client().get("/api/layers", headers=_basic("editor1", "bad bad bad bad")).status_code
               for i in range(8)]
    assert answers == [401] * 5 + [429] * 3


@pytest.fixture
def postgis_apps(seeded, campaign, clock, tmp_path, postgis_url, postgis_schema):
    from geo.store.transfer import copy_to_postgis

    copy_to_postgis(seeded, campaign, postgis_url, schema=postgis_schema)
    made = []
    for name in ("one", "two"):  # two instances on two machines: separate instance folders, one database
        app = create_app({"TESTING": True, "GUATU_DATA": str(seeded), "GUATU_CLOCK": clock,
                          "GUATU_INSTANCE": str(tmp_path / name), "GUATU_DATABASE_URL": postgis_url,
                          "GUATU_DATABASE_SCHEMA": postgis_schema, "SECRET_KEY": "shared"})
        made.append(app)
    yield made
    for app in made:
        app.extensions["guatu"].store.close()


def test_with_postgresql_login_counters_are_shared_by_every_instance(postgis_apps):
    one, two = postgis_apps
    answers = [(one, two)[i % 2].test_client().get("/api/layers", headers=_basic("admin9", "bad bad bad bad"))
               .status_code for i in range(8)]
    assert answers == [401] * 5 + [429] * 3  # unknown on both (no accounts), counted once


# --- finding 5: HTTP Basic is verified once a minute, not on every request ------------------------

def test_basic_credentials_are_verified_once_and_then_served_from_the_cache(private_app, clock, instance_dir):
    acc = _acc(private_app)
    client = private_app.test_client()
    accounts_file = instance_dir / "accounts.json"
    assert client.get("/api/layers", headers=_basic("viewer1")).status_code == 200
    checks, writes, mtime = acc.password_checks, acc.file_writes, accounts_file.stat().st_mtime_ns
    for _ in range(20):
        assert client.get("/api/layers", headers=_basic("viewer1")).status_code == 200
    assert acc.password_checks == checks  # no scrypt for the next 20 requests
    assert acc.file_writes == writes and accounts_file.stat().st_mtime_ns == mtime  # and no rewrite of the file
    clock.advance(seconds=61)
    assert client.get("/api/layers", headers=_basic("viewer1")).status_code == 200
    assert acc.password_checks == checks + 1  # verified again after a minute, last use written once
    assert acc.file_writes == writes + 1
    assert client.get("/api/layers", headers=_basic("viewer1", "wrong wrong wrong")).status_code == 401
    assert acc.password_checks == checks + 2  # a wrong password is never served from the cache


def test_a_cached_basic_credential_stops_at_once_when_the_password_changes_or_the_user_is_disabled(
        private_app, instance_dir, clock):
    client = private_app.test_client()
    assert client.get("/api/layers", headers=_basic("editor1")).status_code == 200
    other_worker = Accounts(instance_dir / "accounts.json", clock=clock)  # the change is made by another process
    other_worker.update_user("editor1", password="another long password")
    assert client.get("/api/layers", headers=_basic("editor1")).status_code == 401
    assert client.get("/api/layers", headers=_basic("editor1", "another long password")).status_code == 200
    other_worker.update_user("editor1", disabled=True)
    assert client.get("/api/layers", headers=_basic("editor1", "another long password")).status_code == 401


def test_the_basic_cache_keeps_no_password(private_app):
    acc = _acc(private_app)
    private_app.test_client().get("/api/layers", headers=_basic("viewer1"))
    assert PASSWORD not in repr(vars(acc))


def test_a_visitor_of_the_public_view_has_no_account_page_of_their_own(app):
    """The public wall needs no login, but "my account" and "my notification settings" are for an account: their
    pages send a visitor to log in (and back), their API refuses with a 403 that says why; a logged-in user gets
    their own."""
    _acc(app).create_user("editor1", PASSWORD, "editor", "李编", email="li@example.cn")
    client = app.test_client()
    for path in ("/account", "/account/notify"):
        resp = client.get(path)
        assert resp.status_code == 302 and resp.headers["Location"] == f"/login?next={path}", path
    resp = client.get("/api/notify/settings")
    assert resp.status_code == 403 and resp.get_json()["message"] == t("notify.delivery.needs_account")
    login(client, "editor1")
    for path in ("/account", "/account/notify"):  # their own
        page = client.get(path)
        assert page.status_code == 200 and "李编" in page.get_data(as_text=True), path
    own = client.get("/api/notify/settings")
    assert own.status_code == 200 and own.get_json()["address"] == "li@example.cn"
