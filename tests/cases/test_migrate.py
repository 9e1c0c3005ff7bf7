"""Migration of the problems written before cases, on both stores: open → filed (立案) or handling (派遣) with its
deadline, closed → closed (结案); journaled; idempotent; and the command an operator runs."""

from __future__ import annotations

import dataclasses
import gc
import weakref

import pytest

from geo.cases import migrate_cases
from geo.cases.model import case_of
from tests.cases.conftest import LAYER, NOW
from web import create_app

PROBLEMS = [
    {"id": "p1", "category": "飞线充电", "status": "open", "found_on": "2026-12-01"},
    {"id": "p2", "category": "僵尸车", "status": "in_progress", "found_on": "2026-12-01", "deadline": "2026-12-18",
     "responsible": "区住建局"},
    {"id": "p3", "category": "乱堆乱放", "status": "closed", "found_on": "2026-11-20", "closed_on": "2026-11-28"},
]


@pytest.fixture(params=["geojson", "postgis"])
def store(request, store_factory, clock):
    clock.now = NOW
    return store_factory(request.param)


def test_older_problems_become_cases_in_the_stage_their_fields_say(store, campaign, make_feature):
    fid = store.create(LAYER, make_feature(status="in_progress", street="大学路街道", problems=PROBLEMS),
                       user="演示").feature["id"]
    store.create(LAYER, make_feature(status="pending", x=113.64), user="演示")  # no problems: nothing to write
    report = migrate_cases(store, campaign, NOW, user="案件迁移")
    assert report == {"places": 1, "problems": 3, "already": 0,
                      "stages": {"filed": 1, "handling": 1, "verifying": 0, "closed": 1, "suspended": 0}}
    feature = store.get(LAYER, fid)
    p1, p2, p3 = feature["properties"]["problems"]
    assert (p1["case"]["stage"], p1["status"]) == ("filed", "open")
    assert (p2["case"]["stage"], p2["case"]["unit"], p2["case"]["stage_due"]) == \
        ("handling", "区住建局", "2026-12-18T09:30:00Z")
    assert (p2["status"], p2["deadline"], p2["responsible"]) == ("in_progress", "2026-12-18", "区住建局")
    assert (p3["case"]["stage"], p3["status"], p3["closed_on"]) == ("closed", "closed", "2026-11-28")
    assert all(p["case"]["source"] == "migrated" and p["case"]["timeline"][0]["action"] == "migrate"
               for p in (p1, p2, p3))
    assert feature["properties"]["version"] == 2 and feature["properties"]["updated_by"] == "案件迁移"
    assert store.history(LAYER, fid)[-1]["after"]["properties"]["problems"][0]["case"]["stage"] == "filed"


def test_migrating_again_changes_nothing(store, campaign, make_feature):
    store.create(LAYER, make_feature(problems=PROBLEMS), user="演示")
    migrate_cases(store, campaign, NOW, user="案件迁移")
    revision = store.revision()
    report = migrate_cases(store, campaign, NOW, user="案件迁移")
    assert report["problems"] == 0 and report["places"] == 0 and report["already"] == 3
    assert store.revision() == revision


def test_the_command_reports_in_chinese_and_is_idempotent(data_dir, campaign, clock, make_feature, tmp_path):
    from geo.store import open_store

    clock.now = NOW
    seeded = open_store(data_dir, campaign, clock=clock)
    seeded.create(LAYER, make_feature(problems=PROBLEMS), user="演示")
    seeded.close()
    app = create_app({"TESTING": True, "GUATU_DATA": str(data_dir), "GUATU_CLOCK": clock,
                      "GUATU_INSTANCE": str(tmp_path / "instance")})
    first = app.test_cli_runner().invoke(args=["store", "migrate-cases"])
    assert first.exit_code == 0, first.output
    assert first.output.strip() == "已将 1 个地点的 3 个问题迁移为案件:立案(待派遣) 1 个、处置中 1 个、已结案 1 个;原已是案件的 0 个"
    again = app.test_cli_runner().invoke(args=["store", "migrate-cases"])
    assert again.output.strip() == "没有需要迁移的问题:3 个问题已是案件"


def test_problems_sharing_their_days_are_read_as_cases_of_their_own(campaign):
    """The days are read once per campaign (geo/cases/model.py keeps them): each case is still the caller's."""
    first, second = case_of(PROBLEMS[1], campaign), case_of({**PROBLEMS[1], "responsible": "区城管局"}, campaign)
    assert (first["unit"], second["unit"]) == ("区住建局", "区城管局")
    assert first["stage_due"] == second["stage_due"] == "2026-12-18T09:30:00Z"
    first["timeline"].append({"action": "dispatch"})
    first["stage"] = "verifying"
    assert case_of(PROBLEMS[1], campaign) == {**first, "stage": "handling", "timeline": []}
    assert case_of({**PROBLEMS[0], "found_on": ["2026-12-01"]}, campaign)["filed_at"] == "2000-01-01T00:00:00Z"


def test_a_replaced_campaign_is_not_kept_alive_by_the_days_read_for_it(campaign):
    old = dataclasses.replace(campaign)
    case_of(PROBLEMS[0], old)
    gone = weakref.ref(old)
    del old
    gc.collect()
    assert gone() is None
    assert case_of(PROBLEMS[0], dataclasses.replace(campaign)) == case_of(PROBLEMS[0], campaign)
