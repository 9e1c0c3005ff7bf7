"""A large layer's dots and the legend's counts on a 4K wall: read from the state's columns at once against
place by place.

    .venv/bin/python -m bench.bench_wall_dots [--places 200000] [--repeat 5]

A synthetic campaign (geo.synth.synthetic.write_synthetic) on the embedded store, served in this process; the
/wall page at 3840×2160 in Debian's Chromium, opened and drawn (its courtyards, above `map.viewport_above`,
come one viewport at a time, most of them as dots). Then, in the page, each way timed in turn, medians:

* dots — every dot's look and marks set from the state: `refreshField` as the wall runs it for a view that
  hides nothing (each dot's position found once, the columns read in one loop), against the naive way, a
  call of `refreshDot` per dot (as the wall refreshes them for a view with a filter or a sub-district; both
  leave a dot's marks alone while its flags stay the same, which the code before did not);
* counts — the legend's counts: `Panels.counts`, which counts a large layer's places from its columns at once
  (`PlaceItems.tally`), against a call per place (`WallMap.eachPlace`, as before).

Both ways are checked to give the same looks and counts. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.bench_wall import HEIGHT, WIDTH  # noqa: E402
from geo.synth.synthetic import write_synthetic  # noqa: E402
from tests.browser.harness import chromium, live_server, wait_ready  # noqa: E402

LAYER = "courtyards"

# Each way `repeat` times in turn, in the page: medians in ms, and whether the two ways agree.
TIMED = """([layerId, repeat]) => {
    const wall = window.guatuPage.walls[0], field = wall.fields[layerId], panels = wall.panels;
    const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
    const looks = () => JSON.stringify([Array.from(field.look), Array.from(field.marked)]);
    const oneByOne = () => { for (let i = 0; i < field.n; i++) wall.refreshDot(layerId, field, i); };
    const perPlace = () => {
        const out = { status: {}, total: 0, done: 0, overdue: 0, overnight: 0, escalated: 0 };
        wall.eachPlace((l, id, props, items, i) => {
            if (i < 0 || !wall.inScopeProps(props)) return;
            const status = items.statusAt(i);
            out.status[status] = (out.status[status] || 0) + 1;
            out.total += 1;
            if (wall.statuses[status] && wall.statuses[status].done) out.done += 1;
            out.overdue += items.overdueAt(i);
            out.overnight += items.overnightAt(i);
            if (items.escalatedAt(i)) out.escalated += 1;
        });
        return out;
    };
    const time = (fn) => { const t = performance.now(); fn(); return performance.now() - t; };
    const t = { dots: [], dotsNaive: [], counts: [], countsNaive: [] };
    for (let k = 0; k < repeat; k++) {
        t.dots.push(time(() => wall.refreshField(layerId)));
        t.dotsNaive.push(time(oneByOne));
        t.counts.push(time(() => panels.counts()));
        t.countsNaive.push(time(perPlace));
    }
    wall.refreshField(layerId);
    const whole = looks();
    oneByOne();
    const sorted = (c) => JSON.stringify(Object.assign({}, c, { status: Object.entries(c.status).sort() }));
    const sameCounts = sorted(panels.counts()) === sorted(perPlace());
    return { dots: field.n, filtered: wall.filters(), same: whole === looks() && sameCounts,
             ms: Object.fromEntries(Object.entries(t).map(([k, v]) => [k, median(v)])) };
}"""


def run(places: int, repeat: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="guatu-bench-dots-") as scratch:
        data = Path(scratch) / "data"
        write_synthetic(data, places, seed=1)
        with live_server(data) as server, chromium() as browser:
            context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, device_scale_factor=1)
            page = context.new_page()
            page.goto(server.url + "/wall?refresh=0", timeout=600_000)
            wait_ready(page, timeout=600_000)
            page.wait_for_function("(l) => !!window.guatuPage.walls[0].fields[l]", arg=LAYER, timeout=600_000)
            out = page.evaluate(TIMED, [LAYER, repeat])
            context.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_wall_dots", description=__doc__.split("\n\n")[0])
    parser.add_argument("--places", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    started = time.monotonic()
    r = run(args.places, args.repeat)
    ms = r["ms"]
    print(f"| {args.places:,} places, {r['dots']:,} dots | columns at once (ms) | place by place (ms) | ratio |")
    print("|---|---:|---:|---:|")
    print(f"| every dot's look and marks | {ms['dots']:.1f} | {ms['dotsNaive']:.1f} | {ms['dotsNaive'] / ms['dots']:.1f}× |")
    print(f"| the legend's counts | {ms['counts']:.1f} | {ms['countsNaive']:.1f} | "
          f"{ms['countsNaive'] / ms['counts']:.1f}× |")
    print(f"\n(the two ways agree: {json.dumps(r['same'])}; a view with a filter: {json.dumps(r['filtered'])}; "
          f"medians of {args.repeat}; {time.monotonic() - started:.0f} s)")
    return 0 if r["same"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
