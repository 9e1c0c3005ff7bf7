"""Where an import's preview waits between its two steps (upload → confirm), by id.

A `PreviewKeeping` puts, gets, drops and expires records `{"user", "created",
"preview"}`. `FilePreviews` keeps each as `<id>.json` in a folder only the
server reads (the instance folder's `imports/`: one machine); with PostgreSQL
configured the previews live in the campaign's database instead
(`PostgresPreviews`, geo/store/shared_state.py), so the confirmation may reach
another instance than the upload. What a preview holds is geo/exchange/importer.py's.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

import orjson

from geo.geojson_io import atomic_write


class PreviewKeeping(Protocol):
    def put(self, pid: str, record: dict) -> None:
        """Keep `record` ({"user", "created": epoch seconds, "preview"}) under the new id `pid`."""

    def get(self, pid: str) -> dict | None:
        """The record kept under `pid`, or None."""

    def drop(self, pid: str) -> None:
        """Forget `pid` (committed); nothing if it is gone already."""

    def expire(self, before: float) -> None:
        """Forget every record created before `before` (epoch seconds)."""


class FilePreviews:
    """One file per preview in `folder` (0700; files 0600: the uploaded places, people and phone numbers)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def _open(self) -> Path:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(self.folder, 0o700)  # (also one an earlier version made world-readable)
        return self.folder

    def put(self, pid: str, record: dict) -> None:
        atomic_write(self._open() / f"{pid}.json", orjson.dumps(record), mode=0o600)

    def get(self, pid: str) -> dict | None:
        path = self._open() / f"{pid}.json"
        try:
            return orjson.loads(path.read_bytes())
        except FileNotFoundError:
            return None

    def drop(self, pid: str) -> None:
        (self._open() / f"{pid}.json").unlink(missing_ok=True)

    def expire(self, before: float) -> None:
        for old in self._open().glob("*.json"):
            try:
                if old.stat().st_mtime < before:
                    old.unlink(missing_ok=True)
            except FileNotFoundError:  # another worker expired it first
                continue
