"""The daily report (日报): the workbook and the PDF say what the data says."""

from __future__ import annotations

import io
import re
import subprocess
from dataclasses import replace
from datetime import date

import openpyxl
import pytest

from geo import inspections as insp
from geo.accounts import Principal
from geo.cases import transition
from geo.daily_report import SHEETS, build_xlsx, report_data
from geo.daily_report_pdf import build_pdf
from geo.ledger import add_problem
from geo.photos import add_photo
from geo.scope import Scope
from tests.photos import images
from tests.web.conftest import login

DAY = date(2026, 11, 24)
DISTRICT = Principal("zhihuibu", "王指挥", "editor", "session")
UNIT = Principal("zhujianju", "张住建", "editor", "session", scope=Scope(units=("区住建局",)))
INSPECTOR = Principal("dudao", "赵督导", "inspector", "session")


@pytest.fixture
def day_of_work(seeded, campaign, data_dir, clock):
    """On 11-24: an inspection list of 3, one relapse found; an old problem closed; one overdue;
    one problem found by the inspection on 11-23, still open (overnight)."""
    ids = sorted(f["id"] for f in seeded.features("courtyards"))

    def change(fid, fn):
        f = seeded.get("courtyards", fid)
        seeded.update("courtyards", fid, expected_version=f["properties"]["version"], user="t", properties=fn(f))

    change(ids[1], lambda f: add_problem(f, {"category": "破损路面", "description": "坑洼", "found_on": "2026-11-10",
                                             "deadline": "2026-11-20"}, campaign, DAY))
    change(ids[2], lambda f: add_problem(f, {"category": "飞线充电", "description": "飞线", "found_on": "2026-11-23",
                                             "found_by": "每日随机督导", "deadline": "2026-11-30"}, campaign, DAY))
    change(ids[3], lambda f: add_problem(f, {"category": "建筑垃圾", "description": "建筑垃圾未清",
                                             "found_on": "2026-11-20", "deadline": "2026-11-28"}, campaign, DAY))
    loop = replace(campaign, cases=replace(campaign.cases, require_photo_report=False, require_photo_confirm=False))
    for action, who, kwargs in (("dispatch", DISTRICT, {"unit": "区住建局"}), ("report", UNIT, {"note": "已清运"}),
                                ("confirm", INSPECTOR, {})):  # closed through the case loop, today
        transition(seeded, "courtyards", ids[3], f"{ids[3]}-p1", action, principal=who, expected_version=None,
                   campaign=loop, now=clock(), **kwargs)
    listing = insp.generate(seeded, campaign, DAY, n=3, seed=11, user="李编")
    accepted = next(p for p in listing["places"] if p["status"] == "accepted")
    insp.record(seeded, campaign, DAY, accepted["id"], result="relapse", user="王五", category="乱堆乱放",
                notes="反弹了")
    return {"ids": ids, "relapsed": accepted["id"], "listing": listing}


def _sheet(wb, name):
    rows = [list(r) for r in wb[name].iter_rows(values_only=True)]
    return rows


def test_the_workbook_matches_the_data(seeded, campaign, data_dir, clock, day_of_work):
    data = report_data(seeded, campaign, DAY, clock())
    wb = openpyxl.load_workbook(io.BytesIO(build_xlsx(data)))
    assert wb.sheetnames == list(SHEETS)
    progress = _sheet(wb, "进度")
    assert "日报 2026-11-24" in progress[0][0]
    header = progress[2]
    assert header[0] == "街道" and header[-1] == "完成率(%)" and "已验收" in header and "反弹" in header
    rows = {r[0]: dict(zip(header, r)) for r in progress[3:]}
    assert rows["大学路街道"]["合计"] == 4 and rows["合计"]["合计"] == 9
    statuses = [f["properties"]["status"] for f in seeded.features("courtyards")]
    assert rows["合计"]["已验收"] == statuses.count("accepted") and rows["合计"]["反弹"] == 1
    done = sum(s in campaign.done_statuses for s in statuses)
    assert rows["合计"]["已完成"] == done and rows["合计"]["完成率(%)"] == round(100 * done / 9, 1)

    problems = _sheet(wb, "问题")
    changes = sorted((r[0], r[6]) for r in problems[1:])
    assert changes == sorted([("新增", "乱堆乱放"), ("销号", "建筑垃圾")])
    overdue = _sheet(wb, "逾期")
    assert [(r[5], r[7], r[8]) for r in overdue[1:]] == [("破损路面", "2026-11-20", 4)]
    overnight = _sheet(wb, "过夜")
    assert [(r[5], r[8]) for r in overnight[1:]] == [("飞线充电", "2026-11-23")]
    relapse = _sheet(wb, "反弹")
    assert [(r[0], r[5], r[6]) for r in relapse[1:]] == [(day_of_work["relapsed"], "2026-11-24", "是")]
    done = _sheet(wb, "督导")
    assert len(done) == 4 and {r[5] for r in done[1:]} == {"反弹", "未督导"}
    assert data["summary"]["inspected"] == 1 and data["summary"]["seed"] == 11


