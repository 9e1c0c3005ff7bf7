"""A place's photos over HTTP: list, upload (also under a ledger problem), delete. Thin: geo/photos/ holds the rules.

An upload is multipart/form-data: the image in `file`, the optional fields of `form.py`. Its size is checked
from Content-Length before anything is read (413, GUATU_PHOTO_MAX_MB), its fields before its image (422),
and the image is handed to geo.photos.add_photo as the stream werkzeug spooled it to, never read into memory
here. Adding the same image, or the same `client_id`, to the same place again answers 200 with the entry
already there, so a phone that retries an upload never doubles it.
"""

from __future__ import annotations

from flask import jsonify, request

from geo.cases import may_add_evidence
from geo.errors import FieldError, TooLarge, ValidationError
from geo.ledger import find_problem
from geo.messages import t
from geo.photos import add_photo, photos_of, remove_photo
from geo.scope import Scope
from web.access.auth import acting_scope, acting_user, principal
from web.api.writes import expected_version
from web.core.context import guatu
from web.core.photo_links import VARIANTS
from web.core.photo_links import with_urls as with_image_urls
from web.core.routes import EDITOR, INSPECTOR, VIEWER, Display
from web.core.settings import get_settings
from web.photos import docs
from web.photos.blueprint import bp
from web.photos.form import upload_fields

PLACE = "/api/layers/<layer_id>/features/<fid>"
FORM_ALLOWANCE = 64 * 1024  # room for the multipart boundaries and the text fields beside the image
MB = 1024 * 1024


def with_urls(entry: dict) -> dict:
    """A photo entry with the URLs of its images; a display link is given the thumbnail's only."""
    p = principal()
    return with_image_urls([entry], ("thumb",) if p is not None and p.via == "display" else VARIANTS)[0]


def _place_version(layer_id: str, fid: str) -> dict:
    return {"id": fid, "version": guatu().store.get(layer_id, fid)["properties"]["version"]}


@bp.get(PLACE + "/photos", role=VIEWER, display=Display.PHOTOS, doc=docs.LIST_PHOTOS)
def list_photos(layer_id: str, fid: str):
    """The place's photos, newest first; `problem` and `role` narrow the list."""
    feature = guatu().store.get(layer_id, fid)  # `role`, when given, is one of the roles: the operation checks it
    entries = photos_of(feature, problem=request.args.get("problem") or None, role=request.args.get("role") or None)
    return jsonify({"photos": [with_urls(e) for e in entries],
                    "feature": {"id": fid, "version": feature["properties"]["version"]}})


@bp.post(PLACE + "/photos", role=INSPECTOR, doc=docs.UPLOAD_PHOTO)
def upload_photo(layer_id: str, fid: str):
    return _upload(layer_id, fid, problem=None)


@bp.post(PLACE + "/problems/<pid>/photos", role=INSPECTOR, doc=docs.UPLOAD_PROBLEM_PHOTO)
def upload_problem_photo(layer_id: str, fid: str, pid: str):
    return _upload(layer_id, fid, problem=pid)


@bp.delete(PLACE + "/photos/<photo_id>", role=EDITOR, doc=docs.DELETE_PHOTO)
def delete_photo(layer_id: str, fid: str, photo_id: str):
    """Take a photo off the place (a journaled change); If-Match, when sent, names the version it started from."""
    expected = expected_version(layer_id, fid, {}) if request.headers.get("If-Match") else None
    remove_photo(guatu().store, layer_id, fid, photo_id, user=acting_user(), expected_version=expected,
                 scope=acting_scope())
    return jsonify({"feature": _place_version(layer_id, fid)})


def _upload(layer_id: str, fid: str, *, problem: str | None):
    conf = get_settings()
    limit = int(conf.photo_max_mb * MB)
    _refuse_too_large(limit)
    store = guatu().store
    feature = store.get(layer_id, fid)  # an unknown layer or place: 404 before the body is read
    scope = acting_scope()
    if problem is not None:  # the URL names a problem the ledger does not have: 404
        scope = _scope_under(feature, find_problem(feature, problem))
    fields = upload_fields(request.form, problem=problem)
    upload = request.files.get("file")
    if upload is None:
        raise ValidationError([FieldError("file", t("photos.file_missing"))])
    entry, created = add_photo(store, layer_id, fid, upload.stream, user=acting_user(), scope=scope, max_bytes=limit,
                               keep_location=conf.photo_keep_location, **fields)
    body = {"photo": with_urls(entry), "feature": _place_version(layer_id, fid)}
    resp = jsonify(body)
    resp.status_code = 201 if created else 200
    if created:
        resp.headers["Location"] = body["photo"]["urls"]["full"]
    return resp


def _scope_under(feature: dict, problem: dict) -> Scope | None:
    """The scope an upload under a problem is checked against: the writer's own (the store refuses a place
    outside it with the 403 that names it), or none for the case's handler or a possible verifier
    (geo.cases.may_add_evidence: a unit's handler adds the after photo of a place outside their scope)."""
    p = principal()
    if p is not None and may_add_evidence(problem, feature["properties"], p):
        return None
    return acting_scope()


def _refuse_too_large(limit: int) -> None:
    """A body larger than the photo limit (and the room its form fields take) is refused before it is read. One
    sent without Content-Length (chunked) is read whole first (web/core/security.py); add_photo then stops
    reading its image at the limit, also with 413."""
    size = request.content_length
    if size is not None and size > limit + FORM_ALLOWANCE:
        raise TooLarge(t("photo.too_large", limit=f"{limit / MB:g}"))
