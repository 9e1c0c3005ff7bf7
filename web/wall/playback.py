"""进度回放: the campaign's progress replayed day by day on a wall screen (thin: the rules are in geo/playback.py).

    GET /api/playback?from=…&to=…[&crs=gcj02]    every place's status at the end of each day, as changes
                                                  (geo/playback.py), cached per store revision and range
    GET /wall/playback?from=…&to=…[&speed=…][&mode=compare][&theme=…][&street=…]…
                                                  the page: the wall map (web/wall/pages.py's page, live polling off)
                                                  coloured day by day by web/static/js/wall-playback.js

A wall screen's display token may read both; its page shows the token's own URL's parameters, whatever the
request adds, as `/wall` does.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, request, url_for

from geo.basemaps.crs import display_crs
from geo.errors import BadParameter, ValidationError
from geo.exchange.gcj02 import wgs84_to_gcj02
from geo.geojson_io import dumps
from geo.messages import t
from geo.playback import parse_view, playback
from geo.progress import MAX_TIMELINE_DAYS, parse_range
from geo.rules import local_now
from geo.wallview import query_from_url
from web.access.auth import DISPLAY_ENDPOINTS, principal
from web.api.openapi import CACHED, CRS, ETAG, IF_NONE_MATCH, PATHS, READ_ERRORS, _json, _ref_response
from web.core.context import guatu
from web.core.http import make_cached, send_cached
from web.core.security import add_nonce
from web.wall.map_page import AssetUrl, WallLayers, _page
from web.wall.pages import _asset, _map_options, _options, _view

bp = Blueprint("playback", __name__)
# A wall screen's display token may open the playback page and read its data (nothing else is added).
DISPLAY_ENDPOINTS.update({"playback.playback_api", "playback.playback_page"})


def _today() -> date:
    g = guatu()
    return local_now(g.campaign, g.now()).date()


@bp.get("/api/playback")
def playback_api():
    """geo/playback.py's document for the days `from`..`to` (default: the last 30), at most 400 days."""
    g = guatu()
    try:
        first, last = parse_range(request.args.get("from"), request.args.get("to"), _today())
    except ValidationError as exc:  # a query parameter that cannot be honoured: 400, naming it
        raise BadParameter(exc.errors[0].field, "; ".join(e.message for e in exc.errors)) from None
    crs = display_crs(request.args.get("crs"))
    store = g.store
    # the journal head and every layer file's revision: a file lagging behind its journal makes another key
    key = ("playback", store.revision(), tuple(store.layer_revision(x.id) for x in g.campaign.layers), first, last, crs)
    transform = wgs84_to_gcj02 if crs == "gcj02" else None
    return send_cached(g.cache.get(key, lambda: make_cached(dumps(playback(store, g.campaign, first, last,
                                                                           transform=transform)))))


class PlaybackLayers(WallLayers):
    """The wall map's scripts, then wall-playback.js, which colours the places day by day."""

    def __init__(self, asset_url: AssetUrl, options: dict) -> None:
        super().__init__(asset_url, options)
        self._name = "GuatuPlayback"
        self.default_js = [*self.default_js, ("guatu_wall_playback", asset_url("js/wall-playback.js"))]


@bp.get("/wall/playback")
def playback_page():
    """The big-screen playback: autoplays and loops; `mode=compare` shows 整治前/整治后 side by side."""
    g = guatu()
    p = principal()
    display = p is not None and p.via == "display"
    params = query_from_url(p.display_scope) if display else request.args.to_dict(flat=False)
    shown = parse_view(params, _today())
    view = _view(dashboard=False)
    options = _options(view, "wall", display_token=request.args.get("display") if display else None)
    options["refreshSeconds"] = 0  # nothing is polled: wall-playback.js sets every state
    options["view"].update(dashboard=False, refresh=0, inspections=False)  # a day long past has no inspections to show
    options["playback"] = {
        "mode": shown.mode, "from": shown.first.isoformat(), "to": shown.last.isoformat(), "speed": shown.speed,
        "ignored": list(shown.ignored), "api": url_for("playback.playback_api"),
    }
    title = t("playback.title", title=view.title or g.campaign.title)
    map_options = _map_options(view, zoom_control=False, **({"width": "50%"} if shown.mode == "compare" else {}))
    html = _page(g.campaign, _asset, title, PlaybackLayers(_asset, options), map_options)
    resp = Response(add_nonce(html), mimetype="text/html")
    resp.headers["Cache-Control"] = "no-store"
    return resp


def _query(name: str, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": {"type": "string"}, "description": description}


PLAYBACK_PATHS: dict = {
    "/api/playback": {
        "get": {
            "summary": "Every place's status at the end of each day of a range, for a playback (进度回放)",
            "tags": ["progress"],
            "parameters": [
                _query("from", "First day, YYYY-MM-DD (default, or empty: 29 days before `to`)."),
                _query("to", f"Last day, YYYY-MM-DD (default, or empty: today); at most {MAX_TIMELINE_DAYS} days in all."),
                CRS, IF_NONE_MATCH,
            ],
            "responses": {
                "200": _json({"type": "object", "required": ["format", "from", "to", "statuses", "layers", "days"],
                              "properties": {
                                  "format": {"type": "string", "enum": ["playback-1"]},
                                  "from": {"type": "string"}, "to": {"type": "string"},
                                  "revision": {"type": "integer"}, "timezone": {"type": "string"},
                                  "statuses": {"type": "array", "items": {"type": "string"}},
                                  "done": {"type": "array", "items": {"type": "string"}},
                                  "layers": {"type": "array", "items": {"type": "object"}},
                                  "days": {"type": "array", "items": {"type": "object"}}}},
                             "Per layer the places' ids (packed as the shapes' ids) and their status indices at "
                             "the end of the day before `from` (-1: not there); per day the changes as flat "
                             "triples (layer index, place index, status index) and the places per status.",
                             headers=ETAG),
                "400": _ref_response("BadRequest"), **CACHED, **READ_ERRORS,
            },
        },
    },
}


def describe() -> None:
    for path, item in PLAYBACK_PATHS.items():
        PATHS.setdefault(path, {}).update(item)


describe()  # /api/playback in /api/openapi.json
