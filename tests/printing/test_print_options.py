"""The print dialog's parameters on the server: area names found as the wall finds them (or refused naming
the close ones), the date under the title, the legend switched off, and the locator inset."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from geo.area_names import find_area
from geo.messages import t
from tests.printing.conftest import pdf_text
from tests.printing.helpers import render

STREETS = ["大学路街道", "福华街街道", "长江路街道", "京广路街道"]


def test_a_short_name_finds_the_only_area_that_contains_it():
    assert find_area("大学路", STREETS).name == "大学路街道"
    assert find_area(" 大学路街道 ", STREETS).name == "大学路街道"


def test_a_name_several_areas_contain_is_ambiguous_and_lists_them():
    found = find_area("路", STREETS)
    assert found.name is None and found.ambiguous
    assert set(found.candidates) == {"大学路街道", "长江路街道", "京广路街道"}


def test_an_unknown_name_offers_the_close_ones():
    found = find_area("大雪路街道", STREETS)
    assert found.name is None and not found.ambiguous
    assert found.candidates[0] == "大学路街道"


def test_the_wall_and_print_find_the_same_sub_district(small_app, tmp_path):
    client = small_app.test_client()
    resp = client.get("/print?paper=A4&street=大学路")
    assert resp.status_code == 200
    pdf = tmp_path / "short.pdf"
    pdf.write_bytes(resp.data)
    text = pdf_text(pdf)
    assert "范围：大学路街道" in text and "合计 2 处" in text  # the two places of 大学路街道, not a blank sheet
    wall = client.get("/api/wall/dashboard?street=大学路")
    assert wall.status_code == 200


@pytest.mark.parametrize("query, parameter, key, shown", [
    ("street=大雪路", "street", "print.street_unknown", "大学路街道"),
    ("street=街道", "street", "print.street_ambiguous", "福华街街道"),
    ("community=金桥社区", "community", "print.community_unknown", "—"),
])
def test_an_unknown_or_ambiguous_area_is_a_400_naming_the_close_ones(small_app, query, parameter, key, shown):
    resp = small_app.test_client().get(f"/print?{query}")
    assert resp.status_code == 400
    body = resp.get_json()
    assert body["error"] == "bad_parameter" and body["parameter"] == parameter
    typed = query.split("=", 1)[1]
    assert body["message"].startswith(f"{parameter}: ")
    assert typed in body["message"] and shown in body["message"]
    assert t(key, name="X", candidates="Y").split("X")[0] in body["message"]


def test_a_community_of_the_demo_is_found_by_its_short_name(demo_app, tmp_path):
    resp = demo_app.test_client().get("/print?paper=A4&community=金桥&labels=0")
    assert resp.status_code == 200
    pdf = tmp_path / "community.pdf"
    pdf.write_bytes(resp.data)
    assert "金桥社区" in pdf_text(pdf)


def test_a_bad_date_is_a_400_and_a_good_one_prints_under_the_title(small_app, tmp_path):
    client = small_app.test_client()
    bad = client.get("/print?date=2026-13-01")
    assert bad.status_code == 400 and bad.get_json()["parameter"] == "date"
    resp = client.get("/print?paper=A4&date=2026-11-30")
    pdf = tmp_path / "dated.pdf"
    pdf.write_bytes(resp.data)
    assert t("print.sheet.date", day="2026-11-30") in pdf_text(pdf).replace(" ", "")


def test_without_legend_and_table_the_map_takes_the_panel_room(small_app, small_dir, clock, tmp_path):
    bare_pdf = tmp_path / "bare.pdf"
    bare_pdf.write_bytes(small_app.test_client().get("/print?paper=A4&legend=0&table=0").data)
    text = pdf_text(bare_pdf)
    assert "图例" not in text and "各街道整改进度" not in text and "数据截至" in text
    with_panel = render(small_dir, clock, paper="A4")
    bare = render(small_dir, clock, paper="A4", legend="0", table="0")
    assert bare.map_rect.w > with_panel.map_rect.w + 60  # the panel's 66 mm go to the map


def test_the_locator_inset_outlines_the_printed_extent(demo_app):
    resp = demo_app.test_client().get("/print?paper=A4&format=png&street=大学路&locator=1&labels=0")
    assert resp.status_code == 200
    image = np.asarray(Image.open(io.BytesIO(resp.data)).convert("RGB")).astype(int)
    no_inset = np.asarray(Image.open(io.BytesIO(
        demo_app.test_client().get("/print?paper=A4&format=png&street=大学路&labels=0").data)).convert("RGB")).astype(int)
    red = (abs(image[..., 0] - 0xd3) < 25) & (abs(image[..., 1] - 0x2f) < 25) & (abs(image[..., 2] - 0x2f) < 25)
    red_before = (abs(no_inset[..., 0] - 0xd3) < 25) & (abs(no_inset[..., 1] - 0x2f) < 25) & (abs(no_inset[..., 2] - 0x2f) < 25)
    assert red.sum() > red_before.sum() + 200  # the extent's outline in the inset
    ys, xs = np.nonzero(red & ~red_before)
    h, w = red.shape
    assert xs.mean() < w / 2 and ys.mean() < h / 2  # top left of the frame


def test_the_wall_url_and_print_resolve_names_with_the_same_rule(campaign):
    from geo.printing.layout import parse_options
    from geo.wall.params import parse_view

    areas = {"大学路街道": {"金桥社区", "大学路社区"}, "福华街街道": {"福华街社区"}}
    view = parse_view({"street": ["福华"], "community": ["金桥"]}, campaign, areas, refresh=5)
    options = parse_options({"street": "福华", "community": "金桥"}, campaign, areas)
    assert view.community == "金桥社区" and options.community == {"金桥社区"}
    assert parse_view({"street": ["福华"]}, campaign, areas, refresh=5).street == "福华街街道"
    assert options.street == {"福华街街道"}


def test_the_dialog_is_offered_the_areas_print_finds_and_the_campaigns_today(demo_app):
    body = demo_app.test_client().get("/print/areas.json").get_json()
    assert body["today"] == "2026-11-24"  # the test clock's day in Zhengzhou (08:00 UTC is 16:00 there)
    streets = {s["name"]: s["communities"] for s in body["streets"]}
    assert "大学路街道" in streets and "金桥社区" in streets["大学路街道"]
    assert all(names == sorted(names) for names in streets.values())