def test_a_past_day_is_reported_as_it_stood(seeded, campaign, data_dir, clock, day_of_work):
    fid = day_of_work["relapsed"]
    before = report_data(seeded, campaign, DAY, clock())["sheets"]
    clock.advance(days=2)
    f = seeded.get("courtyards", fid)
    seeded.update("courtyards", fid, expected_version=f["properties"]["version"], user="t",
                  properties={"status": "accepted"})  # fixed two days later
    data = report_data(seeded, campaign, DAY, clock())
    assert data["past"] and data["as_of"] == "2026-11-25 00:00"
    assert data["sheets"]["进度"] == before["进度"] and data["sheets"]["反弹"] == before["反弹"]
    assert report_data(seeded, campaign, date(2026, 11, 26), clock())["sheets"]["反弹"][1:] == []
    earlier = report_data(seeded, campaign, date(2026, 11, 23), clock())
    assert earlier["sheets"]["进度"][-1][1 + len(campaign.statuses)] == 0  # nothing existed on 11-23


def _pages(pdf: bytes) -> list[str]:
    """The text of each page, laid out as printed."""
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return text.decode().split("\f")[:-1]


def test_the_pdf_opens_with_the_leaders_headline_figures(seeded, campaign, data_dir, clock, day_of_work):
    data = report_data(seeded, campaign, DAY, clock())
    s = data["summary"]
    pages = _pages(build_pdf(data, with_map=False))
    first = pages[0]
    assert "日报 2026-11-24" in first and "数据截至 2026-11-24 16:00" in first
    figures = [f"{100 * s['share_done']:.1f}%", f"{s['done']}/{s['places']}", str(s["opened"]), str(s["closed"]),
               str(s["overdue"])]
    assert re.search(r"\s+".join(re.escape(f) for f in figures), first)  # the first row of figures, in order
    assert re.search(r"完成率\s+已完成 / 点位\s+当日新增问题\s+当日销号\s+逾期", first)
    assert re.search(rf"{s['overnight']}\s+{s['relapsed']}\s+{s['inspected']}/{s['listed']}\s+{s['escalated']}", first)
    assert s["overdue"] == 1 and s["overnight"] == 1 and s["relapsed"] == 1 and (s["inspected"], s["listed"]) == (1, 3)
    # the sub-districts, lowest share done first, and the plan's verdict when the campaign has milestones
    shares = [float(m.group(1)) for m in re.finditer(r"街道\s+(?:\d+\s+){" + str(len(campaign.statuses) + 2)
                                                     + r"}([\d.]+)\s*$", first, re.M)]
    assert shares == sorted(shares) and len(shares) == len(data["sheets"]["进度"]) - 2
    assert ("计划进度" in first) == bool(campaign.milestones)
    second = pages[1]
    assert "逾期最久" in second and "破损路面" in second and "过夜问题" in second and "飞线充电" in second


def test_the_pdf_has_no_empty_page(seeded, campaign, data_dir, clock, day_of_work):
    pages = _pages(build_pdf(report_data(seeded, campaign, DAY, clock()), with_map=False))
    assert len(pages) == 3  # the leader's two pages and one page of details for a small day
    for number, page in enumerate(pages, 1):
        lines = [x for x in page.splitlines() if x.strip() and "数据截至" not in x and "第 " not in x]
        assert len(lines) > 3, (number, page)  # more than a heading
    details = pages[2]
    for sheet in SHEETS[1:]:  # 问题 … 督导, 升级督办, 单位考核, 预计完成
        assert re.search(rf"{sheet}\(\d+ 项\)", details)
    assert "督导(3 项)" in details


def test_the_command_writes_both_files_with_the_printed_map(app, day_of_work, tmp_path):
    out = tmp_path / "report"
    result = app.test_cli_runner().invoke(args=["daily-report", "--date", "2026-11-24", "--out", str(out)])
    assert result.exit_code == 0, result.output
    xlsx, pdf = out / "日报-2026-11-24.xlsx", out / "日报-2026-11-24.pdf"
    assert openpyxl.load_workbook(xlsx).sheetnames == list(SHEETS)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    assert "当日挂图 2026-11-24" in text and "地图未能生成" not in text
    bad = app.test_cli_runner().invoke(args=["daily-report", "--date", "11/24", "--out", str(out)])
    assert bad.exit_code != 0 and "YYYY-MM-DD" in bad.output


def test_the_page_offers_both_downloads(client, day_of_work):
    login(client, "viewer1")
    page = client.get("/reports/daily?date=2026-11-24").get_data(as_text=True)
    assert "/reports/daily/2026-11-24.xlsx" in page and "/reports/daily/2026-11-24.pdf" in page
    resp = client.get("/reports/daily/2026-11-24.xlsx")
    assert resp.status_code == 200 and resp.data[:2] == b"PK"
    assert client.get("/reports/daily/2026-11-24.doc").status_code == 400


def _photo(store, fid, problem, role, colour, taken):
    entry, _ = add_photo(store, "courtyards", fid, io.BytesIO(images.jpeg(80, 60, colour=colour)), user="督导员",
                         role=role, problem=problem, taken_at=taken)
    return entry


