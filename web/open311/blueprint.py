"""The Open311 package's one blueprint, `open311`: GeoReport v2 under /open311/v2 (web/open311/views.py)."""

from __future__ import annotations

from web.core.routes import DeclaredBlueprint

bp = DeclaredBlueprint("open311", __name__)
