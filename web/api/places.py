"""A place's ledger, history, revert and past states over HTTP (thin: rules live in geo/)."""

from __future__ import annotations

from flask import Response, jsonify, request

from geo.boundaries import locate
from geo.cases import is_dispatcher
from geo.errors import BadParameters, FieldError, ValidationError
from geo.geojson_io import dumps
from geo.history import end_of_day, layer_as_of, readable_history, revert_op, revert_preview
from geo.ledger import add_problem, explain_rule, update_problem
from geo.messages import message_of, t
from geo.validate import parse_date
from web.access.auth import acting_scope, acting_user, principal
from web.api import docs
from web.api.blueprint import bp
from web.api.writes import expected_version, feature_response
from web.core.context import guatu
from web.core.http import json_body
from web.core.photo_links import readable_with_urls
from web.core.routes import EDITOR, VIEWER


def _number(name: str) -> float:
    try:
        return float(request.args[name])
    except (KeyError, ValueError):
        raise BadParameters([FieldError(name, "expected a number")]) from None


@bp.get("/locate", role=VIEWER, doc=docs.LOCATE)
def locate_point():
    """Which sub-district and community a point falls in: ?lon=…&lat=…"""
    ctx = guatu()
    return jsonify(locate(ctx.data_dir, ctx.campaign, _number("lon"), _number("lat")))


@bp.get("/ledger-rule", role=VIEWER, doc=docs.LEDGER_RULE)
def ledger_rule():
    return jsonify({"rule": guatu().campaign.status_rule.__dict__, "explanation": explain_rule(guatu().campaign)})


@bp.post("/layers/<layer_id>/features/<fid>/problems", role=EDITOR, doc=docs.NEW_PROBLEM)
def new_problem(layer_id: str, fid: str):
    body = json_body()
    ctx = guatu()
    feature = ctx.store.get(layer_id, fid)
    who = principal()
    changes = add_problem(feature, body.get("problem"), ctx.campaign, ctx.today(), now=ctx.now(),
                          user=who.username if who else None, by=acting_user(),
                          may_dispatch=who is not None and is_dispatcher(who, feature["properties"]))
    result = ctx.store.update(layer_id, fid, expected_version=expected_version(layer_id, fid, body, feature),
                            user=acting_user(), scope=acting_scope(), properties=changes,
                            case_write=True)  # files the problem's case
    return feature_response(result, 201)


@bp.patch("/layers/<layer_id>/features/<fid>/problems/<pid>", role=EDITOR, doc=docs.EDIT_PROBLEM)
def edit_problem(layer_id: str, fid: str, pid: str):
    body = json_body()
    ctx = guatu()
    feature = ctx.store.get(layer_id, fid)
    changes = update_problem(feature, pid, body.get("problem"), ctx.campaign, ctx.today(), principal=principal(),
                             now=ctx.now())
    result = ctx.store.update(layer_id, fid, expected_version=expected_version(layer_id, fid, body, feature),
                            user=acting_user(), scope=acting_scope(), properties=changes)
    return feature_response(result)


@bp.post("/layers/<layer_id>/features/<fid>/revert", role=EDITOR, doc=docs.REVERT)
def revert_feature(layer_id: str, fid: str):
    """Bring a place back to an earlier version; the revert is itself a new change."""
    body = json_body()
    to_version = body.get("to_version")
    if isinstance(to_version, bool) or not isinstance(to_version, int):
        raise ValidationError([FieldError("to_version", t("inspections.whole_number"), fid)])
    ctx = guatu()
    op = revert_op(ctx.store, layer_id, fid, to_version, expected_version(layer_id, fid, body))
    return feature_response(ctx.store.apply([op], user=acting_user(), scope=acting_scope())[0])


@bp.get("/layers/<layer_id>/features/<fid>/revert/<int:to_version>", role=EDITOR, doc=docs.REVERT_PREVIEW)
def revert_preview_of(layer_id: str, fid: str, to_version: int):
    """What POST …/revert with this `to_version` would do (nothing is written)."""
    return Response(dumps(revert_preview(guatu().store, layer_id, fid, to_version)), mimetype="application/json")


@bp.get("/layers/<layer_id>/features/<fid>/history/readable", role=VIEWER, doc=docs.READABLE_HISTORY)
def history_readable(layer_id: str, fid: str):
    entries = readable_with_urls(readable_history(guatu().store, layer_id, fid))
    return Response(dumps(entries), mimetype="application/json")


@bp.get("/layers/<layer_id>/as-of/<day>", role=VIEWER, doc=docs.AS_OF)
def features_as_of(layer_id: str, day: str):
    """The layer as it stood at the end of a day (campaign time zone)."""
    try:
        when = end_of_day(parse_date(day), guatu().campaign)
    except ValueError as exc:
        raise BadParameters([FieldError("day", message_of(exc))]) from None
    features = layer_as_of(guatu().store, layer_id, when)
    body = b'{"type":"FeatureCollection","as_of":' + dumps(day) + b',"features":[' + b",".join(dumps(f) for f in features) + b"]}"
    return Response(body, mimetype="application/geo+json")
