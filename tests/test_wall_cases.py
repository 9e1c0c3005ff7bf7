"""Cases on the wall: a place's state marks an escalated case as the clock passes its due, with no write; the state
and the dashboard kept between revisions equal those built from scratch; the card shows each open case; the daily
report lists the escalated cases and the units' record."""

from __future__ import annotations

import re
import subprocess
from datetime import date

from geo.daily_report import ESCALATED, UNITS, report_data
from geo.daily_report_pdf import build_pdf
from geo.dashboard import DashboardData, dashboard
from geo.geojson_io import dumps
from geo.wall.cards import place_card
from geo.wall.data import WallData
from tests.random_edits import WalkCounter
from tests.wall_cases import UNIT, case, place, problem, record_places, write_places


def soon_place() -> dict:
    """A case falling due at 16:30 local, half an hour after the tests' clock."""
    return place("c-0004", "大学路4号院", [problem("c-0004-p1", case("handling", due="2026-11-24T08:30:00+00:00"))],
                 x=113.66)


def test_a_case_falling_due_marks_its_place_without_any_write(data_dir, campaign, clock, store_factory):
    write_places(data_dir, [*record_places(), soon_place()])
    store = store_factory()
    wall = WallData(store, campaign)
    walks = WalkCounter(store)
    key = wall.key(clock())
    state = wall.full(key, clock())
    features = state["layers"]["courtyards"]["features"]
    assert features["c-0001"][6] == 1 and features["c-0002"][6] == 2  # to the sub-district, to the district
    assert len(features["c-0003"]) < 7 and len(features["c-0004"]) < 7
    assert state["escalated_places"] == 2
    built = walks.walks

    now = clock.advance(minutes=45)  # c-0004's due passes: nobody writes
    later = wall.key(now)
    assert later.revision == key.revision and later.etag != key.etag  # screens are sent a new state
    assert later.moment == int(datetime_of("2026-11-24T08:30:00+00:00")) + 1
    state = wall.full(later, now)
    assert state["layers"]["courtyards"]["features"]["c-0004"][6] == 1
    assert walks.walks == built  # derived again, place by place: not built afresh
    assert dumps(state) == dumps(WallData(store, campaign).full(later, now))
    packed = wall.full(later, now, packed=True)["layers"]["courtyards"]
    flags = dict(zip([f["id"] for f in store.features("courtyards")], packed["flags"], strict=True))
    assert flags["c-0004"] >> 2 == 1 and flags["c-0002"] >> 2 == 2


