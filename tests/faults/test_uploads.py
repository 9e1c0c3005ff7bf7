"""Bodies over the size limit get a JSON 413 on the API, never a 500 or an HTML page, and write nothing."""

from __future__ import annotations

import io

import pytest

from web import create_app

LIMIT = 64 * 1024


@pytest.fixture
def small_app(seeded, clock, instance_dir):
    app = create_app({"TESTING": True, "GUATU_DATA": str(seeded), "GUATU_CLOCK": clock,
                      "GUATU_INSTANCE": str(instance_dir), "MAX_CONTENT_LENGTH": LIMIT})
    acc = app.extensions["guatu_accounts"]
    acc.create_user("editor1", "correct horse battery", "editor", "李编")
    app.config["TOKEN"] = acc.create_api_token("editor1", "uploads")[1]
    return app


def _big_feature() -> bytes:
    ring = ",".join(["[113.66,34.72]"] * (LIMIT // 10))
    return ('{"properties":{"name":"大","kind":"楼院","status":"pending"},"geometry":{"type":"Polygon","coordinates":[['
            + ring + "]]}}").encode()


def test_an_oversized_api_body_gets_a_problem_document_413(small_app):
    client = small_app.test_client()
    auth = {"Authorization": f"Bearer {small_app.config['TOKEN']}"}
    body = _big_feature()
    assert len(body) > LIMIT
    for method, url in (("POST", "/api/layers/courtyards/features"), ("PATCH", "/api/layers/courtyards/features/c-0001"),
                        ("POST", "/api/layers/courtyards/status")):
        resp = client.open(url, method=method, data=body, content_type="application/json", headers=auth)
        assert resp.status_code == 413, (url, resp.status_code)
        assert resp.mimetype == "application/problem+json"
        assert resp.get_json()["error"] == "request_entity_too_large" and resp.get_json()["message"]
    assert client.get("/api/layers/courtyards/features", headers=auth).get_json()["features"][0]["properties"]["version"] == 1
    assert client.get("/api/changes", headers=auth).get_json()["revision"] == 3  # the seeded writes only


def test_a_chunked_body_without_a_length_is_cut_off_at_the_limit_too(small_app):
    client = small_app.test_client()
    auth = {"Authorization": f"Bearer {small_app.config['TOKEN']}"}
    resp = client.post("/api/layers/courtyards/features", input_stream=io.BytesIO(_big_feature()),
                       content_type="application/json", headers={**auth, "Transfer-Encoding": "chunked"},
                       environ_overrides={"wsgi.input_terminated": True})  # as gunicorn hands a chunked body on
    assert resp.status_code == 413 and resp.get_json()["error"] == "request_entity_too_large"


def test_an_oversized_form_to_a_page_is_refused_before_the_csrf_check_reads_it(small_app):
    client = small_app.test_client()
    resp = client.post("/login", data={"username": "x" * (2 * LIMIT), "password": "y"})
    assert resp.status_code == 413


def test_the_factory_limits_bodies_to_64_mib(app):
    assert app.config["MAX_CONTENT_LENGTH"] == 64 * 1024 * 1024
