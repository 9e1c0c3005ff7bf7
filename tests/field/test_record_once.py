"""Results recorded from a phone: a client id makes a retry harmless, and a place changed after the list
was loaded is recorded without undoing the change, with a notice for the inspector and the planner."""

from __future__ import annotations

from datetime import date

import pytest

from geo import inspections as insp
from geo.errors import Conflict, ValidationError
from tests.web.conftest import login

DAY = date(2026, 11, 24)
PHONE = "0b9c7a52-6f0e-4b7e-9d1c-2f5b8e3a1c44"


def test_the_same_client_id_again_returns_the_recorded_row_and_changes_nothing(seeded, campaign, clock):
    listing = insp.generate(seeded, campaign, DAY, n=3, seed=1, user="李编")
    fid = listing["places"][0]["id"]
    row, created = insp.record_once(seeded, campaign, DAY, fid, result="problem", category="飞线充电",
                                    user="王五", client_id=PHONE)
    assert created and row["result"]["client_id"] == PHONE
    revision = seeded.revision()
    clock.advance(minutes=5)
    again, created = insp.record_once(seeded, campaign, DAY, fid, result="problem", category="飞线充电",
                                      user="王五", client_id=PHONE)
    assert not created and again == row
    assert seeded.revision() == revision  # no second problem, no second change
    assert len(seeded.get("courtyards", fid)["properties"]["problems"]) == 1
    with pytest.raises(Conflict):  # another device (or the desk) on an inspected place: still a conflict
        insp.record_once(seeded, campaign, DAY, fid, result="ok", user="王五", client_id=PHONE.replace("0b", "ff"))
    with pytest.raises(Conflict):
        insp.record(seeded, campaign, DAY, fid, result="ok", user="王五")
    with pytest.raises(ValidationError):
        insp.record(seeded, campaign, DAY, listing["places"][1]["id"], result="ok", user="王五", client_id="x y")
    assert insp.load(seeded, DAY)["places"][1]["result"] is None


def test_a_place_changed_since_the_list_was_loaded_is_recorded_and_flagged_without_undoing_the_change(
        seeded, campaign, clock):
    listing = insp.generate(seeded, campaign, DAY, n=3, seed=1, user="李编")
    fid = listing["places"][0]["id"]
    seen = seeded.get("courtyards", fid)["properties"]["version"]
    clock.advance(minutes=10)
    seeded.update("courtyards", fid, expected_version=seen, user="规划 李四", properties={"unit": "区城管局"})
    clock.advance(minutes=20)
    row = insp.record(seeded, campaign, DAY, fid, result="relapse", category="乱堆乱放", notes="又堆了",
                      user="王五", client_id=PHONE, seen_version=seen)
    changed = row["result"]["changed_meanwhile"]
    assert changed == {"seen_version": seen, "version": seen + 1, "by": "规划 李四", "at": "2026-11-24T08:10:00.000000Z"}
    props = seeded.get("courtyards", fid)["properties"]
    assert props["unit"] == "区城管局" and props["status"] == "relapsed" and props["version"] == seen + 2
    notice = insp.changed_meanwhile_notice(row["result"], campaign)
    assert notice == ("离线期间地点已被修改:规划 李四 于 2026-11-24 16:10 改为第 2 版(督导时看到第 1 版);"
                      "督导结果已记录,未覆盖其修改")
    sheet = insp.route_sheet(seeded, campaign, insp.load(seeded, DAY))
    assert sheet[0]["result"]["changed_notice"] == notice

    unchanged = listing["places"][1]["id"]
    version = seeded.get("courtyards", unchanged)["properties"]["version"]
    row = insp.record(seeded, campaign, DAY, unchanged, result="ok", user="王五", seen_version=version)
    assert row["result"]["changed_meanwhile"] is None


def test_the_api_answers_a_repeated_client_id_with_200_and_the_desk_page_shows_the_flag(client, seeded, clock):
    csrf = login(client, "editor1")
    headers = {"X-CSRF-Token": csrf}
    places = client.post("/api/inspections/2026-11-24", json={"count": 3, "seed": 5}, headers=headers).get_json()["places"]
    first, second = places[0], places[1]
    body = {"result": "ok", "notes": "干净", "client_id": PHONE, "seen_version": first["version"]}
    resp = client.post(f"/api/inspections/2026-11-24/{first['id']}", json=body, headers=headers)
    assert resp.status_code == 201, resp.get_json()
    again = client.post(f"/api/inspections/2026-11-24/{first['id']}", json=body, headers=headers)
    assert again.status_code == 200 and again.get_json() == resp.get_json()
    other = client.post(f"/api/inspections/2026-11-24/{first['id']}", json={**body, "client_id": "another-device-1"},
                        headers=headers)
    assert other.status_code == 409 and other.headers["Content-Type"] == "application/problem+json"
    bad = client.post(f"/api/inspections/2026-11-24/{second['id']}", json={"result": "ok", "client_id": "a b"},
                      headers=headers)
    assert bad.status_code in (400, 422) and bad.headers["Content-Type"] == "application/problem+json"

    seeded.update("courtyards", second["id"], expected_version=second["version"], user="规划 李四",
                  properties={"unit": "区城管局"})
    resp = client.post(f"/api/inspections/2026-11-24/{second['id']}",
                       json={"result": "ok", "client_id": "phone-second-1", "seen_version": second["version"]},
                       headers=headers)
    assert resp.status_code == 201
    assert resp.get_json()["result"]["changed_notice"].startswith("离线期间地点已被修改:规划 李四 于 2026-11-24 16:00")
    page = client.get("/inspections?date=2026-11-24").get_data(as_text=True)
    assert page.count("离线期间地点已被修改") == 2  # the flag and its notice, on the second place only
    assert page.index(f'id="place-{second["id"]}"') < page.index("离线期间地点已被修改")
