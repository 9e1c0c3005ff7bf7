"""OGC API – Tiles (Part 1) at /ogc: each layer's vector tiles for GIS clients, beside its features.

    /ogc/tileMatrixSets                                  the tile matrix sets (one: WebMercatorQuad)
    /ogc/tileMatrixSets/WebMercatorQuad                  its definition (OGC 2D TMS 2.0 JSON)
    /ogc/collections/{layer}/tiles                       the layer's tilesets (one, vector)
    /ogc/collections/{layer}/tiles/WebMercatorQuad       the tileset: its limits per zoom and the tiles' URL
    /ogc/collections/{layer}/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}   a Mapbox Vector Tile

The tiles are the wall's (web/wall/tiles.py, geo/tiles.py): one feature per place with its `id`, far out one point
per pixel with `count`; made once per shapes revision and shared with the wall's tile URL. A tile within the
tileset's limits with nothing in it is a 204, as the standard recommends; one outside them a 404, one outside the
grid a 400. The documents are JSON only.
Reading needs a viewer, as the features do.
"""

from __future__ import annotations

from flask import Response, request

from geo.errors import NotFound
from geo.features_query import BadParameter, check_parameters, link
from geo.messages import t
from geo.tiles import GRID, GRID_CRS, GRID_URI, MAX_ZOOM, MEDIA_TYPE, Tile, tile_limits, tile_matrix_set
from web.core.context import guatu
from web.core.http import send_cached
from web.core.routes import VIEWER
from web.ogc import docs
from web.ogc.openapi import JSON
from web.ogc.routes import bp, json_answer, layer_of, ogc_url
from web.wall.tiles import tile_answer

REL_TILING_SCHEME = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme"
REL_GEODATA = "http://www.opengis.net/def/rel/ogc/1.0/geodata"


def _json_only(*formats: str) -> None:
    """These documents are JSON (and a tile MVT): `f` may name only that."""
    check_parameters(request.args, ("f",))
    wanted = request.args.get("f")
    if wanted is not None and wanted not in formats:
        raise BadParameter("f", t("ogc.tiles_format", allowed=", ".join(formats), got=repr(wanted)))


def _grid(grid: str) -> None:
    if grid != GRID:
        raise NotFound(t("ogc.unknown_tile_matrix_set", got=repr(grid), known=GRID))


def _grid_links() -> list[dict]:
    here = ogc_url("tile_matrix_set_view", grid=GRID)
    return [link(here, "self", JSON, "WebMercatorQuad"), link(here, REL_TILING_SCHEME, JSON, "WebMercatorQuad")]


@bp.get("/tileMatrixSets", role=VIEWER, doc=docs.TILE_MATRIX_SETS)
def tile_matrix_sets():
    _json_only("json")
    body = {"tileMatrixSets": [{"id": GRID, "title": t("ogc.tms_title"), "uri": GRID_URI, "crs": GRID_CRS,
                                "links": _grid_links()}],
            "links": [link(ogc_url("tile_matrix_sets"), "self", JSON, t("ogc.link_tile_matrix_sets"))]}
    return json_answer(body, JSON)


@bp.get("/tileMatrixSets/<grid>", role=VIEWER, doc=docs.TILE_MATRIX_SET)
def tile_matrix_set_view(grid: str):
    _json_only("json")
    _grid(grid)
    return json_answer({**tile_matrix_set(), "links": _grid_links()}, JSON)


def _tileset_links(layer_id: str, title: str) -> list[dict]:
    here = ogc_url("tileset", layer_id=layer_id, grid=GRID)
    return [link(here, "self", JSON, title),
            link(ogc_url("tile_matrix_set_view", grid=GRID), REL_TILING_SCHEME, JSON, "WebMercatorQuad")]


