"""Issue 18's done test: on a phone, offline, an inspector records the whole day's list with photos; back online,
everything reaches the server once, and a 4K wall screen shows the results and the photos at its next poll — on
both stores."""

from __future__ import annotations

import pytest

from geo.config import load_campaign
from geo.photos import photos_of
from geo.store.transfer import copy_to_postgis
from tests.browser.harness import copy_demo, live_server, open_page, wait_ready
from tests.field.phone import DAY, EDITOR, attach_on_phone, call, fixed_clock, jpeg, queued, record_on_phone, results_of, sign_in

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


def test_an_inspector_records_the_day_offline_with_photos_and_the_wall_shows_it_at_its_next_poll(browser, server):
    wall, wall_log = open_page(browser, server.url, "/wall", width=3840, height=2160)
    wait_ready(wall)
    n = len(RESULTS)
    wall.wait_for_function(f"() => document.documentElement.dataset.guatuInspections === '0/{n}'")
    shown = server.places[1]  # its card stays open on the wall
    wall.evaluate("([layer, fid]) => guatuPage.walls[0].select(layer, fid)", [shown["layer"], shown["id"]])
    wall.wait_for_selector(".guatu-place-card .guatu-card-badges")
    assert wall.locator(".guatu-photo-thumb").count() == 0
    polls = []  # the wall's polls of its state, as they start (each one also asks for the day's list again)
    wall.on("request", lambda r: "/api/wall/state" in r.url and polls.append(r.url))

    phone, phone_log = sign_in(browser, server)
    phone.wait_for_selector("html[data-field-offline-ready]", state="attached")
    phone.context.set_offline(True)
    for i, (place, result, category) in enumerate(zip(server.places, RESULTS, CATEGORIES, strict=True)):
        record_on_phone(phone, place["id"], result, category=category, notes=f"{place['name']}:{result}")
        attach_on_phone(phone, place["id"], (f"p{i}.jpg", jpeg((30 * i, 90, 160))))
    queued(phone, 2 * n)
    assert phone.locator("[data-field-queue]").inner_text() == f"待上传 {2 * n}"
    assert all(r is None for r in results_of(server).values())

    phone.context.set_offline(False)
    queued(phone, 0)
    recorded = results_of(server)
    store = server.app.extensions["guatu"].store
    assert [recorded[p["id"]]["result"] for p in server.places] == RESULTS
    assert [len(photos_of(store.get(p["layer"], p["id"]))) for p in server.places] == [1] * n
    seen = len(polls)
    wall.wait_for_function(f"() => document.documentElement.dataset.guatuInspections === '{n}/{n}'")
    wall.wait_for_selector(".guatu-card-photos .guatu-photo-thumb")
    assert len(polls) - seen <= 1  # the first poll started after the upload brought them
    photo = photos_of(store.get(shown["layer"], shown["id"]))[0]
    assert wall.eval_on_selector_all(".guatu-card-photos .guatu-photo-thumb", "bs => bs.map(b => b.dataset.photo)") \
        == [photo["id"]]
    rows = wall.eval_on_selector_all(".guatu-inspections .guatu-insp-row .guatu-insp-result",
                                     "cells => cells.map(c => c.textContent.split(' ')[0])")
    assert rows == ["正常", "发现问题", "反弹", "正常"]
    assert phone_log.outside == [] and wall_log.outside == []
    phone.context.close()
    wall.context.close()
