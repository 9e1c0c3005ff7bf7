"""Response helpers: ETag revalidation (304) and pre-compressed gzip bodies."""

from __future__ import annotations

import gzip
import hashlib

from flask import Response, request

from web.context import Cached


def make_cached(body: bytes) -> Cached:
    etag = hashlib.blake2b(body, digest_size=12).hexdigest()
    return Cached(body=body, etag=etag)


def send_cached(item: Cached, mimetype: str = "application/json") -> Response:
    """304 when the client has this version; gzip when it accepts it."""
    if item.etag in request.if_none_match:
        resp = Response(status=304)
    else:
        body = item.body
        resp = Response(mimetype=mimetype)
        if "gzip" in request.accept_encodings and len(body) > 1024:
            if item.gzipped is None:
                item.gzipped = gzip.compress(body, compresslevel=6, mtime=0)
            body = item.gzipped
            resp.headers["Content-Encoding"] = "gzip"
        resp.set_data(body)
    resp.set_etag(item.etag)
    resp.headers["Vary"] = "Accept-Encoding"
    resp.headers["Cache-Control"] = "no-cache"  # always revalidate, cheaply
    return resp
