"""Which renderer draws a large layer: the wall's viewport canvas against Mapbox Vector Tiles drawn by
Leaflet.VectorGrid and by MapLibre GL JS, on the same campaign, server and 4K screen, in one run.

    .venv/bin/python -m bench.bench_renderers [--sizes 100000] [--backends geojson] [--repeat 3]
    .venv/bin/python -m bench.bench_renderers --sizes 1000000 --backends postgis

For each size it writes a synthetic campaign (geo.synth.synthetic.write_synthetic; its courtyards are a large
layer, fetched a view at a time) on the embedded store or copied into a throwaway PostgreSQL cluster (PostGIS
makes the tiles with ST_AsMVT), serves it, and in headless Chromium at 3840×2160
(software rendering, as a command-room PC without a GPU) loads four pages in turn:

* guatu — the wall (/wall) with `map.vector_tiles_from` off: the view's places from
  `/api/wall/shapes/<layer>?bbox&zoom&format=binary` at every zoom, drawn on one canvas
  (web/static/js/wall/canvas.js), colours from the wall state;
* guatu-tiles — the wall with `map.vector_tiles_from` at 15: from zoom 15 on, the layer from its vector tiles,
  one canvas per tile (web/static/js/wall/tiled.js), coloured from the same state; further out as guatu;
* vectorgrid — Leaflet with Leaflet.VectorGrid 1.3 over `/api/wall/tiles/<layer>/{z}/{x}/{y}.mvt`, each tile
  its own canvas, each place coloured by its status from the wall state (`/api/wall/state`);
* maplibre — MapLibre GL JS 6 (WebGL: SwiftShader here) over the same tiles, each place's status set as its
  feature state (so a status change restyles without fetching a tile, as the scale issue's item 5 asks).

Each page opens on the campaign's extent. It prints, per renderer: the time from navigation until the view is
drawn (median of `--repeat` loads after one that fills the server's caches), then the bench_scale moves
(zoom 15, a pan at 15, zoom 16, back to 13) from the move until the new view is drawn, on a first screen
(each view new to the server) and a second (the server's caches filled), and the page's JavaScript heap after
them. The renderers only draw: the wall's marks, labels, panels and picking are not in the two tile pages.
The two tile libraries are development dependencies (package.json), served to these pages from node_modules.
Results and method: docs/scale-benchmark.md ("Which renderer for large layers").
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from flask import Response, abort, send_from_directory

from bench.bench_scale import MOVES
from bench.bench_wall import HEIGHT, WIDTH, measure_draw
from bench.synthetic_stores import bench_database
from geo.config import load_campaign
from geo.store.transfer import copy_to_postgis
from geo.synth.synthetic import write_synthetic
from tests.browser.harness import LiveServer, chromium
from web import create_app
from web.core.routes import PUBLIC, declare
from web.core.security import add_nonce

LIBRARIES = Path(__file__).resolve().parent.parent / "node_modules"
TIMEOUT_MS = 180_000

# The tile pages' common parts: the layer, the extent to open on, the status colours; `window.bench` exposes the
# map and a count of "drawn" events (every tile of the view loaded and painted) for the clock.
VECTORGRID_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="/static/vendor/leaflet/leaflet.css">
<style>html, body, #map { margin: 0; height: 100%%; background: #f4f4f0; }</style></head>
<body><div id="map"></div>
<script src="/static/vendor/leaflet/leaflet.js"></script>
<script src="/bench/lib/leaflet.vectorgrid/dist/Leaflet.VectorGrid.bundled.min.js"></script>
<script>
const layer = %(layer)s, extent = %(extent)s, colours = %(colours)s;
const map = L.map("map", { zoomControl: false, attributionControl: false, fadeAnimation: false, zoomAnimation: false });
map.fitBounds([[extent[1], extent[0]], [extent[3], extent[2]]], { animate: false });
window.bench = { map: map, drawn: 0 };
fetch("/api/wall/state").then((r) => r.json()).then((state) => {
  const features = state.layers[layer].features;
  const style = (p) => ({ fill: true, fillColor: colours[(features[p.id] || [])[0]] || "#999999", fillOpacity: 0.85,
                          color: "#333333", weight: 1, radius: 2 });
  const grid = L.vectorGrid.protobuf("/api/wall/tiles/" + layer + "/{z}/{x}/{y}.mvt",
    { rendererFactory: L.canvas.tile, vectorTileLayerStyles: { [layer]: style }, interactive: false, maxNativeZoom: 24 });
  grid.on("load", () => requestAnimationFrame(() => { window.bench.drawn += 1; }));
  grid.addTo(map);
});
</script></body></html>"""

