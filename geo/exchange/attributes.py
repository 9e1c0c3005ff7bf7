"""Attribute mapping between other people's files and Guatu's properties.

Import: columns are matched to Guatu's property names by their own name or a
common Chinese one (名称 → name, 状态 → status, 时间节点 → deadline, …, see
`ALIASES`); values are normalised (a status given by its label 已整改 becomes
`rectified`, dates written 2026/11/30 or 2026年11月30日 become 2026-11-30,
`people` and `problems` written as JSON text are parsed). Columns that match
nothing are kept as extra attributes. What cannot be understood is left as it
is, so that `geo.validate` rejects it with its usual message.

Export: features are flattened to one row of scalar columns (`people` and
`problems` as JSON text), and for Shapefiles long column names are shortened
to the DBF limit of 10 bytes (`dbf_names`).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from geo.config import Campaign
from geo.errors import FieldError
from geo.labels import field_label
from geo.messages import t

# Guatu property → column names that mean it (compared without case and spaces).
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "编号", "点位编号"),
    "name": ("name", "名称", "名字", "点位名称", "楼院名称", "小区名称", "道路名称", "村名"),
    "kind": ("kind", "类型", "点位类型", "种类"),
    "street": ("street", "街道", "所属街道", "街道办", "街道办事处"),
    "community": ("community", "社区", "所属社区", "社区/村", "村/社区"),
    "status": ("status", "状态", "整改状态", "点位状态"),
    "deadline": ("deadline", "时间节点", "截止日期", "截止时间", "完成时限", "整改时限"),
    "unit": ("unit", "责任单位"),
    "notes": ("notes", "备注", "说明"),
    "people": ("people", "四包一"),
    "problems": ("problems", "台账"),
    "version": ("version", "版本"),
}
TEXT_FIELDS = ("name", "kind", "street", "community", "unit", "notes")
# Written by Guatu or by the KML driver; never data to import. A place's photos are added through the photo API
# only (geo/photos): an import keeps the place's photos as they are and a new place starts with none.
IGNORED = {"updated_at", "updated_by", "ogr_style", "photos"}
KML_HOUSEKEEPING = {"timestamp", "begin", "end", "altitudemode", "tessellate", "extrude", "visibility",
                    "draworder", "icon", "snippet"}
EXPORT_COLUMNS = ("id", "name", "kind", "street", "community", "status", "deadline", "unit", "people", "notes",
                  "problems", "version", "updated_at", "updated_by")
NOT_FLAT = ("photos",)  # a list of photo entries: GeoJSON exports carry it, a table's column cannot
DBF_NAME_BYTES = 10
DBF_TEXT_BYTES = 254

_SPACE = re.compile(r"\s+")
_DATE_PARTS = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DATE_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class Incoming:
    """One feature read from a file, in Guatu's terms, before it is checked against the layer.

    `properties` replace the current values; `geometry` None keeps the current
    geometry of an existing place. `people_patch` (role → name, "" clears) and
    `problem_patches` (ledger entries by id) are merged into the current ones.
    """

    where: str
    id: str | None = None
    properties: dict[str, Any] = field(default_factory=dict)
    geometry: dict | None = None
    people_patch: dict[str, str] | None = None
    problem_patches: list[dict] | None = None
    status_votes: list[tuple[str, str]] = field(default_factory=list)  # (status key, where it was read)
    file_version: int | None = None
    cut_text: bool = False  # from a DBF, where text is cut at 254 bytes
    errors: list[FieldError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    nested: list[str] = field(default_factory=list)  # extra columns whose array/object value was turned into text


def norm(name: str) -> str:
    return _SPACE.sub("", str(name)).lower()


# --- values -----------------------------------------------------------------

def status_key(value: Any, campaign: Campaign) -> Any:
    """A place status given by key or by label (已整改 → rectified); anything else unchanged."""
    return _by_key_or_label(value, [(s.key, s.label) for s in campaign.statuses])


def problem_status_key(value: Any, campaign: Campaign) -> Any:
    """A ledger entry status given by key or by label (已销号 → closed); anything else unchanged."""
    return _by_key_or_label(value, [(p.key, p.label) for p in campaign.problem_statuses])


def _by_key_or_label(value: Any, pairs: list[tuple[str, str]]) -> Any:
    if not isinstance(value, str):
        return value
    text = value.strip()
    for key, label in pairs:
        if text.lower() == key or text == label:
            return key
    return text


def as_date(value: Any) -> Any:
    """A date in ISO form (2026-11-30) from a date, a datetime or a common written form."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str):
        return value
    if _DATE_ISO.match(value):
        return value  # the common case; geo.validate checks that it is a real date
    text = value.strip()
    match = _DATE_PARTS.match(text) or _DATE_COMPACT.match(text)
    if not match:
        return text
    y, m, d = (int(g) for g in match.groups())
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return text


