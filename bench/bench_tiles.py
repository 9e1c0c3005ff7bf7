"""Vector tiles of a large layer (geo/tiles.py): how long a tile takes to make, on both stores, against the naive
way measured in the same run — mapbox-vector-tile's own quantizing (`quantize_bounds`, which moves every
coordinate through a Python function) over the same places.

    .venv/bin/python -m bench.bench_tiles [--sizes 100000] [--backends geojson,postgis] [--zooms 12,14,16]

For each size a synthetic campaign is written (geo.synth.synthetic.write_synthetic) and, for PostGIS, copied
into a throwaway PostgreSQL cluster started here (or $GUATU_BENCH_DATABASE_URL). At each zoom, the tiles that
cover the middle of the district on a 3840×2160 screen (256-pixel tiles) are made one after the other, with
the layer's index built first (as a warm worker has it): the time for all of them and for the slowest, and
their bytes; then the same tiles the naive way (embedded store only: the naive way is the Python encoder's).
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import mapbox_vector_tile  # noqa: E402
import numpy as np  # noqa: E402
import shapely  # noqa: E402

from bench.synthetic_stores import synthetic_stores  # noqa: E402
from geo.tiles import BUFFER, DOT_UNITS, EXTENT, PIXEL_UNITS, Tile, _to_mercator, vector_tile  # noqa: E402
from geo.viewport import FULL_DETAIL_ZOOM, ViewportIndex  # noqa: E402

LAYER = "courtyards"
WIDTH, HEIGHT = 3840, 2160


def screen_tiles(lon: float, lat: float, z: int) -> list[Tile]:
    """The 256-pixel tiles a 3840×2160 screen centred on (lon, lat) at zoom z shows."""
    n = 2**z
    cx = (lon + 180) / 360 * n
    cy = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    half_w, half_h = WIDTH / 2 / 256, HEIGHT / 2 / 256
    return [Tile.of(z, x, y) for x in range(int(cx - half_w), int(cx + half_w) + 1)
            for y in range(int(cy - half_h), int(cy + half_h) + 1) if 0 <= x < n and 0 <= y < n]


def naive_tile(index: ViewportIndex, revision: int, tile: Tile) -> bytes:
    """The same tile, made in EPSG:3857 metres and quantized by the encoder itself."""
    ids, geoms = index.in_box(LAYER, revision, tile.lon_lat(BUFFER / EXTENT))
    if not len(ids):
        return b""
    metres = shapely.transform(geoms, _to_mercator)
    if tile.z < FULL_DETAIL_ZOOM:  # the same points for places too small to see
        west, south, east, _ = tile.mercator()
        limit = DOT_UNITS * (east - west) / EXTENT
        x0, y0, x1, y1 = shapely.bounds(metres).T
        small = np.isin(shapely.get_type_id(metres), (3, 6)) & (x1 - x0 < limit) & (y1 - y0 < limit)
        metres[small] = shapely.points((x0[small] + x1[small]) / 2, (y0[small] + y1[small]) / 2)
        at = np.flatnonzero(small)  # and one per pixel, the first
        pixel = PIXEL_UNITS * (east - west) / EXTENT
        cells = np.column_stack([np.floor(((x0[at] + x1[at]) / 2 - west) / pixel),
                                 np.floor(((y0[at] + y1[at]) / 2 - south) / pixel)])
        _, first = np.unique(cells, axis=0, return_index=True)
        kept = np.ones(len(ids), dtype=bool)
        kept[at] = False
        kept[at[first]] = True
        ids, metres = np.asarray(ids)[kept], metres[kept]
    clipped = shapely.clip_by_rect(metres, *tile.mercator(BUFFER / EXTENT))
    keep = ~shapely.is_empty(clipped)
    features = [{"geometry": g, "properties": {"id": fid}} for fid, g in zip(np.asarray(ids)[keep], clipped[keep])]
    return mapbox_vector_tile.encode([{"name": LAYER, "features": features}],
                                     default_options={"quantize_bounds": tile.mercator(), "extents": EXTENT})


def timed(make, tiles: list[Tile]) -> tuple[float, float, int, int]:
    """All the tiles made one after the other: total ms, the slowest tile's ms, bytes, tiles holding places."""
    times, size, full = [], 0, 0
    for tile in tiles:
        started = time.perf_counter()
        made = make(tile)
        times.append((time.perf_counter() - started) * 1000)
        size += len(made)
        full += bool(made)
    return sum(times), max(times), size, full


def measure(store, zooms: list[int], naive: bool) -> dict:
    index = ViewportIndex(store)
    revision = store.layer_revision(LAYER)
    lat, lon = store.campaign.map.center  # [lat, lon], as Leaflet has it
    vector_tile(store, index, LAYER, revision, Tile.of(10, 0, 0))  # the index built (a warm worker's)
    out = {}
    for z in zooms:
        tiles = screen_tiles(lon, lat, z)
        total, slowest, size, full = timed(lambda t: vector_tile(store, index, LAYER, revision, t), tiles)
        row = {"tiles": len(tiles), "full": full, "total_ms": total, "slowest_ms": slowest, "bytes": size}
        if naive:
            row["naive_ms"], row["naive_slowest_ms"], _, _ = timed(lambda t: naive_tile(index, revision, t), tiles)
        out[z] = row
        print(f"z{z}: {row}", file=sys.stderr)
    return out


def ratio(naive: float | None, ours: float) -> str:
    return f"×{naive / ours:.1f}" if naive else "–"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_tiles", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--backends", default="geojson,postgis")
    parser.add_argument("--zooms", default="12,14,16")
    args = parser.parse_args(argv)
    sizes, backends = [int(s) for s in args.sizes.split(",")], args.backends.split(",")
    zooms = [int(z) for z in args.zooms.split(",")]
    results: dict = {}
    for backend, n, store in synthetic_stores(sizes, backends, "tiles"):
        results[(backend, n)] = measure(store, zooms, naive=backend == "geojson")
    print("| store, places | zoom | tiles on a 4K screen (with places) | all of them (ms) | the slowest (ms) "
          "| naive: all (ms) | naive ÷ Guatu | bytes, all tiles |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for (backend, n), rows in results.items():
        for z, r in rows.items():
            naive = r.get("naive_ms")
            print(f"| {backend} {n:,} | {z} | {r['tiles']} ({r['full']}) | {r['total_ms']:,.0f} | {r['slowest_ms']:,.0f} | "
                  f"{f'{naive:,.0f}' if naive else '–'} | {ratio(naive, r['total_ms'])} "
                  f"| {r['bytes']:,} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
