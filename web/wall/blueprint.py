"""The wall package's one blueprint, `wall`: the wall and desk pages (pages.py), their data under /api/wall
(data.py), basemap tiles (basemaps.py) and the playback (playback.py)."""

from __future__ import annotations

from web.core.routes import DeclaredBlueprint

bp = DeclaredBlueprint("wall", __name__)
