"""A place's ledger, history, revert and past states over HTTP (thin: rules live in geo/)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from geo.boundaries import locate
from geo.errors import FieldError, ValidationError
from geo.geojson_io import dumps
from geo.history import end_of_day, layer_as_of, readable_history, revert_op
from geo.ledger import add_problem, explain_rule, update_problem
from geo.messages import message_of, t
from geo.rules import local_now
from geo.validate import parse_date
from web.access.auth import acting_user, requires
from web.api.writes import _expected_version, _feature_response, _json_body
from web.core.context import guatu

bp = Blueprint("places", __name__, url_prefix="/api")


def _today():
    g = guatu()
    return local_now(g.campaign, g.now()).date()


def _number(name: str) -> float:
    try:
        return float(request.args[name])
    except (KeyError, ValueError):
        raise ValidationError([FieldError(name, "expected a number")]) from None


@bp.get("/locate")
def where():
    """Which sub-district and community a point falls in: ?lon=…&lat=…"""
    g = guatu()
    return jsonify(locate(g.data_dir, g.campaign, _number("lon"), _number("lat")))


@bp.get("/ledger-rule")
def ledger_rule():
    return jsonify({"rule": guatu().campaign.status_rule.__dict__, "explanation": explain_rule(guatu().campaign)})


@bp.post("/layers/<layer_id>/features/<fid>/problems")
@requires("editor")
def new_problem(layer_id: str, fid: str):
    body = _json_body()
    g = guatu()
    feature = g.store.get(layer_id, fid)
    changes = add_problem(feature, body.get("problem"), g.campaign, _today())
    result = g.store.update(layer_id, fid, expected_version=_expected_version(layer_id, fid, body, feature),
                            user=acting_user(), properties=changes)
    return _feature_response(result, 201)


@bp.patch("/layers/<layer_id>/features/<fid>/problems/<pid>")
@requires("editor")
def edit_problem(layer_id: str, fid: str, pid: str):
    body = _json_body()
    g = guatu()
    feature = g.store.get(layer_id, fid)
    changes = update_problem(feature, pid, body.get("problem"), g.campaign, _today())
    result = g.store.update(layer_id, fid, expected_version=_expected_version(layer_id, fid, body, feature),
                            user=acting_user(), properties=changes)
    return _feature_response(result)


@bp.post("/layers/<layer_id>/features/<fid>/revert")
@requires("editor")
def revert(layer_id: str, fid: str):
    """Bring a place back to an earlier version; the revert is itself a new change."""
    body = _json_body()
    to_version = body.get("to_version")
    if isinstance(to_version, bool) or not isinstance(to_version, int):
        raise ValidationError([FieldError("to_version", t("inspections.whole_number"), fid)])
    g = guatu()
    op = revert_op(g.store, layer_id, fid, to_version, _expected_version(layer_id, fid, body))
    return _feature_response(g.store.apply([op], user=acting_user())[0])


@bp.get("/layers/<layer_id>/features/<fid>/history/readable")
def readable(layer_id: str, fid: str):
    return Response(dumps(readable_history(guatu().store, layer_id, fid)), mimetype="application/json")


@bp.get("/layers/<layer_id>/as-of/<day>")
def as_of(layer_id: str, day: str):
    """The layer as it stood at the end of a day (campaign time zone)."""
    try:
        when = end_of_day(parse_date(day), guatu().campaign)
    except ValueError as exc:
        raise ValidationError([FieldError("day", message_of(exc))]) from None
    features = layer_as_of(guatu().store, layer_id, when)
    body = b'{"type":"FeatureCollection","as_of":' + dumps(day) + b',"features":[' + b",".join(dumps(f) for f in features) + b"]}"
    return Response(body, mimetype="application/geo+json")
