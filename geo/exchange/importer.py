"""Importing a file into a layer: a preview first, then an all-or-nothing commit.

`preview_upload(store, layer, data, filename, options)` reads an uploaded
file (GeoJSON, GeoPackage, zipped Shapefile, KML/KMZ, or the XLSX ledger) and
reports, per feature, what committing would do: add it, change it (naming
the changed fields), leave it unchanged, or reject it and why (the messages
of `geo.validate`). Features are matched to the layer by id. Nothing is
written. The preview is a plain dataclass; `to_dict()` is JSON and
`ImportPreview.from_dict` reads it back, so a web view can keep it between
the preview request and the commit request.

A new place, or a changed one, whose 街道 or 社区 is empty gets the ones its
representative point lies in (geo/boundaries.py, when `ImportOptions.data_dir`
names the campaign's folder); the report says so. Every note, warning and
message of the report is Chinese from the catalogue, and each change is named
for people too (`ItemReport.labels`: 状态, 新增问题 c-0001-p3, …) beside its
field keys (`fields`).

A `scope` (geo/scope.py: where the importer may write) refuses, by name in
the preview, every row that would add or change a place outside it; the
commit passes it to the store, which refuses the whole batch (OutOfScope)
if such a row is there anyway.

`commit_import(store, preview, user=...)` applies the planned changes in one
`Store.apply` batch: all of them or none. Each change names the version the
preview saw, so a place edited by someone else in between makes the whole
commit fail with `Conflict` instead of overwriting that edit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path, PureWindowsPath
from typing import TYPE_CHECKING, Any

import shapely
from shapely.geometry import shape

from geo.boundaries import fill_location
from geo.config import Campaign, Layer
from geo.diskspace import refused_when_full
from geo.errors import Conflict, FieldError, ValidationError
from geo.exchange.archive import UploadLimits, check_size, file_error, private_dir
from geo.exchange.attributes import DBF_TEXT_BYTES, Incoming
from geo.exchange.dbf import codec_for
from geo.exchange.ledger_cases import CaseEdit, case_unchanged, merge_cases, stamp_importer
from geo.exchange.new_layer import geometry_types_of, layer_entry, new_layer
from geo.labels import field_label, problem_label
from geo.messages import t
from geo.scope import OutOfScope, Scope, check_write
from geo.store.base import Op, Store
from geo.validate import SYSTEM_PROPERTIES, validate_feature

if TYPE_CHECKING:
    from geo.exchange.formats import ReadResult

ACTIONS = ("add", "change", "unchanged", "reject")
_SAFE_NAME = re.compile(r"[^\w\-]+")


@dataclass
class ImportOptions:
    gcj02: bool = False  # the file's coordinates are GCJ-02 (digitised on AMap/Gaode): shift them to WGS84
    encoding: str | None = None  # of a Shapefile's attributes when it has no .cpg (e.g. GBK); detected otherwise
    repair: bool = False  # repair invalid geometries with make_valid instead of rejecting them
    source_layer: str | None = None  # read only this layer of a multi-layer file
    limits: UploadLimits = field(default_factory=UploadLimits)
    data_dir: Path | None = None  # the campaign's folder: its boundaries fill in an empty 街道 / 社区


@dataclass
class ItemReport:
    action: str  # add, change, unchanged, reject
    where: str  # the feature's place in the file, e.g. "roads #3" or "点位 row 5"
    id: str | None
    name: str | None
    fields: list[str] = field(default_factory=list)  # what a change changes
    errors: list[dict] = field(default_factory=list)  # {"field", "message"} of a rejection
    notes: list[str] = field(default_factory=list)
    repaired: bool = False
    case_edits: list[str] = field(default_factory=list)  # problems whose case a ledger row sets (the district's)
    labels: list[str] = field(default_factory=list)  # `fields` as people read them: 状态, 新增问题 c-0001-p3, …


@dataclass
class ImportPreview:
    layer: str
    file: str
    format: str
    options: dict
    sources: list[dict]
    counts: dict[str, int]
    items: list[ItemReport]
    warnings: list[str]
    absent: int  # places of the layer the file does not mention; an import leaves them as they are
    revision: int  # the store's revision when the preview was made
    plan: list[dict]  # the Op fields to apply on commit
    # columns whose values were arrays or objects, written as text unless the commit drops them:
    # {"column", "count" (places), "example" (the first value as text)}
    nested: list[dict] = field(default_factory=list)
    # the layer the import makes (campaign.json's entry, geo/exchange/new_layer.py), or None: an existing layer
    new_layer: dict | None = None

    @property
    def rejected(self) -> list[ItemReport]:
        return [i for i in self.items if i.action == "reject"]

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> ImportPreview:
        values = dict(data)
        values["items"] = [ItemReport(**i) for i in data.get("items", [])]
        return cls(**values)


@dataclass
class CommitResult:
    layer: str
    added: list[str]
    changed: list[str]
    revision: int
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


# --- reading an upload ------------------------------------------------------

def read_upload(data: bytes, filename: str, campaign: Campaign, options: ImportOptions) -> tuple[str, ReadResult, bool]:
    """(format, what was read, whether it is the ledger) of an uploaded file's bytes."""
    # GDAL (pyogrio, which loads geopandas and pandas) and openpyxl are loaded by the first upload, not in every worker
    from geo.exchange.formats import GEO_SUFFIXES, SHAPEFILE_PARTS, find_datasets, read_datasets

    name = PureWindowsPath(filename or "").name or "upload"  # browsers may send C:\\fakepath\\x.zip
    check_size(data, name, options.limits)
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        from geo.exchange.ledger_xlsx import read_ledger

        return "XLSX ledger", read_ledger(data, name, campaign, options.limits), True
    if suffix in SHAPEFILE_PARTS:
        raise file_error(t("upload.shapefile_part_alone", file=name))
    kind = GEO_SUFFIXES.get(suffix)
    if kind is None:
        shown = suffix or t("import.no_suffix")
        raise file_error(t("upload.unknown_type", file=name, suffix=shown, accepted=t("import.accepted")))
    encoding = None
    if options.encoding:
        encoding = codec_for(options.encoding)
        if encoding is None:
            raise ValidationError([FieldError("encoding", t("import.unknown_encoding", encoding=repr(options.encoding)))])
    with refused_when_full("upload"), private_dir() as tmp:  # a full disk: DiskFull; the private folder goes
        saved = tmp / ((_SAFE_NAME.sub("_", Path(name).stem).lstrip(".")[:80] or "upload") + suffix)  # GDAL names layers after it
        saved.write_bytes(data)
        datasets = find_datasets(saved, name, kind, tmp / "files", options.limits)
        result = read_datasets(datasets, campaign, encoding=encoding, gcj02=options.gcj02,
                               source_layer=options.source_layer, workdir=tmp)
    formats = list(dict.fromkeys(s.format for s in result.sources))
    return " + ".join(formats), result, False


