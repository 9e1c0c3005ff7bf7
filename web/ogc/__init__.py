"""OGC API – Features (Parts 1–4) under /ogc for GIS clients, and its OpenAPI document.

One blueprint, `ogc` (web/ogc/routes.py); its routes' OpenAPI operations are in web/ogc/docs.py.
"""

from __future__ import annotations

from flask import Flask

from web.ogc.routes import bp


def register(app: Flask) -> None:
    app.register_blueprint(bp)
