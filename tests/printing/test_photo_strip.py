"""The photo strip of a printed map: the newest 整改后 photos of the places on the sheet, only when asked for."""

from __future__ import annotations

import io

import pytest

from geo.config import load_campaign
from geo.photos import add_photo
from geo.printing.layout import BadPrintParameter, parse_options
from geo.store import open_store
from tests.photos import images
from tests.printing.conftest import SMALL, pdf_text, run
from tests.printing.helpers import render


def _embedded_images(pdf) -> int:
    return len(run("pdfimages", "-list", str(pdf)).stdout.splitlines()[2:])


@pytest.fixture
def with_after_photos(small_dir, clock):
    """整改后 photos on three of the six places (one of them with an older one too), a 整改前 one on a fourth."""
    store = open_store(small_dir, load_campaign(small_dir), clock=clock)
    ids = {f["properties"]["name"]: f["id"] for f in store.features("courtyards")}
    category = store.campaign.categories[0]
    added = {}
    for i, (name, *_) in enumerate(SMALL[:4]):
        feature = store.get("courtyards", ids[name])
        store.update("courtyards", ids[name], expected_version=feature["properties"]["version"], user="测试",
                     properties={"problems": [{"category": category, "description": "堆物", "found_on": "2026-11-10",
                                               "id": f"{ids[name]}-p1"}]})
        role = "before" if i == 3 else "after"
        entry, _ = add_photo(store, "courtyards", ids[name], io.BytesIO(images.jpeg(80, 60, colour=(40 * i, 200, 90))),
                             user="督导员", role=role, problem=f"{ids[name]}-p1", taken_at=f"2026-11-2{i}T03:00:00Z")
        added[name] = entry["id"]
    older, _ = add_photo(store, "courtyards", ids[SMALL[0][0]], io.BytesIO(images.jpeg(80, 60, colour=(9, 9, 9))),
                         user="督导员", role="after", problem=f"{ids[SMALL[0][0]]}-p1", taken_at="2026-11-01T03:00:00Z")
    store.close()
    return added, older


def test_a_print_with_the_strip_shows_the_newest_after_photo_of_each_place_newest_first(small_dir, clock, tmp_path,
                                                                                           with_after_photos):
    added, older = with_after_photos
    pdf = tmp_path / "strip.pdf"
    sheet = render(small_dir, clock, pdf, paper="A3", photos="1")
    names = [name for name, *_ in SMALL[:3]]
    assert sheet.photos == [added[n] for n in reversed(names)]  # taken 11-22, 11-21, 11-20
    assert older not in sheet.photos and added[SMALL[3][0]] not in sheet.photos  # older, and a 整改前 photo
    assert _embedded_images(pdf) == 3
    text = pdf_text(pdf)
    assert "整改后照片 · 图幅内最新 3 处" in text
    for name in names:
        assert name in text


def test_without_the_option_a_print_has_no_photos(small_dir, clock, tmp_path, with_after_photos):
    pdf = tmp_path / "plain.pdf"
    sheet = render(small_dir, clock, pdf, paper="A3")
    assert sheet.photos == [] and _embedded_images(pdf) == 0
    assert "整改后照片" not in pdf_text(pdf)


def test_the_strip_holds_only_what_fits_and_only_places_in_the_printed_extent(small_dir, clock, tmp_path,
                                                                                 with_after_photos):
    added, _ = with_after_photos
    west = 113.600 - 0.001, 34.699, 113.600 + 0.005, 34.705  # around 康复前街11号院 only
    sheet = render(small_dir, clock, None, paper="A4", orientation="portrait", photos="1",
                   bbox=",".join(map(str, west)))
    assert sheet.photos == [added[SMALL[0][0]]]


def test_a_strip_with_no_photo_says_so(small_dir, clock, tmp_path):
    pdf = tmp_path / "none.pdf"
    sheet = render(small_dir, clock, pdf, paper="A3", photos="1")
    assert sheet.photos == [] and _embedded_images(pdf) == 0
    assert "图幅内的点位还没有整改后照片" in pdf_text(pdf)


def test_the_photos_option_is_a_yes_or_no(small_dir):
    campaign = load_campaign(small_dir)
    assert parse_options({}, campaign).photos is False
    assert parse_options({"photos": "是"}, campaign).photos is True
    with pytest.raises(BadPrintParameter) as caught:
        parse_options({"photos": "maybe"}, campaign)
    assert caught.value.parameter == "photos"


def test_the_print_route_and_command_take_the_option(small_app, tmp_path, with_after_photos):
    resp = small_app.test_client().get("/print?paper=A4&photos=1")
    assert resp.status_code == 200
    pdf = tmp_path / "served.pdf"
    pdf.write_bytes(resp.data)
    assert _embedded_images(pdf) == 3
    assert small_app.test_client().get("/print?photos=maybe").status_code == 400
    out = tmp_path / "cli.pdf"
    result = small_app.test_cli_runner().invoke(args=["print-map", "--out", str(out), "--paper", "A4", "--photos"])
    assert result.exit_code == 0, result.output
    assert _embedded_images(out) == 3
