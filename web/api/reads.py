"""The read-only JSON API: campaign, layers, features (GeoJSON), history, wall data.

Views only parse the request and call geo/; responses that many screens ask
for are serialised once per revision and revalidated with ETags.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import numpy as np
import shapely
from flask import Blueprint, Response, current_app, jsonify, request

from geo.basemaps.base import BadRequest
from geo.basemaps.crs import collection_in, display_crs
from geo.boundaries import boundary_bytes
from geo.dashboard import DashboardData
from geo.display import StateKey, WallData, place_card, shapes_bytes
from geo.errors import BadParameter, FieldError, ValidationError
from geo.exchange.gcj02 import wgs84_to_gcj02
from geo.geojson_io import dumps
from geo.history import end_of_day, feature_as_of
from geo.inspections import check_day
from geo.messages import t
from geo.wallview import parse_view
from web.access import display_scope
from web.access.auth import public
from web.core.context import Cached, guatu
from web.core.http import gzip_pieces, make_cached, send_cached

bp = Blueprint("api", __name__, url_prefix="/api")

FILTERS = ("status", "street", "community", "kind")


@bp.get("/campaign")
def campaign():
    g = guatu()
    body = g.campaign.public_dict()
    body["revision"] = g.store.revision()
    body["layers"] = [dict(x, **_count(x["id"])) for x in body["layers"]]
    return jsonify(body)


def _count(layer_id: str) -> dict:
    """A layer's size, or why its file cannot be read (the rest of the campaign is still served)."""
    g = guatu()
    error = g.store.layer_errors().get(layer_id)
    return {"count": None, "error": error} if error else {"count": len(g.store.features(layer_id))}


@bp.get("/layers")
def layers():
    g = guatu()
    return jsonify([
        {"id": x.id, "title": x.title, "geometry_types": list(x.geometry_types), "kinds": list(x.kinds),
         **_count(x.id), "revision": g.store.layer_revision(x.id)}
        for x in g.campaign.layers
    ])


@bp.get("/layers/<layer_id>/features")
def features(layer_id: str):
    """GeoJSON FeatureCollection; filter with ?status=a,b&street=…&community=…&kind=…"""
    g = guatu()
    wanted = {k: set(request.args[k].split(",")) for k in FILTERS if request.args.get(k)}
    if not wanted:
        store = g.store
        key = ("features", layer_id, store.readable_revision(layer_id))
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
        raise ValidationError([FieldError("since", t("inspections.whole_number"))]) from None
    items = guatu().store.changes_since(since)
    return jsonify({
        "revision": guatu().store.revision(),
        "changes": [
            {"seq": c.seq, "at": c.at, "user": c.user, "op": c.op, "layer": c.layer, "id": c.id,
             "version": c.version, "status": c.status, "geometry_changed": c.geometry_changed}
            for c in items
        ],
    })


def wall_data() -> WallData:
    """This process's memo of the wall data (everything in it derives from the store)."""
    ext = current_app.extensions
    if "guatu_wall" not in ext:
        ext["guatu_wall"] = WallData(guatu().store, guatu().campaign)
    return ext["guatu_wall"]



@bp.get("/wall/state")
def state():
    """Status and derived flags per place; `?since=<revision>` sends only what changed after it.

    304 while nothing changed (the ETag names the revision, the local day and
    whether the overnight cut-off has passed, so every process answers alike).
    A full state when there is no usable `since`, the day or the cut-off
    changed since the client's ETag, or too much changed to send as a delta."""
    g, wall = guatu(), wall_data()
    now = g.now()
    since = request.args.get("since")
    if since is not None and not (since.isascii() and since.isdigit()):
        raise ValidationError([FieldError("since", t("api.revision", got=repr(since)))])
    if request.args.get("format", "packed") != "packed":
        raise ValidationError([FieldError("format", t("api.state_format"))])
    key = wall.key(now)
    if key.etag in request.if_none_match:
        return send_cached(Cached(b"", key.etag))
    sent = next(iter(request.if_none_match), None)
    same_clock = StateKey.clock_part(sent) in (None, StateKey.clock_part(key.etag))
    item = None
    if since is not None and same_clock:
        item = g.cache.get(("wall-delta", int(since), key), lambda: _as_cached(wall.delta(int(since), key, now), key))
    if item is None:
        item = _full_state(key, now, packed=request.args.get("format") == "packed")
    return send_cached(display_scope.cut_state(item))  # a display link sees only the places in its scope


def _as_cached(body: dict | None, key: StateKey) -> Cached | None:
    return None if body is None else Cached(body=dumps(body), etag=key.etag)


def _full_state(key: StateKey, now: datetime, *, packed: bool) -> Cached:
    """The full state of a revision, serialised and compressed once per process: requests that arrive while it
    is being built wait for it. Only the blocks of places a change touched are serialised and compressed again
    (`WallData.full_body`, `web.core.http.gzip_pieces`)."""
    g, ext = guatu(), current_app.extensions
    if "guatu_wall_full" not in ext:  # the lock, and per form the deflate streams of the last body's pieces
        ext["guatu_wall_full"] = (threading.Lock(), {True: {}, False: {}})
    lock, deflated = ext["guatu_wall_full"]

    def build() -> Cached:
        pieces = wall_data().full_body(key, now, packed=packed)
        return Cached(body=b"".join(pieces), etag=key.etag, gzipped=gzip_pieces(pieces, deflated[packed]))

    with lock:
        return g.cache.get(("wall-full", key, packed), build)


