"""The read-only JSON API: campaign, layers, features (GeoJSON), history, changes, boundaries, health.

Views only parse the request and call geo/; responses that many screens ask
for are serialised once per revision and revalidated with ETags.
"""

from __future__ import annotations

from flask import Response, jsonify, request

from geo.basemaps.crs import collection_in, display_crs
from geo.boundaries import boundary_bytes, boundary_version
from geo.errors import BadParameters, FieldError
from geo.geojson_io import dumps
from geo.messages import t
from web.api import docs
from web.api.blueprint import bp
from web.api.openapi import document
from web.core.cached import Cached
from web.core.context import guatu
from web.core.http import make_cached, send_cached, send_spooled
from web.core.problem_banner import problems_now
from web.core.routes import PUBLIC, VIEWER, Display

FILTERS = ("status", "street", "community", "kind")


@bp.get("/campaign", role=VIEWER, doc=docs.CAMPAIGN)
def campaign():
    ctx = guatu()
    body = ctx.campaign.public_dict()
    body["revision"] = ctx.store.revision()
    body["layers"] = [dict(x, **_count(x["id"])) for x in body["layers"]]
    return jsonify(body)


def _count(layer_id: str) -> dict:
    """A layer's size, or why its file cannot be read (the rest of the campaign is still served)."""
    ctx = guatu()
    error = ctx.store.layer_errors().get(layer_id)
    return {"count": None, "error": error} if error else {"count": ctx.store.place_count(layer_id)}


@bp.get("/layers", role=VIEWER, doc=docs.LAYERS)
def layers():
    ctx = guatu()
    return jsonify([
        {"id": x.id, "title": x.title, "geometry_types": list(x.geometry_types), "kinds": list(x.kinds),
         **_count(x.id), "revision": ctx.store.layer_revision(x.id)}
        for x in ctx.campaign.layers
    ])


@bp.get("/layers/<layer_id>/features", role=VIEWER, doc=docs.FEATURES)
def features(layer_id: str):
    """GeoJSON FeatureCollection; filter with ?status=a,b&street=…&community=…&kind=…"""
    ctx = guatu()
    wanted = {k: set(request.args[k].split(",")) for k in FILTERS if request.args.get(k)}
    if not wanted:
        store = ctx.store
        revision = store.readable_revision(layer_id)
        etag = f"features-{layer_id}-{revision}"
        if request.if_none_match.contains_weak(etag):  # the ETag a spooled answer carried
            resp = Response(status=304)
            resp.set_etag(etag, weak=True)
            resp.headers["Vary"] = "Accept-Encoding"
            resp.headers["Cache-Control"] = "no-cache"
            return resp
        stream = store.collection_stream(layer_id)  # a layer too large to keep: read a batch at a time, never held
        if stream is not None:
            return send_spooled(stream, etag, "application/geo+json")
        key = ("features", layer_id, revision)
        return send_cached(ctx.cache.get(key, lambda: make_cached(store.collection_bytes(layer_id))), "application/geo+json")
    chosen = [f for f in ctx.store.features(layer_id) if all(f["properties"].get(k) in v for k, v in wanted.items())]
    body = b'{"type":"FeatureCollection","features":[' + b",".join(dumps(f) for f in chosen) + b"]}"
    return Response(body, mimetype="application/geo+json")


@bp.get("/layers/<layer_id>/search", role=VIEWER, doc=docs.SEARCH)
def search(layer_id: str):
    """A layer's places found by name (geo/name_search.py): ?q=…&limit=…; the editor's search box asks for a large
    layer's places so, rather than loading every name."""
    return found_places(layer_id)


def found_places(layer_id: str, *, street: str | None = None, community: str | None = None) -> Response:
    """The answer to a search (?q=…&limit=…, checked against the route's OpenAPI parameters before), in a
    sub-district and community when given (the wall's: web/wall/data.py)."""
    found = guatu().store.find_by_name(layer_id, request.args["q"], int(request.args.get("limit", 10)), street=street,
                                       community=community)
    return jsonify({"places": found})


@bp.get("/layers/<layer_id>/features/<fid>", role=VIEWER, doc=docs.FEATURE)
def feature(layer_id: str, fid: str):
    f = guatu().store.get(layer_id, fid)
    resp = Response(dumps(f), mimetype="application/geo+json")
    resp.set_etag(f"{fid}-v{f['properties']['version']}")
    return resp


@bp.get("/layers/<layer_id>/features/<fid>/history", role=VIEWER, doc=docs.HISTORY)
def history(layer_id: str, fid: str):
    entries = guatu().store.history(layer_id, fid)
    if not entries:
        guatu().store.get(layer_id, fid)  # 404 for an unknown feature
    return Response(dumps(entries), mimetype="application/json")


@bp.get("/changes", role=VIEWER, display=Display.WHOLE, doc=docs.CHANGES)
def changes():
    try:
        since = int(request.args.get("since", "0"))
    except ValueError:
        raise BadParameters([FieldError("since", t("inspections.whole_number"))]) from None
    items = guatu().store.changes_since(since)
    return jsonify({
        "revision": guatu().store.revision(),
        "changes": [
            {"seq": c.seq, "at": c.at, "user": c.user, "op": c.op, "layer": c.layer, "id": c.id,
             "version": c.version, "status": c.status, "geometry_changed": c.geometry_changed}
            for c in items
        ],
    })


@bp.get("/boundaries/<level>", role=VIEWER, display=Display.OPEN, doc=docs.BOUNDARIES)
def boundaries(level: str):
    """?crs=gcj02: shifted for display on an AMap basemap, label points included."""
    return send_cached(boundaries_document(level, display_crs(request.args.get("crs"))), "application/geo+json")


def boundaries_document(level: str, crs: str) -> Cached:
    """The outlines of one level as GeoJSON in a display CRS, serialised once per process (the wall page
    carries them inlined: web/wall/pages.py)."""
    ctx = guatu()
    key = ("boundaries", level, crs, boundary_version(ctx.data_dir, ctx.campaign, level))  # a file saved again: anew
    return ctx.cache.get(key, lambda: make_cached(collection_in(boundary_bytes(ctx.data_dir, ctx.campaign, level), crs)))


@bp.get("/health", role=PUBLIC, doc=docs.HEALTH)
def health():
    ctx = guatu()
    problems = problems_now()
    reachable = not any(p.code == "database_unavailable" for p in problems)
    body = {"ok": not problems, "revision": ctx.store.revision() if reachable else None,
            "broken_layers": ctx.store.layer_errors(), "problems": [p.to_dict() for p in problems]}
    resp = jsonify(body)
    resp.status_code = 200 if not problems else 503
    if not reachable:
        resp.headers["Retry-After"] = str(max(1, round(ctx.refresh_seconds)))  # ask again at the next poll
    return resp


@bp.get("/openapi.json", role=PUBLIC, doc=docs.OPENAPI_JSON)
def openapi_json():
    """This API's OpenAPI document, generated from the routes' declarations (public: it describes no data)."""
    resp = jsonify(document(guatu().campaign))
    resp.headers["Cache-Control"] = "no-cache"
    return resp
