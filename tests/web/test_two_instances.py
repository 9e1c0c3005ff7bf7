"""Two app instances on one PostgreSQL database agree on everything a person does (issue 22, item 4).

Two `create_app`s with *different* instance folders stand for two machines
behind a load balancer: no GUATU_SECRET_KEY is shared between them, no file
of one is seen by the other. A browser's cookie, its CSRF token, an import's
preview, an API token and a password change made through one are honoured
by the other; the login counters and a photo are shared too. Nothing is
written to either instance folder but what is local by design.
"""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from geo.errors import Conflict
from geo.store.transfer import copy_to_postgis
from tests.web.conftest import PASSWORD, login
from tests.web.test_exchange_web import FILE, geojson_upload
from web import create_app


@pytest.fixture
def machines(seeded, campaign, clock, tmp_path, postgis_url, postgis_schema):
    copy_to_postgis(seeded, campaign, postgis_url, schema=postgis_schema)
    made = []
    for name in ("one", "two"):
        made.append(create_app({"TESTING": True, "GUATU_DATA": str(seeded), "GUATU_CLOCK": clock,
                                "GUATU_INSTANCE": str(tmp_path / f"instance-{name}"),
                                "GUATU_DATABASE_URL": postgis_url, "GUATU_DATABASE_SCHEMA": postgis_schema}))
    one = made[0].extensions["guatu_accounts"]
    one.create_user("editor1", PASSWORD, "editor", "李编")
    one.create_user("admin1", PASSWORD, "admin", "赵管")
    yield made
    for app in made:
        app.extensions["guatu"].store.close()


def _browser_on(app, cookie: str):
    """The same browser, its request sent by the load balancer to `app`."""
    client = app.test_client()
    client.set_cookie("session", cookie)
    return client


def _csrf(client, url: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).data.decode()).group(1)


def test_a_user_made_on_one_instance_logs_in_on_the_other(machines):
    one, two = machines
    assert [u.username for u in two.extensions["guatu_accounts"].users()] == ["admin1", "editor1"]
    browser = two.test_client()
    login(browser, "editor1")
    assert browser.get("/api/me").get_json()["username"] == "editor1"


def test_logged_in_through_one_a_write_through_the_other_is_accepted(machines):
    one, two = machines
    on_one = one.test_client()
    csrf = login(on_one, "editor1")
    on_two = _browser_on(two, on_one.get_cookie("session").value)
    assert on_two.get("/api/me").get_json()["username"] == "editor1"  # the cookie's signature is good on two
    place = on_two.get("/api/layers/courtyards/features/c-0001")
    etag = place.headers["ETag"]
    resp = on_two.patch("/api/layers/courtyards/features/c-0001", json={"properties": {"notes": "经二号机器保存"}},
                        headers={"If-Match": etag, "X-CSRF-Token": csrf})
    assert resp.status_code == 200, resp.data
    assert on_one.get("/api/layers/courtyards/features/c-0001").get_json()["properties"]["notes"] == "经二号机器保存"
    # the CSRF check is the same on both: a write without it is refused on two as on one
    refused = on_two.patch("/api/layers/courtyards/features/c-0001", json={"properties": {"notes": "x"}},
                           headers={"If-Match": resp.headers["ETag"]})
    assert refused.status_code == 403


def test_an_import_previewed_on_one_is_confirmed_on_the_other(machines):
    one, two = machines
    on_one = one.test_client()
    csrf = login(on_one, "editor1")
    preview = on_one.post("/import", data={"csrf_token": csrf, "layer": "courtyards", "file": geojson_upload(FILE[:1])},
                          content_type="multipart/form-data")
    assert preview.status_code == 200
    pid = re.search(r'/import/([A-Za-z0-9_-]+)/commit', preview.data.decode()).group(1)
    on_two = _browser_on(two, on_one.get_cookie("session").value)
    done = on_two.post(f"/import/{pid}/commit", data={"csrf_token": csrf})
    assert done.status_code == 200, done.data
    names = [f["properties"]["name"] for f in two.extensions["guatu"].store.features("courtyards")]
    assert "兑周村2号院" in names
    again = on_one.post(f"/import/{pid}/commit", data={"csrf_token": csrf})  # committed: gone for both
    assert again.status_code == 404


def test_a_preview_is_only_its_uploaders_on_every_instance(machines):
    one, two = machines
    acc = one.extensions["guatu_accounts"]
    acc.create_user("editor2", PASSWORD, "editor", "王编")
    _, mine = acc.create_api_token("editor1", "script")
    _, theirs = acc.create_api_token("editor2", "script")
    body = one.test_client().post("/api/layers/courtyards/imports", data={"file": geojson_upload(FILE[:1])},
                                  headers={"Authorization": f"Bearer {mine}"}, content_type="multipart/form-data")
    assert body.status_code == 201
    commit = body.get_json()["commit"]
    assert two.test_client().post(commit, headers={"Authorization": f"Bearer {theirs}"}).status_code == 404
    assert two.test_client().post(commit, headers={"Authorization": f"Bearer {mine}"}).status_code == 200


def test_an_api_token_made_on_one_works_on_the_other_until_revoked_there(machines):
    one, two = machines
    on_one = one.test_client()
    login(on_one, "editor1")
    made = on_one.post("/account/tokens", data={"csrf_token": _csrf(on_one, "/account"), "name": "脚本"})
    assert made.status_code == 200
    secret = re.search(r"(gt_[A-Za-z0-9_-]+)", made.data.decode()).group(1)
    auth = {"Authorization": f"Bearer {secret}"}
    assert two.test_client().get("/api/me", headers=auth).get_json()["username"] == "editor1"
    (token,) = two.extensions["guatu_accounts"].tokens(kind="api", username="editor1")
    two.extensions["guatu_accounts"].revoke_token(token.id)
    assert one.test_client().get("/api/me", headers=auth).status_code == 401


