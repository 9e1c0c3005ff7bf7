"""The field page's service worker, served from /field/sw.js so its scope covers the page (/field/).

The worker itself is a static script (web/static/js/lib/offline-sw.js, built on
the vendored Workbox, shared with the residents' reporting page); what is served here is a two-line prologue that hands it
its settings — the URLs to precache, each with a revision (the file's hash,
so a changed file is fetched again and an unchanged one never is), and the
names of its caches, which the page uses too — then imports it. See
docs/field.md.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from pathlib import Path, PurePosixPath

from flask import Response, url_for

from web.core.bundles import ENTRIES as BUNDLED
from web.core.bundles import page_scripts
from web.core.modules import STATIC
from web.core.routes import PUBLIC
from web.field.blueprint import bp

SCOPE = "/field/"
CACHES = {"pages": "guatu-field-pages", "data": "guatu-field-data", "photos": "guatu-field-photos"}
# what the page needs to start without network besides its scripts, relative to the static folder (folders: every
# file in them)
PRECACHED = (
    "css/app.css", "css/problem-banner.css", "css/inbox-bell.css", "css/field.css", "favicon.svg",
    "vendor/leaflet/leaflet.js", "vendor/leaflet/leaflet.css", "vendor/leaflet/images",
)
# the page's scripts: its own (a bundle when one is built: web/core/bundles.py), the problem banner's and the
# inbox bell's in its navigation (web/inbox); each precached as the page loads it (`page_files`)
ENTRIES = ("js/pages/field.js", "js/pages/banner.js", "js/pages/inbox-bell.js")
WORKER = "js/lib/offline-sw.js"  # imported by the prologue, not precached


@cache
def _revisions(static: Path, names: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(path in the static folder, hash of its bytes) of every precached file; files do not change while a
    server runs (a deployment restarts it)."""
    out = []
    for name in names:
        path = static / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for f in files:
            rel = f.relative_to(static).as_posix()
            if rel != WORKER:
                out.append((rel, hashlib.sha256(f.read_bytes()).hexdigest()[:16]))
    return tuple(out)


def page_files(entries: tuple[str, ...]) -> tuple[str, ...]:
    """The scripts a page of these entry modules loads, as it loads them: each entry's bundle and its chunks, or
    the entry and every module it imports (web/core/bundles.py `page_scripts`)."""
    files: dict[str, None] = {}
    for entry in entries:
        scripts = page_scripts(entry)
        files.update(dict.fromkeys((scripts.entry, *scripts.preload)))
    return tuple(files)


def entry_aliases(entries: tuple[str, ...]) -> list[dict]:
    """For each bundled entry, the URLs a page kept from an earlier version may name for it — a bundle of the entry
    of another version, or the entry module itself — and the URL the page loads now: the worker answers such a URL
    it does not hold with a redirect there (web/static/js/lib/offline-sw.js), so a page of another day, kept while
    the scripts changed, still starts offline."""
    out = []
    for entry in entries:
        if entry not in BUNDLED:
            continue  # (loaded as its module: the same URL in every version)
        stem = re.escape(PurePosixPath(entry).stem)
        now = url_for("static", filename=page_scripts(entry).entry)
        bundle = re.escape(url_for("static", filename="bundle/"))
        # (esbuild names a bundle `<stem>-<hash>.js`, its hash of capitals and digits; the patterns are read by
        # JavaScript's RegExp, without the `u` flag, which takes Python's escapes)
        for pattern in (f"^{bundle}[^/]+/{stem}-[A-Z0-9]+\\.js$", f"^{re.escape(url_for('static', filename=entry))}$"):
            out.append({"pattern": pattern, "to": now})
    return out


def precache_manifest(names: tuple[str, ...]) -> list[dict]:
    """Workbox's precache manifest of these files and folders of the static folder: [{url, revision}]."""
    static = STATIC
    return [{"url": url_for("static", filename=rel), "revision": rev} for rel, rev in _revisions(static, names)]


def worker_prologue(settings: dict, scope: str) -> Response:
    """The worker script a page registers: its settings, then the shared worker (web/static/js/lib/offline-sw.js)."""
    body = (f"self.GUATU_OFFLINE = {json.dumps(settings, separators=(',', ':'))};\n"
            f"importScripts({json.dumps(url_for('static', filename=WORKER))});\n")
    resp = Response(body, mimetype="text/javascript")
    resp.headers["Cache-Control"] = "no-cache"  # the browser checks for a new worker on every visit
    resp.headers["Service-Worker-Allowed"] = scope
    return resp


def worker_settings() -> dict:
    """What the worker is told: its precache manifest, where an older page's script now is, cache names, where
    Workbox's modules are and the list API."""
    return {"precache": precache_manifest(PRECACHED + page_files(ENTRIES)), "aliases": entry_aliases(ENTRIES),
            "caches": CACHES, "scope": SCOPE, "pages": [SCOPE], "prefix": "guatu-field",
            "vendor": url_for("static", filename="vendor/"), "api": "/api/field/"}


@bp.get("/field/sw.js", role=PUBLIC)  # holds no data: the file list and names only
def service_worker():
    return worker_prologue(worker_settings(), SCOPE)
