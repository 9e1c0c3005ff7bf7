"""Issue 18's done test: on a phone, offline, an inspector records the whole day's list; back online, the
results reach the server once, and a 4K wall screen shows them at its next poll — on both stores."""

from __future__ import annotations

import pytest

from geo.config import load_campaign
from geo.store.transfer import copy_to_postgis
from tests.browser.harness import copy_demo, live_server, open_page, wait_ready
from tests.field.test_field_page import DAY, EDITOR, call, fixed_clock, record_on_phone, results_of, sign_in

pytestmark = pytest.mark.browser

RESULTS = ["ok", "problem", "relapse", "ok"]
CATEGORIES = [None, "乱堆乱放", "违章建筑", None]


@pytest.fixture(params=["embedded", "postgis"])
def server(request, tmp_path):
    data = copy_demo(tmp_path / "data")
    settings = {}
    if request.param == "postgis":
        url, schema = request.getfixturevalue("postgis_url"), request.getfixturevalue("postgis_schema")
        copy_to_postgis(data, load_campaign(data), url, schema=schema)
        settings = {"GUATU_DATABASE_URL": url, "GUATU_DATABASE_SCHEMA": schema}
    with live_server(data, GUATU_CLOCK=fixed_clock, GUATU_REFRESH_SECONDS=2, **settings) as s:
        s.app.extensions["guatu_accounts"].create_user(EDITOR[0], EDITOR[1], "editor", "李督导")
        status, listing = call(s, "POST", f"/api/inspections/{DAY}", {"count": len(RESULTS), "seed": 7})
        assert status == 201
        s.places = listing["places"]
        yield s


def test_an_inspector_records_the_day_offline_and_the_wall_shows_it_at_its_next_poll(browser, server):
    wall, wall_log = open_page(browser, server.url, "/wall", width=3840, height=2160)
    wait_ready(wall)
    wall.wait_for_function(f"() => document.documentElement.dataset.guatuInspections === '0/{len(RESULTS)}'")
    polls = []
    wall.on("response", lambda r: "/api/wall/inspections" in r.url and polls.append(r.status))

    phone, phone_log = sign_in(browser, server)
    phone.wait_for_selector("html[data-field-offline-ready]", state="attached")
    phone.context.set_offline(True)
    for place, result, category in zip(server.places, RESULTS, CATEGORIES, strict=True):
        record_on_phone(phone, place["id"], result, category=category, notes=f"{place['name']}:{result}")
    phone.wait_for_function(f"() => document.querySelector('[data-field-queue]').dataset.count === '{len(RESULTS)}'")
    assert all(r is None for r in results_of(server).values())

    phone.context.set_offline(False)
    phone.wait_for_function("() => document.querySelector('[data-field-queue]').dataset.count === '0'")
    recorded = results_of(server)
    assert [recorded[p["id"]]["result"] for p in server.places] == RESULTS
    seen = len(polls)
    wall.wait_for_function(f"() => document.documentElement.dataset.guatuInspections === '{len(RESULTS)}/{len(RESULTS)}'")
    assert len(polls) - seen <= 1  # the first poll after the upload brought them
    rows = wall.eval_on_selector_all(".guatu-inspections .guatu-insp-row .guatu-insp-result",
                                     "cells => cells.map(c => c.textContent.split(' ')[0])")
    assert rows == ["正常", "发现问题", "反弹", "正常"]
    assert phone_log.outside == [] and wall_log.outside == []
    phone.context.close()
    wall.context.close()
