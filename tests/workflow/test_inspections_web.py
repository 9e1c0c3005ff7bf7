"""The /inspections page, its printable route sheet and the JSON API."""

from __future__ import annotations

import io
import subprocess
from datetime import date

import numpy as np
from PIL import Image

from geo import inspections as insp
from geo.printing.layout import PrintOptions
from geo.printing.render import MARK_COLOUR, ROUTE_COLOUR, render_print
from tests.web.conftest import login


def test_viewers_cannot_draw_or_record(client):
    login(client, "viewer1")
    assert client.get("/inspections").status_code == 403
    assert client.get("/api/inspections/2026-11-24").status_code == 403


def test_editor_draws_the_day_over_the_api_and_records_a_relapse(client, app):
    csrf = login(client, "editor1")
    resp = client.post("/api/inspections/2026-11-24", json={"count": 4, "seed": 99}, headers={"X-CSRF-Token": csrf})
    assert resp.status_code == 201, resp.get_json()
    listing = resp.get_json()
    assert listing["seed"] == 99 and len(listing["places"]) == 4
    first = listing["places"][0]
    assert {"people", "open_problems", "street", "community", "name"} <= set(first)
    again = client.post("/api/inspections/2026-11-24", json={"count": 4}, headers={"X-CSRF-Token": csrf})
    assert again.status_code == 409

    resp = client.post(f"/api/inspections/2026-11-24/{first['id']}",
                       json={"result": "relapse", "category": "乱堆乱放", "notes": "又堆了"},
                       headers={"X-CSRF-Token": csrf})
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["result"]["inspector"] == "戴新民 (editor1)"
    place = client.get(f"/api/layers/courtyards/features/{first['id']}").get_json()
    assert place["properties"]["status"] == "relapsed"
    bad = client.post(f"/api/inspections/2026-11-24/{listing['places'][1]['id']}", json={"result": "problem"},
                      headers={"X-CSRF-Token": csrf})
    assert bad.status_code == 422 and bad.get_json()["fields"][0]["field"] == "category"
    assert client.get("/api/inspections/2026-11-3x").status_code == 400
    assert client.get("/api/inspections/2026-11-23").status_code == 404


def test_the_page_draws_records_and_prints_a_route_sheet(client):
    csrf = login(client, "editor1")
    page = client.get("/inspections?date=2026-11-24").get_data(as_text=True)
    assert "生成当日督导清单" in page
    resp = client.post("/inspections/2026-11-24", data={"count": "3", "seed": "5", "csrf_token": csrf})
    assert resp.status_code == 302
    page = client.get("/inspections?date=2026-11-24").get_data(as_text=True)
    assert "随机种子 5" in page and "督导结果" in page and "网格员" in page
    assert 'class="print-only blank-result"' in page and "css/workflow.css" in page
    fid = page.split('id="place-')[1].split('"')[0]
    resp = client.post(f"/inspections/2026-11-24/{fid}",
                       data={"result": "ok", "notes": "干净整洁", "layer": "courtyards", "csrf_token": csrf})
    assert resp.status_code == 302
    page = client.get("/inspections?date=2026-11-24").get_data(as_text=True)
    assert "干净整洁" in page and "正常" in page
    assert "重新抽取" not in page  # a list with results is never drawn again
    no_csrf = client.post("/inspections/2026-11-25", data={"count": "3"})
    assert no_csrf.status_code == 403


def _is_mark(pixel) -> bool:
    want = tuple(int(MARK_COLOUR[i:i + 2], 16) for i in (1, 3, 5))
    return max(abs(a - b) for a, b in zip(pixel[:3], want)) <= 12


