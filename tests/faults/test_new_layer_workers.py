"""A layer an import makes, against a real gunicorn with three workers: every worker serves it at once,
without a restart (each looks at campaign.json before a request), whether the import came through one
worker or from the command line beside the server."""

from __future__ import annotations

from pathlib import Path

import requests

from geo.accounts import Accounts
from tests.faults.server import PASSWORD, Server, copy_demo, flask_cli

FILES = Path(__file__).parent.parent / "exchange" / "files"


def _answers(server: Server, path: str, times: int = 24) -> list[int]:
    # a new connection per request: the workers take turns accepting them
    return [requests.get(server.url + path, timeout=30, headers={"Connection": "close"}).status_code
            for _ in range(times)]


def test_a_layer_made_through_one_worker_or_the_command_line_is_served_by_every_worker(tmp_path):
    data = copy_demo(tmp_path / "data")
    acc = Accounts(tmp_path / "instance" / "accounts.json")
    acc.create_user("admin1", PASSWORD, "admin", "赵管")
    auth = {"Authorization": "Bearer " + acc.create_api_token("admin1", "import")[1]}
    with Server(data, tmp_path / "instance", tmp_path / "gunicorn.log", workers=3,
                env={"GUATU_PUBLIC_VIEW": "1"}) as server:
        assert set(_answers(server, "/api/layers/rectify_2027/features", 6)) == {404}
        with open(FILES / "google_earth.kml", "rb") as fh:
            preview = requests.post(server.url + "/api/imports", headers=auth, timeout=60,
                                    files={"file": ("整治点位.kml", fh)},
                                    data={"new_layer_id": "rectify_2027", "new_layer_title": "二〇二七年整治点位",
                                          "new_layer_kinds": "整治点位"})
        assert preview.status_code == 201, preview.text
        done = requests.post(server.url + preview.json()["commit"], headers=auth, timeout=60)
        assert done.status_code == 200, done.text

        assert set(_answers(server, "/api/layers/rectify_2027/features")) == {200}
        assert set(_answers(server, "/ogc/collections/rectify_2027/items?f=json", 12)) == {200}

        run = flask_cli(server, "import", str(FILES / "datav_410103.json"), "--layer", "towns", "--new-title", "乡镇",
                        "--commit", "--user", "赵管")
        assert run.returncode == 0, run.stdout + run.stderr
        assert set(_answers(server, "/api/layers/towns/features")) == {200}
        assert len(requests.get(server.url + "/api/layers/towns/features", timeout=30).json()["features"]) == 3
        assert "Traceback" not in server.log()
