"""The residents package's one blueprint, `residents`: /report, /report/<code>, /reports and /api/residents/…."""

from __future__ import annotations

from web.core.routes import DeclaredBlueprint

bp = DeclaredBlueprint("residents", __name__)
