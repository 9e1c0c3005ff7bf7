"""The OpenAPI document: valid, complete, and true — the app is fuzzed against it with schemathesis."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

from tests.conftest import DEMO_CAMPAIGN, FakeClock, make_feature
from tests.deployment import Deployment, private_deployment
from web import create_app
from web.core.routes import declared_endpoints, openapi_paths

FUZZ_EXAMPLES = 25  # per operation and phase; the whole fuzz stays well under a minute


def _declared_paths() -> dict:
    """The /api operations the routes declare, read from an app on the demo campaign (they parametrize the fuzz)."""
    with tempfile.TemporaryDirectory() as instance:
        app = create_app({"TESTING": True, "GUATU_DATA": str(DEMO_CAMPAIGN.parent), "GUATU_INSTANCE": instance})
        return openapi_paths(app, "/api/")


PATHS = _declared_paths()


@pytest.fixture(scope="module")
def fuzz_deployment(tmp_path_factory) -> Deployment:
    """A private deployment with a few places, and an editor's API token."""
    return private_deployment(tmp_path_factory.mktemp("openapi"), [
        make_feature("兑周村1号院", "accepted", x=113.660),
        make_feature("中原东路5号院", "pending", x=113.662, deadline="2026-11-01",
                     problems=[{"category": "飞线充电", "description": "飞线", "status": "open"}])])


@pytest.fixture(scope="module")
def fuzz_app(fuzz_deployment):
    return fuzz_deployment.app


def editor_schema(app, token: str):
    """The app's OpenAPI document as schemathesis reads it, every case sent as the editor — so negative cases
    break the input, not the credentials."""
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)

    @schema.auth(refresh_interval=None)
    class EditorToken:
        def get(self, case, context):
            return token

        def set(self, case, data, context):
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}", "Accept-Encoding": "identity"}

    return schema


@pytest.fixture(scope="module")
def api_schema(fuzz_deployment):
    return editor_schema(fuzz_deployment.app, fuzz_deployment.secrets["editor1"])


def test_the_document_is_valid_openapi(fuzz_app):
    doc = fuzz_app.test_client().get("/api/openapi.json").get_json()
    validate(doc)
    assert doc["openapi"].startswith("3.1")
    assert set(doc["components"]["securitySchemes"]) >= {"bearerAuth", "basicAuth", "cookieAuth"}


def test_the_document_needs_no_login(fuzz_app):
    resp = fuzz_app.test_client().get("/api/openapi.json")
    assert resp.status_code == 200 and resp.mimetype == "application/json"


def test_every_api_route_is_described(fuzz_app):
    """Every /api route declares its OpenAPI operation (web/core/routes.py), and the document holds them all."""
    paths = fuzz_app.test_client().get("/api/openapi.json").get_json()["paths"]
    declared = declared_endpoints(fuzz_app)
    undocumented = sorted(rule.rule for rule in fuzz_app.url_map.iter_rules()
                          if rule.rule.startswith("/api/") and declared[rule.endpoint].doc is None)
    assert undocumented == [], "declare their operations: doc= at the route"
    missing = []
    for rule in fuzz_app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if method.lower() not in paths.get(path, {}):
                missing.append(f"{method} {path}")
    assert missing == [], "declare their operations: doc= at the route"


def test_the_layer_ids_are_the_campaigns(fuzz_app):
    doc = fuzz_app.test_client().get("/api/openapi.json").get_json()
    param = doc["paths"]["/api/layers/{layer_id}/features"]["get"]["parameters"][0]
    assert param["schema"]["enum"] == ["courtyards", "roads", "villages"]


OPERATIONS = [(method.upper(), path) for path, item in PATHS.items() for method in item]
# Negative cases need something to break: parameters, a body or credentials.
NEGATABLE = {(m.upper(), p) for p, item in PATHS.items() for m, op in item.items()
             if op.get("parameters") or op.get("requestBody") or op.get("security") != []}
