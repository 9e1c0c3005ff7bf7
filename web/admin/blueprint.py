"""The admin package's one blueprint: the pages (pages.py) and the accounts API (api.py) declare their routes on it."""

from __future__ import annotations

from web.core.routes import DeclaredBlueprint

bp = DeclaredBlueprint("admin", __name__)
