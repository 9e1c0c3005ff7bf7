"""The atlas read back: a cover, an index naming every area with the page it is on, a page per area (or per
group of a day's route stops), each numbered "第 n 页 / 共 N 页", with a locator inset, Chinese text
extractable, and the fonts embedded once for all pages."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from geo import inspections as insp
from geo.config import load_campaign
from geo.messages import t
from geo.printing.atlas import ROUTE_STOPS_PER_PAGE, Section, render_atlas, sections_by_area, sections_by_route
from geo.printing.layout import PrintOptions
from geo.store import open_store
from tests.printing.conftest import page_size_pts, pdf_text, run

DAY = date(2026, 11, 24)  # the fake clock's day


def pages_text(pdf: Path) -> list[str]:
    return pdf_text(pdf).split("\f")[:-1]


def has(text: str, needle: str) -> bool:
    """`needle` on the page, whatever spaces pdftotext put between its characters."""
    return re.sub(r"\s", "", needle) in re.sub(r"\s", "", text)


def test_an_atlas_by_sub_district_has_cover_index_and_a_numbered_page_per_area(small_app, tmp_path):
    resp = small_app.test_client().get("/print/atlas.pdf?by=street&date=2026-11-30")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    pdf = tmp_path / "atlas.pdf"
    pdf.write_bytes(resp.data)
    pages = pages_text(pdf)
    streets = ["大学路街道", "福华街街道", "长江路街道"]  # the small campaign's, as its places name them
    assert len(pages) == 2 + len(streets)
    assert has(pages[0], t("print.atlas.by_street")) and "2026-11-30" in pages[0]
    assert "内部资料" in pages[0]  # the campaign's classification line
    for n, text in enumerate(pages, start=1):
        assert has(text, t("print.atlas.page", page=n, pages=len(pages)))
    for street in streets:  # the index names each area's page, and that page is the area's sheet
        m = re.search(re.escape(street) + r"\s+第\s*(\d+)\s*页", pages[1])
        assert m, pages[1]
        assert f"范围：{street}" in pages[int(m.group(1)) - 1]
    assert page_size_pts(pdf) == pytest.approx((841.9, 595.3), abs=0.5)  # A4 landscape by default


def test_the_atlas_embeds_its_fonts_once_for_all_pages(small_app, tmp_path):
    client = small_app.test_client()
    pdf, sheet = tmp_path / "atlas.pdf", tmp_path / "sheet.pdf"
    pdf.write_bytes(client.get("/print/atlas.pdf?by=street").data)
    sheet.write_bytes(client.get("/print?paper=A4").data)
    fonts = run("pdffonts", str(pdf)).stdout.splitlines()[2:]
    names = {line.split()[0].split("+")[1] for line in fonts}
    assert names == {"NotoSansCJKsc-Regular", "NotoSansCJKsc-Bold"}
    # every page drew with the same subset: five pages embed no more fonts than one sheet does
    assert len(fonts) == len(run("pdffonts", str(sheet)).stdout.splitlines()[2:])


def test_an_atlas_by_community_groups_communities_under_their_sub_district(small_dir, clock):
    campaign = load_campaign(small_dir)
    store = open_store(small_dir, campaign, clock=clock)
    try:
        areas = {"大学路街道": {"金桥社区", "大学路社区"}, "福华街街道": {"福华街社区"}}
        sections = sections_by_area("community", areas, PrintOptions(paper="A4"))
        assert [(s.name, s.group) for s in sections] == [("大学路社区", "大学路街道"), ("金桥社区", "大学路街道"),
                                                         ("福华街社区", "福华街街道")]
        assert sections[0].options.community == {"大学路社区"} and sections[0].options.street == {"大学路街道"}
        atlas = render_atlas(store, campaign, small_dir, sections, by="community", day=DAY, now=clock())
    finally:
        store.close()
    assert atlas.pages == 5 and atlas.index == [("大学路社区", 3), ("金桥社区", 4), ("福华街社区", 5)]


def test_a_route_atlas_pages_the_days_stops_in_route_order(small_app, small_dir, clock, tmp_path):
    campaign = load_campaign(small_dir)
    store = open_store(small_dir, campaign, clock=clock)
    try:
        listing = insp.generate(store, campaign, DAY, n=3, seed=5, user="李编")
        assert listing["places"]
    finally:
        store.close()
    out = tmp_path / "route.pdf"
    result = small_app.test_cli_runner().invoke(args=["print-atlas", "--out", str(out), "--by", "route",
                                                      "--date", DAY.isoformat()])
    assert result.exit_code == 0, result.output
    pages = pages_text(out)
    assert len(pages) == 3  # cover, index, one page of up to eight stops
    assert result.output == f"{out}:共 3 页\n"
    first_last = t("print.atlas.route_stops", first=1, last=len(listing["places"]))
    assert has(pages[1], first_last) and has(pages[2], first_last)
    assert has(pages[0], t("print.atlas.by_route"))


def test_route_stops_are_grouped_in_pages_of_eight_after_an_overview():
    stops = [{"order": i, "name": f"点{i}", "point": [113.60 + i * 0.001, 34.70]} for i in range(1, 20)]
    sections = sections_by_route(stops, PrintOptions(paper="A4"), start=[113.59, 34.69])
    overview, *groups = sections
    assert overview.name == t("print.atlas.route_overview", n=19) and len(overview.marks) == 19
    assert overview.route_from == (113.59, 34.69)  # the whole line, from the route's start
    west, south, east, north = overview.options.bbox
    assert west < 113.59 < east and south < 34.69 < north  # framing the start too
    assert [len(s.marks) for s in groups] == [ROUTE_STOPS_PER_PAGE, ROUTE_STOPS_PER_PAGE, 3]
    assert [m[0] for m in groups[1].marks] == [str(i) for i in range(9, 17)]
    assert groups[0].route_from == (113.59, 34.69) and groups[1].route_from == (113.609, 34.70)
    for s in groups:  # each page frames its own stops
        west, south, east, north = s.options.bbox
        assert all(west < m[1] < east and south < m[2] < north for m in s.marks)
    assert isinstance(sections[0], Section)


@pytest.mark.parametrize("query, parameter, status", [
    ("by=village", "by", 400),
    ("date=2026-02-30", "date", 400),
    ("paper=B5", "paper", 400),
    ("zoom=2", "zoom", 400),
])
def test_bad_atlas_parameters_are_a_400_naming_them(small_app, query, parameter, status):
    resp = small_app.test_client().get(f"/print/atlas.pdf?{query}")
    assert resp.status_code == status
    assert resp.get_json()["parameter"] == parameter


def test_a_route_atlas_needs_an_inspector_and_a_list(small_app):
    client = small_app.test_client()
    assert client.get("/print/atlas.pdf?by=route").status_code == 403  # the public view is a viewer
    result = small_app.test_cli_runner().invoke(args=["print-atlas", "--out", "x.pdf", "--by", "route",
                                                      "--date", "2026-11-20"])
    assert result.exit_code != 0 and t("print.atlas.no_route", day="2026-11-20") in result.output


ROUTE_RG = re.compile(rb"0\.05098\d* 0\.27843\d* 0\.63137\d* RG /DeviceRGB cs\s+((?:[-\d.]+ [-\d.]+ [ml]\s+)+)S")


def _route_lines(pdf: bytes) -> list[list[tuple[float, float]]]:
    """The route's polylines as drawn in the PDF (its blue stroke), each a list of page points in drawing order."""
    return [[tuple(map(float, v.split()[:2])) for v in re.findall(rb"[-\d.]+ [-\d.]+ [ml]", m.group(1))]
            for m in ROUTE_RG.finditer(pdf)]


