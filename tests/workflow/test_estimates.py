"""预计完成: the estimated finish per sub-district from the pace of the last days, against the final milestone."""

from __future__ import annotations

from dataclasses import replace

from geo.progress import finish_estimates
from tests.web.conftest import login


def _accept(store, street: str, n: int = 1, status: str = "accepted") -> None:
    todo = [f for f in store.features("courtyards")
            if f["properties"].get("street") == street and f["properties"]["status"] == "pending"][:n]
    assert len(todo) == n
    for f in todo:
        store.update("courtyards", f["id"], expected_version=f["properties"]["version"], user="t",
                     properties={"status": status})


def _rows(result):
    return {r["street"]: r for r in result["streets"]}


def test_a_steady_pace_gives_a_finish_day_before_the_final_milestone(seeded, campaign, clock):
    # 11-24: 大学路街道 has 1 of 4 accepted; one more on 11-26 and on 11-28: 2 in the last 4 days.
    for _ in range(2):
        clock.advance(days=2)
        _accept(seeded, "大学路街道")
    result = finish_estimates(seeded, replace(campaign, pace_days=4), clock())
    assert result["day"] == "2026-11-28" and result["pace_days"] == 4
    assert result["deadline"] == {"date": "2026-12-31", "label": "年底全部完成"}
    row = _rows(result)["大学路街道"]
    assert (row["total"], row["done"], row["left"], row["done_in_pace"], row["per_day"]) == (4, 3, 1, 2, 0.5)
    assert row["state"] == "estimated" and row["finish"] == "2026-11-30" and row["days_late"] == -31
    assert row["text"] == "按近 4 天进度,预计 2026-11-30 完成,早于年底全部完成节点 31 天"


def test_a_slow_pace_is_late_against_the_final_milestone(seeded, campaign, clock):
    clock.advance(days=30)  # 12-24: 大学路街道 gets its second place done; 2 left at a quarter a day
    _accept(seeded, "大学路街道")
    row = _rows(finish_estimates(seeded, replace(campaign, pace_days=4), clock()))["大学路街道"]
    assert row["finish"] == "2027-01-01" and row["days_late"] == 1
    assert row["text"] == "按近 4 天进度,预计 2027-01-01 完成,晚于年底全部完成节点 1 天"
    assert row["text"].in_lang("en") == "at the pace of the last 4 days, done by 2027-01-01, 1 days after the " \
                                        "milestone 年底全部完成"


def test_no_progress_gives_no_estimate_and_a_done_street_says_so(seeded, campaign, clock):
    _accept(seeded, "金水源街道")  # its second place: all done
    clock.advance(days=20)
    _accept(seeded, "大学路街道", status="in_progress")  # moving, but nothing done
    result = finish_estimates(seeded, campaign, clock())
    rows = _rows(result)
    assert rows["福华街街道"]["state"] == rows["大学路街道"]["state"] == "no_pace"
    assert rows["福华街街道"]["finish"] is None
    assert rows["福华街街道"]["text"] == "近 14 天无进展,无法估计完成日期"
    assert rows["金水源街道"]["state"] == "done" and rows["金水源街道"]["text"] == "已全部完成"
    whole = result["campaign"]
    assert (whole["total"], whole["done"], whole["state"]) == (9, 4, "no_pace")


def test_a_relapse_outweighing_the_done_ones_gives_no_estimate(seeded, campaign, clock):
    clock.advance(days=1)
    _accept(seeded, "福华街街道")
    first = next(f for f in seeded.features("courtyards")
                 if f["properties"]["street"] == "福华街街道" and f["properties"]["name"].endswith("1号院"))
    # the place done before the pace's day relapses: one done, one undone over that day
    seeded.update("courtyards", first["id"], expected_version=first["properties"]["version"], user="t",
                  properties={"status": "relapsed"})
    row = _rows(finish_estimates(seeded, replace(campaign, pace_days=1), clock()))["福华街街道"]
    assert row["done_in_pace"] == 0 and row["state"] == "no_pace"


def test_without_a_final_milestone_the_estimate_stands_alone(seeded, campaign, clock):
    clock.advance(days=2)
    _accept(seeded, "大学路街道")
    plan = replace(campaign, pace_days=2, milestones=campaign.milestones[:2])
    result = finish_estimates(seeded, plan, clock())
    row = _rows(result)["大学路街道"]
    assert result["deadline"] is None and row["days_late"] is None
    assert row["text"] == "按近 2 天进度,预计 2026-11-30 完成"


