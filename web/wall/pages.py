"""The wall map pages: `/` for people at a desk, `/wall` for big screens.

Both take the same query parameters (see geo/wall/params.py: layers, street,
community, status, category, theme, title, refresh, view, dashboard,
labels, inspections), so every screen is a bookmark. `/wall` is the command-room view:
no zoom buttons, dashboard on by default, sizes for a 4K screen. A request
carrying a display token shows the token's own URL (its scope), whatever
parameters the request adds.
"""

from __future__ import annotations

import secrets

from flask import Response, request, url_for

from geo.errors import BrokenBoundary
from geo.geojson_io import dumps
from geo.messages import t
from geo.viewport import viewport_layers
from geo.wall.params import WallView, parse_view, query_from_url
from web.access import display_scope
from web.access.auth import principal
from web.api.reads import boundaries_document
from web.core.context import guatu
from web.core.http import prime_page_streams, send_page, static_url
from web.core.problem_banner import banner_options
from web.core.routes import VIEWER, Display
from web.core.security import add_nonce
from web.inbox.bell import bell as inbox_bell
from web.wall import tiles
from web.wall.blueprint import bp
from web.wall.data import current_state, packed_shapes
from web.wall.map_page import inline_json, wall_map_html
from web.workflow.inspections import workflow_links


def wall_view(*, dashboard: bool) -> WallView:
    """What this request's wall shows: a display link's own URL, or the request's parameters (also the playback's)."""
    p = principal()
    params = query_from_url(p.display_scope) if p and p.via == "display" else request.args.to_dict(flat=False)
    ctx = guatu()
    return parse_view(params, ctx.campaign, ctx.areas, refresh=ctx.refresh_seconds, dashboard=dashboard)


def wall_options(view: WallView, mode: str, display_token: str | None = None) -> dict:
    """The options wallmap.js starts from: campaign vocabulary, layers, view, data URLs, links, banner."""
    ctx = guatu()
    c = ctx.campaign
    # a layer whose file cannot be read is left out (reported by /api/health); the others are drawn
    shown = tuple(x.id for x in ctx.store.readable_layers() if x.id in view.layers)
    by_viewport = viewport_layers(ctx.store, [c.layer(x) for x in shown])  # larger than map.viewport_above
    return {
        "mode": mode,
        "title": view.title or c.title,
        "subtitle": c.subtitle,
        "source": c.source,
        "timezone": c.timezone.key,
        "statuses": [{"key": s.key, "label": s.label, "color": s.color, "done": s.done, "hatch": s.hatch} for s in c.statuses],
        "layers": [{"id": x.id, "title": x.title, "viewport": x.id in by_viewport} for x in c.layers if x.id in shown],
        "withheld": [x.id for x in c.layers if x.id in view.layers and x.id not in shown],  # back: the page made again
        "tilesFrom": c.map.vector_tiles_from,  # a large layer from vector tiles from this zoom on (js/wall/tiled.js)
        "layerCount": len(c.layers),
        "boundaries": [b.level for b in c.boundaries],
        "roles": [{"key": r.key, "label": r.label} for r in c.roles],
        "categories": list(c.categories),
        "bounds": list(c.map.bounds),
        "refreshSeconds": view.refresh,
        "view": view.as_dict(),
        "extent": None if view.view else ctx.wall.extent(shown, view.street, view.community),
        "displayToken": display_token,
        "api": {
            "state": url_for("wall.state"),
            "shapes": url_for("wall.shapes", layer_id="__layer__"),
            "boundaries": url_for("api.boundaries", level="__level__"),
            "place": url_for("wall.place", layer_id="__layer__", fid="__id__"),
            "search": url_for("wall.search", layer_id="__layer__"),  # a large layer's places found by name
            "tiles": tiles.url_template(),
            "dashboard": url_for("wall.dashboard"),
            "satisfaction": url_for("wall.satisfaction_panel"),
            "inspections": url_for("workflow.wall_inspections"),
            "milestones": None if display_scope.narrowed() else url_for("workflow.milestones_api"),
            "basemaps": url_for("wall.basemap_list"),
            "dossier": url_for("printing.place_dossier", layer_id="__layer__", fid="__id__") if _editor() else None,
        },
        "links": _links(),
        "inbox": inbox_bell(),  # the bell (web/inbox/bell.py): None on a display link's screen or for a visitor
        "banner": banner_options("wall" if mode == "wall" else "map", view.refresh,  # web/core/problem_banner.py
                                 display_token=display_token),
    }


