"""`flask --app web store …`: move the campaign between the GeoJSON files and PostGIS; check and repair the store.

    flask --app web store copy --to postgresql://…  [--schema erqi]          GeoJSON files → PostGIS
    flask --app web store copy --from postgresql://… [--schema erqi] --to-dir DIR   PostGIS → GeoJSON files
    flask --app web store migrate                                            apply PostGIS migrations
    flask --app web store check                  every inconsistency, in Chinese; exit 1 if any (reads only)
    flask --app web store repair [--backups DIR] [--from-journal LAYER]   rebuild what can be rebuilt (damaged files moved aside)
    flask --app web store compact                write the journal's changes into the layer files now (embedded store)
    flask --app web store migrate-cases          give every older ledger problem its case (geo/cases); idempotent

The campaign (campaign.json) is the app's (GUATU_DATA); `--schema` defaults
to GUATU_DATABASE_SCHEMA, else "guatu". See geo/store/transfer.py.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from geo.boundaries import boundary_problems
from geo.errors import GuatuError
from geo.inspections import damaged_lists
from geo.messages import t
from geo.notify.events import damaged_events
from geo.notify.inbox import damaged_inboxes
from geo.notify.outbox import damaged_deliveries
from geo.notify.subscriptions import damaged_channels, damaged_settings
from geo.store.postgis import DEFAULT_SCHEMA
from web.core.settings import get_settings, photo_blobs

store_cli = AppGroup("store", help="Copy the campaign between the GeoJSON files and PostGIS; migrate PostGIS; "
                                   "check the store's integrity and repair it.")


def _schema(value: str | None) -> str:
    return value or get_settings().database_schema or DEFAULT_SCHEMA


@store_cli.command("copy")
@click.option("--to", "to_url", metavar="DATABASE_URL", help="copy the GeoJSON campaign into this PostGIS database")
@click.option("--from", "from_url", metavar="DATABASE_URL", help="copy the campaign out of this PostGIS database")
@click.option("--to-dir", type=click.Path(file_okay=False, path_type=Path), help="with --from: the new data folder")
@click.option("--schema", help="the campaign's schema (default: GUATU_DATABASE_SCHEMA or guatu)")
def copy_command(to_url: str | None, from_url: str | None, to_dir: Path | None, schema: str | None) -> None:
    """Copy features, journal, layer revisions and photos, losslessly; never overwrites anything. The photos of a
    database go to or come from the object store GUATU_PHOTOS_* names, if any."""
    from geo.store.transfer import copy_to_geojson, copy_to_postgis

    ctx = current_app.extensions["guatu"]
    if bool(to_url) == bool(from_url):
        raise click.UsageError(t("cli.copy_direction"))
    try:
        if to_url:
            report = copy_to_postgis(ctx.data_dir, ctx.campaign, to_url, schema=_schema(schema),
                                     blobs=photo_blobs(get_settings()))
        else:
            if to_dir is None:
                raise click.UsageError(t("cli.copy_needs_dir"))
            report = copy_to_geojson(from_url, ctx.campaign, to_dir, schema=_schema(schema), campaign_dir=ctx.data_dir,
                                     blobs=photo_blobs(get_settings()))
    except GuatuError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(str(report))


@store_cli.command("migrate")
@click.option("--database-url", help="default: GUATU_DATABASE_URL")
@click.option("--schema", help="default: GUATU_DATABASE_SCHEMA or guatu")
def migrate_command(database_url: str | None, schema: str | None) -> None:
    """Create the campaign's schema and apply the migrations it lacks (also done at every start)."""
    from geo.store.postgis import PostGISStore

    url = database_url or get_settings().database_url
    if not url:
        raise click.UsageError(t("cli.no_database"))
    try:
        store = PostGISStore(url, current_app.extensions["guatu"].campaign, schema=_schema(schema))
    except GuatuError as exc:
        raise click.ClickException(exc.message) from None
    store.close()
    applied = ", ".join(f"{v:04d}" for v in store.applied_migrations)
    click.echo(t("cli.migrated", schema=store.schema, applied=applied) if applied else t("cli.up_to_date", schema=store.schema))


