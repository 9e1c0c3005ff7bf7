"""Vector tiles over HTTP: /api/wall/tiles/<layer>/<z>/<x>/<y>.mvt on both backends — the places with their ids,
an ETag that a status change keeps and a reshaped place moves, 400 for a tile outside the grid, 404 for an
unknown layer."""

from __future__ import annotations

import gzip

import mapbox_vector_tile
import pytest

from tests.test_tiles import tile_of


@pytest.fixture
def app(public_app_on_both):
    return public_app_on_both()


def _ids(data: bytes) -> set[str]:
    layers = mapbox_vector_tile.decode(data)
    return {f["properties"]["id"] for f in (layers.get("courtyards") or {"features": []})["features"]}


def test_a_tile_answers_the_places_in_it_and_revalidates_until_their_shapes_change(app):
    client = app.test_client()
    store = app.extensions["guatu"].store
    x, y = tile_of(113.6625, 34.72, 13)
    url = f"/api/wall/tiles/courtyards/13/{x}/{y}.mvt"
    resp = client.get(url)
    assert resp.status_code == 200 and resp.mimetype == "application/vnd.mapbox-vector-tile"
    assert _ids(resp.data) == {f["id"] for f in store.features("courtyards")
                               if 113.65 < f["geometry"]["coordinates"][0][0][0] < 113.675}
    assert _ids(resp.data)
    etag = resp.headers["ETag"]
    zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert _ids(gzip.decompress(zipped.data) if zipped.headers.get("Content-Encoding") == "gzip" else zipped.data) \
        == _ids(resp.data)
    place = store.get("courtyards", "c-0001")
    version = place["properties"]["version"]
    store.update("courtyards", "c-0001", expected_version=version, user="t", properties={"status": "accepted"})
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304  # a status is not in a tile
    ring = [[round(x0 + 0.0001, 6), y0] for x0, y0 in place["geometry"]["coordinates"][0]]
    store.update("courtyards", "c-0001", expected_version=version + 1, user="t",
                 geometry={"type": "Polygon", "coordinates": [ring]})
    moved = client.get(url, headers={"If-None-Match": etag})
    assert moved.status_code == 200 and moved.headers["ETag"] != etag


@pytest.mark.parametrize("path", ["25/0/0", "3/8/0", "3/0/-1", "-1/0/0"])
def test_a_tile_outside_the_grid_is_a_400_in_chinese(app, path):
    resp = app.test_client().get(f"/api/wall/tiles/courtyards/{path}.mvt")
    assert resp.status_code == 400
    assert "瓦片" in resp.get_data(as_text=True) or "缩放" in resp.get_data(as_text=True)


def test_an_unknown_layer_is_a_404(app):
    assert app.test_client().get("/api/wall/tiles/nowhere/3/0/0.mvt").status_code == 404
