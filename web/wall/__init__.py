"""The wall: the wall and desk map pages, the data they poll (state, shapes, place cards, dashboard), basemap
tiles, large layers' viewports and vector tiles, the warm-up and the playback.

One blueprint, `wall` (web/wall/blueprint.py); the /api routes' OpenAPI operations are in web/wall/docs.py.
"""

from __future__ import annotations

from flask import Flask

from web.wall import basemaps, data, pages, playback, satisfaction, tiles
from web.wall.blueprint import bp

VIEWS = (pages, data, basemaps, playback, satisfaction, tiles)  # the modules whose routes are on `bp`


def register(app: Flask) -> None:
    """The basemap sources (a ConfigError stops the start-up) and the blueprint."""
    ctx = app.extensions["guatu"]
    basemaps.open_sources(app, ctx.campaign, ctx.data_dir, ctx.instance_dir)
    app.register_blueprint(bp)
