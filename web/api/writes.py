"""Writes through the HTTP API: create, update, delete places, set many statuses.

Every write needs an editor and names the version it started from — in
`If-Match` (the ETag `"<id>-v<version>"` that reading the feature returned)
or as `"version"` in the body — so a stale save is refused with 409 and
the current feature, never applied. `If-Match: *` writes over whatever
version is current (412 when the place does not exist); a weak ETag
(`W/"…"`) is refused with 412, as RFC 9110's strong comparison requires. Validation and journaling happen in
the store; this module only parses requests.
"""

from __future__ import annotations

import re

from flask import Response, request, url_for

from geo.boundaries import fill_location
from geo.errors import BadParameters, FieldError, NotFound, PreconditionRequired, ValidationError
from geo.features_edit import PreconditionFailed, any_version, weak_etag
from geo.geojson_io import dumps
from geo.messages import t
from geo.store.base import Op, WriteResult
from web.access.auth import acting_scope, acting_user
from web.api import docs
from web.api.blueprint import bp
from web.core.context import guatu
from web.core.http import json_body, yes_no
from web.core.routes import EDITOR

_ETAG = re.compile(r'^"?(?P<id>.+)-v(?P<version>\d+)"?$')
MAX_BATCH = 5000


def expected_version(layer_id: str, fid: str, body: dict, read: dict | None = None) -> int:
    """The version the write started from: If-Match, else `version` in the body. `If-Match: *` stands for the
    current version — that of `read` when the view computed its change from a place it read."""
    header = (request.headers.get("If-Match") or "").strip()
    if header == "*":  # any current version: the write goes against the version there is now
        if read is None:
            guatu().store.layer(layer_id)  # an unknown layer is a 404, whatever the precondition
            try:
                read = guatu().store.get(layer_id, fid)
            except NotFound:
                read = None
        return any_version(fid, read)
    if header:
        m = _ETAG.match(header[2:] if weak_etag(header) else header)
        if m and m.group("id") == fid and weak_etag(header):  # this place's tag, but weak: RFC 9110 compares strongly
            raise PreconditionFailed(t("precondition.weak_etag", fid=fid, tag=header[:80]))
        if not m or m.group("id") != fid or weak_etag(header):
            raise BadParameters([FieldError("If-Match", t("api.if_match_form", fid=fid), fid)])
        return int(m.group("version"))
    version = body.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise PreconditionRequired(t("api.version_required", fid=fid))
    return version


def feature_response(result: WriteResult, status: int = 200) -> Response:
    """A written place as GeoJSON with its version's ETag (and what a repair changed, in `notes`)."""
    f = result.feature
    body = dict(f, notes=result.notes) if result.notes else f
    resp = Response(dumps(body), status=status, mimetype="application/geo+json")
    resp.set_etag(f"{f['id']}-v{f['properties']['version']}")
    return resp


@bp.post("/layers/<layer_id>/features", role=EDITOR, doc=docs.CREATE_FEATURE)
def create_feature(layer_id: str):
    body = json_body()
    ctx = guatu()
    fill_location(body, ctx.data_dir, ctx.campaign)  # a new place gets the sub-district and community it lies in
    result = ctx.store.create(layer_id, body, user=acting_user(), scope=acting_scope(),
                              repair=yes_no(request.args, "repair", parameter=True))
    resp = feature_response(result, 201)
    resp.headers["Location"] = url_for("api.feature", layer_id=layer_id, fid=result.feature["id"])
    return resp


@bp.patch("/layers/<layer_id>/features/<fid>", role=EDITOR, doc=docs.UPDATE_FEATURE)
def update_feature(layer_id: str, fid: str):
    """Merge `properties` into the place's and/or replace its `geometry`."""
    body = json_body()
    props = body.get("properties")
    if props is not None and not isinstance(props, dict):
        raise ValidationError([FieldError("properties", t("feature.not_an_object_value"), fid)])
    result = guatu().store.update(
        layer_id, fid, expected_version=expected_version(layer_id, fid, body), user=acting_user(), scope=acting_scope(),
        properties=props, geometry=body.get("geometry"), repair=yes_no(request.args, "repair", parameter=True),
    )
    return feature_response(result)


@bp.delete("/layers/<layer_id>/features/<fid>", role=EDITOR, doc=docs.DELETE_FEATURE)
def delete_feature(layer_id: str, fid: str):
    body = json_body() if request.data else {}  # optional: {"version": n} instead of If-Match
    guatu().store.delete(layer_id, fid, expected_version=expected_version(layer_id, fid, body), user=acting_user(),
                         scope=acting_scope())
    return Response(status=204)


@bp.post("/layers/<layer_id>/status", role=EDITOR, doc=docs.SET_STATUS)
def set_status(layer_id: str):
    """Set one status on many places at once: {"status": "...", "features": {"id": version, ...}}.

    All or nothing: if any place changed meanwhile or is unknown, nothing is written."""
    body = json_body()
    items = body.get("features")
    if not isinstance(items, dict) or not items or len(items) > MAX_BATCH:
        raise ValidationError([FieldError("features", t("api.batch_shape", maximum=MAX_BATCH))])
    ops = []
    for fid, version in items.items():
        if isinstance(version, bool) or not isinstance(version, int):
            raise ValidationError([FieldError("features", t("api.batch_version"), fid)])
        ops.append(Op("update", layer_id, fid, properties={"status": body.get("status")}, expected_version=version))
    results = guatu().store.apply(ops, user=acting_user(), scope=acting_scope())
    return Response(dumps({"updated": {r.feature["id"]: r.feature["properties"]["version"] for r in results},
                           "revision": guatu().store.revision()}), mimetype="application/json")
