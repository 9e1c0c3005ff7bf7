"""An atlas over HTTP (`GET /print/atlas.pdf?by=street|community|route&date=…`) and from the command line
(`flask --app web print-atlas`): a cover, an index, and a printed map per sub-district, community or group
of stops of a day's inspection route (geo/printing/atlas.py draws it).

`paper` and `orientation` are read as `/print` reads them; a route atlas shows the day's inspection list,
so it needs an inspector, as the route sheet does.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import click
from flask import Response, abort, request
from flask.cli import with_appcontext

from geo import inspections as insp
from geo.dates import BadDate, parse_day
from geo.errors import BadParameter, GuatuError, NotFound
from geo.geojson_io import atomic_write
from geo.messages import t
from geo.printing.layout import parse_options
from web.access.auth import ROLE_LABELS, principal
from web.core.context import Guatu, guatu
from web.core.routes import INSPECTOR, VIEWER
from web.printing.blueprint import bp

if TYPE_CHECKING:
    from geo.printing.atlas import Atlas

ATLAS_PARAMETERS = ("by", "date", "paper", "orientation", "title", "labels", "hatch")


def _day(raw: str | None, ctx: Guatu) -> date:
    if not raw:
        return ctx.today()
    try:
        return parse_day(raw.strip())
    except BadDate as exc:
        raise BadParameter("date", str(exc)) from None


def make_atlas(ctx: Guatu, args: dict[str, str]) -> Atlas:
    """The atlas the parameters ask for (each checked; a bad one is a BadParameter naming it)."""
    unknown = sorted(set(args) - set(ATLAS_PARAMETERS))
    if unknown:
        raise BadParameter(unknown[0], t("print.unknown_parameter", known=", ".join(ATLAS_PARAMETERS)))
    # matplotlib is loaded by the first print, not in every worker
    from geo.printing.atlas import check_by, render_atlas, sections_by_area, sections_by_route

    by = check_by(args.get("by"))
    day = _day(args.get("date"), ctx)
    sheet_args = {k: v for k, v in args.items() if k in ("paper", "orientation", "labels", "hatch")}
    sheet_args.setdefault("paper", "A4")
    base = parse_options(sheet_args, ctx.campaign)
    if by == "route":
        listing = insp.load(ctx.store, day)
        if listing is None:
            raise NotFound(t("print.atlas.no_route", day=day.isoformat()))
        summary = insp.wall_summary(ctx.store, ctx.campaign, listing, day)
        sections = sections_by_route(summary["places"], base, summary["route_start"])
    else:
        sections = sections_by_area(by, ctx.areas(), base)
    return render_atlas(ctx.store, ctx.campaign, ctx.data_dir, sections, by=by, day=day, now=ctx.now(),
                        title=(args.get("title") or "").strip()[:120] or None)


@bp.get("/print/atlas.pdf", role=VIEWER)
def print_atlas():
    """One PDF: cover, index, a page per sub-district / community / route stop group; see README.md."""
    ctx = guatu()
    args = request.args.to_dict(flat=True)
    if (args.get("by") or "").strip().lower() == "route":
        p = principal()
        if p is None or not p.can(INSPECTOR):
            have = ROLE_LABELS.get(p.role, p.role) if p else "—"
            abort(403, t("accounts.role_needed", role=ROLE_LABELS[INSPECTOR], have=have))
    atlas = make_atlas(ctx, args)
    resp = Response(atlas.data, mimetype="application/pdf")
    disposition = "attachment" if request.args.get("download") else "inline"
    resp.headers["Content-Disposition"] = (f'{disposition}; filename="{atlas.filename}"; '
                                           f"filename*=UTF-8''{quote(atlas.filename)}")
    resp.headers["Cache-Control"] = "no-store"
    return resp


@click.command("print-atlas")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="the PDF to write")
@click.option("--by", default="street", show_default=True, help="street, community or route")
@click.option("--date", "day", default="", help="the date printed (and the route's day); default today")
@click.option("--paper", default="A4", show_default=True, help="A4, A3, A2, A1 or A0")
@click.option("--orientation", default="landscape", show_default=True, help="landscape or portrait")
@click.option("--title", default="", help="title instead of the campaign's")
@with_appcontext
def print_atlas_command(out: Path, **params: str) -> None:
    """Write an atlas (cover, index, a page per area or route stop group) to --out."""
    ctx = guatu()
    args = {"date" if k == "day" else k: v for k, v in params.items() if v}
    try:
        atlas = make_atlas(ctx, args)
        atomic_write(out, atlas.data)
    except GuatuError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(t("print.cli.atlas_written", file=out, pages=atlas.pages))
