"""Hardening around the API: writes from other sites, HTTPS behind a proxy, exact error answers."""

from __future__ import annotations

import base64

from tests.web.conftest import PASSWORD
from web import create_app


def _acc(app):
    return app.extensions["guatu_accounts"]


def test_a_write_from_another_site_is_refused_even_with_remembered_basic_credentials(private_app):
    basic = {"Authorization": "Basic " + base64.b64encode(f"editor1:{PASSWORD}".encode()).decode()}
    client = private_app.test_client()
    body = {"status": "accepted", "features": {"c-0001": 1}}
    for site in ("cross-site", "same-site"):
        resp = client.post("/api/layers/courtyards/status", json=body, headers={**basic, "Sec-Fetch-Site": site})
        assert resp.status_code == 403 and "其他网站" in resp.get_json()["message"]
    ok = client.post("/api/layers/courtyards/status", json=body, headers={**basic, "Sec-Fetch-Site": "same-origin"})
    assert ok.status_code == 200


def test_a_wrong_method_names_the_allowed_ones(client):
    resp = client.put("/api/campaign")
    assert resp.status_code == 405 and resp.get_json()["error"] == "method_not_allowed"
    assert "GET" in resp.headers["Allow"]


def test_a_malformed_since_is_refused_not_read_as_missing(client):
    resp = client.get("/api/changes?since=yesterday")
    assert resp.status_code == 400 and resp.get_json()["fields"][0]["field"] == "since"


def test_a_delete_with_a_body_that_is_not_an_object_is_refused(private_app):
    _, secret = _acc(private_app).create_api_token("editor1", "script")
    resp = private_app.test_client().delete("/api/layers/courtyards/features/c-0001", data="1.0",
                                            content_type="application/json", headers={"Authorization": f"Bearer {secret}"})
    assert resp.status_code == 422


def test_behind_an_https_proxy_cookies_are_secure_and_hsts_is_sent(seeded, clock, instance_dir):
    app = create_app({"TESTING": True, "GUATU_DATA": str(seeded), "GUATU_CLOCK": clock,
                      "GUATU_INSTANCE": str(instance_dir), "GUATU_HTTPS": True})
    _acc(app).create_user("viewer1", PASSWORD, "viewer")
    client = app.test_client()
    proxy = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "guatu.example"}
    page = client.get("/login", headers=proxy)
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")
    csrf = page.data.decode().split('name="csrf_token" value="')[1].split('"')[0]
    resp = client.post("/login?next=/account", data={"username": "viewer1", "password": PASSWORD, "csrf_token": csrf},
                       headers=proxy)
    assert resp.status_code == 302 and "Secure" in resp.headers["Set-Cookie"]
    assert resp.headers["Location"] == "/account"


def test_without_https_configured_cookies_are_not_marked_secure(private_app):
    client = private_app.test_client()
    page = client.get("/login")
    assert "Strict-Transport-Security" not in page.headers
    csrf = page.data.decode().split('name="csrf_token" value="')[1].split('"')[0]
    resp = client.post("/login", data={"username": "viewer1", "password": PASSWORD, "csrf_token": csrf})
    assert resp.status_code == 302 and "Secure" not in resp.headers["Set-Cookie"]
