"""What an answer about the whole campaign left out: the layers withheld now (a layer file that cannot be read,
docs/data-integrity.md). `/api/cases`, `/api/mine`, `/api/wall/dashboard`, `/api/progress/milestones` and
`/api/timeline` carry it as `withheld`, so a program reading them knows its counts are partial; every page shows the
same on its banner (/api/health).

    "withheld": [{"layer": "roads", "title": "道路"}]     (empty when every layer is read)
"""

from __future__ import annotations

from geo.store import Store
from geo.wall.state import StateKey

SCHEMA = {"type": "array", "description": "The campaign's layers left out of this answer because they cannot be read "
                                          "now (a damaged layer file: /api/health says why); empty when none is.",
          "items": {"type": "object", "required": ["layer", "title"],
                    "properties": {"layer": {"type": "string"}, "title": {"type": "string"}}}}


def withheld(store: Store, state: StateKey | None = None) -> list[dict]:
    """The layers withheld now; for an answer kept by a wall's `state`, those it was built without (the layers
    the key does not name), so the answer and what it says of itself never disagree."""
    if state is not None and state.layers:
        readable = {layer_id for layer_id, _ in state.layers}
        layers = [x for x in store.campaign.layers if x.id not in readable]
    else:
        layers = store.withheld_layers()
    return [{"layer": x.id, "title": x.title} for x in layers]
