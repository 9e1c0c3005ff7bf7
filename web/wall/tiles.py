"""Vector tiles of a layer's shapes: `GET /api/wall/tiles/<layer>/<z>/<x>/<y>.mvt` (geo/tiles.py).

Mapbox Vector Tiles on the WebMercatorQuad grid, one feature per place with its id (far out, one point per
pixel for the places too small to see, with their `count`), for GIS clients (QGIS: a
vector tile layer with this URL and {z}/{x}/{y}) and large layers. `street=`/`community=` keep the places of a
wall screen's scope (a display link's scope fills them in). The ETag names the layer's shapes revision — it
moves when a place is added, removed, reshaped or moved to another area, never on a status change — the scope
and the tile, so a client revalidates with a 304 and the server makes each tile once per revision.
"""

from __future__ import annotations

import hashlib

from flask import request, url_for

from geo.tiles import FORMAT, MEDIA_TYPE, Tile, vector_tile
from web.core.cached import Cached
from web.core.context import guatu
from web.core.http import send_cached
from web.core.routes import VIEWER, Display
from web.wall import docs
from web.wall.blueprint import bp


def url_template() -> str:
    """The tiles' URL with `__layer__`, `__z__`, `__x__` and `__y__` for a page's script to fill in."""
    return url_for("wall.tile", layer_id="__layer__", z=0, x=0, y=0).replace("/0/0/0.mvt", "/__z__/__x__/__y__.mvt")


@bp.get("/api/wall/tiles/<layer_id>/<int(signed=True):z>/<int(signed=True):x>/<int(signed=True):y>.mvt",
        role=VIEWER, display=Display.PINNED, doc=docs.TILE)
def tile(layer_id: str, z: int, x: int, y: int):
    """One vector tile of the layer (400 for a tile outside the grid, 404 for an unknown layer)."""
    street, community = request.args.get("street") or None, request.args.get("community") or None
    return send_cached(tile_answer(layer_id, z, x, y, street=street, community=community), MEDIA_TYPE)


def tile_answer(layer_id: str, z: int, x: int, y: int, *, street: str | None = None,
                community: str | None = None) -> Cached:
    """The layer's tile z/x/y and its ETag, made once per shapes revision (here and for OGC API – Tiles: web/ogc);
    BadParameters (400) for a tile outside the grid, NotFound (404) for an unknown layer. A client that has it
    gets an empty body with the ETag (`send_cached` answers it 304)."""
    ctx = guatu()
    ctx.store.layer(layer_id)
    wanted = Tile.of(z, x, y)
    revision = ctx.wall.shapes_shown(layer_id)
    scope = hashlib.blake2s(f"{street}\x00{community}".encode(), digest_size=6).hexdigest() if street or community else "all"
    etag = f"mvt{FORMAT}-{layer_id}-{revision}-{scope}-{z}-{x}-{y}"
    if etag in request.if_none_match:
        return Cached(b"", etag)

    def build() -> Cached:
        return Cached(vector_tile(ctx.store, ctx.viewport_index, layer_id, revision, wanted, street=street,
                                  community=community), etag)

    return ctx.tiles.get(("tile", layer_id, revision, street, community, z, x, y), build)
