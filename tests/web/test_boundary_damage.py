"""A boundary file replaced by a damaged one: the wall page, its state and the editor's writes go on without
those outlines, /api/health names the file on every screen's banner, and what cannot do without them (the
boundaries API, printing) answers 503 with the reason — never a 500."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import REPO
from tests.web.conftest import PASSWORD, login
from web import create_app

FILE = "boundaries/communities.geojson"
INSIDE = [[113.664, 34.727], [113.6642, 34.727], [113.6642, 34.7272], [113.664, 34.7272], [113.664, 34.727]]


@pytest.fixture
def damaged(tmp_path, clock):
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data, ignore=shutil.ignore_patterns("journal.jsonl", ".*.lock"))
    path = data / FILE
    path.write_text(path.read_text(encoding="utf-8")[:400], encoding="utf-8")  # cut short by a bad copy
    app = create_app({"TESTING": True, "GUATU_DATA": str(data), "GUATU_CLOCK": clock,
                      "GUATU_INSTANCE": str(tmp_path / "instance"), "GUATU_PUBLIC_VIEW": True})
    return app


def test_the_wall_goes_on_without_the_outlines_and_health_names_the_file(damaged):
    client = damaged.test_client()
    page = client.get("/")
    assert page.status_code == 200
    first = page.get_data(as_text=True)
    assert '"boundaries":{"district":' in first and '"street":' in first and '"community":{' not in first
    assert client.get("/api/wall/state").status_code == 200
    assert client.get("/api/wall/dashboard").status_code == 200
    assert client.get("/api/boundaries/street").status_code == 200
    health = client.get("/api/health")
    assert health.status_code == 503
    [problem] = [p for p in health.get_json()["problems"] if p["code"] == "broken_boundary"]
    assert problem["where"] == FILE and problem["message"].startswith(f"区划文件 {FILE} 无法使用") and problem["remedy"]


@pytest.mark.parametrize("url", ["/api/boundaries/community", "/print?format=pdf"])
def test_what_needs_the_outlines_says_which_file_is_damaged(damaged, url):
    resp = damaged.test_client().get(url, headers={"Accept": "application/json"})
    assert resp.status_code == 503
    body = resp.get_json()
    assert body["error"] == "broken_boundary" and f"区划文件 {FILE} 无法使用" in body["message"]


def test_a_new_place_gets_its_sub_district_but_no_community_from_the_damaged_file(damaged):
    damaged.extensions["guatu_accounts"].create_user("editor1", PASSWORD, "editor", "李编")
    client = damaged.test_client()
    csrf = login(client, "editor1")
    made = client.post("/api/layers/courtyards/features", headers={"X-CSRF-Token": csrf},
                       json={"type": "Feature", "properties": {"name": "新院", "kind": "楼院", "status": "pending"},
                             "geometry": {"type": "Polygon", "coordinates": [INSIDE]}})
    assert made.status_code == 201, made.get_data(as_text=True)
    props = made.get_json()["properties"]
    assert props["street"] == "大学路街道" and not props.get("community")
