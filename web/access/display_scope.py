"""A display link's scope, enforced on every endpoint it can reach (the rules: geo/display_scope.py).

`web.access.auth` lets a display link reach only the endpoints in
`DISPLAY_ENDPOINTS`; before any of them runs, `enforce` applies the link's
scope (the layers, sub-district and community of its wall URL):

* the wall page shows the link's own URL, whatever parameters are added;
* a layer outside the scope (`/api/wall/shapes/<layer>`, a place card) → 403;
* `street`, `community` or `layers` parameters that contradict the scope → 403;
  when left out they are filled in from the scope, so the endpoints that
  filter by them (packed and viewport shapes, dashboard, the wall's
  inspections) answer for the scope only;
* a place card of a place outside the scope → 403;
* the wall state is cut to the places in scope (`cut_state`, called by the view);
* endpoints that only know the whole campaign (the change list, milestones,
  timeline, playback, GeoJSON shapes of a whole layer) → 403 unless the link
  shows the whole campaign;
* boundaries, basemap tiles and static files hold no places: open.

An endpoint added to `DISPLAY_ENDPOINTS` without a rule here is refused to
every link with a narrower scope than the whole campaign.
"""

from __future__ import annotations

import orjson
from flask import abort, g, request
from werkzeug.datastructures import ImmutableMultiDict

from geo.accounts import Principal
from geo.display_scope import DisplayScope, scoped_state
from geo.errors import NotFound
from geo.messages import t
from geo.wall.params import parse_view, query_from_url
from web.core.context import Cached, guatu

OPEN = {"static", "api.boundaries", "basemaps.tile", "basemaps.index"}  # no places in them
OWN_URL = {"wall.wall_display"}  # the page shows the link's own URL, whatever parameters are added
PINNED = {"wall_data.shapes", "wall_data.dashboard", "inspections.wall_api", "wall_data.place"}
CUT = {"wall_data.state"}  # the view cuts its answer with cut_state


def scope_of(p: Principal) -> DisplayScope:
    ctx = guatu()
    return DisplayScope.of(parse_view(query_from_url(p.display_scope), ctx.campaign, ctx.areas, refresh=0), ctx.campaign)


def enforce(p: Principal) -> None:
    """Refuse what the display link `p` may not read; pin its scope into the request's parameters."""
    endpoint = request.endpoint or ""
    if endpoint in OPEN:
        return
    scope = scope_of(p)
    g.display_scope = scope
    if scope.whole_campaign or endpoint in OWN_URL:
        return
    if endpoint not in PINNED | CUT:
        _refuse(scope)
    layer_id = (request.view_args or {}).get("layer_id")
    if layer_id is not None and not scope.allows_layer(layer_id):
        _refuse(scope)
    _pin(scope)
    if endpoint == "wall_data.shapes" and scope.has_area and request.args.get("format", "geojson") == "geojson" \
            and "bbox" not in request.args and "zoom" not in request.args:
        _refuse(scope)  # a whole layer as GeoJSON has no area filter
    if endpoint == "wall_data.place":
        try:
            feature = guatu().store.get(layer_id, request.view_args["fid"])
        except NotFound:
            _refuse(scope)  # gone now: where it was cannot be told, so it is not shown
        if not scope.allows_place(layer_id, feature.get("properties") or {}):
            _refuse(scope)


def _pin(scope: DisplayScope) -> None:
    """The scope's street, community and layers in the request's parameters; contradicting ones → 403."""
    args = request.args.copy()
    for name, value in (("street", scope.street), ("community", scope.community)):
        sent = args.get(name)
        if sent and sent != value:
            _refuse(scope)
        args.pop(name, None)
        if value:
            args[name] = value
    if "layers" in args:
        asked = [x for v in args.getlist("layers") for x in v.split(",") if x]
        if any(x not in scope.layers for x in asked):
            _refuse(scope)
    if not scope.all_layers or "layers" in args:
        args.setlist("layers", [",".join(scope.layers)])
    request.args = ImmutableMultiDict(args)  # this request's parameters, as the link's scope fixes them


def _refuse(scope: DisplayScope) -> None:
    abort(403, t("accounts.display_out_of_scope", scope=scope.describe()))


def cut_state(item: Cached) -> Cached:
    """The wall state for a display link with a narrower scope: only its places (same ETag)."""
    scope: DisplayScope | None = g.get("display_scope")
    if scope is None or scope.whole_campaign or not item.body:
        return item
    store, campaign = guatu().store, guatu().campaign
    cache = guatu().display_scopes
    keep = {}
    for layer_id in scope.layers:
        if not scope.has_area:
            keep[layer_id] = None
            continue
        key = ("display-ids", layer_id, store.layer_revision(layer_id), scope.street, scope.community)
        keep[layer_id] = cache.get(key, lambda lid=layer_id: scope.place_ids(lid, store.features(lid)))
    body = orjson.dumps(scoped_state(orjson.loads(item.body), keep, campaign))
    return Cached(body=body, etag=item.etag)


def narrowed() -> bool:
    """This request comes from a display link that does not show the whole campaign."""
    scope = g.get("display_scope")
    return scope is not None and not scope.whole_campaign