def test_the_route_map_numbers_the_days_places_on_the_printed_map(client, app, clock):
    csrf = login(client, "editor1")
    assert client.get("/inspections/2026-11-24/route.pdf").status_code == 404  # no list yet
    listing = client.post("/api/inspections/2026-11-24", json={"count": 5, "seed": 3},
                          headers={"X-CSRF-Token": csrf}).get_json()
    page = client.get("/inspections?date=2026-11-24").get_data(as_text=True)
    assert 'href="/inspections/2026-11-24/route.pdf"' in page

    png = client.get("/inspections/2026-11-24/route.png")
    assert png.status_code == 200 and png.mimetype == "image/png"
    image = Image.open(io.BytesIO(png.data)).convert("RGB")
    assert image.size == (1240, 1754)  # A4 portrait at 150 dpi
    # where each place's mark must be: the same sheet's geometry, from the renderer
    g = app.extensions["guatu"]
    day = date(2026, 11, 24)
    places = insp.wall_summary(g.store, g.campaign, insp.load(g.store, day), day)["places"]
    assert [p["id"] for p in places] == [p["id"] for p in listing["places"]]
    sheet = render_print(g.store, g.campaign, g.data_dir, PrintOptions(paper="A4", orientation="portrait", format="png"),
                         clock(), marks=[(str(p["order"]), *p["point"]) for p in places])
    radius = 4.5 / 25.4 * 150 / 2
    for p in places:
        cx, cy = sheet.pixel(*p["point"], 150)
        ring = [image.getpixel((round(cx + 0.7 * radius * dx), round(cy + 0.7 * radius * dy)))
                for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1), (0.7, 0.7), (-0.7, 0.7), (0.7, -0.7), (-0.7, -0.7))]
        assert sum(map(_is_mark, ring)) >= 6, (p["order"], ring)
    want = np.array([int(MARK_COLOUR[i:i + 2], 16) for i in (1, 3, 5)])
    blue = (np.abs(np.asarray(image, dtype=int) - want).max(axis=2) <= 12).sum()
    assert 5 * radius ** 2 < blue < 5 * 3.2 * radius ** 2  # five marks, nothing else that blue

    pdf = client.get("/inspections/2026-11-24/route.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "filename*=UTF-8''" in pdf.headers["Content-Disposition"]
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.data, capture_output=True, check=True).stdout.decode()
    assert "每日随机督导路线图 2026-11-24" in text
    assert client.get("/inspections/2026-11-24/route.svg").status_code == 404
    login(client, "viewer1")
    assert client.get("/inspections/2026-11-24/route.pdf").status_code == 403


def test_the_route_map_draws_the_route_from_its_start_through_the_numbered_places(client, app, clock):
    csrf = login(client, "editor1")
    client.post("/api/inspections/2026-11-24", json={"count": 5, "seed": 3}, headers={"X-CSRF-Token": csrf})
    image = Image.open(io.BytesIO(client.get("/inspections/2026-11-24/route.png").data)).convert("RGB")
    g = app.extensions["guatu"]
    day = date(2026, 11, 24)
    listing = insp.load(g.store, day)
    places = insp.wall_summary(g.store, g.campaign, listing, day)["places"]
    assert [p["order"] for p in places] == [1, 2, 3, 4, 5]
    sheet = render_print(g.store, g.campaign, g.data_dir, PrintOptions(paper="A4", orientation="portrait", format="png"),
                         clock(), marks=[(str(p["order"]), *p["point"]) for p in places])
    stops = [sheet.pixel(*listing["route"]["start"], 150), *(sheet.pixel(*p["point"], 150) for p in places)]
    want = np.array([int(ROUTE_COLOUR[i:i + 2], 16) for i in (1, 3, 5)])
    radius = 4.5 / 25.4 * 150 / 2
    plain = Image.open(io.BytesIO(sheet.data)).convert("RGB")  # the same sheet without the route

    def blue_near(img, x, y) -> bool:
        near = np.asarray(img.crop((round(x) - 2, round(y) - 2, round(x) + 3, round(y) + 3)), dtype=int)
        return bool((np.abs(near - want).max(axis=2) <= 40).any())

    samples = []
    for (x0, y0), (x1, y1) in zip(stops[:-1], stops[1:], strict=True):
        length = float(np.hypot(x1 - x0, y1 - y0))
        if length > 4 * radius:  # along each leg, clear of the marks at its ends and inside the sheet's map
            samples += [(x0 + f * (x1 - x0), y0 + f * (y1 - y0))
                        for f in np.linspace(2 * radius / length, 1 - 2 * radius / length, 9)]
    inside = [(x, y) for x, y in samples if 60 < x < image.width - 60 and 60 < y < image.height - 400]
    assert len(inside) >= 20  # most of the route lies on the sheet
    on_route = sum(blue_near(image, x, y) for x, y in inside)
    assert on_route >= 0.75 * len(inside)  # places' names drawn over the line hide a few
    assert sum(blue_near(plain, x, y) for x, y in inside) <= 0.1 * len(inside)
