"""The wall map pages: `/` for people at a desk, `/wall` for big screens."""

from __future__ import annotations

from flask import Blueprint, Response, request, url_for

from web.auth import principal
from web.context import guatu
from web.security import add_nonce
from web.wallmap import wall_map_html

bp = Blueprint("wall", __name__)


def _asset(path: str) -> str:
    return url_for("static", filename=path)


def _options(display_token: str | None = None) -> dict:
    g = guatu()
    c = g.campaign
    return {
        "title": c.title,
        "subtitle": c.subtitle,
        "source": c.source,
        "timezone": c.timezone.key,
        "statuses": [{"key": s.key, "label": s.label, "color": s.color, "done": s.done} for s in c.statuses],
        "layers": [{"id": x.id, "title": x.title} for x in c.layers],
        "boundaries": [b.level for b in c.boundaries],
        "roles": [{"key": r.key, "label": r.label} for r in c.roles],
        "bounds": list(c.map.bounds),
        "refreshSeconds": g.refresh_seconds,
        "displayToken": display_token,
        "api": {
            "state": url_for("api.state"),
            "shapes": url_for("api.shapes", layer_id="__layer__"),
            "boundaries": url_for("api.boundaries", level="__level__"),
        },
    }


def _page(options: dict) -> Response:
    html = wall_map_html(guatu().campaign, _asset, options)
    resp = Response(add_nonce(html), mimetype="text/html")
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.get("/")
def wall_map():
    return _page(_options())


@bp.get("/wall")
def wall_display():
    """The big-screen view; a display token opens it without logging in."""
    p = principal()
    token = request.args.get("display") if p and p.via == "display" else None
    return _page(_options(display_token=token))
