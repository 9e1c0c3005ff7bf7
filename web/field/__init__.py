"""Phone pages for the people in the field: the inspector's page for the day's random inspection list
(每日随机地点督导), which keeps working without network.

One blueprint, `field` (web/field/blueprint.py); the /api route's OpenAPI operation is in web/field/docs.py;
how the page works offline: docs/field.md.
"""

from __future__ import annotations

from flask import Flask

from web.field import data, offline, pages
from web.field.blueprint import bp

VIEWS = (data, offline, pages)  # the modules whose routes are on `bp`


def register(app: Flask) -> None:
    app.register_blueprint(bp)
