"""OGC API – Tiles (web/ogc/tiles.py): each layer's vector tiles, read by GDAL's OGCAPI driver from a live server, and
the documents, errors and caching the standard asks for."""

from __future__ import annotations

import math

import mapbox_vector_tile
import pytest
import shapely
from shapely.geometry import shape

from geo.tiles import MAX_ZOOM
from tests.ogcapi.conftest import bearer
from tests.ogcapi.gdal_client import read_tiles

HALF = 20037508.342789244
TILES = "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/"


def _mercator(lon: float, lat: float) -> tuple[float, float]:
    return lon * HALF / 180, math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) * HALF / math.pi


def _to_mercator(geometry):
    return shapely.transform(geometry, lambda xy: [_mercator(x, y) for x, y in xy])


def _rel(doc: dict, rel: str) -> dict:
    return next(x for x in doc["links"] if x["rel"] == rel)


@pytest.mark.parametrize("zoom", [16, 12])
def test_gdal_reads_a_layers_vector_tiles_through_ogc_api_tiles(demo_server, demo_features, zoom):
    """GDAL's OGCAPI driver: the collection → its tilesets → the tileset → the tile matrix set → the tiles. Its
    vector-tile reader takes the area in the tile matrix set's metres (it reads a CRS84 extent as metres), so the
    district's is given. Every courtyard comes back, with its id; close in, as its outline; far out, small ones as
    points."""
    stored = {f["id"]: shape(f["geometry"]) for f in demo_features["courtyards"]}
    west, south, east, north = shapely.total_bounds(list(stored.values()))
    (x0, y0), (x1, y1) = _mercator(west, south), _mercator(east, north)
    frame = read_tiles(f"{demo_server.url}/ogc/collections/courtyards", f"Zoom level {zoom}",
                       MINX=str(x0), MINY=str(y0), MAXX=str(x1), MAXY=str(y1))
    assert set(frame["id"]) == set(stored)
    kinds = set(frame.geometry.geom_type)
    if zoom == 16:  # outlines: a place cut by tile edges is whole again from its pieces, to a tile unit (0.15 m)
        assert kinds <= {"Polygon", "MultiPolygon"}
        for fid, pieces in frame.groupby("id").geometry:
            whole = shapely.union_all(pieces.values, grid_size=0.01)  # GDAL cuts each piece at its tile's edge: snap them
            assert shapely.hausdorff_distance(whole, _to_mercator(stored[fid])) < 1.0, fid
    else:
        assert "Point" in kinds and kinds & {"Polygon", "MultiPolygon"}


def test_the_documents_link_the_collection_to_its_tiles_and_declare_the_tiles_conformance(client):
    headers = bearer(client.application, "viewer1")
    conformance = client.get("/ogc/conformance", headers=headers).get_json()["conformsTo"]
    assert {TILES + c for c in ("core", "tileset", "tilesets-list", "geodata-tilesets", "mvt")} <= set(conformance)
    landing = client.get("/ogc/", headers=headers).get_json()
    sets = client.get(_rel(landing, "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes")["href"], headers=headers).get_json()
    assert [s["id"] for s in sets["tileMatrixSets"]] == ["WebMercatorQuad"]
    collection = client.get("/ogc/collections/courtyards", headers=headers).get_json()
    tilesets = client.get(_rel(collection, "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector")["href"],
                          headers=headers).get_json()
    (entry,) = tilesets["tilesets"]
    assert entry["dataType"] == "vector"
    assert entry["tileMatrixSetURI"] == "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
    tileset = client.get(_rel(entry, "self")["href"], headers=headers).get_json()
    template = _rel(tileset, "item")
    assert template["type"] == "application/vnd.mapbox-vector-tile" and template["templated"] is True
    assert template["href"].endswith("/ogc/collections/courtyards/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}")
    grid = client.get(_rel(tileset, "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme")["href"], headers=headers).get_json()
    matrices = grid["tileMatrices"]
    assert [m["id"] for m in matrices] == [str(z) for z in range(MAX_ZOOM + 1)]
    assert all(m["matrixWidth"] == m["matrixHeight"] == 2 ** int(m["id"]) for m in matrices)
    assert all(a["scaleDenominator"] == pytest.approx(2 * b["scaleDenominator"]) for a, b in zip(matrices, matrices[1:]))
    assert matrices[0]["pointOfOrigin"] == [-HALF, HALF] and grid["crs"].endswith("/EPSG/0/3857")