def test_the_pace_days_come_from_the_campaign_file(data_dir):
    import json

    from geo.config import ConfigError, load_campaign

    raw = json.loads((data_dir / "campaign.json").read_text(encoding="utf-8"))
    assert load_campaign(data_dir).pace_days == 14
    (data_dir / "campaign.json").write_text(json.dumps({**raw, "progress": {"pace_days": 7}}), encoding="utf-8")
    assert load_campaign(data_dir).pace_days == 7
    (data_dir / "campaign.json").write_text(json.dumps({**raw, "progress": {"pace_days": 0}}), encoding="utf-8")
    try:
        load_campaign(data_dir)
    except ConfigError as exc:
        assert "pace_days" in str(exc) and "应不小于 1" in str(exc)
    else:
        raise AssertionError("pace_days 0 was accepted")


def test_the_milestones_api_carries_the_estimates(client, clock):
    login(client, "viewer1")
    data = client.get("/api/progress/milestones").get_json()
    est = data["estimates"]
    assert est["pace_days"] == 14 and [r["street"] for r in est["streets"]] == sorted(["大学路街道", "福华街街道",
                                                                                      "金水源街道"])
    assert all(r["text"] for r in est["streets"]) and est["campaign"]["total"] == 9


def test_the_daily_report_has_a_table_of_estimated_finish(seeded, campaign, clock):
    import io

    from openpyxl import load_workbook

    from geo.daily_report import build_xlsx, report_data

    for _ in range(2):
        clock.advance(days=2)
        _accept(seeded, "大学路街道")
    data = report_data(seeded, replace(campaign, pace_days=4), clock().date(), clock())
    rows = data["sheets"]["预计完成"]
    assert rows[0] == ["所属街道", "点位总数", "已完成数", "近 4 天完成", "日均完成", "预计完成日期", "较全部完成节点(天)",
                       "判断"]
    assert [r[0] for r in rows[1:]] == ["大学路街道", "福华街街道", "金水源街道", "全部点位"]
    assert rows[1] == ["大学路街道", 4, 3, 2, 0.5, "2026-11-30", -31,
                       "按近 4 天进度,预计 2026-11-30 完成,早于年底全部完成节点 31 天"]
    assert rows[2][5:7] == ["", ""] and rows[2][7] == "近 4 天无进展,无法估计完成日期"
    sheet = load_workbook(io.BytesIO(build_xlsx(data)))["预计完成"]
    assert [c.value for c in sheet[2]][:6] == ["大学路街道", 4, 3, 2, 0.5, "2026-11-30"]


def test_the_daily_report_page_shows_the_estimates(client):
    login(client, "viewer1")
    page = client.get("/reports/daily?date=2026-11-24").get_data(as_text=True)
    table = page.split('class="grid daily-estimates"')[1].split("</table>")[0]
    assert "预计完成日期" in table and "大学路街道" in table and "全部点位" in table


def test_the_report_of_a_past_day_estimates_from_that_day(seeded, campaign, clock):
    from datetime import date

    from geo.daily_report import ESTIMATES, report_data

    plan = replace(campaign, pace_days=4)
    clock.advance(days=2)
    _accept(seeded, "大学路街道")  # 11-26: 2 of 4 done
    on_the_day = report_data(seeded, plan, date(2026, 11, 26), clock())["sheets"][ESTIMATES]
    clock.advance(days=2)
    _accept(seeded, "大学路街道")  # 11-28: 3 of 4, and a faster pace since
    _accept(seeded, "福华街街道")
    later = report_data(seeded, plan, date(2026, 11, 26), clock())
    assert later["past"] and later["sheets"][ESTIMATES] == on_the_day
    row = next(r for r in on_the_day if r[0] == "大学路街道")
    assert row[1:6] == [4, 2, 2, 0.5, "2026-11-30"]  # 2 done as the day ended (the seed's first on 11-24)
    now = next(r for r in report_data(seeded, plan, date(2026, 11, 28), clock())["sheets"][ESTIMATES]
               if r[0] == "大学路街道")
    assert now[1:6] == [4, 3, 2, 0.5, "2026-11-30"]  # 3 done now; the 4 days before 11-28 saw 2
