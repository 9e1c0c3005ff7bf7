"""Command-line import, export, validation and history, on the app: `flask --app web import|export|validate|history`.

The commands only parse options, call `geo.exchange` and print; every rule
lives there, shared with the web upload.
"""

from __future__ import annotations

import getpass
import json
from functools import partial
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from geo.errors import GuatuError
from geo.exchange.exporter import EXPORT_FORMATS, export_layer
from geo.exchange.importer import ImportOptions, ImportPreview, commit_import, preview_new_layer, preview_upload
from geo.exchange.new_layer import layer_of
from geo.geojson_io import atomic_write
from geo.history import diff, local_time, readable_value
from geo.messages import t
from geo.store.base import Store
from web.core.context import guatu

group = click.Group("exchange", help="Import, export, validate and history of campaign layers.")
_SYMBOLS = {"add": "+", "change": "~", "unchanged": "=", "reject": "!"}


def register(app: Flask) -> None:
    """Put this group's commands at the top level of `flask --app web …`."""
    for command in group.commands.values():
        app.cli.add_command(command)


def _store() -> Store:
    return guatu().store


def _default_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "cli"


def _import_options(f):
    f = click.option("--layer", required=True, help="the layer to import into, e.g. courtyards")(f)
    f = click.option("--gcj02", is_flag=True, help="the file's coordinates are GCJ-02 (AMap/Gaode): shift them to WGS84")(f)
    f = click.option("--encoding", help="encoding of a Shapefile's attributes when it has no .cpg, e.g. GBK")(f)
    f = click.option("--repair", is_flag=True, help="repair invalid geometries (make_valid) instead of rejecting them")(f)
    f = click.option("--source-layer", help="read only this layer of a file that has several")(f)
    f = click.option("--json", "as_json", is_flag=True, help="print the report as JSON")(f)
    return click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))(f)


