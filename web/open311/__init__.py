"""Open311 GeoReport v2 under /open311/v2: the standard intake 12345 and city-management apps post residents'
reports to, and read their progress from (docs/open311.md).

One blueprint, `open311` (web/open311/blueprint.py): `views.py` holds the routes (discovery, services, a
service's definition, requests to list and post, one request) and answers every refusal as GeoReport's error
list; `docs.py` the OpenAPI operations and the document served at /open311/v2/openapi.json. Thin: the mapping
between GeoReport and a resident's report is geo/residents/open311.py, the report itself geo/residents/reports.py.
"""

from __future__ import annotations

from flask import Flask

from web.open311 import views
from web.open311.blueprint import bp

VIEWS = (views,)  # the modules whose routes are on `bp`


def register(app: Flask) -> None:
    app.register_blueprint(bp)