def test_the_route_atlas_draws_the_route_line_through_the_stops_in_order(demo_dir, clock, tmp_path):
    import matplotlib
    import numpy as np

    from geo.printing.data import metric_crs, transformer

    campaign = load_campaign(demo_dir)
    store = open_store(demo_dir, campaign, clock=clock)
    start = (113.598, 34.699)
    stops = [{"order": i, "name": f"点{i}", "point": [113.60 + i * 0.002, 34.70 + (i % 3) * 0.001]} for i in range(1, 12)]
    try:
        sections = sections_by_route(stops, PrintOptions(paper="A4"), start=start)
        with matplotlib.rc_context({"pdf.compression": 0}):  # the drawing readable as it is in the file
            atlas = render_atlas(store, campaign, demo_dir, sections, by="route", day=DAY, now=clock())
    finally:
        store.close()
    pdf = tmp_path / "route.pdf"
    pdf.write_bytes(atlas.data)
    pages = pages_text(pdf)
    assert len(pages) == 5 and has(pages[2], t("print.atlas.route_overview", n=11))  # cover, index, the overview
    lines = _route_lines(atlas.data)
    # the overview (start and all 11 stops), the first page (start and stops 1-8), the second (stops 9-11)
    assert [len(line) for line in lines] == [12, 9, 4]
    x, y = transformer(metric_crs(campaign)).transform([start[0], *(s["point"][0] for s in stops)],
                                                       [start[1], *(s["point"][1] for s in stops)])
    drawn = np.array(lines[0])
    # the drawn line is the stops' map positions scaled and shifted (one scale, north up), in route order
    ground = np.column_stack([x, y])
    scale = np.linalg.norm(drawn[-1] - drawn[0]) / np.linalg.norm(ground[-1] - ground[0])
    placed = (ground - ground[0]) * scale + drawn[0]
    assert np.abs(placed - drawn).max() < 0.5  # points (1/72 inch)
    assert scale > 0 and np.all(np.diff(drawn[1:, 0]) > 0)  # eastwards, stop after stop, as the stops lie
