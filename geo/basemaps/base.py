"""The seam every tile source implements, the tile it returns, and the errors of serving one.

A source answers `read(z, x, y)` with a `Tile` or None (no such tile); the
shared `TileSource.tile` checks the address first, so no backend sees a
negative or out-of-range coordinate and none can be talked into reading
outside its own archive, folder or upstream.
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from geo.config import MAX_TILE_ZOOM, Basemap
from geo.errors import GuatuError, NotFound
from geo.messages import t


class BadRequest(GuatuError):
    """A request that can never succeed as sent (a tile address off the grid, an unknown CRS)."""

    http_status = 400
    code = "bad_request"


class UpstreamFailed(GuatuError):
    """The upstream tile server answered with an error or something that is not a tile."""

    http_status = 502
    code = "bad_gateway"


class UpstreamTimeout(GuatuError):
    """The upstream tile server did not answer in time."""

    http_status = 504
    code = "gateway_timeout"


_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF8", "image/gif"),
)


def sniff_image(data: bytes) -> str | None:
    """The image type of tile bytes from their first bytes, or None when they are no image a browser draws."""
    for magic, mimetype in _MAGIC:
        if data.startswith(magic):
            return mimetype
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:12] in (b"ftypavif", b"ftypavis"):
        return "image/avif"
    return None


@dataclass
class Tile:
    data: bytes
    mimetype: str
    encoding: str | None = None  # Content-Encoding the bytes are stored in (gzip for some archives)
    _etag: str | None = field(default=None, repr=False)

    @property
    def etag(self) -> str:
        if self._etag is None:
            self._etag = hashlib.blake2b(self.data, digest_size=12).hexdigest()
        return self._etag


def image_tile(data: bytes) -> Tile:
    return Tile(data, sniff_image(data) or "application/octet-stream")


def check_zxy(z: int, x: int, y: int) -> None:
    """Refuse addresses that are not on the Web Mercator tile grid."""
    if not 0 <= z <= MAX_TILE_ZOOM:
        raise BadRequest(t("basemap.zoom_outside", zoom=z, maximum=MAX_TILE_ZOOM))
    size = 1 << z
    if not (0 <= x < size and 0 <= y < size):
        raise BadRequest(t("basemap.off_grid", tile=f"{z}/{x}/{y}", size=size, zoom=z))


def flip_y(z: int, y: int) -> int:
    """XYZ row <-> TMS row (TMS counts from the south)."""
    return (1 << z) - 1 - y


class TileSource(ABC):
    """One configured basemap that the server answers tiles for."""

    default_max_zoom = 18

    def __init__(self, basemap: Basemap) -> None:
        self.basemap = basemap
        self.min_zoom = basemap.min_zoom if basemap.min_zoom is not None else 0
        self.max_zoom = basemap.max_zoom if basemap.max_zoom is not None else self.default_max_zoom
        self.bounds: tuple[float, float, float, float] | None = None  # west, south, east, north

    def tile(self, z: int, x: int, y: int) -> Tile:
        check_zxy(z, x, y)
        found = self.read(z, x, y) if self.min_zoom <= z <= self.max_zoom else None
        if found is None:
            raise NotFound(t("basemap.no_tile", basemap=repr(self.basemap.id), tile=f"{z}/{x}/{y}"))
        return found

    @abstractmethod
    def read(self, z: int, x: int, y: int) -> Tile | None:
        """The tile at an XYZ address already checked to be on the grid, or None."""

    def close(self) -> None:  # noqa: B027 - most sources hold nothing open
        pass