def as_text(value: Any) -> Any:
    """Text from a text cell, or from a number a spreadsheet made of it (12.0 → "12")."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return value.strip()
    return value


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (isinstance(value, float) and math.isnan(value))


def is_nested(value: Any) -> bool:
    """An array or an object (DataV's `center: [lon, lat]`, `parent: {"adcode": …}`): not a column's value."""
    return isinstance(value, (list, tuple, dict))


def nested_text(value: Any) -> str:
    """An array of plain values as "a,b,c" ([113.63, 34.72] → "113.63,34.72"); anything deeper as compact JSON."""
    if isinstance(value, (list, tuple)) and all(isinstance(v, (str, int, float, bool)) for v in value):
        return ",".join(_plain(v) for v in value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _plain(value: str | int | float | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def as_json(value: Any, name: str, where: str) -> tuple[Any, FieldError | None]:
    if not isinstance(value, str):
        return value, None
    try:
        return json.loads(value), None
    except ValueError as exc:
        return None, FieldError(name, t("import.attribute_not_json", detail=exc.msg, position=exc.pos), where)


def as_int(value: Any) -> int | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if math.isfinite(number) and number.is_integer() else None


# --- columns ----------------------------------------------------------------

@dataclass
class ColumnPlan:
    """Where each column of a source goes: ("field", name), ("role", key), ("extra", name) or ("ignore", "")."""

    targets: dict[str, tuple[str, str]]
    warnings: list[str] = field(default_factory=list)


def plan_columns(columns: list[str], campaign: Campaign, *, kml: bool = False, dbf: bool = False) -> ColumnPlan:
    lookup: dict[str, tuple[str, str]] = {}
    for prop, names in ALIASES.items():
        for n in names:
            lookup[norm(n)] = ("field", prop)
    for role in campaign.roles:
        for n in (role.key, role.label, f"people.{role.key}", f"people_{role.key}"):
            lookup.setdefault(norm(n), ("role", role.key))

    targets: dict[str, tuple[str, str]] = {}
    taken: dict[tuple[str, str], str] = {}
    warnings: list[str] = []
    names = [norm(c) for c in columns]
    for column, key in zip(columns, names):
        target = lookup.get(key)
        if target is None and dbf and len(key.encode("utf-8")) >= 8:
            # A DBF keeps 10 bytes of a name: 时间节点 in UTF-8 comes back as 时间节.
            longer = {t for n, t in lookup.items() if n.startswith(key) and len(n) > len(key)}
            target = longer.pop() if len(longer) == 1 else None
        if key in IGNORED or (kml and key in KML_HOUSEKEEPING):
            target = ("ignore", "")
        elif kml and key == "description":
            target = ("ignore", "") if "notes" in names or "备注" in names else ("field", "notes")
        if target is None:
            targets[column] = ("extra", str(column).strip())
            continue
        if target[0] != "ignore" and target in taken:
            # The column named exactly like Guatu's property wins over an alias.
            other = taken[target]
            keep, drop = (column, other) if key == target[1] else (other, column)
            warnings.append(t("import.columns_same", first=other, second=column, field=field_label(target[1]), kept=keep,
                              dropped=drop))
            targets[drop] = ("ignore", "")
            targets[keep] = target
            taken[target] = keep
            continue
        targets[column] = target
        if target[0] != "ignore":
            taken[target] = column
    return ColumnPlan(targets, warnings)


def map_row(row: dict[str, Any], plan: ColumnPlan, campaign: Campaign, where: str) -> Incoming:
    """One source row as an `Incoming` feature (geometry is added by the caller)."""
    item = Incoming(where=where)
    for column, value in row.items():
        kind, name = plan.targets.get(column, ("extra", column))
        if kind == "ignore":
            continue
        if kind == "role":
            if not is_blank(value):
                item.people_patch = item.people_patch or {}
                item.people_patch[name] = as_text(value)
            continue
        if kind == "extra":
            if is_nested(value):
                item.nested.append(name)
                if nested_text(value):
                    item.properties[name] = nested_text(value)
            elif not is_blank(value):
                item.properties[name] = value.strip() if isinstance(value, str) else value
            continue
        if name == "id":
            item.id = None if is_blank(value) else as_text(value)
        elif name == "version":
            item.file_version = as_int(value)
        elif name in ("people", "problems"):
            if is_blank(value):
                continue  # not given: the current people / ledger are kept
            parsed, error = as_json(value, name, where)
            if error:
                item.errors.append(error)
            else:
                item.properties[name] = parsed
        elif name == "status":
            item.properties["status"] = None if is_blank(value) else status_key(value, campaign)
        elif name == "deadline":
            item.properties["deadline"] = None if is_blank(value) else as_date(value)
        else:
            item.properties[name] = None if value is None else as_text(value)
    if isinstance(item.properties.get("problems"), list):
        item.properties["problems"] = [_problem_values(p, campaign) for p in item.properties["problems"]]
    return item


def _problem_values(problem: Any, campaign: Campaign) -> Any:
    if not isinstance(problem, dict):
        return problem
    out = dict(problem)
    if "status" in out:
        out["status"] = problem_status_key(out["status"], campaign)
    for key in ("found_on", "deadline", "closed_on"):
        if key in out:
            out[key] = None if is_blank(out[key]) else as_date(out[key])
    return out


# --- export -----------------------------------------------------------------

def flat_row(feature: dict, *, problems: bool = True) -> dict[str, Any]:
    """A feature's properties as scalar columns; `people` and `problems` become JSON text."""
    props = feature.get("properties") or {}
    row: dict[str, Any] = {"id": feature.get("id")}
    for key in EXPORT_COLUMNS[1:]:
        value = props.get(key)
        if key in ("people", "problems"):
            if key == "problems" and not problems:
                continue
            value = json.dumps(value, ensure_ascii=False, separators=(",", ":")) if value else None
        row[key] = value
    for key in sorted(props):
        if key not in row and key not in EXPORT_COLUMNS and key not in NOT_FLAT:
            row[key] = props[key]
    return row


def dbf_names(columns: list[str]) -> dict[str, str]:
    """Column → DBF field name of at most 10 UTF-8 bytes, unique (long_column_name → long_colu, long_col_1)."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for column in columns:
        short = _cut_bytes(column, DBF_NAME_BYTES)
        n = 1
        while short.lower() in used:
            suffix = f"_{n}"
            short = _cut_bytes(column, DBF_NAME_BYTES - len(suffix)) + suffix
            n += 1
        used.add(short.lower())
        out[column] = short
    return out


def _cut_bytes(text: str, limit: int) -> str:
    """The longest prefix of `text` that fits in `limit` UTF-8 bytes."""
    data = text.encode("utf-8")[:limit]
    return data.decode("utf-8", errors="ignore")
