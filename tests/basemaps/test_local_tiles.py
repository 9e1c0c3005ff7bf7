"""Tile folders, MBTiles and PMTiles served by the app: right bytes, TMS flip, 404s, refused addresses."""

from __future__ import annotations

import base64
import random
import sqlite3

import pytest
from pmtiles.tile import deserialize_header

from tests.basemaps.tilesets import make_folder, make_mbtiles, make_pmtiles, png, tile_png
from web.core.bundles import bundles

PASSWORD = "correct horse battery"

TILES = {(z, x, y): tile_png(z, x, y) for z, x, y in [(0, 0, 0), (1, 0, 0), (1, 1, 0), (1, 0, 1), (12, 3381, 1627)]}


@pytest.fixture
def sources(seeded):
    """One basemap of each local kind, all holding TILES."""
    make_folder(seeded / "tiles" / "street", TILES)
    make_mbtiles(seeded / "tiles" / "city.mbtiles", TILES, bounds=(113.54, 34.60, 113.72, 34.79))
    make_pmtiles(seeded / "tiles" / "city.pmtiles", TILES)
    return [
        {"id": "folder", "title": "街道图", "type": "folder", "path": "tiles/street"},
        {"id": "mb", "title": "影像(MBTiles)", "type": "mbtiles", "path": "tiles/city.mbtiles"},
        {"id": "pm", "title": "影像(PMTiles)", "type": "pmtiles", "path": "tiles/city.pmtiles"},
    ]


@pytest.fixture
def client(make_app, sources):
    return make_app(sources).test_client()


@pytest.mark.parametrize("basemap", ["folder", "mb", "pm"])
def test_each_local_source_serves_the_stored_bytes_of_every_tile(client, basemap):
    for (z, x, y), data in TILES.items():
        resp = client.get(f"/tiles/{basemap}/{z}/{x}/{y}")
        assert resp.status_code == 200, (basemap, z, x, y)
        assert resp.data == data
        assert resp.mimetype == "image/png"


def test_mbtiles_rows_are_flipped_from_tms_to_xyz(client, seeded):
    db = sqlite3.connect(seeded / "tiles" / "city.mbtiles")
    stored_row = db.execute("SELECT tile_row FROM tiles WHERE zoom_level=12 AND tile_column=3381").fetchone()[0]
    db.close()
    assert stored_row == (1 << 12) - 1 - 1627  # the file counts rows from the south
    assert client.get("/tiles/mb/12/3381/1627").data == TILES[(12, 3381, 1627)]
    assert client.get(f"/tiles/mb/12/3381/{stored_row}").status_code == 404


def test_folder_marked_tms_is_flipped_too(make_app, seeded):
    make_folder(seeded / "tms", {(1, 0, 0): png((1, 2, 3))})  # row 0 counted from the south = XYZ row 1
    client = make_app([{"id": "t", "title": "TMS", "type": "folder", "path": "tms", "tms": True}]).test_client()
    assert client.get("/tiles/t/1/0/1").data == png((1, 2, 3))
    assert client.get("/tiles/t/1/0/0").status_code == 404


def test_folder_serves_jpeg_and_webp_tiles_with_their_type(make_app, seeded):
    jpeg = b"\xff\xd8\xff\xe0" + b"\x00" * 64
    webp = b"RIFF\x20\x00\x00\x00WEBPVP8 " + b"\x00" * 64
    make_folder(seeded / "mixed", {(3, 1, 1): jpeg}, ext="jpg")
    make_folder(seeded / "mixed", {(3, 1, 2): webp}, ext="webp")
    client = make_app([{"id": "m", "title": "混合", "type": "folder", "path": "mixed"}]).test_client()
    assert client.get("/tiles/m/3/1/1").mimetype == "image/jpeg"
    assert client.get("/tiles/m/3/1/2").mimetype == "image/webp"


@pytest.mark.parametrize("basemap", ["folder", "mb", "pm"])
def test_missing_tile_is_a_404(client, basemap):
    resp = client.get(f"/tiles/{basemap}/1/1/1")
    assert resp.status_code == 404
    assert resp.get_json()["error"] == "not_found"


def test_unknown_basemap_is_a_404(client):
    assert client.get("/tiles/nope/0/0/0").status_code == 404


@pytest.mark.parametrize("path", ["/tiles/mb/1/2/0", "/tiles/mb/1/0/2", "/tiles/pm/25/0/0", "/tiles/folder/3/8/0",
                                  "/tiles/mb/99999999999999999999/0/0"])
def test_addresses_off_the_tile_grid_are_refused_with_400(client, path):
    resp = client.get(path)
    assert resp.status_code == 400
    assert resp.get_json()["error"] == "bad_request"


@pytest.mark.parametrize("path", ["/tiles/mb/-1/0/0", "/tiles/mb/1/x/0", "/tiles/mb/1/0/0.png", "/tiles/mb/1/0"])
def test_addresses_that_are_not_three_whole_numbers_are_404(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", [
    "/tiles/folder/..%2f..%2fcampaign.json/0/0",
    "/tiles/..%2f..%2f/0/0/0",
    "/tiles/folder/0/0/..%2f..%2f..%2fcampaign",
    "/tiles/folder/%2e%2e/0/0/0",
    "/tiles/..%2fcampaign.json/0/0/0",
    "/tiles/folder/0/0/0%00",
])
def test_path_traversal_attempts_are_refused(client, path):
    resp = client.get(path)
    assert resp.status_code in (400, 404)
    assert b"statuses" not in resp.data  # nothing of campaign.json


