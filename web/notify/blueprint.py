"""The notify package's one blueprint: the pages (pages.py) and the API (api.py) declare their routes on it."""

from __future__ import annotations

from web.core.routes import DeclaredBlueprint

bp = DeclaredBlueprint("notify", __name__)
