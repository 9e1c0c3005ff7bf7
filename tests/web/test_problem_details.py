"""Every error a program is answered with, on /api and /ogc, is an RFC 9457 problem document
(application/problem+json) of a kind from geo/problems.py's table, with that kind's one status, a Chinese
title and detail when no language is asked for, and the older `error`/`message` members kept."""

from __future__ import annotations

import io
import re

import pytest

from geo.errors import GuatuError
from geo.messages import t
from geo.problems import BY_STATUS, KINDS, Kind, kind_of, problem
from tests.conftest import make_feature
from tests.deployment import private_deployment

CHINESE = re.compile(r"[\u4e00-\u9fff]")
ITEMS = "/ogc/collections/courtyards/items"


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    """A private deployment with two courtyards, an editor's and a viewer's API token."""
    d = private_deployment(tmp_path_factory.mktemp("problems"),
                           [make_feature("兑周村1号院", "pending", x=x) for x in (113.660, 113.662)], ("editor1", "viewer1"))
    return d.app, {name: d.auth(name) for name in ("editor1", "viewer1")}


def _problem(resp, code: str, path: str) -> dict:
    """The answer is the problem document of kind `code`, with its one status, for `path`."""
    kind = KINDS[code]
    assert resp.status_code == kind.status, (resp.status_code, resp.get_data(as_text=True)[:300])
    assert resp.mimetype == "application/problem+json"
    body = resp.get_json()
    assert body["type"] == f"/problems/{code}"
    assert body["title"] == t(f"problem.{code}") and CHINESE.search(body["title"])
    assert body["status"] == resp.status_code
    assert body["instance"] == path
    assert body["detail"] and body["message"] == body["detail"]
    assert body["error"] == code
    return body


# --- /api: one representative mistake of each kind ------------------------------------

def test_a_query_parameter_that_cannot_be_read_is_a_400_naming_it(deployment):
    app, tokens = deployment
    body = _problem(app.test_client().get("/api/changes?since=abc", headers=tokens["viewer1"]), "bad_parameter",
                    "/api/changes")
    assert body["parameter"] == "since" and CHINESE.search(body["detail"])


def test_a_body_that_is_not_json_is_a_400_naming_the_body(deployment):
    app, tokens = deployment
    resp = app.test_client().post("/api/layers/courtyards/features", data=b"{", content_type="application/json",
                                  headers=tokens["editor1"])
    body = _problem(resp, "bad_request", "/api/layers/courtyards/features")
    assert [f["field"] for f in body["fields"]] == ["body"] and CHINESE.search(body["detail"])


def test_a_body_that_breaks_a_campaign_rule_is_a_422_listing_the_fields(deployment):
    app, tokens = deployment
    outside = make_feature("远处的院", "pending", x=120.0, y=30.0)
    resp = app.test_client().post("/api/layers/courtyards/features", json=outside, headers=tokens["editor1"])
    body = _problem(resp, "invalid", "/api/layers/courtyards/features")
    assert any(f["field"].startswith("geometry") for f in body["fields"])


def test_no_credentials_is_a_401_asking_for_them(deployment):
    app, _ = deployment
    resp = app.test_client().get("/api/layers/courtyards/features")
    body = _problem(resp, "unauthorized", "/api/layers/courtyards/features")
    assert "Bearer" in resp.headers["WWW-Authenticate"] and CHINESE.search(body["detail"])


def test_a_viewer_writing_is_a_403(deployment):
    app, tokens = deployment
    resp = app.test_client().post("/api/layers/courtyards/features", json=make_feature("新院", x=113.661),
                                  headers=tokens["viewer1"])
    assert CHINESE.search(_problem(resp, "forbidden", "/api/layers/courtyards/features")["detail"])


def test_an_unknown_place_is_a_404(deployment):
    app, tokens = deployment
    resp = app.test_client().get("/api/layers/courtyards/features/c-9999", headers=tokens["viewer1"])
    assert CHINESE.search(_problem(resp, "not_found", "/api/layers/courtyards/features/c-9999")["detail"])


def test_a_method_a_path_does_not_take_is_a_405_in_chinese(deployment):
    app, tokens = deployment
    resp = app.test_client().delete("/api/campaign", headers=tokens["editor1"])
    body = _problem(resp, "method_not_allowed", "/api/campaign")
    assert "GET" in resp.headers["Allow"] and CHINESE.search(body["detail"])


