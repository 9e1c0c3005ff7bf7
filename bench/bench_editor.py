"""The editor with a large layer: loaded a view at a time against loaded whole, in one run.

    .venv/bin/python -m bench.bench_editor                      # 50,000 and 100,000 places, medians of 3
    .venv/bin/python -m bench.bench_editor --sizes 100000 --repeat 5

A synthetic campaign (geo.synth.synthetic) is served twice by the embedded store: as it is (its courtyards are
more than `map.viewport_above`, so the editor draws them a view at a time: web/static/js/editor/large-layer.js)
and with `viewport_above` set above the number of places, which makes the editor load every layer whole as
GeoJSON — what it did for every layer before (the naive way). The two are measured in turn in one Chromium
(1600×1000, software rendering), a planner logged in:

* **ready** — from navigation to the editor's `data-guatu-ready` (its places drawn, the map fitted to them);
* **shapes bytes** — what the page fetched of the layers' shapes before it was ready (as sent, gzip);
* **JS heap** — the page's JavaScript heap in use once ready (Chromium's `Runtime.getHeapUsage`);
* **pan** — from a pan of a third of the map to the new view drawn (a view at a time: the view fetched and
  drawn; whole: the map's own redraw, two frames).

The server's caches are warm (one load of each way first).
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

from playwright.sync_api import sync_playwright

from geo.synth.synthetic import write_synthetic
from tests.browser.editor_session import PASSWORD, sign_in
from tests.browser.harness import CHROMIUM, CHROMIUM_ARGS, live_server

WIDTH, HEIGHT = 1600, 1000
TIMEOUT_MS = 300_000

# Installed before the page's scripts: the time the editor says it is ready.
READY = """
new MutationObserver((_, observer) => {  // (the document, not its element: that is not made yet)
  if (document.documentElement && document.documentElement.dataset.guatuReady === 'true') {
    window.__readyAt = performance.now();
    observer.disconnect();
  }
}).observe(document, {attributes: true, subtree: true, attributeFilter: ['data-guatu-ready']});
"""

PAN = """() => new Promise((resolve) => {
    const ed = guatuPage.editors[0], large = ed.large.courtyards, started = performance.now();
    const seq = large ? large.seq : 0;
    const done = () => requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - started)));
    // a view at a time: drawn once the view after the pause is fetched and drawn (its `seq` moved, nothing pending)
    const wait = () => large.seq > seq && large.drawnSeq === large.seq ? done() : setTimeout(wait, 5);
    ed.map.panBy([ed.map.getSize().x / 3, 0], {animate: false});
    if (large) wait(); else done();
})"""


def measure(browser, url: str) -> dict:
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, device_scale_factor=1)
    page = context.new_page()
    page.goto(url + "/login?next=/api/health", timeout=TIMEOUT_MS)
    sign_in(page, "planner1")
    page.wait_for_load_state()
    page.close()  # (the page logged in on: nothing of it runs while the editor is measured)
    context.add_init_script(READY)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    page.goto(url + "/edit", timeout=TIMEOUT_MS, wait_until="commit")
    page.wait_for_function("() => window.__readyAt", timeout=TIMEOUT_MS, polling=50)
    ready = page.evaluate("() => window.__readyAt")
    shapes = page.evaluate("""() => performance.getEntriesByType('resource')
        .filter(e => e.name.includes('/api/wall/shapes/') && e.responseEnd <= window.__readyAt)
        .reduce((n, e) => n + e.encodedBodySize, 0)""")
    cdp.send("HeapProfiler.collectGarbage")
    heap = cdp.send("Runtime.getHeapUsage")["usedSize"] / 1e6
    pans = [page.evaluate(PAN) for _ in range(3)]
    context.close()
    return {"ready_ms": ready, "shapes_bytes": shapes, "heap_mb": heap, "pan_ms": statistics.median(pans)}


def run(sizes: list[int], repeat: int) -> list[tuple[int, dict, dict]]:
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for n in sizes:
                with tempfile.TemporaryDirectory(prefix=f"guatu-bench-editor-{n}-") as tmp:
                    by_view = Path(tmp) / "view" / "data"  # each beside its own instance folder (its accounts)
                    write_synthetic(by_view, n, seed=1)
                    whole = Path(tmp) / "whole" / "data"
                    shutil.copytree(by_view, whole)
                    config = json.loads((whole / "campaign.json").read_text(encoding="utf-8"))
                    config["map"]["viewport_above"] = n * 10  # every layer loaded whole: the editor before
                    (whole / "campaign.json").write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
                    with live_server(by_view, GUATU_PUBLIC_VIEW=False) as a, live_server(whole, GUATU_PUBLIC_VIEW=False) as b:
                        for s in (a, b):
                            s.app.extensions["guatu_accounts"].create_user("planner1", PASSWORD, "editor", "张规划")
                            measure(browser, s.url)  # the server's caches filled
                        runs: dict[str, list[dict]] = {"view": [], "whole": []}
                        for _ in range(repeat):  # in turn, so a busy machine slows both alike
                            runs["view"].append(measure(browser, a.url))
                            runs["whole"].append(measure(browser, b.url))
                    med = {way: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for way, rs in runs.items()}
                    rows.append((n, med["view"], med["whole"]))
                    print(f"  {n:,} places done", file=sys.stderr, flush=True)
        finally:
            browser.close()
    return rows


def table(rows: list[tuple[int, dict, dict]]) -> str:
    out = ["| places | way | ready (ms) | shapes bytes (gzip) | JS heap (MB) | pan to drawn (ms) |",
           "|---:|---|---:|---:|---:|---:|"]
    for n, view, whole in rows:
        for name, r in (("whole (naive)", whole), ("a view at a time", view)):
            out.append(f"| {n:,} | {name} | {r['ready_ms']:,.0f} | {r['shapes_bytes']:,.0f} | {r['heap_mb']:,.0f} | {r['pan_ms']:,.0f} |")
        out.append(f"| {n:,} | **whole ÷ view** | **{whole['ready_ms'] / view['ready_ms']:.1f}×** | "
                   f"**{whole['shapes_bytes'] / max(view['shapes_bytes'], 1):.1f}×** | **{whole['heap_mb'] / view['heap_mb']:.1f}×** | "
                   f"{whole['pan_ms'] / view['pan_ms']:.1f}× |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_editor", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="50000,100000", help="numbers of places, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="loads of each way (the median is shown)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    rows = run([int(s) for s in args.sizes.split(",") if s.strip()], args.repeat)
    print(table(rows))
    print(f"\n({time.perf_counter() - started:.0f} s; medians of {args.repeat} loads; Chromium {WIDTH}×{HEIGHT})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
