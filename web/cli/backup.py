"""`flask --app web backup|restore`: consistent snapshots of the data directory (see geo/backup.py)."""

from __future__ import annotations

import logging
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from geo.backup import BackupError, backup, restore
from geo.diskspace import is_disk_full
from geo.errors import GuatuError
from geo.messages import t
from web.core.context import guatu

log = logging.getLogger(__name__)


@click.command("backup", help="Snapshot the campaign (data directory, or PostGIS and the data directory) into a "
                              ".tar.gz, safely while the server runs.")
@click.option("--out", required=True, type=click.Path(path_type=Path),
              help="A directory (the archive gets a dated name) or the archive's file name.")
@with_appcontext
def backup_command(out: Path) -> None:
    ctx = guatu()
    try:
        path, manifest = backup(ctx.store, out, data_dir=ctx.data_dir, clock=ctx.clock)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    except GuatuError as exc:  # the campaign's database cannot be reached: its message, not a traceback
        raise click.ClickException(exc.message) from None
    except OSError as exc:  # the backup removed its part-written archive and staging copy on the way out
        if not is_disk_full(exc):
            raise
        folder = out if out.is_dir() else out.parent  # where it writes (exc.filename may name the file it read)
        log.error("disk full: the backup into %s could not be written; nothing of it was kept", folder)
        raise click.ClickException(t("backup.disk_full", folder=folder)) from None
    click.echo(t("backup.done", revision=manifest["revision"], files=len(manifest["files"]), archive=path))
    for layer in manifest["layers"].values():
        if layer["seq"] is None:  # withheld by the store: archived byte for byte, but no source for a restore
            click.echo(t("backup.layer_withheld", file=layer["file"]), err=True)


@click.command("restore", help="Unpack a backup into a new or empty directory, checking every file.")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--to", "target", required=True, type=click.Path(path_type=Path),
              help="The directory to restore into; must be new or empty.")
def restore_command(archive: Path, target: Path) -> None:
    try:
        manifest = restore(archive, target)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(t("backup.restored", revision=manifest["revision"], files=len(manifest["files"]), target=target))


def register(app: Flask) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
