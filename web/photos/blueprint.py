"""The photos package's one blueprint, `photos`: its API under /api/layers/…/photos and the images at /photos/…"""

from __future__ import annotations

from web.core.routes import DeclaredBlueprint

bp = DeclaredBlueprint("photos", __name__)
