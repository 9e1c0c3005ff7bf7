"""Residents' satisfaction per sub-district and community: reports made through `submit`, triaged, closed through
the case loop and rated through `rate`, counted for a day and in all in the campaign's time zone — and shown in
the daily report's workbook and PDF."""

from __future__ import annotations

import io
import subprocess
from datetime import timedelta

import openpyxl
import pytest

from geo.cases import transition
from geo.daily_report import SATISFACTION, SHEETS, build_xlsx, report_data
from geo.daily_report_pdf import build_pdf
from geo.history import end_of_day
from geo.residents.reports import accept, rate, reject, submit
from geo.residents.satisfaction import satisfaction, sheet_rows
from tests.residents.conftest import COMMUNITY, LAYER, NOW, PIN, STREET, add_place
from web import create_app

OTHER = (113.670585, 34.732051)  # 大学路街道 金桥社区 (the demo's boundaries)


def _report(store, campaign, data_dir, where=PIN, at=NOW, description="楼道里堆满了杂物"):
    return submit(store, campaign, lon=where[0], lat=where[1], category="乱堆乱放", description=description,
                  now=at, data_dir=data_dir)


def _close(store, campaign, staff, record, at):
    """Accept the report, then dispatch, report and confirm its case at `at`."""
    ref = accept(store, campaign, record["code"], principal=staff["district"], now=at)["case"]
    for action, who, extra in (("dispatch", "district", {"unit": "区住建局"}), ("report", "handler", {"note": "已清理"}),
                               ("confirm", "inspector", {})):
        transition(store, LAYER, ref["fid"], ref["pid"], action, principal=staff[who], expected_version=None,
                   campaign=campaign, now=at, **extra)
    return ref


def make_week(store, campaign, data_dir, staff, make_feature):
    """In 京广路街道 幸福路社区: yesterday one report closed and rated 满意, today one closed and rated 不满意, one
    waiting; in 大学路街道 金桥社区 today one rejected and one closed and rated 基本满意 (its place is near)."""
    add_place(store, make_feature)
    store.create(LAYER, make_feature(name="金桥1号院", status="accepted", x=OTHER[0] - 0.0005, y=OTHER[1] - 0.0005,
                                     street="大学路街道", community="金桥社区", unit="区政府办"), user="演示")
    yesterday = NOW - timedelta(days=1)
    old = _report(store, campaign, data_dir, at=yesterday)
    _close(store, campaign, staff, old, yesterday)
    rate(store, campaign, old["code"], "satisfied", "", yesterday + timedelta(hours=1))
    today = _report(store, campaign, data_dir)
    _close(store, campaign, staff, today, NOW)
    rate(store, campaign, today["code"], "unsatisfied", "还是有", NOW + timedelta(minutes=5))
    _report(store, campaign, data_dir, description="还没人管")
    rejected = _report(store, campaign, data_dir, where=OTHER, description="不是问题")
    reject(store, campaign, rejected["code"], principal=staff["district"], now=NOW, reason="不属于整治范围")
    basic = _report(store, campaign, data_dir, where=OTHER, description="垃圾堆")
    _close(store, campaign, staff, basic, NOW)
    rate(store, campaign, basic["code"], "basic", "", NOW + timedelta(minutes=5))


@pytest.fixture
def rated_week(store_factory, open_campaign, bounded_dir, staff, make_feature):
    store = store_factory()
    make_week(store, open_campaign, bounded_dir, staff, make_feature)
    return store, open_campaign


def test_a_day_and_in_all_per_sub_district_and_community_worst_first(rated_week):
    store, campaign = rated_week
    day = NOW.astimezone(campaign.timezone).date()
    data = satisfaction(store, campaign, day, NOW + timedelta(hours=1))
    total = data["total"]
    assert total["all"] == {"received": 5, "accepted": 3, "rejected": 1, "closed": 3, "rated": 3, "satisfied": 1,
                            "basic": 1, "unsatisfied": 1, "rate": 66.7}
    assert total["day"] == {"received": 4, "accepted": 2, "rejected": 1, "closed": 2, "rated": 2, "satisfied": 0,
                            "basic": 1, "unsatisfied": 1, "rate": 50.0}
    # 京广路街道: 1 of 2 rated satisfied (50 %) comes before 大学路街道's 100 %
    assert [s["name"] for s in data["streets"]] == [STREET, "大学路街道"]
    jing, daxue = data["streets"]
    assert (jing["all"]["received"], jing["all"]["rate"], jing["day"]["rate"]) == (3, 50.0, 0.0)
    assert [c["name"] for c in jing["communities"]] == [COMMUNITY]
    assert daxue["communities"][0]["name"] == "金桥社区"
    assert (daxue["all"]["rejected"], daxue["all"]["basic"], daxue["all"]["rate"]) == (1, 1, 100.0)
    scoped = satisfaction(store, campaign, day, NOW + timedelta(hours=1), street="大学路街道")
    assert [s["name"] for s in scoped["streets"]] == ["大学路街道"] and scoped["total"]["all"]["received"] == 2


def test_postgis_keeps_and_counts_the_same(store_factory, open_campaign, bounded_dir, staff, make_feature):
    store = store_factory("postgis")
    make_week(store, open_campaign, bounded_dir, staff, make_feature)
    data = satisfaction(store, open_campaign, NOW.astimezone(open_campaign.timezone).date(), NOW + timedelta(hours=1))
    assert data["total"]["all"] == {"received": 5, "accepted": 3, "rejected": 1, "closed": 3, "rated": 3,
                                    "satisfied": 1, "basic": 1, "unsatisfied": 1, "rate": 66.7}
    assert [s["name"] for s in data["streets"]] == [STREET, "大学路街道"]


