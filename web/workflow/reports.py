"""Campaign workflow over HTTP and the command line (thin: rules in geo/responsibility, progress, daily_report).

    GET /mine[?person=…|unit=…]         my places (四包一), most urgent first; default: the logged-in user's name
    GET /api/mine?person=…|unit=…       the same as JSON
    GET /api/progress/milestones        plan against actual for every milestone (时间节点), and the estimated
                                        finish per sub-district (预计完成)
    GET /api/timeline?from=…&to=…       places per status at the end of each day
    GET /reports/daily[?date=…]         the daily report page; …/daily/<date>.xlsx and .pdf download it
    flask --app web daily-report --date 2026-11-24 --out DIR
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import Response, jsonify, render_template, request
from flask.cli import with_appcontext

from geo.daily_report import build_xlsx, report_data
from geo.daily_report_pdf import build_pdf
from geo.errors import BadParameters, FieldError, GuatuError
from geo.geojson_io import atomic_write, dumps
from geo.inspections import check_day
from geo.messages import t
from geo.progress import parse_range
from geo.residents.satisfaction import summary_line
from geo.rules import local_now
from web.access.auth import principal
from web.cases.shape import page_of
from web.core.context import guatu
from web.core.http import make_cached, send_cached
from web.core.routes import VIEWER, Display
from web.core.withheld import withheld
from web.workflow import docs
from web.workflow.blueprint import bp


def _who() -> tuple[str | None, str | None]:
    person = request.args.get("person")
    unit = request.args.get("unit")
    if not person and not unit:
        p = principal()
        person = p.name if p and p.via != "public" else None
    return person, unit


@bp.get("/mine", role=VIEWER)
def mine_page():
    ctx = guatu()
    person, unit = _who()
    now, revision = ctx.now(), ctx.store.revision()
    limit, offset = page_of(request.args)
    data = ctx.responsibility.places(revision, now, person=person, unit=unit, limit=limit, offset=offset)
    return render_template("mine.html", data=data, names=ctx.responsibility.names(revision, now))


@bp.get("/api/mine", role=VIEWER, doc=docs.MINE)
def mine_api():
    ctx = guatu()
    person, unit = _who()
    if not person and not unit:
        raise BadParameters([FieldError("person", t("mine.no_one"))])
    limit, offset = page_of(request.args)
    return jsonify({**ctx.responsibility.places(ctx.store.revision(), ctx.now(), person=person, unit=unit,
                                                limit=limit, offset=offset), "withheld": withheld(ctx.store)})


# A wall screen's display link may read the plan and the timeline (never anyone's list; the day's inspections
# only as web/workflow/inspections.py's wall summary shows them).
@bp.get("/api/progress/milestones", role=VIEWER, display=Display.WHOLE, doc=docs.MILESTONES)
def milestones_api():
    """From the process's `ProgressData` (brought up to date from the changes since its last revision), serialised
    once per revision and local day. The revision is the wall's (`WallData.key`): never past a change a layer
    file does not hold yet, so a change is applied once the place as stored shows it; with the readable layers, so
    a layer withheld or put right without a change is a new answer."""
    ctx = guatu()
    now = ctx.now()
    state = ctx.wall.key(now)
    key = ("milestones", state.revision, state.layers, ctx.today())

    def build():
        return make_cached(dumps({**ctx.progress.get(state.revision, now), "withheld": withheld(ctx.store, state)}))

    return send_cached(ctx.cache.get(key, build))


@bp.get("/api/timeline", role=VIEWER, display=Display.WHOLE, doc=docs.TIMELINE)
def timeline_api():
    ctx = guatu()
    now = ctx.now()
    today = local_now(ctx.campaign, now).date()  # (one reading of the clock: the key's day is the answer's)
    first, last = parse_range(request.args.get("from"), request.args.get("to"), today)
    state = ctx.wall.key(now)  # as the milestones: kept steps, one answer per revision, readable layers and days

    def build():
        return make_cached(dumps({**ctx.progress.timeline(state.revision, now, first, last),
                                  "withheld": withheld(ctx.store, state)}))

    return send_cached(ctx.cache.get(("timeline", state.revision, state.layers, today, first, last), build))


PAGE_ROWS = 100  # escalated cases the page lists, the most urgent first (61,641 at 100,000 places took 6 s to write)


@bp.get("/reports/daily", role=VIEWER)
def report_page():
    ctx = guatu()
    day = check_day(request.args.get("date") or guatu().today().isoformat())
    data = report_data(ctx.store, ctx.campaign, day, ctx.now(), details=False, escalated_rows=PAGE_ROWS)
    return render_template("daily_report.html", data=data, day=day.isoformat(), satisfaction_line=summary_line,
                           page_rows=PAGE_ROWS)


@bp.get("/reports/daily/<day>.<fmt>", role=VIEWER)
def report_download(day: str, fmt: str):
    ctx = guatu()
    when = check_day(day)
    if fmt not in ("xlsx", "pdf"):
        raise BadParameters([FieldError("format", t("request.not_in_enum", expected="xlsx, pdf"))])
    data = report_data(ctx.store, ctx.campaign, when, ctx.now())
    if fmt == "xlsx":
        body = build_xlsx(data)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = build_pdf(data, ctx.store, ctx.campaign, ctx.data_dir, ctx.now())
        mimetype = "application/pdf"
    resp = Response(body, mimetype=mimetype)
    resp.headers["Content-Disposition"] = f'attachment; filename="daily-report-{when.isoformat()}.{fmt}"'
    resp.headers["Cache-Control"] = "no-store"
    return resp


@click.command("daily-report")
@click.option("--date", "day", default=None, help="YYYY-MM-DD (default: today in the campaign's time zone)")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="folder to write 日报-<date>.xlsx and 日报-<date>.pdf into")
@click.option("--no-pdf", is_flag=True, help="write the workbook only")
@with_appcontext
def daily_report_command(day: str | None, out: Path, no_pdf: bool) -> None:
    """Write the daily report (日报) of a day: an XLSX workbook and a PDF."""
    ctx = guatu()
    try:
        when = check_day(day) if day else guatu().today()
        data = report_data(ctx.store, ctx.campaign, when, ctx.now())
        out.mkdir(parents=True, exist_ok=True)
        xlsx = out / t("report.file", day=when.isoformat(), ext="xlsx")
        atomic_write(xlsx, build_xlsx(data))
        click.echo(str(xlsx))
        if not no_pdf:
            pdf = out / t("report.file", day=when.isoformat(), ext="pdf")
            atomic_write(pdf, build_pdf(data, ctx.store, ctx.campaign, ctx.data_dir, ctx.now()))
            click.echo(str(pdf))
    except GuatuError as exc:
        raise click.ClickException(exc.message) from None
