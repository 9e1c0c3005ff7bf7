"""A problem an inspection finds is filed as a case (立案, geo/cases) due by the next morning's cut-off (问题不过夜),
and the day's list — the route sheet, the /inspections page, the field page's list — shows the stage of each open
case of its places."""

from __future__ import annotations

from datetime import date

from geo import inspections as insp
from geo.cases import case_of, stage_label, stage_overdue
from geo.rules import problem_overnight
from tests.web.conftest import login

DAY = date(2026, 11, 24)  # the fake clock's day (16:00 in Zhengzhou)


def test_a_problem_an_inspection_finds_is_filed_as_a_case_due_by_the_next_mornings_cut_off(seeded, campaign, clock):
    listing = insp.generate(seeded, campaign, DAY, n=9, seed=7, user="李编")
    pending = next(p for p in listing["places"] if p["status"] == "pending")
    row = insp.record(seeded, campaign, DAY, pending["id"], result="problem", user="督导组 王五 (wangwu)",
                      username="wangwu", category="乱堆乱放", notes="楼道堆放杂物")
    problem = seeded.get("courtyards", pending["id"])["properties"]["problems"][-1]
    assert problem["id"] == row["result"]["problem"]
    case = problem["case"]
    assert case["stage"] == "filed" and case["source"] == "inspection" and case["reported_by"] is None
    assert case["stage_due"] == "2026-11-25T00:00:00Z"  # 08:00 the next morning in the campaign's zone
    assert case["timeline"] == [{"action": "file", "from": None, "to": "filed", "user": "wangwu",
                                 "by": "督导组 王五 (wangwu)", "at": "2026-11-24T08:00:00Z", "note": "", "photos": [],
                                 "data": {"source": "inspection"}}]
    # the ledger fields stay those the inspection gives until a dispatch names a handler
    assert problem["status"] == "open" and problem["deadline"] == "2026-11-25"
    assert problem["responsible"].startswith(pending["community"])
    assert case_of(problem, campaign) == case  # stored, not derived

    clock.advance(hours=15, minutes=59)  # 2026-11-25 07:59
    assert not stage_overdue(case, clock()) and not problem_overnight(problem, campaign, clock())
    clock.advance(minutes=2)  # past the cut-off: the stage is overdue, the problem overnight
    assert stage_overdue(case, clock()) and problem_overnight(problem, campaign, clock())


def test_a_relapse_files_its_case_and_one_fixed_on_the_spot_is_filed_closed(seeded, campaign):
    listing = insp.generate(seeded, campaign, DAY, n=9, seed=7, user="李编")
    accepted = next(p for p in listing["places"] if p["status"] == "accepted")
    pending = next(p for p in listing["places"] if p["status"] == "pending")
    insp.record(seeded, campaign, DAY, accepted["id"], result="relapse", user="王五", category="乱堆乱放")
    relapsed = seeded.get("courtyards", accepted["id"])["properties"]
    assert relapsed["status"] == "relapsed" and relapsed["problems"][-1]["case"]["stage"] == "filed"
    insp.record(seeded, campaign, DAY, pending["id"], result="problem", user="王五", category="乱堆乱放", fixed=True)
    fixed = seeded.get("courtyards", pending["id"])["properties"]["problems"][-1]
    assert fixed["case"]["stage"] == "closed" and fixed["case"]["source"] == "inspection"
    assert fixed["status"] == "closed" and fixed["closed_on"] == "2026-11-24"


def test_the_route_sheet_and_the_page_show_the_stage_of_each_open_case(client, seeded, campaign):
    listing = insp.generate(seeded, campaign, DAY, n=9, seed=7, user="李编")
    first = listing["places"][0]
    insp.record(seeded, campaign, DAY, first["id"], result="problem", user="王五", category="飞线充电")
    sheet = insp.route_sheet(seeded, campaign, insp.load(seeded, DAY))
    open_problems = next(r for r in sheet if r["id"] == first["id"])["open_problems"]
    assert [(q["stage"], q["stage_label"], q["stage_due_local"]) for q in open_problems] == [
        ("filed", stage_label("filed"), "2026-11-25 08:00")]

    login(client, "editor1")
    page = client.get("/inspections?date=2026-11-24").get_data(as_text=True)
    cell = page.split(f'id="place-{first["id"]}"')[1].split('class="route-problems"')[1].split("</td>")[0]
    assert f'<span class="case-stage stage-filed">{stage_label("filed")}</span>' in cell
    assert "(本阶段限 2026-11-25 08:00)" in cell

    got = client.get("/api/field/2026-11-24").get_json()
    carried = next(p for p in got["places"] if p["id"] == first["id"])["open_problems"]
    assert [(q["category"], q["stage"], q["stage_label"]) for q in carried] == [("飞线充电", "filed", stage_label("filed"))]


def test_a_problem_recorded_over_http_names_the_inspectors_account_in_its_case(client, seeded):
    csrf = login(client, "editor1")
    drawn = client.post("/api/inspections/2026-11-24", json={"count": 3, "seed": 5}, headers={"X-CSRF-Token": csrf})
    fid = drawn.get_json()["places"][0]["id"]
    resp = client.post(f"/api/inspections/2026-11-24/{fid}", json={"result": "problem", "category": "乱堆乱放"},
                       headers={"X-CSRF-Token": csrf})
    assert resp.status_code == 201, resp.get_json()
    step = seeded.get("courtyards", fid)["properties"]["problems"][-1]["case"]["timeline"][0]
    assert (step["action"], step["user"], step["by"]) == ("file", "editor1", "戴新民 (editor1)")
