"""Where events come from: the journal (a case dispatched or returned, a relapse) and the clock (a stage due
soon or overdue, an escalation, the morning digest, the daily report), turned into `Event`s and emitted once.

`collect(store, campaign, now)` is what the sender runs on every tick before it delivers; it returns how many
new events it emitted. (Filled in by the event sources' work; until then no source is read.)
"""

from __future__ import annotations

from datetime import datetime

from geo.config import Campaign
from geo.store.base import Store


def collect(store: Store, campaign: Campaign, now: datetime) -> int:
    """Emit the events that happened since the last call (the cursor is kept in the store); the number emitted."""
    return 0
