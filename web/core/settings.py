"""Settings from a TOML file named by GUATU_CONFIG (e.g. /etc/guatu.toml).

Each key maps to the GUATU_* setting of the same name (`database_url` →
GUATU_DATABASE_URL; keys already written GUATU_… are taken as they are), at
the top level or in a `[guatu]` table. Relative paths in `data` and
`instance` are taken from the file's folder. Order of precedence: built-in
defaults < this file < environment variables < a test's configuration.

Every setting is listed in `SETTINGS`. A key of the file that is not one of
them stops the start-up with a message naming it and the nearest known one
(`databse_url` → database_url); an environment variable GUATU_… that is not
one of them (nor a basemap's `key_env`, nor GUATU_TEST_…/GUATU_BENCH_… of the
tests and benchmarks) is logged as a warning, also printed by `flask --app
web …` commands, with a suggestion.

    # /etc/guatu.toml
    data = "/srv/guatu/erqi"
    database_url = "postgresql://guatu@db.intranet/guatu"
    database_schema = "erqi"
    workers = 4
    log_format = "json"
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from flask import Flask

from geo.config import Campaign, nearest
from geo.messages import t

_PATHS = ("GUATU_DATA", "GUATU_INSTANCE")
PREFIX = "GUATU_"
# Every GUATU_* setting (README, "Configuration"); the file may hold all but GUATU_CONFIG.
SETTINGS = frozenset({
    "GUATU_DATA", "GUATU_INSTANCE", "GUATU_CONFIG", "GUATU_PUBLIC_VIEW", "GUATU_REFRESH_SECONDS",
    "GUATU_DATABASE_URL", "GUATU_DATABASE_SCHEMA", "GUATU_DATABASE_POOL", "GUATU_LOG_FORMAT", "GUATU_LOG_LEVEL",
    "GUATU_ACCESS_LOG", "GUATU_HTTPS", "GUATU_SECRET_KEY", "GUATU_BIND", "GUATU_WORKERS", "GUATU_FONT_CACHE",
    "GUATU_LOGIN_LIMIT_IP", "GUATU_LOGIN_LIMIT_ACCOUNT",
})
FILE_SETTINGS = SETTINGS - {"GUATU_CONFIG"}
TOOLING_PREFIXES = ("GUATU_TEST_", "GUATU_BENCH_")  # the tests' and benchmarks' own variables
TABLE = "guatu"


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
    table = doc.pop(TABLE, {})
    if not isinstance(table, dict):
        raise RuntimeError(f"GUATU_CONFIG {path}: [guatu] must be a table")
    items = {**doc, **table}
    unknown = [_file_key_problem(path, key, value) for key, value in items.items()
               if isinstance(value, dict) or setting_name(key) not in FILE_SETTINGS]
    if unknown:
        raise RuntimeError("\n".join(unknown))
    for key, value in items.items():
        name = setting_name(key)
        if name in _PATHS and isinstance(value, str) and not Path(value).is_absolute():
            value = str((path.parent / value).resolve())
        app.config[name] = value
    if app.config.get("GUATU_SECRET_KEY"):
        app.config["SECRET_KEY"] = app.config["GUATU_SECRET_KEY"]
    return path


def setting_name(key: str) -> str:
    """The GUATU_* name of a key of the file: `database_url` and `GUATU_DATABASE_URL` → GUATU_DATABASE_URL."""
    name = key.upper()
    return name if name.startswith(PREFIX) else PREFIX + name


def _file_key_problem(path: Path, key: str, value: object) -> str:
    """A key of the file that is no setting, with the nearest known one written the way the file writes keys."""
    if isinstance(value, dict):
        shown, known = f"[{key}]", [f"[{TABLE}]"]
    elif key.upper().startswith(PREFIX):
        shown, known = key, [n if key.isupper() else n.lower() for n in FILE_SETTINGS]
    else:
        shown, known = key, [n[len(PREFIX):].lower() for n in FILE_SETTINGS]
    suggestion = nearest(shown, known)
    if suggestion is None:
        return t("config.file_unknown_key", path=path, key=shown)
    return t("config.file_unknown_key_suggest", path=path, key=shown, suggestion=suggestion)


@dataclass(frozen=True)
class UnknownVariable:
    """An environment variable that looks like a setting and is none: `name`, and the nearest setting."""

    name: str
    suggestion: str | None

    def text(self, lang: str = "zh") -> str:
        if self.suggestion is None:
            return t("config.unknown_env", lang=lang, name=self.name)
        return t("config.unknown_env_suggest", lang=lang, name=self.name, suggestion=self.suggestion)


def unknown_variables(environ: Mapping[str, str], campaign: Campaign) -> list[UnknownVariable]:
    """The GUATU_* variables of `environ` that no part of Guatu reads (typos, most likely)."""
    known = SETTINGS | {b.key_env for b in campaign.map.basemaps if b.key_env}
    return [UnknownVariable(name, nearest(name, known)) for name in sorted(environ)
            if name.startswith(PREFIX) and name not in known and not name.startswith(TOOLING_PREFIXES)]
