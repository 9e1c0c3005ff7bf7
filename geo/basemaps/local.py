"""Tiles the server reads from disk: a tile folder, an MBTiles file, a PMTiles v3 archive.

Every path comes from the configuration (relative to the data directory) and
every tile address is three checked integers, so a request can never name a
file. Archives are opened read-only, once per process (a gunicorn worker
never uses a SQLite connection or memory map it inherited): an MBTiles
connection per thread, a PMTiles mapping per process, both reopened when the
file is replaced.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections import OrderedDict
from pathlib import Path

from pmtiles.reader import MmapSource
from pmtiles.tile import (
    Compression,
    MagicNumberNotFound,
    SpecVersionUnsupported,
    TileType,
    deserialize_directory,
    deserialize_header,
    find_tile,
    zxy_to_tileid,
)

from geo.basemaps.base import Tile, TileSource, flip_y, image_tile
from geo.config import Basemap
from geo.messages import t

FOLDER_EXTENSIONS = ("png", "jpg", "jpeg", "webp")
RASTER_FORMATS = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp"}


class SourceProblem(Exception):
    """A configured source that cannot be served; collected into the start-up ConfigError."""


class FolderTiles(TileSource):
    """`{z}/{x}/{y}.png|jpg|jpeg|webp` under a folder of the data directory."""

    def __init__(self, basemap: Basemap, root: Path) -> None:
        super().__init__(basemap)
        if not root.is_dir():
            raise SourceProblem(t("basemap.folder_missing", path=basemap.path))
        self.root = root
        zooms = sorted(int(p.name) for p in root.iterdir() if p.is_dir() and p.name.isdigit())
        if zooms:
            self.min_zoom = basemap.min_zoom if basemap.min_zoom is not None else zooms[0]
            self.max_zoom = basemap.max_zoom if basemap.max_zoom is not None else zooms[-1]

    def read(self, z: int, x: int, y: int) -> Tile | None:
        row = flip_y(z, y) if self.basemap.tms else y
        folder = self.root / str(z) / str(x)  # three integers: no way out of the root
        for ext in FOLDER_EXTENSIONS:
            try:
                return image_tile((folder / f"{row}.{ext}").read_bytes())
            except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
                continue
        return None


class MBTiles(TileSource):
    """An MBTiles 1.3 file (SQLite; rows count from the south, TMS-style)."""

    def __init__(self, basemap: Basemap, path: Path) -> None:
        super().__init__(basemap)
        self.path = path
        self._local = threading.local()
        if not path.is_file():
            raise SourceProblem(t("basemap.mbtiles_missing", path=basemap.path))
        try:
            db = self._connect()
            meta = dict(db.execute("SELECT name, value FROM metadata").fetchall())
            low, high = db.execute("SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles").fetchone()
            db.close()
        except sqlite3.DatabaseError as exc:
            raise SourceProblem(t("basemap.mbtiles_unreadable", path=basemap.path, detail=str(exc))) from None
        fmt = str(meta.get("format", "png")).lower()
        if fmt not in RASTER_FORMATS:
            raise SourceProblem(t("basemap.not_raster", path=basemap.path, kind=repr(fmt), formats="png, jpg, webp"))
        self.mimetype = RASTER_FORMATS[fmt]
        self.min_zoom = basemap.min_zoom if basemap.min_zoom is not None else _int(meta.get("minzoom"), low, 0)
        self.max_zoom = basemap.max_zoom if basemap.max_zoom is not None else _int(meta.get("maxzoom"), high, 18)
        self.bounds = _bounds(meta.get("bounds"))

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)

    def _db(self) -> sqlite3.Connection:
        st = os.stat(self.path)
        ident = (os.getpid(), st.st_ino, st.st_mtime_ns)
        local = self._local
        if getattr(local, "ident", None) != ident:
            if getattr(local, "db", None) is not None and local.ident[0] == os.getpid():
                local.db.close()
            local.db, local.ident = self._connect(), ident
        return local.db

    def read(self, z: int, x: int, y: int) -> Tile | None:
        row = self._db().execute(
            "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
            (z, x, flip_y(z, y)),
        ).fetchone()
        if row is None or row[0] is None:
            return None
        data = bytes(row[0])
        tile = image_tile(data)
        if tile.mimetype == "application/octet-stream":
            tile.mimetype = self.mimetype
        return tile


_PMTILES_TYPES = {TileType.PNG: "image/png", TileType.JPEG: "image/jpeg", TileType.WEBP: "image/webp",
                  TileType.AVIF: "image/avif"}
DIRECTORY_CACHE = 64  # parsed PMTiles directories kept per archive (the root and recently used leaves)


class PMTiles(TileSource):
    """A PMTiles v3 archive over a read-only memory map, read with the `pmtiles` package's own
    header and directory codecs. Its `Reader.get` parses the directories again for every tile
    (a root may list hundreds of thousands of entries), so parsed directories are kept here."""

    def __init__(self, basemap: Basemap, path: Path) -> None:
        super().__init__(basemap)
        self.path = path
        self._lock = threading.Lock()
        self._opened: tuple | None = None  # (pid, inode, mtime), file, get_bytes, header
        self._directories: OrderedDict[tuple[int, int], list] = OrderedDict()
        if not path.is_file():
            raise SourceProblem(t("basemap.pmtiles_missing", path=basemap.path))
        try:
            _, header = self._open()
        except (MagicNumberNotFound, SpecVersionUnsupported, ValueError, OSError) as exc:
            raise SourceProblem(t("basemap.not_pmtiles", path=basemap.path, detail=type(exc).__name__)) from None
        if header["tile_type"] not in _PMTILES_TYPES:
            raise SourceProblem(t("basemap.not_raster", path=basemap.path, kind=header["tile_type"].name,
                                  formats="png, jpeg, webp, avif"))
        self.mimetype = _PMTILES_TYPES[header["tile_type"]]
        self.encoding = {Compression.GZIP: "gzip", Compression.BROTLI: "br", Compression.ZSTD: "zstd"}.get(
            header["tile_compression"])
        self.min_zoom = basemap.min_zoom if basemap.min_zoom is not None else header["min_zoom"]
        self.max_zoom = basemap.max_zoom if basemap.max_zoom is not None else header["max_zoom"]
        self.bounds = (header["min_lon_e7"] / 1e7, header["min_lat_e7"] / 1e7,
                       header["max_lon_e7"] / 1e7, header["max_lat_e7"] / 1e7)

    def _open(self):
        """(get_bytes, header) of the archive as it is now on disk, opened once per process."""
        st = os.stat(self.path)
        ident = (os.getpid(), st.st_ino, st.st_mtime_ns)
        with self._lock:
            if self._opened is None or self._opened[0] != ident:
                if self._opened is not None and self._opened[0][0] == os.getpid():
                    self._opened[1].close()
                fh = open(self.path, "rb")  # kept open for the memory map
                try:
                    get_bytes = MmapSource(fh)
                    header = deserialize_header(get_bytes(0, 127))
                except BaseException:
                    fh.close()
                    raise
                self._opened = (ident, fh, get_bytes, header)
                self._directories.clear()
            return self._opened[2], self._opened[3]

    def _directory(self, get_bytes, offset: int, length: int) -> list:
        key = (offset, length)
        with self._lock:
            found = self._directories.get(key)
            if found is not None:
                self._directories.move_to_end(key)
                return found
        entries = deserialize_directory(get_bytes(offset, length))
        with self._lock:
            self._directories[key] = entries
            while len(self._directories) > DIRECTORY_CACHE:
                self._directories.popitem(last=False)
        return entries

    def read(self, z: int, x: int, y: int) -> Tile | None:
        get_bytes, header = self._open()
        tile_id = zxy_to_tileid(z, x, y)
        offset, length = header["root_offset"], header["root_length"]
        for _ in range(4):  # the root and at most three levels of leaves (the specification's limit)
            entry = find_tile(self._directory(get_bytes, offset, length), tile_id)
            if entry is None:
                return None
            if entry.run_length > 0:
                data = get_bytes(header["tile_data_offset"] + entry.offset, entry.length)
                return Tile(bytes(data), self.mimetype, self.encoding) if data else None
            offset, length = header["leaf_directory_offset"] + entry.offset, entry.length
        return None

    def close(self) -> None:
        with self._lock:
            if self._opened is not None and self._opened[0][0] == os.getpid():
                self._opened[1].close()
            self._opened = None
            self._directories.clear()


def _int(value, fallback, default: int) -> int:
    for v in (value, fallback):
        try:
            return int(v)
        except (TypeError, ValueError):
            continue
    return default


def _bounds(value) -> tuple[float, float, float, float] | None:
    try:
        west, south, east, north = (float(v) for v in str(value).split(","))
    except ValueError:
        return None
    return (west, south, east, north) if west < east and south < north else None

