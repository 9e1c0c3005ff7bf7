"""Settings from a TOML file named by GUATU_CONFIG (e.g. /etc/guatu.toml).

Each key maps to the GUATU_* setting of the same name (`database_url` →
GUATU_DATABASE_URL; keys already written GUATU_… are taken as they are), at
the top level or in a `[guatu]` table. Relative paths in `data` and
`instance` are taken from the file's folder. Order of precedence: built-in
defaults < this file < environment variables < a test's configuration.

    # /etc/guatu.toml
    data = "/srv/guatu/erqi"
    database_url = "postgresql://guatu@db.intranet/guatu"
    database_schema = "erqi"
    workers = 4
    log_format = "json"
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from flask import Flask

_PATHS = ("GUATU_DATA", "GUATU_INSTANCE")


def from_file(app: Flask, path: str | Path | None) -> Path | None:
    """Load the file into app.config; returns its path (None when no file is configured)."""
    if not path:
        return None
    path = Path(path).expanduser()
    try:
        with open(path, "rb") as fh:
            doc = tomllib.load(fh)
    except FileNotFoundError:
        raise RuntimeError(f"GUATU_CONFIG names {path}, which does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise RuntimeError(f"GUATU_CONFIG {path}: not valid TOML ({exc})") from None
    table = doc.pop("guatu", {})
    if not isinstance(table, dict):
        raise RuntimeError(f"GUATU_CONFIG {path}: [guatu] must be a table")
    for key, value in {**doc, **table}.items():
        if isinstance(value, dict):
            raise RuntimeError(f"GUATU_CONFIG {path}: unknown table [{key}]")
        name = key.upper()
        if not name.startswith("GUATU_"):
            name = "GUATU_" + name
        if name in _PATHS and isinstance(value, str) and not Path(value).is_absolute():
            value = str((path.parent / value).resolve())
        app.config[name] = value
    if app.config.get("GUATU_SECRET_KEY"):
        app.config["SECRET_KEY"] = app.config["GUATU_SECRET_KEY"]
    return path
