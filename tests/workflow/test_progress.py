"""Milestones (时间节点) against the plan, and the timeline replayed from the journal."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from geo.history import end_of_day, layer_as_of
from geo.progress import milestones, timeline
from tests.web.conftest import login


def _set(store, status, n):
    for f in [f for f in store.features("courtyards") if f["properties"]["status"] != status][:n]:
        store.update("courtyards", f["id"], expected_version=f["properties"]["version"], user="t",
                     properties={"status": status})


def test_milestones_compare_the_plan_with_the_past_and_the_present(seeded, campaign, clock):
    # 2026-11-24: 3 of 9 accepted. Plan: 30% by 10-31, 60% by 11-30, 100% by 12-31.
    clock.advance(days=7)  # 12-01: 11-30 has passed
    _set(seeded, "accepted", 3)  # 6 of 9 done on 12-01, after the milestone
    result = milestones(seeded, campaign, clock())
    oct_, nov, dec = result["milestones"]
    assert oct_["passed"] and oct_["total"] == 0  # nothing existed yet
    assert nov["passed"] and nov["done"] == 3 and nov["share_actual"] == round(3 / 9, 4) and nov["verdict"] == "behind"
    assert not dec["passed"] and dec["done"] == 6 and dec["days_left"] == 30 and dec["verdict"] == "behind"
    assert result["next"]["date"] == "2026-12-31" and result["share_done"] == round(6 / 9, 4)
    assert 0.6 < result["share_planned"] < 0.62  # one day into the straight line from 60% to 100%
    assert result["verdict"] == "ahead"


def test_timeline_equals_the_layer_replayed_as_of_each_day(seeded, campaign, clock):
    days = [date(2026, 11, 24)]
    for status, n in (("in_progress", 2), ("rectified", 3), ("accepted", 5)):
        clock.advance(days=1)
        _set(seeded, status, n)
        days.append(days[-1] + timedelta(days=1))
    result = timeline(seeded, campaign, date(2026, 11, 23), days[-1])
    assert [d["date"] for d in result["days"]] == [d.isoformat() for d in [days[0] - timedelta(days=1), *days]]
    assert result["days"][0]["total"] == 0
    for row in result["days"]:
        features = layer_as_of(seeded, "courtyards", end_of_day(date.fromisoformat(row["date"]), campaign))
        replayed = Counter(f["properties"]["status"] for f in features)
        assert {k: v for k, v in row["counts"].items() if v} == dict(replayed), row["date"]
    now_done = sum(f["properties"]["status"] in campaign.done_statuses for f in seeded.features("courtyards"))
    assert result["days"][-1]["done"] == now_done and result["days"][-2]["done"] != now_done


def test_the_api(client):
    login(client, "viewer1")
    data = client.get("/api/progress/milestones").get_json()
    assert [m["date"] for m in data["milestones"]] == ["2026-10-31", "2026-11-30", "2026-12-31"]
    line = client.get("/api/timeline?from=2026-11-20&to=2026-11-24").get_json()
    assert len(line["days"]) == 5 and line["days"][-1]["total"] == 9
    assert client.get("/api/timeline?from=2026-11-25&to=2026-11-24").status_code == 400
    assert client.get("/api/timeline?from=nope").status_code == 400


def test_a_wall_screen_reads_the_plan_and_the_timeline_but_nothing_personal(app):
    _, secret = app.extensions["guatu_accounts"].create_display_token("指挥中心大屏1", "/wall")
    client = app.test_client()
    headers = {"X-Guatu-Display": secret}
    assert client.get("/api/progress/milestones", headers=headers).status_code == 200
    assert client.get("/api/timeline", headers=headers).status_code == 200
    assert client.get("/api/mine?unit=区政府办", headers=headers).status_code == 403
    assert client.get("/api/inspections/2026-11-24", headers=headers).status_code == 403
    assert client.get("/api/timeline").status_code == 401
