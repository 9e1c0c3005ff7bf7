"""The OGC API's OpenAPI 3.0 document: found from the landing page, valid, and true — the API is fuzzed against it."""

from __future__ import annotations

import re
import tempfile

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import ignored_auth, negative_data_rejection, positive_data_acceptance

from tests.conftest import DEMO_CAMPAIGN
from web import create_app
from web.core.routes import declared_endpoints, openapi_paths
from web.ogc.openapi import PATH_NAMES

FUZZ_EXAMPLES = 20  # per operation and mode: the whole fuzz stays well under a minute
OPENAPI_JSON = "application/vnd.oai.openapi+json;version=3.0"


def _declared_paths() -> dict:
    """The /ogc operations the routes declare, read from an app on the demo campaign (they parametrize the fuzz)."""
    with tempfile.TemporaryDirectory() as instance:
        app = create_app({"TESTING": True, "GUATU_DATA": str(DEMO_CAMPAIGN.parent), "GUATU_INSTANCE": instance})
        return openapi_paths(app, "/ogc", mounted=True, names=PATH_NAMES)


PATHS = _declared_paths()


@pytest.fixture(scope="module")
def fuzz_app(read_app):
    """A private deployment of three courtyards; the fuzzer acts with the editor's API token."""
    read_app.config["FUZZ_TOKEN"] = read_app.config["TOKENS"]["editor1"]
    return read_app


@pytest.fixture(scope="module")
def document(fuzz_app):
    resp = fuzz_app.test_client().get("/ogc/api")
    assert resp.status_code == 200
    return resp.get_json(force=True)


def test_the_landing_page_links_to_the_document_as_openapi_json(fuzz_app):
    client = fuzz_app.test_client()
    token = {"Authorization": f"Bearer {fuzz_app.config['FUZZ_TOKEN']}"}
    links = client.get("/ogc/", headers=token).get_json()["links"]
    desc = next(x for x in links if x["rel"] == "service-desc")
    assert desc["type"] == OPENAPI_JSON and desc["href"] == "http://localhost/ogc/api"
    resp = client.get("/ogc/api")
    assert resp.headers["Content-Type"] == OPENAPI_JSON
    assert next(x for x in links if x["rel"] == "service-doc")["type"] == "text/html"


def test_the_document_is_valid_openapi_3_0(document):
    validate(document)
    assert document["openapi"].startswith("3.0")
    assert document["servers"] == [{"url": "http://localhost/ogc"}]


def test_the_document_describes_every_ogc_route(fuzz_app, document):
    """Every /ogc route declares its OpenAPI operation (web/core/routes.py), and the document holds them all."""
    declared = declared_endpoints(fuzz_app)
    undocumented = sorted(rule.rule for rule in fuzz_app.url_map.iter_rules()
                          if rule.rule.startswith("/ogc") and declared[rule.endpoint].doc is None)
    assert undocumented == [], "declare their operations: doc= at the route"
    missing = []
    for rule in fuzz_app.url_map.iter_rules():
        if not rule.rule.startswith("/ogc"):
            continue
        path = rule.rule[len("/ogc"):]
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: "{" + PATH_NAMES[m.group(1)] + "}", path)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if method.lower() not in document["paths"].get(path, {}):
                missing.append(f"{method} {path}")
    assert missing == []


def test_the_limit_parameter_tells_gdal_the_page_sizes(document):
    limit = document["components"]["parameters"]["limit"]["schema"]
    assert (limit["default"], limit["maximum"]) == (100, 10000)
    assert document["components"]["parameters"]["collectionId"]["schema"]["enum"] == ["courtyards", "roads", "villages"]


def test_the_document_and_the_conformance_classes_need_no_login(fuzz_app):
    client = fuzz_app.test_client()
    assert client.get("/ogc/api").status_code == 200
    assert client.get("/ogc/conformance").status_code == 200
    assert client.get("/ogc/collections").status_code == 401


def test_the_conformance_classes_include_core_geojson_html_oas30_and_part_4(fuzz_app):
    conforms = set(fuzz_app.test_client().get("/ogc/conformance").get_json()["conformsTo"])
    base = "http://www.opengis.net/spec/"
    assert {f"{base}ogcapi-features-1/1.0/conf/{c}" for c in ("core", "geojson", "html", "oas30")} <= conforms
    assert {f"{base}ogcapi-features-4/1.0/conf/{c}" for c in ("create-replace-delete", "update", "optimistic-locking-etags")} <= conforms


@pytest.fixture(scope="module")
def api_schema(fuzz_app):
    return schemathesis.openapi.from_wsgi("/ogc/api", fuzz_app)


OPERATIONS = [(method.upper(), path) for path, item in PATHS.items() for method in item]
CASES = [(m, p, mode) for m, p in OPERATIONS for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)]


@pytest.mark.parametrize(("method", "path", "mode"), CASES, ids=[f"{m} {p} {mode.value}" for m, p, mode in CASES])
def test_the_api_keeps_to_its_document(api_schema, fuzz_app, method, path, mode):
    """As an editor: no 500s, and every answer has a documented status, content type, headers and shape."""
    operation = api_schema[path][method]
    headers = {"Authorization": f"Bearer {fuzz_app.config['FUZZ_TOKEN']}", "Accept-Encoding": "identity"}
    # a schema-valid request may still break a rule the schema cannot say (an interval that ends before it
    # starts, a place outside the campaign area): 400 or 422, not a failure of the document.
    excluded = [ignored_auth, positive_data_acceptance]
    if (method, path) == ("GET", "/collections/{collectionId}/items"):
        # OGC API – Features reads a limit above the documented maximum as the maximum, never as an error.
        excluded.append(negative_data_rejection)

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
              database=None)
    def fuzz(case):
        case.call_and_validate(headers=headers, excluded_checks=excluded)

    fuzz()


def test_items_keep_to_the_document_through_create_read_replace_update_and_delete(api_schema, fuzz_app):
    """Stateful, as an editor: the document's links (create → get → put/patch → delete, the ETag as If-Match)
    are followed with generated data; no step answers 5xx or off the document."""
    items = api_schema.include(path_regex=r"^/collections/\{collectionId\}/items")
    headers = {"Authorization": f"Bearer {fuzz_app.config['FUZZ_TOKEN']}", "Accept-Encoding": "identity"}

    class Items(items.as_state_machine()):
        def get_call_kwargs(self, case):
            return {"headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, headers=headers,
                                   excluded_checks=[ignored_auth, positive_data_acceptance, negative_data_rejection])

    Items.run(settings=settings(max_examples=25, stateful_step_count=6, deadline=None, derandomize=True, database=None,
                                suppress_health_check=list(HealthCheck)))
