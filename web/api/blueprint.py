"""The API package's one blueprint, `api`, under /api: the views of reads.py, writes.py and places.py are on it."""

from __future__ import annotations

from web.core.routes import DeclaredBlueprint

bp = DeclaredBlueprint("api", __name__, url_prefix="/api")
