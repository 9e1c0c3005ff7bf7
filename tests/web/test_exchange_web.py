"""Import (preview, then all-or-nothing commit) and export through the web."""

from __future__ import annotations

import io
import json
import re

from tests.web.conftest import login


def geojson_upload(features):
    data = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode()
    return (io.BytesIO(data), "新数据.geojson")


def square(x, y=34.72, size=0.001):
    return {"type": "Polygon", "coordinates": [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]}


FILE = [
    {"type": "Feature", "properties": {"name": "兑周村2号院", "kind": "无主管楼院", "status": "待整改"}, "geometry": square(113.670)},
    {"type": "Feature", "id": "c-0002", "properties": {"name": "中原东路5号院", "kind": "楼院", "status": "已整改"},
     "geometry": square(113.662)},
    {"type": "Feature", "properties": {"name": "坏数据", "kind": "楼院", "status": "不知道"}, "geometry": square(113.674)},
]


def upload(client, csrf, features=FILE, **extra):
    return client.post("/import", data={"csrf_token": csrf, "layer": "courtyards", "file": geojson_upload(features), **extra},
                       content_type="multipart/form-data")


def test_import_shows_a_preview_and_writes_nothing_until_confirmed(private_app):
    client = private_app.test_client()
    csrf = login(client, "editor1")
    page = upload(client, csrf)
    assert page.status_code == 200
    html = page.data.decode()
    assert "新增 <strong>1</strong>" in html and "修改 <strong>1</strong>" in html and "拒绝 <strong>1</strong>" in html
    assert "不知道" in html  # the rejection names the bad status
    assert client.get("/api/layers").get_json()[0]["count"] == 3
    pid = re.search(r"/import/([\w-]+)/commit", html).group(1)
    refused = client.post(f"/import/{pid}/commit", data={"csrf_token": csrf})
    assert refused.status_code == 422  # a rejected place blocks the whole import unless skipped
    done = client.post(f"/import/{pid}/commit", data={"csrf_token": csrf, "skip_rejected": "1"})
    assert done.status_code == 200 and "导入完成" in done.data.decode()
    assert client.get("/api/layers").get_json()[0]["count"] == 4
    assert client.get("/api/layers/courtyards/features/c-0002").get_json()["properties"]["status"] == "rectified"


def test_a_place_edited_after_the_preview_makes_the_commit_fail(private_app):
    client = private_app.test_client()
    csrf = login(client, "editor1")
    html = upload(client, csrf, FILE[:2]).data.decode()
    pid = re.search(r"/import/([\w-]+)/commit", html).group(1)
    client.patch("/api/layers/courtyards/features/c-0002", json={"version": 1, "properties": {"unit": "区住建局"}},
                 headers={"X-CSRF-Token": csrf})
    resp = client.post(f"/import/{pid}/commit", data={"csrf_token": csrf})
    assert resp.status_code == 409
    assert client.get("/api/layers").get_json()[0]["count"] == 3  # nothing of the import was written


def test_import_needs_an_editor_and_a_csrf_token(private_app):
    viewer = private_app.test_client()
    csrf = login(viewer, "viewer1")
    assert upload(viewer, csrf).status_code == 403
    editor = private_app.test_client()
    login(editor, "editor1")
    assert upload(editor, "forged").status_code == 403


def test_a_broken_file_is_explained(private_app):
    client = private_app.test_client()
    csrf = login(client, "editor1")
    resp = client.post("/import", data={"csrf_token": csrf, "layer": "courtyards",
                                        "file": (io.BytesIO(b"not a shapefile"), "data.zip")},
                       content_type="multipart/form-data")
    assert resp.status_code == 422
    assert "flash-error" in resp.data.decode()


def test_import_api_for_scripts(private_app):
    acc = private_app.extensions["guatu_accounts"]
    _, secret = acc.create_api_token("editor1", "script")
    client = private_app.test_client()
    auth = {"Authorization": f"Bearer {secret}"}
    preview = client.post("/api/layers/courtyards/imports", data={"file": geojson_upload(FILE[:1])}, headers=auth,
                          content_type="multipart/form-data")
    assert preview.status_code == 201
    body = preview.get_json()
    assert body["counts"]["add"] == 1
    done = client.post(body["commit"], headers=auth)
    assert done.status_code == 200 and len(done.get_json()["added"]) == 1


def test_export_downloads_a_filtered_layer(private_app):
    client = private_app.test_client()
    login(client, "viewer1")
    resp = client.get("/export/courtyards?format=geojson&status=pending")
    assert resp.status_code == 200
    assert "attachment" in resp.headers["Content-Disposition"]
    doc = json.loads(resp.data)
    assert [f["properties"]["name"] for f in doc["features"]] == ["中原东路5号院"]
    xlsx = client.get("/api/layers/courtyards/export?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    assert client.get("/export/courtyards?format=dwg").status_code == 400
