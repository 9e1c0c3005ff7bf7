"""Open311 against a real server (werkzeug in a thread, the demo campaign) with `requests`, as a 12345 system would
talk to it: post a request, read it back, see it closed once its case reached 结案 — and a refusal on the wire."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
import requests

from geo.accounts import Principal
from geo.cases import transition
from geo.config import load_campaign
from geo.residents.open311 import service_code
from geo.residents.reports import accept
from geo.scope import Scope
from geo.store import open_store
from tests.browser.harness import copy_demo, live_server
from tests.web.conftest import PASSWORD

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
PIN = (113.6305, 34.7205)  # 京广路街道 幸福路社区
STAFF = {"district": Principal("zhihui", "王指挥", "editor", "session"),
         "handler": Principal("zhujian", "张住建", "editor", "session", scope=Scope(units=("区住建局",))),
         "inspector": Principal("duban", "赵督导", "inspector", "session")}


def fixed_clock() -> datetime:
    return NOW


@pytest.fixture
def server(tmp_path):
    data = copy_demo(tmp_path / "data")
    with live_server(data, GUATU_CLOCK=fixed_clock, GUATU_PUBLIC_VIEW=False) as s:
        acc = s.app.extensions["guatu_accounts"]
        acc.create_user("hotline", PASSWORD, "inspector", "12345热线")
        s.key = acc.create_api_token("hotline", "12345")[1]
        s.data = data
        yield s


def test_a_12345_system_posts_reads_back_and_sees_it_closed(server):
    base = f"{server.url}/open311/v2"
    posted = requests.post(f"{base}/requests.json", timeout=30, data={
        "api_key": server.key, "service_code": service_code("飞线充电"), "lat": PIN[1], "long": PIN[0],
        "description": "楼下有人飞线充电", "phone": "13912345678", "last_name": "李", "first_name": "阿姨"})
    assert posted.status_code == 201 and posted.headers["Content-Type"].startswith("application/json")
    code = posted.json()[0]["service_request_id"]
    one = requests.get(f"{base}/requests/{code}.json", timeout=30)
    assert one.status_code == 200 and one.json()[0]["status"] == "open" and "13912345678" not in one.text

    base_campaign = load_campaign(server.data)
    campaign = replace(base_campaign, cases=replace(base_campaign.cases, require_photo_report=False,
                                                    require_photo_confirm=False))
    store = open_store(server.data, campaign, clock=fixed_clock)
    try:
        ref = accept(store, campaign, code, principal=STAFF["district"], now=NOW)["case"]
        for action, who, extra in (("dispatch", "district", {"unit": "区住建局"}), ("report", "handler", {}),
                                   ("confirm", "inspector", {})):
            transition(store, ref["layer"], ref["fid"], ref["pid"], action, principal=STAFF[who],
                       expected_version=None, campaign=campaign, now=NOW, note="已处理", **extra)
    finally:
        store.close()
    listed = requests.get(f"{base}/requests.json", timeout=30,
                          params={"api_key": server.key, "status": "closed", "service_code": service_code("飞线充电")})
    assert [(r["service_request_id"], r["status"], r["status_notes"]) for r in listed.json()] == [
        (code, "closed", "已办结")]

    refused = requests.post(f"{base}/requests.json", timeout=30, data={"service_code": service_code("飞线充电")})
    assert refused.status_code == 403 and refused.headers["Content-Type"].startswith("application/json")
    assert refused.json()[0]["code"] == 403 and "api_key" in refused.json()[0]["description"]