@bp.get("/collections/<layer_id>/tiles", role=VIEWER, doc=docs.TILESETS)
def tilesets(layer_id: str):
    _json_only("json")
    layer = layer_of(layer_id)
    title = t("ogc.tileset_title", title=layer.title)
    body = {"tilesets": [{"title": title, "dataType": "vector", "crs": GRID_CRS, "tileMatrixSetURI": GRID_URI,
                          "links": _tileset_links(layer_id, title)}],
            "links": [link(ogc_url("tilesets", layer_id=layer_id), "self", JSON, title),
                      link(ogc_url("collection", layer_id=layer_id), REL_GEODATA, JSON, layer.title)]}
    return json_answer(body, JSON)


@bp.get("/collections/<layer_id>/tiles/<grid>", role=VIEWER, doc=docs.TILESET)
def tileset(layer_id: str, grid: str):
    _json_only("json")
    layer = layer_of(layer_id)
    _grid(grid)
    title = t("ogc.tileset_title", title=layer.title)
    template = ogc_url("tile", layer_id=layer_id, grid=GRID, tile_matrix=0, tile_row=0, tile_col=0).rsplit("/0/0/0", 1)[0]
    body = {
        "title": title, "dataType": "vector", "crs": GRID_CRS, "tileMatrixSetURI": GRID_URI,
        "layers": [{"id": layer_id, "title": layer.title, "dataType": "vector", "minTileMatrix": "0",
                    "maxTileMatrix": str(MAX_ZOOM),
                    "propertiesSchema": {"type": "object", "properties": {
                        "id": {"type": "string", "title": t("ogc.tile_field_id")},
                        "count": {"type": "integer", "title": t("ogc.tile_field_count")}}}}],
        "links": [*_tileset_links(layer_id, title),
                  link(ogc_url("collection", layer_id=layer_id), REL_GEODATA, JSON, layer.title),
                  {**link(template + "/{tileMatrix}/{tileRow}/{tileCol}", "item", MEDIA_TYPE, title), "templated": True}],
    }
    limits = _limits(layer_id)
    if limits is not None:
        body["tileMatrixSetLimits"] = limits
    return json_answer(body, JSON)


def _limits(layer_id: str, zooms=range(MAX_ZOOM + 1)) -> list[dict] | None:
    """The tiles holding the layer's places at each of `zooms` (a client asks only for those), or None for a layer
    with no place. From the collection's extent, which is rounded: widened a little."""
    bbox = (guatu().store.layer_summary(layer_id).extent.get("spatial") or {}).get("bbox")
    if not bbox:
        return None
    west, south, east, north = bbox[0][:4]
    return tile_limits((west - 1e-6, south - 1e-6, east + 1e-6, north + 1e-6), zooms)


@bp.get("/collections/<layer_id>/tiles/<grid>/<int(signed=True):tile_matrix>/<int(signed=True):tile_row>"
        "/<int(signed=True):tile_col>", role=VIEWER, doc=docs.TILE)
def tile(layer_id: str, grid: str, tile_matrix: int, tile_row: int, tile_col: int):
    _json_only("mvt")
    layer_of(layer_id)
    _grid(grid)
    Tile.of(tile_matrix, tile_col, tile_row)  # outside the grid: 400
    limits = _limits(layer_id, (tile_matrix,))  # a tile asks for its own zoom's only
    if limits is not None:
        (z,) = limits
        if not (z["minTileRow"] <= tile_row <= z["maxTileRow"] and z["minTileCol"] <= tile_col <= z["maxTileCol"]):
            raise NotFound(t("ogc.tile_outside", z=tile_matrix, row=tile_row, col=tile_col,
                             rows=f"{z['minTileRow']}–{z['maxTileRow']}", cols=f"{z['minTileCol']}–{z['maxTileCol']}"))
    item = tile_answer(layer_id, tile_matrix, tile_col, tile_row)
    if not item.body and item.etag not in request.if_none_match:
        resp = Response(status=204)  # within the limits, no place in it
        resp.set_etag(item.etag)
        resp.headers["Vary"] = "Accept-Encoding"
        resp.headers["Cache-Control"] = "no-cache"  # a place added there later: revalidated, as every tile is
        return resp
    return send_cached(item, MEDIA_TYPE)