@bp.get("/wall/shapes/<layer_id>")
def shapes(layer_id: str):
    """GeoJSON, or `?format=packed` (compact, decoded by wallmap.js); `?crs=gcj02` shifts for an AMap basemap.

    Packed: `part=geometry` (default: ids and geometry) or `part=attributes`
    (names, kinds, sub-districts, communities); `street=`/`community=` keep
    only the places of a wall screen's scope."""
    g = guatu()
    crs = display_crs(request.args.get("crs"))
    shape_format = request.args.get("format", "geojson")
    if shape_format not in ("geojson", "packed", "binary"):
        raise BadRequest(t("api.shape_format", expected="geojson, packed, binary", got=repr(shape_format)))
    if shape_format != "geojson":
        part = request.args.get("part", "geometry")
        if part not in ("geometry", "attributes"):
            raise BadRequest(t("api.shape_part", got=repr(part)))
        street, community = request.args.get("street") or None, request.args.get("community") or None
        transform = wgs84_to_gcj02 if crs == "gcj02" and part == "geometry" else None
        binary = shape_format == "binary" and part == "geometry"
        key = ("packed", layer_id, g.store.readable_revision(layer_id), part, street, community, transform is not None, binary)
        item = g.cache.get(key, lambda: make_cached(wall_data().packed(
            layer_id, part=part, street=street, community=community, transform=transform, binary=binary)))
        return send_cached(item, "application/octet-stream" if binary else "application/json")
    key = ("shapes", layer_id, g.store.readable_revision(layer_id), crs)
    return send_cached(g.cache.get(key, lambda: make_cached(collection_in(shapes_bytes(g.store, layer_id), crs))),
                       "application/geo+json")


@bp.get("/wall/place/<layer_id>/<fid>")
def wall_place(layer_id: str, fid: str):
    """The card of one place: status, deadline, 四包一 people, open problems with how late they are, and its
    bounding box (`?crs=gcj02`: shifted like the wall's shapes) so a screen can fly to a place it has not loaded.
    `?date=YYYY-MM-DD`: the place as it stood at the end of that day (the playback's cards), late counted then."""
    g = guatu()
    day = request.args.get("date")
    if day:
        try:
            shown = check_day(day)
        except ValidationError as exc:  # a query parameter: 400, naming it
            raise BadParameter("date", exc.errors[0].message) from None
        when = min(end_of_day(shown, g.campaign) - timedelta(microseconds=1), g.now())
        feature = feature_as_of(g.store, layer_id, fid, when)
        card = {**place_card(feature, layer_id, g.campaign, when), "as_of": day}
    else:
        feature = g.store.get(layer_id, fid)
        card = place_card(feature, layer_id, g.campaign, g.now())
    card["bbox"] = place_bbox(feature, wgs84_to_gcj02 if display_crs(request.args.get("crs")) == "gcj02" else None)
    return send_cached(make_cached(dumps(card)))


def place_bbox(feature: dict, transform=None) -> list[float] | None:
    """[west, south, east, north] of a place's geometry, in the display CRS."""
    if not feature.get("geometry"):
        return None
    xy = shapely.get_coordinates(shapely.from_geojson(dumps(feature["geometry"])))
    if transform is not None:
        xy = np.stack(transform(xy[:, 0], xy[:, 1]), axis=1)
    return [round(float(v), 7) for v in (*xy.min(axis=0), *xy.max(axis=0))]


@bp.get("/wall/dashboard")
def wall_dashboard():
    """Progress panels: totals per status, sub-district, community and category; alerts; progress per day.

    Scoped like a wall URL: `?street=…&community=…&layers=…` (other wall parameters are ignored)."""
    g, wall = guatu(), wall_data()
    now = g.now()
    view = parse_view(request.args.to_dict(flat=False), g.campaign, areas, refresh=g.refresh_seconds)
    state = wall.key(now)
    key = ("wall-dashboard", state, view.street, view.community, view.layers)
    return send_cached(g.cache.get(key, lambda: make_cached(dumps(dashboard_data().get(
        state.revision, now, street=view.street, community=view.community, layers=view.layers)))))


def dashboard_data() -> DashboardData:
    """This process's dashboard of the store, kept between revisions (everything in it derives from the store)."""
    ext = current_app.extensions
    if "guatu_dashboard" not in ext:
        g = guatu()
        ext["guatu_dashboard"] = DashboardData(g.store, g.campaign, g.data_dir)
    return ext["guatu_dashboard"]


def areas() -> dict[str, set[str]]:
    """Known sub-districts and their communities (what a wall URL may name), kept with the dashboard."""
    now = guatu().now()
    return dashboard_data().areas(wall_data().key(now).revision, now)


@bp.get("/boundaries/<level>")
def boundaries(level: str):
    """?crs=gcj02: shifted for display on an AMap basemap, label points included."""
    g = guatu()
    crs = display_crs(request.args.get("crs"))
    key = ("boundaries", level, crs)
    return send_cached(g.cache.get(key, lambda: make_cached(collection_in(boundary_bytes(g.data_dir, g.campaign, level), crs))),
                       "application/geo+json")


@bp.get("/health")
@public
def health():
    g = guatu()
    problems = g.store.problems()
    reachable = not any(p.code == "database_unavailable" for p in problems)
    body = {"ok": not problems, "revision": g.store.revision() if reachable else None,
            "broken_layers": g.store.layer_errors(), "problems": [p.to_dict() for p in problems]}
    resp = jsonify(body)
    resp.status_code = 200 if not problems else 503
    if not reachable:
        resp.headers["Retry-After"] = str(max(1, round(g.refresh_seconds)))  # ask again at the next poll
    return resp