# --- preview ----------------------------------------------------------------

def preview_upload(store: Store, layer_id: str, data: bytes, filename: str,
                   options: ImportOptions | None = None, *, scope: Scope | None = None) -> ImportPreview:
    """What importing this file into the layer would do; writes nothing."""
    options = options or ImportOptions()
    layer = store.layer(layer_id)
    fmt, read, ledger = read_upload(data, filename, store.campaign, options)
    return build_preview(store, layer, read, file=PureWindowsPath(filename or "").name or "upload", fmt=fmt,
                         options=options, updates_only=ledger, scope=scope)


def preview_new_layer(store: Store, wanted: dict, data: bytes, filename: str, options: ImportOptions | None = None, *,
                      scope: Scope | None = None) -> ImportPreview:
    """What importing this file into a new layer would do: `wanted` names it ({"id", "title", "kinds"}); its
    geometry types are the file's. Writes nothing: the layer is made when the import is committed."""
    options = options or ImportOptions()
    fmt, read, ledger = read_upload(data, filename, store.campaign, options)
    if ledger:
        raise file_error(t("import.new_layer.not_ledger"))
    layer = new_layer(store.campaign, wanted.get("id") or "", wanted.get("title") or "", wanted.get("kinds"),
                      geometry_types_of(i.geometry for i in read.items))
    preview = build_preview(store, layer, read, file=PureWindowsPath(filename or "").name or "upload", fmt=fmt,
                            options=options, scope=scope, new=True)
    preview.new_layer = layer_entry(layer)
    return preview


