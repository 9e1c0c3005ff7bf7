"""The wall map page (`/`)."""

from __future__ import annotations

from flask import Blueprint, Response, url_for

from web.context import guatu
from web.wallmap import wall_map_html

bp = Blueprint("wall", __name__)


def _asset(path: str) -> str:
    return url_for("static", filename=path)


@bp.get("/")
def wall_map():
    g = guatu()
    c = g.campaign
    options = {
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
        "api": {
            "state": url_for("api.state"),
            "shapes": url_for("api.shapes", layer_id="__layer__"),
            "boundaries": url_for("api.boundaries", level="__level__"),
        },
    }
    return Response(wall_map_html(c, _asset, options), mimetype="text/html")