MAPLIBRE_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="/bench/lib/maplibre-gl/dist/maplibre-gl.css">
<style>html, body, #map { margin: 0; height: 100%%; }</style></head>
<body><div id="map"></div>
<script type="module">
import * as maplibregl from "/bench/lib/maplibre-gl/dist/maplibre-gl.mjs";
const layer = %(layer)s, extent = %(extent)s, colours = %(colours)s, statuses = Object.keys(colours);
const colour = ["match", ["coalesce", ["feature-state", "s"], -1]];
statuses.forEach((s, i) => colour.push(i, colours[s]));
colour.push("#999999");
const map = new maplibregl.Map({ container: "map", attributionControl: false, fadeDuration: 0,
  bounds: [[extent[0], extent[1]], [extent[2], extent[3]]],
  style: { version: 8, sources: { places: { type: "vector", promoteId: "id", maxzoom: 24,
    tiles: [location.origin + "/api/wall/tiles/" + layer + "/{z}/{x}/{y}.mvt"] } },
    layers: [{ id: "background", type: "background", paint: { "background-color": "#f4f4f0" } },
      { id: "fill", type: "fill", source: "places", "source-layer": layer, filter: ["==", ["geometry-type"], "Polygon"],
        paint: { "fill-color": colour, "fill-opacity": 0.85, "fill-outline-color": "#333333" } },
      { id: "dots", type: "circle", source: "places", "source-layer": layer, filter: ["==", ["geometry-type"], "Point"],
        paint: { "circle-color": colour, "circle-radius": 2 } }] } });
window.bench = { map: map, drawn: 0 };
Promise.all([fetch("/api/wall/state").then((r) => r.json()), new Promise((resolve) => map.once("load", resolve))])
  .then(([state]) => {
    const features = state.layers[layer].features;
    for (const id in features) map.setFeatureState({ source: "places", sourceLayer: layer, id: id },
                                                   { s: statuses.indexOf(features[id][0]) });
    map.on("idle", () => { window.bench.drawn += 1; });
    map.triggerRepaint();
  });