def build_preview(store: Store, layer: Layer, read: ReadResult, *, file: str, fmt: str, options: ImportOptions,
                  updates_only: bool = False, scope: Scope | None = None, new: bool = False) -> ImportPreview:
    """The preview of `read` against `layer` (`new`: a layer the commit makes, with no places yet)."""
    revision = store.revision()
    current = {} if new else {f["id"]: f for f in store.features(layer.id)}
    items: list[ItemReport] = []
    plan: list[dict] = []
    seen: dict[str, str] = {}
    retired = set() if new else store.retired_ids(layer.id, {i.id for i in read.items if i.id is not None and i.id not in current})
    now = store.clock()
    for incoming in read.items:
        report, op = _preview_one(incoming, layer, store.campaign, current, seen, repair=options.repair,
                                  updates_only=updates_only, retired=retired, now=now, data_dir=options.data_dir)
        if op is not None and scope is not None:
            report, op = _within(scope, report, op, current)
        if op is not None and report.case_edits and not may_edit_cases(scope):
            report, op = _case_edits_refused(report, scope), None
        items.append(report)
        if op is not None:
            plan.append(asdict(op))
    counts = {a: sum(1 for i in items if i.action == a) for a in ACTIONS}
    nested = nested_columns(read.items)
    warnings = list(read.warnings)
    if nested:
        warnings.append(t("import.nested_columns", columns="、".join(n["column"] for n in nested)))
    return ImportPreview(
        layer=layer.id, file=file, format=fmt,
        options={"gcj02": options.gcj02, "encoding": options.encoding, "repair": options.repair,
                 "source_layer": options.source_layer},
        sources=[asdict(s) for s in read.sources], counts=counts, items=items, warnings=warnings,
        absent=len(set(current) - set(seen)), revision=revision, plan=plan, nested=nested,
    )


def nested_columns(items: list[Incoming]) -> list[dict]:
    """The columns whose values were arrays or objects (DataV's center, acroutes, parent), in the file's order,
    each with how many places have one and the first as it will be written."""
    out: dict[str, dict] = {}
    for item in items:
        for column in item.nested:
            entry = out.setdefault(column, {"column": column, "count": 0, "example": item.properties.get(column, "")})
            entry["count"] += 1
    return list(out.values())


def _within(scope: Scope, report: ItemReport, op: Op, current: dict[str, dict]) -> tuple[ItemReport, Op | None]:
    """The row as planned, or refused by name when the place it adds or changes lies outside `scope`."""
    before = current[op.id]["properties"] if op.kind == "update" else None
    after = {**(before or {}), **(op.properties or {})}
    try:
        check_write(scope, before, after, op.id or report.where)
    except OutOfScope as exc:
        return ItemReport("reject", report.where, report.id, report.name,
                          errors=[{"field": "scope", "label": t("import.scope"), "message": exc.message}],
                          notes=report.notes), None
    return report, op


def may_edit_cases(scope: Scope | None) -> bool:
    """Whether an import may set cases' stages, handlers and due times: the district's command (a scope covering
    the whole district) or the command line (no scope)."""
    return scope is None or scope.everywhere


def _case_edits_refused(report: ItemReport, scope: Scope) -> ItemReport:
    message = t("ledger_xlsx.case_edit_refused", problems="、".join(report.case_edits), scope=scope.describe())
    return ItemReport("reject", report.where, report.id, report.name,
                      errors=[{"field": "案件阶段", "label": "案件阶段", "message": message}],
                      notes=report.notes, case_edits=report.case_edits)


