"""Import and export over the web: upload → preview report → all-or-nothing commit; downloads.

The preview is kept on the server under a random id between the two steps
(in the campaign's database when there is one, so the confirmation may
reach another instance, else in the instance folder: web/core/shared_state.py),
so what is committed is exactly what the planner saw, and a place edited by someone else meanwhile makes the commit
fail instead of overwriting it. The rules live in geo/exchange/.
"""

from __future__ import annotations

import re
import secrets
import time
from functools import partial

from flask import Response, abort, jsonify, render_template, request, url_for

from geo.errors import FieldError, GuatuError, NotFound, ValidationError
from geo.exchange.exporter import EXPORT_FORMATS, FILTER_KEYS, export_layer
from geo.exchange.importer import ImportOptions, ImportPreview, commit_import, preview_new_layer, preview_upload
from geo.exchange.new_layer import layer_of
from geo.exchange.previews import PreviewKeeping
from geo.messages import t
from web.access.auth import ROLE_LABELS, acting_scope, acting_user, principal
from web.core.context import guatu
from web.core.http import yes_no
from web.core.routes import ADMIN, EDITOR, VIEWER
from web.core.shared_state import shared_state
from web.edit import docs
from web.edit.blueprint import bp

PREVIEW_TTL = 24 * 3600
NEW_LAYER = "+new"  # the import page's layer choice that makes a layer (never a layer id: ids are [a-z0-9_])
_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
ENCODINGS = ("", "GBK", "GB18030", "UTF-8", "BIG5")


def _previews() -> PreviewKeeping:
    """Where previews wait (the uploaded places, people and phone numbers): only the server reads them."""
    return shared_state().previews


def _admin_only() -> None:
    """Making a layer changes the campaign: administrators only (403 for anyone else)."""
    p = principal()
    if p is None or p.role != "admin":
        abort(403, t("accounts.role_needed", role=ROLE_LABELS["admin"], have=ROLE_LABELS.get(p.role, p.role) if p else "-"))


