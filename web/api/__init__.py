"""Guatu's own JSON API under /api: reads, writes, a place's ledger and history, and its OpenAPI document.

One blueprint, `api` (web/api/blueprint.py); the routes' OpenAPI operations are in web/api/docs.py, the
document's shared components in web/api/openapi.py.
"""

from __future__ import annotations

from flask import Flask

from web.api import places, reads, writes
from web.api.blueprint import bp

VIEWS = (reads, writes, places)  # the modules whose routes are on `bp`


def register(app: Flask) -> None:
    app.register_blueprint(bp)
