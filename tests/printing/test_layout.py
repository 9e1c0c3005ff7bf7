"""Paper sizes, orientations, resolutions and the stated scale."""

from __future__ import annotations

import io
import math

import pytest
from PIL import Image
from pyproj import Geod

from geo.messages import t
from geo.printing.layout import PAPER_MM, BadPrintParameter, format_scale, nice_scale, parse_options
from tests.printing.conftest import SIZE, SMALL, Y, page_size_pts
from tests.printing.helpers import render

PT_PER_MM = 72 / 25.4


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
@pytest.mark.parametrize("paper", list(PAPER_MM))
def test_every_paper_and_orientation_prints_a_page_of_its_size(small_dir, clock, tmp_path, paper, orientation):
    pdf = tmp_path / f"{paper}-{orientation}.pdf"
    render(small_dir, clock, pdf, paper=paper, orientation=orientation, labels="0")
    short, long = PAPER_MM[paper]
    want = (long, short) if orientation == "landscape" else (short, long)
    got = page_size_pts(pdf)
    assert got == pytest.approx(tuple(v * PT_PER_MM for v in want), abs=0.5)


@pytest.mark.parametrize("dpi", [150, 300, 600])
def test_png_has_the_requested_resolution_and_pixel_size(small_dir, clock, dpi):
    sheet = render(small_dir, clock, paper="A4", orientation="portrait", format="png", dpi=str(dpi), labels="0", table="0")
    image = Image.open(io.BytesIO(sheet.data))
    assert image.format == "PNG"
    assert image.size == (round(210 / 25.4 * dpi), round(297 / 25.4 * dpi))
    assert image.info["dpi"] == pytest.approx((dpi, dpi), abs=0.05)  # PNG stores pixels per metre, an integer


def test_stated_scale_is_true_on_the_ground(small_dir, clock):
    sheet = render(small_dir, clock, paper="A3")
    (_, _, x0, _), (_, _, x1, _) = SMALL[0], SMALL[-1]
    a = sheet.page_position(x0 + SIZE / 2, Y + SIZE / 2)
    b = sheet.page_position(x1 + SIZE / 2, Y + SIZE / 2)
    paper_mm = math.dist(a, b)
    _, _, ground_m = Geod(ellps="WGS84").inv(x0 + SIZE / 2, Y + SIZE / 2, x1 + SIZE / 2, Y + SIZE / 2)
    assert paper_mm * sheet.scale / 1000 == pytest.approx(ground_m, rel=2e-3)


def test_a_given_scale_and_view_are_kept(small_dir, clock):
    sheet = render(small_dir, clock, paper="A4", scale="1:10000", bbox="113.60,34.69,113.62,34.71")
    assert sheet.scale == 10_000
    assert sheet.counts["pending"] == 1 and sheet.counts["relapsed"] == 0  # only places in view are counted


def test_scales_are_round_and_written_as_on_maps():
    assert nice_scale(23_100) == 25_000
    assert nice_scale(25_000) == 25_000
    assert nice_scale(61_000) == 75_000
    assert nice_scale(80_000) == 100_000
    assert nice_scale(10) == 500
    assert format_scale(25_000) == "1:25 000"
    assert format_scale(1_000_000) == "1:1 000 000"


def test_bad_parameters_are_refused_with_their_name(campaign):
    cases = {
        "paper": {"paper": "B5"},
        "orientation": {"orientation": "sideways"},
        "format": {"format": "svg"},
        "dpi": {"dpi": "200"},
        "bbox": {"bbox": "113.6,34.7,113.5"},
        "labels": {"labels": "maybe"},
        "status": {"status": "finished"},
        "layers": {"layers": "parks"},
        "scale": {"scale": "1:7"},
        "colour": {"colour": "red"},
    }
    for parameter, args in cases.items():
        with pytest.raises(BadPrintParameter) as info:
            parse_options(args, campaign)
        assert info.value.parameter == parameter
        assert info.value.http_status == 400


def test_bbox_outside_the_campaign_and_huge_rasters_are_refused(campaign):
    with pytest.raises(BadPrintParameter) as outside:
        parse_options({"bbox": "0,0,1,1"}, campaign)
    w, s, e, n = campaign.map.bounds
    assert outside.value.message == "bbox: " + t("print.bbox_outside", got="'0,0,1,1'", area=f"{w},{s},{e},{n}")
    with pytest.raises(BadPrintParameter) as huge:
        parse_options({"paper": "A0", "format": "png", "dpi": "600"}, campaign)
    assert huge.value.parameter == "dpi" and t("print.too_many_pixels", paper="A0", dpi=600, width="", height="",
                                                                         megapixels="", maximum="")[:8] in huge.value.message
    assert parse_options({"paper": "a0", "orientation": "portrait", "format": "PNG", "dpi": "300"}, campaign).pixels == (9933, 14043)
