"""The cases package's one blueprint, `cases`: the API under /api/cases and the pages /cases and /cases/<case>."""

from __future__ import annotations

from web.core.routes import DeclaredBlueprint

bp = DeclaredBlueprint("cases", __name__)
