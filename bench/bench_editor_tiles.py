"""The editor's large layer close in: a view at a time against its vector tiles, in one run.

    .venv/bin/python -m bench.bench_editor_tiles                                        # 100,000 places, embedded store
    .venv/bin/python -m bench.bench_editor_tiles --sizes 1000000 --backends postgis     # a million on PostGIS

A synthetic campaign (geo.synth.synthetic; its courtyards more than `map.viewport_above`, so the editor never loads
them whole: web/static/js/editor/large-layer.js) is served by two apps side by side on the same places (the same
folder copied, or the same PostgreSQL schema): one with `map.vector_tiles_from` off, where the editor draws the layer
from the view's answers at every zoom, and one with it at 15, where from zoom 15 up to 16 it draws the layer from its
vector tiles (from 16, where the view's answer is asked for the names anyway, that answer draws it both ways). In one
Chromium (1600×1000, software rendering), a planner logged in, each way in turn makes the same moves from the
editor's opening view: to zoom 15 at the map's centre, two pans of a third of the map, to zoom 16, a pan at 16 —
each timed from the move to its view drawn (a view at a time: the view after the pause fetched and drawn; tiles:
every tile of the view painted), then two frames. A first screen makes every view new to the server; a second
screen (a new page, its own HTTP cache empty) makes them again with the server's caches filled.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench.bench_renderers import with_tiles_from
from bench.synthetic_stores import bench_database
from geo.config import load_campaign
from geo.store.transfer import copy_to_postgis
from geo.synth.synthetic import write_synthetic
from tests.browser.editor_session import PASSWORD
from tests.browser.harness import LiveServer, chromium
from web import create_app

WIDTH, HEIGHT = 1600, 1000
TIMEOUT_MS = 600_000
TILES_FROM = 15
NAMES_FROM = 16  # (editor/large-layer.js: from this zoom the view's answer draws the layer, tiles or not)
MOVES = (("zoom 15", {"zoom": 15}), ("pan at 15", {}), ("pan at 15 again", {}), ("zoom 16", {"zoom": 16}),
         ("pan at 16", {}))

# One move, timed in the page from the move to its view drawn (see the module's docstring).
MOVE = """([move, way, namesFrom]) => new Promise((resolve) => {
    const ed = guatuPage.editors[0], map = ed.map, large = ed.large.courtyards, seq = large.seq;
    const started = performance.now();
    if (move.zoom) map.setView(map.getCenter(), move.zoom, {animate: false});
    else map.panBy([map.getSize().x / 3, 0], {animate: false});
    const z = map.getZoom();
    const viewDrawn = () => large.seq > seq && large.drawnSeq === large.seq;
    const tilesDrawn = () => {
        const t = large.tiles;
        if (!t || !large._tiled() || t._tileZoom !== z) return false;
        const current = Object.values(t._tiles).filter((x) => x.current);
        return current.length > 0 && current.every((x) => x.el.guatu);
    };
    const drawn = way === 'tiles' && z < namesFrom ? tilesDrawn : viewDrawn; // (from the names' zoom the view draws)
    const wait = () => drawn()
        ? requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - started)))
        : setTimeout(wait, 5);
    wait();
})"""


def screen(browser, url: str, way: str) -> list[float]:
    """A planner's editor making the moves: each move's time to drawn (ms)."""
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url + "/login?next=/edit", timeout=TIMEOUT_MS)
    page.fill("input[name=username]", "planner1")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_function("() => document.documentElement.dataset.guatuReady === 'true'", polling=50)
    times = [page.evaluate(MOVE, [move, way, NAMES_FROM]) for _, move in MOVES]
    context.close()
    return times


def one_size(browser, root: Path, n: int, database_url: str | None) -> dict:
    data = root / "view" / "data"  # each beside its own instance folder (its accounts)
    write_synthetic(data, n, seed=1)
    with_tiles_from(data, None)
    config = {"GUATU_PUBLIC_VIEW": False, "GUATU_REFRESH_SECONDS": 0}
    if database_url:
        schema = f"bench_editor_tiles_{n}_{uuid.uuid4().hex[:6]}"  # (a database given to the benchmarks keeps others)
        copy_to_postgis(data, load_campaign(data), database_url, schema=schema)
        config.update(GUATU_DATABASE_URL=database_url, GUATU_DATABASE_SCHEMA=schema)
    tiled = root / "tiles" / "data"
    shutil.copytree(data, tiled)
    with_tiles_from(tiled, TILES_FROM)
    apps = {way: create_app({**config, "GUATU_DATA": str(d), "GUATU_INSTANCE": str(d.parent / "instance")})
            for way, d in (("view", data), ("tiles", tiled))}
    result = {"places": n, "backend": "postgis" if database_url else "geojson", "first": {}, "second": {}}
    with LiveServer(apps["view"]) as view_server, LiveServer(apps["tiles"]) as tiles_server:
        # (on PostGIS both apps keep their accounts in the one schema: the planner is made once)
        view_server.app.extensions["guatu_accounts"].create_user("planner1", PASSWORD, "editor", "张规划")
        if not database_url:
            tiles_server.app.extensions["guatu_accounts"].create_user("planner1", PASSWORD, "editor", "张规划")
        for way, server in (("view", view_server), ("tiles", tiles_server)):
            started = time.perf_counter()
            result["first"][way] = screen(browser, server.url, way)
            result["second"][way] = screen(browser, server.url, way)
            print(f"  {way}: {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return result


def run(sizes: list[int], backends: list[str]) -> list[dict]:
    out = []
    with chromium() as browser, bench_database(backends) as database_url:
        for n in sizes:
            for backend in backends:
                with tempfile.TemporaryDirectory(prefix=f"guatu-editor-tiles-{n}-") as scratch:
                    out.append(one_size(browser, Path(scratch), n, database_url if backend == "postgis" else None))
                print(f"  {n:,} places on {backend} done", file=sys.stderr, flush=True)
    return out


def table(results: list[dict]) -> str:
    lines = ["| store, places | move | a view at a time, first / second screen (ms) | tiles, first / second (ms) "
             "| view ÷ tiles, first / second |", "|---|---|---:|---:|---:|"]
    for r in results:
        for i, (name, _) in enumerate(MOVES):
            v1, v2 = r["first"]["view"][i], r["second"]["view"][i]
            t1, t2 = r["first"]["tiles"][i], r["second"]["tiles"][i]
            lines.append(f"| {r['backend']} {r['places']:,} | {name} | {v1:,.0f} / {v2:,.0f} | {t1:,.0f} / {t2:,.0f} "
                         f"| {v1 / t1:.2f}× / {v2 / t2:.2f}× |")
        for key, label in (("first", "all moves, first screen"), ("second", "all moves, second screen")):
            v, t = sum(r[key]["view"]), sum(r[key]["tiles"])
            lines.append(f"| {r['backend']} {r['places']:,} | **{label}** | {v:,.0f} | {t:,.0f} | **{v / t:.2f}×** |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_editor_tiles", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000", help="numbers of places, comma-separated")
    parser.add_argument("--backends", default="geojson", help="geojson, postgis or both, comma-separated")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    rows = run([int(s) for s in args.sizes.split(",") if s.strip()], [b.strip() for b in args.backends.split(",") if b.strip()])
    print(table(rows))
    print(f"\n({time.perf_counter() - started:.0f} s; one first and one second screen each way; Chromium {WIDTH}×{HEIGHT})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
