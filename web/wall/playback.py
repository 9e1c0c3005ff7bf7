"""进度回放: the campaign's progress replayed day by day on a wall screen (thin: the rules are in geo/playback.py).

    GET /api/playback?from=…&to=…[&crs=gcj02]    every place's status at the end of each day, as changes
                                                  (geo/playback.py) from the worker's wall state, cached per
                                                  revision and range
    GET /wall/playback?from=…&to=…[&speed=…][&mode=compare][&theme=…][&street=…]…
                                                  the page: the wall map (web/wall/pages.py's page, live polling off)
                                                  coloured day by day by web/static/js/wall/playback.js

A wall screen's display token may read both; its page shows the token's own URL's parameters, whatever the
request adds, as `/wall` does.
"""

from __future__ import annotations

from flask import Response, request, url_for

from geo.basemaps.crs import display_crs
from geo.errors import BadParameter, ValidationError
from geo.exchange.gcj02 import wgs84_to_gcj02
from geo.geojson_io import dumps
from geo.messages import t
from geo.playback import parse_view, playback
from geo.progress import parse_range
from geo.wall.params import query_from_url
from web.access.auth import principal
from web.core.context import guatu
from web.core.http import make_cached, send_cached, static_url
from web.core.routes import VIEWER, Display
from web.core.security import add_nonce
from web.wall import docs
from web.wall.blueprint import bp
from web.wall.map_page import AssetUrl, WallLayers, folium_page
from web.wall.pages import wall_map_options, wall_options, wall_view


@bp.get("/api/playback", role=VIEWER, display=Display.WHOLE, doc=docs.PLAYBACK)
def playback_data():
    """geo/playback.py's document for the days `from`..`to` (default: the last 30), at most 400 days."""
    ctx = guatu()
    try:
        first, last = parse_range(request.args.get("from"), request.args.get("to"), guatu().today())
    except ValidationError as exc:  # a query parameter that cannot be honoured: 400, naming it
        raise BadParameter(exc.errors[0].field, "; ".join(e.message for e in exc.errors)) from None
    crs = display_crs(request.args.get("crs"))
    now = ctx.now()
    state = ctx.wall.key(now)  # the revision every change up to which the layer files hold, as the wall's state
    transform = wgs84_to_gcj02 if crs == "gcj02" else None

    def build() -> bytes:  # from each place's status the worker keeps (its wall state): no place is read
        doc = playback(ctx.store, ctx.campaign, first, last, transform=transform, present=ctx.wall.present(state, now))
        return make_cached(dumps(doc))

    return send_cached(ctx.cache.get(("playback", state.revision, state.layers, first, last, crs), build))


class PlaybackLayers(WallLayers):
    """The wall map with js/pages/playback.js, which colours the places day by day (js/wall/playback.js)."""

    def __init__(self, asset_url: AssetUrl, options: dict) -> None:
        super().__init__(asset_url, options, "js/pages/playback.js")
        self._name = "GuatuPlayback"


@bp.get("/wall/playback", role=VIEWER, display=Display.WHOLE)
def playback_page():
    """The big-screen playback: autoplays and loops; `mode=compare` shows 整治前/整治后 side by side."""
    ctx = guatu()
    p = principal()
    display = p is not None and p.via == "display"
    params = query_from_url(p.display_scope) if display else request.args.to_dict(flat=False)
    shown = parse_view(params, guatu().today())
    view = wall_view(dashboard=False)
    options = wall_options(view, "wall", display_token=request.args.get("display") if display else None)
    options["refreshSeconds"] = 0  # nothing is polled: js/wall/playback.js sets every state
    options["view"].update(dashboard=False, refresh=0, inspections=False)  # a day long past has no inspections to show
    options["playback"] = {
        "mode": shown.mode, "from": shown.first.isoformat(), "to": shown.last.isoformat(), "speed": shown.speed,
        "ignored": list(shown.ignored), "api": url_for("wall.playback_data"),
    }
    title = t("page.playback_title", title=view.title or ctx.campaign.title)
    page_options = wall_map_options(view, zoom_control=False, **({"width": "50%"} if shown.mode == "compare" else {}))
    html = folium_page(ctx.campaign, static_url, title, PlaybackLayers(static_url, options), page_options)
    resp = Response(add_nonce(html), mimetype="text/html")
    resp.headers["Cache-Control"] = "no-store"
    return resp
