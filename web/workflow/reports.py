"""Campaign workflow over HTTP and the command line (thin: rules in geo/responsibility, progress, daily_report).

    GET /mine[?person=…|unit=…]         my places (四包一), most urgent first; default: the logged-in user's name
    GET /api/mine?person=…|unit=…       the same as JSON
    GET /api/progress/milestones        plan against actual for every milestone (时间节点)
    GET /api/timeline?from=…&to=…       places per status at the end of each day
    GET /reports/daily[?date=…]         the daily report page; …/daily/<date>.xlsx and .pdf download it
    flask --app web daily-report --date 2026-11-24 --out DIR
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from flask import Blueprint, Response, jsonify, render_template, request
from flask.cli import with_appcontext

from geo.daily_report import build_pdf, build_xlsx, report_data
from geo.errors import FieldError, GuatuError, ValidationError
from geo.geojson_io import atomic_write, dumps
from geo.inspections import check_day
from geo.messages import t
from geo.progress import milestones, parse_range, timeline
from geo.responsibility import my_places, responsible_names
from geo.rules import local_now
from web.access.auth import DISPLAY_ENDPOINTS, principal
from web.core.context import guatu
from web.core.http import make_cached, send_cached
from web.workflow.openapi import describe

bp = Blueprint("workflow", __name__)
describe()  # the /api routes here and in web/workflow/inspections.py, in /api/openapi.json
# A wall screen's display token may read the plan and the timeline (never anyone's list; the day's inspections
# only as web/workflow/inspections.py's wall summary shows them).
DISPLAY_ENDPOINTS.update({"workflow.milestones_api", "workflow.timeline_api"})


def _today() -> date:
    g = guatu()
    return local_now(g.campaign, g.now()).date()


def _who() -> tuple[str | None, str | None]:
    person = request.args.get("person")
    unit = request.args.get("unit")
    if not person and not unit:
        p = principal()
        person = p.name if p and p.via != "public" else None
    return person, unit


@bp.get("/mine")
def mine_page():
    g = guatu()
    person, unit = _who()
    data = my_places(g.store, g.campaign, g.now(), person=person, unit=unit)
    return render_template("mine.html", data=data, names=responsible_names(g.store, g.campaign))


@bp.get("/api/mine")
def mine_api():
    g = guatu()
    person, unit = _who()
    if not person and not unit:
        raise ValidationError([FieldError("person", "name a person (?person=…) or a unit (?unit=…)")])
    return jsonify(my_places(g.store, g.campaign, g.now(), person=person, unit=unit))


@bp.get("/api/progress/milestones")
def milestones_api():
    """Replays the journal back to each past milestone: built once per store revision and local day."""
    g = guatu()
    key = ("milestones", g.store.revision(), _today())
    return send_cached(g.cache.get(key, lambda: make_cached(dumps(milestones(g.store, g.campaign, g.now())))))


@bp.get("/api/timeline")
def timeline_api():
    g = guatu()
    first, last = parse_range(request.args.get("from"), request.args.get("to"), _today())
    return jsonify(timeline(g.store, g.campaign, first, last))


@bp.get("/reports/daily")
def report_page():
    g = guatu()
    day = check_day(request.args.get("date") or _today().isoformat())
    data = report_data(g.store, g.campaign, day, g.now())
    return render_template("daily_report.html", data=data, day=day.isoformat())


@bp.get("/reports/daily/<day>.<fmt>")
def report_download(day: str, fmt: str):
    g = guatu()
    when = check_day(day)
    if fmt not in ("xlsx", "pdf"):
        raise ValidationError([FieldError("format", t("request.not_in_enum", expected="xlsx, pdf"))])
    data = report_data(g.store, g.campaign, when, g.now())
    if fmt == "xlsx":
        body = build_xlsx(data)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = build_pdf(data, g.store, g.campaign, g.data_dir, g.now())
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
    g = guatu()
    try:
        when = check_day(day) if day else _today()
        data = report_data(g.store, g.campaign, when, g.now())
        out.mkdir(parents=True, exist_ok=True)
        xlsx = out / f"日报-{when.isoformat()}.xlsx"
        atomic_write(xlsx, build_xlsx(data))
        click.echo(str(xlsx))
        if not no_pdf:
            pdf = out / f"日报-{when.isoformat()}.pdf"
            atomic_write(pdf, build_pdf(data, g.store, g.campaign, g.data_dir, g.now()))
            click.echo(str(pdf))
    except GuatuError as exc:
        raise click.ClickException(exc.message) from None
