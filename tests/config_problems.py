"""What a refused campaign.json says of one key: its JSON path, then the catalogue's problem text."""

from __future__ import annotations

from geo.messages import t


def said(where: str, key: str, **params: object) -> str:
    """The line `geo.config_schema.check` gives for the problem `key` at `where` (`$.statuses[pending].color: …`)."""
    return f"{where}: " + t(key, **params)


def wrong_type(where: str, expected: str, got: str) -> str:
    """The line for a key holding a JSON value of the wrong type (`expected`, `got`: Python's names, "number")."""
    return said(where, "schema.expected_type", expected=t(f"schema.type.{expected}"), got=t(f"schema.type.{got}"))
