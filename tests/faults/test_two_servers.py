"""Two real gunicorn servers on one PostgreSQL database, each with its own empty instance folder, as two machines
behind a load balancer: a browser logs in through one and writes through the other with the same cookie and CSRF
token; an API token works on both (web/core/shared_state.py, docs/deployment.md)."""

from __future__ import annotations

import re

import pytest
import requests

from geo.config import load_campaign
from geo.store.transfer import copy_to_postgis
from tests.faults.server import PASSWORD, Server, copy_demo, make_editor_token


@pytest.mark.timeout(180)
def test_a_browser_logged_in_on_one_server_writes_through_the_other(tmp_path, postgis_url, postgis_schema):
    data = copy_demo(tmp_path / "data")
    copy_to_postgis(data, load_campaign(data), postgis_url, schema=postgis_schema)
    token = make_editor_token(tmp_path / "setup", data=data, database_url=postgis_url, schema=postgis_schema)
    env = {"GUATU_DATABASE_URL": postgis_url, "GUATU_DATABASE_SCHEMA": postgis_schema, "GUATU_NOTIFY_SENDER": "false"}
    one = Server(data, tmp_path / "instance-one", tmp_path / "one.log", workers=2, env=env).start()
    try:
        two = Server(data, tmp_path / "instance-two", tmp_path / "two.log", workers=1, env=env).start()
        try:
            browser = requests.Session()  # one host for the cookie jar: the load balancer's
            form = browser.get(one.url + "/login", timeout=30).text
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
            logged = browser.post(one.url + "/login", data={"username": "editor1", "password": PASSWORD,
                                                            "csrf_token": csrf}, allow_redirects=False, timeout=30)
            assert logged.status_code == 302, logged.text[:300]
            me = browser.get(two.url + "/api/me", timeout=30)
            assert me.status_code == 200 and me.json()["username"] == "editor1"
            place = "/api/layers/courtyards/features/c-0001"
            etag = browser.get(two.url + place, timeout=30).headers["ETag"]
            wrote = browser.patch(two.url + place, json={"properties": {"notes": "两台机器,一个会话"}},
                                  headers={"If-Match": etag, "X-CSRF-Token": me.json()["csrf_token"]}, timeout=30)
            assert wrote.status_code == 200, wrote.text[:300]
            assert browser.get(one.url + place, timeout=30).json()["properties"]["notes"] == "两台机器,一个会话"
            for server in (one, two):
                assert requests.get(server.url + "/api/me", headers={"Authorization": f"Bearer {token}"},
                                    timeout=30).json()["username"] == "editor1"
            for name in ("one", "two"):  # nothing shared was kept on either machine's disk
                kept = {p.name for p in (tmp_path / f"instance-{name}").rglob("*")}
                assert not kept & {"accounts.json", "secret_key", "imports"}, kept
        finally:
            two.stop()
    finally:
        one.stop()
