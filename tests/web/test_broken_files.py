"""Every broken file (tests/broken_files.py) posted to every import and write endpoint: a 4xx with a Chinese
message each time, and the layer files byte-for-byte as they were, the store's revision unchanged."""

from __future__ import annotations

import io
import re

import pytest

from tests.broken_files import BrokenFile, broken_files
from tests.web.conftest import login

CHINESE = re.compile(r"[\u4e00-\u9fff]")
FILES = broken_files()
IDS = [f.what for f in FILES]


@pytest.fixture
def deployment(private_app, seeded):
    acc = private_app.extensions["guatu_accounts"]
    _, secret = acc.create_api_token("editor1", "broken files")
    return private_app, seeded, {"Authorization": f"Bearer {secret}"}


def _snapshot(app, data) -> tuple[dict[str, bytes], int]:
    files = {p.relative_to(data).as_posix(): p.read_bytes() for p in sorted(data.rglob("*")) if p.is_file()}
    return files, app.extensions["guatu"].store.revision()


def _chinese_refusal(resp) -> str:
    assert 400 <= resp.status_code < 500, (resp.status_code, resp.get_data(as_text=True)[:400])
    if resp.mimetype == "text/html":
        page = resp.get_data(as_text=True)
        found = re.search(r'class="flash flash-error"[^>]*>(.*?)</', page, re.S)
        if found is None and "没有可导入的内容" in page:  # the report: every feature rejected, each with its reason
            return "没有可导入的内容"
        assert found, page[:400]
        message = found.group(1)
    else:
        body = resp.get_json()
        message = body.get("message") or body.get("description")
    assert CHINESE.search(message), message
    assert "Traceback" not in message and "/tmp/" not in message
    return message


@pytest.mark.parametrize("broken", FILES, ids=IDS)
def test_a_broken_file_is_refused_by_the_import_api_and_changes_nothing(deployment, broken: BrokenFile):
    app, data, auth = deployment
    client = app.test_client()
    before = _snapshot(app, data)
    resp = client.post("/api/layers/courtyards/imports", headers=auth, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(broken.data), broken.filename)})
    if resp.status_code == 201:  # read, with every feature rejected in the preview: the commit refuses it
        preview = resp.get_json()
        assert preview["counts"].get("reject", 0) >= 1 and not preview["counts"].get("add"), preview["counts"]
        resp = client.post(preview["commit"], headers=auth)
    _chinese_refusal(resp)
    assert _snapshot(app, data) == before


@pytest.mark.parametrize("broken", FILES, ids=IDS)
def test_a_broken_file_is_refused_by_the_import_page_and_changes_nothing(deployment, broken: BrokenFile):
    app, data, _ = deployment
    client = app.test_client()
    csrf = login(client, "editor1")
    before = _snapshot(app, data)
    resp = client.post("/import", content_type="multipart/form-data",
                       data={"csrf_token": csrf, "layer": "courtyards", "file": (io.BytesIO(broken.data), broken.filename)})
    _chinese_refusal(resp)
    assert _snapshot(app, data) == before


WRITES = [
    ("POST", "/api/layers/courtyards/features", {}),
    ("PATCH", "/api/layers/courtyards/features/{fid}", {"If-Match": '"{fid}-v1"'}),
    ("POST", "/api/layers/courtyards/status", {}),
    ("POST", "/api/layers/courtyards/features/{fid}/problems", {}),
    ("POST", "/api/layers/courtyards/features/{fid}/revert", {}),
    ("POST", "/api/inspections/2026-11-24", {}),
    ("POST", "/api/inspections/2026-11-24/{fid}", {}),
    ("POST", "/ogc/collections/courtyards/items", {}),
    ("PUT", "/ogc/collections/courtyards/items/{fid}", {"If-Match": '"{fid}-v1"'}),
    ("PATCH", "/ogc/collections/courtyards/items/{fid}", {"If-Match": '"{fid}-v1"'}),
]


@pytest.mark.parametrize("media", ["application/json", "application/geo+json"])
def test_every_broken_file_sent_as_a_body_to_every_write_is_refused(deployment, media):
    app, data, auth = deployment
    client = app.test_client()
    fid = app.extensions["guatu"].store.features("courtyards")[0]["id"]
    before = _snapshot(app, data)
    for broken in FILES:
        for method, url, headers in WRITES:
            headers = {k: v.format(fid=fid) for k, v in headers.items()}
            resp = client.open(url.format(fid=fid), method=method, data=broken.data, content_type=media,
                               headers={**auth, **headers})
            assert 400 <= resp.status_code < 500, (broken.what, method, url, resp.status_code,
                                                   resp.get_data(as_text=True)[:300])
            _chinese_refusal(resp)
    assert _snapshot(app, data) == before
