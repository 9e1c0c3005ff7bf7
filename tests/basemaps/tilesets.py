"""Small tile sets built in code for the basemap tests: PNGs, a tile folder, MBTiles, PMTiles,
and a fake upstream tile server on 127.0.0.1."""

from __future__ import annotations

import json
import math
import sqlite3
import struct
import threading
import time
import zlib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from pmtiles.tile import Compression, TileType, zxy_to_tileid
from pmtiles.writer import Writer


def png(rgb: tuple[int, int, int], size: int = 256, border: tuple[int, int, int] | None = None) -> bytes:
    """A `size`×`size` PNG of one colour (with a 1-pixel `border` on its top and left edges if given),
    written with zlib and struct only."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes(rgb) * size  # filter byte 0, then RGB pixels
    rows = row * size
    if border is not None:
        edge = b"\x00" + bytes(border) + bytes(rgb) * (size - 1)
        rows = b"\x00" + bytes(border) * size + edge * (size - 1)
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def tile_png(z: int, x: int, y: int) -> bytes:
    """A PNG whose colour tells its XYZ address apart from its neighbours'."""
    return png(((z * 37 + x * 11) % 256, (y * 13 + z) % 256, (x * 7 + y * 3) % 256))


def tiles_covering(bounds: tuple[float, float, float, float], zooms: range) -> list[tuple[int, int, int]]:
    """Every XYZ tile that touches [west, south, east, north] at the given zooms."""
    west, south, east, north = bounds

    def tile_xy(lon: float, lat: float, z: int) -> tuple[int, int]:
        n = 1 << z
        x = int((lon + 180.0) / 360.0 * n)
        y = int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n)
        return min(max(x, 0), n - 1), min(max(y, 0), n - 1)

    out = []
    for z in zooms:
        x0, y0 = tile_xy(west, north, z)
        x1, y1 = tile_xy(east, south, z)
        out += [(z, x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]
    return out


def make_folder(root: Path, tiles: dict[tuple[int, int, int], bytes], ext: str = "png") -> Path:
    for (z, x, y), data in tiles.items():
        path = root / str(z) / str(x) / f"{y}.{ext}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def make_mbtiles(path: Path, tiles: dict[tuple[int, int, int], bytes], *, fmt: str = "png",
                 bounds: tuple[float, float, float, float] | None = None) -> Path:
    """An MBTiles 1.3 file; rows are stored TMS-style (counted from the south), as the spec says."""
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    db.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
    db.execute("CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row)")
    zooms = [z for z, _, _ in tiles] or [0]
    meta = {"name": "test", "format": fmt, "minzoom": str(min(zooms)), "maxzoom": str(max(zooms))}
    if bounds:
        meta["bounds"] = ",".join(str(v) for v in bounds)
    db.executemany("INSERT INTO metadata VALUES (?, ?)", meta.items())
    db.executemany("INSERT INTO tiles VALUES (?, ?, ?, ?)",
                   [(z, x, (1 << z) - 1 - y, data) for (z, x, y), data in tiles.items()])
    db.commit()
    db.close()
    return path


def make_pmtiles(path: Path, tiles: dict[tuple[int, int, int], bytes],
                 bounds: tuple[float, float, float, float] = (113.54, 34.60, 113.72, 34.79)) -> Path:
    """A PMTiles v3 archive of PNG tiles, written with the pmtiles package's own writer."""
    with open(path, "wb") as fh:
        writer = Writer(fh)
        for tile_id, data in sorted((zxy_to_tileid(*zxy), data) for zxy, data in tiles.items()):
            writer.write_tile(tile_id, data)
        writer.finalize(
            {"tile_type": TileType.PNG, "tile_compression": Compression.NONE,
             "min_lon_e7": int(bounds[0] * 1e7), "min_lat_e7": int(bounds[1] * 1e7),
             "max_lon_e7": int(bounds[2] * 1e7), "max_lat_e7": int(bounds[3] * 1e7)},
            {"name": "test"},
        )
    return path


def set_basemaps(data_dir: Path, basemaps: list[dict], **map_settings) -> None:
    """Write `map.basemaps` (and any other map settings) into the campaign file."""
    path = data_dir / "campaign.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["map"]["basemaps"] = basemaps
    raw["map"].update(map_settings)
    path.write_text(json.dumps(raw, ensure_ascii=False, indent=2), encoding="utf-8")


@dataclass
class Upstream:
    """What the fake tile server was asked, and how it should answer next."""

    mode: str = "ok"  # ok | fail (HTTP 500) | slow (answers after `delay` s) | html (200, not an image) | missing (404)
    #                   | redirect (302 to `redirect_to` + the same path and query, except for paths under /moved)
    #                   | huge (announces `huge` bytes)
    redirect_to: str = ""
    huge: int = 0
    delay: float = 3.0
    requests: list[dict] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    def asked(self) -> int:
        with self.lock:
            return len(self.requests)


def fake_upstream() -> tuple[ThreadingHTTPServer, Upstream]:
    """A tile server on 127.0.0.1 (a free port) that answers /<anything>?z=&x=&y= with tile_png(z, x, y)."""
    state = Upstream()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            with state.lock:
                state.requests.append({"path": parts.path, "query": query, "headers": dict(self.headers)})
            if state.mode == "slow":
                time.sleep(state.delay)
            if state.mode == "fail":
                return self._send(500, b"upstream broke", "text/plain")
            if state.mode == "missing":
                return self._send(404, b"no tile", "text/plain")
            if state.mode == "redirect" and not parts.path.startswith("/moved/"):
                return self._send(302, b"", "text/plain", location=state.redirect_to + self.path)
            if state.mode == "huge":
                return self._send(200, tile_png(1, 1, 1), "image/png", length=state.huge)
            if state.mode == "html":
                return self._send(200, b"<html>\xe6\x9d\x83\xe9\x99\x90\xe4\xb8\x8d\xe8\xb6\xb3</html>", "text/html")
            z, x, y = (int(query[k]) for k in ("z", "x", "y"))
            self._send(200, tile_png(z, x, y), "image/png")

        def _send(self, status: int, body: bytes, mimetype: str, *, location: str = "", length: int = 0) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", mimetype)
                self.send_header("Content-Length", str(length or len(body)))
                if location:
                    self.send_header("Location", location)
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the proxy gave up waiting (timeout tests)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_port}"
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server, state