def test_a_past_day_counts_only_what_had_happened_by_its_end(rated_week):
    store, campaign = rated_week
    yesterday = (NOW - timedelta(days=1)).astimezone(campaign.timezone).date()
    data = satisfaction(store, campaign, yesterday, NOW + timedelta(hours=1))
    end = satisfaction(store, campaign, yesterday, end_of_day(yesterday, campaign))
    assert end["total"]["all"] == {"received": 1, "accepted": 1, "rejected": 0, "closed": 1, "rated": 1,
                                   "satisfied": 1, "basic": 0, "unsatisfied": 0, "rate": 100.0}
    assert end["total"]["day"] == end["total"]["all"]
    assert data["total"]["day"]["received"] == 1  # a day's figures are that day's, whatever the moment


def test_nothing_rated_has_no_rate_and_the_sheet_leaves_it_blank(store_factory, campaign, bounded_dir):
    store = store_factory()
    _report(store, campaign, bounded_dir)
    data = satisfaction(store, campaign, NOW.astimezone(campaign.timezone).date(), NOW)
    assert data["total"]["all"]["rate"] is None and data["total"]["all"]["received"] == 1
    rows = sheet_rows(data)
    assert rows[1][:3] == [STREET, "(全街道)", 1] and rows[1][-1] == "" and rows[-1][0] == "全区合计"


def test_the_daily_reports_workbook_and_pdf_show_satisfaction(rated_week, bounded_dir):
    store, campaign = rated_week
    day = NOW.astimezone(campaign.timezone).date()
    data = report_data(store, campaign, day, NOW + timedelta(hours=1))
    wb = openpyxl.load_workbook(io.BytesIO(build_xlsx(data)))
    assert wb.sheetnames == list(SHEETS) and SATISFACTION == "群众满意度"
    rows = [list(r) for r in wb[SATISFACTION].iter_rows(values_only=True)]
    header = rows[0]
    assert header[:2] == ["所属街道", "所属社区"] and header[-1] == "累计满意率(%)"
    by_area = {(r[0], r[1]): dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert by_area[(STREET, COMMUNITY)]["累计收到"] == 3 and by_area[(STREET, COMMUNITY)]["累计满意率(%)"] == 50
    assert by_area[("大学路街道", "金桥社区")]["累计未受理"] == 1
    assert by_area[("全区合计", None)]["满意"] == 1 and by_area[("全区合计", None)]["累计满意率(%)"] == 66.7
    assert by_area[("全区合计", None)]["当日满意率(%)"] == 50

    pdf = build_pdf(data, store, campaign, bounded_dir, NOW, with_map=False)
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    first = text.split("\f")[0]
    assert "66.7%" in first and "群众满意率(累计)" in first
    assert "群众反映:今日收到 4 件、办结 2 件、评价 2 件;累计收到 5 件、办结 3 件、评价 3 件,满意率 66.7%" in first
    details = text.split("群众满意度(5 项)")[1]
    lines = [line.split() for line in details.splitlines() if line.strip()]
    assert lines[0][:3] == ["所属街道", "所属社区", "当日收到"] and lines[0][-1] == "累计满意率(%)"
    assert ["京广路街道", "幸福路社区", "2", "1", "3", "2", "2", "1", "0", "1", "50.0"] in lines
    assert ["大学路街道", "金桥社区", "2", "1", "2", "1", "1", "0", "1", "0", "100.0"] in lines
    assert ["全区合计", "4", "2", "5", "3", "3", "1", "1", "1", "66.7"] in lines


def test_the_walls_panel_is_scoped_pinned_for_a_display_link_and_revalidated(rated_week, bounded_dir, tmp_path):
    store, campaign = rated_week
    app = create_app({"TESTING": True, "GUATU_DATA": str(bounded_dir), "GUATU_CLOCK": lambda: NOW + timedelta(hours=1),
                      "GUATU_INSTANCE": str(tmp_path / "instance"), "GUATU_PUBLIC_VIEW": True})
    client = app.test_client()
    whole = client.get("/api/wall/satisfaction")
    body = whole.get_json()
    assert body["total"]["all"]["rate"] == 66.7 and [s["name"] for s in body["streets"]] == [STREET, "大学路街道"]
    assert client.get("/api/wall/satisfaction", headers={"If-None-Match": whole.headers["ETag"]}).status_code == 304
    one = client.get("/api/wall/satisfaction", query_string={"street": "大学路街道"}).get_json()
    assert [s["name"] for s in one["streets"]] == ["大学路街道"] and one["total"]["all"]["received"] == 2
    _, link = app.extensions["guatu_accounts"].create_display_token("大学路大屏", "/wall?street=大学路街道")
    pinned = client.get("/api/wall/satisfaction", headers={"X-Guatu-Display": link}).get_json()
    assert [s["name"] for s in pinned["streets"]] == ["大学路街道"]  # the link's street, though none is asked
    other = client.get("/api/wall/satisfaction", query_string={"street": STREET}, headers={"X-Guatu-Display": link})
    assert other.status_code == 403 and other.get_json()["status"] == 403
    english = client.get("/api/wall/satisfaction", headers={"Accept-Language": "en"}).get_json()
    assert english["total"]["name"] == "Whole district"
