"""What wall screens fetch: the live state (with deltas), shapes, a place's card, the dashboard and a search.

`/api/wall/state`, `/api/wall/shapes/<layer>`, `/api/wall/place/<layer>/<fid>`,
`/api/wall/dashboard` and `/api/wall/search/<layer>`: the endpoints a display link may call (their scope
rules: web/access/display_scope.py). Answers many screens ask for are
serialised once per revision and revalidated with ETags; the per-process
memos they come from (WallData, DashboardData) live on the app's context
(web/core/context.py). With `bbox` and `zoom` the shapes endpoint answers
for one viewport of a large layer (web/wall/viewports.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import request

from geo.basemaps.base import BadRequest
from geo.basemaps.crs import collection_in, display_crs
from geo.display_scope import DisplayScope, scoped_full
from geo.errors import BadParameter, BadParameters, FieldError, ValidationError
from geo.exchange.gcj02 import wgs84_to_gcj02
from geo.geojson_io import dumps
from geo.history import end_of_day, feature_as_of
from geo.inspections import check_day
from geo.messages import t
from geo.wall.cards import place_bbox, place_card
from geo.wall.codec import shapes_bytes
from geo.wall.params import parse_view
from geo.wall.state import StateKey
from web.access import display_scope
from web.access.auth import principal
from web.api.reads import found_places
from web.core.cached import Cached
from web.core.context import guatu
from web.core.http import gzip_pieces, make_cached, send_cached
from web.core.language import localized
from web.core.photo_links import with_urls
from web.core.routes import VIEWER, Display
from web.core.withheld import withheld
from web.wall import docs, viewports
from web.wall.blueprint import bp


@bp.get("/api/wall/state", role=VIEWER, display=Display.CUT, doc=docs.STATE)
def state():
    """Status and derived flags per place; `?since=<revision>` sends only what changed after it.

    304 while nothing changed (the ETag names the revision, the local day,
    whether the overnight cut-off has passed, the last moment a case ran
    overdue or escalated and which layers are read, so every process answers
    alike). A full state when there is no usable `since`, the day, the cut-off,
    that moment or the layers read changed since the client's ETag, or too much
    changed to send as a delta."""
    ctx = guatu()
    wall = ctx.wall
    now = ctx.now()
    since = request.args.get("since")
    if since is not None and not (since.isascii() and since.isdigit()):
        raise BadParameters([FieldError("since", t("api.revision", got=repr(since)))])
    if request.args.get("format", "packed") != "packed":
        raise BadParameters([FieldError("format", t("api.state_format"))])
    key = wall.key(now)
    if key.etag in request.if_none_match:
        return send_cached(Cached(b"", key.etag))
    sent = next(iter(request.if_none_match), None)
    same_clock = StateKey.clock_part(sent) in (None, StateKey.clock_part(key.etag))
    # a display link sees only the places in its scope; a screen of one sub-district or community, its places
    scope = display_scope.state_scope(request.args.get("street") or None, request.args.get("community") or None)
    item = None
    if since is not None and same_clock:
        item = ctx.cache.get(("wall-delta", int(since), key), lambda: _as_cached(wall.delta(int(since), key, now), key))
        if item is not None and scope is not None:
            item = display_scope.cut_state(item, scope)
    if item is None:
        item = full_state(key, now, packed=request.args.get("format") == "packed", scope=scope)
    return send_cached(item)


def current_state(street: str | None = None, community: str | None = None) -> Cached:
    """The full packed state this request may see: what a screen's first `/api/wall/state?format=packed` is
    answered (a display link's cut to its scope; a screen's to its sub-district and community); the wall page
    carries it inlined (web/wall/pages.py)."""
    ctx = guatu()
    now = ctx.now()
    return full_state(ctx.wall.key(now), now, packed=True, scope=display_scope.state_scope(street, community))


def _as_cached(body: dict | None, key: StateKey) -> Cached | None:
    return None if body is None else Cached(body=dumps(body), etag=key.etag)


def full_state(key: StateKey, now: datetime, *, packed: bool, scope: DisplayScope | None = None) -> Cached:
    """The full state of a revision, serialised and compressed once per process: requests that arrive while it
    is being built wait for it. Only the blocks of places a change touched are serialised and compressed again
    (`WallData.full_body`, `web.core.http.gzip_pieces`). With a `scope` (display_scope.state_scope), the places
    in it only: made from the state the process keeps, once per revision and scope."""
    if scope is not None:
        return _scoped_full_state(key, now, packed, scope)
    ctx = guatu()
    lock, deflated = ctx.full_state.lock, ctx.full_state.deflated

    def build() -> Cached:
        pieces = ctx.wall.full_body(key, now, packed=packed)
        return Cached(body=b"".join(pieces), etag=key.etag, gzipped=gzip_pieces(pieces, deflated[packed]))

    with lock:
        item = ctx.cache.get(("wall-full", key, packed), build)
        # an earlier state's, of either form, is never asked for again (a screen behind asks for a delta): at a
        # million places each is 40 MB, which the cache's budget would otherwise hold a few of under steady edits.
        # Only earlier ones: a request that read its key just before an edit and builds after one that read it
        # just after leaves the newer state kept.
        ctx.cache.forget(lambda k: k[0] == "wall-full" and _order(k[1]) < _order(key))
        return item


def _scoped_full_state(key: StateKey, now: datetime, packed: bool, scope: DisplayScope) -> Cached:
    """The full state of one scope: the places the scope holds taken from the state the process keeps (not cut
    from the whole state's JSON: at a million places that was a second's work for every request of a
    sub-district's screen), kept per scope so the screens of one sub-district share it."""
    ctx = guatu()

    def build() -> Cached:
        # the layers read with the key: the state holds those (one that became readable or not since is in the
        # next revision's)
        keep = display_scope.places_kept(scope, [layer_id for layer_id, _ in key.layers])
        return Cached(body=dumps(scoped_full(ctx.wall, key, now, keep, packed=packed)), etag=key.etag)

    cache = ctx.scoped_states
    item = cache.get((key, packed, scope.layers, scope.street, scope.community), build)
    cache.forget(lambda k: _order(k[0]) < _order(key))  # (as the whole state's)
    return item


def _order(key: StateKey) -> tuple:
    """Where a state stands in time: every part of it only grows as changes and days go by."""
    return key.head, key.revision, key.day, key.after_cutoff, key.moment


@bp.get("/api/wall/shapes/<layer_id>", role=VIEWER, display=Display.PINNED_SHAPES, doc=docs.SHAPES)
def shapes(layer_id: str):
    """GeoJSON, or `?format=packed` (compact, decoded by js/wall/packed.js); `?crs=gcj02` shifts for an AMap basemap.

    Packed: `part=geometry` (default: ids and geometry) or `part=attributes`
    (names, kinds, sub-districts, communities); `street=`/`community=` keep
    only the places of a wall screen's scope. With `bbox` and `zoom`: one viewport (web/wall/viewports.py)."""
    if "bbox" in request.args or "zoom" in request.args:
        return viewports.viewport_response(layer_id)
    ctx = guatu()
    crs = display_crs(request.args.get("crs"))
    shape_format = request.args.get("format", "geojson")
    if shape_format not in ("geojson", "packed", "binary"):
        raise BadRequest(t("api.shape_format", expected="geojson, packed, binary", got=repr(shape_format)))
    if shape_format != "geojson":
        part = request.args.get("part", "geometry")
        if part not in ("geometry", "attributes"):
            raise BadRequest(t("api.shape_part", got=repr(part)))
        street, community = request.args.get("street") or None, request.args.get("community") or None
        binary = shape_format == "binary" and part == "geometry"
        item = packed_shapes(layer_id, part, street, community, gcj02=crs == "gcj02", binary=binary)
        return send_cached(item, "application/octet-stream" if binary else "application/json")
    key = ("shapes", layer_id, ctx.store.readable_revision(layer_id), crs)
    return send_cached(ctx.cache.get(key, lambda: make_cached(collection_in(shapes_bytes(ctx.store, layer_id), crs))),
                       "application/geo+json")


def packed_shapes(layer_id: str, part: str, street: str | None, community: str | None, *, gcj02: bool = False,
                  binary: bool = False) -> Cached:
    """A layer's packed shapes (`part` "geometry" or "attributes") of a scope, serialised once per layer revision;
    the wall page carries the geometry of the layers it draws whole inlined (web/wall/pages.py). (Not per shapes
    revision: a layer file saved by another program, QGIS, is not in the journal, which that revision comes from.)"""
    ctx = guatu()
    transform = wgs84_to_gcj02 if gcj02 and part == "geometry" else None
    key = ("packed", layer_id, ctx.store.readable_revision(layer_id), part, street, community, transform is not None, binary)
    return ctx.cache.get(key, lambda: make_cached(ctx.wall.packed(
        layer_id, part=part, street=street, community=community, transform=transform, binary=binary)))


@bp.get("/api/wall/place/<layer_id>/<fid>", role=VIEWER, display=Display.PINNED_PLACE, doc=docs.PLACE_CARD)
def place(layer_id: str, fid: str):
    """The card of one place: status, deadline, 四包一 people, open problems with how late they are, and its
    bounding box (`?crs=gcj02`: shifted like the wall's shapes) so a screen can fly to a place it has not loaded.
    `?date=YYYY-MM-DD`: the place as it stood at the end of that day (the playback's cards), late counted then."""
    ctx = guatu()
    day = request.args.get("date")
    if day:
        try:
            shown = check_day(day)
        except ValidationError as exc:  # a query parameter: 400, naming it
            raise BadParameter("date", exc.errors[0].message) from None
        when = min(end_of_day(shown, ctx.campaign) - timedelta(microseconds=1), ctx.now())
        feature = feature_as_of(ctx.store, layer_id, fid, when)
        card = {**place_card(feature, layer_id, ctx.campaign, when), "as_of": day}
    else:
        feature = ctx.store.get(layer_id, fid)
        card = place_card(feature, layer_id, ctx.campaign, ctx.now())
    who = principal()
    if who is not None and who.via == "display":  # thumbnails only, and only when the link was made with photos
        card["photos"] = with_urls(card["photos"], ("thumb",)) if who.display_photos else []
    else:
        card["photos"] = with_urls(card["photos"])
    card["bbox"] = place_bbox(feature, wgs84_to_gcj02 if display_crs(request.args.get("crs")) == "gcj02" else None)
    resp = send_cached(make_cached(dumps(localized(card))))  # its photos' role labels in the reader's language
    resp.vary.add("Accept-Language")
    return resp


@bp.get("/api/wall/search/<layer_id>", role=VIEWER, display=Display.PINNED, doc=docs.SEARCH)
def search(layer_id: str):
    """A large layer's places found by name for the wall's search box (its names are not all in the page):
    `?q=…&limit=…`, in the screen's `street` and `community` (a display link's pinned: web/access/display_scope.py)."""
    return found_places(layer_id, street=request.args.get("street") or None,
                        community=request.args.get("community") or None)


@bp.get("/api/wall/dashboard", role=VIEWER, display=Display.PINNED, doc=docs.DASHBOARD)
def dashboard():
    """Progress panels: totals per status, sub-district, community and category; alerts; progress per day.

    Scoped like a wall URL: `?street=…&community=…&layers=…` (other wall parameters are ignored)."""
    ctx = guatu()
    wall = ctx.wall
    now = ctx.now()
    view = parse_view(request.args.to_dict(flat=False), ctx.campaign, ctx.areas, refresh=ctx.refresh_seconds)
    state = wall.key(now)
    key = ("wall-dashboard", state, view.street, view.community, view.layers)
    # the key's state names the readable layers and their revisions: a layer withheld or back is a new answer
    return send_cached(ctx.cache.get(key, lambda: make_cached(dumps({**ctx.dashboard.get(
        state.revision, now, street=view.street, community=view.community, layers=view.layers),
        "withheld": withheld(ctx.store, state)}))))