def datetime_of(text: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(text).timestamp()


def test_the_dashboard_kept_as_cases_fall_due_equals_one_built_from_scratch(data_dir, campaign, clock, store_factory):
    write_places(data_dir, [*record_places(), soon_place()])
    store = store_factory()
    board = DashboardData(store, campaign)
    first = board.get(store.revision(), clock())["cases"]
    assert first["overdue_by_level"] == {"community": 0, "street": 1, "district": 1}
    assert [r["pid"] for r in first["escalated"]["rows"]] == ["c-0002-p1", "c-0001-p1"]
    assert first["escalated"]["rows"][1]["overdue_hours"] == 0.5
    for minutes in (20, 15, 60 * 20):
        now = clock.advance(minutes=minutes)
        kept = board.get(store.revision(), now)
        assert dumps(kept) == dumps(dashboard(store, campaign, now))
    props = store.get("courtyards", "c-0001")["properties"]
    store.update("courtyards", "c-0001", expected_version=1, user="t", properties={**props, "status": "rectified"})
    now = clock.advance(minutes=5)
    assert dumps(board.get(store.revision(), now)) == dumps(dashboard(store, campaign, now))
    cases = dashboard(store, campaign, now)["cases"]
    assert cases["overdue"] == 3 and sum(cases["overdue_by_level"].values()) == 3
    assert cases["units"][0]["unit"] == UNIT


def test_the_card_shows_each_open_case_and_links_to_its_page(data_dir, campaign, clock, store_factory):
    extension = {"until": "2026-11-30T09:00:00+00:00", "reason": "材料未到", "by": "zhujianju",
                 "at": "2026-11-23T02:00:00+00:00"}
    write_places(data_dir, [place("c-0001", "大学路1号院", [
        problem("c-0001-p1", case("handling", due="2026-11-24T07:30:00+00:00", extension=extension)),
    ])])
    store = store_factory()
    card = place_card(store.get("courtyards", "c-0001"), "courtyards", campaign, clock())
    assert card["escalated"] == 1
    shown = card["problems"][0]["case"]
    assert shown["stage"] == "handling" and str(shown["stage_label"])
    assert shown["unit"] == UNIT and shown["handler"] == "zhujianju"
    assert shown["due_local"] == "2026-11-24 15:30"  # the campaign's time
    assert shown["overdue"] is True and shown["escalated"] is True and shown["level"] == "street"
    assert shown["extension_pending"] is True
    assert shown["url"] == "/cases/courtyards/c-0001/c-0001-p1"


def test_the_daily_report_lists_escalated_cases_and_the_units_record(data_dir, campaign, clock, store_factory):
    write_places(data_dir, record_places())
    store = store_factory()
    data = report_data(store, campaign, date(2026, 11, 24), clock())
    escalated = data["sheets"][ESCALATED]
    assert [r[4] for r in escalated[1:]] == ["c-0002-p1", "c-0001-p1"]
    assert escalated[2][10] == "2026-11-24 15:30" and escalated[2][12] == 0.5
    units = data["sheets"][UNITS]
    assert units[1][:6] == [UNIT, 5, 3, 2, 2, 3] and units[1][6:] == [66.7, 10.2, 33.3]
    assert data["summary"]["escalated"] == 2 and data["summary"]["cases_by_level"]["district"] == 1
    pdf = build_pdf(data, with_map=False)
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "升级督办" in text and "单位考核" in text
    assert "大学路2号院" in text and "飞线充电" in text and UNIT in text
    assert "升级督办 2 件" in text


def test_the_report_page_lists_the_escalated_cases_and_the_units(data_dir, clock, tmp_path):
    from web import create_app

    write_places(data_dir, record_places())
    app = create_app({"TESTING": True, "GUATU_DATA": str(data_dir), "GUATU_CLOCK": clock,
                      "GUATU_INSTANCE": str(tmp_path / "instance"), "GUATU_PUBLIC_VIEW": True})
    page = app.test_client().get("/reports/daily?date=2026-11-24").data.decode()
    assert "升级督办案件" in page and "各单位处置情况" in page
    escalated = page.split('class="grid daily-escalated"')[1].split("</table>")[0]
    assert escalated.index("大学路2号院") < escalated.index("大学路1号院")  # the district's first
    assert "<td>指挥部</td>" in escalated and "<td>街道(包村领导)</td>" in escalated  # the level each went up to
    units = page.split('class="grid daily-units"')[1].split("</table>")[0]
    assert UNIT in units and "66.7" in units and "10.2" in units and "33.3" in units


def test_the_report_page_lists_the_most_urgent_escalated_cases_and_links_to_all(data_dir, clock, tmp_path,
                                                                                monkeypatch):
    """At 100,000 places a day had 61,641 escalated cases: the page lists the most urgent (PAGE_ROWS), says how
    many there are and links to the workbook and to the queue of escalated cases."""
    import web.workflow.reports
    from web import create_app

    monkeypatch.setattr(web.workflow.reports, "PAGE_ROWS", 1)
    write_places(data_dir, record_places())
    app = create_app({"TESTING": True, "GUATU_DATA": str(data_dir), "GUATU_CLOCK": clock,
                      "GUATU_INSTANCE": str(tmp_path / "instance"), "GUATU_PUBLIC_VIEW": True})
    client = app.test_client()
    page = client.get("/reports/daily?date=2026-11-24").data.decode()
    escalated = page.split('class="grid daily-escalated"')[1].split("</table>")[0]
    assert escalated.count("<tr>") == 2 and "大学路2号院" in escalated and "大学路1号院" not in escalated
    more = page.split('class="daily-more"')[1].split("</p>")[0]
    assert "共 2 件,此处列出最紧急的 1 件" in more
    links = [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', more)]
    assert links == ["/reports/daily/2026-11-24.xlsx", "/cases?escalated=1"]
    assert client.get(links[0]).status_code == 200 and client.get(links[1]).status_code == 200


def test_a_screen_polling_the_state_is_sent_the_escalation_when_the_due_passes(data_dir, clock, tmp_path):
    from web import create_app

    write_places(data_dir, [*record_places(), soon_place()])
    app = create_app({"TESTING": True, "GUATU_DATA": str(data_dir), "GUATU_CLOCK": clock,
                      "GUATU_INSTANCE": str(tmp_path / "instance"), "GUATU_PUBLIC_VIEW": True})
    client = app.test_client()
    first = client.get("/api/wall/state?format=packed")
    body = first.get_json()
    assert body["escalated_places"] == 2
    asked = {"headers": {"If-None-Match": first.headers["ETag"]}}
    again = client.get(f"/api/wall/state?format=packed&since={body['revision']}", **asked)
    assert again.status_code == 304  # nothing changed yet
    clock.advance(minutes=31)  # c-0004's case falls due: no write
    later = client.get(f"/api/wall/state?format=packed&since={body['revision']}", **asked)
    assert later.status_code == 200 and later.headers["ETag"] != first.headers["ETag"]
    state = later.get_json()
    assert state["kind"] == "full" and state["escalated_places"] == 3
    card = client.get("/api/wall/place/courtyards/c-0004").get_json()
    assert card["escalated"] == 1 and card["problems"][0]["case"]["overdue_hours"] == 0.0  # a minute late


def test_a_display_links_state_counts_only_its_own_escalated_places(data_dir, clock, tmp_path):
    from web import create_app

    elsewhere = place("c-0005", "建设路5号院", [problem("c-0005-p1", case("handling", due="2026-11-10T09:00:00+00:00"))],
                      x=113.67)
    elsewhere["properties"].update(street="建设路街道", community="建设社区")
    write_places(data_dir, [*record_places(), elsewhere])
    app = create_app({"TESTING": True, "GUATU_DATA": str(data_dir), "GUATU_CLOCK": clock,
                      "GUATU_INSTANCE": str(tmp_path / "instance")})
    _, secret = app.extensions["guatu_accounts"].create_display_token("大学路街道大屏", "/wall?street=大学路街道")
    state = app.test_client().get(f"/api/wall/state?display={secret}").get_json()
    assert state["escalated_places"] == 2  # 大学路1号院 and 2号院, not 建设路5号院
