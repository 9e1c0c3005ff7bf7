"""Wall map benchmark: the naive folium page against Guatu's, on synthetic campaigns.

    .venv/bin/python -m bench.bench_wall [--sizes 1000,5000,20000] [--repeat 3]

For each size it writes a synthetic campaign (geo.synth.synthetic.write_synthetic) and
builds the wall map two ways:

* naive — what a first-time folium user writes: `folium.GeoJson(layer,
  style_function=colour_by_status)` with the whole layer inlined in the page
  (Leaflet is served locally, as Guatu's, so the page works offline; no
  tooltip, no overdue rule: the naive page does less than Guatu's);
* guatu — the /wall page, which carries the first state, the packed shapes
  and the outlines inlined (nothing is fetched before the first paint) and
  draws them on one canvas, its scripts as one bundle (web/core/bundles.py);
* guatu's modules — the same page with GUATU_SCRIPT_BUNDLES=false, which
  loads its modules one by one, as it did before the bundles.

It prints, for each: server time for the page and its data (naive: building
the page from the features in memory; guatu: every request a fresh screen
makes for its map, with empty caches — "cold" — and again with the caches
filled by an earlier screen — "warm"), the bytes sent (gzip, as the server
sends them; Leaflet left out, it is the same file for both, Guatu's own
scripts and styles counted), and the time from navigation until every place
is drawn in headless Chromium at 3840×2160; then the server time of an
unchanged status poll (304), and, apart, what a screen asks for besides the
map (the dashboard; the places' names, fetched when first needed). Times are
medians of `--repeat` runs, naive and guatu measured in turn. Results and
method: docs/wall-benchmark.md.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import folium
from flask import Response
from playwright.sync_api import sync_playwright

from geo.config import load_campaign
from geo.store import open_store
from geo.synth.synthetic import write_synthetic
from tests.browser.harness import CHROMIUM, CHROMIUM_ARGS, LiveServer
from web import create_app
from web.core.bundles import Scripts, bundles
from web.core.modules import static_imports
from web.core.routes import PUBLIC, declare
from web.core.security import add_nonce
from web.wall.map_page import WALL_CSS, OfflineMap

WIDTH, HEIGHT = 3840, 2160
GZIP_LEVEL = 6  # what web/core/http.py sends
DRAW_TIMEOUT_MS = 180_000

# Installed before any page script: watches every frame for "all N places drawn",
# then waits one more frame (the paint) and notes the time since navigation.
WATCH = """
(() => {
  const want = %d;
  const count = () => {
    const wall = window.guatuPage && window.guatuPage.walls && window.guatuPage.walls[0];
    if (wall) {
      if (document.documentElement.dataset.guatuReady !== 'true') return 0;
      let n = 0;
      for (const g of Object.values(wall.layers)) n += g.count();
      return n;
    }
    return document.querySelectorAll('path.leaflet-interactive').length;
  };
  const tick = () => {
    if (count() >= want) {
      requestAnimationFrame(() => requestAnimationFrame(() => { window.__drawnAt = performance.now(); }));
    } else {
      requestAnimationFrame(tick);
    }
  };
  requestAnimationFrame(tick);
})();
"""


@dataclass
class Result:
    server_ms: float
    bytes_gz: int
    drawn_ms: float
    server_warm_ms: float | None = None


def gz(body: bytes) -> int:
    return len(gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0))


def naive_page(store, campaign) -> str:
    """The page a first-time folium user writes: the whole layer inlined, coloured by a style function."""
    colours = {s.key: s.color for s in campaign.statuses}
    m = OfflineMap(lambda path: "/static/" + path, location=list(campaign.map.center), zoom_start=campaign.map.zoom)

    def style(feature):
        return {"fillColor": colours.get(feature["properties"]["status"], "#999999"), "color": "#333333",
                "weight": 1, "fillOpacity": 0.85}

    for layer in campaign.layers:
        features = store.features(layer.id)
        if features:
            folium.GeoJson({"type": "FeatureCollection", "features": features}, style_function=style).add_to(m)
    return m.get_root().render()


def wall_requests(app, campaign) -> list[str]:
    """What one screen asks for before its first paint: the page, which carries its first data (state, shapes of
    the layers drawn whole, outlines; js/wall/sync.js). A layer drawn one viewport at a time (more places than
    the campaign's map.viewport_above) is fetched for the screen's box, which only the browser knows: its
    server time is in the drawing time."""
    return ["/wall"]


def own_assets(entry: str = "js/pages/wall.js", bundled: bool = True) -> list[str]:
    """The wall page's own files as it loads them before its first paint: its bundle and the chunks it imports
    (web/core/bundles.py), or with `bundled` false its modules one by one, and its stylesheets."""
    scripts = bundles().scripts(entry) if bundled else Scripts(entry, static_imports(entry))
    return [scripts.entry, *scripts.preload, *(path for _, path in WALL_CSS)]


def guatu_server(data: Path, campaign, bundled: bool = True) -> tuple[float, float, int]:
    """One screen's requests against a fresh app (cold caches), then again (warm): ms, ms, gzip bytes."""
    app = create_app({"GUATU_DATA": str(data), "GUATU_INSTANCE": str(data.parent / "instance"), "GUATU_PUBLIC_VIEW": True})
    client = app.test_client()
    out = []
    sent = 0
    for _ in ("cold", "warm"):
        total = 0.0
        sent = 0
        for url in wall_requests(app, campaign):
            started = time.perf_counter()
            resp = client.get(url, headers={"Accept-Encoding": "gzip"})
            total += time.perf_counter() - started
            assert resp.status_code == 200, (url, resp.status_code)
            body = resp.get_data()
            sent += len(body) if resp.headers.get("Content-Encoding") == "gzip" else gz(body)
        out.append(total * 1000)
    static = Path(__file__).resolve().parent.parent / "web" / "static"
    sent += sum(gz((static / a).read_bytes()) for a in own_assets(bundled=bundled))
    return out[0], out[1], sent


def unchanged_poll(data: Path) -> float:
    """Server time of a poll that finds nothing new (304), median of 200."""
    app = create_app({"GUATU_DATA": str(data), "GUATU_INSTANCE": str(data.parent / "instance"), "GUATU_PUBLIC_VIEW": True})
    client = app.test_client()
    first = client.get("/api/wall/state?format=packed")
    url = f"/api/wall/state?since={first.get_json()['revision']}&format=packed"
    headers = {"If-None-Match": first.headers["ETag"]}
    polls = []
    for _ in range(200):
        started = time.perf_counter()
        resp = client.get(url, headers=headers)
        polls.append((time.perf_counter() - started) * 1000)
        assert resp.status_code == 304
    return statistics.median(polls)


def extras(data: Path, campaign) -> dict[str, tuple[float, int]]:
    """What a screen asks for besides the map (not in the naive page): cold ms and gzip bytes."""
    app = create_app({"GUATU_DATA": str(data), "GUATU_INSTANCE": str(data.parent / "instance"), "GUATU_PUBLIC_VIEW": True})
    client = app.test_client()
    out = {}
    names = f"/api/wall/shapes/{campaign.layers[0].id}?format=packed&part=attributes"
    for name, url in (("dashboard", "/api/wall/dashboard?layers=" + ",".join(x.id for x in campaign.layers)),
                      ("names (first search, hover or zoom 17)", names)):
        started = time.perf_counter()
        resp = client.get(url, headers={"Accept-Encoding": "gzip"})
        ms = (time.perf_counter() - started) * 1000
        body = resp.get_data()
        out[name] = (ms, len(body) if resp.headers.get("Content-Encoding") == "gzip" else gz(body))
    return out


def measure_draw(browser, url: str, count: int) -> float:
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, device_scale_factor=1)
    host = url.split("/")[2]

    def guard(route, request):
        if request.url.split("/")[2] == host or request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            route.abort()  # offline, like a command room

    context.route("**/*", guard)
    context.add_init_script(WATCH % count)
    page = context.new_page()
    page.goto(url, timeout=DRAW_TIMEOUT_MS, wait_until="commit")  # the page's own clock times it, whenever "load" comes
    # Waited for inside Playwright, not by sleeping between looks: Playwright's synchronous API runs `guard` only
    # while this process is in one of its calls, so each request the page made during a sleep waited for it.
    page.wait_for_function("() => window.__drawnAt", timeout=DRAW_TIMEOUT_MS, polling=100)
    drawn = page.evaluate("() => window.__drawnAt")
    context.close()
    time.sleep(0.5)  # let the browser tidy up before the next page
    return drawn