def test_the_tilesets_limits_hold_every_place_and_a_tile_is_the_walls(client):
    headers = bearer(client.application, "viewer1")
    tileset = client.get("/ogc/collections/courtyards/tiles/WebMercatorQuad", headers=headers).get_json()
    limits = {int(x["tileMatrix"]): x for x in tileset["tileMatrixSetLimits"]}
    assert sorted(limits) == list(range(MAX_ZOOM + 1))
    at = limits[20]  # three courtyards 0.002° apart: at zoom 20 they cover a few of the tiles between them
    seen, empty = set(), 0
    for row in range(at["minTileRow"], at["maxTileRow"] + 1):
        for col in range(at["minTileCol"], at["maxTileCol"] + 1):
            resp = client.get(f"/ogc/collections/courtyards/tiles/WebMercatorQuad/20/{row}/{col}", headers=headers)
            if resp.status_code == 204:  # no place there: no body, an ETag all the same, revalidated
                assert resp.data == b"" and resp.headers["ETag"] and resp.headers["Cache-Control"] == "no-cache"
                empty += 1
                continue
            assert resp.status_code == 200 and resp.mimetype == "application/vnd.mapbox-vector-tile"
            wall = client.get(f"/api/wall/tiles/courtyards/20/{col}/{row}.mvt", headers=headers)
            assert resp.data == wall.data and resp.headers["ETag"] == wall.headers["ETag"]  # one tile, made once
            seen |= {f["properties"]["id"] for f in mapbox_vector_tile.decode(resp.data)["courtyards"]["features"]}
            again = client.get(resp.request.path, headers={**headers, "If-None-Match": resp.headers["ETag"]})
            assert again.status_code == 304
    store = client.application.extensions["guatu"].store
    assert seen == {f["id"] for f in store.features("courtyards")}  # the limits leave no place out
    assert empty > 0  # and some tiles within them hold none
    # a tile outside them is no tile of this tileset
    outside = client.get(f"/ogc/collections/courtyards/tiles/WebMercatorQuad/20/{at['maxTileRow'] + 1}/"
                         f"{at['minTileCol']}", headers={**headers, "Accept": "application/json"})
    assert outside.status_code == 404 and f"{at['minTileRow']}–{at['maxTileRow']}" in outside.get_json()["detail"]


@pytest.mark.parametrize("path, status, field", [
    ("/ogc/collections/courtyards/tiles/WebMercatorQuad/3/9/0", 400, "x/y"),  # no such column at zoom 3
    ("/ogc/collections/courtyards/tiles/WebMercatorQuad/25/0/0", 400, "tileMatrix"),
    ("/ogc/collections/courtyards/tiles/WebMercatorQuad/14/1/1?f=png", 400, "f"),
    ("/ogc/collections/courtyards/tiles?f=geojson", 400, "f"),  # (f=html: the same refusal, as an HTML page)
    ("/ogc/collections/courtyards/tiles/WebMercatorQuad?limit=3", 400, "limit"),
    ("/ogc/collections/courtyards/tiles/WorldCRS84Quad", 404, None),
    ("/ogc/tileMatrixSets/WorldCRS84Quad", 404, None),
    ("/ogc/collections/nowhere/tiles/WebMercatorQuad/14/1/1", 404, None),
])
def test_a_bad_tile_request_is_refused_in_chinese_naming_what_is_wrong(client, path, status, field):
    resp = client.get(path, headers={**bearer(client.application, "viewer1"), "Accept": "application/json"})
    assert resp.status_code == status
    problem = resp.get_json()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in problem["detail"])
    if field:
        assert field in problem["detail"]


def test_the_tiles_need_a_login_as_the_features_do(client):
    for path in ("/ogc/collections/courtyards/tiles", "/ogc/collections/courtyards/tiles/WebMercatorQuad/14/1/1",
                 "/ogc/tileMatrixSets"):
        assert client.get(path).status_code == 401
