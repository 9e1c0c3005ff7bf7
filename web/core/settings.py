"""The server's settings: one pydantic model (`Settings`) with every GUATU_* setting's type, range, default and
meaning, read from the environment and a TOML file named by GUATU_CONFIG (e.g. /etc/guatu.toml).

Each key of the file maps to the GUATU_* setting of the same name (`database_url` →
GUATU_DATABASE_URL; keys already written GUATU_… are taken as they are), at
the top level or in a `[guatu]` table. Relative paths in `data` and
`instance` are taken from the file's folder. Order of precedence: built-in
defaults < this file < environment variables < a test's configuration.

A key of the file that is not a setting stops the start-up with a message
naming it and the nearest known one (`databse_url` → database_url); a value
of the wrong type or out of range stops it too, every problem listed at once
in Chinese. An environment variable GUATU_… that is not a setting (nor a
basemap's `key_env`, nor GUATU_TEST_…/GUATU_BENCH_… of the tests and
benchmarks) is logged as a warning, also printed by `flask --app web …`
commands, with a suggestion.

    # /etc/guatu.toml
    data = "/srv/guatu/erqi"
    database_url = "postgresql://guatu@db.intranet/guatu"
    database_schema = "erqi"
    workers = 4
    log_format = "json"

Views read the typed values with `get_settings().refresh_seconds`; `flask --app
web settings` prints the README's table of settings from the model.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

import click
from flask import Flask, current_app
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from geo.campaigns import CampaignSource, campaign_source
from geo.config import Campaign, load_campaign, nearest
from geo.errors import ConfigError
from geo.messages import t
from geo.parsing import BoolRefused, parse_bool
from geo.photos.blobs import Blobs, S3Blobs
from web.core.cached import CACHE_MB

PREFIX = "GUATU_"
TOOLING_PREFIXES = ("GUATU_TEST_", "GUATU_BENCH_")  # the tests' and benchmarks' own variables
TABLE = "guatu"
EXTENSION = "guatu_settings"  # app.extensions[EXTENSION]: the app's Settings
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "data"
_PATHS = ("data", "instance")  # relative in the file: from the file's folder
_PATH_LISTS = ("campaigns",)  # the same, for each path of a list
_ENV_ONLY = ("config",)  # names the file itself


def _setting(default: Any, meaning: str, *, shown: str | None = None, **limits: Any) -> Any:
    """A field with its README line: `meaning`, and `shown` when the default needs words rather than a value."""
    extra = {"default_text": shown} if shown is not None else None
    return Field(default, description=meaning, json_schema_extra=extra, **limits)


class Settings(BaseModel):
    """Every GUATU_* setting (README, "Configuration"), in the order the README lists them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    data: Path = _setting(
        DEFAULT_DATA, "the campaign's data directory",
        shown="`./guatu serve`: `instance/demo/`, the demo's working copy (above); `flask --app web …`: `data/` of "
              "this checkout")
    bind: str = _setting("127.0.0.1:5000", "address `./guatu serve` listens on (`0.0.0.0:5000` for the whole "
                                           "intranet); read from the environment only")
    workers: int = _setting(2, "server processes; they share the data safely; read by `./guatu serve` from the "
                               "environment only", ge=1, le=64)
    refresh_seconds: float = _setting(4, "how often open wall maps ask for changes (`0`: never); a change shows "
                                         "within this plus one round trip", ge=0, le=3600)
    script_bundles: bool = _setting(
        True, "the map pages and the phone pages load their scripts as one bundle each, built by `./guatu setup` "
              "(`false`: the modules "
              "one by one, as they are in `web/static/js`, to debug a script); a bundle older than the scripts is "
              "never served", shown="`true`")
    compact_changes: int = _setting(
        1000, "without `GUATU_DATABASE_URL`: a save appends to the journal only; a layer file is written whole once "
              "this many of its changes are in the journal only (see docs/data-integrity.md)", ge=1, le=1_000_000)
    compact_seconds: float = _setting(
        300, "…or once the oldest of them is this many seconds old (checked at a save; also on shutdown and before "
             "a backup)", ge=0, le=86400)
    database_url: str | None = _setting(
        None, "a PostgreSQL/PostGIS database (`postgresql://user@host/db`): the campaign's places and journal live "
              "there instead of in `GUATU_DATA`'s files (see Production)")
    database_schema: str = _setting("guatu", "the campaign's schema in that database: one schema per campaign",
                                    min_length=1, max_length=63)
    database_pool: int = _setting(10, "database connections per server process", ge=1, le=1000)
    database_layer_cache: int = _setting(
        200_000, "with `GUATU_DATABASE_URL`: a layer of at most this many places is kept in each server process for "
                 "the wall's and the dashboard's whole-layer reads; a larger one is read from the database when they "
                 "ask, 2,000 rows at a time, and never kept (`0`: none kept). Items, counts, filters and map boxes "
                 "are answered in SQL whatever the size", ge=0)
    cache_mb: int = _setting(
        CACHE_MB, "megabytes of answers each server process keeps ready to send (states, shapes, viewports, tiles, "
             "dashboards), all its caches together; the answer used longest ago goes first", ge=8, le=65536)
    photos_bucket: str | None = _setting(
        None, "with `GUATU_DATABASE_URL`: keep the photos' files in this bucket of an S3-compatible object store "
              "instead of the database's table `photo_blobs` (see docs/photos.md)")
    photos_endpoint: str | None = _setting(None, "the object store's endpoint URL (`https://s3.intranet:9000`); "
                                                    "unset: Amazon S3's")
    photos_prefix: str = _setting("", "the photos' key prefix in the bucket (`erqi/`)", shown="none")
    photos_region: str | None = _setting(None, "the object store's region, where it asks for one")
    photos_access_key: str | None = _setting(None, "the object store's access key; unset: boto3's own search "
                                                      "(`AWS_ACCESS_KEY_ID`, its files)")
    photos_secret_key: str | None = _setting(None, "the object store's secret key; unset: boto3's own search")
    config: Path | None = _setting(None, "a TOML file of these settings (see Production); environment variables "
                                         "win over it")
    log_format: Literal["text", "json"] = _setting(
        "text", "`json`: one JSON object per log line (time, level, logger, pid — which worker —, message, request_id, "
                "method, path, status, duration_ms)")
    log_level: Literal["DEBUG", "INFO", "WARNING", "WARN", "ERROR", "CRITICAL", "FATAL", "NOTSET"] = _setting(
        "INFO", "`DEBUG`, `INFO`, `WARNING`, `ERROR` or `CRITICAL`")
    access_log: bool | None = _setting(None, "one log line per request; unset: on with `GUATU_LOG_FORMAT=json`",
                                       shown="unset")
    public_view: bool = _setting(False, "anyone who reaches the server may look, read-only",
                                 shown="unset (`true` for the demo)")
    https: bool = _setting(False, "`true` when a reverse proxy serves Guatu over HTTPS: `Secure` cookies, HSTS, the "
                                  "proxy's `X-Forwarded-Proto`/`-Host` trusted", shown="unset")
    secret_key: str | None = _setting(
        None, "the key that signs login sessions; unset: made once and kept in the database's table `app_keys` with "
              "`GUATU_DATABASE_URL` (shared by every instance), else in `GUATU_INSTANCE` (`secret_key`)")
    instance: Path | None = _setting(
        None, "accounts (`accounts.json`), the session key (`secret_key`), import previews (`imports/`) — all three in "
              "the database instead with `GUATU_DATABASE_URL` — and the demo's working copy (`demo/`) and local caches; "
              "kept private (folder 0700, files 0600)", shown="`instance/` of this checkout")
    min_free_mb: float | None = _setting(
        None, "`/api/health` reports `disk_low` (and every screen's banner warns) when free space on the disk of "
              "`GUATU_DATA` or `GUATU_INSTANCE` is below this many megabytes; `min_free_mb = 2048` in the "
              "`GUATU_CONFIG` file", shown="1024, or 5 % of a disk smaller than 20 GB", ge=0)
    login_limit_ip: str = _setting("30 per 10 minutes", "password checks (login form, HTTP Basic, \"current "
                                                        "password\") per client address")
    login_limit_account: str = _setting("5 per 15 minutes", "password checks per client address and user name")
    report_limit_ip: str = _setting("20 per hour", "residents' reports (随手拍, `/report`) taken from one client address "
                                                 "(their photos: as many times more as a report may carry)")
    report_limit_device: str = _setting("6 per hour", "residents' reports taken from one phone (the page's device id; "
                                                      "photos: as many times more as a report may carry)")
    report_challenge_bits: int = _setting(16, "the proof of work a report's page pays before sending: leading zero bits "
                                              "of a SHA-256 (about 2^bits hashes on the phone)", ge=8, le=26)
    font_cache: Path | None = _setting(None, "where printed maps keep their converted font subsets; read from the "
                                             "environment only", shown="the user's cache folder")
    photo_max_mb: float = _setting(15, "the largest photo an upload may send, in megabytes (a larger one is refused "
                                       "with 413 before it is read)", ge=1, le=200)
    photo_keep_location: bool = _setting(False, "`true`: the full-size image of a photo uploaded from now on keeps the "
                                                "camera's EXIF, GPS position included; unset: every image served is "
                                                "written without it (the photo's entry keeps the position as data "
                                                "either way)", shown="unset")
    campaigns: tuple[CampaignSource, ...] = _setting(
        (), "other campaigns summarised, read-only, on `/campaigns` beside this one (and linked from the pages' "
            "navigation): each a data directory, its places in its embedded store — separated by `:` in the "
            "environment, a list in the `GUATU_CONFIG` file (`campaigns = [\"/srv/guatu/jinshui\"]`); a campaign "
            "kept in PostgreSQL is a table naming its directory (campaign.json), database and schema: in the file "
            "`{ data = \"/srv/guatu/zhongyuan\", database_url = \"postgresql://…\", schema = \"zhongyuan\" }`, in "
            "the environment a JSON list of directories and such objects (`[\"/srv/a\", {\"data\": \"/srv/b\", "
            "\"database_url\": \"postgresql://…\", \"schema\": \"b\"}]`)", shown="none")
    notify_sender: bool = _setting(True, "every server process runs the notifications' sender; one at a time sends "
                                         "(docs/notifications.md); `false`: none does (run `flask --app web notify "
                                         "run` instead)", shown="`true`")
    notify_interval: float = _setting(10, "seconds between two rounds of the notifications' sender", ge=1, le=3600)
    notify_timeout: float = _setting(5, "seconds a robot, webhook or mail server has to answer one attempt",
                                     ge=0.5, le=60)
    notify_attempts: int = _setting(8, "attempts of a notification (30 s, 1 min, 2 min, … apart) before it is "
                                       "marked failed for an admin to retry", ge=1, le=30)
    notify_base_url: str | None = _setting(None, "the address people open Guatu at (`http://guatu.intranet`), "
                                                 "for the links in robots' messages and email; unset: no links")
    smtp_host: str | None = _setting(None, "the mail server notifications' email goes through; unset: no email")
    smtp_port: int = _setting(25, "the mail server's port", ge=1, le=65535)
    smtp_starttls: bool = _setting(False, "`true`: STARTTLS before sending", shown="unset")
    smtp_user: str | None = _setting(None, "the mail server's login, when it asks for one")
    smtp_password: str | None = _setting(None, "that login's password")
    smtp_from: str = _setting("guatu@localhost", "the sender address of notifications' email")

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: Any, info) -> Any:
        """`GUATU_DATABASE_URL=""` is no database, `GUATU_DATABASE_POOL=""` the default: as if it were not there."""
        if isinstance(value, str) and not value.strip():
            return cls.model_fields[info.field_name].default
        return value

    @field_validator("access_log", "public_view", "script_bundles", "https", "photo_keep_location", "notify_sender", "smtp_starttls",
                     mode="before")
    @classmethod
    def _switch(cls, value: Any) -> Any:
        """Switches are read by the one boolean reader (geo/parsing.py): true/false, 1/0, yes/no, on/off."""
        if not isinstance(value, str) or not value.strip():
            return value
        try:
            return parse_bool(value)
        except BoolRefused:
            raise PydanticCustomError("bool_parsing", "bool_parsing") from None  # worded by _PROBLEMS

    @field_validator("campaigns", mode="before")
    @classmethod
    def _folders(cls, value: Any) -> Any:
        """`/srv/a:/srv/b` from the environment is two directories; a JSON list (`[…]`) may also name campaigns
        kept in PostgreSQL (geo/campaigns.py `campaign_source`)."""
        if isinstance(value, str):
            if value.lstrip().startswith("["):
                try:
                    value = json.loads(value)
                except json.JSONDecodeError as exc:
                    raise PydanticCustomError("campaign_source", "{reason}",
                                              {"reason": t("campaigns.source_json", detail=exc.msg)}) from None
            else:
                value = [part for part in value.split(os.pathsep) if part.strip()]
        if not isinstance(value, (list, tuple)):
            value = [value]
        try:
            return tuple(campaign_source(entry) for entry in value)
        except ValueError as exc:
            raise PydanticCustomError("campaign_source", "{reason}", {"reason": str(exc)}) from None

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.lower() if isinstance(value, str) else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @field_validator("login_limit_ip", "login_limit_account", "report_limit_ip", "report_limit_device")
    @classmethod
    def _rate(cls, value: str) -> str:
        from limits import parse

        try:
            parse(value)
        except ValueError:
            raise PydanticCustomError("rate", "{text}", {"text": t("settings.bad_rate", value=repr(value))}) from None
        return value

    def config_values(self) -> dict[str, Any]:
        """The settings as GUATU_* entries of app.config (paths as text), for code that still reads them there."""
        return {env_name(name): str(value) if isinstance(value, Path) else value
                for name, value in self.model_dump().items()}


