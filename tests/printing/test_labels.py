"""Labels never pile up: greedy placement drops the ones that would overlap."""

from __future__ import annotations

import json

import numpy as np

from geo.printing.labels import Box, label_size_mm, place_labels, text_width_em
from tests.printing.helpers import render

FRAME = Box(0, 0, 100, 100)


def test_label_overlapping_a_placed_one_is_dropped():
    x = np.array([50.0, 52.0, 80.0])
    y = np.array([50.0, 50.0, 20.0])
    w = np.full(3, 10.0)
    h = np.full(3, 4.0)
    kept = place_labels(x, y, w, h, FRAME, positions=((0.0, 0.0),))
    assert [i for i, _, _ in kept] == [0, 2]


def test_label_moves_above_or_below_when_its_anchor_is_taken():
    kept = place_labels(np.array([50.0, 52.0]), np.array([50.0, 50.0]), np.full(2, 10.0), np.full(2, 4.0), FRAME)
    (i0, _, y0), (i1, _, y1) = kept
    assert (i0, i1) == (0, 1)
    assert abs(y1 - y0) >= 4.0


def test_labels_stay_inside_the_frame_and_off_obstacles():
    x = np.array([1.0, 50.0, 30.0])
    y = np.array([50.0, 50.0, 30.0])
    kept = place_labels(x, y, np.full(3, 10.0), np.full(3, 4.0), FRAME, obstacles=[Box(40, 40, 60, 60)],
                        positions=((0.0, 0.0),))
    assert [i for i, _, _ in kept] == [2]


def test_chinese_characters_are_wider_than_latin_ones():
    assert text_width_em("航海小区") == 4.0
    assert text_width_em("ab12") < 3.0
    w, h = label_size_mm("航海小区", 10)
    assert w > 4 * 10 * 25.4 / 72 and h > 10 * 25.4 / 72


def test_demo_sheet_labels_each_sub_district_once(demo_dir, clock):
    sheet = render(demo_dir, clock, paper="A3")
    boundaries = json.loads((demo_dir / "boundaries" / "streets.geojson").read_text(encoding="utf-8"))
    sub_districts = sorted(f["properties"]["name"] for f in boundaries["features"])
    assert sorted(name for name in sheet.labels if name in sub_districts) == sub_districts  # every one, once
    assert len(sheet.labels) == len(set(sheet.labels))  # and no place is named twice either
    assert len(sheet.labels) > len(sub_districts)  # places are labelled too
