"""The import report offers DataV's array and object columns as text or left out; the choice applies at commit."""

from __future__ import annotations

import io
import re
from pathlib import Path

from tests.web.conftest import login

DATAV = (Path(__file__).parent.parent / "exchange" / "files" / "datav_410103.json").read_bytes()


def _villages(client, headers=None) -> list[dict]:
    return client.get("/api/layers/villages/features", headers=headers).get_json()["features"]


def test_the_report_offers_each_array_column_and_the_commit_leaves_out_those_chosen(private_app):
    client = private_app.test_client()
    csrf = login(client, "editor1")
    page = client.post("/import", data={"csrf_token": csrf, "layer": "villages", "file": (io.BytesIO(DATAV), "410103_full.json")},
                       content_type="multipart/form-data")
    assert page.status_code == 200
    html = page.data.decode()
    assert "数组或对象列" in html and "113.602,34.7015" in html
    for column in ("center", "centroid", "parent", "acroutes"):
        assert f'name="nested:{column}" value="text" checked' in html and f'name="nested:{column}" value="drop"' in html
    pid = re.search(r"/import/([\w-]+)/commit", html).group(1)

    done = client.post(f"/import/{pid}/commit", data={"csrf_token": csrf, "nested:center": "text", "nested:centroid": "drop",
                                                      "nested:parent": "drop", "nested:acroutes": "drop"})

    assert done.status_code == 200 and "导入完成" in done.data.decode()
    added = [f["properties"] for f in _villages(client) if f["properties"]["name"] in ("侯寨乡", "马寨镇", "樱桃沟")]
    assert len(added) == 3
    assert all(p["center"].count(",") == 1 and not {"centroid", "parent", "acroutes"} & set(p) for p in added)


def test_scripts_leave_columns_out_with_drop_and_an_unknown_one_is_a_422(private_app):
    acc = private_app.extensions["guatu_accounts"]
    _, secret = acc.create_api_token("editor1", "script")
    client = private_app.test_client()
    auth = {"Authorization": f"Bearer {secret}"}
    body = client.post("/api/layers/villages/imports", data={"file": (io.BytesIO(DATAV), "410103_full.json")}, headers=auth,
                       content_type="multipart/form-data").get_json()
    assert [n["column"] for n in body["nested"]] == ["center", "centroid", "parent", "acroutes"]
    before = len(_villages(client, auth))

    refused = client.post(body["commit"], data={"drop": ["adcode"]}, headers=auth)
    assert refused.status_code == 422 and refused.mimetype == "application/problem+json"
    assert "adcode" in refused.get_data(as_text=True)
    assert len(_villages(client, auth)) == before

    done = client.post(body["commit"], data={"drop": ["acroutes", "parent"]}, headers=auth)
    assert done.status_code == 200 and len(done.get_json()["added"]) == 3
    added = [f["properties"] for f in _villages(client, auth) if f["id"] in done.get_json()["added"]]
    assert all("acroutes" not in p and "parent" not in p and p["centroid"] for p in added)