CASES = [(m, p, mode) for m, p in OPERATIONS for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
         if mode is GenerationMode.POSITIVE or (m, p) in NEGATABLE]


@pytest.mark.parametrize(("method", "path", "mode"), CASES, ids=[f"{m} {p} {mode.value}" for m, p, mode in CASES])
def test_the_api_keeps_to_its_document(api_schema, fuzz_app, method, path, mode):
    """As an editor: no 500s, and every answer has a documented status, content type, headers and shape."""
    operation = api_schema[path][method]
    # ignored_auth is checked once per operation below (it costs a password hash per example);
    # schema-valid input may still break a campaign rule (a place outside the area, a day too far off):
    # operations that document 400 or 422 may refuse it.
    documented = PATHS[path][method.lower()]["responses"]
    excluded = [ignored_auth] + ([positive_data_acceptance] if {"400", "422"} & set(documented) else [])

    @given(case=operation.as_strategy(generation_mode=mode, auth_storage=api_schema.auth))
    @settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
              database=None)
    def fuzz(case):
        case.call_and_validate(excluded_checks=excluded)

    fuzz()


def test_every_protected_operation_refuses_anonymous_callers(fuzz_app):
    client = fuzz_app.test_client()
    doc = client.get("/api/openapi.json").get_json()
    for path, item in doc["paths"].items():
        for method, op in item.items():
            url = re.sub(r"\{[^}]+\}", lambda m: {"{layer_id}": "courtyards", "{level}": "street"}.get(m.group(0), "c-0001"), path)
            resp = client.open(url, method=method.upper(), json={} if method != "get" else None)
            if op.get("security") == []:  # a public route may refuse a made-up id or an empty body, never for
                assert resp.status_code in (200, 404, 422, 503), (method, path)  # want of a login
            else:
                assert resp.status_code == 401, (method, path, resp.status_code)
                assert resp.get_json()["error"] == "unauthorized"


STATEFUL = settings(max_examples=25, stateful_step_count=6, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))


class FreshCopies:
    """A WSGI app serving a fresh copy of one deployment — its data and instance folders, on a clock at the same
    start — from each `reset()`. A stateful scenario must meet the same answers each time Hypothesis replays it,
    and a store that kept earlier scenarios' writes would not give them (ids are never reused, for one)."""

    def __init__(self, template: Deployment, root: Path) -> None:
        self.template, self.root, self.copies, self.app = template, root, 0, None

    def reset(self) -> None:
        if self.app is not None:
            self.app.extensions["guatu"].store.close()
        self.copies += 1
        copy = self.root / str(self.copies)
        shutil.copytree(self.template.data, copy / "data")
        shutil.copytree(self.template.app.config["GUATU_INSTANCE"], copy / "instance")
        self.app = create_app({"TESTING": True, "GUATU_DATA": str(copy / "data"), "GUATU_CLOCK": FakeClock(),
                             "GUATU_INSTANCE": str(copy / "instance")})

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


def test_places_keep_to_the_document_through_create_read_edit_and_delete(tmp_path_factory):
    """Stateful: the document's links (create → get → patch → delete, with the ETag as If-Match) are followed
    with generated data from the same places each scenario; no step answers 5xx or off the document."""
    template = private_deployment(tmp_path_factory.mktemp("stateful"), [
        make_feature("兑周村1号院", "accepted", x=113.660),
        make_feature("中原东路5号院", "pending", x=113.662, deadline="2026-11-01")])
    template.app.extensions["guatu"].store.close()
    served = FreshCopies(template, tmp_path_factory.mktemp("scenarios"))
    served.reset()
    schema = editor_schema(served, template.secrets["editor1"])
    places = schema.include(path_regex=r"^/api/layers/\{layer_id\}/features(/\{fid\}(/history)?)?$")

    class Places(places.as_state_machine()):
        def setup(self):
            served.reset()

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, excluded_checks=[ignored_auth, positive_data_acceptance])

    Places.run(settings=STATEFUL)
    assert served.copies > 1  # the scenarios began on copies of their own
