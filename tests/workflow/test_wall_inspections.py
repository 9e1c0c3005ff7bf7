"""The day's inspection list as a wall screen shows it (geo.inspections.wall_summary) and its wall parameter."""

from __future__ import annotations

from datetime import date

import orjson
import pytest
import shapely
from shapely.geometry import Point, shape

from geo import inspections as insp
from geo.exchange.gcj02 import wgs84_to_gcj02
from geo.wall.params import parse_view

DAY = date(2026, 11, 24)  # the fake clock's day: 08:00 UTC is 16:00 in Zhengzhou
NOTES = "楼道堆物未清,住户张某不配合"
INSPECTOR = "督导员钱七"


@pytest.fixture
def listing(seeded, campaign, data_dir):
    """A list of five, the second found fine and the fourth relapsed, with notes and an inspector's name."""
    drawn = insp.generate(seeded, campaign, DAY, n=5, seed=7, user="李编")
    ids = [p["id"] for p in drawn["places"]]
    insp.record(seeded, campaign, DAY, ids[1], result="ok", user=INSPECTOR, notes=NOTES)
    insp.record(seeded, campaign, DAY, ids[3], result="relapse", user=INSPECTOR, notes=NOTES,
                category="乱堆乱放")
    return insp.load(seeded, DAY)


def test_the_summary_keeps_the_route_order_and_each_result(seeded, campaign, listing):
    summary = insp.wall_summary(seeded, campaign, listing, DAY)
    rows = summary["places"]
    assert [r["order"] for r in rows] == [1, 2, 3, 4, 5]
    assert [r["id"] for r in rows] == [p["id"] for p in listing["places"]]
    assert [r["result"] for r in rows] == [None, "ok", None, "relapse", None]
    assert [r["label"] for r in rows] == ["待督导", "正常", "待督导", "反弹", "待督导"]
    assert [r["time"] for r in rows] == [None, "16:00", None, "16:00", None]  # local time of the record
    assert (summary["date"], summary["total"], summary["inspected"]) == ("2026-11-24", 5, 2)
    assert summary["counts"] == {"ok": 1, "problem": 0, "relapse": 1}
    names = {f["id"]: f["properties"]["name"] for f in seeded.features("courtyards")}
    streets = {f["id"]: f["properties"]["street"] for f in seeded.features("courtyards")}
    assert all(r["name"] == names[r["id"]] and r["street"] == streets[r["id"]] for r in rows)


def test_the_summary_reveals_no_notes_and_no_inspector(seeded, campaign, listing):
    text = orjson.dumps(insp.wall_summary(seeded, campaign, listing, DAY)).decode()
    assert NOTES in orjson.dumps(listing).decode()  # they are in the stored list …
    assert NOTES not in text and INSPECTOR not in text and "李编" not in text  # … never on a screen
    row = insp.wall_summary(seeded, campaign, listing, DAY)["places"][3]
    assert set(row) == {"order", "layer", "id", "name", "street", "point", "result", "label", "at", "time", "fixed"}


def test_points_lie_inside_their_places_and_move_with_the_gcj02_display(seeded, campaign, listing):
    wgs = insp.wall_summary(seeded, campaign, listing, DAY)["places"]
    gcj = insp.wall_summary(seeded, campaign, listing, DAY, crs="gcj02")["places"]
    assert len(wgs) == len(gcj) == len(listing["places"]) > 0
    for plain, shifted in zip(wgs, gcj, strict=True):
        outline = shape(seeded.get(plain["layer"], plain["id"])["geometry"])
        assert outline.contains(Point(plain["point"]))
        lon, lat = wgs84_to_gcj02(plain["point"][0], plain["point"][1])
        assert shifted["point"] == pytest.approx([float(lon), float(lat)], abs=2e-6)
        assert shapely.distance(Point(plain["point"]), Point(shifted["point"])) > 0.003  # about 570 m in Zhengzhou


def test_a_screen_of_one_street_keeps_the_route_numbers_of_the_whole_list(seeded, campaign, listing):
    everything = insp.wall_summary(seeded, campaign, listing, DAY)["places"]
    street = everything[1]["street"]
    mine = insp.wall_summary(seeded, campaign, listing, DAY, street=street)
    assert mine["places"] and all(r["street"] == street for r in mine["places"])
    assert [(r["order"], r["id"]) for r in mine["places"]] == [(r["order"], r["id"]) for r in everything
                                                              if r["street"] == street]
    assert mine["total"] == len(mine["places"]) < 5


def test_a_place_deleted_since_the_draw_keeps_its_name_and_has_no_point(seeded, campaign, listing):
    gone = listing["places"][0]
    seeded.delete(gone["layer"], gone["id"], expected_version=seeded.get(gone["layer"], gone["id"])["properties"]["version"],
                  user="李编")
    row = insp.wall_summary(seeded, campaign, listing, DAY)["places"][0]
    assert (row["id"], row["name"], row["point"]) == (gone["id"], gone["name"], None)


def test_no_list_means_no_places(seeded, campaign, data_dir):
    summary = insp.wall_summary(seeded, campaign, insp.load(seeded, DAY), DAY)
    assert (summary["total"], summary["inspected"], summary["places"]) == (0, 0, [])


def test_the_list_revision_moves_with_every_result(seeded, campaign, data_dir):
    assert insp.listing_revision(None) == "none"
    first = insp.generate(seeded, campaign, DAY, n=3, seed=1, user="李编")
    before = insp.listing_revision(first)
    insp.record(seeded, campaign, DAY, first["places"][0]["id"], result="ok", user="李编")
    assert insp.listing_revision(insp.load(seeded, DAY)) != before


@pytest.mark.parametrize(("value", "shown", "ignored"), [(None, None, 0), ("1", True, 0), ("0", False, 0),
                                                         ("否", False, 0), ("maybe", None, 1)])
def test_the_inspections_wall_parameter(campaign, value, shown, ignored):
    params = {"inspections": [value]} if value is not None else {}
    view = parse_view(params, campaign, {}, refresh=5)
    assert view.inspections is shown
    assert len(view.ignored) == ignored
    assert view.as_dict()["inspections"] is shown