def test_the_pdf_prints_the_days_problems_with_their_thumbnails(seeded, campaign, data_dir, clock, day_of_work,
                                                                 tmp_path):
    closed = day_of_work["ids"][3]
    before = _photo(seeded, closed, f"{closed}-p1", "before", (200, 40, 40), "2026-11-20T02:00:00Z")
    after = _photo(seeded, closed, f"{closed}-p1", "after", (40, 200, 40), "2026-11-24T03:00:00Z")
    overdue = day_of_work["ids"][1]  # its problem neither opened nor closed on the day: not in the list
    _photo(seeded, overdue, f"{overdue}-p1", "before", (40, 40, 200), "2026-11-10T02:00:00Z")
    data = report_data(seeded, campaign, DAY, clock())
    rows = data["sheets"]["问题"][1:]
    assert len(data["problem_photos"]) == len(rows)
    shown = dict(zip((r[0] for r in rows), data["problem_photos"], strict=True))
    assert [p["id"] for p in shown["销号"]] == [after["id"], before["id"]]  # a closure shows 整改后 first
    assert shown["新增"] == []

    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(build_pdf(data, seeded, campaign, data_dir, clock(), with_map=False))
    listed = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, check=True, text=True).stdout
    assert len(listed.splitlines()[2:]) == 3  # 整改后 (taken on the day) on the leader's page, both in the details
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    assert re.search(r"销号.*建筑垃圾.*整改后\s+整改前", text, re.S)
    assert "乱堆乱放" in text and re.search(r"状态\s+照片", text)


def test_a_day_without_photos_prints_no_image(seeded, campaign, data_dir, clock, day_of_work, tmp_path):
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(build_pdf(report_data(seeded, campaign, DAY, clock()), seeded, campaign, data_dir, clock(),
                              with_map=False))
    listed = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, check=True, text=True).stdout
    assert listed.splitlines()[2:] == []


def test_a_database_layer_read_a_batch_at_a_time_gives_the_same_report(seeded, campaign, data_dir, clock, day_of_work,
                                                                        store_factory):
    """PostgreSQL with a layer larger than a process keeps (here: any) is walked through the database's cursor, a
    place at a time, here in the reverse of its places' ids: the report's rows come out as the embedded store's."""
    import psycopg

    from geo.store.transfer import copy_to_postgis

    closed = day_of_work["ids"][3]  # its problem's row shows its photos: they must follow it when rows are sorted
    _photo(seeded, closed, f"{closed}-p1", "after", (40, 200, 40), "2026-11-24T03:00:00Z")
    streamed = store_factory("postgis", layer_cache=0, lazy=True)  # its schema is made by the copy
    copy_to_postgis(data_dir, campaign, streamed.database_url, schema=streamed.schema)
    with psycopg.connect(streamed.database_url, autocommit=True) as conn:
        conn.execute(f"UPDATE {streamed.schema}.features SET pos = -pos WHERE layer = 'courtyards'")
    walked = [f["id"] for f in streamed.each_feature("courtyards")]
    assert walked == sorted(walked, reverse=True) and len(walked) == 9
    data = report_data(streamed, campaign, DAY, clock())
    assert data == report_data(seeded, campaign, DAY, clock())
    assert len(data["sheets"]["问题"]) > 2 and "courtyards" not in streamed._layers
    rows = data["sheets"]["问题"][1:]
    assert [bool(photos) for photos in data["problem_photos"]] == [r[1] == closed for r in rows]


@pytest.mark.parametrize("listed", [3, None])
def test_the_pages_data_counts_what_the_workbook_lists_and_keeps_only_the_most_urgent_escalated(tmp_path, listed):
    """The page's data (`details=False`) keeps no row per problem or place: the same summary and small sheets as
    the workbook's data, the detail sheets left out, and the first `listed` escalated cases of the workbook's,
    in its order (with 3 listed of some 1,500 escalated cases, the walk keeps them in a bounded heap)."""
    from datetime import UTC, datetime

    from geo.config import load_campaign
    from geo.daily_report import DETAILS, ESCALATED
    from geo.store import open_store
    from geo.synth.synthetic import write_synthetic

    write_synthetic(tmp_path, 2500, seed=4)
    campaign = load_campaign(tmp_path)
    now = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
    store = open_store(tmp_path, campaign, clock=lambda: now)
    whole = report_data(store, campaign, DAY, now)
    page = report_data(store, campaign, DAY, now, details=False, escalated_rows=listed)
    assert page["summary"] == whole["summary"]
    assert whole["summary"]["escalated"] > 1000 and min(whole["summary"][k] for k in ("overdue", "overnight")) > 0
    assert set(page["sheets"]) == set(SHEETS) - set(DETAILS) and "problem_photos" not in page
    for name in set(SHEETS) - set(DETAILS) - {ESCALATED}:
        assert page["sheets"][name] == whole["sheets"][name], name
    wanted = whole["sheets"][ESCALATED] if listed is None else whole["sheets"][ESCALATED][:listed + 1]
    assert page["sheets"][ESCALATED] == wanted and page["cases"]["escalated"] == wanted