def test_tiles_carry_an_etag_and_revalidate_with_304(client):
    first = client.get("/tiles/mb/1/1/0")
    assert first.headers["Cache-Control"] == "private, max-age=3600"
    etag = first.headers["ETag"]
    again = client.get("/tiles/mb/1/1/0", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    other = client.get("/tiles/mb/1/0/0", headers={"If-None-Match": etag})
    assert other.status_code == 200


def test_tile_endpoints_are_get_only(client):
    for method in (client.post, client.put, client.delete):
        assert method("/tiles/mb/0/0/0").status_code == 405


def test_a_replaced_mbtiles_file_is_reopened(client, seeded):
    assert client.get("/tiles/mb/0/0/0").data == TILES[(0, 0, 0)]
    fresh = seeded / "tiles" / "new.mbtiles"
    make_mbtiles(fresh, {(0, 0, 0): png((9, 9, 9))})
    fresh.replace(seeded / "tiles" / "city.mbtiles")
    assert client.get("/tiles/mb/0/0/0").data == png((9, 9, 9))


def test_basemap_list_tells_the_page_tile_urls_on_this_server_zooms_and_bounds(client):
    listed = client.get("/api/basemaps").get_json()["basemaps"]
    assert [b["id"] for b in listed] == ["folder", "mb", "pm"]
    by_id = {b["id"]: b for b in listed}
    assert by_id["mb"]["url"] == "/tiles/mb/{z}/{x}/{y}"
    assert by_id["mb"]["min_zoom"] == 0 and by_id["mb"]["max_native_zoom"] == 12
    assert by_id["mb"]["bounds"] == [113.54, 34.6, 113.72, 34.79]
    assert by_id["pm"]["bounds"] == pytest.approx([113.54, 34.6, 113.72, 34.79])
    assert by_id["folder"]["max_native_zoom"] == 12
    assert [b["default"] for b in listed] == [True, False, False]
    assert all(b["crs"] == "wgs84" for b in listed)


def test_demo_campaign_has_no_basemap_and_its_page_names_no_tile_server(make_app):
    client = make_app().test_client()
    assert client.get("/api/basemaps").get_json() == {"basemaps": []}
    html = client.get("/").data.decode()
    # the entry (its bundle, web/core/bundles.py), which imports js/basemaps.js
    assert "/static/" + bundles().scripts("js/pages/wall.js").entry in html
    assert "http://" not in html and "https://" not in html


def test_tiles_need_a_viewer_and_are_open_to_display_tokens(make_app, sources):
    app = make_app(sources, GUATU_PUBLIC_VIEW=False)
    client = app.test_client()
    assert client.get("/tiles/mb/0/0/0").status_code in (302, 401)
    assert client.get("/api/basemaps").status_code == 401
    acc = app.extensions["guatu_accounts"]
    _, secret = acc.create_display_token("大屏", "/wall")
    assert client.get(f"/tiles/mb/0/0/0?display={secret}").data == TILES[(0, 0, 0)]
    assert client.get("/api/basemaps", headers={"X-Guatu-Display": secret}).status_code == 200
    acc.create_user("viewer1", PASSWORD, "viewer")
    basic = {"Authorization": "Basic " + base64.b64encode(f"viewer1:{PASSWORD}".encode()).decode()}
    assert client.get("/tiles/pm/0/0/0", headers=basic).status_code == 200


def test_pmtiles_with_leaf_directories_finds_every_tile(make_app, seeded):
    rng = random.Random(7)
    tiles = {(z, x, y): rng.randbytes(rng.randrange(1, 40)) for z in range(9) for x in range(1 << z) for y in range(1 << z)}
    make_pmtiles(seeded / "leaves.pmtiles", tiles)
    header = deserialize_header((seeded / "leaves.pmtiles").read_bytes()[:127])
    assert header["leaf_directory_length"] > 0  # the root points to leaves: two levels to walk
    client = make_app([{"id": "pm", "title": "大", "type": "pmtiles", "path": "leaves.pmtiles"}]).test_client()
    for zxy in rng.sample(sorted(tiles), 150):
        assert client.get("/tiles/pm/{}/{}/{}".format(*zxy)).data == tiles[zxy], zxy
    assert client.get("/tiles/pm/9/0/0").status_code == 404


def test_a_replaced_pmtiles_archive_is_reopened(client, seeded):
    assert client.get("/tiles/pm/0/0/0").data == TILES[(0, 0, 0)]
    fresh = make_pmtiles(seeded / "tiles" / "new.pmtiles", {(0, 0, 0): png((8, 8, 8))})
    fresh.replace(seeded / "tiles" / "city.pmtiles")
    assert client.get("/tiles/pm/0/0/0").data == png((8, 8, 8))
    assert client.get("/tiles/pm/1/0/0").status_code == 404
