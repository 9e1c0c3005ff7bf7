"""What a refused campaign.json says of one key: its JSON path, then the catalogue's problem text."""

from __future__ import annotations

from geo.messages import t


def said(where: str, key: str, **params: object) -> str:
    """The line `geo.config_schema.check` gives for the problem `key` at `where` (`$.statuses[pending].color: …`)."""
    return f"{where}: " + t(key, **params)