def test_a_stale_version_is_a_409_with_the_place_as_it_is(deployment):
    app, tokens = deployment
    client = app.test_client()
    fid = client.get("/api/layers/courtyards/features", headers=tokens["viewer1"]).get_json()["features"][0]["id"]
    url = f"/api/layers/courtyards/features/{fid}"
    version = client.get(url, headers=tokens["viewer1"]).get_json()["properties"]["version"]
    assert client.patch(url, json={"properties": {"status": "in_progress"}, "version": version},
                        headers=tokens["editor1"]).status_code == 200
    resp = client.patch(url, json={"properties": {"status": "pending"}, "version": version}, headers=tokens["editor1"])
    body = _problem(resp, "conflict", url)
    assert body["current"]["properties"]["status"] == "in_progress"


def test_a_write_naming_no_version_is_a_428(deployment):
    app, tokens = deployment
    client = app.test_client()
    fid = client.get("/api/layers/courtyards/features", headers=tokens["viewer1"]).get_json()["features"][1]["id"]
    url = f"/api/layers/courtyards/features/{fid}"
    _problem(client.patch(url, json={"properties": {"status": "pending"}}, headers=tokens["editor1"]),
             "precondition_required", url)


def test_a_flag_that_is_no_boolean_is_a_400_naming_it_in_chinese(deployment):
    app, tokens = deployment
    resp = app.test_client().post("/api/layers/courtyards/features?repair=maybe", json=make_feature("新院", x=113.661),
                                  headers=tokens["editor1"])
    body = _problem(resp, "bad_parameter", "/api/layers/courtyards/features")
    assert body["parameter"] == "repair" and CHINESE.search(body["detail"])


# --- /ogc: the same document, with the OGC exception's members ----------------------------

def _ogc(body: dict) -> dict:
    assert body["code"] == body["error"] and body["description"] == body["detail"]
    return body


def test_an_ogc_parameter_that_cannot_be_read_is_a_400_problem(deployment):
    app, tokens = deployment
    resp = app.test_client().get(f"{ITEMS}?limit=many", headers=tokens["viewer1"])
    assert _ogc(_problem(resp, "bad_parameter", ITEMS))["parameter"] == "limit"


def test_an_ogc_unknown_collection_is_a_404_problem(deployment):
    app, tokens = deployment
    resp = app.test_client().get("/ogc/collections/parks/items", headers=tokens["viewer1"])
    assert CHINESE.search(_ogc(_problem(resp, "not_found", "/ogc/collections/parks/items"))["detail"])


def test_an_ogc_route_that_does_not_exist_is_a_404_problem_not_a_page(deployment):
    app, tokens = deployment
    resp = app.test_client().get("/ogc/nothing/here", headers=tokens["viewer1"])
    assert CHINESE.search(_ogc(_problem(resp, "not_found", "/ogc/nothing/here"))["detail"])


def test_an_ogc_gis_client_without_credentials_is_a_401_problem(deployment):
    app, _ = deployment
    resp = app.test_client().get("/ogc/collections", headers={"Accept": "application/json"})
    _ogc(_problem(resp, "unauthorized", "/ogc/collections"))
    assert "Basic" in resp.headers["WWW-Authenticate"]


def test_an_ogc_method_not_allowed_is_a_405_problem(deployment):
    app, tokens = deployment
    resp = app.test_client().delete("/ogc/conformance", headers=tokens["editor1"])
    _ogc(_problem(resp, "method_not_allowed", "/ogc/conformance"))
    assert "GET" in resp.headers["Allow"]


def test_an_ogc_body_that_is_not_json_is_a_400_and_a_form_a_415(deployment):
    app, tokens = deployment
    client = app.test_client()
    resp = client.post(ITEMS, data="{not json", content_type="application/json", headers=tokens["editor1"])
    _ogc(_problem(resp, "bad_request", ITEMS))
    resp = client.post(ITEMS, data="name=x", content_type="application/x-www-form-urlencoded", headers=tokens["editor1"])
    _ogc(_problem(resp, "unsupported_media_type", ITEMS))


def test_an_ogc_place_breaking_a_rule_is_a_422_problem(deployment):
    app, tokens = deployment
    resp = app.test_client().post(ITEMS, json=make_feature("", "pending", x=113.661), headers=tokens["editor1"])
    assert {f["field"] for f in _ogc(_problem(resp, "invalid", ITEMS))["fields"]} == {"name"}


