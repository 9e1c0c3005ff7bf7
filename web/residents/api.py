"""Residents' reports over /api. Public (no account; abuse resistance in guard.py):

    GET  /api/residents/challenge                      a signed proof-of-work challenge
    POST /api/residents/photos                         one photo (multipart `file`) → {"id"}
    POST /api/residents/reports                        the report (JSON, with the challenge's answer) → 201 {"code", …}
    GET  /api/residents/receipts/<code>                what the reporter may see (geo.residents.reports.public_view)
    POST /api/residents/receipts/<code>/rating         {"value", "comment"} once closed

Staff (inspector or above, the reports of their areas):

    GET  /api/residents/reports[?state=]               the triage queue, phone numbers included
    GET  /api/residents/reports/<code>/candidates      open cases near the pin, nearest first
    POST /api/residents/reports/<code>/triage          {"action": accept|merge|reject|hide|show, …}
"""

from __future__ import annotations

from flask import jsonify, request

from geo.errors import FieldError, ValidationError
from geo.messages import t
from geo.residents import reports as rr
from geo.residents.challenge import issue
from geo.residents.photos import keep_photo
from web.access.auth import principal
from web.core.context import guatu
from web.core.http import json_body
from web.core.language import request_lang
from web.core.routes import INSPECTOR, PUBLIC
from web.core.settings import get_settings
from web.residents import docs, guard
from web.residents.blueprint import bp

TRIAGE = ("accept", "merge", "reject", "hide", "show")


def _no_store(resp):
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.get("/api/residents/challenge", role=PUBLIC, doc=docs.CHALLENGE)
def challenge():
    ctx = guatu()
    return _no_store(jsonify(issue(guard.challenge_key(), ctx.now(), get_settings().report_challenge_bits)))


@bp.post("/api/residents/photos", role=PUBLIC, doc=docs.PHOTO)
def photo():
    guard.count("photo")
    upload = request.files.get("file")
    if upload is None:
        raise ValidationError([FieldError("file", t("residents.no_file"))])
    return _no_store(jsonify({"id": keep_photo(guatu().store, upload.stream)})), 201


@bp.post("/api/residents/reports", role=PUBLIC, doc=docs.SUBMIT)
def submit():
    body = json_body()
    guard.paid(body)  # first: an unpaid attempt costs the server one HMAC and counts for nothing
    guard.count("report")
    ctx, who, device = guatu(), principal(), guard.device()
    squad = body.get("squad")
    channel = "volunteer" if squad or (who is not None and who.via == "session") else "web"
    client = body.get("client_id")
    key = f"{device or 'nodevice'}-{client}"[:80] if isinstance(client, str) and client else None
    record = rr.submit(ctx.store, ctx.campaign, lon=body.get("lon"), lat=body.get("lat"),
                       category=body.get("category"), description=body.get("description"), now=ctx.now(),
                       photos=body.get("photos") or (), phone=body.get("phone"), name=body.get("name"),
                       address=body.get("address"), channel=channel, squad=squad, device=device,
                       data_dir=ctx.data_dir, client_key=key)
    view = rr.public_view(ctx.store, ctx.campaign, record, lang=request_lang())
    return _no_store(jsonify(view)), 201


@bp.get("/api/residents/receipts/<code>", role=PUBLIC, doc=docs.RECEIPT)
def receipt(code: str):
    ctx = guatu()
    return _no_store(jsonify(rr.public_view(ctx.store, ctx.campaign, guard.report_of(code), lang=request_lang())))


@bp.post("/api/residents/receipts/<code>/rating", role=PUBLIC, doc=docs.RATE)
def rating(code: str):
    body = json_body()
    ctx = guatu()
    record = rr.rate(ctx.store, ctx.campaign, code, body.get("value"), body.get("comment"), ctx.now())
    return _no_store(jsonify(rr.public_view(ctx.store, ctx.campaign, record, lang=request_lang())))


def staff_row(record: dict) -> dict:
    """A report as the triage queue shows it: everything, the phone and name included (staff only)."""
    ctx = guatu()
    view = rr.public_view(ctx.store, ctx.campaign, record, lang=request_lang())
    return {**{k: v for k, v in record.items() if k not in ("device",)}, "progress": view["state"],
            "progress_text": view["state_text"], "state_text": t(f"residents.state.{record['state']}", lang=request_lang()),
            "at_local": view["at_local"]}


@bp.get("/api/residents/reports", role=INSPECTOR, doc=docs.QUEUE)
def queue():
    state = request.args.get("state")
    rows = [staff_row(r) for r in rr.triage_queue(guatu().store, principal()) if state in (None, "", r["state"])]
    return _no_store(jsonify({"reports": rows, "count": len(rows)}))


@bp.get("/api/residents/reports/<code>/candidates", role=INSPECTOR, doc=docs.CANDIDATES)
def candidates(code: str):
    store = guatu().store
    record = rr.get(store, code)
    if not rr.may_triage(principal(), record):
        raise rr.ReportForbidden(t("residents.not_your_area"))
    return _no_store(jsonify({"cases": rr.merge_candidates(store, record)}))


@bp.post("/api/residents/reports/<code>/triage", role=INSPECTOR, doc=docs.TRIAGE)
def triage(code: str):
    body = json_body()
    action = body.get("action")
    ctx, who = guatu(), principal()
    if action not in TRIAGE:
        raise ValidationError([FieldError("action", t("residents.unknown_action", actions=", ".join(TRIAGE)))])
    if action == "accept":
        record = rr.accept(ctx.store, ctx.campaign, code, principal=who, now=ctx.now(), layer=body.get("layer"),
                           fid=body.get("fid"))
    elif action == "merge":
        record = rr.merge(ctx.store, ctx.campaign, code, principal=who, now=ctx.now(), layer=body.get("layer"),
                          fid=body.get("fid"), pid=body.get("pid"))
    elif action == "reject":
        record = rr.reject(ctx.store, ctx.campaign, code, principal=who, now=ctx.now(), reason=body.get("reason"))
    else:
        record = rr.hide(ctx.store, code, principal=who, hidden=action == "hide")
    return _no_store(jsonify(staff_row(record)))
