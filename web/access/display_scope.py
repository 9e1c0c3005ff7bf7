"""A display link's scope, enforced on every endpoint it can reach (the rules: geo/display_scope.py).

`web.access.auth` lets a display link reach only the routes declared with a
`display=` rule (web/core/routes.py's `Display`); before any of them runs,
`enforce` applies the link's scope (the layers, sub-district and community
of its wall URL) as that rule says:

* OWN_URL: the wall page shows the link's own URL, whatever parameters are added;
* PINNED (and the three below): a layer outside the scope (`/api/wall/shapes/<layer>`,
  a place card) → 403; `street`, `community` or `layers` parameters that
  contradict the scope → 403; when left out they are filled in from the
  scope, so the routes that filter by them (packed and viewport shapes,
  dashboard, the wall's inspections) answer for the scope only;
* PINNED_PLACE: a place card of a place outside the scope → 403;
* PINNED_SHAPES: GeoJSON shapes of a whole layer (no bbox, no zoom) → 403;
* CUT: the wall state holds only the places in scope (a full state made for the scope, a delta cut: the view);
* WHOLE: routes that only know the whole campaign (the change list,
  milestones, timeline, playback) → 403 unless the link shows the whole campaign;
* PHOTOS: a place's photos (its list, a thumbnail) → 403 unless the link was made with photos on; then only
  the thumbnail of a photo (never its preview, full image or original), and a place's list only for a place
  in scope (as PINNED_PLACE). A photo's URL names its content hash, which only a list of photos hands out;
* OPEN: boundaries, basemap tiles and static files hold no places.
"""

from __future__ import annotations

from collections.abc import Iterable

import orjson
from flask import abort, g, request
from werkzeug.datastructures import ImmutableMultiDict

from geo.accounts import Principal
from geo.display_scope import DisplayScope, scoped_state
from geo.errors import NotFound
from geo.messages import t
from geo.wall.params import parse_view, query_from_url
from web.core.cached import Cached
from web.core.context import guatu
from web.core.routes import Display

PINNING = {Display.PINNED, Display.PINNED_PLACE, Display.PINNED_SHAPES, Display.CUT}


def scope_of(p: Principal) -> DisplayScope:
    ctx = guatu()
    view = parse_view(query_from_url(p.display_scope), ctx.campaign, ctx.areas, refresh=0)
    return DisplayScope.of(view, ctx.campaign, photos=p.display_photos)


def enforce(p: Principal, display: Display) -> None:
    """Refuse what the display link `p` may not read on a route declared `display`; pin its scope into the
    request's parameters."""
    if display is Display.OPEN:
        return
    scope = scope_of(p)
    g.display_scope = scope
    if display is Display.PHOTOS:
        _photos(scope)
        if "fid" not in (request.view_args or {}):
            return  # a thumbnail, by its hash
        display = Display.PINNED_PLACE
    if scope.whole_campaign or display is Display.OWN_URL:
        return
    if display not in PINNING:
        _refuse(scope)
    layer_id = (request.view_args or {}).get("layer_id")
    if layer_id is not None and not scope.allows_layer(layer_id):
        _refuse(scope)
    _pin(scope)
    if display is Display.PINNED_SHAPES and scope.has_area and request.args.get("format", "geojson") == "geojson" \
            and "bbox" not in request.args and "zoom" not in request.args:
        _refuse(scope)  # a whole layer as GeoJSON has no area filter
    if display is Display.PINNED_PLACE:
        try:
            feature = guatu().store.get(layer_id, request.view_args["fid"])
        except NotFound:
            _refuse(scope)  # gone now: where it was cannot be told, so it is not shown
        if not scope.allows_place(layer_id, feature.get("properties") or {}):
            _refuse(scope)


def _photos(scope: DisplayScope) -> None:
    """A display link made without photos sees none; one made with them sees thumbnails only."""
    if not scope.photos:
        abort(403, t("photos.display_off"))
    variant = (request.view_args or {}).get("variant")
    if not scope.allows_photo(variant):
        abort(403, t("photos.display_thumbs_only"))


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


def state_scope(street: str | None = None, community: str | None = None) -> DisplayScope | None:
    """The scope this request's wall state is cut to: a display link's with a narrower scope (its places, its
    layers), or the places of the sub-district and community a wall screen shows (`street`, `community`), so that
    a screen of one sub-district counts its places from the state alone, without every place's attributes.
    None: the whole campaign's state."""
    scope: DisplayScope | None = g.get("display_scope")
    if scope is None and (street or community):
        scope = DisplayScope(layers=tuple(x.id for x in guatu().campaign.layers), street=street, community=community)
    return None if scope is None or scope.whole_campaign else scope


def places_kept(scope: DisplayScope, layers: Iterable[str]) -> dict[str, frozenset[str] | None]:
    """For each of `layers` (those the state holds) in `scope`, the ids of its places in scope (None: all)."""
    store, cache, wall = guatu().store, guatu().display_scopes, guatu().wall
    keep: dict[str, frozenset[str] | None] = {}
    for layer_id in layers:
        if not scope.allows_layer(layer_id):
            continue
        if not scope.has_area:
            keep[layer_id] = None
            continue
        # a place enters or leaves an area only with a change of its shapes revision (made, deleted, moved, its
        # sub-district or community changed): the ids are asked again then, not at every status edit
        key = ("display-ids", layer_id, wall.shapes_shown(layer_id), scope.street, scope.community)
        keep[layer_id] = cache.get(key, lambda lid=layer_id: scope.place_ids(store, lid))
    return keep


def cut_state(item: Cached, scope: DisplayScope) -> Cached:
    """A wall state (a delta) cut to `scope`, same ETag. (A full state is made for its scope from the state the
    process keeps: web/wall/data.py `full_state`.)"""
    if not item.body:
        return item
    doc = orjson.loads(item.body)
    keep = places_kept(scope, doc.get("layers", {}))  # (a layer that cannot be read is not in the state)
    return Cached(body=orjson.dumps(scoped_state(doc, keep, guatu().campaign)), etag=item.etag)


def narrowed() -> bool:
    """This request comes from a display link that does not show the whole campaign."""
    scope = g.get("display_scope")
    return scope is not None and not scope.whole_campaign