def _editor() -> bool:
    """An editor at a desk or a wall (never a display link's screen)."""
    p = principal()
    return bool(p and p.via != "display" and p.can("editor"))


def _links() -> list[dict]:
    """The workflow pages, for an editor; an inspector's (督导员) pages: the day's list, the field page, the cases."""
    if _editor():
        return workflow_links()
    p = principal()
    if p and p.via != "display" and p.can("inspector"):
        return [{"href": url_for("workflow.inspections_page"), "label": t("inspections.nav")},
                {"href": url_for("field.field_page"), "label": t("page.insp.field_link")},
                {"href": url_for("cases.cases_page"), "label": t("cases.title")}]  # 待我核查
    return []


FIRST = "guatu-first"  # the id of the element that carries the first data (js/wall/sync.js)


def first_data(view: WallView, options: dict) -> tuple[bytes, dict[str, str]]:
    """What the page's script draws first, inlined in the page so that nothing is fetched before the first
    paint: the first state (what `/api/wall/state?format=packed` answers this request, a display link's cut to
    its scope, a screen's to its sub-district and community; its ETag beside it), the packed shapes of the layers drawn whole (as
    `/api/wall/shapes/<layer>?format=packed` answers; a large layer is fetched one viewport at a time) and the
    outlines, as one JSON document {"state", "shapes": {layer: …}, "boundaries": {level: …}}, written as it may
    stand in the page (`inline_json`), with the element's data-* attributes."""
    ctx = guatu()
    state = current_state(view.street, view.community)
    whole = [x["id"] for x in options["layers"] if not x["viewport"]]
    parts = [b'{"state":', state.body, b',"shapes":{']
    for n, layer_id in enumerate(whole):
        doc = packed_shapes(layer_id, "geometry", view.street, view.community).body
        parts += [b"," if n else b"", dumps(layer_id), b":", doc]
    parts.append(b'},"boundaries":{')
    levels = []
    for b in ctx.campaign.boundaries:
        try:
            levels.append(dumps(b.level) + b":" + boundaries_document(b.level, "wgs84").body)
        except BrokenBoundary:  # the wall goes on without these outlines; its banner names the file (/api/health)
            continue
    parts += [b",".join(levels), b"}}"]
    return inline_json(b"".join(parts)), {"etag": state.etag}


def prime_first_page() -> None:
    """Compress the data a wall page of the whole campaign carries (its first state, shapes and outlines) into the
    page streams now, in a request context of `/wall` (a worker's warm-up): at a million places its 2.2 MB cost
    the first page each worker served 0.8 s."""
    view = wall_view(dashboard=True)
    prime_page_streams(guatu().page_streams, first_data(view, wall_options(view, "wall"))[0])


def _page(view: WallView, options: dict, map_options: dict) -> Response:
    options["first"] = FIRST
    data, attrs = first_data(view, options)
    marker = f"guatu-first-data-{secrets.token_hex(16)}"  # where the data goes: no text of the page can name it
    html = wall_map_html(guatu().campaign, static_url, options, title=view.title, map_options=map_options,
                         inline={FIRST: (marker, attrs)})
    return send_page(add_nonce(html), inline=(marker, data), streams=guatu().page_streams)


def wall_map_options(view: WallView, **extra) -> dict:
    """folium.Map's options for `view` (its centre and zoom when the URL names them) and `extra`."""
    if view.view:
        lat, lon, zoom = view.view
        extra.update(location=[lat, lon], zoom_start=zoom)
    return extra


@bp.get("/", role=VIEWER)
def wall_map():
    view = wall_view(dashboard=False)
    return _page(view, wall_options(view, "desk"), wall_map_options(view))


@bp.get("/wall", role=VIEWER, display=Display.OWN_URL)
def wall_display():
    """The big-screen view; a display token opens it without logging in."""
    p = principal()
    token = request.args.get("display") if p and p.via == "display" else None
    view = wall_view(dashboard=True)
    # no fading in of tiles (a basemap's, a large layer's): on a screen nobody pans it only costs frames, and
    # Chromium without a GPU composites every one of them at 4K
    return _page(view, wall_options(view, "wall", display_token=token),
                 wall_map_options(view, zoom_control=False, fade_animation=False))
