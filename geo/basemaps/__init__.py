"""Basemaps: the tile sources of `map.basemaps`, and what the page is told about them.

`open_basemaps` turns the configuration into one source per basemap the
server answers tiles for — a folder, an MBTiles or PMTiles file, or a proxied
upstream (Tianditu, AMap, XYZ over http) — and checks at start-up that each
can be served (file there, key set). A basemap whose `url` is a path on this
server (`/…`) is drawn by the page directly and needs no source.

`Basemaps.describe` is what the page gets: ids, titles, the tile URL on this
server, zooms and the CRS the data must be drawn in. It never carries a key
or an upstream address. `geo.basemaps.crs` shifts data for display on a
GCJ-02 basemap (AMap).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from geo.basemaps.base import BadRequest, Tile, TileSource, UpstreamFailed, UpstreamTimeout, check_zxy
from geo.basemaps.local import FolderTiles, MBTiles, PMTiles, SourceProblem
from geo.basemaps.proxy import ProxiedTiles
from geo.config import CAMPAIGN_FILE, Basemap, Campaign
from geo.errors import ConfigError, NotFound
from geo.messages import t

__all__ = ["BadRequest", "Basemaps", "Tile", "TileSource", "UpstreamFailed", "UpstreamTimeout", "check_zxy", "open_basemaps"]


class Basemaps:
    """The configured basemaps, in their configured order, and the sources that serve them."""

    def __init__(self, basemaps: tuple[Basemap, ...], sources: dict[str, TileSource]) -> None:
        self.basemaps = basemaps
        self.sources = sources

    def tile(self, basemap_id: str, z: int, x: int, y: int) -> Tile:
        source = self.sources.get(basemap_id)
        if source is None:
            raise NotFound(t("basemap.unknown", basemap=repr(basemap_id)))
        return source.tile(z, x, y)

    def describe(self, tile_url: Callable[[str], str]) -> list[dict]:
        """What the page may know: `tile_url(id)` is the /{z}/{x}/{y} template this server answers for `id`."""
        default = next((b.id for b in self.basemaps if b.default), None)
        if default is None:
            default = next((b.id for b in self.basemaps if not b.overlay), None)
        out = []
        for b in self.basemaps:
            source = self.sources.get(b.id)
            item = {
                "id": b.id,
                "title": b.title,
                "type": b.type,
                "crs": b.crs,
                "overlay": b.overlay,
                "default": b.id == default,
                "attribution": b.attribution,
            }
            if source is None:  # a path on this server, drawn directly
                item.update(url=b.url, tms=b.tms, min_zoom=b.min_zoom or 0, max_native_zoom=b.max_zoom, bounds=None)
            else:
                item.update(url=tile_url(b.id), tms=False, min_zoom=source.min_zoom, max_native_zoom=source.max_zoom,
                            bounds=list(source.bounds) if source.bounds else None)
            out.append(item)
        return out

    def close(self) -> None:
        for source in self.sources.values():
            source.close()


def open_basemaps(campaign: Campaign, data_dir: Path, cache_dir: Path | None,
                  environ: dict[str, str] | None = None) -> Basemaps:
    """Open every configured source; raise one ConfigError listing every basemap that cannot be served."""
    env = os.environ if environ is None else environ
    sources: dict[str, TileSource] = {}
    problems: list[str] = []
    for i, b in enumerate(campaign.map.basemaps):
        where = f"$.map.basemaps[{i}]"
        try:
            source = _open(b, Path(data_dir), cache_dir, env)
        except SourceProblem as exc:
            problems.append(f"{where}: {exc}")
            continue
        if source is not None:
            sources[b.id] = source
    if problems:
        for source in sources.values():
            source.close()
        raise ConfigError(str(Path(data_dir) / CAMPAIGN_FILE), problems)
    return Basemaps(campaign.map.basemaps, sources)


def _open(b: Basemap, data_dir: Path, cache_dir: Path | None, env) -> TileSource | None:
    if b.type == "folder":
        return FolderTiles(b, data_dir / b.path)
    if b.type == "mbtiles":
        return MBTiles(b, data_dir / b.path)
    if b.type == "pmtiles":
        return PMTiles(b, data_dir / b.path)
    if not b.proxied:
        return None
    key = b.key
    if b.key_env is not None:
        key = env.get(b.key_env, "").strip()
        if not key:
            raise SourceProblem(t("basemap.key_missing", variable=b.key_env, type=b.type))
    return ProxiedTiles(b, key, cache_dir)