def _preview(file: Path, layer: str, gcj02: bool, encoding: str | None, repair: bool, source_layer: str | None,
             new: dict | None = None) -> ImportPreview:
    options = ImportOptions(gcj02=gcj02, encoding=encoding, repair=repair, source_layer=source_layer,
                            data_dir=guatu().data_dir)  # its boundaries fill in an empty 街道 / 社区
    if file.stat().st_size > options.limits.max_bytes:
        raise click.ClickException(t("cli.file_too_large", file=file.name, mb=options.limits.max_bytes // 2**20))
    try:
        if new is not None:  # LAYER is a layer the commit makes
            return preview_new_layer(_store(), {"id": layer, **new}, file.read_bytes(), file.name, options)
        return preview_upload(_store(), layer, file.read_bytes(), file.name, options)
    except GuatuError as exc:
        raise click.ClickException(exc.message) from None


def _print_report(preview: ImportPreview, as_json: bool) -> None:
    if as_json:
        report = preview.to_dict()
        report.pop("plan")
        click.echo(json.dumps(report, ensure_ascii=False, indent=1))
        return
    sources = "; ".join(
        t("cli.source", name=s["name"], count=s["features"]) + (f", {s['crs']}" if s.get("crs") else "")
        + (", " + t("cli.source_encoding", encoding=s["encoding"], how=s["encoding_from"]) if s.get("encoding_from") else "")
        for s in preview.sources
    )
    gcj = ", " + t("cli.from_gcj02") if preview.options.get("gcj02") else ""
    click.echo(f"{preview.file} → {preview.layer} ({preview.format}{gcj}; {sources})")
    c = preview.counts
    click.echo("  " + t("cli.import_counts", add=c["add"], change=c["change"], unchanged=c["unchanged"], reject=c["reject"],
                        absent=preview.absent))
    for item in preview.items:
        if item.action == "unchanged" and not item.notes:
            continue
        head = f"  {_SYMBOLS[item.action]} {item.action:<9} {item.id or t('cli.new_place'):<14} {item.name or ''}  [{item.where}]"
        if item.fields:
            head += ": " + ", ".join(item.fields)
        click.echo(head)
        for error in item.errors:
            click.echo(f"      {error['field']}: {error['message']}")
        for note in item.notes:
            click.echo("      " + t("cli.note", note=note))
    for warning in preview.warnings:
        click.echo("  " + t("cli.warning", warning=warning))


@group.command("import")
@_import_options
@click.option("--commit", is_flag=True, help="apply the changes (without it, only the preview is printed)")
@click.option("--skip-rejected", is_flag=True, help="with --commit: apply the rest when some features are rejected")
@click.option("--user", default=None, help="who the journal records (default: the login name)")
@click.option("--drop", multiple=True, help="leave out this array/object column (DataV's acroutes, …); "
                                            "the others are imported as text")
@click.option("--new-title", default=None, help="make LAYER a new layer with this title (geometry types from the file); "
                                                "running servers take it without a restart")
@click.option("--new-kinds", default=None, help="with --new-title: the new layer's kinds, separated by 、 or commas")
@with_appcontext
def import_command(file: Path, layer: str, gcj02: bool, encoding: str | None, repair: bool, source_layer: str | None,
                   as_json: bool, commit: bool, skip_rejected: bool, user: str | None, drop: tuple[str, ...],
                   new_title: str | None, new_kinds: str | None) -> None:
    """Preview importing FILE into a layer (or a new one); with --commit, apply it all-or-nothing."""
    new = {"title": new_title, "kinds": new_kinds} if new_title is not None else None
    preview = _preview(file, layer, gcj02, encoding, repair, source_layer, new)
    _print_report(preview, as_json)
    if not commit:
        if preview.plan:
            click.echo(t("cli.dry_run", count=len(preview.plan)), err=as_json)
        return
    try:
        make_layer = partial(guatu().add_layer, layer_of(preview.new_layer)) if preview.new_layer is not None else None
        result = commit_import(_store(), preview, user=user or _default_user(), skip_rejected=skip_rejected, drop=drop,
                               make_layer=make_layer)
    except GuatuError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(t("cli.imported", layer=result.layer, added=len(result.added), changed=len(result.changed),
                 revision=result.revision), err=as_json)
    for note in result.notes:
        click.echo("  " + t("cli.note", note=note), err=as_json)


@group.command("validate")
@_import_options
@with_appcontext
def validate_command(file: Path, layer: str, gcj02: bool, encoding: str | None, repair: bool, source_layer: str | None,
                     as_json: bool) -> None:
    """Check FILE against a layer's rules and report; writes nothing. Exits 1 if a feature would be rejected."""
    preview = _preview(file, layer, gcj02, encoding, repair, source_layer)
    _print_report(preview, as_json)
    if preview.counts["reject"]:
        raise click.ClickException(t("cli.would_reject", count=preview.counts["reject"]))


@group.command("export")
@click.option("--layer", required=True, help="the layer to export, e.g. courtyards")
@click.option("--format", "fmt", required=True, type=click.Choice(list(EXPORT_FORMATS)), help="xlsx is the ledger (台账)")
@click.option("--out", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path), help="the file to write")
@click.option("--status", multiple=True, help="only places in these statuses (keys or labels, comma-separated)")
@click.option("--street", multiple=True, help="only places of these sub-districts (街道)")
@click.option("--community", multiple=True, help="only places of these communities (社区)")
@click.option("--kind", multiple=True, help="only places of these kinds")
@with_appcontext
def export_command(layer: str, fmt: str, out: Path, status: tuple, street: tuple, community: tuple, kind: tuple) -> None:
    """Write a layer, whole or filtered, as GeoJSON, GeoPackage, zipped Shapefile, KML or the XLSX ledger."""
    filters = {"status": status, "street": street, "community": community, "kind": kind}
    try:
        exported = export_layer(_store(), layer, fmt, filters=filters)
        atomic_write(out, exported.data)  # a full disk: DiskFull, and no part-written file
    except GuatuError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(t("cli.exported", count=exported.count, layer=layer, file=out.name, size=f"{len(exported.data):,}"))


@group.command("history")
@click.option("--layer", required=True)
@click.argument("fid")
@click.option("--json", "as_json", is_flag=True, help="print the journal entries as JSON")
@with_appcontext
def history_command(layer: str, fid: str, as_json: bool) -> None:
    """Every change to one place, oldest first: who, when, what."""
    store = _store()
    try:
        entries = store.history(layer, fid)
        if not entries:
            store.get(layer, fid)  # NotFound for an unknown place
    except GuatuError as exc:
        raise click.ClickException(exc.message) from None
    if as_json:
        click.echo(json.dumps(entries, ensure_ascii=False, indent=1))
        return
    if not entries:
        click.echo(t("cli.no_history", fid=fid))
    campaign = store.campaign
    for entry in entries:  # in words and campaign time, as the history page shows it (geo/history.py)
        click.echo(f"#{entry['seq']}  {local_time(entry['at'], campaign)}  {entry['user']}  {entry['op']}  "
                   f"v{entry['version']}  {_summary(entry, campaign)}")


def _summary(entry: dict, campaign) -> str:
    before = (entry.get("before") or {}).get("properties") or {}
    after = (entry.get("after") or {}).get("properties") or {}
    if entry["op"] == "create":
        return t("cli.history_created", name=after.get("name"), status=readable_value("status", after.get("status"), campaign))
    if entry["op"] == "delete":
        return t("cli.history_deleted", name=before.get("name"))
    parts = [t("history.case.field", field=c["label"], before=c["before"] or t("history.empty"), after=c["after"])
             if c["field"] not in ("problems", "photos", "geometry") else t("history.pair", name=c["label"], value=c["after"])
             for c in diff(entry.get("before"), entry.get("after"), campaign)]
    return ";".join(parts) or t("cli.history_no_change")