def test_a_password_change_on_one_ends_the_session_on_the_other(machines):
    one, two = machines
    phone = two.test_client()
    login(phone, "editor1")
    assert phone.get("/api/me").status_code == 200
    copied = phone.get_cookie("session").value
    desk = one.test_client()
    login(desk, "editor1")
    resp = desk.post("/account/password", data={"csrf_token": _csrf(desk, "/account"), "current": PASSWORD,
                                                "password": "a brand new password", "confirm": "a brand new password"})
    assert resp.status_code == 302
    assert desk.get("/api/me").status_code == 200  # the session that changed it goes on
    assert phone.get("/api/me").status_code == 401  # every other ends, on every instance
    assert _browser_on(one, copied).get("/api/me").status_code == 401  # nor does a copy of its cookie on one


def test_a_logout_on_one_ends_the_session_on_the_other(machines):
    one, two = machines
    browser = one.test_client()
    csrf = login(browser, "editor1")
    cookie = browser.get_cookie("session").value
    assert _browser_on(two, cookie).get("/api/me").status_code == 200
    browser.post("/logout", headers={"X-CSRF-Token": csrf})
    assert _browser_on(two, cookie).get("/api/me").status_code == 401


def test_a_photo_added_through_one_is_served_by_the_other(machines):
    one, two = machines
    _, secret = one.extensions["guatu_accounts"].create_api_token("editor1", "camera")
    auth = {"Authorization": f"Bearer {secret}"}
    jpeg = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(jpeg, "JPEG")
    added = one.test_client().post("/api/layers/courtyards/features/c-0001/photos", headers=auth,
                                   data={"file": (io.BytesIO(jpeg.getvalue()), "现场.jpg")},
                                   content_type="multipart/form-data")
    assert added.status_code in (200, 201), added.data
    (photo,) = two.test_client().get("/api/layers/courtyards/features/c-0001/photos", headers=auth).get_json()["photos"]
    image = two.test_client().get(photo["urls"]["thumb"], headers=auth)
    assert image.status_code == 200 and image.data[:2] == b"\xff\xd8"


def test_nothing_shared_is_written_to_the_instance_folders(machines, tmp_path):
    one, two = machines
    browser = one.test_client()
    login(browser, "editor1")
    for name in ("one", "two"):
        kept = {p.name for p in (tmp_path / f"instance-{name}").rglob("*")}
        assert not kept & {"accounts.json", "secret_key", "imports"}, kept


def test_accounts_are_never_merged_into_a_database_that_keeps_some(machines, tmp_path, clock):
    from geo.accounts import Accounts

    one, two = machines
    old = Accounts(tmp_path / "old" / "accounts.json", clock=clock)
    old.create_user("jinqiao", PASSWORD, "editor", "李秀兰")
    with pytest.raises(Conflict):
        one.extensions["guatu_accounts"].adopt(tmp_path / "old" / "accounts.json")
    assert "jinqiao" not in {u.username for u in two.extensions["guatu_accounts"].users()}

def test_a_file_deployments_accounts_move_into_the_database_with_their_sessions_and_tokens(
        seeded, campaign, clock, tmp_path, postgis_url, postgis_schema):
    """`flask --app web users import-from-file instance/accounts.json`: users, tokens and live sessions carry over."""
    from geo.accounts import Accounts

    before = create_app({"TESTING": True, "GUATU_DATA": str(seeded), "GUATU_CLOCK": clock,
                         "GUATU_INSTANCE": str(tmp_path / "old"), "GUATU_SECRET_KEY": "kept across the move"})
    old: Accounts = before.extensions["guatu_accounts"]
    old.create_user("jinqiao", PASSWORD, "editor", "李秀兰")
    _, secret = old.create_api_token("jinqiao", "旧脚本")
    browser = before.test_client()
    login(browser, "jinqiao")
    cookie = browser.get_cookie("session").value

    copy_to_postgis(seeded, campaign, postgis_url, schema=postgis_schema)
    after = create_app({"TESTING": True, "GUATU_DATA": str(seeded), "GUATU_CLOCK": clock,
                        "GUATU_INSTANCE": str(tmp_path / "new"), "GUATU_SECRET_KEY": "kept across the move",
                        "GUATU_DATABASE_URL": postgis_url, "GUATU_DATABASE_SCHEMA": postgis_schema})
    try:
        runner = after.test_cli_runner()
        done = runner.invoke(args=["users", "import-from-file", str(tmp_path / "old" / "accounts.json")])
        assert done.exit_code == 0, done.output
        assert "1 个用户和 1 个令牌" in done.output
        assert after.test_client().get("/api/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
        assert _browser_on(after, cookie).get("/api/me").get_json()["username"] == "jinqiao"
        again = runner.invoke(args=["users", "import-from-file", str(tmp_path / "old" / "accounts.json")])
        assert again.exit_code != 0 and "不会合并或覆盖" in again.output  # never twice, never merged
        missing = runner.invoke(args=["users", "import-from-file", str(tmp_path / "nowhere.json")])
        assert missing.exit_code != 0 and "找不到账户文件" in missing.output
    finally:
        after.extensions["guatu"].store.close()
