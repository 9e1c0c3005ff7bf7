"""The front end's files (`/static/…`, the endpoint `static`): compressed, and cached by browsers as long as they
can be.

* **Compressed.** Scripts, styles, source maps, SVG and JSON of 1 KB to 8 MB are sent gzipped to a browser that
  takes gzip (a phone on a poor network loads the field page's modules a third of their size). Each file is
  compressed once per version of it, the copy kept in memory (`COMPRESSED_BYTES` per server process, the least
  recently used let go) under the file's path, size, inode, modification and change times. A file written or
  changed in the last two seconds (by its modification or change time) is compressed at each request and not
  kept, so a file rewritten within one tick of the filesystem's clock is never answered from an older copy.
* **Cached.** A bundle's files (`bundle/<version>/…`, web/core/bundles.py) are named by their content: a new
  version is a new folder, so a browser keeps them for a year without asking again (`immutable`). Every other
  file keeps its name from one version of Guatu to the next, so the browser asks each time whether its copy is
  still current (`no-cache`: a 304 when it is, by ETag or date).
* The same for everyone: the access check reads no session for these files (web/access/auth.py), so no answer
  varies by cookie or renews one.

Why not a static-files middleware (WhiteNoise): it serves the listing taken at start, and its compressed copies
are files written beside the sources, which go stale when a module is edited under a running server; a field
page's modules are served one by one (its service worker precaches them), so each must be right as it is on disk.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import os
import re
import stat as stat_mode
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from threading import Lock

from flask import Flask, Response, request, send_from_directory
from werkzeug.exceptions import NotFound
from werkzeug.security import safe_join

from web.core.modules import STATIC

GZIP_LEVEL = 9  # each file is compressed once per version: the smallest answer is worth the time
SMALLEST = 1024  # bytes: smaller files go as they are (gzip's header and the decoding would cost more)
LARGEST = 8 << 20  # bytes: larger files go as they are (not read whole into memory to compress)
COMPRESSED_BYTES = 32 << 20  # the compressed copies kept per process (Guatu's own files are about 1.5 MB compressed)
SETTLED_S = 2.0  # a file written more recently than this may still change within its modification time's tick
FOREVER = 365 * 24 * 3600
VERSIONED = re.compile(r"bundle/[0-9a-f]{8,}/")  # a bundle's version folder: web/core/bundles.py
# Types by extension, not from the host's /etc/mime.types (which a slim image lacks)
TYPES = {".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css", ".map": "application/json",
         ".json": "application/json", ".geojson": "application/geo+json", ".svg": "image/svg+xml",
         ".html": "text/html", ".txt": "text/plain", ".xml": "application/xml", ".png": "image/png",
         ".jpg": "image/jpeg", ".woff2": "font/woff2", ".woff": "font/woff", ".ico": "image/x-icon"}
TEXT_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/geo+json",
              "application/xml")


class Compressed:
    """Gzipped copies of files, by the file's identity and version (`version`), the least recently used let go
    beyond `limit` bytes."""

    def __init__(self, limit: int = COMPRESSED_BYTES, clock: Callable[[], float] = time.time) -> None:
        self.limit = limit
        self.clock = clock  # seconds since the epoch, as the filesystem's times count them
        self.size = 0
        self._kept: OrderedDict[tuple, tuple[bytes, str]] = OrderedDict()
        self._lock = Lock()

    def get(self, path: Path, stat: os.stat_result) -> tuple[bytes, str]:
        """The file's gzipped bytes and their ETag; kept only when the file has settled (`SETTLED_S`) and was not
        changed while it was read."""
        key = version(path, stat)
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
                return kept
        body = gzip.compress(path.read_bytes(), compresslevel=GZIP_LEVEL, mtime=0)
        item = (body, hashlib.blake2b(body, digest_size=12).hexdigest() + "-gz")
        if self.clock() - max(stat.st_mtime, stat.st_ctime) < SETTLED_S or version(path, path.stat()) != key:
            return item
        with self._lock:
            if key not in self._kept and len(body) <= self.limit:
                self._kept[key] = item
                self.size += len(body)
            while self.size > self.limit:
                _, (old, _) = self._kept.popitem(last=False)
                self.size -= len(old)
        return item


def version(path: Path, stat: os.stat_result) -> tuple:
    """What tells one version of a file from another: a copy that keeps the modification time (`cp -p`) still has a
    new change time, a file replaced by a rename a new inode."""
    return (str(path), stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


def content_type(filename: str) -> str:
    return TYPES.get(os.path.splitext(filename)[1].lower()) or mimetypes.guess_type(filename)[0] \
        or "application/octet-stream"


def compressible(filename: str) -> bool:
    return content_type(filename).startswith(TEXT_TYPES)


def cache_control(filename: str) -> str:
    """`filename` as found on disk, relative to the folder (a URL's `..` already resolved)."""
    return f"public, max-age={FOREVER}, immutable" if VERSIONED.match(filename) else "no-cache"


def register(app: Flask, root: Path = STATIC, compressed: Compressed | None = None) -> None:
    """Serve `root` at /static (the app is made with `static_folder=None`: this is its `static` endpoint)."""
    compressed = compressed or Compressed()
    app.extensions["guatu_static"] = compressed

    def static(filename: str) -> Response:
        path = safe_join(str(root), filename)
        if path is None:
            raise NotFound()
        file = Path(path)
        try:
            stat = file.stat()
        except (OSError, ValueError):  # (ValueError: a NUL in the name)
            raise NotFound() from None
        if not stat_mode.S_ISREG(stat.st_mode):  # (a folder)
            raise NotFound()
        name = file.relative_to(root).as_posix()
        kind = content_type(name)
        if SMALLEST <= stat.st_size <= LARGEST and compressible(name) and request.accept_encodings["gzip"] > 0:
            body, etag = compressed.get(file, stat)
            resp = Response(body, mimetype=kind)
            resp.headers["Content-Encoding"] = "gzip"
            resp.set_etag(etag)
            resp.last_modified = stat.st_mtime
            resp.make_conditional(request)
        else:
            resp = send_from_directory(root, name, max_age=None, mimetype=kind)
        if compressible(name):
            resp.vary.add("Accept-Encoding")
        resp.headers["Cache-Control"] = cache_control(name)
        return resp

    app.add_url_rule("/static/<path:filename>", endpoint="static", view_func=static)
