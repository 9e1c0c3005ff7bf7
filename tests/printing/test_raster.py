"""Rasterised sheets show each place in its status colour where the layout says it is."""

from __future__ import annotations

import io

import numpy as np
from matplotlib.colors import to_rgb
from PIL import Image

from geo.config import load_campaign
from tests.printing.conftest import SIZE, SMALL, Y, rasterise
from tests.printing.helpers import render

TOLERANCE = 8  # of 255, per channel: anti-aliasing and colour conversion


def _rgb(image: Image.Image, col: int, row: int) -> np.ndarray:
    return np.asarray(image.convert("RGB"))[row, col].astype(int)


def _expected(campaign, status: str) -> np.ndarray:
    return np.round(np.array(to_rgb(campaign.status(status).color)) * 255).astype(int)


def test_pdf_places_have_their_status_colour_at_their_interior_point(small_dir, clock, tmp_path):
    pdf = tmp_path / "small.pdf"
    sheet = render(small_dir, clock, pdf, paper="A4", orientation="landscape", labels="0")
    page = Image.open(rasterise(pdf, 100, tmp_path))
    campaign = load_campaign(small_dir)
    for name, status, x, _ in SMALL:
        col, row = sheet.pixel(x + SIZE / 2, Y + SIZE / 2, 100)
        got = _rgb(page, col, row)
        assert np.abs(got - _expected(campaign, status)).max() <= TOLERANCE, (name, status, got)


def test_png_places_have_their_status_colour_and_the_frame_is_where_the_layout_says(small_dir, clock):
    sheet = render(small_dir, clock, paper="A4", orientation="portrait", format="png", dpi="150", labels="0")
    image = Image.open(io.BytesIO(sheet.data))
    campaign = load_campaign(small_dir)
    for name, status, x, _ in SMALL:
        col, row = sheet.pixel(x + SIZE / 2, Y + SIZE / 2, 150)
        assert np.abs(_rgb(image, col, row) - _expected(campaign, status)).max() <= TOLERANCE, (name, status)
    # the neat line: dark pixels along the map frame's left edge, white just outside it
    r = sheet.map_rect
    col = int(r.x / 25.4 * 150)
    mid_row = int((sheet.page_mm[1] - r.y - r.h / 2) / 25.4 * 150)
    assert _rgb(image, col, mid_row).max() < 100
    assert _rgb(image, col - 6, mid_row).min() > 245


def test_hatching_patterns_the_fill_but_keeps_its_colour(small_dir, clock):
    plain = render(small_dir, clock, paper="A4", format="png", dpi="150", labels="0")
    hatched = render(small_dir, clock, paper="A4", format="png", dpi="150", labels="0", hatch="1")
    campaign = load_campaign(small_dir)
    name, status, x, _ = SMALL[1]  # pending: hatched with diagonal lines
    col, row = hatched.pixel(x + SIZE / 2, Y + SIZE / 2, 150)
    window = np.s_[row - 15:row + 15, col - 15:col + 15]
    plain_px = np.asarray(Image.open(io.BytesIO(plain.data)).convert("RGB"))[window].reshape(-1, 3)
    hatched_px = np.asarray(Image.open(io.BytesIO(hatched.data)).convert("RGB"))[window].reshape(-1, 3)
    fill = _expected(campaign, status)
    assert len(np.unique(plain_px, axis=0)) == 1
    assert len(np.unique(hatched_px, axis=0)) > 2  # lines drawn across the fill
    assert (np.abs(hatched_px.astype(int) - fill).max(axis=1) <= TOLERANCE).mean() > 0.4  # mostly still the colour
