"""OGC API – Features (Parts 1–4) and – Tiles (Part 1) under /ogc for GIS clients, and its OpenAPI document.

One blueprint, `ogc` (web/ogc/routes.py: the features; web/ogc/tiles.py: the vector tiles); its routes' OpenAPI
operations are in web/ogc/docs.py.
"""

from __future__ import annotations

from flask import Flask

from web.ogc import tiles
from web.ogc.routes import bp

VIEWS = (tiles,)  # the modules besides routes.py whose routes are on `bp`


def register(app: Flask) -> None:
    app.register_blueprint(bp)
