"""A layer file broken by hand: the server starts, names the file and line, serves the rest, and never overwrites it."""

from __future__ import annotations

import pytest
import requests

from tests.faults.server import Server, copy_demo, make_editor_token

LAYER_FILE = "layers/courtyards.geojson"


def _break_line(path, number: int) -> bytes:
    lines = path.read_bytes().split(b"\n")
    lines[number - 1] = lines[number - 1][: len(lines[number - 1]) // 2]  # a feature cut in half, as a bad hand edit
    broken = b"\n".join(lines)
    path.write_bytes(broken)
    return broken


@pytest.mark.timeout(90)
def test_a_broken_layer_file_is_reported_served_around_and_never_overwritten(tmp_path):
    data = copy_demo(tmp_path / "data")
    token = make_editor_token(tmp_path / "instance")
    good = (data / LAYER_FILE).read_bytes()
    broken = _break_line(data / LAYER_FILE, 5)
    auth = {"Authorization": f"Bearer {token}"}

    with Server(data, tmp_path / "instance", tmp_path / "server.log", workers=2) as server:
        url = server.url
        health = requests.get(f"{url}/api/health", timeout=10)
        assert health.status_code == 503
        reason = health.json()["broken_layers"]["courtyards"]
        assert reason.startswith(f"{LAYER_FILE} 第 5 行:不是有效的 JSON")

        # the rest is served: other layers, the campaign, the wall state and the wall page
        roads = requests.get(f"{url}/api/layers/roads/features", headers=auth, timeout=10)
        assert roads.status_code == 200 and len(roads.json()["features"]) > 10
        layers = {x["id"]: x for x in requests.get(f"{url}/api/layers", headers=auth, timeout=10).json()}
        assert layers["courtyards"]["count"] is None and "第 5 行" in layers["courtyards"]["error"]
        assert layers["roads"]["count"] == len(roads.json()["features"])
        state = requests.get(f"{url}/api/wall/state", headers=auth, timeout=10)
        assert state.status_code == 200 and set(state.json()["layers"]) == {"roads", "villages"}
        assert requests.get(f"{url}/api/wall/shapes/roads", headers=auth, timeout=10).status_code == 200
        page = requests.get(f"{url}/", headers=auth, timeout=30)
        assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]
        assert '"id": "roads"' in page.text and '"id": "courtyards"' not in page.text

        # reading the broken layer says why; writing to it is refused with the reason, the file left alone
        read = requests.get(f"{url}/api/layers/courtyards/features", headers=auth, timeout=10)
        assert read.status_code == 503 and read.json()["error"] == "broken_layer"
        download = requests.get(f"{url}/export/courtyards", headers={**auth, "Accept": "text/html"}, timeout=10)
        assert download.status_code == 503 and "此页暂时无法显示" in download.text  # the page with the banner,
        assert f"{LAYER_FILE} 第 5 行" in download.text and "Service Unavailable" not in download.text  # in Chinese
        patch = requests.patch(f"{url}/api/layers/courtyards/features/c-0001", json={"properties": {"status": "accepted"}},
                               headers={**auth, "If-Match": '"c-0001-v1"'}, timeout=10)
        assert patch.status_code == 503
        assert patch.json()["error"] == "broken_layer" and f"{LAYER_FILE} 第 5 行" in patch.json()["message"]
        create = requests.post(f"{url}/api/layers/courtyards/features", headers=auth, timeout=10, json={
            "properties": {"name": "新院", "kind": "楼院", "status": "pending"},
            "geometry": {"type": "Polygon", "coordinates": [[[113.6, 34.7], [113.601, 34.7], [113.601, 34.701], [113.6, 34.7]]]}})
        assert create.status_code == 503 and create.json()["error"] == "broken_layer"
        assert (data / LAYER_FILE).read_bytes() == broken

        # other layers still take writes
        road = roads.json()["features"][0]
        ok = requests.patch(f"{url}/api/layers/roads/features/{road['id']}", json={"properties": {"status": "in_progress"}},
                            headers={**auth, "If-Match": f'"{road["id"]}-v{road["properties"]["version"]}"'}, timeout=10)
        assert ok.status_code == 200

        # once the file is fixed, the running server picks it up: no restart needed
        (data / LAYER_FILE).write_bytes(good)
        assert requests.get(f"{url}/api/health", timeout=10).json()["ok"] is True
        fixed = requests.patch(f"{url}/api/layers/courtyards/features/c-0001", json={"properties": {"status": "accepted"}},
                               headers={**auth, "If-Match": '"c-0001-v1"'}, timeout=10)
        assert fixed.status_code == 200

    log = server.log()
    assert f"layer file {LAYER_FILE} is broken: {LAYER_FILE} line 5: not valid JSON" in log
    assert "writes to it are refused" in log and "Traceback" not in log


@pytest.mark.timeout(60)
def test_a_layer_file_with_a_duplicate_id_is_reported_with_its_line(tmp_path):
    data = copy_demo(tmp_path / "data")
    lines = (data / LAYER_FILE).read_bytes().split(b"\n")
    lines[3] = lines[2]  # a copy-paste: the feature on line 3 appears again on line 4
    (data / LAYER_FILE).write_bytes(b"\n".join(lines))
    with Server(data, tmp_path / "instance", tmp_path / "server.log", workers=1) as server:
        health = requests.get(f"{server.url}/api/health", timeout=10).json()
    assert health["broken_layers"]["courtyards"].startswith(f"{LAYER_FILE} 第 4 行:id ")
    assert "出现了两次" in health["broken_layers"]["courtyards"]
