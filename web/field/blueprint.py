"""The field package's one blueprint, `field`: the phone-first inspector page (pages.py), its service worker
(offline.py) and the list it carries (data.py)."""

from __future__ import annotations

from web.core.routes import DeclaredBlueprint

bp = DeclaredBlueprint("field", __name__)