def run(sizes: list[int], repeat: int) -> list[tuple]:
    """Naive and Guatu measured in turn, `repeat` times, so a busy machine slows both alike."""
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for n in sizes:
                scratch = tempfile.TemporaryDirectory(prefix=f"guatu-bench-{n}-")
                root = Path(scratch.name)
                data = root / "data"
                write_synthetic(data, n)
                campaign = load_campaign(data)
                store = open_store(data, campaign)
                count = sum(len(store.features(x.id)) for x in campaign.layers)
                html = naive_page(store, campaign)
                app = create_app({"GUATU_DATA": str(data), "GUATU_INSTANCE": str(root / "instance"),
                                  "GUATU_PUBLIC_VIEW": True, "GUATU_REFRESH_SECONDS": 0})
                naive_view = declare(PUBLIC)(lambda page=html: Response(add_nonce(page), mimetype="text/html"))
                app.add_url_rule("/bench/naive", "bench_naive", naive_view)  # declared: the app refuses any other
                modules_app = create_app({"GUATU_DATA": str(data), "GUATU_INSTANCE": str(root / "instance"),
                                          "GUATU_PUBLIC_VIEW": True, "GUATU_REFRESH_SECONDS": 0,
                                          "GUATU_SCRIPT_BUNDLES": False})
                runs: dict[str, list] = {"naive_ms": [], "cold": [], "warm": [], "naive_draw": [], "wall_draw": [],
                                         "modules_draw": []}
                sent = 0
                with LiveServer(app) as server, LiveServer(modules_app) as modules_server:
                    client = app.test_client()
                    for url in wall_requests(app, campaign):  # the draw is timed with the server's caches filled
                        client.get(url)
                        modules_app.test_client().get(url)
                    for _ in range(repeat):
                        started = time.perf_counter()
                        naive_page(store, campaign)
                        runs["naive_ms"].append((time.perf_counter() - started) * 1000)
                        cold, warm, sent = guatu_server(data, campaign)
                        runs["cold"].append(cold)
                        runs["warm"].append(warm)
                        runs["naive_draw"].append(measure_draw(browser, server.url + "/bench/naive", count))
                        runs["wall_draw"].append(measure_draw(browser, server.url + "/wall?refresh=0", count))
                        runs["modules_draw"].append(measure_draw(browser, modules_server.url + "/wall?refresh=0", count))
                med = {k: statistics.median(v) for k, v in runs.items()}
                naive = Result(med["naive_ms"], gz(html.encode()), med["naive_draw"])
                guatu = Result(med["cold"], sent, med["wall_draw"], med["warm"])
                modules = Result(med["cold"], guatu_server(data, campaign, bundled=False)[2], med["modules_draw"])
                rows.append((count, naive, guatu, modules, unchanged_poll(data), extras(data, campaign)))
                scratch.cleanup()
                print(f"  {count} polygons done", file=sys.stderr, flush=True)
        finally:
            browser.close()
    return rows


