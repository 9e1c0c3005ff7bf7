"""Viewport shapes for large layers: `GET /api/wall/shapes/<layer>?bbox=w,s,e,n&zoom=z`.

The whole-layer form of that URL (no `bbox`) is web/wall/data.py's;
with `bbox` and `zoom` the same endpoint (same access rules, display tokens
included) answers with only the places in the tiles covering the box,
simplified for the zoom (geo/viewport.py), places smaller than 3 pixels
as dots and, with `boxes=1` (what the wall and the editor ask), places
smaller than 8 pixels as boxes. `format=packed` gives the `packed-1` layout `guatu.decodePacked`
reads, `format=binary` the same with its coordinates as int32 byte planes
(what the wall map asks for); `part=geometry` leaves the names and other
attributes out (a wall screen loads them for the whole layer, once, when it
needs them). `crs=gcj02` takes the box in,
and sends coordinates out in, GCJ-02 for an AMap basemap.

The ETag names the layer's shapes revision (which moves only when a place
is added, removed, reshaped or renamed — not on a status change), the
display CRS, the format, the part, the scope, the tiles and whether boxes
were asked for, so a screen that pans back, or
another screen showing the same tiles, revalidates with a 304 and the
server computes each answer once. The tiles are those of the box asked for
that hold the layer's places (geo/viewport.py `clipped_viewport`): every
view of the whole district at a zoom is one answer.
"""

from __future__ import annotations

import hashlib
from contextlib import closing

from flask import request

from geo.basemaps.base import BadRequest
from geo.basemaps.crs import display_crs, wgs84_bbox
from geo.exchange.gcj02 import wgs84_to_gcj02
from geo.messages import t
from geo.viewport import (
    clipped_viewport,
    from_kept,
    geojson_viewport,
    packed_viewport_pieces,
    parse_viewport,
    viewport_chunks,
    viewport_shapes,
)
from web.core.cached import Cached
from web.core.context import guatu
from web.core.http import send_cached

FORMATS = ("geojson", "packed", "binary")


def viewport_response(layer_id: str):
    ctx = guatu()
    crs = display_crs(request.args.get("crs"))
    view = parse_viewport(wgs84_bbox(request.args.get("bbox"), crs), request.args.get("zoom"), request.args.get("boxes"))
    fmt = request.args.get("format", "geojson")
    if fmt not in FORMATS:
        raise BadRequest(t("api.shape_format", expected=", ".join(FORMATS), got=repr(fmt)))
    part = request.args.get("part", "all")
    if part not in ("all", "geometry") or (part == "geometry" and fmt == "geojson"):
        raise BadRequest(t("api.viewport_part", got=repr(part)))
    ctx.store.layer(layer_id)  # unknown layer: 404
    revision = ctx.wall.shapes_shown(layer_id)
    # what a database layer's kept boxes go by (the embedded store keeps no boxes)
    boxes_revision = ctx.wall.geometry_shown(layer_id) if hasattr(ctx.store, "layer_boxes") else None
    street, community = request.args.get("street") or None, request.args.get("community") or None
    attributes, dots = fmt == "geojson" or part == "all", fmt != "geojson"
    if from_kept(view, attributes=attributes, dots=dots, street=street, community=community):  # (a wall screen's view)
        view = clipped_viewport(view, ctx.viewport_index.extent(layer_id, revision, boxes_revision))
    scope = hashlib.blake2s(f"{street}\x00{community}".encode(), digest_size=6).hexdigest() if street or community else "all"
    etag = f"vp-{layer_id}-{revision}-{crs}-{fmt}-{part}-{scope}-{view.key}"
    if etag in request.if_none_match:
        return send_cached(Cached(b"", etag))
    cache, index = ctx.viewports, ctx.viewport_index

    def build() -> Cached:
        transform = wgs84_to_gcj02 if crs == "gcj02" else None
        if fmt == "geojson":  # (written as the places come: a district's outlines are never held at once)
            with closing(viewport_chunks(ctx.store, index, layer_id, revision, view, street=street,
                                         community=community)) as chunks:  # (its connection back, whatever fails)
                return Cached.of_pieces(geojson_viewport(layer_id, revision, view, chunks, transform=transform), etag)
        ids, shown, geoms, found = viewport_shapes(ctx.store, index, layer_id, revision, view, street=street,
                                                   community=community, attributes=attributes, dots=dots,
                                                   geometry_revision=boxes_revision)
        return Cached.of_pieces(packed_viewport_pieces(layer_id, revision, view, ids, shown, geoms, transform=transform,
                                                       binary=fmt == "binary", dots=found), etag)

    item = cache.get(("viewport", layer_id, revision, crs, fmt, part, street, community, view.key), build)
    return send_cached(item, {"packed": "application/json", "binary": "application/octet-stream"}.get(
        fmt, "application/geo+json"))
