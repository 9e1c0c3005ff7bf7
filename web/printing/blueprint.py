"""The printing package's one blueprint, `printing`: printed maps (maps.py) and a place's dossier, 一点一档
(dossier.py)."""

from __future__ import annotations

from web.core.routes import DeclaredBlueprint

bp = DeclaredBlueprint("printing", __name__)
