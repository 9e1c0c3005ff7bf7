"""What an answer about the whole campaign left out: the layers withheld now (a layer file that cannot be read,
docs/data-integrity.md). `/api/cases`, `/api/mine` and `/api/wall/dashboard` carry it as `withheld`, so a
program reading them knows its counts are partial; every page shows the same on its banner (/api/health).

    "withheld": [{"layer": "roads", "title": "道路"}]     (empty when every layer is read)
"""

from __future__ import annotations

from geo.store import Store

SCHEMA = {"type": "array", "description": "The campaign's layers left out of this answer because they cannot be read "
                                          "now (a damaged layer file: /api/health says why); empty when none is.",
          "items": {"type": "object", "required": ["layer", "title"],
                    "properties": {"layer": {"type": "string"}, "title": {"type": "string"}}}}


def withheld(store: Store) -> list[dict]:
    return [{"layer": x.id, "title": x.title} for x in store.withheld_layers()]
