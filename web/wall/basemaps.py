"""Basemap tiles served by the app (`/tiles/<id>/<z>/<x>/<y>`) and the list the page builds its switcher from.

Views only parse the address and call geo.basemaps. Both endpoints are
read-only, need a viewer and are open to display tokens (a wall screen's
<img> tiles send the token as `?display=`). Tiles carry an ETag and may be
kept by the browser for an hour.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, Response, current_app, jsonify, request, url_for

from geo.basemaps import Basemaps, open_basemaps
from geo.config import Campaign
from web.core.routes import VIEWER, Display
from web.wall import docs
from web.wall.blueprint import bp

TILE_CACHE_CONTROL = "private, max-age=3600"


def basemaps() -> Basemaps:
    return current_app.extensions["guatu_basemaps"]


def _tile_template(basemap_id: str) -> str:
    url = url_for("wall.basemap_tile", basemap_id=basemap_id, z=0, x=0, y=0)
    return url[: -len("/0/0/0")] + "/{z}/{x}/{y}"


@bp.get("/tiles/<basemap_id>/<int:z>/<int:x>/<int:y>", role=VIEWER, display=Display.OPEN)
def basemap_tile(basemap_id: str, z: int, x: int, y: int):
    t = basemaps().tile(basemap_id, z, x, y)
    resp = Response(t.data, mimetype=t.mimetype)
    if t.encoding:
        resp.headers["Content-Encoding"] = t.encoding
    resp.set_etag(t.etag)
    resp.headers["Cache-Control"] = TILE_CACHE_CONTROL
    return resp.make_conditional(request)


@bp.get("/api/basemaps", role=VIEWER, display=Display.OPEN, doc=docs.BASEMAPS)
def basemap_list():
    """The configured basemaps (never a key or an upstream address): id, title, tile URL, zooms, CRS."""
    return jsonify({"basemaps": basemaps().describe(_tile_template)})


def open_sources(app: Flask, campaign: Campaign, data_dir: Path, instance: Path) -> None:
    """Open the configured sources (a ConfigError stops the start-up), for the tile route to serve."""
    app.extensions["guatu_basemaps"] = open_basemaps(campaign, data_dir, instance / "tile-cache")
