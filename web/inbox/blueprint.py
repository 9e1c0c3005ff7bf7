"""The inbox package's one blueprint, `inbox`: the page /inbox and the API under /api/inbox."""

from __future__ import annotations

from web.core.routes import DeclaredBlueprint

bp = DeclaredBlueprint("inbox", __name__)