def _reject(item: Incoming, errors: list[FieldError], name: str | None = None) -> tuple[ItemReport, None]:
    return ItemReport("reject", item.where, item.id, name or _name(item.properties),
                      errors=[{"field": e.field, "label": error_label(e.field), "message": e.message} for e in errors],
                      notes=list(item.notes)), None


def error_label(key: str) -> str:
    """A rejected field as people read it: status → 状态, problems[0].category → 台账问题 1 的类别."""
    head, _, rest = key.partition(".")
    if head.startswith("problems[") and head.endswith("]") and head[9:-1].isdigit():
        return t("import.change.problem_row_field", row=int(head[9:-1]) + 1, field=problem_label(rest)) \
            if rest else t("import.change.problem_row", row=int(head[9:-1]) + 1)
    return field_label(key)


def _name(props: dict) -> str | None:
    value = props.get("name")
    return value if isinstance(value, str) else None


def _preview_one(item: Incoming, layer: Layer, campaign: Campaign, current: dict[str, dict], seen: dict[str, str], *,
                 repair: bool, updates_only: bool, retired: set[str] = frozenset(),
                 now: datetime, data_dir: Path | None = None) -> tuple[ItemReport, Op | None]:
    if item.errors:
        return _reject(item, item.errors)
    fid = item.id
    if fid is not None:
        if fid in seen:
            return _reject(item, [FieldError("id", t("import.id_twice", fid=fid, first=seen[fid]), fid)])
        seen[fid] = item.where
    existing = current.get(fid) if fid is not None else None
    if existing is None:
        if updates_only:
            what = t("import.no_place", fid=repr(fid), layer=layer.title) if fid else t("import.no_place_id")
            return _reject(item, [FieldError("id", t("import.ledger_updates_only", what=what), fid)])
        if fid in retired:  # a deleted place's id: never given again (the commit would be refused)
            return _reject(item, [FieldError("id", t("ids.used_before", id=fid, layer=layer.title), fid)])
        return _preview_add(item, layer, campaign, repair=repair, data_dir=data_dir)
    return _preview_change(item, existing, layer, campaign, repair=repair, now=now, data_dir=data_dir)


def _fill_location(candidate: dict, campaign: Campaign, data_dir: Path | None, notes: list[str]) -> None:
    """An empty 街道 / 社区 filled from the boundaries the place's representative point lies in, said in a note."""
    props = candidate["properties"]
    if data_dir is None or (props.get("street") and props.get("community")):
        return
    empty = [k for k in ("street", "community") if not props.get(k)]
    fill_location(candidate, data_dir, campaign)
    notes.extend(t("import.location_filled", field=field_label(k), value=props[k]) for k in empty if props.get(k))


def _preview_add(item: Incoming, layer: Layer, campaign: Campaign, *, repair: bool,
                 data_dir: Path | None = None) -> tuple[ItemReport, Op | None]:
    props = dict(item.properties)
    notes = list(item.notes)
    if item.people_patch:
        props["people"] = {k: v for k, v in item.people_patch.items() if v}
    if props.get("status") in (None, "") and len({v for v, _ in item.status_votes}) == 1:
        props["status"] = item.status_votes[0][0]
    if props.get("kind") in (None, "") and len(layer.kinds) == 1:
        props["kind"] = layer.kinds[0]
    if props.get("status") in (None, ""):
        first = campaign.statuses[0]
        props["status"] = first.key
        notes.append(t("import.status_default", status=first.label))
    candidate = {"type": "Feature", "id": item.id, "properties": props, "geometry": item.geometry}
    _fill_location(candidate, campaign, data_dir, notes)
    try:
        checked = validate_feature(candidate, layer, campaign, repair=repair)
    except ValidationError as exc:
        return _reject(item, exc.errors)
    clean = checked.feature
    notes.extend(checked.notes)
    report = ItemReport("add", item.where, item.id, clean["properties"].get("name"), notes=notes,
                        repaired=bool(checked.notes))
    return report, Op("create", layer.id, item.id, clean["properties"], clean["geometry"])