</script></body></html>"""


def tile_page(template: str, layer: str, extent: list[float], colours: dict[str, str]) -> str:
    return template % {"layer": json.dumps(layer), "extent": json.dumps(extent), "colours": json.dumps(colours)}


def add_bench_routes(app, pages: dict[str, str]) -> None:
    """The tile pages, and the two libraries from node_modules (bench only: pages never load them)."""
    for name, html in pages.items():
        def view(html=html):
            resp = Response(add_nonce(html), mimetype="text/html")
            # MapLibre runs its tile parsing in a worker it starts from a blob: URL, and styles its own elements
            resp.headers["Content-Security-Policy"] = ("default-src 'self'; worker-src 'self' blob:; "
                                                       "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
                                                       "script-src 'self' 'unsafe-inline'")
            return resp
        app.add_url_rule(f"/bench/{name}", f"bench_{name}", declare(PUBLIC)(view))

    def library(path: str):
        if path.split("/")[0] not in ("leaflet.vectorgrid", "maplibre-gl"):
            abort(404)
        return send_from_directory(LIBRARIES, path)
    app.add_url_rule("/bench/lib/<path:path>", "bench_lib", declare(PUBLIC)(library))


def tile_drawn_ms(browser, url: str) -> float:
    """Navigation until the tile page's first view is drawn (every tile loaded and painted), in the page's clock."""
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, device_scale_factor=1)
    page = context.new_page()
    page.goto(url, timeout=TIMEOUT_MS, wait_until="commit")
    page.wait_for_function("() => window.bench && window.bench.drawn > 0", timeout=TIMEOUT_MS, polling=20)
    drawn = page.evaluate("() => performance.now()")  # (within the 20 ms the check polls at)
    context.close()
    return drawn


def moves_ms(browser, url: str, kind: str) -> tuple[list[float], float]:
    """bench_scale's moves on one screen: ms from each move to its view drawn; the JS heap after them (MB)."""
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, device_scale_factor=1)
    page = context.new_page()
    page.goto(url, timeout=TIMEOUT_MS)
    if kind.startswith("guatu"):
        page.wait_for_selector("html[data-guatu-ready='true']", state="attached", timeout=TIMEOUT_MS)
    else:
        page.wait_for_function("() => window.bench && window.bench.drawn > 0", timeout=TIMEOUT_MS, polling=20)
    times = []
    for centre, zoom in MOVES:
        if kind.startswith("guatu"):
            script = """([centre, zoom]) => new Promise((resolve) => {
                const root = document.documentElement, before = root.dataset.guatuViewport, started = performance.now();
                const wait = () => root.dataset.guatuViewport !== before
                    ? requestAnimationFrame(() => resolve(performance.now() - started)) : setTimeout(wait, 10);
                window.guatuPage.walls[0].map.setView(centre, zoom, {animate: false});
                wait();
            })"""
        elif kind == "vectorgrid":
            script = """([centre, zoom]) => new Promise((resolve) => {
                const before = window.bench.drawn, started = performance.now();
                const wait = () => window.bench.drawn > before ? resolve(performance.now() - started) : setTimeout(wait, 10);
                window.bench.map.setView(centre, zoom, {animate: false});
                wait();
            })"""
        else:  # MapLibre's zoom is Leaflet's less one (512-pixel tiles)
            script = """([centre, zoom]) => new Promise((resolve) => {
                const map = window.bench.map, started = performance.now();
                map.once("idle", () => resolve(performance.now() - started));
                map.jumpTo({center: [centre[1], centre[0]], zoom: zoom - 1});
            })"""
        times.append(page.evaluate(script, [list(centre), zoom]))
    heap = page.evaluate("() => performance.memory ? performance.memory.usedJSHeapSize / 1048576 : null")
    context.close()
    return times, heap


def run(sizes: list[int], backends: list[str], repeat: int, kinds: tuple[str, ...] = ()) -> list[dict]:
    out = []
    with chromium() as browser, bench_database(backends) as database_url:
        for n in sizes:
            for backend in backends:
                with tempfile.TemporaryDirectory(prefix=f"guatu-renderers-{n}-") as scratch:
                    out.append(one_size(browser, Path(scratch), n, repeat,
                                        database_url if backend == "postgis" else None, kinds or KINDS))
                print(f"  {n:,} places on {backend} done", file=sys.stderr, flush=True)
    return out


KINDS = ("guatu", "guatu-tiles", "vectorgrid", "maplibre")


def with_tiles_from(data: Path, zoom: int | None) -> None:
    """Set the campaign's `map.vector_tiles_from` in its campaign.json."""
    path = data / "campaign.json"
    config = json.loads(path.read_text(encoding="utf-8"))
    config["map"]["vector_tiles_from"] = zoom
    path.write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")