@store_cli.command("check")
def check_command() -> None:
    """Report every inconsistency of the store (layer files, journal, records), every damaged boundary file,
    inspection list, inbox, notification channel, settings, event or delivery and the accounts; reads only, safe
    while serving. Exits 1 when it finds any."""

    ctx = current_app.extensions["guatu"]
    store = ctx.store
    try:
        findings = (store.check() + boundary_problems(ctx.data_dir, ctx.campaign) + damaged_lists(store)
                    + damaged_inboxes(store) + damaged_channels(store) + damaged_settings(store)
                    + damaged_events(store) + damaged_deliveries(store)
                    + current_app.extensions["guatu_accounts"].problems())
        sound = None if findings else store.check_summary()
    except GuatuError as exc:  # the campaign's database cannot be reached: its message, not a traceback
        raise click.ClickException(exc.message) from None
    for finding in findings:
        click.echo(t("store.check_finding", where=finding.where, problem=finding.problem, remedy=finding.remedy))
    if findings:
        click.echo(t("store.check_found", count=len(findings)))
        raise SystemExit(1)
    click.echo(sound)


@store_cli.command("compact")
def compact_command() -> None:
    """Write the journal's changes into the layer files now (embedded store): a save appends to the journal only
    and the files follow every GUATU_COMPACT_CHANGES changes or GUATU_COMPACT_SECONDS. Run it before opening the
    layer files in another program (QGIS); safe while serving."""

    store = current_app.extensions["guatu"].store
    compact = getattr(store, "compact", None)
    if compact is None:
        click.echo(t("store.compact_not_files"))
        return
    try:
        written = compact()
    except GuatuError as exc:  # busy, a full disk: its message, not a traceback
        raise click.ClickException(exc.message) from None
    click.echo(t("store.compacted", files="、".join(written)) if written else t("store.compact_current"))


@store_cli.command("repair")
@click.option("--backups", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="the folder of `flask --app web backup` archives, for layers the journal cannot rebuild alone")
@click.option("--from-journal", "from_journal", multiple=True, metavar="LAYER",
              help="rebuild this layer from the journal alone: you know every place of it was created in Guatu")
def repair_command(backups: Path | None, from_journal: tuple[str, ...]) -> None:
    """Rebuild what `store check` finds that can be rebuilt; damaged files are moved aside, never deleted.
    Says what it could not recover; exits 1 when the store still has a problem (a layer still withheld)."""

    store = current_app.extensions["guatu"].store
    try:
        report = store.repair(backups=backups, from_journal=from_journal)
    except GuatuError as exc:
        raise click.ClickException(exc.message) from None
    for line in [*report.moved_aside, *report.rebuilt]:
        click.echo(line)
    for line in report.unrecovered:
        click.echo(line, err=True)
    if not (report.moved_aside or report.rebuilt or report.unrecovered):
        click.echo(t("store.repair_nothing"))
    remaining = store.problems()
    for problem in remaining:
        click.echo(t("store.check_finding", where=problem.where, problem=problem.problem, remedy=problem.remedy), err=True)
    if [p for p in remaining if p.code != "disk_low"]:  # a low disk is shown, but it is nothing a repair leaves
        raise SystemExit(1)


@store_cli.command("migrate-cases")
def migrate_cases_command() -> None:
    """Give every ledger problem written before cases its case: open → filed (立案), or handling (派遣) when it has
    a deadline and a responsible; closed → closed (结案). One journaled change per place; running it again changes
    nothing."""
    from geo.cases import STAGES, migrate_cases, stage_label

    ctx = current_app.extensions["guatu"]
    try:
        report = migrate_cases(ctx.store, ctx.campaign, ctx.now(), user=t("cases.migrate_user"))
    except GuatuError as exc:
        raise click.ClickException(exc.message) from None
    if not report["problems"]:
        click.echo(t("cases.migrate_nothing", already=report["already"]))
        return
    stages = "、".join(t("cases.migrate_stage", stage=stage_label(s), count=report["stages"][s])
                      for s in STAGES if report["stages"][s])
    click.echo(t("cases.migrate_done", problems=report["problems"], places=report["places"], stages=stages,
                 already=report["already"]))


def register(app: Flask) -> None:
    app.cli.add_command(store_cli)
