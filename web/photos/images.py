"""The images of photos: `/photos/<sha256>/<variant>.jpg` (thumb, preview, full) and, for editors, the original.

A photo's URL names its content (the SHA-256 of the bytes uploaded), so what it answers never changes: it is
cached for a year as immutable, its ETag is the id, and If-None-Match answers 304 without reading it. Only
the JPEG variants made at upload are served as images (`nosniff`: never read as anything else); the
original, whatever its type, only as a download (`Content-Disposition: attachment`) to an editor. A display
link may read thumbnails, where it was made with photos on (web/access/display_scope.py).
"""

from __future__ import annotations

from flask import Response, request

from geo.errors import NotFound
from geo.messages import t
from geo.photos import photo_bytes
from geo.photos.blobs import SERVED, check_name
from web.core.context import guatu
from web.core.routes import EDITOR, VIEWER, Display
from web.photos.blueprint import bp

IMMUTABLE = "private, max-age=31536000, immutable"


@bp.get("/photos/<photo_id>/<variant>.jpg", role=VIEWER, display=Display.PHOTOS)
def image(photo_id: str, variant: str):
    check_name(photo_id, "thumb")  # not a photo id: 404
    if variant not in SERVED:  # the original is a download (below), never an image here
        raise NotFound(t("photo.unknown_variant", variant=variant, variants=", ".join(SERVED)))
    if photo_id in request.if_none_match:
        return _cached(Response(status=304), photo_id)
    return _cached(Response(photo_bytes(guatu().store, photo_id, variant), mimetype="image/jpeg"), photo_id)


@bp.get("/photos/<photo_id>/original", role=EDITOR)
def original(photo_id: str):
    """The bytes as uploaded, as a download only: never shown in the browser, whatever they are."""
    resp = _cached(Response(photo_bytes(guatu().store, photo_id, "original"), mimetype="application/octet-stream"),
                   photo_id)
    resp.headers["Content-Disposition"] = f'attachment; filename="{photo_id[:16]}"'
    return resp


def _cached(resp: Response, photo_id: str) -> Response:
    resp.headers["Cache-Control"] = IMMUTABLE
    resp.set_etag(photo_id)
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp
