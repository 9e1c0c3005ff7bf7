"""Moving the demo in time by whole days, so a working copy made on any day shows a campaign whose "today" is
that day: its cases due, overdue and escalated as they were on the demo's own day, not a campaign that stopped
weeks ago with every case long overdue.

Every day (`YYYY-MM-DD`) and instant (`YYYY-MM-DDThh:mm…`) in the places' properties moves, and so do the
campaign's milestones; the working calendar's holidays and extra working days are dates of the real calendar
and stay.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path

from geo.geojson_io import atomic_write

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def shifted(value: object, days: int) -> object:
    """`value` (a JSON value) with every day and instant in it `days` later; other values as they are."""
    if days == 0:
        return value
    if isinstance(value, dict):
        return {k: shifted(v, days) for k, v in value.items()}
    if isinstance(value, list):
        return [shifted(v, days) for v in value]
    if isinstance(value, str):
        if _DAY.match(value):
            return (date.fromisoformat(value) + timedelta(days=days)).isoformat()
        if _INSTANT.match(value):
            try:
                moved = datetime.fromisoformat(value) + timedelta(days=days)
            except ValueError:
                return value
            text = moved.isoformat()
            return text.replace("+00:00", "Z") if value.endswith("Z") else text
    return value


def shift_milestones(data_dir: Path, days: int) -> None:
    """The campaign file's milestones `days` later (written whole; nothing else in the file changes)."""
    path = Path(data_dir) / "campaign.json"
    config = json.loads(path.read_text(encoding="utf-8"))
    if days == 0 or not config.get("milestones"):
        return
    config["milestones"] = [{**m, "date": shifted(m["date"], days)} for m in config["milestones"]]
    atomic_write(path, (json.dumps(config, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