# never repeated in a message (a URL, a campaign's database URL, may hold a password)
_SECRET = frozenset({"secret_key", "database_url", "photos_secret_key", "smtp_password", "campaigns"})
NAMES = tuple(Settings.model_fields)
SETTINGS = frozenset(PREFIX + name.upper() for name in NAMES)  # every GUATU_* setting
FILE_SETTINGS = SETTINGS - {PREFIX + name.upper() for name in _ENV_ONLY}


def env_name(name: str) -> str:
    """`refresh_seconds` → GUATU_REFRESH_SECONDS."""
    return PREFIX + name.upper()


class SettingsError(RuntimeError):
    """The server's settings are unusable: every problem, one per line, in Chinese."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems

    def report(self) -> str:
        """The problems under a heading that says how many there are (what a refused start prints)."""
        lines = "\n  - ".join(self.problems)
        return t("settings.invalid", count=len(self.problems)) + f"\n  - {lines}"


class StartRefused(click.ClickException):
    """Ends a `flask --app web …` command whose configuration cannot be used: its Chinese list only, status 1."""

    def show(self, file: Any = None) -> None:
        click.echo(self.format_message(), err=True)


def load(environ: Mapping[str, str], overrides: Mapping[str, Any] | None = None) -> Settings:
    """The settings from the GUATU_CONFIG file, then the environment, then `overrides` (a test's GUATU_* values);
    raises SettingsError listing every problem."""
    overrides = dict(overrides or {})
    sources: dict[str, str] = {}
    values: dict[str, Any] = {}
    config_path = overrides.get("GUATU_CONFIG") or environ.get("GUATU_CONFIG")
    path = Path(str(config_path)).expanduser() if config_path else None
    if path is not None:
        for name, value in _read_file(path).items():
            values[name], sources[name] = value, t("settings.source_file", path=path)
    for name in NAMES:
        if env_name(name) in environ:
            values[name], sources[name] = environ[env_name(name)], t("settings.source_env")
        if env_name(name) in overrides:
            values[name], sources[name] = overrides[env_name(name)], t("settings.source_app")
    try:
        return Settings(**values)
    except ValidationError as exc:
        raise SettingsError([_problem(e, values, sources) for e in exc.errors()]) from None


def _read_file(path: Path) -> dict[str, Any]:
    """The settings a TOML file holds, by field name; relative paths from the file's folder."""
    try:
        with open(path, "rb") as fh:
            doc = tomllib.load(fh)
    except FileNotFoundError:
        raise SettingsError([t("settings.file_missing", path=path)]) from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError([t("settings.file_not_toml", path=path, detail=exc)]) from None
    table = doc.pop(TABLE, {})
    if not isinstance(table, dict):
        raise SettingsError([t("settings.file_table", path=path)])
    items = {**doc, **table}
    unknown = [_file_key_problem(path, key, value) for key, value in items.items()
               if isinstance(value, dict) or setting_name(key) not in FILE_SETTINGS]
    if unknown:
        raise SettingsError(unknown)
    out = {}
    for key, value in items.items():
        name = setting_name(key)[len(PREFIX):].lower()
        if name in _PATHS and isinstance(value, str) and value and not Path(value).is_absolute():
            value = str((path.parent / value).resolve())
        if name in _PATH_LISTS and isinstance(value, list):
            value = [_from_file(path, v) for v in value]
        out[name] = value
    return out


def _from_file(path: Path, value: Any) -> Any:
    """A path of a list in the file (or a table's `data`, a campaign in PostgreSQL) from the file's folder."""
    def resolved(v: Any) -> Any:
        return str((path.parent / v).resolve()) if isinstance(v, str) and v and not Path(v).is_absolute() else v

    return {**value, "data": resolved(value.get("data"))} if isinstance(value, dict) else resolved(value)


_PROBLEMS = {  # pydantic's error types → the catalogue's words
    "int_type": "settings.expected_integer", "int_parsing": "settings.expected_integer",
    "int_from_float": "settings.expected_integer",
    "float_type": "settings.expected_number", "float_parsing": "settings.expected_number",
    "bool_type": "settings.expected_boolean", "bool_parsing": "settings.expected_boolean",
    "string_type": "settings.expected_text", "path_type": "settings.expected_text",
    "greater_than_equal": "settings.at_least", "less_than_equal": "settings.at_most",
    "string_too_short": "settings.too_short", "string_too_long": "settings.too_long",
    "literal_error": "settings.one_of", "rate": "settings.bad_rate",
}


def _problem(error: Mapping[str, Any], values: Mapping[str, Any], sources: Mapping[str, str]) -> str:
    """One pydantic error as a line naming the setting, where its value came from and what is wrong."""
    name = str(error["loc"][0])
    ctx = error.get("ctx") or {}
    value = "…" if name in _SECRET else repr(values.get(name))
    if error["type"] == "campaign_source":  # geo/campaigns.py said what is wrong with an entry, in Chinese
        return t("settings.bad_value", name=env_name(name), source=sources.get(name, ""), problem=ctx["reason"])
    key = _PROBLEMS.get(error["type"], "settings.bad")
    problem = t(key, value=value, limit=ctx.get("ge", ctx.get("le", ctx.get("min_length", ctx.get(
        "max_length", "")))), choices="、".join(map(str, get_args(Settings.model_fields[name].annotation))))
    return t("settings.bad_value", name=env_name(name), source=sources.get(name, ""), problem=problem)


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


def refusal(environ: Mapping[str, str]) -> str | None:
    """What stops a server with this environment from starting (its settings, then its campaign.json), as the
    Chinese list a refused start prints; None when both can be used. gunicorn asks before it starts workers."""
    try:
        load_campaign(load(environ).data.resolve())
    except SettingsError as exc:
        return exc.report()
    except ConfigError as exc:
        return str(exc)
    return None


def install(app: Flask, settings: Settings) -> None:
    """The app's settings on app.extensions (and, as GUATU_* entries, in app.config)."""
    app.extensions[EXTENSION] = settings
    app.config.update(settings.config_values())
    if settings.secret_key:
        app.config["SECRET_KEY"] = settings.secret_key


def get_settings(app: Flask | None = None) -> Settings:
    """The typed settings of `app` (default: the current app)."""
    return (app or current_app).extensions[EXTENSION]


def photo_blobs(conf: Settings) -> Blobs | None:
    """The object store the settings name for the photos' files (GUATU_PHOTOS_*), or None: the store's own."""
    if not conf.photos_bucket:
        return None
    return S3Blobs(conf.photos_bucket, endpoint_url=conf.photos_endpoint, prefix=conf.photos_prefix,
                   region=conf.photos_region, access_key=conf.photos_access_key,
                   secret_key=conf.photos_secret_key)


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


# --- documentation --------------------------------------------------------------------------------------------

def _default_text(name: str) -> str:
    f = Settings.model_fields[name]
    shown = (f.json_schema_extra or {}).get("default_text")
    if shown is not None:
        return str(shown)
    if f.default is None:
        return "unset"
    value = f.default
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"`{value}`"


def markdown_table() -> str:
    """README's table of settings (section "Configuration"), made from the model."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for name, f in Settings.model_fields.items():
        rows.append(f"| `{env_name(name)}` | {_default_text(name)} | {f.description} |")
    return "\n".join(rows) + "\n"


@click.command("settings")
def settings_command() -> None:
    """Print the table of GUATU_* settings (README, "Configuration") from their schema."""
    click.echo(markdown_table(), nl=False)