def test_an_ogc_write_without_if_match_is_428_and_a_weak_one_412(deployment):
    app, tokens = deployment
    client = app.test_client()
    fid = client.get(ITEMS, headers=tokens["viewer1"]).get_json()["features"][0]["id"]
    url = f"{ITEMS}/{fid}"
    _ogc(_problem(client.delete(url, headers=tokens["editor1"]), "precondition_required", url))
    resp = client.delete(url, headers={**tokens["editor1"], "If-Match": f'W/"{fid}-v1"'})
    _ogc(_problem(resp, "precondition_failed", url))


def test_an_ogc_error_asked_for_as_html_stays_a_page(deployment):
    app, tokens = deployment
    resp = app.test_client().get("/ogc/collections/parks/items?f=html", headers=tokens["viewer1"])
    assert resp.status_code == 404 and resp.mimetype == "text/html"


# --- the table ------------------------------------------------------------------------------

def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_domain_error_has_the_status_of_its_kind_in_the_table():
    import geo.accounts  # noqa: F401  (the modules that define domain errors)
    import geo.basemaps.base  # noqa: F401
    import geo.features_edit  # noqa: F401
    import geo.printing.fonts  # noqa: F401
    import geo.store.postgis  # noqa: F401
    import geo.store.transfer  # noqa: F401
    import geo.throttle  # noqa: F401

    seen = set()
    for cls in _subclasses(GuatuError):
        assert KINDS[cls.code].status == cls.http_status, cls
        seen.add(cls.code)
    framework = {"unauthorized", "forbidden", "method_not_allowed", "not_acceptable", "request_entity_too_large",
                 "unsupported_media_type", "internal"}  # answered for werkzeug's errors and the last resort
    assert set(KINDS) <= seen | framework, set(KINDS) - seen - framework


def test_an_error_whose_status_is_not_its_kinds_cannot_be_defined():
    with pytest.raises(TypeError, match="geo/problems.py"):
        type("Sloppy", (GuatuError,), {"code": "invalid", "http_status": 400})
    with pytest.raises(TypeError, match="geo/problems.py"):
        type("Unlisted", (GuatuError,), {"code": "teapot", "http_status": 418})


@pytest.mark.parametrize("code", sorted(KINDS))
def test_every_kind_has_a_chinese_title_a_stable_type_and_one_status(code):
    kind = KINDS[code]
    assert CHINESE.search(kind.title()) and not CHINESE.search(kind.title("en"))
    assert kind.type == f"/problems/{code}"
    assert 400 <= kind.status < 600
    assert BY_STATUS[kind.status].status == kind.status


def test_a_status_the_table_lacks_is_answered_as_about_blank():
    body = problem(kind_of("im_a_teapot", 418), "detail", "/api/x")
    assert body["type"] == "about:blank" and body["status"] == 418 and CHINESE.search(body["title"])
    assert kind_of("not_found", 404) == Kind("not_found", 404)


# --- the other endpoints ---------------------------------------------------------------------

def test_outside_the_apis_a_program_asking_for_json_gets_a_problem_and_a_browser_a_page(deployment):
    app, tokens = deployment
    client = app.test_client()
    _problem(client.get("/no/such/page", headers={**tokens["viewer1"], "Accept": "application/json"}), "not_found",
             "/no/such/page")
    page = client.get("/no/such/page", headers={**tokens["viewer1"], "Accept": "text/html,*/*;q=0.8"})
    assert page.status_code == 404 and page.mimetype == "text/html"


def test_a_print_parameter_that_cannot_be_read_is_a_400_problem_naming_it(deployment):
    app, tokens = deployment
    resp = app.test_client().get("/print?labels=perhaps", headers=tokens["viewer1"])
    body = _problem(resp, "bad_parameter", "/print")
    assert body["parameter"] == "labels" and CHINESE.search(body["detail"])


def test_a_yes_no_form_field_that_is_neither_is_a_422_naming_the_field(deployment):
    """A form field is part of the body: an unreadable yes/no there breaks the body's shape (422), where the same
    text in a query string is a parameter that cannot be read (400)."""
    app, tokens = deployment
    upload = {"file": (io.BytesIO(b'{"type": "FeatureCollection", "features": []}'), "empty.geojson"),
              "gcj02": "perhaps"}
    resp = app.test_client().post("/api/layers/courtyards/imports", data=upload, content_type="multipart/form-data",
                                  headers=tokens["editor1"])
    body = _problem(resp, "invalid", "/api/layers/courtyards/imports")
    assert [f["field"] for f in body["fields"]] == ["gcj02"] and CHINESE.search(body["detail"])
