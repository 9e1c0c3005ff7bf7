"""Editing: the editor page, a place's history and revert, import (preview, then commit) and export.

One blueprint, `edit` (web/edit/blueprint.py); the /api routes' OpenAPI operations are in web/edit/docs.py.
"""

from __future__ import annotations

from flask import Flask

from web.edit import exchange, pages
from web.edit.blueprint import bp

VIEWS = (pages, exchange)  # the modules whose routes are on `bp`


def register(app: Flask) -> None:
    app.register_blueprint(bp)