def _preview_change(item: Incoming, existing: dict, layer: Layer, campaign: Campaign, *,
                    repair: bool, now: datetime, data_dir: Path | None = None) -> tuple[ItemReport, Op | None]:
    fid = existing["id"]
    base = {k: v for k, v in existing["properties"].items() if k not in SYSTEM_PROPERTIES}
    if _says_the_same(item, base, existing["geometry"], campaign):  # most rows of a re-imported export: skip validation
        return ItemReport("unchanged", item.where, fid, base.get("name"), notes=list(item.notes)), None
    props = {**base, **item.properties}
    notes = list(item.notes)
    if item.cut_text:
        _keep_cut_texts(props, base, notes)
    if item.people_patch is not None:
        people = dict(base.get("people") or {})
        for role, value in item.people_patch.items():
            if value:
                people[role] = value
            else:
                people.pop(role, None)
        props["people"] = people
    cases = CaseEdit([])
    if item.problem_patches:
        today = now.astimezone(campaign.timezone).date().isoformat()
        merged = _merge_problems(base.get("problems") or [], item.problem_patches, fid, today, notes)
        cases = merge_cases(base.get("problems") or [], merged, item.problem_patches, campaign, now)
        if cases.errors:
            return _reject(item, cases.errors, base.get("name"))
        props["problems"] = cases.problems
    votes = {v for v, _ in item.status_votes if v != base.get("status")}
    if len(votes) > 1:
        labels = {s.key: s.label for s in campaign.statuses}
        where = ";".join(t("import.status_vote", status=labels.get(v, v), where=w) for v, w in item.status_votes if v in votes)
        return _reject(item, [FieldError("status", t("import.status_votes", where=where), fid)], base.get("name"))
    if votes and "status" not in item.properties:
        props["status"] = votes.pop()

    geometry = item.geometry if item.geometry is not None else existing["geometry"]
    candidate = {"type": "Feature", "id": fid, "properties": props, "geometry": geometry}
    _fill_location(candidate, campaign, data_dir, notes)
    moved = item.geometry is not None and not same_geometry(item.geometry, existing["geometry"])
    try:
        checked = validate_feature(candidate, layer, campaign, repair=repair, check_area=moved)
    except ValidationError as exc:
        return _reject(item, exc.errors, base.get("name"))
    clean = checked.feature
    notes.extend(checked.notes)
    new_props = clean["properties"]
    changed = [k for k in sorted(set(new_props) | set(base)) if not _same(new_props.get(k), base.get(k))]
    geometry_changed = item.geometry is not None and not same_geometry(clean["geometry"], existing["geometry"])
    version = existing["properties"].get("version")
    if item.file_version is not None and isinstance(version, int) and item.file_version < version and (changed or geometry_changed):
        props_now = existing["properties"]
        notes.append(t("import.older_version", file_version=item.file_version, fid=fid, version=version,
                       by=props_now.get("updated_by") or "", at=local_at(props_now.get("updated_at"), campaign)))
    name = new_props.get("name")
    if not changed and not geometry_changed:
        return ItemReport("unchanged", item.where, fid, name, notes=notes), None
    fields = []
    for key in changed:
        fields.extend(_problem_changes(base.get("problems") or [], new_props.get("problems") or []) if key == "problems" else [key])
    if geometry_changed:
        fields.append("geometry")
    report = ItemReport("change", item.where, fid, name, fields=fields, notes=notes, repaired=bool(checked.notes),
                        case_edits=cases.edited, labels=[change_label(f) for f in fields])
    op = Op("update", layer.id, fid, {k: new_props.get(k) for k in changed},
            clean["geometry"] if geometry_changed else None, expected_version=version,
            cases=cases.case_write and "problems" in changed)  # filed or set cases: the store's case write path
    return report, op


