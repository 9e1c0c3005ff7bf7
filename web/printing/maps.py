"""Printed maps over HTTP (`/print?…`) and from the command line (`flask --app web print-map`).

Both only gather parameters and hand them to `geo.printing`, which checks
them (a bad one is a 400 with a JSON message naming it) and draws the sheet.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import Response, jsonify, request
from flask.cli import with_appcontext

from geo.errors import GuatuError
from geo.geojson_io import atomic_write
from geo.messages import t
from geo.printing.layout import format_scale, parse_options
from web.core.context import guatu
from web.core.routes import VIEWER
from web.printing.blueprint import bp


@bp.get("/print", role=VIEWER)
def print_map():
    """A static map as PDF or PNG; parameters as listed in README.md ("Printing")."""
    ctx = guatu()
    options = parse_options(request.args.to_dict(flat=True), ctx.campaign, ctx.areas())
    from geo.printing.render import render_print  # matplotlib is loaded by the first print, not in every worker

    sheet = render_print(ctx.store, ctx.campaign, ctx.data_dir, options, ctx.now())
    resp = Response(sheet.data, mimetype=sheet.mimetype)
    disposition = "attachment" if request.args.get("download") else "inline"
    resp.headers["Content-Disposition"] = f'{disposition}; filename="{sheet.filename}"'
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.get("/print/areas.json", role=VIEWER)
def print_areas():
    """What the print dialog offers: the sub-districts with their communities (the names /print finds), and
    the campaign's today, the dialog's default date."""
    ctx = guatu()
    streets = [{"name": street, "communities": sorted(names)} for street, names in ctx.areas().items()]
    resp = jsonify({"today": ctx.today().isoformat(), "streets": streets})
    resp.headers["Cache-Control"] = "no-store"
    return resp


@click.command("print-map")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="file to write; .pdf or .png (sets --format when it is not given)")
@click.option("--paper", default="A3", show_default=True, help="A4, A3, A2, A1 or A0")
@click.option("--orientation", default="landscape", show_default=True, help="landscape or portrait")
@click.option("--format", "fmt", default=None, help="pdf or png (default: from --out)")
@click.option("--dpi", default="150", show_default=True, help="PNG resolution: 150, 300 or 600")
@click.option("--layers", default="", help="layer ids, comma-separated (default: all)")
@click.option("--status", default="", help="status keys, comma-separated")
@click.option("--street", default="", help="sub-districts (街道), comma-separated")
@click.option("--community", default="", help="communities (社区), comma-separated")
@click.option("--kind", default="", help="kinds of place, comma-separated")
@click.option("--category", default="", help="problem categories: places with such an open problem")
@click.option("--bbox", default="", help="west,south,east,north in degrees (default: the data)")
@click.option("--scale", default="", help="print at 1:SCALE instead of fitting the data")
@click.option("--title", default=None, help="title instead of the campaign's")
@click.option("--labels/--no-labels", default=True, show_default=True, help="place and sub-district names")
@click.option("--table/--no-table", default=True, show_default=True, help="progress table per sub-district")
@click.option("--hatch/--no-hatch", default=None, help="hatch status fills (default: the campaign's print.hatching)")
@click.option("--photos/--no-photos", default=False, show_default=True,
              help="a strip of the newest after-rectification photos of the places on the sheet")
@with_appcontext
def print_map_command(out: Path, fmt: str | None, labels: bool, table: bool, hatch: bool | None, photos: bool,
                      **params: str) -> None:
    """Write a printed map of the campaign (PDF or PNG) to --out."""
    from geo.printing.render import render_print  # matplotlib is loaded by the first print, not in every worker

    ctx = guatu()
    args = {k: v for k, v in params.items() if v not in (None, "")}
    args["format"] = fmt or (out.suffix.lstrip(".").lower() or "pdf")
    args["labels"] = "1" if labels else "0"
    args["table"] = "1" if table else "0"
    if hatch is not None:
        args["hatch"] = "1" if hatch else "0"
    args["photos"] = "1" if photos else "0"
    try:
        options = parse_options(args, ctx.campaign, ctx.areas())
        sheet = render_print(ctx.store, ctx.campaign, ctx.data_dir, options, ctx.now())
        atomic_write(out, sheet.data)  # a full disk: DiskFull, and no part-written file
    except GuatuError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(t("print.cli.written", file=out, paper=options.paper, orientation=t(f"print.dialog.{options.orientation}"),
                 format=options.format.upper(), scale=format_scale(sheet.scale), places=sum(sheet.counts.values())))