def table(rows) -> str:
    out = [
        "| polygons | way | server ms (page + data) | bytes sent (gzip) | drawn in Chromium 4K, ms |",
        "|---:|---|---:|---:|---:|",
    ]
    for count, naive, guatu, modules, _, _ in rows:
        out.append(f"| {count:,} | naive folium | {naive.server_ms:,.0f} | {naive.bytes_gz:,} | {naive.drawn_ms:,.0f} |")
        out.append(f"| {count:,} | guatu (cold / warm) | {guatu.server_ms:,.0f} / {guatu.server_warm_ms:,.1f} | "
                   f"{guatu.bytes_gz:,} | {guatu.drawn_ms:,.0f} |")
        out.append(f"| {count:,} | **naive ÷ guatu** | **{naive.server_ms / guatu.server_ms:.1f}×** cold, "
                   f"{naive.server_ms / guatu.server_warm_ms:,.0f}× warm | **{naive.bytes_gz / guatu.bytes_gz:.1f}×** | "
                   f"**{naive.drawn_ms / guatu.drawn_ms:.1f}×** |")
        out.append(f"| {count:,} | guatu, its modules one by one (GUATU_SCRIPT_BUNDLES=false) | | "
                   f"{modules.bytes_gz:,} | {modules.drawn_ms:,.0f} |")
        out.append(f"| {count:,} | **modules ÷ bundle** | | **{modules.bytes_gz / guatu.bytes_gz:.1f}×** | "
                   f"**{modules.drawn_ms / guatu.drawn_ms:.1f}×** |")
    out += ["", "| polygons | unchanged status poll (304), server ms | " + " | ".join(
        f"{name}: cold ms, bytes" for name in rows[0][5]) + " |", "|---:|---:|" + "---:|" * len(rows[0][5])]
    for count, _, _, _, poll, extra in rows:
        out.append(f"| {count:,} | {poll:.2f} | " + " | ".join(f"{ms:,.0f} ms, {size:,} B" for ms, size in extra.values()) + " |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_wall", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,5000,20000", help="numbers of polygons, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (the median is shown)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    started = time.perf_counter()
    rows = run(sizes, args.repeat)
    print(table(rows))
    print(f"\n({time.perf_counter() - started:.0f} s; medians of {args.repeat} runs; Chromium {WIDTH}×{HEIGHT}, software rendering)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