def _start_preview(*, new_layer: bool = False) -> tuple[str, ImportPreview]:
    """Read the uploaded file and keep its preview; raises ValidationError for bad input. `new_layer` (or the
    form's layer choice "+new"): into a layer the commit makes, named by the form's new_layer_* fields."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ValidationError([FieldError("file", t("import.choose_file"))])
    layer_id = request.form.get("layer") or (request.view_args or {}).get("layer_id") or ""
    new_layer = new_layer or layer_id == NEW_LAYER
    if new_layer:
        _admin_only()
    encoding = request.form.get("encoding") or None
    if encoding not in ENCODINGS and encoding is not None:
        raise ValidationError([FieldError("encoding", t("request.not_in_enum", expected=", ".join(e for e in ENCODINGS if e)))])
    options = ImportOptions(gcj02=yes_no(request.form, "gcj02", parameter=False), encoding=encoding,
                            repair=yes_no(request.form, "repair", parameter=False),
                            data_dir=guatu().data_dir)  # its boundaries fill in an empty 街道 / 社区
    if new_layer:
        wanted = {k: request.form.get(f"new_layer_{k}", "") for k in ("id", "title", "kinds")}
        preview = preview_new_layer(guatu().store, wanted, upload.read(), upload.filename, options, scope=acting_scope())
    else:
        preview = preview_upload(guatu().store, layer_id, upload.read(), upload.filename, options, scope=acting_scope())
    previews = _previews()
    now = time.time()
    previews.expire(now - PREVIEW_TTL)
    pid = secrets.token_urlsafe(18)
    previews.put(pid, {"user": principal().username, "created": now, "preview": preview.to_dict()})
    return pid, preview


def _load_preview(pid: str) -> ImportPreview:
    record = _previews().get(pid) if _ID.match(pid) else None
    if record is None:
        raise NotFound(t("import.preview_gone"))
    if record["user"] != principal().username:
        raise NotFound(t("import.preview_not_yours"))
    return ImportPreview.from_dict(record["preview"])


def _dropped_columns() -> list[str]:
    """The array/object columns the person leaves out: `drop` fields (scripts), or the report's choices
    `nested:<column>` = "drop" (the page); the others are imported as text."""
    chosen = [k.removeprefix("nested:") for k, v in request.form.items(multi=True) if k.startswith("nested:") and v == "drop"]
    return request.form.getlist("drop") + chosen


def _commit(pid: str):
    preview = _load_preview(pid)
    ctx, make_layer = guatu(), None
    if preview.new_layer is not None:  # made once the plan passed its checks, taken by every process
        _admin_only()
        make_layer = partial(ctx.add_layer, layer_of(preview.new_layer))
    result = commit_import(ctx.store, preview, user=acting_user(), scope=acting_scope(),
                           skip_rejected=yes_no(request.form, "skip_rejected", parameter=False),
                           drop=_dropped_columns(), make_layer=make_layer)
    _previews().drop(pid)
    return result


# --- pages ---------------------------------------------------------------------

@bp.get("/import", role=EDITOR)
def import_page():
    return render_template("import.html", layers=guatu().campaign.layers, encodings=ENCODINGS, error=None,
                           new_layer=NEW_LAYER, may_make_layers=principal().role == "admin")


@bp.post("/import", role=EDITOR)
def import_upload():
    try:
        pid, preview = _start_preview()
    except GuatuError as exc:
        return render_template("import.html", layers=guatu().campaign.layers, encodings=ENCODINGS,
                               error=exc.message, new_layer=NEW_LAYER,
                               may_make_layers=principal().role == "admin"), exc.http_status
    counts = preview.counts
    # a file of which every feature is rejected is refused (422), with the report saying why each one was
    refused = counts.get("reject", 0) and not (counts.get("add", 0) or counts.get("change", 0))
    layer = layer_of(preview.new_layer) if preview.new_layer else guatu().store.layer(preview.layer)
    return render_template("import_report.html", pid=pid, preview=preview, layer=layer), 422 if refused else 200


@bp.post("/import/<pid>/commit", role=EDITOR)
def import_commit(pid: str):
    try:
        result = _commit(pid)
    except GuatuError as exc:
        return render_template("import_done.html", result=None, error=exc.message), exc.http_status
    return render_template("import_done.html", result=result, error=None)


@bp.get("/export", role=VIEWER)
def export_page():
    c = guatu().campaign
    return render_template("export.html", layers=c.layers, formats=EXPORT_FORMATS, statuses=c.statuses)


@bp.get("/export/<layer_id>", role=VIEWER)
def export_download(layer_id: str):
    fmt = request.args.get("format", "geojson")
    filters = {k: request.args.get(k) for k in FILTER_KEYS if request.args.get(k)}
    out = export_layer(guatu().store, layer_id, fmt, filters=filters)  # a refusal: the app's one error shape
    return _download(out)


def _download(out) -> Response:
    resp = Response(out.data, mimetype=out.mimetype)
    resp.headers["Content-Disposition"] = f'attachment; filename="{out.filename}"'
    resp.headers["X-Guatu-Count"] = str(out.count)
    return resp


# --- the same for scripts ---------------------------------------------------------

@bp.post("/api/layers/<layer_id>/imports", role=EDITOR, doc=docs.IMPORT)
def api_import(layer_id: str):
    """multipart/form-data: file, gcj02, encoding, repair → the preview report, with its id."""
    pid, preview = _start_preview()
    body = preview.to_dict()
    body.pop("plan", None)
    return jsonify({"id": pid, "commit": url_for("edit.api_import_commit", pid=pid), **body}), 201


@bp.post("/api/imports", role=ADMIN, doc=docs.IMPORT_NEW_LAYER)
def api_import_new_layer():
    """multipart/form-data: file, new_layer_id, new_layer_title, new_layer_kinds, gcj02, encoding, repair → the
    preview report of an import into a layer its commit makes."""
    pid, preview = _start_preview(new_layer=True)
    body = preview.to_dict()
    body.pop("plan", None)
    return jsonify({"id": pid, "commit": url_for("edit.api_import_commit", pid=pid), **body}), 201


@bp.post("/api/imports/<pid>/commit", role=EDITOR, doc=docs.IMPORT_COMMIT)
def api_import_commit(pid: str):
    return jsonify(_commit(pid).to_dict())


@bp.get("/api/layers/<layer_id>/export", role=VIEWER, doc=docs.EXPORT)
def api_export(layer_id: str):
    fmt = request.args.get("format", "geojson")
    filters = {k: request.args.get(k) for k in FILTER_KEYS if request.args.get(k)}
    return _download(export_layer(guatu().store, layer_id, fmt, filters=filters))


