"""The edit package's one blueprint, `edit`: the editor and a place's history page (pages.py), import and
export pages and their /api routes (exchange.py)."""

from __future__ import annotations

from web.core.routes import DeclaredBlueprint

bp = DeclaredBlueprint("edit", __name__)
