"""The front end's files (`/static/…`, the endpoint `static`): compressed, and cached by browsers as long as they
can be.

* **Compressed.** Scripts, styles, source maps, SVG and JSON are sent gzipped to a browser that takes gzip (a
  phone on a poor network loads the field page's modules a third of their size). Each file is compressed once per
  version of it — the copy is kept by the file's path, size and modification time, so a file changed on disk is
  compressed again at its next request, never served stale — in a bounded cache (`COMPRESSED_BYTES`).
* **Cached.** A bundle's files (`bundle/<version>/…`, web/core/bundles.py) are named by their content: a new
  version is a new folder, so a browser keeps them for a year without asking again (`immutable`). Every other
  file keeps its name from one version of Guatu to the next, so the browser asks each time whether its copy is
  still current (`no-cache`: a 304 when it is, by ETag or date).

Why not a static-files middleware (WhiteNoise): it serves the listing taken at start, and its compressed copies
are files written beside the sources, which go stale when a module is edited under a running server; a field
page's modules are served one by one (its service worker precaches them), so each must be right as it is on disk.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import re
from collections import OrderedDict
from pathlib import Path
from threading import Lock

from flask import Flask, Response, request, send_from_directory
from werkzeug.exceptions import NotFound
from werkzeug.security import safe_join

from web.core.modules import STATIC

GZIP_LEVEL = 9  # each file is compressed once per version: the smallest answer is worth the time
SMALLEST = 1024  # bytes: smaller files go as they are (gzip's header and the decoding would cost more)
COMPRESSED_BYTES = 32 << 20  # the compressed copies kept (Guatu's own files are about 1.5 MB compressed)
FOREVER = 365 * 24 * 3600
TEXT_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/geo+json")
VERSIONED = re.compile(r"bundle/[0-9a-f]{8,}/")  # a bundle's version folder: web/core/bundles.py


class Compressed:
    """Gzipped copies of files, by (path, size, modification time), the least recently used let go beyond
    `limit` bytes."""

    def __init__(self, limit: int = COMPRESSED_BYTES) -> None:
        self.limit = limit
        self.size = 0
        self._kept: OrderedDict[tuple, tuple[bytes, str]] = OrderedDict()
        self._lock = Lock()

    def get(self, path: Path, size: int, mtime_ns: int) -> tuple[bytes, str]:
        """The file's gzipped bytes and their ETag."""
        key = (str(path), size, mtime_ns)
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
                return kept
        raw = path.read_bytes()
        body = gzip.compress(raw, compresslevel=GZIP_LEVEL, mtime=0)
        item = (body, hashlib.blake2b(raw, digest_size=12).hexdigest() + "-gz")
        with self._lock:
            if key not in self._kept:
                self._kept[key] = item
                self.size += len(body)
            while self.size > self.limit and len(self._kept) > 1:
                _, (old, _) = self._kept.popitem(last=False)
                self.size -= len(old)
        return item


def content_type(filename: str) -> str:
    if filename.endswith(".map"):  # a script's source map
        return "application/json"
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


def compressible(filename: str) -> bool:
    return content_type(filename).startswith(TEXT_TYPES)


def cache_control(filename: str) -> str:
    return f"public, max-age={FOREVER}, immutable" if VERSIONED.match(filename) else "no-cache"


def register(app: Flask, root: Path = STATIC) -> None:
    """Serve `root` at /static (the app is made with `static_folder=None`: this is its `static` endpoint)."""
    compressed = Compressed()
    app.extensions["guatu_static"] = compressed

    def static(filename: str) -> Response:
        path = safe_join(str(root), filename)
        if path is None:
            raise NotFound()
        file = Path(path)
        try:
            stat = file.stat()
        except OSError:
            raise NotFound() from None
        if not file.is_file():
            raise NotFound()
        if stat.st_size >= SMALLEST and compressible(filename) and "gzip" in request.accept_encodings:
            body, etag = compressed.get(file, stat.st_size, stat.st_mtime_ns)
            resp = Response(body, content_type=content_type(filename))
            resp.headers["Content-Encoding"] = "gzip"
            resp.set_etag(etag)
            resp.last_modified = stat.st_mtime
            resp.make_conditional(request)
        else:
            resp = send_from_directory(root, filename, max_age=None, mimetype=content_type(filename))
        if compressible(filename):
            resp.vary.add("Accept-Encoding")
        resp.headers["Cache-Control"] = cache_control(filename)
        return resp

    app.add_url_rule("/static/<path:filename>", endpoint="static", view_func=static)