def one_size(browser, root: Path, n: int, repeat: int, database_url: str | None, kinds: tuple[str, ...] = KINDS) -> dict:
    data = root / "data"
    write_synthetic(data, n)
    with_tiles_from(data, None)  # "guatu": a viewport at a time at every zoom
    campaign = load_campaign(data)
    config = {"GUATU_DATA": str(data), "GUATU_INSTANCE": str(root / "instance"), "GUATU_PUBLIC_VIEW": True,
              "GUATU_REFRESH_SECONDS": 0}
    if database_url:
        schema = f"bench_renderers_{n}"
        copy_to_postgis(data, campaign, database_url, schema=schema)
        config.update(GUATU_DATABASE_URL=database_url, GUATU_DATABASE_SCHEMA=schema)
    # "guatu-tiles": the same places (the same folder copied, or the same schema) with the tiles from zoom 15, served
    # by a second app beside the first
    tiled = root / "data-tiled"
    shutil.copytree(data, tiled)
    with_tiles_from(tiled, 15)
    tiled_app = create_app({**config, "GUATU_DATA": str(tiled), "GUATU_INSTANCE": str(root / "instance-tiled")})
    app = create_app(config)
    store = app.extensions["guatu"].store
    layer = campaign.layers[0].id
    count = sum(store.place_count(x.id) for x in campaign.layers)
    extent = app.extensions["guatu"].wall.extent((layer,), None, None)
    colours = {s.key: s.color for s in campaign.statuses}
    add_bench_routes(app, {"vectorgrid": tile_page(VECTORGRID_PAGE, layer, extent, colours),
                           "maplibre": tile_page(MAPLIBRE_PAGE, layer, extent, colours)})
    result = {"places": n, "backend": "postgis" if database_url else "geojson", "drawn": {}, "moves_first": {},
              "moves_second": {}, "heap": {}}
    with LiveServer(app) as server, LiveServer(tiled_app) as tiled_server:
        urls = {"guatu": server.url + "/wall?refresh=0", "guatu-tiles": tiled_server.url + "/wall?refresh=0",
                "vectorgrid": server.url + "/bench/vectorgrid", "maplibre": server.url + "/bench/maplibre"}
        for kind, url in urls.items():
            if kind not in kinds:
                continue
            started = time.perf_counter()
            draw = (lambda u=url: measure_draw(browser, u, count)) if kind.startswith("guatu") \
                else (lambda u=url: tile_drawn_ms(browser, u))
            draw()  # fills the server's caches for the opening view
            result["drawn"][kind] = statistics.median(draw() for _ in range(repeat))
            result["moves_first"][kind], _ = moves_ms(browser, url, kind)
            result["moves_second"][kind], result["heap"][kind] = moves_ms(browser, url, kind)
            print(f"  {kind}: {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return result


def table(results: list[dict]) -> str:
    kinds = [k for k in KINDS if all(k in r["drawn"] for r in results)]
    others = [k for k in kinds if k != "guatu"]
    lines = ["| store, places | measure | " + " | ".join(kinds) + " | " + " | ".join(f"{k} ÷ guatu" for k in others) + " |",
             "|---|---|" + "---:|" * (len(kinds) + len(others))]
    for r in results:
        def row(label, values, r=r):
            ratios = [f"{values[k] / values['guatu']:.2f}×" for k in others]
            lines.append(f"| {r['backend']} {r['places']:,} | {label} | " + " | ".join(f"{values[k]:,.0f}" for k in kinds)
                         + " | " + " | ".join(ratios) + " |")
        row("opening view drawn (ms)", r["drawn"])
        names = ("zoom 15", "pan at 15", "zoom 16", "back to 13")
        for i, name in enumerate(names):
            row(f"{name}, first screen (ms)", {k: r["moves_first"][k][i] for k in kinds})
        for i, name in enumerate(names):
            row(f"{name}, second screen (ms)", {k: r["moves_second"][k][i] for k in kinds})
        row("JS heap after the moves (MB)", r["heap"])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000", help="places per campaign, comma separated")
    parser.add_argument("--backends", default="geojson", help="geojson, postgis or both, comma separated")
    parser.add_argument("--repeat", type=int, default=3, help="loads per renderer for the opening view's median")
    parser.add_argument("--kinds", default=",".join(KINDS), help="which of " + ", ".join(KINDS) + " (guatu always)")
    args = parser.parse_args(argv)
    kinds = tuple(k for k in KINDS if k == "guatu" or k in args.kinds.split(","))
    started = time.perf_counter()
    results = run([int(s) for s in args.sizes.split(",") if s.strip()],
                  [b for b in args.backends.split(",") if b.strip()], args.repeat, kinds)
    print(table(results))
    print(f"\n({time.perf_counter() - started:.0f} s; Chromium {WIDTH}×{HEIGHT}, software rendering; "
          "the server is one process, werkzeug's threads)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
