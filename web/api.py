"""The read-only JSON API: campaign, layers, features (GeoJSON), history, wall data.

Views only parse the request and call geo/; responses that many screens ask
for are serialised once per revision and revalidated with ETags.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from geo.boundaries import boundary_bytes
from geo.display import shapes_bytes, state_key, wall_state
from geo.errors import NotFound
from geo.geojson_io import dumps
from web.auth import public
from web.context import guatu
from web.http import make_cached, send_cached

bp = Blueprint("api", __name__, url_prefix="/api")

FILTERS = ("status", "street", "community", "kind")


@bp.get("/campaign")
def campaign():
    g = guatu()
    body = g.campaign.public_dict()
    body["revision"] = g.store.revision()
    body["layers"] = [dict(x, count=len(g.store.features(x["id"]))) for x in body["layers"]]
    return jsonify(body)


@bp.get("/layers")
def layers():
    g = guatu()
    return jsonify([
        {"id": x.id, "title": x.title, "geometry_types": list(x.geometry_types), "kinds": list(x.kinds),
         "count": len(g.store.features(x.id)), "revision": g.store.layer_revision(x.id)}
        for x in g.campaign.layers
    ])


@bp.get("/layers/<layer_id>/features")
def features(layer_id: str):
    """GeoJSON FeatureCollection; filter with ?status=a,b&street=…&community=…&kind=…"""
    g = guatu()
    wanted = {k: set(request.args[k].split(",")) for k in FILTERS if request.args.get(k)}
    if not wanted:
        store = g.store
        key = ("features", layer_id, store.layer_revision(layer_id))
        return send_cached(g.cache.get(key, lambda: make_cached(store.collection_bytes(layer_id))), "application/geo+json")
    chosen = [f for f in g.store.features(layer_id) if all(f["properties"].get(k) in v for k, v in wanted.items())]
    body = b'{"type":"FeatureCollection","features":[' + b",".join(dumps(f) for f in chosen) + b"]}"
    return Response(body, mimetype="application/geo+json")


@bp.get("/layers/<layer_id>/features/<fid>")
def feature(layer_id: str, fid: str):
    f = guatu().store.get(layer_id, fid)
    resp = Response(dumps(f), mimetype="application/geo+json")
    resp.set_etag(f"{fid}-v{f['properties']['version']}")
    return resp


@bp.get("/layers/<layer_id>/features/<fid>/history")
def history(layer_id: str, fid: str):
    entries = guatu().store.history(layer_id, fid)
    if not entries:
        guatu().store.get(layer_id, fid)  # 404 for an unknown feature
    return Response(dumps(entries), mimetype="application/json")


@bp.get("/changes")
def changes():
    try:
        since = int(request.args.get("since", "0"))
    except ValueError:
        raise NotFound("since must be a whole number") from None
    items = guatu().store.changes_since(since)
    return jsonify({
        "revision": guatu().store.revision(),
        "changes": [
            {"seq": c.seq, "at": c.at, "user": c.user, "op": c.op, "layer": c.layer, "id": c.id,
             "version": c.version, "status": c.status, "geometry_changed": c.geometry_changed}
            for c in items
        ],
    })


@bp.get("/wall/state")
def state():
    """Status and derived flags per feature; 304 while nothing changed."""
    g = guatu()
    now = g.now()
    key = ("state",) + state_key(g.store, g.campaign, now)
    return send_cached(g.cache.get(key, lambda: make_cached(dumps(wall_state(g.store, g.campaign, now)))))


@bp.get("/wall/shapes/<layer_id>")
def shapes(layer_id: str):
    g = guatu()
    key = ("shapes", layer_id, g.store.layer_revision(layer_id))
    return send_cached(g.cache.get(key, lambda: make_cached(shapes_bytes(g.store, layer_id))), "application/geo+json")


@bp.get("/boundaries/<level>")
def boundaries(level: str):
    g = guatu()
    key = ("boundaries", level)
    return send_cached(g.cache.get(key, lambda: make_cached(boundary_bytes(g.data_dir, g.campaign, level))),
                       "application/geo+json")


@bp.get("/health")
@public
def health():
    g = guatu()
    broken = g.store.layer_errors()
    return jsonify({"ok": not broken, "revision": g.store.revision(), "broken_layers": broken}), (200 if not broken else 503)
