"""Requests of the wrong shape are refused at the boundary (web/core/validation.py): a 4xx naming the field, in Chinese,
and nothing written. The nine inputs the fuzzing review turned into 500s are here, one test each."""

from __future__ import annotations

import io
import re
import shutil
import zipfile

import pytest

from geo.config import load_campaign
from geo.errors import ValidationError
from geo.inspections import record
from geo.ledger import add_problem
from geo.store import open_store
from tests.conftest import DEMO_CAMPAIGN, FakeClock, make_feature
from tests.deployment import private_deployment
from web import create_app
from web.core.routes import VIEWER, declare

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    d = private_deployment(tmp_path_factory.mktemp("validation"), [make_feature("兑周村1号院", "pending", x=113.660)])
    return d.app, d.data, d.fids[0], d.auth("editor1")


def _layer_bytes(data) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((data / "layers").glob("*"))}


def _refused(resp, status: int | tuple[int, ...], field: str) -> dict:
    statuses = status if isinstance(status, tuple) else (status,)
    assert resp.status_code in statuses, (resp.status_code, resp.get_data(as_text=True)[:300])
    body = resp.get_json()
    message = body.get("message") or body.get("description")
    assert CHINESE.search(message), message
    fields = [f["field"] for f in body.get("fields", [])] or [body.get("parameter")]
    assert field in fields, fields
    assert all(CHINESE.search(f["message"]) for f in body.get("fields", []) if f["field"] == field)
    return body


def _post_feature(deployment, geometry=None, **extra):
    app, data, _, auth = deployment
    feature = make_feature("新院", x=113.661)
    if geometry is not None:
        feature["geometry"] = geometry
    feature.update(extra)
    before = _layer_bytes(data)
    resp = app.test_client().post("/api/layers/courtyards/features", json=feature, headers=auth)
    assert _layer_bytes(data) == before
    return resp


def test_a_feature_whose_id_is_an_object_is_refused_naming_id(deployment):
    _refused(_post_feature(deployment, id={}), 422, "id")


def test_a_multipolygon_of_empty_strings_is_refused_naming_the_position(deployment):
    _refused(_post_feature(deployment, {"type": "MultiPolygon", "coordinates": [""]}), 422, "geometry.coordinates[0]")


def test_a_geometry_type_that_is_an_object_is_refused_naming_it(deployment):
    _refused(_post_feature(deployment, {"type": {}}), 422, "geometry.type")


@pytest.mark.parametrize(("geometry", "field"), [
    ({"type": "Polygon", "coordinates": [[[113.66, 34.72], [113.67, 34.72], [113.67, 34.73], [113.66, 34.73]]]},
     "geometry.coordinates[0]"),  # a ring that does not close
    ({"type": "Polygon", "coordinates": [[[113.66, 34.72], [113.67, "34"], [113.67, 34.73], [113.66, 34.72]]]},
     "geometry.coordinates[0][1][1]"),
    ({"type": "Polygon", "coordinates": [[[113.66, 34.72], [113.67, 34.73], [113.66, 34.72]]]},
     "geometry.coordinates[0]"),  # three positions are no ring
])
def test_a_broken_geometry_is_refused_with_the_path_of_the_fault(deployment, geometry, field):
    _refused(_post_feature(deployment, geometry), 422, field)


def test_a_ledger_problem_whose_status_is_an_object_is_refused_naming_it(deployment):
    app, data, fid, auth = deployment
    before = _layer_bytes(data)
    resp = app.test_client().post(f"/api/layers/courtyards/features/{fid}/problems",
                                  json={"problem": {"category": "飞线充电", "status": {}}, "version": 1}, headers=auth)
    _refused(resp, 422, "problem.status")
    assert _layer_bytes(data) == before


def test_an_inspection_result_that_is_not_an_object_is_refused(deployment):
    app, _, fid, auth = deployment
    resp = app.test_client().post(f"/api/inspections/2026-11-24/{fid}", json=[None], headers=auth)
    _refused(resp, 422, "body")


@pytest.mark.parametrize(("url", "field"), [
    ("/api/layers/courtyards/as-of/9999-12-31", "day"),
    ("/api/layers/courtyards/as-of/1999-12-31", "day"),
    ("/api/wall/place/courtyards/{fid}?date=9999-12-31", "date"),
    ("/api/playback?from=2026-11-01&to=9999-12-31", "to"),
    ("/api/timeline?from=9999-12-31", "from"),
    ("/api/inspections/9999-12-31", "day"),
    ("/reports/daily?date=9999-12-31", "date"),
    ("/reports/daily/9999-12-31.xlsx", "date"),
])
def test_a_day_far_outside_the_campaign_is_a_400_naming_it(deployment, url, field):
    """A day in the path or the query is a parameter that cannot be read: 400 wherever it is asked."""
    app, _, fid, auth = deployment
    _refused(app.test_client().get(url.format(fid=fid), headers=auth), 400, field)