def _says_the_same(item: Incoming, base: dict, geometry: dict, campaign: Campaign) -> bool:
    """The file repeats the stored place exactly (the stored place was validated when written)."""
    if not all(_same(v, base.get(k)) for k, v in item.properties.items()):
        return False
    if any(v != base.get("status") for v, _ in item.status_votes):
        return False
    if item.people_patch is not None:
        people = base.get("people") or {}
        if any(not _same(v, people.get(role)) for role, v in item.people_patch.items()):
            return False
    if item.problem_patches:
        current = {p.get("id"): p for p in base.get("problems") or []}
        for patch in item.problem_patches:
            entry = current.get(patch.get("id"))
            if entry is None or any(not _same(v, entry.get(k)) for k, v in patch.items() if k != "case"):
                return False
            if not case_unchanged(patch.get("case"), entry, campaign):
                return False
    return item.geometry is None or same_geometry(item.geometry, geometry)


def _keep_cut_texts(props: dict, base: dict, notes: list[str]) -> None:
    """A DBF cuts text at 254 bytes: a cut copy of the current text is not an edit."""
    for key, value in props.items():
        old = base.get(key)
        if (isinstance(value, str) and isinstance(old, str) and old != value and old.startswith(value)
                and len(value.encode("utf-8")) >= DBF_TEXT_BYTES - 3):
            props[key] = old
            notes.append(t("import.cut_text_kept", field=field_label(key)))


def _merge_problems(current: list[dict], patches: list[dict], fid: str, today: str, notes: list[str]) -> list[dict]:
    """Ledger rows merged into the current entries by id; rows without a known id are new entries, found `today`
    (campaign time) when the row leaves 发现日期 empty — said in `notes` — as the editor's ledger does."""
    out = [dict(p) for p in current]
    index = {p.get("id"): i for i, p in enumerate(out)}
    numbers = [int(str(p.get("id", "")).rsplit("-p", 1)[-1]) for p in out
               if str(p.get("id", "")).rsplit("-p", 1)[-1].isdigit()]
    next_number = max(numbers, default=0) + 1
    for patch in patches:
        pid = patch.get("id")
        if pid in index:  # (a row's case columns are merged by geo/exchange/ledger_cases.py)
            out[index[pid]].update({k: v for k, v in patch.items() if k not in ("id", "case")})
            continue
        entry = {k: v for k, v in patch.items() if k != "case"}
        if not pid:
            entry["id"] = f"{fid}-p{next_number}"
            next_number += 1
        if not entry.get("found_on"):
            entry["found_on"] = today
            notes.append(t("import.found_today", pid=entry["id"], day=today))
        index[entry["id"]] = len(out)
        out.append(entry)
    return out


def _problem_changes(old: list[dict], new: list[dict]) -> list[str]:
    before = {p.get("id"): p for p in old}
    after = {p.get("id"): p for p in new}
    out = []
    for pid, entry in after.items():
        if pid not in before:
            out.append(f"problems.{pid} (new)")
            continue
        keys = sorted(set(entry) | set(before[pid]))
        out.extend(f"problems.{pid}.{k}" for k in keys if not _same(entry.get(k), before[pid].get(k)))
    out.extend(f"problems.{pid} (removed)" for pid in before if pid not in after)
    return out or ["problems"]


