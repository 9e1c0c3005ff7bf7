"""The wall's progress dashboard and place cards, over HTTP, on a small campaign with known numbers."""

from __future__ import annotations

import pytest

from geo.store import open_store

PEOPLE = {"leader": "蔡红梅", "cadre": "曹国庆", "community_head": "孙宏伟", "grid_worker": "戴新民"}


def problem(pid, category, *, found_on="2026-11-10", found_by="社区排查", deadline="2026-12-31", status="open",
            closed_on=None, responsible="金桥社区 孙宏伟"):
    return {"id": pid, "category": category, "description": f"{category}待整改", "found_on": found_on, "found_by": found_by,
            "deadline": deadline, "responsible": responsible, "status": status, "closed_on": closed_on}


@pytest.fixture
def campaign_data(seeded, campaign, clock):
    """c-0001 accepted (大学路/金桥), c-0002 pending and overdue (大学路/祥和), c-0003 in progress (福华街/幸福)."""
    store = open_store(seeded, campaign, clock=clock)
    store.update("courtyards", "c-0001", expected_version=1, user="t", properties={
        "street": "大学路街道", "community": "金桥社区", "people": PEOPLE,
        "problems": [problem("p1", "飞线充电", status="closed", closed_on="2026-11-20")]})
    store.update("courtyards", "c-0002", expected_version=1, user="t", properties={
        "street": "大学路街道", "community": "祥和社区", "unit": "区政府办", "people": PEOPLE, "problems": [
            problem("p1", "飞线充电", deadline="2026-11-20"),  # overdue by 4 days
            problem("p2", "消防通道", found_on="2026-11-23", found_by="每日随机督导"),  # overnight
            problem("p3", "乱堆乱放", status="closed", closed_on="2026-11-24")]})
    store.update("courtyards", "c-0003", expected_version=1, user="t", properties={
        "street": "福华街街道", "community": "幸福社区", "problems": [problem("p1", "消防通道")]})
    return store


def test_totals_per_status_street_community_and_category(client, campaign_data):
    d = client.get("/api/wall/dashboard").get_json()
    t = d["totals"]
    assert (t["total"], t["done"], t["pct"], t["overdue"], t["overnight"]) == (3, 1, 33.3, 1, 1)
    assert t["by_status"] == {"unsurveyed": 0, "pending": 1, "in_progress": 1, "rectified": 0, "accepted": 1, "relapsed": 0}
    assert t["problems"] == {"opened": 5, "closed": 2, "open": 3, "overdue": 1, "overnight": 1}
    streets = {s["name"]: (s["total"], s["done"], s["pct"], s["overdue"]) for s in d["streets"]}
    assert streets == {"大学路街道": (2, 1, 50.0, 1), "福华街街道": (1, 0, 0.0, 0)}
    communities = {c["name"]: (c["street"], c["total"], c["done"]) for c in d["communities"]}
    assert communities == {"金桥社区": ("大学路街道", 1, 1), "祥和社区": ("大学路街道", 1, 0), "幸福社区": ("福华街街道", 1, 0)}
    cats = {c["name"]: (c["places"], c["opened"], c["closed"], c["open"], c["overdue"]) for c in d["categories"]}
    assert cats == {"飞线充电": (1, 2, 1, 1, 1), "消防通道": (2, 2, 0, 2, 0), "乱堆乱放": (0, 1, 1, 0, 0)}


def test_overdue_and_overnight_lists_say_place_problem_days_late_and_who(client, campaign_data):
    d = client.get("/api/wall/dashboard").get_json()
    rows = [(r["name"], r["category"], r["days_late"], r["responsible"]) for r in d["overdue"]["rows"]]
    assert rows == [("中原东路5号院", None, 23, "区政府办 曹国庆"), ("中原东路5号院", "飞线充电", 4, "金桥社区 孙宏伟")]
    assert d["overdue"]["total"] == 2 and d["overdue"]["places"] == 1
    night = d["overnight"]["rows"]
    assert [(r["name"], r["category"], r["found_by"], r["days_open"]) for r in night] == [("中原东路5号院", "消防通道", "每日随机督导", 1)]


def test_the_dashboard_is_scoped_like_the_wall_url(client, campaign_data):
    d = client.get("/api/wall/dashboard?street=大学路").get_json()
    assert d["scope"]["street"] == "大学路街道"
    assert d["totals"]["total"] == 2 and [s["name"] for s in d["streets"]] == ["大学路街道"]
    c = client.get("/api/wall/dashboard?community=幸福社区").get_json()
    assert c["totals"]["total"] == 1 and c["totals"]["by_status"]["in_progress"] == 1
    assert client.get("/api/wall/dashboard?street=nowhere").get_json()["totals"]["total"] == 3


def test_progress_per_day_follows_the_journal_and_the_ledger(client, campaign_data, clock):
    first = client.get("/api/wall/dashboard").get_json()["progress"]
    assert first["days"][-1] == "2026-11-24" and first["done"][-1] == 1 and first["total"] == 3
    clock.advance(days=1)
    campaign_data.update("courtyards", "c-0003", expected_version=2, user="t", properties={"status": "rectified"})
    p = client.get("/api/wall/dashboard").get_json()["progress"]
    assert p["days"][-2:] == ["2026-11-24", "2026-11-25"]
    assert p["done"][-2:] == [1, 2]
    found = dict(zip(p["days"], p["opened"]))
    closed = dict(zip(p["days"], p["closed"]))
    assert found["2026-11-10"] == 4 and found["2026-11-23"] == 1
    assert closed["2026-11-20"] == 1 and closed["2026-11-24"] == 1


def test_an_unchanged_dashboard_answers_304(client, campaign_data):
    first = client.get("/api/wall/dashboard")
    assert client.get("/api/wall/dashboard", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


def test_a_place_card_names_its_four_people_and_open_problems(client, campaign_data):
    c = client.get("/api/wall/place/courtyards/c-0002").get_json()
    assert (c["name"], c["street"], c["community"], c["deadline"], c["days_late"]) == (
        "中原东路5号院", "大学路街道", "祥和社区", "2026-11-01", 23)
    assert c["status"] == {"key": "pending", "label": "待整改", "color": "#d0304a", "done": False}
    assert c["overdue"] is True and c["overnight"] is True
    assert [(p["label"], p["name"]) for p in c["people"]] == [
        ("区级领导", "蔡红梅"), ("街道干部", "曹国庆"), ("社区负责人", "孙宏伟"), ("网格员", "戴新民")]
    assert [(p["category"], p["overdue"], p["days_late"], p["overnight"]) for p in c["problems"]] == [
        ("飞线充电", True, 4, False), ("消防通道", False, 0, True)]
    assert c["closed_problems"] == 1
    assert client.get("/api/wall/place/courtyards/c-9999").status_code == 404
