"""Tiles the server fetches from another tile server (Tianditu, AMap, an intranet XYZ server).

The page only ever talks to Guatu: the server builds the upstream URL from
the configured template, adds the key (which therefore never reaches a
browser), waits a bounded time, and keeps what it got on disk under the
instance folder, so a tile is fetched once and a command room keeps its
basemap when the upstream goes away (a stale tile is served if a refresh
fails). Errors name the basemap, never the URL, because the URL holds the key.
Redirects are followed only within the configured server (never to another
host, e.g. an intranet address), an answer larger than `MAX_TILE_BYTES` is
refused (by its declared length before reading, else while reading), and
connecting, each read and the whole answer have time limits.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests

from geo.basemaps.base import Tile, TileSource, UpstreamFailed, UpstreamTimeout, flip_y, sniff_image
from geo.config import Basemap
from geo.messages import t

log = logging.getLogger(__name__)

MAX_TILE_BYTES = 4 * 1024 * 1024
MAX_REDIRECTS = 3  # followed only within the configured server
USER_AGENT = "Mozilla/5.0 (compatible; Guatu tile proxy)"


class ProxiedTiles(TileSource):
    def __init__(self, basemap: Basemap, key: str | None, cache_dir: Path | None) -> None:
        super().__init__(basemap)
        self._key = key
        self.cache_dir = cache_dir / basemap.id if cache_dir is not None and basemap.cache_days > 0 else None
        self.max_age = basemap.cache_days * 86400
        self._local = threading.local()

    def __repr__(self) -> str:
        return f"ProxiedTiles({self.basemap.id!r})"

    def upstream_url(self, z: int, x: int, y: int) -> str:
        b = self.basemap
        url = b.url.replace("{z}", str(z)).replace("{x}", str(x)).replace("{y}", str(flip_y(z, y) if b.tms else y))
        if b.subdomains:
            url = url.replace("{s}", b.subdomains[(x + y) % len(b.subdomains)])
        return url.replace("{key}", self._key or "")

    def _redact(self, url: str) -> str:
        return url.replace(self._key, "***") if self._key else url

    def read(self, z: int, x: int, y: int) -> Tile | None:
        path = self.cache_dir / str(z) / str(x) / f"{y}.tile" if self.cache_dir else None
        stale = None
        if path is not None:
            try:
                age = time.time() - path.stat().st_mtime
                data = path.read_bytes()
            except FileNotFoundError:
                pass
            else:
                tile = Tile(data, sniff_image(data) or "application/octet-stream")
                if age <= self.max_age:
                    return tile
                stale = tile
        try:
            data = self._fetch(self.upstream_url(z, x, y))
        except (UpstreamFailed, UpstreamTimeout) as exc:
            if stale is None:
                raise
            log.warning("%s; serving the cached copy of %s/%s/%s", exc.message, z, x, y)
            return stale
        if data is None:
            return None
        if path is not None:
            self._store(path, data)
        return Tile(data, sniff_image(data))

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None or self._local.pid != os.getpid():
            session = self._local.session = requests.Session()
            session.headers["User-Agent"] = USER_AGENT
            self._local.pid = os.getpid()
        return session

    def _fetch(self, url: str) -> bytes | None:
        """The tile's bytes, None when the upstream has no such tile; raises UpstreamFailed/UpstreamTimeout.

        Redirects are followed by hand and only within the configured server (same scheme, host and port):
        a tile server must not be able to send this server to an intranet address."""
        b = self.basemap
        deadline = time.monotonic() + 2 * b.timeout
        try:
            for _hop in range(MAX_REDIRECTS + 1):
                with self._session().get(url, timeout=(b.timeout, b.timeout), stream=True,
                                         allow_redirects=False) as resp:
                    if resp.is_redirect:
                        url = self._redirect_target(url, resp.headers.get("Location", ""))
                        continue
                    return self._body(resp, url, deadline)
            log.warning("basemap %s: %s redirected more than %d times", b.id, self._redact(url), MAX_REDIRECTS)
            raise UpstreamFailed(t("basemap.too_many_redirects", basemap=b.id, n=MAX_REDIRECTS))
        except requests.Timeout:
            log.warning("basemap %s: %s timed out", b.id, self._redact(url))
            raise UpstreamTimeout(t("basemap.no_answer", basemap=b.id, seconds=f"{b.timeout:g}")) from None
        except requests.RequestException as exc:
            log.warning("basemap %s: %s failed: %s", b.id, self._redact(url), type(exc).__name__)
            raise UpstreamFailed(t("basemap.unreachable", basemap=b.id)) from None

    def _redirect_target(self, url: str, location: str) -> str:
        """Where a redirect points, if that is the configured tile server itself; else UpstreamFailed."""
        target = urljoin(url, location)
        if not location or _origin(target) != _origin(url):
            log.warning("basemap %s: %s redirected to %s; refused (only the configured server is asked)",
                        self.basemap.id, self._redact(url), self._redact(target) if location else "nowhere")
            raise UpstreamFailed(t("basemap.redirect_refused", basemap=self.basemap.id))
        return target

    def _body(self, resp: requests.Response, url: str, deadline: float) -> bytes | None:
        b = self.basemap
        if resp.status_code in (204, 404):
            return None
        if resp.status_code != 200:
            log.warning("basemap %s: %s answered HTTP %s", b.id, self._redact(url), resp.status_code)
            raise UpstreamFailed(t("basemap.http_status", basemap=b.id, status=resp.status_code))
        declared = resp.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > MAX_TILE_BYTES:  # refused before a byte of it is read
            log.warning("basemap %s: %s announced %s bytes; refused", b.id, self._redact(url), declared)
            raise UpstreamFailed(t("basemap.tile_too_large", basemap=b.id, limit=MAX_TILE_BYTES))
        chunks, size = [], 0
        for chunk in resp.iter_content(64 * 1024):
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_TILE_BYTES:
                raise UpstreamFailed(t("basemap.tile_too_large", basemap=b.id, limit=MAX_TILE_BYTES))
            if time.monotonic() > deadline:
                raise UpstreamTimeout(t("basemap.too_slow", basemap=b.id, seconds=f"{2 * b.timeout:g}"))
        data = b"".join(chunks)
        if not data:
            return None
        if sniff_image(data) is None:
            log.warning("basemap %s: %s answered with something that is not an image", b.id, self._redact(url))
            raise UpstreamFailed(t("basemap.not_an_image", basemap=b.id))
        return data

    def _store(self, path: Path, data: bytes) -> None:
        """Keep a fetched tile; a failure to write costs only a refetch later."""
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as fh:  # instance files
                fh.write(data)                                                                     # are private
            os.replace(tmp, path)
        except OSError as exc:
            log.warning("basemap %s: cannot keep tile %s on disk: %s", self.basemap.id, path, exc)
            tmp.unlink(missing_ok=True)


def _origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) of a URL, the default port filled in."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or {"http": 80, "https": 443}.get(scheme)
    except ValueError:  # a port that is not a number
        return scheme, "", -1
    return scheme, (parts.hostname or "").lower(), port