def _same(a: Any, b: Any) -> bool:
    """Equal, counting None, "", {} and [] as the same absence."""
    empty = (None, "", {}, [])
    if a in empty and b in empty:
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return set(a) == set(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return a == b


def same_geometry(a: dict | None, b: dict | None, tolerance: float = 1e-7) -> bool:
    """The same shape: ring starts, ring direction and single-part multis do not count."""
    if a == b:
        return True
    if a is None or b is None:
        return False
    ga, gb = shapely.normalize(_single(shape(a))), shapely.normalize(_single(shape(b)))
    return ga.geom_type == gb.geom_type and bool(shapely.equals_exact(ga, gb, tolerance))


def _single(geom):
    if geom.geom_type.startswith("Multi") and len(geom.geoms) == 1:
        return geom.geoms[0]
    return geom


# --- commit -----------------------------------------------------------------

def commit_import(store: Store, preview: ImportPreview | dict, *, user: str, skip_rejected: bool = False,
                  scope: Scope | None = None, drop: Iterable[str] = (),
                  make_layer: Callable[[], object] | None = None) -> CommitResult:
    """Apply a preview's plan in one all-or-nothing batch, as `scope` allows (OutOfScope: nothing written).
    `drop` names columns of `preview.nested` to leave out (the others are written as text). `make_layer` makes
    the new layer an import asks for once the plan has passed every check, just before it is written: a refused
    commit (rejected places, a column to drop it does not have) leaves no empty layer behind."""
    if isinstance(preview, dict):
        preview = ImportPreview.from_dict(preview)
    rejected = preview.counts.get("reject", 0)
    if rejected and not skip_rejected:
        raise file_error(t("upload.rejected_in_preview", file=preview.file, count=rejected))
    ops = _dropping([Op(**op) for op in preview.plan], set(drop), preview)
    if not ops:
        return CommitResult(preview.layer, [], [], store.revision(), [t("import.nothing_to_do")])
    if any(i.case_edits for i in preview.items if i.action == "change") and not may_edit_cases(scope):
        raise OutOfScope(t("ledger_xlsx.case_edit_refused", scope=scope.describe(),
                           problems="、".join(p for i in preview.items for p in i.case_edits)), scope=scope)
    ops = [replace(op, properties=stamp_importer(op.properties, user)) if op.cases and op.properties else op for op in ops]
    if make_layer is not None:
        make_layer()
    try:
        results = store.apply(ops, user=user, repair=bool(preview.options.get("repair")), scope=scope)
    except Conflict as exc:
        raise Conflict(t("import.conflict", reason=_conflict_reason(exc, ops, store.campaign), file=preview.file),
                       current=exc.current) from None
    added = [r.feature["id"] for r, op in zip(results, ops) if op.kind == "create"]
    changed = [r.feature["id"] for r, op in zip(results, ops) if op.kind == "update"]
    notes = [n for r in results for n in r.notes]
    return CommitResult(preview.layer, added, changed, store.revision(), notes)


def _dropping(ops: list[Op], drop: set[str], preview: ImportPreview) -> list[Op]:
    """The ops without the dropped columns; a change left with nothing to change is no op."""
    if not drop:
        return ops
    offered = [n["column"] for n in preview.nested]
    unknown = sorted(drop - set(offered))
    if unknown:
        raise ValidationError([FieldError("drop", t("import.drop_unknown", columns="、".join(unknown),
                                                     offered="、".join(offered) or "-"))])
    out = []
    for op in ops:
        props = {k: v for k, v in (op.properties or {}).items() if k not in drop}
        if op.kind == "update" and not props and op.geometry is None:
            continue
        out.append(replace(op, properties=props if op.properties is not None else None))
    return out


def _conflict_reason(exc: Conflict, ops: list[Op], campaign: Campaign) -> str:
    current = exc.current or {}
    props = current.get("properties") or {}
    fid = current.get("id")
    op = next((o for o in ops if o.id == fid), None)
    if op is None:
        return exc.message
    who = {"fid": fid, "name": props.get("name") or "", "by": props.get("updated_by") or "",
           "at": local_at(props.get("updated_at"), campaign)}
    if op.kind == "create":
        return t("import.conflict_created", **who)
    return t("import.conflict_changed", seen=op.expected_version, version=props.get("version"), **who)


def change_label(key: str) -> str:
    """One of a report's changed fields as people read it: 状态, 新增问题 c-0001-p3, 问题 c-0001-p1 的发现日期."""
    if key.startswith("problems."):
        rest = key.removeprefix("problems.")
        if rest.endswith(" (new)"):
            return t("import.change.problem_new", pid=rest.removesuffix(" (new)"))
        if rest.endswith(" (removed)"):
            return t("import.change.problem_removed", pid=rest.removesuffix(" (removed)"))
        pid, _, name = rest.rpartition(".")
        return t("import.change.problem_field", pid=pid, field=problem_label(name))
    return field_label(key)


def local_at(value: object, campaign: Campaign) -> str:
    """A stored UTC time as the campaign's clock shows it: "2026-11-23 12:01"."""
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value or "")
    return (moment.astimezone(campaign.timezone) if moment.tzinfo else moment).strftime("%Y-%m-%d %H:%M")