@pytest.mark.parametrize("value", ["9999-12-31", "9999-12-31T23:59:59Z", "2026-11-01/9999-12-31", "0001-01-01/.."])
def test_an_ogc_datetime_far_outside_the_campaign_is_a_400(deployment, value):
    app, _, _, auth = deployment
    resp = app.test_client().get(f"/ogc/collections/courtyards/items?datetime={value}", headers=auth)
    assert _refused(resp, 400, "datetime")["code"] == "bad_parameter"


@pytest.mark.parametrize("zoom", ["inf", "-inf", "nan", "1e999", "25"])
def test_a_viewport_zoom_that_is_not_a_finite_map_zoom_is_refused(deployment, zoom):
    app, _, _, auth = deployment
    resp = app.test_client().get(f"/api/wall/shapes/courtyards?bbox=113.6,34.7,113.7,34.8&zoom={zoom}", headers=auth)
    _refused(resp, 400, "zoom")


def test_a_malformed_xlsx_ledger_is_refused_and_changes_nothing(deployment):
    app, data, _, auth = deployment
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types")
        zf.writestr("xl/workbook.xml", "<workbook><sheets><sheet name='台账' r:id='rId1'")
    before = _layer_bytes(data)
    resp = app.test_client().post("/api/layers/courtyards/imports", headers=auth, content_type="multipart/form-data",
                                  data={"file": (io.BytesIO(buf.getvalue()), "台账.xlsx")})
    _refused(resp, 422, "file")
    assert _layer_bytes(data) == before


def test_numbers_in_parameters_must_be_finite(deployment):
    app, _, _, auth = deployment
    _refused(app.test_client().get("/api/locate?lon=inf&lat=34.7", headers=auth), 400, "lon")
    _refused(app.test_client().get("/api/changes?since=1e3", headers=auth), 400, "since")


def test_a_body_that_is_not_json_is_refused_naming_the_body(deployment):
    app, _, _, auth = deployment
    resp = app.test_client().post("/api/layers/courtyards/features", data=b'{"type": NaN}', headers=auth,
                                  content_type="application/json")
    assert _refused(resp, 400, "body")["error"] == "bad_request"


def test_an_unknown_layer_in_the_path_is_a_404_in_chinese(deployment):
    app, _, _, auth = deployment
    resp = app.test_client().get("/api/layers/parks/features", headers=auth)
    assert resp.status_code == 404 and CHINESE.search(resp.get_json()["message"])


def test_the_document_lists_every_refusal_the_checks_can_give(deployment):
    app, *_ = deployment
    doc = app.test_client().get("/api/openapi.json").get_json()
    for path, item in doc["paths"].items():
        for method, op in item.items():
            kinds = {p.get("in") for p in op.get("parameters", [])}
            if kinds & {"path", "query"}:
                assert "400" in op["responses"], (method, path)
            if op.get("requestBody"):
                assert {"400", "422"} <= set(op["responses"]), (method, path)


# --- the same rules below the HTTP layer -------------------------------------------------

def test_the_store_refuses_an_id_that_is_not_text(deployment, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(DEMO_CAMPAIGN, data / "campaign.json")
    store = open_store(data, load_campaign(data), clock=FakeClock())
    with pytest.raises(ValidationError) as info:
        store.create("courtyards", {**make_feature(), "id": {}}, user="张三")
    assert info.value.errors[0].field == "id"


def test_the_ledger_refuses_a_status_that_is_not_text(campaign):
    feature = make_feature()
    feature["id"] = "c-0001"
    with pytest.raises(ValidationError) as info:
        add_problem(feature, {"category": "飞线充电", "status": {}}, campaign, FakeClock()().date())
    assert [e.field for e in info.value.errors] == ["problem.status"]


def test_an_inspection_result_that_is_not_text_is_refused(deployment):
    app, *_ = deployment
    g = app.extensions["guatu"]
    with pytest.raises(ValidationError):
        record(g.store, g.campaign, FakeClock()().date(), "c-0001", result={}, user="李编")


# --- the last resort ----------------------------------------------------------------------

def test_an_unforeseen_fault_is_a_logged_500_in_chinese_without_a_traceback(deployment, caplog):
    app, *_ = deployment
    fault = create_app({"TESTING": True, "GUATU_DATA": app.config["GUATU_DATA"],
                        "GUATU_INSTANCE": app.config["GUATU_INSTANCE"], "PROPAGATE_EXCEPTIONS": False})

    @fault.get("/api/test-only-fault")
    @declare(VIEWER)
    def _fault():
        raise RuntimeError("a fault no rule foresaw")

    resp = fault.test_client().get("/api/test-only-fault", headers=deployment[3])
    assert resp.status_code == 500
    body = resp.get_json()
    assert body["error"] == "internal" and CHINESE.search(body["message"])
    assert "Traceback" not in resp.get_data(as_text=True) and "RuntimeError" not in resp.get_data(as_text=True)
    assert any("a fault no rule foresaw" in (r.exc_text or "") or r.exc_info for r in caplog.records)
